/// A future-event list: a binary min-heap ordered by (time, sequence), with lazy cancellation.
///
/// The sequence number is the scheduling order, so two events due at the same instant run
/// first-scheduled first. A cancelled event stays in the heap and is skipped when it reaches the
/// top, which keeps cancellation O(1) instead of a search. A reference type: a model owns one.
public final class EventQueue<Event> {
    @usableFromInline
    struct Entry {
        @usableFromInline var time: Int64
        @usableFromInline var sequence: UInt64
        @usableFromInline var event: Event

        @inlinable
        init(time: Int64, sequence: UInt64, event: Event) {
            self.time = time
            self.sequence = sequence
            self.event = event
        }

        @inlinable
        func precedes(_ other: Entry) -> Bool {
            time < other.time || (time == other.time && sequence < other.sequence)
        }
    }

    /// The heap's entries, `heapCount` of them in `heapCapacity` slots: held by the queue itself
    /// rather than by a `Table`, so that the hot path reaches them with one load instead of two.
    @usableFromInline var heapBase: UnsafeMutablePointer<Entry>
    @usableFromInline var heapCount = 0
    @usableFromInline var heapCapacity = 1024
    @usableFromInline var nextSequence: UInt64 = 0
    @usableFromInline var cancelled: Set<UInt64> = []
    /// `cancelled.count`, kept beside it so that a pop tests an integer instead of the set.
    @usableFromInline var cancelledCount = 0
    #if DEBUG
    /// The time of the last event returned by `popFirst`, in nanoseconds: the simulation's now.
    /// Only debug builds keep it, to check that nothing is scheduled before it.
    @usableFromInline var lastPoppedTime = Int64.min
    #endif

    /// Creates an empty queue.
    public init() {
        heapBase = .allocate(capacity: heapCapacity)
    }

    deinit {
        heapBase.deinitialize(count: heapCount)
        heapBase.deallocate()
    }

    /// The number of entries in the heap, cancelled ones included.
    @inlinable
    public var storedCount: Int { heapCount }

    /// The bytes the heap holds reserved for its entries.
    public var reservedBytes: Int { heapCapacity * MemoryLayout<Entry>.stride + cancelled.capacity * MemoryLayout<UInt64>.stride }

    /// The number of events still due to run.
    @inlinable
    public var pendingCount: Int { heapCount - cancelledCount }

    /// Whether no event is due to run.
    @inlinable
    public var isEmpty: Bool { pendingCount == 0 }

    /// The number of events scheduled so far.
    @inlinable
    public var scheduledCount: UInt64 { nextSequence }

    /// Schedules an event at an absolute instant.
    ///
    /// In a debug build, scheduling before the time of the event being handled (the last one
    /// popped) is a precondition failure; release builds do not check.
    ///
    /// - Parameters:
    ///   - event: The event to deliver.
    ///   - time: When it fires; not before the event being handled.
    /// - Returns: A handle that cancels the event if it has not fired yet.
    /// - Complexity: O(log *n*), where *n* is the number of stored events.
    @inlinable @inline(__always)
    @discardableResult
    public func schedule(_ event: Event, at time: Instant) -> EventHandle {
        #if DEBUG
        precondition(Self.isSchedulable(time, now: Instant(nanoseconds: lastPoppedTime)),
                     "event scheduled in the past: at \(time.nanoseconds) ns, while handling the event at \(lastPoppedTime) ns")
        #endif
        let sequence = nextSequence
        nextSequence &+= 1
        let entry = Entry(time: time.nanoseconds, sequence: sequence, event: event)
        if heapCount == heapCapacity { grow() }
        let buffer = heapBase
        var index = heapCount
        heapCount = index &+ 1
        // Sift up through a hole: each parent that the entry precedes moves down into it.
        while index > 0 {
            let parent = (index &- 1) >> 1
            if !entry.precedes(buffer[parent]) { break }
            (buffer + index).initialize(to: (buffer + parent).move())
            index = parent
        }
        (buffer + index).initialize(to: entry)
        return EventHandle(sequence: sequence)
    }

    /// Cancels a scheduled event; it will be skipped when it comes due.
    ///
    /// Cancelling an event that already ran, or was already cancelled, is a caller error that
    /// this queue cannot detect; callers cancel only handles of events they know are pending.
    ///
    /// - Complexity: O(1) on average.
    @inlinable
    public func cancel(_ handle: EventHandle) {
        if cancelled.insert(handle.sequence).inserted { cancelledCount &+= 1 }
    }

    /// Removes and returns the earliest pending event if it is due at or before `limit`.
    ///
    /// - Parameter limit: The latest instant to return an event for.
    /// - Returns: The event and its time, or nil when nothing is due by `limit`.
    /// - Complexity: O(log *n*) amortized, where *n* is the number of stored events.
    @inlinable @inline(__always)
    public func popFirst(notAfter limit: Instant) -> (time: Instant, event: Event)? {
        while heapCount > 0 {
            if heapBase.pointee.time > limit.nanoseconds { return nil }
            let top = removeTop()
            if cancelledCount != 0, cancelled.remove(top.sequence) != nil {
                cancelledCount &-= 1
                continue
            }
            #if DEBUG
            lastPoppedTime = top.time
            #endif
            return (Instant(nanoseconds: top.time), top.event)
        }
        return nil
    }

    /// Whether an event may be scheduled at `time` while the event of `now` is handled: not in the past.
    ///
    /// The check debug builds make in `schedule`; a function of its own so that it can be tested
    /// in any build.
    @inlinable
    public static func isSchedulable(_ time: Instant, now: Instant) -> Bool {
        time.nanoseconds >= now.nanoseconds
    }

    /// The time of the earliest stored entry, cancelled or not.
    @inlinable
    public var firstStoredTime: Instant? {
        heapCount == 0 ? nil : Instant(nanoseconds: heapBase.pointee.time)
    }

    /// Removes the top entry of a non-empty heap and returns it: the last entry sifts down from
    /// the root through the hole the top leaves.
    @inlinable @inline(__always)
    func removeTop() -> Entry {
        let buffer = heapBase
        let count = heapCount &- 1
        heapCount = count
        let top = buffer.move()
        if count == 0 { return top }
        let last = (buffer + count).move()
        var index = 0
        while true {
            let left = 2 &* index &+ 1
            if left >= count { break }
            let right = left &+ 1
            let child = (right < count && buffer[right].precedes(buffer[left])) ? right : left
            if !buffer[child].precedes(last) { break }
            (buffer + index).initialize(to: (buffer + child).move())
            index = child
        }
        (buffer + index).initialize(to: last)
        return top
    }

    @usableFromInline
    func grow() {
        let newCapacity = heapCapacity * 2
        let newBase = UnsafeMutablePointer<Entry>.allocate(capacity: newCapacity)
        newBase.moveInitialize(from: heapBase, count: heapCount)
        heapBase.deallocate()
        heapBase = newBase
        heapCapacity = newCapacity
    }
}

/// Identifies one scheduled event, so that it can be cancelled.
@frozen
public struct EventHandle: Hashable, Sendable {
    /// The scheduling sequence number of the event.
    public var sequence: UInt64

    @inlinable
    public init(sequence: UInt64) { self.sequence = sequence }
}
