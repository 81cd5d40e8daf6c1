import SimulationKernel
import Testing

/// Mean and sample variance by the textbook two-pass method.
func twoPassMoments(_ values: [Double]) -> (mean: Double, variance: Double) {
    let mean = values.reduce(0, +) / Double(values.count)
    let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    return (mean, squares / Double(values.count - 1))
}

func randomValues(count: Int, offset: Double, seed: UInt64) -> [Double] {
    var stream = RandomStream(seed: seed, component: "moments", purpose: "values")
    return (0..<count).map { _ in offset + Distribution.lognormal(mu: 0, sigma: 1).sample(using: &stream) }
}

struct RunningMomentsTests {
    @Test(arguments: [0.0, 1e9])
    func `one pass agrees with two passes`(offset: Double) {
        let values = randomValues(count: 10_000, offset: offset, seed: 1)
        var moments = RunningMoments()
        for x in values { moments.add(x) }
        let exact = twoPassMoments(values)
        // Values near 1e9 carry deviations of order 1 only to ulp(1e9) ≈ 1.2e-7, so both methods
        // can only agree to about that; the naive Σx² − n·mean² would lose every digit.
        let tolerance = offset == 0 ? 1e-12 : 1e-7
        #expect(moments.count == values.count)
        #expect((moments.mean - exact.mean).magnitude <= 1e-13 * exact.mean.magnitude)
        #expect((moments.variance - exact.variance).magnitude <= tolerance * exact.variance)
        #expect((moments.standardDeviation - exact.variance.squareRoot()).magnitude <= tolerance * exact.variance.squareRoot())
        #expect(moments.min == values.min())
        #expect(moments.max == values.max())
    }

    @Test(arguments: [0, 1, 2, 17, 5_000, 9_999, 10_000])
    func `merging partial summaries equals one pass`(split: Int) {
        let values = randomValues(count: 10_000, offset: 100, seed: 2)
        var whole = RunningMoments()
        var left = RunningMoments()
        var right = RunningMoments()
        for (index, x) in values.enumerated() {
            whole.add(x)
            if index < split { left.add(x) } else { right.add(x) }
        }
        left.merge(right)
        #expect(left.count == whole.count)
        #expect((left.mean - whole.mean).magnitude <= 1e-13 * whole.mean)
        #expect((left.variance - whole.variance).magnitude <= 1e-11 * whole.variance)
        #expect(left.min == whole.min)
        #expect(left.max == whole.max)
    }

    @Test func `an empty summary has neutral values`() {
        let empty = RunningMoments()
        #expect(empty.count == 0)
        #expect(empty.mean == 0)
        #expect(empty.variance == 0)
        #expect(empty.min == .infinity)
        #expect(empty.max == -.infinity)
        var one = RunningMoments()
        one.add(3)
        #expect(one.mean == 3 && one.variance == 0 && one.min == 3 && one.max == 3)
        var merged = RunningMoments()
        merged.merge(one)
        merged.merge(empty)
        #expect(merged == one)
    }

    @Test func `small exact cases`() {
        var moments = RunningMoments()
        for x in [2.0, 4, 4, 4, 5, 5, 7, 9] { moments.add(x) }
        #expect(moments.mean == 5)
        #expect(moments.variance == 32.0 / 7)
    }
}
