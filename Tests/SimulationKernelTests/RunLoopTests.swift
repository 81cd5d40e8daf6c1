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

/// A model that names its events' fingerprint numbers one way when it handles them in one call
/// (`handleFingerprinted`) and another when asked first (`fingerprintIngredients`), so that a
/// test can tell which path a run took.
private final class TwoWayNamer: EventDrivenModel {
    var eventQueue = EventQueue<Int>()
    var isStopRequested = false
    var handled = 0

    init() { eventQueue.schedule(0, at: .zero) }

    func handle(_ event: Int, at time: Instant) {
        handled += 1
        if event < 9 { eventQueue.schedule(event + 1, at: time + Interval(nanoseconds: 5)) }
    }

    func fingerprintIngredients(of event: Int) -> (kind: UInt32, component: UInt32) { (1, UInt32(event)) }

    func handleFingerprinted(_ event: Int, at time: Instant) -> (kind: UInt32, component: UInt32) {
        handle(event, at: time)
        return (2, UInt32(event))
    }
}

/// An observer that lets every event run.
private struct PassThrough: RunObserver {
    var shown = 0
    mutating func willHandle(_ event: Int, number: UInt64, time: Instant, kind: UInt32, component: UInt32,
                             of model: TwoWayNamer) -> RunObserverDecision {
        shown += 1
        return .handle
    }
}

extension RunLoopTests {
    @Test func `a plain run handles and names each event in one call, an observed run asks for the names first`() {
        func expected(kind: UInt32) -> Fingerprint {
            var fingerprint = Fingerprint()
            for event in 0..<10 { fingerprint.record(time: Instant(nanoseconds: Int64(event) * 5), kind: kind, component: UInt32(event)) }
            return fingerprint
        }
        let plain = TwoWayNamer()
        let plainOutcome = RunLoop.run(plain, until: .distantFuture, eventLimit: 100)
        #expect(plain.handled == 10)
        #expect(plainOutcome.fingerprint == expected(kind: 2))

        let observed = TwoWayNamer()
        var observer = PassThrough()
        let observedOutcome = RunLoop.run(observed, until: .distantFuture, eventLimit: 100, observer: &observer)
        #expect(observed.handled == 10)
        #expect(observer.shown == 10)
        #expect(observedOutcome.fingerprint == expected(kind: 1))
    }

    @Test func `a model that only names its events first is fingerprinted by those names on the plain path`() {
        // Ticker has no `handleFingerprinted` of its own: the protocol's asks `fingerprintIngredients`, then handles.
        let ticker = Ticker(period: 7)
        let outcome = RunLoop.run(ticker, until: Instant(nanoseconds: 700), eventLimit: 1_000)
        #expect(ticker.handled.count == 101)
        var fingerprint = Fingerprint()
        for event in 0...100 { fingerprint.record(time: Instant(nanoseconds: Int64(event) * 7), kind: 1, component: UInt32(event)) }
        #expect(outcome.fingerprint == fingerprint)
    }
}
