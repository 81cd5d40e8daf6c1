import FailureChains
import ModelFormat
import SimulationKernel

/// One value a study measures in each replication: a component's metric over a window, reduced
/// by an aggregate, named as in `replications.csv` and `study.csv`.
public struct StudyMetricKey: Hashable, Sendable, Comparable {
    /// The component: `shoppers`, `web[2]`.
    public var component: String
    /// The metric or event: `successRatio`.
    public var metric: String
    /// The window: `2m..3m`, `30s..end` (`end` is the end of the run).
    public var window: String
    /// `mean`, `minimum`, `maximum`, `sum`, `first`, `last`, `count` (events), or `summary` (the
    /// `summary.csv` row, which covers the run after its warm-up).
    public var aggregate: String

    /// Creates a key.
    public init(component: String, metric: String, window: String, aggregate: String) {
        self.component = component
        self.metric = metric
        self.window = window
        self.aggregate = aggregate
    }

    /// `shoppers.successRatio@2m..3m:mean`, the key as a selector would write it.
    public var selectorText: String {
        aggregate == "summary" ? "\(component).\(metric)" : "\(component).\(metric)@\(window):\(aggregate)"
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.component, lhs.metric, lhs.window, lhs.aggregate) < (rhs.component, rhs.metric, rhs.window, rhs.aggregate)
    }
}

/// What a study measures: the `--metric` selectors, or, without any, every summary metric.
public struct StudyMeasures: Sendable {
    /// The selectors as checked expectations, their open starts moved to the end of the warm-up;
    /// empty for the summary metrics.
    public let selected: [Expectation]
    /// The key of each selector, in order.
    public let keys: [StudyMetricKey]

    /// The measures of a model's study.
    ///
    /// - Parameters:
    ///   - selected: `LoadedModel.selected`: the `--metric` selectors, checked; empty for every
    ///     summary metric.
    ///   - warmup: The model's warm-up, which an open window starts after.
    public init(selected: [Expectation], warmup: Interval) {
        var adjusted: [Expectation] = []
        var keys: [StudyMetricKey] = []
        func window(_ from: Interval?, _ to: Interval?) -> String {
            "\(Units.format(from ?? warmup))..\(to.map(Units.format) ?? "end")"
        }
        for var expectation in selected {
            switch expectation.subject {
            case .series(let component, let metric, let from, let to, let aggregate):
                expectation.subject = .series(component: component, metric: metric, from: from ?? warmup, to: to, aggregate: aggregate)
                keys.append(StudyMetricKey(component: component, metric: metric, window: window(from, to), aggregate: aggregate.rawValue))
            case .events(let component, let event, let from, let to):
                expectation.subject = .events(component: component, event: event, from: from ?? warmup, to: to)
                keys.append(StudyMetricKey(component: component, metric: event, window: window(from, to), aggregate: "count"))
            case .summary(let component, let metric):
                keys.append(StudyMetricKey(component: component, metric: metric, window: window(nil, nil), aggregate: "summary"))
            }
            adjusted.append(expectation)
        }
        self.selected = adjusted
        self.keys = keys
        summaryWindow = window(nil, nil)
    }

    /// The window of the summary metrics: `30s..end`.
    let summaryWindow: String

    /// Whether every summary metric is measured (no selectors were given).
    public var measuresSummary: Bool { selected.isEmpty }

    /// The values of one finished run, in order: each selector's, or each summary row's.
    ///
    /// - Parameters:
    ///   - summary: The run's summary rows.
    ///   - measured: The value of each selector, as `ExpectationChecker` measured it (nil when
    ///     its window has no rows: that replication then does not count towards its interval).
    func values(summary: [MetricRow], measured: [Double?]) -> [MeasuredValue] {
        if selected.isEmpty {
            return summary.map { row in
                MeasuredValue(key: StudyMetricKey(component: row.component, metric: row.metric, window: summaryWindow, aggregate: "summary"),
                              value: Self.usable(row.value.doubleValue))
            }
        }
        return zip(keys, measured).map { MeasuredValue(key: $0, value: $1.flatMap(Self.usable)) }
    }

    /// A value that can enter an interval: nil for NaN.
    static func usable(_ value: Double) -> Double? { value.isNaN ? nil : value }
}

/// One measured value of one replication.
public struct MeasuredValue: Sendable, Equatable {
    /// What was measured.
    public var key: StudyMetricKey
    /// The value, or nil when the run had no data for it.
    public var value: Double?

    /// Creates a value.
    public init(key: StudyMetricKey, value: Double?) {
        self.key = key
        self.value = value
    }
}
