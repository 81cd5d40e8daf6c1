/// A number of identical units that holders take and give back, with a first-in-first-out queue
/// of waiters and the time integral of the units in use.
///
/// One resource type under every pool of the domain (connections, threads, bulkhead slots,
/// endpoint capacity), as SimPy's `BaseResource` is under all of its own. It counts and queues;
/// it knows no event queue. A holder that waits is named by an `id` and the `generation` of its
/// wait: when the wait ends some other way (a timeout won the race), the holder calls
/// `withdrawWaiter()`, and its entry, left in the queue, is skipped when a unit is handed on
/// because the caller's `isCurrent` no longer recognises that generation. Stale entries are
/// dropped when they reach the front, not searched for.
///
/// Time is an integer count of nanoseconds, passed in by the caller (`now`); the resource keeps
/// the area under its in-use level (units × nanoseconds) since it was made or last asked for it,
/// exactly, in integers, as long as it stays below 2⁶³ (292 unit-years).
public struct CountedResource {
    /// A holder waiting for a unit: who, and which of its waits.
    public struct Waiter: Equatable {
        public var id: Int32
        public var generation: UInt32

        @inlinable
        public init(id: Int32, generation: UInt32) {
            self.id = id
            self.generation = generation
        }
    }

    /// How many units there are.
    public let capacity: Int32
    /// How many units are taken.
    @inlinable public var inUse: Int32 { taken }
    /// How many holders wait for a unit (withdrawn waiters not counted).
    @inlinable public var waiting: Int32 { waitingCount }
    // What taking and giving back a unit without a queue reads and changes (`tryAcquire`,
    // `releaseWithoutHandOver`) comes first, in the first `levelFieldsEnd` bytes: a record that
    // holds a resource nobody waits on (a bulkhead) keeps just those in its first cache line.
    @usableFromInline var taken: Int32 = 0
    /// The instants units were taken minus the instants they were given back, in nanoseconds,
    /// since the area started (wrapping): the area up to `now` is `inUse × now − timeSum`, so a
    /// change of level costs one addition instead of a multiplication.
    @usableFromInline var timeSum: Int64 = 0
    /// When the in-use level last changed or the area was last taken, in nanoseconds.
    @inlinable public var lastChange: Int64 { changedAt }
    @usableFromInline var changedAt: Int64
    @usableFromInline var waitingCount: Int32 = 0
    /// The queue of waiters, oldest first; withdrawn ones stay until they reach the front.
    @usableFromInline let queue: RingBuffer<Waiter>

    /// Where the fields that `tryAcquire` and `releaseWithoutHandOver` read or change end, in
    /// bytes from the resource's start (the capacity, the units taken, the level's time sum and
    /// its last change).
    public static var levelFieldsEnd: Int {
        [MemoryLayout<CountedResource>.offset(of: \.capacity)! + 4,
         MemoryLayout<CountedResource>.offset(of: \.taken)! + 4,
         MemoryLayout<CountedResource>.offset(of: \.timeSum)! + 8,
         MemoryLayout<CountedResource>.offset(of: \.changedAt)! + 8].max()!
    }

    /// Creates a resource with all its units free and nobody waiting.
    ///
    /// - Parameters:
    ///   - capacity: The number of units; zero or more.
    ///   - start: The instant its area starts from, in nanoseconds.
    ///   - queueCapacity: Room for waiters before the queue grows.
    public init(capacity: Int32, at start: Int64 = 0, queueCapacity: Int = 8) {
        precondition(capacity >= 0, "a counted resource needs a capacity of zero or more, found \(capacity)")
        self.capacity = capacity
        changedAt = start
        queue = RingBuffer(capacity: queueCapacity)
    }

    /// The units nobody holds.
    @inlinable
    public var available: Int32 { capacity &- inUse }

    /// Whether every unit is taken.
    @inlinable
    public var isFull: Bool { inUse >= capacity }

    /// Whether any entry, current or withdrawn, is still queued.
    @inlinable
    public var hasQueuedEntries: Bool { !queue.isEmpty }

    /// The entries still queued, current or withdrawn.
    @inlinable
    public var queuedEntries: Int { queue.count }

    /// Takes a unit if one is free.
    ///
    /// - Parameter now: The current instant, in nanoseconds.
    /// - Returns: Whether a unit was taken.
    /// - Complexity: O(1).
    @inlinable
    public mutating func tryAcquire(at now: Int64) -> Bool {
        guard inUse < capacity else { return false }
        moveLevel(at: now)
        timeSum &+= now
        taken &+= 1
        return true
    }

    /// Takes a unit if one is free, or joins the back of the queue.
    ///
    /// - Parameters:
    ///   - waiter: Who waits, should every unit be taken.
    ///   - now: The current instant, in nanoseconds.
    /// - Returns: Whether a unit was taken (false: `waiter` now waits).
    /// - Complexity: O(1) amortized.
    @inlinable
    public mutating func acquireOrWait(_ waiter: Waiter, at now: Int64) -> Bool {
        if tryAcquire(at: now) { return true }
        enqueue(waiter)
        return false
    }

    /// Joins the back of the queue without trying for a unit.
    ///
    /// - Parameter waiter: Who waits.
    /// - Complexity: O(1) amortized.
    @inlinable
    public mutating func enqueue(_ waiter: Waiter) {
        queue.append(waiter)
        waitingCount &+= 1
    }

    /// Counts one waiter out whose wait ended without a unit (it timed out, gave up).
    ///
    /// Its entry stays in the queue and is skipped at hand-over, since `isCurrent` then refuses it.
    ///
    /// - Complexity: O(1).
    @inlinable
    public mutating func withdrawWaiter() {
        assert(waiting > 0, "a counted resource withdrew a waiter while none waits")
        waitingCount &-= 1
    }

    /// Gives a unit back: to the oldest waiter still waiting, or to the free units.
    ///
    /// - Parameters:
    ///   - now: The current instant, in nanoseconds.
    ///   - isCurrent: Whether a queued waiter still waits; entries it refuses are dropped.
    /// - Returns: The waiter that now holds the unit, or nil when the unit became free.
    /// - Complexity: O(1) amortized over the entries queued.
    @inlinable
    public mutating func release(at now: Int64, isCurrent: (Waiter) -> Bool) -> Waiter? {
        assert(inUse > 0, "a counted resource released a unit while none is in use")
        if let waiter = nextWaiter(isCurrent: isCurrent) { return waiter }
        moveLevel(at: now)
        timeSum &-= now
        taken &-= 1
        return nil
    }

    /// Gives a unit back to the free units, whoever waits (for a resource nobody waits on).
    ///
    /// - Parameter now: The current instant, in nanoseconds.
    /// - Complexity: O(1).
    @inlinable
    public mutating func releaseWithoutHandOver(at now: Int64) {
        assert(inUse > 0, "a counted resource released a unit while none is in use")
        moveLevel(at: now)
        timeSum &-= now
        taken &-= 1
    }

    /// Drops every entry queued when nobody waits (`waiting` is zero, so each entry is a wait
    /// withdrawn): for a holder that gives units back without looking at the queue while nobody
    /// waits (`releaseWithoutHandOver`), before its next wait, so that withdrawn entries do not
    /// pile up.
    ///
    /// - Complexity: O(*n*), where *n* is the number of queued entries.
    @inlinable
    public mutating func dropWithdrawnEntries() {
        assert(waitingCount == 0, "a counted resource dropped its queue while \(waitingCount) wait")
        while queue.popFirst() != nil {}
    }

    /// Removes the oldest waiter still waiting from the queue, dropping stale entries before it.
    ///
    /// The units are unchanged: the caller decides what the waiter gets.
    ///
    /// - Parameter isCurrent: Whether a queued waiter still waits.
    /// - Returns: The waiter, or nil when nobody waits.
    /// - Complexity: O(1) amortized over the entries queued.
    @inlinable
    public mutating func nextWaiter(isCurrent: (Waiter) -> Bool) -> Waiter? {
        while let waiter = queue.popFirst() {
            guard isCurrent(waiter) else { continue }
            waitingCount &-= 1
            return waiter
        }
        return nil
    }

    /// Frees every unit and forgets every waiter (the holders are gone).
    ///
    /// - Parameter now: The current instant, in nanoseconds.
    /// - Complexity: O(*n*), where *n* is the number of queued entries.
    public mutating func reset(at now: Int64) {
        moveLevel(at: now)
        timeSum &-= Int64(taken) &* now
        taken = 0
        while queue.popFirst() != nil {}
        waitingCount = 0
    }

    /// The area under the in-use level (units × nanoseconds) since the resource was made or the
    /// area was last taken, up to `now`.
    ///
    /// - Parameter now: The current instant, in nanoseconds; not before the last change.
    @inlinable
    public func area(upTo now: Int64) -> Double {
        Double(Int64(taken) &* now &- timeSum)
    }

    /// Returns the area under the in-use level up to `now` (as `area(upTo:)`) and starts a new one.
    ///
    /// - Parameter now: The current instant, in nanoseconds; not before the last change.
    /// - Returns: Units in use × nanoseconds.
    @inlinable
    public mutating func takeArea(upTo now: Int64) -> Double {
        moveLevel(at: now)
        let area = Int64(taken) &* now &- timeSum
        timeSum = Int64(taken) &* now
        return Double(area)
    }

    @inlinable
    mutating func moveLevel(at now: Int64) {
        assert(now >= changedAt, "a counted resource went back in time from \(changedAt) to \(now)")
        changedAt = now
    }
}
