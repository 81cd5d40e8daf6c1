import FailureChains
import Reporting
import SimulationKernel

/// Evaluates expectations against a run's files read back, as `check` does against the run
/// itself: the rows and events are replayed through a `SeriesRecorder`.
public enum RunFolderExpectations {
    /// How each expectation fares against the files.
    public static func evaluate(_ expectations: [Expectation], contents: RunFolderContents) -> [ExpectationResult] {
        let recorder = SeriesRecorder(keepingWhat: expectations, forwardingTo: DiscardingSink())
        var rows: [Int64: [MetricRow]] = [:]
        for (key, series) in contents.series {
            let parts = key.split(separator: "\u{1}", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            for (time, value) in zip(series.times, series.values) {
                rows[time, default: []].append(MetricRow(component: parts[0], metric: parts[1], value: .real(value)))
            }
        }
        for time in rows.keys.sorted() {
            recorder.intervalEnded(start: Instant(nanoseconds: time), rows: rows[time]!)
        }
        for event in contents.events { recorder.stateChanged(event) }
        return ExpectationChecker.evaluate(expectations, summary: contents.summary, recorder: recorder)
    }
}
