import SimulationKernel
import Testing
import ModelFormat

struct BoundsTests {
    @Test func `checks inclusive and exclusive bounds`() {
        #expect(Bounds<Int>.positive.contains(1))
        #expect(!Bounds<Int>.positive.contains(0))
        #expect(Bounds<Double>.nonNegative.contains(0))
        #expect(!Bounds<Double>.nonNegative.contains(-0.5))
        #expect(Bounds(1...10).contains(10))
        #expect(!Bounds(1...10).contains(11))
        #expect(!Bounds<Double>.lessThan(100).contains(100))
        #expect(Bounds<Double>.atMost(100).contains(100))
        #expect(!Bounds<Double>(lower: 0, isLowerInclusive: false, upper: 1).contains(0))
        #expect(!Bounds<Interval>.positive.contains(.zero))
    }

    @Test(arguments: [
        (Bounds<Int>.positive, "must be positive"),
        (.nonNegative, "must not be negative"),
        (Bounds(1...10_000), "must be between 1 and 10000"),
        (.atLeast(5), "must be at least 5"),
        (.greaterThan(5), "must be greater than 5"),
        (.atMost(5), "must be at most 5"),
        (.lessThan(5), "must be less than 5"),
        (Bounds(lower: 0, isLowerInclusive: false, upper: 100, isUpperInclusive: false), "must be greater than 0 and less than 100"),
    ])
    func `states its requirement as the start of a message`(bounds: Bounds<Int>, expected: String) {
        #expect(bounds.requirement { String($0) } == expected)
    }
}
