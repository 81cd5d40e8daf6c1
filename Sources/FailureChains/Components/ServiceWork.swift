import SimulationKernel

/// An instance's own CPU work: the stream its base times are drawn from, and how many times its
/// base time a piece of work takes now.
///
/// Garbage collection takes a share of the CPU (from the heap's occupancy, which the heap knows)
/// and warm-up slows work by a factor until an instant (which the lifecycle sets); both arrive as
/// arguments, so the stretch is a function of the instance's state and `now` alone.
///
/// With a `ScalabilitySpec`, work is load dependent: a step started while N of the instance's
/// threads are busy (its own included) takes 1 + σ(N − 1) + κN(N − 1) times as long. N is read once,
/// when the step starts, and the step's length is fixed then: a simplification of processor
/// sharing, under which a step would speed up and slow down as other threads come and go.
///
/// Faults on the instance's work (`slow`, `hang`, `error` aimed at its service or at it) act on the
/// steps that start while they are in effect, over the union of their windows as on endpoints:
/// `slow` factors multiply; a step that starts during a `hang` holds its thread and is released
/// when the last hang ends, to take its time from then; of the `error` faults the one that started
/// last says how likely a step fails and whether it fails at once or after its work. A hang comes
/// before an error. Whether a step fails is drawn from the instance's `workErrors` stream, and only
/// while an error fault is in effect, so that a fault shifts no other draw.
public struct ServiceWork: Sendable {
    // What every CPU step reads comes first, in one cache line.
    /// Whether only GC and warm-up stretch work: no scalability law, no fault in effect. Work on
    /// a plain instance needs `plainStretch` alone, and no `fate`.
    public private(set) var isPlain: Bool
    /// Draws the base times of the instance's CPU work and of its fallback answers.
    public var stream: RandomStream
    /// How many times slower CPU work is while warming up.
    public let warmupSlowdown: Double
    /// How work slows as busy threads rise, or nil when it does not.
    public let scalability: ScalabilitySpec?

    /// Draws whether a step fails while an `error` fault is in effect.
    public var errorStream: RandomStream
    /// The faults in effect on the instance's work, by index in the model, in the order they started.
    public private(set) var faults: [(index: Int32, spec: FaultSpec)] = []
    /// The product of the `slow` factors in effect.
    public private(set) var slowFactor = 1.0
    /// Whether a `hang` is in effect.
    public private(set) var isHanging = false
    /// The share of steps that fail, from the `error` fault that started last; 0 without one.
    public private(set) var errorProbability = 0.0
    /// Whether a failing step fails after its work rather than at once.
    public private(set) var failsAfterWork = false
    /// Whether a step may hang or fail, so that the caller must ask its `fate`.
    public private(set) var isDisturbed = false
    /// The steps held by a hang, in the order they started.
    public private(set) var hung: [HungStep] = []

    /// A CPU step held by a hang: the request's slot and generation, and the step's length.
    public struct HungStep: Sendable, Equatable {
        public var request: RequestID
        public var generation: UInt32
        public var duration: Interval

        public init(request: RequestID, generation: UInt32, duration: Interval) {
            self.request = request
            self.generation = generation
            self.duration = duration
        }
    }

    /// What becomes of a CPU step that starts now.
    public enum Fate: Sendable, Equatable {
        /// It runs its time and completes.
        case runs
        /// It fails: at once, or after its work.
        case fails(afterWork: Bool)
        /// It waits for the hang to end.
        case hangs
    }

    /// Creates the work of one instance of a service.
    ///
    /// - Parameters:
    ///   - name: The instance's name (`cf[2]`), which keys its random stream.
    ///   - spec: The instance's service.
    ///   - seed: The run's seed.
    public init(name: String, spec: ServiceSpec, seed: UInt64) {
        stream = RandomStream(seed: seed, component: name, purpose: .serviceTime)
        warmupSlowdown = spec.lifecycle.warmupSlowdown
        scalability = spec.scalability
        errorStream = RandomStream(seed: seed, component: name, purpose: .workErrors)
        isPlain = spec.scalability == nil
    }

    /// Whether the stretch depends on the busy threads, so that the caller must count them.
    @inline(__always)
    public var isLoadDependent: Bool { scalability != nil }

    /// How many times its base time CPU work takes when it starts now.
    ///
    /// - Parameters:
    ///   - gcShare: The share of CPU time garbage collection takes, at least 0 and less than 1;
    ///     work takes 1 / (1 − share) times as long.
    ///   - warmUntil: The instant (in nanoseconds) until which the instance warms up.
    ///   - busyThreads: The instance's busy threads, the one starting the work included; read only
    ///     when `isLoadDependent`.
    ///   - now: The current instant, in nanoseconds.
    /// - Returns: The factor, at least 1.
    @inline(__always)
    public func stretch(gcShare: Double, warmUntil: Int64, busyThreads: Int32 = 1, at now: Int64) -> Double {
        let stretch = plainStretch(gcShare: gcShare, warmUntil: warmUntil, at: now)
        return isPlain ? stretch : stretch * loadAndFaultStretch(busyThreads: busyThreads)
    }

    /// The stretch of garbage collection and warm-up alone, which is all of it when `isPlain`.
    @inline(__always)
    public func plainStretch(gcShare: Double, warmUntil: Int64, at now: Int64) -> Double {
        var stretch = 1.0
        if gcShare > 0 { stretch /= (1 - gcShare) }
        if now < warmUntil { stretch *= warmupSlowdown }
        return stretch
    }

    /// The stretch of the scalability law and the `slow` faults in effect, which multiplies the plain one.
    ///
    /// - Parameter busyThreads: The instance's busy threads, the one starting the work included.
    public func loadAndFaultStretch(busyThreads: Int32) -> Double {
        var stretch = slowFactor
        if let scalability { stretch *= scalability.slowdown(busyThreads: max(busyThreads, 1)) }
        return stretch
    }

    /// What becomes of a CPU step that starts now: it hangs during a hang, else it fails with the
    /// error fault's probability, drawn from `errorStream` only while one is in effect.
    public mutating func fate() -> Fate {
        if isHanging { return .hangs }
        if errorProbability > 0 && (errorProbability >= 1 || errorStream.nextUnit() < errorProbability) {
            return .fails(afterWork: failsAfterWork)
        }
        return .runs
    }

    /// Holds a step until the hang ends.
    ///
    /// - Parameter step: The step, which started during a hang.
    /// - Complexity: Amortised O(1).
    public mutating func hold(_ step: HungStep) {
        hung.append(step)
    }

    /// Drops the held steps that no longer matter (their requests ended: a crash), keeping the order.
    public mutating func dropHeld(where isGone: (HungStep) -> Bool) {
        hung.removeAll(where: isGone)
    }

    /// A fault on the instance's work starts.
    ///
    /// - Parameters:
    ///   - index: The fault's index in the model.
    ///   - spec: The fault: `slow`, `hang` or `error`; other kinds are ignored.
    public mutating func startFault(_ index: Int32, _ spec: FaultSpec) {
        switch spec.kind {
        case .slow, .hang, .error: faults.append((index, spec))
        default: return
        }
        derive()
    }

    /// A fault on the instance's work ends; the others in effect stay.
    ///
    /// - Parameter index: The fault's index in the model.
    /// - Returns: The steps held by a hang that no other hang holds now, in the order they
    ///   started, to be started again; empty otherwise.
    public mutating func endFault(_ index: Int32) -> [HungStep] {
        guard let place = faults.firstIndex(where: { $0.index == index }) else { return [] }
        faults.remove(at: place)
        derive()
        guard !isHanging, !hung.isEmpty else { return [] }
        defer { hung.removeAll() }
        return hung
    }

    /// The fault state from the faults in effect.
    private mutating func derive() {
        slowFactor = 1
        isHanging = false
        errorProbability = 0
        failsAfterWork = false
        for (_, spec) in faults {
            switch spec.kind {
            case .slow(let factor): slowFactor *= factor
            case .hang: isHanging = true
            case .error(let afterLatency):
                errorProbability = spec.probability
                failsAfterWork = afterLatency
            default: break
            }
        }
        isDisturbed = isHanging || errorProbability > 0
        isPlain = scalability == nil && faults.isEmpty
    }
}
