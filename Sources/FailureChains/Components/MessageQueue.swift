import SimulationKernel

/// A message queue between services: messages waiting oldest first, a bounded depth with a full
/// policy (reject, drop the oldest, or block the producer up to a timeout), a time to live after
/// which a waiting message expires, and the messages consumers hold until they end.
///
/// The queue knows no event queue and no consumer: the caller passes the time, takes a message for
/// each consumer thread that is free, tells the queue how the consumer's work ended, admits the
/// blocked producers the queue has room for, and schedules the block timeouts and the expiry of
/// the oldest message (`headExpiry`). A message whose age reaches the time to live is expired at
/// that very nanosecond: it is never delivered from then on, whether or not the expiry event has run.
///
/// A failed message (its consumer's work did not succeed) goes back to the head of the queue
/// until it has been delivered `maximumDeliveries` times, and is dead-lettered after that, or at
/// once when the queue is full: retries with a backoff belong to the consumer's own dependency.
public struct MessageQueue {
    /// A producer blocked for room: its request and the generation of its wait.
    public typealias Waiter = CountedResource.Waiter

    /// A message: when it was enqueued (nanoseconds) and how often it has been delivered.
    public struct Message: Equatable {
        public var enqueuedAt: Int64
        public var deliveries: Int32

        public init(enqueuedAt: Int64, deliveries: Int32 = 0) {
            self.enqueuedAt = enqueuedAt
            self.deliveries = deliveries
        }
    }

    /// What became of a producer's message.
    public enum Publish: Equatable {
        /// It waits in the queue.
        case enqueued
        /// It waits in the queue; the oldest waiting message was dropped to make room for it.
        case enqueuedDroppingOldest
        /// The queue is full and rejects it.
        case rejected
        /// The queue is full: the producer waits for room (`block`), in the queue's order.
        case blocked
    }

    /// What became of a message whose consumer failed.
    public enum Failure: Equatable {
        /// It is back at the head of the queue, for another delivery.
        case requeued
        /// It was dead-lettered: delivered as often as allowed, or the queue was full.
        case deadLettered
    }

    /// A change of the queue's fill that is worth an event.
    public enum LevelChange: Equatable {
        /// The queue reached its capacity.
        case filled
        /// The queue is empty again after it filled at `since`; `rejected`, `dropped` and
        /// `blocked` producers meanwhile.
        case drained(since: Int64, rejected: Int64, dropped: Int64, blocked: Int64)
    }

    /// Messages counted over a stretch of time.
    public struct Counts: Equatable {
        public var enqueued: Int64 = 0
        /// Handed to a consumer, redeliveries included.
        public var delivered: Int64 = 0
        /// Whose consumer succeeded.
        public var consumed: Int64 = 0
        /// Refused when the queue was full.
        public var rejected: Int64 = 0
        /// Producers whose wait for room timed out.
        public var blockTimeouts: Int64 = 0
        /// Dropped to make room for a newer message.
        public var dropped: Int64 = 0
        /// Reached their time to live while waiting (dead letters).
        public var expired: Int64 = 0
        /// Failed at their last delivery, or when the queue was full (dead letters).
        public var deadLettered: Int64 = 0

        public init() {}
    }

    /// The most messages waiting at once.
    public let capacity: Int
    /// What a producer gets when the queue is full.
    public let policy: MessageQueueSpec.FullPolicy
    /// How long a blocked producer waits, in nanoseconds, or −1 for as long as it takes.
    public let blockTimeout: Int64
    /// A waiting message's time to live in nanoseconds, or `Int64.max` for none.
    public let timeToLive: Int64
    /// How many times a message is delivered before a failure dead-letters it.
    public let maximumDeliveries: Int32

    /// The waiting messages, from `head`; the slots before it are spent and compacted now and then.
    private var buffer: [Message] = []
    private var head = 0
    /// The messages consumers hold, by slot; a free slot is listed in `freeSlots`.
    public private(set) var inFlight: [Message] = []
    private var freeSlots: [Int32] = []
    /// Producers waiting for room, oldest first, from `blockedHead`; stale ones are skipped.
    private var blocked: [Waiter] = []
    private var blockedHead = 0

    /// Counts of the current series interval, and since the warm-up ended.
    public private(set) var interval = Counts()
    public private(set) var total = Counts()
    /// Whether counts and levels go into `total` (the warm-up is over).
    public private(set) var isPastWarmup: Bool
    /// The time integral of the depth, message × nanoseconds, this interval and since the warm-up.
    private(set) var depthArea = LevelArea()
    /// The most messages waiting at once this interval, and since the warm-up.
    public private(set) var intervalMaximum = 0
    public private(set) var totalMaximum = 0
    private var lastChange: Int64 = 0
    /// When the queue last filled, −1 when it has drained since; what it turned away meanwhile.
    private var filledAt: Int64 = -1
    private var rejectedWhileFull: Int64 = 0
    private var droppedWhileFull: Int64 = 0
    private var blockedWhileFull: Int64 = 0
    private var pendingChange: LevelChange?

    /// Creates an empty queue.
    public init(spec: MessageQueueSpec, isPastWarmup: Bool = true) {
        capacity = spec.capacity
        policy = spec.whenFull
        blockTimeout = spec.blockTimeout?.nanoseconds ?? -1
        timeToLive = spec.timeToLive?.nanoseconds ?? Int64.max
        maximumDeliveries = Int32(spec.maximumDeliveries)
        self.isPastWarmup = isPastWarmup
    }

    /// The number of messages waiting.
    public var depth: Int { buffer.count - head }

    /// Whether the queue holds `capacity` messages.
    public var isFull: Bool { depth >= capacity }

    /// The oldest waiting message, if any.
    public var oldest: Message? { head < buffer.count ? buffer[head] : nil }

    /// The age of the oldest waiting message at `now`, in nanoseconds, or 0 when none waits.
    public func oldestAge(at now: Int64) -> Int64 {
        oldest.map { now - $0.enqueuedAt } ?? 0
    }

    /// When the oldest waiting message expires, in nanoseconds, or nil (none waits, or no time to live).
    public var headExpiry: Int64? {
        guard timeToLive != Int64.max, let oldest else { return nil }
        let (sum, overflow) = oldest.enqueuedAt.addingReportingOverflow(timeToLive)
        return overflow ? nil : sum
    }

    /// Whether a message enqueued at `enqueuedAt` has expired at `now`: its age has reached the time to live.
    @inline(__always)
    private func hasExpired(_ message: Message, at now: Int64) -> Bool {
        timeToLive != Int64.max && now - message.enqueuedAt >= timeToLive
    }

    /// A producer's message arrives.
    ///
    /// - Parameters:
    ///   - producer: The producer's wait, kept when it has to block.
    ///   - now: The time, in nanoseconds.
    /// - Returns: Whether the message waits in the queue, dropped the oldest, was rejected, or
    ///   whether the producer waits for room.
    /// - Complexity: O(1) amortized, plus the messages that expire.
    public mutating func publish(_ producer: Waiter, at now: Int64) -> Publish {
        expire(at: now)
        guard isFull else {
            push(Message(enqueuedAt: now), at: now)
            return .enqueued
        }
        switch policy {
        case .reject:
            count { $0.rejected += 1 }
            rejectedWhileFull += 1
            return .rejected
        case .dropOldest:
            // Dropping first keeps the depth within the capacity, then the new message takes the room.
            head += 1
            count { $0.dropped += 1 }
            droppedWhileFull += 1
            buffer.append(Message(enqueuedAt: now))
            count { $0.enqueued += 1 }
            return .enqueuedDroppingOldest
        case .block:
            blocked.append(producer)
            blockedWhileFull += 1
            return .blocked
        }
    }

    /// Enqueues the message of the oldest blocked producer still waiting, if the queue has room.
    ///
    /// - Parameters:
    ///   - now: The time, in nanoseconds.
    ///   - isCurrent: Whether a producer's wait is still current (it has not timed out or ended).
    /// - Returns: The producer whose message was enqueued, whose call goes on; nil when none
    ///   waits or the queue has no room.
    public mutating func admitBlocked(at now: Int64, isCurrent: (Waiter) -> Bool) -> Waiter? {
        expire(at: now)
        while blockedHead < blocked.count {
            guard !isFull else { return nil }
            let producer = blocked[blockedHead]
            blockedHead += 1
            if blockedHead == blocked.count {
                blocked.removeAll(keepingCapacity: true)
                blockedHead = 0
            }
            guard isCurrent(producer) else { continue }
            push(Message(enqueuedAt: now), at: now)
            return producer
        }
        return nil
    }

    /// Counts a blocked producer whose wait timed out; its entry is skipped when it reaches the front.
    public mutating func blockTimedOut() {
        count { $0.blockTimeouts += 1 }
    }

    /// The oldest waiting message goes to a consumer, after the expired ones are removed.
    ///
    /// - Parameter now: The time, in nanoseconds.
    /// - Returns: The slot the consumer holds the message by, and the message; nil when none waits.
    /// - Complexity: O(1) amortized, plus the messages that expire.
    public mutating func take(at now: Int64) -> (slot: Int32, message: Message)? {
        expire(at: now)
        guard var message = oldest else { return nil }
        settle(at: now)
        head += 1
        compactIfWorthIt()
        noteDepthFell(at: now)
        message.deliveries += 1
        count { $0.delivered += 1 }
        let slot: Int32
        if let free = freeSlots.popLast() {
            slot = free
            inFlight[Int(slot)] = message
        } else {
            slot = Int32(inFlight.count)
            inFlight.append(message)
        }
        return (slot, message)
    }

    /// The consumer of a message succeeded: the message is gone.
    public mutating func acknowledge(_ slot: Int32) {
        count { $0.consumed += 1 }
        freeSlots.append(slot)
    }

    /// The consumer of a message failed: the message goes back to the head of the queue for
    /// another delivery, or is dead-lettered.
    ///
    /// - Parameters:
    ///   - slot: The slot the consumer held the message by.
    ///   - now: The time, in nanoseconds.
    /// - Returns: Whether the message was requeued or dead-lettered.
    public mutating func fail(_ slot: Int32, at now: Int64) -> Failure {
        let message = inFlight[Int(slot)]
        freeSlots.append(slot)
        guard message.deliveries < maximumDeliveries, !isFull else {
            count { $0.deadLettered += 1 }
            return .deadLettered
        }
        settle(at: now)
        if head > 0 {
            head -= 1
            buffer[head] = message
        } else {
            buffer.insert(message, at: 0)
        }
        noteDepthRose(at: now)
        return .requeued
    }

    /// Removes the waiting messages whose age has reached the time to live, oldest first.
    ///
    /// - Parameter now: The time, in nanoseconds.
    /// - Returns: How many expired.
    @discardableResult
    public mutating func expire(at now: Int64) -> Int {
        guard timeToLive != Int64.max else { return 0 }
        var expired = 0
        while let oldest, hasExpired(oldest, at: now) {
            if expired == 0 { settle(at: now) }
            head += 1
            expired += 1
        }
        guard expired > 0 else { return 0 }
        count { $0.expired += Int64(expired) }
        compactIfWorthIt()
        noteDepthFell(at: now)
        return expired
    }

    /// The fill change since the last call (the queue filled, or drained after it filled), if any.
    public mutating func takeLevelChange() -> LevelChange? {
        defer { pendingChange = nil }
        return pendingChange
    }

    /// Adds the depth held since the last change to its integrals.
    public mutating func settle(at now: Int64) {
        let elapsed = now - lastChange
        guard elapsed > 0 else { return }
        depthArea.add(Double(depth) * Double(elapsed), pastWarmup: isPastWarmup)
        lastChange = now
    }

    /// The warm-up ends: from now on counts and levels also go into the totals.
    public mutating func endWarmup(at now: Int64) {
        settle(at: now)
        isPastWarmup = true
        totalMaximum = depth
    }

    /// Ends a series interval: returns its counts, its mean depth and its largest depth, and
    /// starts the next one.
    ///
    /// - Parameters:
    ///   - now: The end of the interval, in nanoseconds.
    ///   - span: The interval's length, in nanoseconds.
    public mutating func endInterval(at now: Int64, span: Int64) -> (counts: Counts, meanDepth: Double, maximum: Int) {
        expire(at: now)
        settle(at: now)
        let result = (interval, span > 0 ? depthArea.interval / Double(span) : 0, intervalMaximum)
        interval = Counts()
        depthArea.interval = 0
        intervalMaximum = depth
        return result
    }

    // MARK: Private

    private mutating func push(_ message: Message, at now: Int64) {
        settle(at: now)
        buffer.append(message)
        count { $0.enqueued += 1 }
        noteDepthRose(at: now)
    }

    private mutating func noteDepthRose(at now: Int64) {
        let depth = self.depth
        if depth > intervalMaximum { intervalMaximum = depth }
        if isPastWarmup && depth > totalMaximum { totalMaximum = depth }
        if depth >= capacity && filledAt < 0 {
            filledAt = now
            rejectedWhileFull = 0
            droppedWhileFull = 0
            blockedWhileFull = 0
            pendingChange = .filled
        }
    }

    private mutating func noteDepthFell(at now: Int64) {
        if depth == 0 && filledAt >= 0 {
            pendingChange = .drained(since: filledAt, rejected: rejectedWhileFull, dropped: droppedWhileFull, blocked: blockedWhileFull)
            filledAt = -1
        }
    }

    /// Drops the spent slots before `head` once they are most of the buffer.
    private mutating func compactIfWorthIt() {
        if head == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024 && head * 2 >= buffer.count {
            buffer.removeFirst(head)
            head = 0
        }
    }

    @inline(__always)
    private mutating func count(_ change: (inout Counts) -> Void) {
        change(&interval)
        if isPastWarmup { change(&total) }
    }
}
