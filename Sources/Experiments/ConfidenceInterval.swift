import SimulationKernel

/// A two-sided confidence interval for a mean, from independent replications.
public struct ConfidenceInterval: Sendable, Equatable, CustomStringConvertible {
    /// The sample mean of the replications.
    public var mean: Double
    /// Half the width of the interval.
    public var halfWidth: Double
    /// The confidence level, such as 0.999.
    public var level: Double
    /// How many replications it rests on.
    public var count: Int

    /// The interval from independent observations, with Student's t quantile for `count − 1` degrees of freedom.
    ///
    /// - Parameters:
    ///   - observations: One value per replication; at least two.
    ///   - level: The confidence level, in (0, 1).
    public init(observations: [Double], level: Double) {
        precondition(observations.count >= 2, "a confidence interval needs at least two replications, found \(observations.count)")
        var moments = RunningMoments()
        for value in observations { moments.add(value) }
        self.init(moments: moments, level: level)
    }

    /// The interval from the moments of independent observations.
    ///
    /// - Parameters:
    ///   - moments: The observations' moments; at least two.
    ///   - level: The confidence level, in (0, 1).
    ///   - quantile: `StudentT.quantile(1 − (1 − level) / 2, degreesOfFreedom: count − 1)`, when
    ///     the caller has it already; computed when nil.
    init(moments: RunningMoments, level: Double, quantile: Double? = nil) {
        precondition(moments.count >= 2, "a confidence interval needs at least two replications, found \(moments.count)")
        mean = moments.mean
        let t = quantile ?? StudentT.quantile(1 - (1 - level) / 2, degreesOfFreedom: Double(moments.count - 1))
        halfWidth = t * moments.standardDeviation / Double(moments.count).squareRoot()
        self.level = level
        count = moments.count
    }

    /// The lower end.
    public var lower: Double { mean - halfWidth }
    /// The upper end.
    public var upper: Double { mean + halfWidth }

    /// Whether the interval holds `value`.
    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }

    /// The half-width relative to `value`.
    public func relativeHalfWidth(to value: Double) -> Double { halfWidth / abs(value) }

    public var description: String {
        "\(NumberText.decimal(mean)) ± \(NumberText.decimal(halfWidth)) (\(NumberText.decimal(level * 100))%, n=\(count))"
    }
}
