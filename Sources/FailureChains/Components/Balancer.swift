import SimulationKernel

/// How busy each instance is, as a balancer that compares instances reads it.
package protocol InstanceLoads {
    /// The requests in flight at an instance, queued ones included.
    func outstanding(of instance: InstanceID) -> Int32
}

/// A service's load balancer: the instances it may choose, and its choice for each request.
///
/// One function a strategy; `pick(by:)` dispatches on the service's. The balancer holds the
/// admitted instances in index order; health checks and the autoscaler admit and eject them.
/// It knows no event queue and no instance table: a strategy that compares instances reads
/// their load through `InstanceLoads`. Draws come from the service's `balancer` stream, in the
/// order the strategies below state.
package struct Balancer {
    /// The strategy `pick(by:)` uses.
    package let strategy: BalancerSpec.Strategy
    /// The instances it may choose, in index order.
    package private(set) var admitted: [InstanceID]
    /// Round robin's place in `admitted`; it wraps when the list shrank below it.
    private var cursor = 0
    private var stream: RandomStream

    /// Creates a balancer.
    ///
    /// - Parameters:
    ///   - strategy: How it chooses.
    ///   - admitted: The instances admitted at the start, ascending.
    ///   - stream: The random stream of `random` and `powerOfTwo`.
    package init(strategy: BalancerSpec.Strategy, admitted: [InstanceID], stream: RandomStream) {
        self.strategy = strategy
        self.admitted = admitted
        self.stream = stream
    }

    /// The balancer's choice of instance for a request, by its strategy, or `InstanceID.none` when no
    /// instance is admitted.
    ///
    /// - Parameter loads: The instances' requests in flight, for the strategies that compare them.
    @inline(__always)
    package mutating func pick<Loads: InstanceLoads>(by loads: Loads) -> InstanceID {
        guard !admitted.isEmpty else { return .none }
        switch strategy {
        case .roundRobin: return pickRoundRobin()
        case .random: return pickRandom()
        case .leastOutstanding: return pickLeastOutstanding(by: loads)
        case .powerOfTwo: return pickPowerOfTwo(by: loads)
        }
    }

    /// Each admitted instance in turn, from where the last choice left off.
    ///
    /// Requires an admitted instance.
    @inline(__always)
    package mutating func pickRoundRobin() -> InstanceID {
        if cursor >= admitted.count { cursor = 0 }
        let chosen = admitted[cursor]
        cursor += 1
        return chosen
    }

    /// An admitted instance at random: one draw.
    ///
    /// Requires an admitted instance.
    package mutating func pickRandom() -> InstanceID {
        admitted[Int(stream.next(below: UInt64(admitted.count)))]
    }

    /// The admitted instance with the fewest requests in flight; the lowest index on a tie.
    ///
    /// Requires an admitted instance.
    package func pickLeastOutstanding<Loads: InstanceLoads>(by loads: Loads) -> InstanceID {
        var best = admitted[0]
        for candidate in admitted.dropFirst() where loads.outstanding(of: candidate) < loads.outstanding(of: best) {
            best = candidate
        }
        return best
    }

    /// Two distinct admitted instances at random, the one with fewer requests in flight; the
    /// first drawn on a tie. Two draws (the first among all, the second among the others), none
    /// when one instance is admitted.
    ///
    /// Requires an admitted instance.
    package mutating func pickPowerOfTwo<Loads: InstanceLoads>(by loads: Loads) -> InstanceID {
        if admitted.count == 1 { return admitted[0] }
        let first = Int(stream.next(below: UInt64(admitted.count)))
        var second = Int(stream.next(below: UInt64(admitted.count - 1)))
        if second >= first { second += 1 }
        let a = admitted[first], b = admitted[second]
        return loads.outstanding(of: b) < loads.outstanding(of: a) ? b : a
    }

    /// Whether an instance is admitted.
    package func isAdmitted(_ instance: InstanceID) -> Bool {
        admitted.contains(instance)
    }

    /// Admits an instance, keeping the list in index order.
    ///
    /// - Returns: Whether it was not admitted before.
    /// - Complexity: O(*n*), where *n* is the number of admitted instances.
    @discardableResult
    package mutating func admit(_ instance: InstanceID) -> Bool {
        let place = admitted.firstIndex { $0 >= instance } ?? admitted.count
        guard place == admitted.count || admitted[place] != instance else { return false }
        admitted.insert(instance, at: place)
        return true
    }

    /// Ejects an instance: the balancer no longer chooses it.
    ///
    /// - Returns: Whether it was admitted before.
    /// - Complexity: O(*n*), where *n* is the number of admitted instances.
    @discardableResult
    package mutating func eject(_ instance: InstanceID) -> Bool {
        guard let place = admitted.firstIndex(of: instance) else { return false }
        admitted.remove(at: place)
        return true
    }
}
