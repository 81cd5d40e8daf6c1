import SimulationKernel

/// A value in an output row: an exact count or a real number (seconds, fractions, averages).
public enum MetricValue: Sendable, Equatable {
    /// An exact integer count.
    case count(Int64)
    /// A real number; times are in seconds.
    case real(Double)

    /// The value as a double, for arithmetic.
    public var doubleValue: Double {
        switch self {
        case .count(let count): Double(count)
        case .real(let value): value
        }
    }
}

/// One state change of the run, a row of `events.csv`.
public struct StateChange: Sendable, Equatable {
    /// When it happened.
    public var time: Instant
    /// The service, instance, source or population it concerns.
    public var component: String
    /// What happened, in the past tense: `queueFilled`, `rateChanged`.
    public var event: String
    /// Particulars, words and values that Reporting spells (`DetailText`): `capacity 50`.
    public var detail: EventText
    /// The earlier event that led to this one, where the engine knows it (`breakerOpened 5s ago`); empty otherwise.
    public var cause: EventText

    /// Creates a state change.
    public init(time: Instant, component: String, event: String, detail: EventText = EventText(), cause: EventText = EventText()) {
        self.time = time
        self.component = component
        self.event = event
        self.detail = detail
        self.cause = cause
    }
}

/// One row of `series.csv` or `summary.csv`: a metric of a component.
public struct MetricRow: Sendable, Equatable {
    /// The service (aggregate), instance (`web[2]`), source or population.
    public var component: String
    /// The metric's name, as documented in `docs/output.md`.
    public var metric: String
    /// Its value.
    public var value: MetricValue

    /// Creates a row.
    public init(component: String, metric: String, value: MetricValue) {
        self.component = component
        self.metric = metric
        self.value = value
    }
}

/// Where a running simulation sends what it observes. Components emit; only Reporting formats.
public protocol ObservationSink: AnyObject {
    /// Receives the rows of one series interval, which started at `start`.
    func intervalEnded(start: Instant, rows: [MetricRow])
    /// Receives one state change.
    func stateChanged(_ change: StateChange)
}

/// A sink that keeps nothing, for runs whose series and events are not wanted.
public final class DiscardingSink: ObservationSink {
    /// Creates a sink that discards everything.
    public init() {}
    public func intervalEnded(start: Instant, rows: [MetricRow]) {}
    public func stateChanged(_ change: StateChange) {}
}
