import FailureChains
import SimulationKernel
import Testing

/// A sink that keeps everything in memory, for tests.
///
/// Its queries fail the test (they record an issue at the caller) on a name the run cannot have
/// produced, so that an assertion over what they return cannot hold vacuously after a rename:
/// `series` on a component or metric no interval wrote, `events` and `count(of:)` on an event
/// `MetricCatalogue` does not declare or a component the run never named.
final class RecordingSink: ObservationSink {
    var intervals: [(start: Instant, rows: [MetricRow])] = []
    var changes: [StateChange] = []

    func intervalEnded(start: Instant, rows: [MetricRow]) { intervals.append((start, rows)) }
    func stateChanged(_ change: StateChange) { changes.append(change) }

    /// The values of one metric of one component, by interval start in seconds.
    ///
    /// Records an issue if the metric is not a `series.csv` metric of `MetricCatalogue`, or if no
    /// interval of the run wrote it for the component.
    func series(_ component: String, _ metric: String,
                sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [(time: Double, value: Double)] {
        if !MetricCatalogue.seriesMetrics.contains(where: { $0.suffix(of: metric) != nil }) {
            Issue.record("'\(metric)' is not a series.csv metric of MetricCatalogue", sourceLocation: sourceLocation)
            return []
        }
        let values = intervals.compactMap { interval in
            interval.rows.first { $0.component == component && $0.metric == metric }.map { (interval.start.seconds, $0.value.doubleValue) }
        }
        if values.isEmpty {
            let known = componentNames.contains(component)
            Issue.record(known ? "no interval wrote '\(metric)' for '\(component)'"
                               : "the run wrote no rows for a component '\(component)'", sourceLocation: sourceLocation)
        }
        return values
    }

    /// The state changes of one kind, optionally for a component and its instances and entry points
    /// (`web` matches `web[2]` and `web[2].http`).
    ///
    /// Records an issue if the event is not an event of `MetricCatalogue`, or if the component is
    /// not one the run wrote rows or events for. An empty answer then means no such event happened.
    func events(_ event: String, of component: String? = nil,
                sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [StateChange] {
        if MetricCatalogue.event(named: event) == nil {
            Issue.record("'\(event)' is not an event of MetricCatalogue", sourceLocation: sourceLocation)
        }
        if let component, !componentNames.contains(component) {
            Issue.record("the run wrote no rows or events for a component '\(component)'", sourceLocation: sourceLocation)
        }
        return changes.filter { change in
            change.event == event && (component.map { change.component == $0 || change.component.hasPrefix($0 + "[") } ?? true)
        }
    }

    /// How many times an event happened, optionally for a component (as `events` matches it);
    /// `count(of: "instanceCrashed") == 0` says no instance crashed, and fails the test if
    /// `instanceCrashed` is not a catalogue event.
    func count(of event: String, in component: String? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Int {
        events(event, of: component, sourceLocation: sourceLocation).count
    }

    /// Every component the run wrote a row or an event for.
    private var componentNames: Set<String> {
        Set(intervals.flatMap { $0.rows.map(\.component) }).union(changes.map(\.component))
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

extension Collection where Element == (time: Double, value: Double) {
    /// Whether every row of a window of a series satisfies a predicate; an empty window (on which
    /// `allSatisfy` holds whatever it claims, say a window past the run's end) fails the test.
    func everyRow(sourceLocation: Testing.SourceLocation = #_sourceLocation, _ predicate: (Element) -> Bool) -> Bool {
        if isEmpty { Issue.record("the window of the series holds no rows", sourceLocation: sourceLocation) }
        return allSatisfy(predicate)
    }
}
