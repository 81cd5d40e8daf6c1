/// A service's autoscaler: the instances running (up, starting or down) and those parked, and
/// the decision of how many should run.
///
/// The decision is a pure function of the busy-thread time since the last one (`decide`); the
/// fleet lists change as the simulation starts and parks instances. Each running instance knows
/// its place in `running`, so a decision costs O(running), not O(maximumInstances); the parked
/// ones form a binary min-heap, so the lowest-numbered starts first. A service without an
/// autoscaler keeps its instances running and parks none.
package struct Autoscaler {
    /// One decision: the utilisation it saw and the change it asks for.
    package struct Decision: Equatable {
        /// Busy threads over the threads of the instances up, in [0, 1], as the autoscaler sees
        /// it: times the factor of any `misread` fault in effect.
        package var utilisation: Double
        /// Instances up or starting, draining ones excluded, before the change.
        package var active: Int
        /// Instances to start (positive) or to drain (negative), within `maximumChange`.
        package var change: Int
    }

    /// The autoscaler's target, bounds and governor, or nil for a service without one.
    package let spec: AutoscalerSpec?
    /// The instances that are not parked (up, starting or down), in no order.
    package private(set) var running: [InstanceID]
    /// Each instance's place in `running`, or −1 while parked, by its index from `first`.
    private var places: [Int32]
    /// The parked instances, as a binary min-heap of indices.
    private var parked: [InstanceID]
    /// The service's first instance.
    private let first: InstanceID
    /// The busy-thread area, since the last decision, of instances parked since then.
    private var busyAreaOfParked: Double = 0
    /// The `misread` faults in effect, by fault index, with their factors.
    package private(set) var misreadings: [(fault: Int32, factor: Double)] = []
    /// The instances all decisions so far have looked at, one per running instance per decision:
    /// the decisions' cost, which tests hold to the instances running, not the possible ones.
    package private(set) var instancesVisited = 0

    /// Creates a fleet whose first `running` instances run and whose others are parked.
    ///
    /// - Parameters:
    ///   - spec: The autoscaler, or nil.
    ///   - instances: The service's instance slots.
    ///   - running: How many of them run at the start, from the first.
    package init(spec: AutoscalerSpec?, instances: Range<InstanceID>, running: Int) {
        self.spec = spec
        first = instances.lowerBound
        self.running = Array(instances.prefix(running))
        places = (0..<instances.count).map { $0 < running ? Int32($0) : -1 }
        // Ascending, the parked instances already form a min-heap.
        parked = Array(instances.dropFirst(running))
    }

    /// What the autoscaler sees of the farm's utilisation: the product of the factors of the
    /// `misread` faults in effect, 1 without any.
    package var misreadFactor: Double {
        misreadings.reduce(1.0) { $0 * $1.factor }
    }

    /// A `misread` fault starts: the autoscaler sees its factor times the utilisation, on top of
    /// any other in effect.
    package mutating func startMisreading(fault: Int32, factor: Double) {
        misreadings.append((fault, factor))
    }

    /// A `misread` fault ends; the others in effect stay.
    package mutating func endMisreading(fault: Int32) {
        misreadings.removeAll { $0.fault == fault }
    }

    /// The number of parked instances.
    package var parkedCount: Int { parked.count }

    /// Whether an instance is parked.
    package func isParked(_ instance: InstanceID) -> Bool { places[first.distance(to: instance)] < 0 }

    /// The autoscaler's decision from the busy-thread time since the last one.
    ///
    /// Desired instances: the instances up × utilisation / target, rounded up, within the
    /// minimum and maximum; the change from the active count is at most `maximumChange` either way.
    ///
    /// - Parameters:
    ///   - spec: The autoscaler.
    ///   - busyArea: Busy threads × nanoseconds since the last decision, over every instance.
    ///   - up: Instances up (not draining).
    ///   - active: Instances up or starting (not draining).
    ///   - threadsPerInstance: The threads of all of an instance's entry points.
    ///   - misreadFactor: What the autoscaler sees of the utilisation (`misread` faults): the
    ///     decision uses, and reports, the utilisation times this.
    /// - Returns: The decision, or nil when no instance is up (nothing to measure).
    package static func decide(_ spec: AutoscalerSpec, busyArea: Double, up: Int, active: Int, threadsPerInstance: Int,
                               misreadFactor: Double = 1) -> Decision? {
        let busy = busyArea / Double(spec.interval.nanoseconds)
        guard up > 0 else { return nil }
        let utilisation = busy / Double(up * threadsPerInstance) * misreadFactor
        // A tiny target asks for more instances than an Int holds: clamp before converting.
        let wanted = (Double(up) * utilisation / spec.targetUtilisation).rounded(.up)
        let desired = wanted >= Double(spec.maximumInstances) ? spec.maximumInstances
            : !(wanted > Double(spec.minimumInstances)) ? spec.minimumInstances : Int(wanted)
        let change = max(-spec.maximumChange, min(spec.maximumChange, desired - active))
        return Decision(utilisation: utilisation, active: active, change: change)
    }

    /// Adds the busy-thread area of an instance that parks to the next decision's.
    package mutating func addBusyAreaOfParked(_ area: Double) {
        busyAreaOfParked += area
    }

    /// Counts the instances one decision looked at.
    package mutating func noteVisited(_ count: Int) { instancesVisited &+= count }

    /// The busy-thread area of instances parked since the last decision, which starts anew.
    package mutating func takeBusyAreaOfParked() -> Double {
        defer { busyAreaOfParked = 0 }
        return busyAreaOfParked
    }

    /// Takes the lowest-numbered parked instance, if any, and counts it running.
    package mutating func startParked() -> InstanceID? {
        guard let instance = popParked() else { return nil }
        places[first.distance(to: instance)] = Int32(running.count)
        running.append(instance)
        return instance
    }

    /// Moves a running instance to the parked ones.
    ///
    /// - Complexity: O(log *p*), where *p* is the number of parked instances.
    package mutating func park(_ instance: InstanceID) {
        let place = Int(places[first.distance(to: instance)])
        let moved = running.removeLast()
        if place < running.count {
            running[place] = moved
            places[first.distance(to: moved)] = Int32(place)
        }
        places[first.distance(to: instance)] = -1
        pushParked(instance)
    }

    /// Adds an instance to the parked heap.
    private mutating func pushParked(_ instance: InstanceID) {
        parked.append(instance)
        var child = parked.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard parked[child] < parked[parent] else { break }
            parked.swapAt(child, parent)
            child = parent
        }
    }

    /// Takes the lowest-numbered parked instance, if any.
    private mutating func popParked() -> InstanceID? {
        guard let lowest = parked.first else { return nil }
        let last = parked.removeLast()
        guard !parked.isEmpty else { return lowest }
        parked[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < parked.count && parked[left] < parked[smallest] { smallest = left }
            if right < parked.count && parked[right] < parked[smallest] { smallest = right }
            guard smallest != parent else { return lowest }
            parked.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
