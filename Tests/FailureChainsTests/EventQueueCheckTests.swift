import SimulationKernel
import Testing

/// The debug build's check that no event is scheduled in the past. It lives in the kernel's
/// `EventQueue`, but only `make test`'s debug pass runs this target, so it is tested here.
struct EventQueueCheckTests {
    @Test func `an event scheduled at the instant being handled, or later, is accepted`() {
        let queue = EventQueue<Int>()
        queue.schedule(1, at: Instant(nanoseconds: 10))
        _ = queue.popFirst(notAfter: .distantFuture)
        queue.schedule(2, at: Instant(nanoseconds: 10))
        queue.schedule(3, at: Instant(nanoseconds: 11))
        var values: [Int] = []
        while let (_, value) = queue.popFirst(notAfter: .distantFuture) { values.append(value) }
        #expect(values == [2, 3])
    }

    #if DEBUG
    @Test func `a debug build stops when an event is scheduled before the one being handled`() async {
        await #expect(processExitsWith: .failure) {
            let queue = EventQueue<Int>()
            queue.schedule(1, at: Instant(nanoseconds: 10))
            _ = queue.popFirst(notAfter: .distantFuture)
            queue.schedule(2, at: Instant(nanoseconds: 9))
        }
    }
    #endif
}
