import FailureChains
import SimulationKernel

/// How one expectation fared against a run.
public struct ExpectationResult: Sendable, Equatable {
    /// The expectation.
    public var expectation: Expectation
    /// The value measured, or `nil` when the run has no data for it.
    public var measured: Double?
    /// Whether the expectation holds.
    public var passed: Bool
    /// One line: `TEXT (measured V)` when it holds;
    /// `LOCATION: expectation failed: TEXT (measured V)` when it does not, with the reason in place of
    /// the measured value when there is no data (`(no rows of successRatio for kiosks in the window)`).
    public var message: String

    /// Creates a result.
    public init(expectation: Expectation, measured: Double?, passed: Bool, message: String) {
        self.expectation = expectation
        self.measured = measured
        self.passed = passed
        self.message = message
    }
}

/// Evaluates a model's expectations against a finished run.
public enum ExpectationChecker {
    /// Measures each expectation and compares.
    ///
    /// - Series: the rows whose interval starts at t with from ≤ t < to (a missing bound is open),
    ///   reduced by the aggregate (`mean` is the mean of the row values; `first` and `last` go by
    ///   time). No row in the window fails the expectation.
    /// - Summary: the row for the component and metric; none fails the expectation.
    /// - Events: the number of kept state changes with time t, from ≤ t < to.
    ///
    /// - Parameters:
    ///   - expectations: The expectations, in model order.
    ///   - summary: The run's summary rows.
    ///   - recorder: The recorder that the run's observations went through.
    /// - Returns: One result per expectation, in the same order.
    public static func evaluate(_ expectations: [Expectation], summary: [MetricRow], recorder: SeriesRecorder) -> [ExpectationResult] {
        expectations.map { evaluate($0, summary: summary, recorder: recorder) }
    }

    static func evaluate(_ expectation: Expectation, summary: [MetricRow], recorder: SeriesRecorder) -> ExpectationResult {
        let measured: Double
        switch expectation.subject {
        case .series(let component, let metric, let from, let to, let aggregate):
            let values = recorder.series(component: component, metric: metric)
                .filter { isInWindow($0.start, from: from, to: to) }
                .map(\.value)
            guard let value = reduce(values, by: aggregate) else {
                return missing(expectation, reason: "no rows of \(metric) for \(component) in the window")
            }
            measured = value
        case .summary(let component, let metric):
            guard let row = summary.first(where: { $0.component == component && $0.metric == metric }) else {
                return missing(expectation, reason: "no such summary metric")
            }
            measured = row.value.doubleValue
        case .events(let component, let event, let from, let to):
            measured = Double(recorder.eventTimes(component: component, event: event)
                .count { isInWindow($0, from: from, to: to) })
        }
        let passed = expectation.comparison.holds(for: measured)
        let detail = "\(expectation.text) (measured \(NumberText.decimal(measured)))"
        return ExpectationResult(expectation: expectation, measured: measured, passed: passed,
                                 message: passed ? detail : "\(expectation.location): expectation failed: \(detail)")
    }

    /// Whether a time lies in [from, to), bounds measured from the start of the run.
    static func isInWindow(_ time: Instant, from: Interval?, to: Interval?) -> Bool {
        if let from, time.nanoseconds < from.nanoseconds { return false }
        if let to, time.nanoseconds >= to.nanoseconds { return false }
        return true
    }

    /// The values reduced to one, or `nil` when there are none.
    static func reduce(_ values: [Double], by aggregate: Expectation.Aggregate) -> Double? {
        guard let first = values.first, let last = values.last else { return nil }
        switch aggregate {
        case .mean: return values.reduce(0, +) / Double(values.count)
        case .minimum: return values.min()
        case .maximum: return values.max()
        case .sum: return values.reduce(0, +)
        case .first: return first
        case .last: return last
        }
    }

    private static func missing(_ expectation: Expectation, reason: String) -> ExpectationResult {
        ExpectationResult(expectation: expectation, measured: nil, passed: false,
                          message: "\(expectation.location): expectation failed: \(expectation.text) (\(reason))")
    }
}
