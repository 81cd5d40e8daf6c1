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
    /// The limit that cut the run short, if one did.
    public var limit: RunLimit?
    /// What the limit measured when it stopped the run: `10000001 live requests, more than run.maximumLiveRequests allows (10000000)`.
    public var limitDetail = EventText()

    /// Creates a result.
    public init(outcome: RunOutcome, summary: [MetricRow], inFlightAtEnd: Int, measuredSpan: Interval) {
        self.outcome = outcome
        self.summary = summary
        self.inFlightAtEnd = inFlightAtEnd
        self.measuredSpan = measuredSpan
    }

    /// The summary value of a metric of a component, if the run reported it.
    public func value(_ metric: String, of component: String) -> Double? {
        summary.first { $0.component == component && $0.metric == metric }?.value.doubleValue
    }
}
