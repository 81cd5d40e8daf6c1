import SimulationKernel

/// A bulkhead on calls to one dependency: at most so many calls in flight at once, and a call
/// beyond that is rejected at once, never queued (Nygard's bulkhead, resilience4j's
/// `SemaphoreBulkhead` with no wait).
///
/// Its slots are the units of a `CountedResource` that nobody waits on. Without a limit it only
/// counts the calls in flight.
public struct Bulkhead {
    private var slots: CountedResource

    /// Creates an empty bulkhead.
    ///
    /// - Parameters:
    ///   - limit: The most calls in flight at once; nil for no limit.
    ///   - start: When it starts counting, in nanoseconds.
    public init(limit: Int?, at start: Int64 = 0) {
        // Nobody waits on a bulkhead: the smallest queue will do.
        slots = CountedResource(capacity: limit.map { Int32(clamping: $0) } ?? .max, at: start, queueCapacity: 1)
    }

    /// Where the fields a call let in and ended reads or changes end, in bytes from the bulkhead's
    /// start (`DependencyRuntime` keeps them in its first cache line).
    package static var hotFieldsEnd: Int { MemoryLayout<Bulkhead>.offset(of: \.slots)! + CountedResource.levelFieldsEnd }

    /// The calls in flight: let in and not yet ended.
    public var inFlight: Int32 { slots.inUse }

    /// The most calls in flight at once (`Int32.max` without a limit).
    public var capacity: Int32 { slots.capacity }

    /// Lets a call in if a slot is free.
    ///
    /// - Parameter now: The current instant, in nanoseconds.
    /// - Returns: Whether the call may run (false: it is rejected).
    @inline(__always)
    public mutating func tryEnter(at now: Int64) -> Bool {
        slots.tryAcquire(at: now)
    }

    /// A call let in has ended: its slot is free again.
    ///
    /// - Parameter now: The current instant, in nanoseconds.
    @inline(__always)
    public mutating func leave(at now: Int64) {
        slots.releaseWithoutHandOver(at: now)
    }

    /// The area under the calls in flight, in calls × nanoseconds, since the bulkhead was made, up to `now`.
    public func inFlightArea(upTo now: Int64) -> Double { slots.area(upTo: now) }
}
