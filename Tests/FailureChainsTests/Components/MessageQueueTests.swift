import FailureChains
import SimulationKernel
import Testing

/// The message queue alone, driven with explicit times (nanoseconds).
struct MessageQueueTests {
    static func queue(capacity: Int = 3, whenFull: MessageQueueSpec.FullPolicy = .reject, timeToLive: Interval? = nil,
                      maximumDeliveries: Int = 1, blockTimeout: Interval? = nil) -> MessageQueue {
        MessageQueue(spec: MessageQueueSpec(name: "orders", capacity: capacity, whenFull: whenFull, blockTimeout: blockTimeout,
                                            timeToLive: timeToLive, maximumDeliveries: maximumDeliveries, consumer: "workers"))
    }

    static func producer(_ id: Int32, _ generation: UInt32 = 0) -> MessageQueue.Waiter {
        .init(id: id, generation: generation)
    }

    @Test func `messages are taken oldest first`() {
        var queue = Self.queue()
        for time in [10, 20, 30] as [Int64] { #expect(queue.publish(Self.producer(Int32(time)), at: time) == .enqueued) }
        #expect(queue.depth == 3)
        #expect(queue.oldestAge(at: 100) == 90)
        #expect(queue.take(at: 100)?.message == MessageQueue.Message(enqueuedAt: 10, deliveries: 1))
        #expect(queue.take(at: 100)?.message.enqueuedAt == 20)
        #expect(queue.take(at: 100)?.message.enqueuedAt == 30)
        #expect(queue.take(at: 100) == nil)
        #expect(queue.oldestAge(at: 100) == 0)
        #expect(queue.interval.enqueued == 3 && queue.interval.delivered == 3)
    }

    @Test func `a full queue that rejects refuses the new message and keeps the old ones`() {
        var queue = Self.queue(capacity: 2)
        _ = queue.publish(Self.producer(1), at: 1)
        _ = queue.publish(Self.producer(2), at: 2)
        #expect(queue.takeLevelChange() == .filled)
        #expect(queue.publish(Self.producer(3), at: 3) == .rejected)
        #expect(queue.depth == 2)
        #expect(queue.interval.rejected == 1 && queue.interval.enqueued == 2)
        #expect(queue.take(at: 4)?.message.enqueuedAt == 1)
    }

    @Test func `a full queue that drops the oldest makes room for the new message`() {
        var queue = Self.queue(capacity: 2, whenFull: .dropOldest)
        _ = queue.publish(Self.producer(1), at: 1)
        _ = queue.publish(Self.producer(2), at: 2)
        #expect(queue.publish(Self.producer(3), at: 3) == .enqueuedDroppingOldest)
        #expect(queue.depth == 2)
        #expect(queue.interval.dropped == 1 && queue.interval.enqueued == 3)
        #expect(queue.take(at: 4)?.message.enqueuedAt == 2)
        #expect(queue.take(at: 4)?.message.enqueuedAt == 3)
    }

    @Test func `a blocked producer gets room in its turn when a consumer takes a message`() {
        var queue = Self.queue(capacity: 1, whenFull: .block, blockTimeout: .seconds(1))
        var current: Set<Int32> = [2, 3]
        _ = queue.publish(Self.producer(1), at: 0)
        #expect(queue.publish(Self.producer(2), at: 5) == .blocked)
        #expect(queue.publish(Self.producer(3), at: 6) == .blocked)
        // No room yet: nobody is admitted.
        #expect(queue.admitBlocked(at: 7) { current.contains($0.id) } == nil)
        _ = queue.take(at: 10)
        #expect(queue.admitBlocked(at: 10) { current.contains($0.id) } == Self.producer(2))
        current.remove(2)
        #expect(queue.admitBlocked(at: 10) { current.contains($0.id) } == nil)
        #expect(queue.oldest == MessageQueue.Message(enqueuedAt: 10))
    }

    @Test func `a blocked producer whose wait timed out is skipped when room comes`() {
        var queue = Self.queue(capacity: 1, whenFull: .block, blockTimeout: .seconds(1))
        let current: Set<Int32> = [3]
        _ = queue.publish(Self.producer(1), at: 0)
        _ = queue.publish(Self.producer(2), at: 1)
        _ = queue.publish(Self.producer(3), at: 2)
        // Producer 2's timeout fired: the simulation counts it, and its wait is no longer current.
        queue.blockTimedOut()
        #expect(queue.interval.blockTimeouts == 1)
        _ = queue.take(at: 1_000_000_001)
        #expect(queue.admitBlocked(at: 1_000_000_001) { current.contains($0.id) } == Self.producer(3))
        #expect(queue.depth == 1)
    }

    @Test func `a message expires at the very nanosecond its age reaches the time to live`() {
        var queue = Self.queue(timeToLive: Interval(nanoseconds: 100))
        _ = queue.publish(Self.producer(1), at: 1_000)
        _ = queue.publish(Self.producer(2), at: 1_050)
        #expect(queue.headExpiry == 1_100)
        // One nanosecond before, it is still delivered; a copy of the queue at the instant itself is not.
        var atTheInstant = queue
        #expect(queue.take(at: 1_099)?.message.enqueuedAt == 1_000)
        #expect(atTheInstant.take(at: 1_100)?.message.enqueuedAt == 1_050)
        #expect(atTheInstant.interval.expired == 1)
        #expect(queue.interval.expired == 0)
        #expect(queue.headExpiry == 1_150)
        #expect(queue.expire(at: 1_149) == 0)
        #expect(queue.expire(at: 1_150) == 1)
        #expect(queue.depth == 0 && queue.interval.expired == 1 && queue.interval.delivered == 1)
    }

    @Test func `expiry makes room, so a full queue takes a new message after its oldest expired`() {
        var queue = Self.queue(capacity: 1, timeToLive: Interval(nanoseconds: 10))
        _ = queue.publish(Self.producer(1), at: 0)
        #expect(queue.publish(Self.producer(2), at: 9) == .rejected)
        #expect(queue.publish(Self.producer(3), at: 10) == .enqueued)
        #expect(queue.interval.expired == 1 && queue.interval.rejected == 1)
    }

    @Test func `a failed message goes back to the head until its last delivery, then it is dead-lettered`() {
        var queue = Self.queue(maximumDeliveries: 2)
        _ = queue.publish(Self.producer(1), at: 1)
        _ = queue.publish(Self.producer(2), at: 2)
        let first = queue.take(at: 3)!
        #expect(queue.fail(first.slot, at: 4) == .requeued)
        let again = queue.take(at: 5)!
        #expect(again.message == MessageQueue.Message(enqueuedAt: 1, deliveries: 2))
        #expect(queue.fail(again.slot, at: 6) == .deadLettered)
        #expect(queue.interval.deadLettered == 1 && queue.interval.delivered == 2)
        let second = queue.take(at: 7)!
        #expect(second.message.enqueuedAt == 2)
        queue.acknowledge(second.slot)
        #expect(queue.interval.consumed == 1)
    }

    @Test func `a failed message is dead-lettered when the queue is full`() {
        var queue = Self.queue(capacity: 1, maximumDeliveries: 5)
        _ = queue.publish(Self.producer(1), at: 1)
        let taken = queue.take(at: 2)!
        _ = queue.publish(Self.producer(2), at: 3)
        #expect(queue.fail(taken.slot, at: 4) == .deadLettered)
        #expect(queue.depth == 1)
    }

    @Test func `the queue reports that it filled, and that it drained with what it turned away meanwhile`() {
        var queue = Self.queue(capacity: 2)
        _ = queue.publish(Self.producer(1), at: 10)
        #expect(queue.takeLevelChange() == nil)
        _ = queue.publish(Self.producer(2), at: 20)
        #expect(queue.takeLevelChange() == .filled)
        _ = queue.publish(Self.producer(3), at: 30)
        _ = queue.take(at: 40)
        #expect(queue.takeLevelChange() == nil)
        _ = queue.take(at: 50)
        #expect(queue.takeLevelChange() == .drained(since: 20, rejected: 1, dropped: 0, blocked: 0))
    }

    @Test func `the interval's depth is time-weighted, with its largest value`() {
        var queue = Self.queue(capacity: 10)
        _ = queue.publish(Self.producer(1), at: 0)    // depth 1 from 0
        _ = queue.publish(Self.producer(2), at: 50)   // depth 2 from 50
        _ = queue.take(at: 75)                        // depth 1 from 75
        let report = queue.endInterval(at: 100, span: 100)
        // (1 × 50 + 2 × 25 + 1 × 25) / 100
        #expect(report.meanDepth == 1.25)
        #expect(report.maximum == 2)
        #expect(report.counts.enqueued == 2 && report.counts.delivered == 1)
        #expect(queue.interval == MessageQueue.Counts())
        #expect(queue.endInterval(at: 200, span: 100).meanDepth == 1)
    }

    @Test func `counts before the warm-up ends stay out of the totals`() {
        var queue = MessageQueue(spec: MessageQueueSpec(name: "orders", capacity: 5, consumer: "workers"), isPastWarmup: false)
        _ = queue.publish(Self.producer(1), at: 0)
        queue.endWarmup(at: 10)
        _ = queue.publish(Self.producer(2), at: 20)
        #expect(queue.interval.enqueued == 2)
        #expect(queue.total.enqueued == 1)
        #expect(queue.totalMaximum == 2)
    }
}
