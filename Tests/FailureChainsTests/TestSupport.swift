import FailureChains
import SimulationKernel

/// A sink that keeps everything in memory, for tests.
final class RecordingSink: ObservationSink {
    var intervals: [(start: Instant, rows: [MetricRow])] = []
    var changes: [StateChange] = []

    func intervalEnded(start: Instant, rows: [MetricRow]) { intervals.append((start, rows)) }
    func stateChanged(_ change: StateChange) { changes.append(change) }

    /// The values of one metric of one component, by interval start in seconds.
    func series(_ component: String, _ metric: String) -> [(time: Double, value: Double)] {
        intervals.compactMap { interval in
            interval.rows.first { $0.component == component && $0.metric == metric }.map { (interval.start.seconds, $0.value.doubleValue) }
        }
    }

    /// The state changes of one kind, optionally for components starting with a prefix.
    func events(_ event: String, of component: String? = nil) -> [StateChange] {
        changes.filter { change in
            change.event == event && (component.map { change.component == $0 || change.component.hasPrefix($0 + "[") } ?? true)
        }
    }
}

/// Runs a model, returning the result and what it observed.
func simulate(_ model: SystemModel) -> (result: RunResult, sink: RecordingSink) {
    let sink = RecordingSink()
    let result = ChainSimulation(model: model, sink: sink).run()
    return (result, sink)
}

/// Run settings for tests: the given duration, 1 s intervals, no warm-up.
func testRun(seconds: Int64, seed: UInt64 = 1, interval: Interval = .seconds(1)) -> RunSettings {
    RunSettings(duration: .seconds(seconds), warmup: .zero, seed: seed, interval: interval, maximumEvents: 100_000_000, endAfterCompletions: nil)
}
