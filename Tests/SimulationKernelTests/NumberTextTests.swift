import SimulationKernel
import Testing

struct NumberTextTests {
    @Test(arguments: [
        (0.0, "0"), (12.0, "12"), (0.25, "0.25"), (-3.5, "-3.5"), (1.0 / 3.0, "0.333333"),
        (2.0 / 3.0, "0.666667"), (0.0000004, "4e-07"), (0.000001, "0.000001"), (123456.7891234, "123456.789123"),
        (1e13, "10000000000000"), (1e20, "1e+20"), (-0.0000001, "-1e-07"), (Double.nan, "nan"), (Double.infinity, "inf"),
    ])
    func `reals are spelled with at most six decimals and no locale`(value: Double, text: String) {
        #expect(NumberText.decimal(value) == text)
    }

    @Test func `intervals and instants print seconds with nine exact decimals`() {
        #expect(Interval.milliseconds(250).description == "0.250000000")
        #expect(Instant(nanoseconds: 12_000_000_001).description == "12.000000001")
        #expect(Interval(nanoseconds: -5).description == "-0.000000005")
    }

    @Test func `a sampled interval rounds to the nearest nanosecond and never goes negative`() {
        #expect(Interval.sampled(seconds: 1.5e-9).nanoseconds == 2)
        #expect(Interval.sampled(seconds: -1).nanoseconds == 0)
        #expect(Interval.sampled(seconds: .nan).nanoseconds == 0)
        #expect(Interval.sampled(seconds: 1e30) == .forever)
    }

    @Test func `instants saturate instead of overflowing`() {
        #expect(Instant(nanoseconds: .max - 1) + .seconds(5) == .distantFuture)
    }
}
