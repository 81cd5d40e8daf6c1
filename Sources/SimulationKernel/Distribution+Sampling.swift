extension Distribution {
    /// Draws one value from the law.
    ///
    /// Uses only bits from `stream` and `DeterministicMath`, so a stream gives the same values
    /// on every platform. The number of draws taken from the stream varies with the case and,
    /// for rejection samplers (normal, gamma), with the values drawn. Assumes valid parameters
    /// (see `validationProblem`).
    ///
    /// Methods: exponential by the ziggurat method (`ExponentialZiggurat`); Pareto and bounded
    /// Pareto by inversion; normal by Marsaglia's polar
    /// method (one of the pair is kept), redrawn while negative; log-normal as e^normal; gamma by
    /// Marsaglia and Tsang (2000), with U^(1/k) boosting for shape k < 1; empirical by inversion
    /// of the interpolated percentile table.
    ///
    /// - Parameter stream: The stream to draw from.
    /// - Returns: A non-negative value in the caller's unit.
    @inlinable @inline(__always)
    public func sample(using stream: inout RandomStream) -> Double {
        // The exponential, the common law, inline where it is drawn; the others out of line.
        if case .exponential(let mean) = self { return mean * ExponentialZiggurat.sample(using: &stream) }
        return sampleAnyLaw(using: &stream)
    }

    /// `sample(using:)` for any law, out of line.
    @usableFromInline @inline(never)
    func sampleAnyLaw(using stream: inout RandomStream) -> Double {
        switch self {
        case .constant(let value):
            return value
        case .uniform(let lower, let upper):
            return lower + (upper - lower) * stream.nextUnit()
        case .exponential(let mean):
            return mean * ExponentialZiggurat.sample(using: &stream)
        case .normal(let mean, let standardDeviation):
            if standardDeviation == 0 { return mean }
            while true {
                let x = mean + standardDeviation * Distribution.standardNormal(using: &stream)
                if x >= 0 { return x }
            }
        case .lognormal(let mu, let sigma):
            return DeterministicMath.exp(mu + sigma * Distribution.standardNormal(using: &stream))
        case .gamma(let shape, let scale):
            return scale * Distribution.standardGamma(shape: shape, using: &stream)
        case .pareto(let scale, let shape):
            // P(X > x) = (x_m / x)^α, so X = x_m · U^(−1/α) with U in (0, 1].
            let u = stream.nextUnitExcludingZero()
            return scale * DeterministicMath.exp(-DeterministicMath.log(u) / shape)
        case .boundedPareto(let lower, let upper, let shape):
            // F(x) = (1 − (L/x)^α) / (1 − (L/H)^α), so X = L · (1 − U(1 − (L/H)^α))^(−1/α).
            let u = stream.nextUnit()
            let tailAtUpper = DeterministicMath.powPositive(lower / upper, shape)
            let remaining = 1 - u * (1 - tailAtUpper)
            let x = lower * DeterministicMath.exp(-DeterministicMath.log(remaining) / shape)
            return Swift.min(Swift.max(x, lower), upper)
        case .empirical(let table):
            return table.value(atPercentile: 100 * stream.nextUnit())
        }
    }

    /// A standard normal draw by Marsaglia's polar method, keeping the first of the pair.
    @inlinable
    static func standardNormal(using stream: inout RandomStream) -> Double {
        while true {
            let u = 2 * stream.nextUnit() - 1
            let v = 2 * stream.nextUnit() - 1
            let s = u * u + v * v
            if s < 1 && s > 0 {
                return u * (-2 * DeterministicMath.log(s) / s).squareRoot()
            }
        }
    }

    /// A Gamma(shape, 1) draw by Marsaglia and Tsang's method.
    @inlinable
    static func standardGamma(shape: Double, using stream: inout RandomStream) -> Double {
        if shape < 1 {
            // Gamma(k) = Gamma(k + 1) · U^(1/k).
            let boosted = standardGamma(shape: shape + 1, using: &stream)
            let u = stream.nextUnitExcludingZero()
            return boosted * DeterministicMath.exp(DeterministicMath.log(u) / shape)
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            let x = standardNormal(using: &stream)
            let t = 1 + c * x
            if t <= 0 { continue }
            let v = t * t * t
            let u = stream.nextUnitExcludingZero()
            let xx = x * x
            if u < 1 - 0.0331 * xx * xx { return d * v }
            if DeterministicMath.log(u) < 0.5 * xx + d * (1 - v + DeterministicMath.log(v)) { return d * v }
        }
    }
}
