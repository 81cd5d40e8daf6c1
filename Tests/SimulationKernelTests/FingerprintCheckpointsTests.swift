import SimulationKernel
import Testing

/// A model that runs `total` events, one a nanosecond, each of a kind and component that depend
/// on its number, so that two runs differ from the event where their `salt` starts to matter.
private final class Counter: EventDrivenModel {
    var eventQueue = EventQueue<UInt32>()
    var isStopRequested = false
    let changesFrom: UInt32

    init(changesFrom: UInt32 = .max) {
        self.changesFrom = changesFrom
        eventQueue.schedule(1, at: .zero)
    }

    func handle(_ event: UInt32, at time: Instant) {
        eventQueue.schedule(event + 1, at: Instant(nanoseconds: time.nanoseconds + 1))
    }

    func fingerprintIngredients(of event: UInt32) -> (kind: UInt32, component: UInt32) {
        (event >= changesFrom ? 2 : 1, event % 7)
    }
}

/// Records every event it is shown, and stops where it is told to.
private struct Recorder: RunObserver {
    var seen: [(number: UInt64, kind: UInt32, component: UInt32)] = []
    var stopAt: UInt64 = .max
    var decisionAtStop = RunObserverDecision.stop

    mutating func willHandle(_ event: UInt32, number: UInt64, time: Instant, kind: UInt32, component: UInt32,
                             of model: Counter) -> RunObserverDecision {
        if number == stopAt { return decisionAtStop }
        seen.append((number, kind, component))
        return .handle
    }
}

struct FingerprintCheckpointsTests {
    /// The run's checkpoints, and the fingerprint after each event computed independently.
    private func run(_ events: UInt64, changesFrom: UInt32 = .max) -> (checkpoints: FingerprintCheckpoints, prefixes: [Fingerprint]) {
        let outcome = RunLoop.run(Counter(changesFrom: changesFrom), until: .distantFuture, eventLimit: events)
        var fingerprint = Fingerprint()
        var prefixes = [fingerprint]
        let model = Counter(changesFrom: changesFrom)
        for number in 1...events {
            let (kind, component) = model.fingerprintIngredients(of: UInt32(number))
            fingerprint.record(time: Instant(nanoseconds: Int64(number) - 1), kind: kind, component: component)
            prefixes.append(fingerprint)
        }
        #expect(outcome.fingerprint == fingerprint)
        return (outcome.checkpoints, prefixes)
    }

    static let lengths: [UInt64] = [1_000, 1_024, 32_768, 32_769, 33_792, 100_000, 581_372]

    @Test(arguments: lengths)
    func `the interval is the smallest power of two from 1024 that gives at most 32 checkpoints`(events: UInt64) {
        let (checkpoints, prefixes) = run(events)
        var expected: UInt64 = 1_024
        while events / expected > 32 { expected *= 2 }
        #expect(checkpoints.interval == expected)
        #expect(checkpoints.entries.count == Int(events / expected))
        for (index, entry) in checkpoints.entries.enumerated() {
            let count = expected * UInt64(index + 1)
            #expect(entry.eventCount == count)
            #expect(entry.time == Instant(nanoseconds: Int64(count) - 1))
            #expect(entry.fingerprint == prefixes[Int(count)], "checkpoint \(index) is not the fingerprint after event \(count)")
            #expect(checkpoints.checkpoint(at: count) == entry)
        }
        #expect(checkpoints.checkpoint(at: expected * UInt64(checkpoints.entries.count + 1)) == nil)
    }

    @Test func `the same events give the same checkpoints`() {
        #expect(run(200_000).checkpoints == run(200_000).checkpoints)
    }

    @Test func `checkpoints agree up to the first different event and differ from it`() {
        let same = run(50_000).checkpoints
        let changed = run(50_000, changesFrom: 20_000).checkpoints
        #expect(same.interval == changed.interval)
        for (left, right) in zip(same.entries, changed.entries) {
            #expect((left.fingerprint == right.fingerprint) == (left.eventCount < 20_000), "at event \(left.eventCount)")
        }
    }

    @Test func `an observer sees every event with its number, kind and component, and the run is unchanged`() {
        var recorder = Recorder()
        let observed = RunLoop.run(Counter(), until: .distantFuture, eventLimit: 5_000, observer: &recorder)
        let plain = RunLoop.run(Counter(), until: .distantFuture, eventLimit: 5_000)
        #expect(observed.fingerprint == plain.fingerprint)
        #expect(observed.checkpoints == plain.checkpoints)
        #expect(recorder.seen.map(\.number) == Array(1...5_000))
        #expect(recorder.seen[9].component == 10 % 7)
    }

    @Test func `an observer stops a run before an event or after it`() {
        var before = Recorder(stopAt: 100, decisionAtStop: .stop)
        let stoppedBefore = RunLoop.run(Counter(), until: .distantFuture, eventLimit: 5_000, observer: &before)
        #expect(stoppedBefore.eventCount == 99)
        #expect(stoppedBefore.stopReason == .stopRequested)
        var after = Recorder(stopAt: 100, decisionAtStop: .handleThenStop)
        let stoppedAfter = RunLoop.run(Counter(), until: .distantFuture, eventLimit: 5_000, observer: &after)
        #expect(stoppedAfter.eventCount == 100)
        #expect(stoppedAfter.endTime == Instant(nanoseconds: 99))
    }
}
