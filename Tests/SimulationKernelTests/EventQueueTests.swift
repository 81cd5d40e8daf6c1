import SimulationKernel
import Testing

struct EventQueueTests {
    @Test func `events come out in time order`() {
        var queue = EventQueue<Int>()
        for (index, time) in [50, 10, 40, 20, 30].enumerated() {
            queue.schedule(index, at: Instant(nanoseconds: Int64(time)))
        }
        var times: [Int64] = []
        while let (time, _) = queue.popFirst(notAfter: .distantFuture) { times.append(time.nanoseconds) }
        #expect(times == [10, 20, 30, 40, 50])
    }

    @Test func `events at the same instant run first scheduled first`() {
        var queue = EventQueue<Int>()
        for value in 0..<100 { queue.schedule(value, at: Instant(nanoseconds: 7)) }
        var values: [Int] = []
        while let (_, value) = queue.popFirst(notAfter: .distantFuture) { values.append(value) }
        #expect(values == Array(0..<100))
    }

    @Test func `a cancelled event is skipped when it comes due`() {
        var queue = EventQueue<String>()
        queue.schedule("a", at: Instant(nanoseconds: 1))
        let handle = queue.schedule("b", at: Instant(nanoseconds: 2))
        queue.schedule("c", at: Instant(nanoseconds: 3))
        queue.cancel(handle)
        #expect(queue.pendingCount == 2)
        var values: [String] = []
        while let (_, value) = queue.popFirst(notAfter: .distantFuture) { values.append(value) }
        #expect(values == ["a", "c"])
        #expect(queue.isEmpty)
    }

    @Test func `nothing after the limit is returned`() {
        var queue = EventQueue<Int>()
        queue.schedule(1, at: Instant(nanoseconds: 10))
        queue.schedule(2, at: Instant(nanoseconds: 11))
        #expect(queue.popFirst(notAfter: Instant(nanoseconds: 10))?.event == 1)
        #expect(queue.popFirst(notAfter: Instant(nanoseconds: 10)) == nil)
        #expect(queue.pendingCount == 1)
    }

    @Test(arguments: 0..<20)
    func `random schedules and cancellations pop in (time, sequence) order`(seed: UInt64) {
        var stream = RandomStream(seed: seed, component: "queue", purpose: "test")
        var queue = EventQueue<Int>()
        var expected: [(time: Int64, sequence: Int)] = []
        var handles: [(EventHandle, Int)] = []
        var cancelled = Set<Int>()
        for sequence in 0..<2_000 {
            let time = Int64(stream.next(below: 500))
            handles.append((queue.schedule(sequence, at: Instant(nanoseconds: time)), sequence))
            expected.append((time, sequence))
            if stream.next(below: 4) == 0, let (handle, victim) = handles.randomElementDeterministic(&stream), !cancelled.contains(victim) {
                queue.cancel(handle)
                cancelled.insert(victim)
            }
        }
        let order = expected.filter { !cancelled.contains($0.sequence) }
            .sorted { $0.time < $1.time || ($0.time == $1.time && $0.sequence < $1.sequence) }
            .map(\.sequence)
        var popped: [Int] = []
        while let (_, value) = queue.popFirst(notAfter: .distantFuture) { popped.append(value) }
        #expect(popped == order)
    }

    @Test func `a queue grown past its first thousand entries keeps every event and its order`() {
        let queue = EventQueue<String>()
        for value in 0..<5_000 { queue.schedule("event \(4_999 - value)", at: Instant(nanoseconds: Int64(4_999 - value))) }
        #expect(queue.storedCount == 5_000)
        #expect(queue.reservedBytes >= 5_000 * 32)
        var values: [String] = []
        while let (_, value) = queue.popFirst(notAfter: .distantFuture) { values.append(value) }
        #expect(values == (0..<5_000).map { "event \($0)" })
        #expect(queue.storedCount == 0)
    }

    @Test func `a cancelled event at the top is dropped by the due check and counted out of the pending ones`() {
        let queue = EventQueue<Int>()
        let first = queue.schedule(1, at: Instant(nanoseconds: 5))
        queue.schedule(2, at: Instant(nanoseconds: 20))
        queue.cancel(first)
        #expect(queue.pendingCount == 1)
        #expect(queue.storedCount == 2)
        #expect(!queue.hasEventDue(notAfter: Instant(nanoseconds: 10)))
        #expect(queue.storedCount == 1)
        #expect(queue.pendingCount == 1)
        #expect(queue.hasEventDue(notAfter: Instant(nanoseconds: 20)))
        #expect(queue.popFirst(notAfter: .distantFuture)?.event == 2)
        #expect(queue.isEmpty)
    }

    @Test(arguments: [(Int64(10), Int64(10), true), (11, 10, true), (Int64.max, 0, true), (0, Int64.min, true),
                      (9, 10, false), (Int64.min, 0, false), (0, 1, false)])
    func `an event may be scheduled at the current instant or later, never earlier`(time: Int64, now: Int64, allowed: Bool) {
        #expect(EventQueue<Int>.isSchedulable(Instant(nanoseconds: time), now: Instant(nanoseconds: now)) == allowed)
    }
}

extension Array {
    func randomElementDeterministic(_ stream: inout RandomStream) -> Element? {
        isEmpty ? nil : self[Int(stream.next(below: UInt64(count)))]
    }
}
