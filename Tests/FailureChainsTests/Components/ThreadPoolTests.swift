import FailureChains
import Testing

/// The thread pool alone, driven with explicit times in nanoseconds.
struct ThreadPoolTests {
    static let second: Int64 = 1_000_000_000

    @Test func `a request takes a free thread and the last one starts the saturation`() {
        var pool = ThreadPool(threads: 2, queueCapacity: 4)
        #expect(pool.hasFreeThread)
        pool.takeThread(at: 1 * Self.second)
        #expect(pool.busy == 1 && pool.saturatedSince == -1)
        pool.takeThread(at: 3 * Self.second)
        #expect(pool.busy == 2 && !pool.hasFreeThread)
        #expect(pool.saturatedSince == 3 * Self.second)
    }

    @Test func `a freed thread goes to the oldest waiter first`() {
        var pool = ThreadPool(threads: 1, queueCapacity: 10)
        pool.takeThread(at: 0)
        for request in Int32(7)...9 { _ = pool.enqueue(RequestID(rawValue: request), at: 0, noticeAfter: Self.second) }
        #expect(pool.popOldest()?.rawValue == 7)
        #expect(pool.popOldest()?.rawValue == 8)
        #expect(pool.popOldest()?.rawValue == 9)
        #expect(pool.popOldest() == nil)
        #expect(pool.busy == 1, "handing a thread to a waiter keeps it busy")
    }

    @Test func `the queue's length is counted beside the pool as requests join, leave and are dropped`() {
        var pool = ThreadPool(threads: 1, queueCapacity: 10)
        pool.takeThread(at: 0)
        for request in Int32(1)...3 { _ = pool.enqueue(RequestID(rawValue: request), at: 0, noticeAfter: Self.second) }
        #expect(pool.queued == 3 && pool.waiting.count == 3)
        _ = pool.popOldest()
        #expect(pool.queued == 2 && pool.waiting.count == 2)
        pool.reset()
        #expect(pool.queued == 0 && pool.waiting.count == 0)
        #expect(pool.popOldest() == nil && pool.queued == 0)
    }

    @Test func `the queue fills once, refuses while full and recovers at half its capacity`() {
        var pool = ThreadPool(threads: 1, queueCapacity: 4)
        pool.takeThread(at: 0)
        var fills = 0
        for request in Int32(0)..<4 {
            #expect(pool.hasQueueRoom)
            if pool.enqueue(RequestID(rawValue: request), at: 0, noticeAfter: Self.second).didFill { fills += 1 }
        }
        #expect(fills == 1 && pool.isQueueFull && !pool.hasQueueRoom)
        pool.refuseWhileFull()
        pool.refuseWhileFull()
        _ = pool.popOldest()
        #expect(pool.recoverQueue() == nil, "three of four waiting is not yet half")
        _ = pool.popOldest()
        let recovery = pool.recoverQueue()
        #expect(recovery?.waiting == 2 && recovery?.refusedWhileFull == 2)
        #expect(!pool.isQueueFull && pool.refusedWhileFull == 0)
        #expect(pool.recoverQueue() == nil, "a queue recovers once")
    }

    @Test func `an arrival is shed when no thread is free and the queue is at the shedding length`() {
        var pool = ThreadPool(threads: 1, queueCapacity: 100, shedQueueLength: 2)
        #expect(pool.shedsByLength && !pool.shedsArrival)
        pool.takeThread(at: 0)
        #expect(!pool.shedsArrival, "an empty queue sheds nothing")
        _ = pool.enqueue(RequestID(rawValue: 1), at: 0, noticeAfter: Self.second)
        #expect(!pool.shedsArrival)
        _ = pool.enqueue(RequestID(rawValue: 2), at: 0, noticeAfter: Self.second)
        #expect(pool.shedsArrival)
        #expect(!ThreadPool(threads: 1, queueCapacity: 1).shedsByLength)
    }

    @Test func `a waiter is overstayed only past the shedding age`() {
        let pool = ThreadPool(threads: 1, queueCapacity: 10, shedQueueAge: 2 * Self.second)
        #expect(pool.shedsByAge)
        #expect(!pool.hasOverstayed(arrival: 1 * Self.second, at: 3 * Self.second), "exactly the age is still allowed")
        #expect(pool.hasOverstayed(arrival: 1 * Self.second, at: 3 * Self.second + 1))
        #expect(!ThreadPool(threads: 1, queueCapacity: 10).shedsByAge)
    }

    @Test func `the saturation is due after a whole interval of waiting, or when the queue fills`() {
        var pool = ThreadPool(threads: 1, queueCapacity: 3)
        pool.takeThread(at: 10 * Self.second)
        #expect(!pool.enqueue(RequestID(rawValue: 1), at: 10 * Self.second + 1, noticeAfter: Self.second).isSaturationDue)
        #expect(!pool.isSaturationOverdue(at: 11 * Self.second - 1, interval: Self.second))
        #expect(pool.isSaturationOverdue(at: 11 * Self.second, interval: Self.second))
        #expect(pool.enqueue(RequestID(rawValue: 2), at: 11 * Self.second, noticeAfter: Self.second).isSaturationDue)
        var filling = ThreadPool(threads: 1, queueCapacity: 1)
        filling.takeThread(at: 0)
        let queued = filling.enqueue(RequestID(rawValue: 1), at: 0, noticeAfter: Self.second)
        #expect(queued.isSaturationDue && queued.didFill)
    }

    @Test func `a recorded saturation ends when a thread rests, with the most that waited`() {
        var pool = ThreadPool(threads: 1, queueCapacity: 10)
        pool.takeThread(at: 5 * Self.second)
        _ = pool.enqueue(RequestID(rawValue: 1), at: 6 * Self.second, noticeAfter: Self.second)
        pool.recordSaturation()
        #expect(pool.isSaturationRecorded && pool.mostWaitingWhileSaturated == 1)
        _ = pool.enqueue(RequestID(rawValue: 2), at: 7 * Self.second, noticeAfter: Self.second)
        _ = pool.enqueue(RequestID(rawValue: 3), at: 7 * Self.second, noticeAfter: Self.second)
        #expect(pool.mostWaitingWhileSaturated == 3)
        while pool.popOldest() != nil {}
        let ended = pool.restThread()
        #expect(ended?.since == 5 * Self.second && ended?.mostWaiting == 3)
        #expect(pool.busy == 0 && pool.saturatedSince == -1 && !pool.isSaturationRecorded)
    }

    @Test func `a saturation never recorded ends silently`() {
        var pool = ThreadPool(threads: 1, queueCapacity: 10)
        pool.takeThread(at: 0)
        #expect(pool.restThread() == nil)
        #expect(pool.saturatedSince == -1 && pool.busy == 0)
    }

    @Test func `the busy area integrates threads over time, and Little's law holds on the queue`() {
        // Two threads busy for 3 s, then one waiter for 2 s: busy 2 × 5 s, queue 1 × 2 s.
        var pool = ThreadPool(threads: 2, queueCapacity: 10)
        pool.takeThread(at: 0)
        pool.takeThread(at: 0)
        pool.accumulate(over: Double(3 * Self.second), pastWarmup: true)
        _ = pool.enqueue(RequestID(rawValue: 1), at: 3 * Self.second, noticeAfter: 100 * Self.second)
        pool.accumulate(over: Double(2 * Self.second), pastWarmup: true)
        #expect(pool.busyThreadTime == Double(10 * Self.second))
        #expect(pool.queuedTime == Double(2 * Self.second))
        // One request waited 2 s in 5 s: mean queue length 0.4 = arrival rate 0.2/s × wait 2 s.
        #expect(pool.queuedTime / Double(5 * Self.second) == 0.2 * 2)
        #expect(pool.takeBusyAreaSinceDecision() == Double(10 * Self.second))
        #expect(pool.takeBusyAreaSinceDecision() == 0)
        pool.startInterval()
        #expect(pool.busyThreadTimeThisInterval == 0 && pool.busyThreadTime == Double(10 * Self.second))
    }

    @Test func `time before the warm-up counts in the interval and not in the total`() {
        var pool = ThreadPool(threads: 1, queueCapacity: 1)
        pool.takeThread(at: 0)
        pool.accumulate(over: 4, pastWarmup: false)
        #expect(pool.busyThreadTimeThisInterval == 4 && pool.busyThreadTime == 0)
    }

    @Test func `a reset empties the pool and forgets the saturation`() {
        var pool = ThreadPool(threads: 1, queueCapacity: 1)
        pool.takeThread(at: 0)
        _ = pool.enqueue(RequestID(rawValue: 1), at: 0, noticeAfter: 1)
        pool.recordSaturation()
        pool.refuseWhileFull()
        pool.reset()
        #expect(pool.busy == 0 && pool.waiting.isEmpty && !pool.isQueueFull && pool.refusedWhileFull == 0)
        #expect(pool.saturatedSince == -1 && !pool.isSaturationRecorded && pool.hasFreeThread)
    }
}
