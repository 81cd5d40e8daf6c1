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

    @Test func `reals and integers appended as bytes spell what decimal and String spell`() {
        var stream = RandomStream(seed: 7, component: "numbers", purpose: "spelling")
        var values: [Double] = [0, -0.0, 0.5, 1, -1, 0.0000005, 0.00000049999, 4.9999995e-7, 0.0000015, 999_999.9999995,
                                1e12 - 0.5, 1e12, 8.99e18, 9e18, -9e18, 1e300, .nan, .infinity, -.infinity,
                                .leastNonzeroMagnitude, .greatestFiniteMagnitude, 123456.7891234, 2.0 / 3.0]
        for _ in 0..<20_000 {
            let mantissa = stream.nextUnit() * 2 - 1
            let exponent = Double(Int(stream.next(below: 40)) - 20)
            values.append(mantissa * DeterministicMath.exp(exponent * 2.302585092994046))
            values.append(Double(Int64(bitPattern: stream.next()) >> Int64(stream.next(below: 64))) / 1e6)
        }
        for value in values {
            var bytes: [UInt8] = [UInt8(ascii: "x")]
            NumberText.appendDecimal(value, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == "x" + NumberText.decimal(value), "value \(value)")
        }
        for value in [0, 1, -1, 9, 10, -10, 1_000_000, Int64.max, Int64.min, Int64.min + 1] + (0..<2_000).map({ _ in Int64(bitPattern: stream.next()) }) {
            var bytes: [UInt8] = []
            NumberText.appendInteger(value, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == String(value))
        }
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
