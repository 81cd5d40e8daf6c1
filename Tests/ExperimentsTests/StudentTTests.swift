import Experiments
import Testing

/// Student's t quantiles against printed tables, to the tables' three decimals.
struct StudentTTests {
    /// One row of a printed table: the degrees of freedom and the quantiles at 0.95, 0.975 and
    /// 0.995 (upper-tail probabilities 0.05, 0.025 and 0.005).
    struct Row: Sendable, CustomTestStringConvertible {
        var degreesOfFreedom: Double
        var quantiles: [Double]
        var testDescription: String { "df \(Int(degreesOfFreedom))" }
    }

    static let probabilities = [0.95, 0.975, 0.995]

    /// NIST/SEMATECH e-Handbook of Statistical Methods, §1.3.6.7.2 "Critical Values of the
    /// Student's t Distribution" (https://www.itl.nist.gov/div898/handbook/eda/section3/eda3672.htm),
    /// columns 0.05, 0.025 and 0.005; the 120 row, which NIST's table does not have, from R. A.
    /// Fisher and F. Yates, *Statistical Tables*, Table III (reprinted in most textbooks); the ∞ row
    /// (the normal quantiles, NIST's last row) is checked at 10⁶ degrees of freedom, as many as a
    /// study of a million replications has.
    static let table: [Row] = [
        Row(degreesOfFreedom: 1, quantiles: [6.314, 12.706, 63.657]),
        Row(degreesOfFreedom: 2, quantiles: [2.920, 4.303, 9.925]),
        Row(degreesOfFreedom: 5, quantiles: [2.015, 2.571, 4.032]),
        Row(degreesOfFreedom: 9, quantiles: [1.833, 2.262, 3.250]),
        Row(degreesOfFreedom: 10, quantiles: [1.812, 2.228, 3.169]),
        Row(degreesOfFreedom: 30, quantiles: [1.697, 2.042, 2.750]),
        Row(degreesOfFreedom: 100, quantiles: [1.660, 1.984, 2.626]),
        Row(degreesOfFreedom: 120, quantiles: [1.658, 1.980, 2.617]),
        Row(degreesOfFreedom: 1_000_000, quantiles: [1.645, 1.960, 2.576]),
    ]

    @Test(arguments: table)
    func `the quantiles match the published table to its three decimals`(row: Row) {
        for (p, published) in zip(Self.probabilities, row.quantiles) {
            let computed = StudentT.quantile(p, degreesOfFreedom: row.degreesOfFreedom)
            #expect(abs(computed - published) <= 0.0005, "t(\(p), \(row.degreesOfFreedom)) = \(computed), the table says \(published)")
            // The lower tail by symmetry, as a two-sided interval uses it.
            #expect(StudentT.quantile(1 - p, degreesOfFreedom: row.degreesOfFreedom) == -computed)
        }
    }

    @Test(arguments: table)
    func `the distribution function gives back the probability of each quantile`(row: Row) {
        for p in Self.probabilities {
            let quantile = StudentT.quantile(p, degreesOfFreedom: row.degreesOfFreedom)
            #expect(abs(StudentT.cdf(quantile, degreesOfFreedom: row.degreesOfFreedom) - p) < 1e-9)
        }
    }
}
