import Glibc
import SimulationKernel
import Testing

/// The distance between two doubles in units in the last place; 0 when both are NaN.
func ulpDistance(_ a: Double, _ b: Double) -> UInt64 {
    if a.isNaN && b.isNaN { return 0 }
    if a.isNaN || b.isNaN { return .max }
    if a == b { return 0 }
    func ordered(_ x: Double) -> Int64 {
        let bits = Int64(bitPattern: x.bitPattern & 0x7fff_ffff_ffff_ffff)
        return x.sign == .minus ? -bits : bits
    }
    return ordered(a) > ordered(b)
        ? UInt64(bitPattern: ordered(a) &- ordered(b)) : UInt64(bitPattern: ordered(b) &- ordered(a))
}

/// A double with a uniformly random biased exponent in `exponents` and random significand bits.
func randomDouble(exponents: ClosedRange<UInt64>, using stream: inout RandomStream) -> Double {
    let exponent = exponents.lowerBound + stream.next(below: exponents.upperBound - exponents.lowerBound + 1)
    return Double(sign: .plus, exponentBitPattern: UInt(exponent), significandBitPattern: stream.next() >> 12)
}

let mathArgumentCount = 1_000_000

struct DeterministicMathTests {
    @Test func `log is within one ulp of glibc across the positive doubles`() {
        var stream = RandomStream(seed: 1, component: "math", purpose: "log")
        var worst: UInt64 = 0
        var worstArgument = 0.0
        for index in 0..<mathArgumentCount {
            let x: Double
            switch index % 4 {
            case 0, 1: x = randomDouble(exponents: 0...2046, using: &stream)  // includes subnormals
            case 2: x = 1 + (stream.nextUnit() - 0.5) * 0x1p-4 * Double(sign: .plus, exponent: -Int(stream.next(below: 40)), significand: 1)
            default: x = randomDouble(exponents: 1013...1033, using: &stream)  // [2⁻¹⁰, 2¹¹)
            }
            let distance = ulpDistance(DeterministicMath.log(x), Glibc.log(x))
            if distance > worst { worst = distance; worstArgument = x }
        }
        #expect(worst <= 1, "worst \(worst) ulp at \(worstArgument)")
    }

    @Test func `exp is within one ulp of glibc across its domain`() {
        var stream = RandomStream(seed: 1, component: "math", purpose: "exp")
        var worst: UInt64 = 0
        var worstArgument = 0.0
        for index in 0..<mathArgumentCount {
            let x: Double
            switch index % 4 {
            case 0: x = -745.2 + 1455.1 * stream.nextUnit()
            case 1: x = -2 + 4 * stream.nextUnit()
            case 2: x = 700 + 10 * stream.nextUnit()
            default:
                let magnitude = randomDouble(exponents: 963...1032, using: &stream)  // [2⁻⁶⁰, 2¹⁰)
                x = stream.next() & 1 == 0 ? magnitude : -magnitude
            }
            let distance = ulpDistance(DeterministicMath.exp(x), Glibc.exp(x))
            if distance > worst { worst = distance; worstArgument = x }
        }
        #expect(worst <= 1, "worst \(worst) ulp at \(worstArgument)")
    }

    @Test(arguments: [
        0.0, -0.0, Double.leastNonzeroMagnitude, 2 * Double.leastNonzeroMagnitude, Double.leastNormalMagnitude.nextDown,
        Double.leastNormalMagnitude, 1, 1.0.nextUp, 1.0.nextDown, 2, 0.5, 0x1.6a09e667f3bcdp-1,
        0x1.6a09e667f3bcdp0, Double.greatestFiniteMagnitude, Double.infinity, -1, -Double.infinity, Double.nan,
        2.718281828459045, 10, 1e-300, 1e300,
    ])
    func `log matches glibc on edge cases`(x: Double) {
        #expect(ulpDistance(DeterministicMath.log(x), Glibc.log(x)) <= 1, "log(\(x)) = \(DeterministicMath.log(x))")
    }

    @Test func `log has the documented special values`() {
        #expect(DeterministicMath.log(0) == -.infinity)
        #expect(DeterministicMath.log(-0.0) == -.infinity)
        #expect(DeterministicMath.log(.infinity) == .infinity)
        #expect(DeterministicMath.log(1) == 0)
        #expect(DeterministicMath.log(-1).isNaN)
        #expect(DeterministicMath.log(-.infinity).isNaN)
        #expect(DeterministicMath.log(.nan).isNaN)
        #expect(DeterministicMath.log(Double.leastNonzeroMagnitude) == -744.4400719213812)
    }

    @Test(arguments: [
        0.0, -0.0, 1, -1, 0x1p-28, -0x1p-28, 0x1p-29, 1e-300, Double.leastNonzeroMagnitude, 0.34657359027997264,
        0.3465735902799727, 1.0397207708399179, 709.782712893383973096, 709.7827128933841, 709.78, 710,
        -708.39641853226410622, -708.4, -745.13321910194110842, -745.1332191019412, -745.2, -744.44,
        -720, Double.infinity, -Double.infinity, Double.nan, Double.greatestFiniteMagnitude,
        -Double.greatestFiniteMagnitude,
    ])
    func `exp matches glibc on edge cases`(x: Double) {
        #expect(ulpDistance(DeterministicMath.exp(x), Glibc.exp(x)) <= 1, "exp(\(x)) = \(DeterministicMath.exp(x))")
    }

    @Test func `exp has the documented special values`() {
        #expect(DeterministicMath.exp(0) == 1)
        #expect(DeterministicMath.exp(710) == .infinity)
        #expect(DeterministicMath.exp(.infinity) == .infinity)
        #expect(DeterministicMath.exp(-.infinity) == 0)
        #expect(DeterministicMath.exp(-746) == 0)
        #expect(DeterministicMath.exp(-745) == Double.leastNonzeroMagnitude)
        #expect(DeterministicMath.exp(.nan).isNaN)
        #expect(ulpDistance(DeterministicMath.exp(1), 2.718281828459045) <= 1)
    }

    @Test func `powPositive is within a few ulp of glibc`() {
        var stream = RandomStream(seed: 1, component: "math", purpose: "pow")
        var worstModerate: UInt64 = 0
        var worstOverall: UInt64 = 0
        for _ in 0..<200_000 {
            let x = randomDouble(exponents: 923...1123, using: &stream)  // [2⁻¹⁰⁰, 2¹⁰⁰)
            let y = (stream.nextUnit() - 0.5) * 2 * Double(1 << stream.next(below: 12))
            let expected = Glibc.pow(x, y)
            guard expected.isFinite && expected >= Double.leastNormalMagnitude else { continue }
            let distance = ulpDistance(DeterministicMath.powPositive(x, y), expected)
            worstOverall = max(worstOverall, distance)
            if (y * Glibc.log(x)).magnitude < 64 { worstModerate = max(worstModerate, distance) }
        }
        #expect(worstModerate <= 2)
        #expect(worstOverall <= 16)
    }

    @Test func `powPositive has the documented special values`() {
        #expect(DeterministicMath.powPositive(2, 10) == 1024)
        #expect(ulpDistance(DeterministicMath.powPositive(9, 0.5), 3) <= 1)
        #expect(DeterministicMath.powPositive(5, 0) == 1)
        #expect(DeterministicMath.powPositive(1, .infinity) == 1)
        #expect(DeterministicMath.powPositive(2, 2000) == .infinity)
        #expect(DeterministicMath.powPositive(2, -2000) == 0)
        #expect(DeterministicMath.powPositive(0.5, .infinity) == 0)
        #expect(DeterministicMath.powPositive(.infinity, -1) == 0)
        #expect(DeterministicMath.powPositive(-2, 2).isNaN)
        #expect(DeterministicMath.powPositive(0, 2).isNaN)
    }

    @Test func `logOnePlus and expMinusOne stay accurate near zero`() {
        var stream = RandomStream(seed: 1, component: "math", purpose: "near zero")
        var worstLog: UInt64 = 0
        var worstExp: UInt64 = 0
        for _ in 0..<100_000 {
            let magnitude = randomDouble(exponents: 900...1021, using: &stream)  // [2⁻¹²³, 0.5)
            let x = stream.next() & 1 == 0 ? magnitude : -magnitude
            worstLog = max(worstLog, ulpDistance(DeterministicMath.logOnePlus(x), Glibc.log1p(x)))
            worstExp = max(worstExp, ulpDistance(DeterministicMath.expMinusOne(x), Glibc.expm1(x)))
        }
        #expect(worstLog <= 4)
        #expect(worstExp <= 4)
        #expect(DeterministicMath.logOnePlus(-1) == -.infinity)
        #expect(DeterministicMath.expMinusOne(-800) == -1)
    }
}
