import SimulationKernel
import Testing

/// A tiny model: a ticker that reschedules itself every `period` nanoseconds.
private final class Ticker: EventDrivenModel {
    var eventQueue = EventQueue<Int>()
    var isStopRequested = false
    var handled: [Int64] = []
    let period: Int64
    let stopAfter: Int

    init(period: Int64, stopAfter: Int = .max) {
        self.period = period
        self.stopAfter = stopAfter
        eventQueue.schedule(0, at: .zero)
    }

    func handle(_ event: Int, at time: Instant) {
        handled.append(time.nanoseconds)
        if handled.count >= stopAfter { isStopRequested = true }
        eventQueue.schedule(event + 1, at: Instant(nanoseconds: time.nanoseconds + period))
    }

    func fingerprintIngredients(of event: Int) -> (kind: UInt32, component: UInt32) { (1, UInt32(event)) }
}

struct RunLoopTests {
    @Test func `a run stops at its end time and runs events due exactly then`() {
        let ticker = Ticker(period: 10)
        let outcome = RunLoop.run(ticker, until: Instant(nanoseconds: 100), eventLimit: 1_000)
        #expect(outcome.stopReason == .endTime)
        #expect(outcome.endTime == Instant(nanoseconds: 100))
        #expect(ticker.handled == Array(stride(from: 0, through: 100, by: 10)))
        #expect(outcome.eventCount == 11)
    }

    @Test func `the event limit stops a runaway model and says so`() {
        let ticker = Ticker(period: 1)
        let outcome = RunLoop.run(ticker, until: .distantFuture, eventLimit: 500)
        #expect(outcome.stopReason == .eventLimit)
        #expect(outcome.eventCount == 500)
        #expect(outcome.endTime == Instant(nanoseconds: 499))
    }

    @Test func `a model may ask to stop`() {
        let ticker = Ticker(period: 3, stopAfter: 7)
        let outcome = RunLoop.run(ticker, until: .distantFuture, eventLimit: 1_000)
        #expect(outcome.stopReason == .stopRequested)
        #expect(outcome.eventCount == 7)
        #expect(outcome.endTime == Instant(nanoseconds: 18))
    }

    @Test func `a run with nothing left to do ends as exhausted`() {
        final class Once: EventDrivenModel {
            var eventQueue = EventQueue<Int>()
            var isStopRequested = false
            init() { eventQueue.schedule(1, at: Instant(nanoseconds: 5)) }
            func handle(_ event: Int, at time: Instant) {}
            func fingerprintIngredients(of event: Int) -> (kind: UInt32, component: UInt32) { (0, 0) }
        }
        let outcome = RunLoop.run(Once(), until: Instant(nanoseconds: 1_000), eventLimit: 10)
        #expect(outcome.stopReason == .exhausted)
        #expect(outcome.endTime == Instant(nanoseconds: 5))
    }

    @Test func `the same run gives the same fingerprint and a different one differs`() {
        let first = RunLoop.run(Ticker(period: 10), until: Instant(nanoseconds: 1_000), eventLimit: 1_000)
        let second = RunLoop.run(Ticker(period: 10), until: Instant(nanoseconds: 1_000), eventLimit: 1_000)
        let other = RunLoop.run(Ticker(period: 11), until: Instant(nanoseconds: 1_000), eventLimit: 1_000)
        #expect(first.fingerprint == second.fingerprint)
        #expect(first.fingerprint != other.fingerprint)
        #expect(first.fingerprint.hexadecimal.count == 16)
    }

    @Test func `progress is reported every so many events`() {
        var reports: [UInt64] = []
        _ = RunLoop.run(Ticker(period: 1), until: Instant(nanoseconds: 99), eventLimit: 1_000, progressEvery: 25) { _, count in
            reports.append(count)
        }
        #expect(reports == [25, 50, 75, 100])
    }
}
