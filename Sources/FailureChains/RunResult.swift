import SimulationKernel

/// What a run produced that callers keep: how it ended and its whole-run summary.
public struct RunResult: Sendable {
    /// Why and when the loop stopped, its event count and fingerprint.
    public var outcome: RunOutcome
    /// The summary rows, measured from the end of the warm-up to the end of the run.
    public var summary: [MetricRow]
    /// Requests still in flight when the run ended (cut off, not counted as completed).
    public var inFlightAtEnd: Int
    /// The simulated span the summary covers, from the end of the warm-up.
    public var measuredSpan: Interval

    /// The summary value of a metric of a component, if the run reported it.
    public func value(_ metric: String, of component: String) -> Double? {
        summary.first { $0.component == component && $0.metric == metric }?.value.doubleValue
    }
}
