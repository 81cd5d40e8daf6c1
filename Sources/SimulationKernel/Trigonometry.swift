/// Cosine written here, so no platform library decides a rate profile.
public enum Trigonometry {
    /// cos(2π · turns), to within a few ulp, from a Taylor series after reduction to [−1/8, 1/8] turn.
    ///
    /// - Parameter turns: An angle in whole turns (1 = 360°).
    public static func cosineOfTurns(_ turns: Double) -> Double {
        var t = turns - Double(Int64(turns))    // (−1, 1); callers pass moderate angles
        if t < 0 { t += 1 }                     // [0, 1)
        if t > 0.5 { t = 1 - t }                // cos is even about 1/2 turn: [0, 0.5]
        // cos(2πt) for t in [0, 1/2]: use symmetry about 1/4 turn.
        if t > 0.25 { return -cosineOfTurns(0.5 - t) }
        if t > 0.125 { return sineSeries(2 * Double.pi * (0.25 - t)) }
        return cosineSeries(2 * Double.pi * t)
    }

    private static func cosineSeries(_ x: Double) -> Double {
        let x2 = x * x
        var term = 1.0
        var sum = 1.0
        for n in stride(from: 2, through: 30, by: 2) {
            term *= -x2 / Double((n - 1) * n)
            sum += term
        }
        return sum
    }

    private static func sineSeries(_ x: Double) -> Double {
        let x2 = x * x
        var term = x
        var sum = x
        for n in stride(from: 3, through: 31, by: 2) {
            term *= -x2 / Double((n - 1) * n)
            sum += term
        }
        return sum
    }
}
