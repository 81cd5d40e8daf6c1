import SimulationKernel

/// The Wilson score interval of a binomial proportion (E. B. Wilson, "Probable inference, the law
/// of succession, and statistical inference", JASA 22 (1927) 209–212): for k successes in n
/// trials and z the normal quantile of the level,
///
///     centre = (p̂ + z²/2n) / (1 + z²/n),  half-width = z / (1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²),
///
/// with p̂ = k/n. Unlike p̂ ± z√(p̂(1 − p̂)/n) it stays inside [0, 1] and does not shrink to a point
/// at 0 or n successes, which a tipping probe often has.
public struct WilsonInterval: Sendable, Equatable {
    /// The estimate k/n.
    public var estimate: Double
    /// The lower end.
    public var lower: Double
    /// The upper end.
    public var upper: Double

    /// The interval of `successes` in `trials`, at a two-sided confidence `level` in (0, 1).
    public init(successes: Int, trials: Int, level: Double) {
        precondition(trials > 0 && (0...trials).contains(successes), "a proportion needs 0 ≤ k ≤ n and n > 0")
        let n = Double(trials)
        let p = Double(successes) / n
        let z = NormalQuantile.of(0.5 + level / 2)
        let z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / denominator
        let half = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        estimate = p
        lower = max(0, centre - half)
        upper = min(1, centre + half)
    }
}

/// The standard normal distribution's quantile, computed here so no platform library decides it.
enum NormalQuantile {
    /// Φ⁻¹(p) for p in (0, 1): P. J. Acklam's rational approximation, of relative error below
    /// 1.2 · 10⁻⁹ (1.959963985 for 0.975), far finer than a Wilson interval needs.
    static func of(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "p must be in (0, 1), found \(p)")
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        if p < low {
            let q = (-2 * DeterministicMath.log(p)).squareRoot()
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        if p > 1 - low { return -of(1 - p) }
        let q = p - 0.5
        let r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
}
