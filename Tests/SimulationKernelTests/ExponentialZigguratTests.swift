import SimulationKernel
import Testing

struct ExponentialZigguratTests {
    /// Draws from the ziggurat, sorted.
    static func sortedDraws(_ count: Int, seed: UInt64) -> [Double] {
        var stream = RandomStream(seed: seed, component: "ziggurat", purpose: "test")
        return (0..<count).map { _ in ExponentialZiggurat.sample(using: &stream) }.sorted()
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func `draws pass a Kolmogorov-Smirnov test against the exponential law`(seed: UInt64) {
        let count = 200_000
        let draws = Self.sortedDraws(count, seed: seed)
        var statistic = 0.0
        for (index, x) in draws.enumerated() {
            let cdf = 1 - DeterministicMath.exp(-x)
            statistic = max(statistic, abs(cdf - Double(index) / Double(count)), abs(Double(index + 1) / Double(count) - cdf))
        }
        // The 99.9% critical value of the KS statistic is 1.949 / √n.
        #expect(statistic < 1.949 / Double(count).squareRoot(), "D = \(statistic)")
    }

    @Test func `the tail beyond the last layer has the exponential's weight`() {
        // P(X > 7.5) = e^−7.5 ≈ 5.5e-4; P(X > 9) ≈ 1.2e-4. Both straddle r ≈ 7.697.
        let count = 2_000_000
        let draws = Self.sortedDraws(count, seed: 9)
        for threshold in [7.5, 9.0] {
            let observed = Double(draws.count { $0 > threshold })
            let expected = Double(count) * DeterministicMath.exp(-threshold)
            #expect(abs(observed - expected) < 5 * expected.squareRoot(), "threshold \(threshold): \(observed) vs \(expected)")
        }
    }

    @Test func `the written-out layer table is bit for bit the one computed from r and v`() {
        let written = ExponentialZiggurat.tableValues
        let computed = ExponentialZiggurat.computedTable()
        #expect(written.count == 514)
        #expect(written.map(\.bitPattern) == computed.map(\.bitPattern))
    }

    @Test func `every draw is finite and non-negative`() {
        var stream = RandomStream(seed: 4, component: "ziggurat", purpose: "range")
        for _ in 0..<100_000 {
            let x = ExponentialZiggurat.sample(using: &stream)
            #expect(x.isFinite && x >= 0)
        }
    }
}
