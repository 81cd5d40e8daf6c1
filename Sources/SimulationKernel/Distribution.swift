/// A probability law over non-negative real values, in the caller's unit (typically seconds).
///
/// Each case is sampled from a `RandomStream` with samplers and elementary functions written in
/// this module (`DeterministicMath`), so a seed gives the same values on every platform and with
/// every version of the standard library. Check `validationProblem` before sampling values that
/// came from a user: samplers assume valid parameters.
public enum Distribution: Sendable, Equatable {
    /// Always the same value.
    case constant(Double)

    /// Uniform on [`lower`, `upper`).
    case uniform(lower: Double, upper: Double)

    /// Exponential with the given mean (rate 1 / mean): memoryless inter-arrival times.
    case exponential(mean: Double)

    /// Normal, truncated at zero: a negative draw is discarded and drawn again.
    ///
    /// Because of the truncation, `mean` and `variance` of this distribution are those of the
    /// truncated law, not `mean` and `standardDeviation²`; they agree closely once `mean` is
    /// three or more standard deviations above zero. `mean` must not be negative, so that at least
    /// half of the draws are kept.
    case normal(mean: Double, standardDeviation: Double)

    /// Log-normal: e^N where N is normal with mean `mu` and standard deviation `sigma`.
    ///
    /// The median is e^`mu`. See `lognormal(median:p99:)` and `lognormal(mean:standardDeviation:)`.
    case lognormal(mu: Double, sigma: Double)

    /// Gamma with the given shape *k* and scale θ: mean *k*θ, variance *k*θ².
    case gamma(shape: Double, scale: Double)

    /// Pareto (type I) with minimum `scale` (x_m) and tail index `shape` (α): P(X > x) = (x_m/x)^α.
    ///
    /// The mean is infinite for α ≤ 1 and the variance for α ≤ 2.
    case pareto(scale: Double, shape: Double)

    /// Pareto with tail index `shape`, truncated to [`lower`, `upper`].
    case boundedPareto(lower: Double, upper: Double, shape: Double)

    /// A table of percentiles with linear interpolation between them.
    case empirical(EmpiricalTable)

    /// The z-score of the 99th percentile of the standard normal law, Φ⁻¹(0.99).
    public static let standardNormal99thPercentile = 2.326_347_874_040_840_8

    /// A log-normal law with the given median and 99th percentile.
    ///
    /// - Parameters:
    ///   - median: The 50th percentile; must be positive.
    ///   - p99: The 99th percentile; must be at least `median`.
    /// - Returns: `.lognormal(mu: ln median, sigma: (ln p99 − ln median) / 2.3263…)`.
    public static func lognormal(median: Double, p99: Double) -> Distribution {
        let mu = DeterministicMath.log(median)
        let sigma = (DeterministicMath.log(p99) - mu) / standardNormal99thPercentile
        return .lognormal(mu: mu, sigma: sigma)
    }

    /// A log-normal law with the given mean and standard deviation.
    ///
    /// - Parameters:
    ///   - mean: The mean; must be positive.
    ///   - standardDeviation: The standard deviation; must not be negative.
    /// - Returns: `.lognormal(mu:sigma:)` with σ² = ln(1 + sd²/mean²) and μ = ln mean − σ²/2.
    public static func lognormal(mean: Double, standardDeviation: Double) -> Distribution {
        let ratio = standardDeviation / mean
        let sigmaSquared = DeterministicMath.logOnePlus(ratio * ratio)
        let mu = DeterministicMath.log(mean) - sigmaSquared / 2
        return .lognormal(mu: mu, sigma: sigmaSquared.squareRoot())
    }

    /// The Erlang law: the sum of `k` exponential stages, with the given overall mean.
    ///
    /// - Parameters:
    ///   - k: The number of stages; must be positive.
    ///   - mean: The mean of the sum; must be positive.
    /// - Returns: `.gamma(shape: k, scale: mean / k)`.
    public static func erlang(k: Int, mean: Double) -> Distribution {
        .gamma(shape: Double(k), scale: mean / Double(k))
    }

    /// Why the parameters do not define a valid law, or nil when they do.
    ///
    /// Messages are lower-case without a trailing period, such as
    /// "shape must be positive, found -1". Non-finite parameters are always invalid.
    public var validationProblem: String? {
        switch self {
        case .constant(let value):
            return Distribution.nonNegative("value", value)
        case .uniform(let lower, let upper):
            if let problem = Distribution.nonNegative("lower", lower) { return problem }
            if let problem = Distribution.nonNegative("upper", upper) { return problem }
            if upper < lower { return "upper must be at least lower (\(Distribution.text(lower))), found \(Distribution.text(upper))" }
            return nil
        case .exponential(let mean):
            return Distribution.positive("mean", mean)
        case .normal(let mean, let standardDeviation):
            if let problem = Distribution.nonNegative("mean", mean) { return problem }
            return Distribution.nonNegative("standard deviation", standardDeviation)
        case .lognormal(let mu, let sigma):
            if !mu.isFinite { return "mu must be finite, found \(Distribution.text(mu))" }
            return Distribution.nonNegative("sigma", sigma)
        case .gamma(let shape, let scale):
            if let problem = Distribution.positive("shape", shape) { return problem }
            return Distribution.positive("scale", scale)
        case .pareto(let scale, let shape):
            if let problem = Distribution.positive("scale", scale) { return problem }
            return Distribution.positive("shape", shape)
        case .boundedPareto(let lower, let upper, let shape):
            if let problem = Distribution.positive("lower", lower) { return problem }
            if let problem = Distribution.positive("upper", upper) { return problem }
            if !(upper > lower) { return "upper must be greater than lower (\(Distribution.text(lower))), found \(Distribution.text(upper))" }
            return Distribution.positive("shape", shape)
        case .empirical:
            return nil  // validated when the table was made
        }
    }

    static func positive(_ name: String, _ value: Double) -> String? {
        value.isFinite && value > 0 ? nil : "\(name) must be positive, found \(text(value))"
    }

    static func nonNegative(_ name: String, _ value: Double) -> String? {
        value.isFinite && value >= 0 ? nil : "\(name) must not be negative, found \(text(value))"
    }

    /// A number for a message: integral values without a fraction ("-1"), others as Swift prints them.
    static func text(_ x: Double) -> String {
        if x.isFinite && x == x.rounded() && x.magnitude < 1e15 { return String(Int64(x)) }
        return String(describing: x)
    }

    /// The mean of the law, in the caller's unit; `infinity` when it is infinite.
    ///
    /// For `.normal` this is the mean of the law truncated at zero.
    public var mean: Double {
        switch self {
        case .constant(let value):
            return value
        case .uniform(let lower, let upper):
            return lower + (upper - lower) / 2
        case .exponential(let mean):
            return mean
        case .normal(let mean, let standardDeviation):
            return Distribution.truncatedNormalMoments(mean: mean, standardDeviation: standardDeviation).mean
        case .lognormal(let mu, let sigma):
            return DeterministicMath.exp(mu + sigma * sigma / 2)
        case .gamma(let shape, let scale):
            return shape * scale
        case .pareto(let scale, let shape):
            return shape > 1 ? shape * scale / (shape - 1) : .infinity
        case .boundedPareto(let lower, let upper, let shape):
            return Distribution.boundedParetoRawMoment(1, lower: lower, upper: upper, shape: shape)
        case .empirical(let table):
            return table.mean
        }
    }

    /// The variance of the law, in the caller's unit squared; `infinity` when it is infinite.
    ///
    /// For `.normal` this is the variance of the law truncated at zero.
    public var variance: Double {
        switch self {
        case .constant:
            return 0
        case .uniform(let lower, let upper):
            return (upper - lower) * (upper - lower) / 12
        case .exponential(let mean):
            return mean * mean
        case .normal(let mean, let standardDeviation):
            return Distribution.truncatedNormalMoments(mean: mean, standardDeviation: standardDeviation).variance
        case .lognormal(let mu, let sigma):
            let s2 = sigma * sigma
            return DeterministicMath.expMinusOne(s2) * DeterministicMath.exp(2 * mu + s2)
        case .gamma(let shape, let scale):
            return shape * scale * scale
        case .pareto(let scale, let shape):
            guard shape > 2 else { return .infinity }
            return scale * scale * shape / ((shape - 1) * (shape - 1) * (shape - 2))
        case .boundedPareto(let lower, let upper, let shape):
            let m1 = Distribution.boundedParetoRawMoment(1, lower: lower, upper: upper, shape: shape)
            let m2 = Distribution.boundedParetoRawMoment(2, lower: lower, upper: upper, shape: shape)
            return Swift.max(0, m2 - m1 * m1)
        case .empirical(let table):
            return table.variance
        }
    }

    /// The standard deviation of the law: the square root of `variance`.
    public var standardDeviation: Double { variance.squareRoot() }

    /// E[Xⁿ] of the Pareto law with index α truncated to [L, H]; r = L/H:
    /// Lⁿ · α · (r^(α−n) − 1) / ((n − α)(1 − r^α)), written with (eᵗ − 1)/t to stay exact at n = α.
    static func boundedParetoRawMoment(_ n: Double, lower: Double, upper: Double, shape: Double) -> Double {
        let logRatio = DeterministicMath.log(lower / upper)  // ln r < 0
        let d = shape - n
        // (r^d − 1) / (n − α) = −ln r · (e^(d·ln r) − 1) / (d·ln r)
        let integral = -logRatio * DeterministicMath.relativeExpMinusOne(d * logRatio)
        let normalizer = -DeterministicMath.expMinusOne(shape * logRatio)  // 1 − r^α
        return DeterministicMath.powPositive(lower, n) * shape * integral / normalizer
    }

    /// Mean and variance of the normal law N(μ, σ²) conditioned on being non-negative.
    ///
    /// With a = −μ/σ, λ = φ(a) / (1 − Φ(a)): mean = μ + σλ, variance = σ²(1 + aλ − λ²).
    static func truncatedNormalMoments(mean mu: Double, standardDeviation sigma: Double) -> (mean: Double, variance: Double) {
        guard sigma > 0 else { return (mu, 0) }
        let a = -mu / sigma
        let density = DeterministicMath.exp(-a * a / 2) * 0.398_942_280_401_432_677_94  // 1/√(2π)
        let survival = standardNormalCumulative(-a)
        let lambda = density / survival
        return (mu + sigma * lambda, sigma * sigma * Swift.max(0, 1 + a * lambda - lambda * lambda))
    }

    /// Φ(x) for x ≥ 0, to about 1e-15 absolute, by Marsaglia's series (J. Stat. Softw. 11(4), 2004):
    /// Φ(x) = ½ + φ(x) · (x + x³/3 + x⁵/(3·5) + …).
    static func standardNormalCumulative(_ x: Double) -> Double {
        if x > 38 { return 1 }
        var sum = x
        var previous = 0.0
        var term = x
        let q = x * x
        var i = 1.0
        while sum != previous {
            previous = sum
            i += 2
            term *= q / i
            sum = previous + term
        }
        return 0.5 + sum * DeterministicMath.exp(-0.5 * q - 0.918_938_533_204_672_741_78)
    }
}

/// A distribution given by a table of percentiles, with linear interpolation between points.
///
/// The table pairs percentiles (0...100) with values, for example measured latencies in seconds:
/// `(0, 0.002), (50, 0.010), (99, 0.120), (100, 0.400)`. Its cumulative distribution function is
/// piecewise linear through the points, so within each pair of points values are uniform.
public struct EmpiricalTable: Sendable, Equatable {
    /// A reason a table was rejected, as a lower-case message without a trailing period.
    public struct InvalidTable: Error, Equatable, CustomStringConvertible {
        /// What is wrong, for example "percentiles must increase, found 50 after 50".
        public var message: String

        /// The message.
        public var description: String { message }

        /// Creates an error with the given message.
        public init(message: String) { self.message = message }
    }

    /// The percentiles, strictly increasing from 0 to 100.
    public let percentiles: [Double]

    /// The values at `percentiles`, non-decreasing, finite and non-negative.
    public let values: [Double]

    /// Creates a table from (percentile, value) points.
    ///
    /// - Parameter points: Points sorted by percentile, which must start at 0, end at 100 and
    ///   strictly increase; values must be finite, non-negative and must not decrease.
    /// - Throws: `InvalidTable`, naming the first problem found.
    public init(points: [(percentile: Double, value: Double)]) throws(InvalidTable) {
        if let problem = EmpiricalTable.problem(in: points) {
            throw InvalidTable(message: problem)
        }
        percentiles = points.map(\.percentile)
        values = points.map(\.value)
    }

    /// The first problem with a list of points as a table, or nil when it makes a valid table.
    ///
    /// - Parameter points: Candidate (percentile, value) points.
    /// - Returns: A lower-case message such as "the first percentile must be 0, found 1", or nil.
    public static func problem(in points: [(percentile: Double, value: Double)]) -> String? {
        guard points.count >= 2 else {
            return "a table needs at least two points, found \(points.count)"
        }
        for point in points {
            if !point.percentile.isFinite || point.percentile < 0 || point.percentile > 100 {
                return "percentiles must be between 0 and 100, found \(Distribution.text(point.percentile))"
            }
            if !point.value.isFinite || point.value < 0 {
                return "values must be finite and non-negative, found \(Distribution.text(point.value))"
            }
        }
        if points[0].percentile != 0 {
            return "the first percentile must be 0, found \(Distribution.text(points[0].percentile))"
        }
        if points[points.count - 1].percentile != 100 {
            return "the last percentile must be 100, found \(Distribution.text(points[points.count - 1].percentile))"
        }
        for index in 1..<points.count {
            let previous = points[index - 1]
            let point = points[index]
            if point.percentile <= previous.percentile {
                return "percentiles must increase, found \(Distribution.text(point.percentile)) after \(Distribution.text(previous.percentile))"
            }
            if point.value < previous.value {
                return "values must not decrease, found \(Distribution.text(point.value)) after \(Distribution.text(previous.value))"
            }
        }
        return nil
    }

    /// The value at a percentile, by linear interpolation between the table's points.
    ///
    /// - Parameter percentile: A percentile in 0...100; values outside are clamped.
    /// - Returns: The interpolated value.
    /// - Complexity: O(log *n*), where *n* is the number of points.
    @inlinable
    public func value(atPercentile percentile: Double) -> Double {
        let p = Swift.min(Swift.max(percentile, 0), 100)
        // Binary search for the last index whose percentile is ≤ p, in 0..<count-1.
        var low = 0
        var high = percentiles.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if percentiles[middle] <= p { low = middle } else { high = middle }
        }
        let p0 = percentiles[low]
        let p1 = percentiles[high]
        let v0 = values[low]
        let v1 = values[high]
        let fraction = (p - p0) / (p1 - p0)
        return v0 + (v1 - v0) * fraction
    }

    /// The mean of the interpolated law: each segment is uniform between its two values.
    public var mean: Double {
        var sum = 0.0
        for index in 1..<percentiles.count {
            let weight = (percentiles[index] - percentiles[index - 1]) / 100
            sum += weight * (values[index - 1] + values[index]) / 2
        }
        return sum
    }

    /// The variance of the interpolated law.
    public var variance: Double {
        let m = mean
        var sum = 0.0
        for index in 1..<percentiles.count {
            let weight = (percentiles[index] - percentiles[index - 1]) / 100
            // E[(X − m)²] over a uniform [a, b] is ((a−m)² + (a−m)(b−m) + (b−m)²) / 3.
            let a = values[index - 1] - m
            let b = values[index] - m
            sum += weight * (a * a + a * b + b * b) / 3
        }
        return sum
    }
}
