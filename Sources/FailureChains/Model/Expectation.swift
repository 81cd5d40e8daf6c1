import SimulationKernel

/// A statement a model makes about its own results, checked by `faultline check`.
///
/// A team states what its design must do ("kiosk success stays above 90%", "no instance of `cf`
/// crashes"), and a change that breaks it makes `check` exit 1, naming the expectation and the
/// measured value.
public struct Expectation: Sendable, Equatable {
    /// What is measured.
    public enum Subject: Sendable, Equatable {
        /// A metric of `series.csv` over the rows whose interval starts in [from, to), aggregated.
        case series(component: String, metric: String, from: Interval?, to: Interval?, aggregate: Aggregate)
        /// A metric of `summary.csv`.
        case summary(component: String, metric: String)
        /// The number of rows of `events.csv` with this event whose component is the given one or
        /// one of its instances (`cf` matches `cf[2]`), with time in [from, to).
        case events(component: String, event: String, from: Interval?, to: Interval?)
    }

    /// How series rows are reduced to one value.
    public enum Aggregate: String, Sendable, Equatable, CaseIterable {
        case mean, minimum, maximum, sum, first, last
    }

    /// The test the value must pass.
    public enum Comparison: Sendable, Equatable {
        case below(Double)
        case above(Double)
        case atMost(Double)
        case atLeast(Double)
        case equal(Double)

        /// Whether a value passes.
        public func holds(for value: Double) -> Bool {
            switch self {
            case .below(let bound): value < bound
            case .above(let bound): value > bound
            case .atMost(let bound): value <= bound
            case .atLeast(let bound): value >= bound
            case .equal(let bound): value == bound
            }
        }
    }

    /// What is measured.
    public var subject: Subject
    /// The test.
    public var comparison: Comparison
    /// The expectation as the model states it, for messages: `kiosks successRatio maximum from 2h35m to 5h30m below 0.1`.
    public var text: String
    /// Where it is written: `models/airline.json5:120:5`.
    public var location: String

    /// Creates an expectation.
    public init(subject: Subject, comparison: Comparison, text: String, location: String) {
        self.subject = subject
        self.comparison = comparison
        self.text = text
        self.location = location
    }
}
