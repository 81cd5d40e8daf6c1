import SimulationKernel
import Testing

#if DEBUG
let distributionSampleCount = 200_000
#else
let distributionSampleCount = 1_000_000
#endif

/// Sample moments of `count` draws: mean, variance (n − 1) and fourth central moment.
func sampleMoments(of distribution: Distribution, count: Int, component: String = "test")
    -> (mean: Double, variance: Double, fourthCentralMoment: Double, samples: [Double])
{
    var stream = RandomStream(seed: 7, component: component, purpose: "samples")
    var samples = [Double]()
    samples.reserveCapacity(count)
    for _ in 0..<count { samples.append(distribution.sample(using: &stream)) }
    let mean = samples.reduce(0, +) / Double(count)
    var sum2 = 0.0
    var sum4 = 0.0
    for x in samples {
        let d = (x - mean) * (x - mean)
        sum2 += d
        sum4 += d * d
    }
    return (mean, sum2 / Double(count - 1), sum4 / Double(count), samples)
}

/// The fraction of sorted samples at or below `value`.
func fractionAtOrBelow(_ value: Double, in sorted: [Double]) -> Double {
    var low = 0
    var high = sorted.count
    while low < high {
        let middle = (low + high) / 2
        if sorted[middle] <= value { low = middle + 1 } else { high = middle }
    }
    return Double(low) / Double(sorted.count)
}

let percentileTable = try! EmpiricalTable(points: [
    (0, 0.001), (10, 0.002), (50, 0.005), (90, 0.020), (99, 0.100), (99.9, 0.500), (100, 2.000),
])

struct DistributionTests {
    static let laws: [Distribution] = [
        .uniform(lower: 1, upper: 3),
        .exponential(mean: 0.2),
        .normal(mean: 10, standardDeviation: 2),
        .normal(mean: 1, standardDeviation: 1),
        .normal(mean: 0, standardDeviation: 0.5),
        .lognormal(mu: -3, sigma: 0.5),
        .lognormal(median: 0.010, p99: 0.100),
        .lognormal(mean: 2, standardDeviation: 3),
        .gamma(shape: 0.3, scale: 2),
        .gamma(shape: 2.5, scale: 0.1),
        .erlang(k: 4, mean: 1),
        .pareto(scale: 1, shape: 6),
        .pareto(scale: 0.01, shape: 4.5),
        .boundedPareto(lower: 1, upper: 100, shape: 1.5),
        .boundedPareto(lower: 1, upper: 10, shape: 2),
        .boundedPareto(lower: 0.001, upper: 1, shape: 1),
        .empirical(percentileTable),
    ]

    @Test(arguments: laws)
    func `samples have the mean and variance of the law`(law: Distribution) {
        #expect(law.validationProblem == nil)
        let n = Double(distributionSampleCount)
        let sample = sampleMoments(of: law, count: distributionSampleCount)
        #expect(sample.samples.allSatisfy { $0 >= 0 && $0.isFinite })
        // Five standard errors: the mean's from the law's variance, the variance's from the
        // sample fourth central moment, Var(s²) ≈ (μ₄ − σ⁴) / n.
        let meanTolerance = 5 * (law.variance / n).squareRoot()
        #expect((sample.mean - law.mean).magnitude <= meanTolerance,
                "mean \(sample.mean) vs \(law.mean) ± \(meanTolerance)")
        let varianceTolerance = 5 * ((sample.fourthCentralMoment - law.variance * law.variance) / n).squareRoot()
        #expect((sample.variance - law.variance).magnitude <= varianceTolerance,
                "variance \(sample.variance) vs \(law.variance) ± \(varianceTolerance)")
    }

    @Test func `a constant always gives its value`() {
        var stream = RandomStream(seed: 1, component: "c", purpose: "p")
        let law = Distribution.constant(2.5)
        for _ in 0..<100 { #expect(law.sample(using: &stream) == 2.5) }
        #expect(law.mean == 2.5)
        #expect(law.variance == 0)
    }

    @Test func `a normal law truncated at zero has the half-normal moments at mean zero`() {
        let law = Distribution.normal(mean: 0, standardDeviation: 1)
        let twoOverPi = 0.636_619_772_367_581_343_08
        #expect((law.mean - twoOverPi.squareRoot()).magnitude < 1e-15)
        #expect((law.variance - (1 - twoOverPi)).magnitude < 1e-15)
        // Far from zero the truncation does not matter.
        let wide = Distribution.normal(mean: 100, standardDeviation: 1)
        #expect(wide.mean == 100)
        #expect((wide.variance - 1).magnitude < 1e-15)
    }

    @Test func `the lognormal median and p99 factory reproduces its percentiles`() {
        let law = Distribution.lognormal(median: 0.010, p99: 0.250)
        guard case .lognormal(let mu, let sigma) = law else {
            Issue.record("not a lognormal law")
            return
        }
        #expect((DeterministicMath.exp(mu) - 0.010).magnitude <= 1e-15)
        #expect((DeterministicMath.exp(mu + sigma * Distribution.standardNormal99thPercentile) - 0.250).magnitude <= 1e-14)
        let sorted = sampleMoments(of: law, count: distributionSampleCount).samples.sorted()
        let n = Double(sorted.count)
        #expect((fractionAtOrBelow(0.010, in: sorted) - 0.50).magnitude <= 5 * (0.50 * 0.50 / n).squareRoot())
        #expect((fractionAtOrBelow(0.250, in: sorted) - 0.99).magnitude <= 5 * (0.99 * 0.01 / n).squareRoot())
    }

    @Test func `the lognormal mean and standard deviation factory reproduces them`() {
        for (mean, standardDeviation) in [(2.0, 3.0), (0.05, 0.001), (1e-3, 1e-2), (7.0, 7.0)] {
            let law = Distribution.lognormal(mean: mean, standardDeviation: standardDeviation)
            #expect((law.mean - mean).magnitude <= 1e-14 * mean)
            #expect((law.standardDeviation - standardDeviation).magnitude <= 1e-12 * standardDeviation)
        }
    }

    @Test func `erlang is the gamma law with integer shape`() {
        #expect(Distribution.erlang(k: 4, mean: 2) == .gamma(shape: 4, scale: 0.5))
        #expect(Distribution.erlang(k: 4, mean: 2).mean == 2)
        #expect(Distribution.erlang(k: 4, mean: 2).variance == 1)
    }

    @Test func `heavy-tailed laws report infinite moments`() {
        #expect(Distribution.pareto(scale: 1, shape: 1).mean == .infinity)
        #expect(Distribution.pareto(scale: 1, shape: 2).variance == .infinity)
        #expect(Distribution.pareto(scale: 1, shape: 3).mean == 1.5)
        #expect(Distribution.pareto(scale: 1, shape: 3).variance == 0.75)
    }

    @Test func `bounded pareto samples stay within its bounds`() {
        var stream = RandomStream(seed: 3, component: "bounded", purpose: "p")
        let law = Distribution.boundedPareto(lower: 0.5, upper: 4, shape: 0.7)
        var smallest = Double.infinity
        var largest = 0.0
        for _ in 0..<100_000 {
            let x = law.sample(using: &stream)
            smallest = min(smallest, x)
            largest = max(largest, x)
        }
        #expect(smallest >= 0.5 && smallest < 0.5001)
        #expect(largest <= 4 && largest > 3.9)
    }

    @Test func `empirical samples reproduce the table's percentiles`() {
        let sorted = sampleMoments(of: .empirical(percentileTable), count: distributionSampleCount).samples.sorted()
        let n = Double(sorted.count)
        for (percentile, value) in zip(percentileTable.percentiles, percentileTable.values) {
            let p = percentile / 100
            let tolerance = 5 * (p * (1 - p) / n).squareRoot() + 1 / n
            #expect((fractionAtOrBelow(value, in: sorted) - p).magnitude <= tolerance, "at percentile \(percentile)")
        }
        #expect(sorted.first! >= 0.001)
        #expect(sorted.last! <= 2)
        #expect(percentileTable.value(atPercentile: 50) == 0.005)
        #expect(percentileTable.value(atPercentile: 30) == 0.0035)
    }

    @Test(arguments: [
        (Distribution.gamma(shape: -1, scale: 1), "shape must be positive, found -1"),
        (.gamma(shape: 2, scale: 0), "scale must be positive, found 0"),
        (.exponential(mean: .nan), "mean must be positive, found nan"),
        (.constant(-0.5), "value must not be negative, found -0.5"),
        (.uniform(lower: 2, upper: 1), "upper must be at least lower (2), found 1"),
        (.normal(mean: -1, standardDeviation: 1), "mean must not be negative, found -1"),
        (.normal(mean: 1, standardDeviation: -1), "standard deviation must not be negative, found -1"),
        (.lognormal(mu: .infinity, sigma: 1), "mu must be finite, found inf"),
        (.lognormal(mu: 0, sigma: -2), "sigma must not be negative, found -2"),
        (.pareto(scale: 0, shape: 2), "scale must be positive, found 0"),
        (.boundedPareto(lower: 2, upper: 2, shape: 1), "upper must be greater than lower (2), found 2"),
    ])
    func `invalid parameters are reported`(law: Distribution, message: String) {
        #expect(law.validationProblem == message)
    }

    @Test(arguments: [
        ([(0.0, 1.0)], "a table needs at least two points, found 1"),
        ([(1, 1), (100, 2)], "the first percentile must be 0, found 1"),
        ([(0, 1), (99, 2)], "the last percentile must be 100, found 99"),
        ([(0, 1), (50, 2), (50, 3), (100, 4)], "percentiles must increase, found 50 after 50"),
        ([(0, 1), (50, 3), (100, 2)], "values must not decrease, found 2 after 3"),
        ([(0, -1), (100, 2)], "values must be finite and non-negative, found -1"),
        ([(0, 1), (101, 2)], "percentiles must be between 0 and 100, found 101"),
    ] as [([(Double, Double)], String)])
    func `invalid tables are rejected`(points: [(Double, Double)], message: String) {
        let labeled = points.map { (percentile: $0.0, value: $0.1) }
        #expect(throws: EmpiricalTable.InvalidTable(message: message)) { try EmpiricalTable(points: labeled) }
        #expect(EmpiricalTable.problem(in: labeled) == message)
    }

    @Test func `samples are pinned for a fixed stream`() {
        // Golden values: changing any sampler or DeterministicMath changes every model's output.
        let expected: [(Distribution, [UInt64])] = [
            (.exponential(mean: 1), [0x3fa7_ba07_0fb3_c940, 0x4009_52f4_7a01_586b, 0x3fc0_e7cc_a454_53c7]),
            (.normal(mean: 1, standardDeviation: 1), [0x4001_53b1_6200_4b1c, 0x4009_d84f_721d_d9f8, 0x4008_7408_b9c0_41cf]),
            (.lognormal(mu: 0, sigma: 1), [0x4009_ab6a_9365_0ed3, 0x4022_9c7c_5fb3_b83c, 0x401f_4776_24ca_a851]),
            (.gamma(shape: 0.5, scale: 1), [0x3fe8_feba_de8e_dd10, 0x3fe5_8f26_1088_f0d2, 0x3f6d_079e_a5d3_d06c]),
            (.gamma(shape: 3, scale: 1), [0x4014_3cf8_04bf_1527, 0x4008_62bf_e7bc_beac, 0x3fee_963a_19a4_dae2]),
            (.pareto(scale: 1, shape: 2), [0x400c_f50c_0fbb_bebe, 0x3ff1_60f0_1301_4d78, 0x4003_8ade_85b9_d4ee]),
            (.boundedPareto(lower: 1, upper: 10, shape: 1.2), [0x3ff1_053e_92f8_e281, 0x400d_dce0_e8a0_d41d, 0x3ff2_7282_c8c5_8348]),
            (.empirical(percentileTable), [0x3f5c_e39a_761f_5796, 0x3f92_7814_553b_361d, 0x3f64_893d_f090_e4a1]),
        ]
        for (law, bits) in expected {
            var stream = RandomStream(seed: 1, component: "web", purpose: "service")
            let drawn = (0..<3).map { _ in law.sample(using: &stream).bitPattern }
            #expect(drawn == bits, "\(law)")
        }
    }
}
