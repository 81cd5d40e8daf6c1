/// Elementary functions written in plain Swift, so no platform libm decides a sampled value.
///
/// `log` and `exp` follow fdlibm (Sun Microsystems, 1993), as musl used them until 2018: argument
/// reduction with ln 2 split into a high part with trailing zero bits and a low part, then a
/// minimax polynomial. Both are within 1 ulp of the exact result over their whole domain. Every
/// operation is an IEEE 754 basic operation (+, −, ×, ÷, √), which IEEE 754 rounds exactly, and
/// Swift does not contract them into fused multiply-adds, so the results are bit-identical on
/// every platform.
public enum DeterministicMath {
    /// ln 2, high part: 32 significant bits, so `k * ln2High` is exact for |k| < 2¹¹.
    @inlinable static var ln2High: Double { 6.93147180369123816490e-01 }  // 0x3fe62e42fee00000
    /// ln 2 − `ln2High`.
    @inlinable static var ln2Low: Double { 1.90821492927058770002e-10 }  // 0x3dea39ef35793c76
    /// 1 / ln 2.
    @inlinable static var inverseLn2: Double { 1.44269504088896338700e+00 }  // 0x3ff71547652b82fe

    // Coefficients of the fdlibm log polynomial R(z) ≈ (log((1+s)/(1−s)) − 2s) / s, z = s².
    @inlinable static var lg1: Double { 6.666666666666735130e-01 }
    @inlinable static var lg2: Double { 3.999999999940941908e-01 }
    @inlinable static var lg3: Double { 2.857142874366239149e-01 }
    @inlinable static var lg4: Double { 2.222219843214978396e-01 }
    @inlinable static var lg5: Double { 1.818357216161805012e-01 }
    @inlinable static var lg6: Double { 1.531383769920937332e-01 }
    @inlinable static var lg7: Double { 1.479819860511658591e-01 }

    // Coefficients of the fdlibm exp polynomial.
    @inlinable static var p1: Double { 1.66666666666666019037e-01 }
    @inlinable static var p2: Double { -2.77777777770155933842e-03 }
    @inlinable static var p3: Double { 6.61375632143793436117e-05 }
    @inlinable static var p4: Double { -1.65339022054652515390e-06 }
    @inlinable static var p5: Double { 4.13813679705723846039e-08 }

    /// Splits a positive, finite, normal or subnormal `x` into `m · 2^k` with m in [√2/2, √2).
    @inlinable
    static func reduceForLog(_ x: Double) -> (m: Double, k: Int) {
        var bits = x.bitPattern
        var k = 0
        if bits < 0x0010_0000_0000_0000 {  // subnormal: scale up by 2⁵⁴
            bits = (x * 0x1p54).bitPattern
            k = -54
        }
        var high = UInt32(truncatingIfNeeded: bits >> 32)
        high &+= 0x3ff0_0000 &- 0x3fe6_a09e
        k += Int(high >> 20) - 0x3ff
        high = (high & 0x000f_ffff) &+ 0x3fe6_a09e
        bits = UInt64(high) << 32 | (bits & 0xffff_ffff)
        return (Double(bitPattern: bits), k)
    }

    /// The natural logarithm of `x`, within 1 ulp.
    ///
    /// Special values: `log(0) = -inf`, `log(+inf) = +inf`, `log(1) = 0`, and NaN for a negative
    /// or NaN argument. Subnormal arguments are handled exactly.
    ///
    /// - Parameter x: The argument.
    /// - Returns: ln *x*.
    @inlinable
    public static func log(_ x: Double) -> Double {
        let bits = x.bitPattern
        if bits >= 0x7ff0_0000_0000_0000 {  // negative (including −0), +inf or NaN
            if x == 0 { return -.infinity }
            if x.isNaN { return x }
            if x == .infinity { return x }
            return .nan
        }
        if bits == 0 { return -.infinity }
        if bits == 0x3ff0_0000_0000_0000 { return 0 }
        let (m, k) = reduceForLog(x)
        let f = m - 1.0
        let halfSquare = 0.5 * f * f
        let s = f / (2.0 + f)
        let z = s * s
        let w = z * z
        let t1 = w * (lg2 + w * (lg4 + w * lg6))
        let t2 = z * (lg1 + w * (lg3 + w * (lg5 + w * lg7)))
        let r = t2 + t1
        let dk = Double(k)
        return s * (halfSquare + r) + dk * ln2Low - halfSquare + f + dk * ln2High
    }

    /// The natural logarithm of `x` as an unevaluated sum `high + low`, to about 2⁻⁵⁹ relative.
    ///
    /// - Parameter x: A positive, finite argument.
    /// - Returns: `high`, ln *x* rounded, and `low`, the remainder.
    @inlinable
    static func logExtended(_ x: Double) -> (high: Double, low: Double) {
        let (m, k) = reduceForLog(x)
        let f = m - 1.0  // exact (Sterbenz)
        // s = f / (2 + f) as sHigh + sLow.
        let d = 2.0 + f
        let dLow = (2.0 - d) + f  // exact, since |2| ≥ |f|
        let sHigh = f / d
        let quotientCheck = sHigh * d
        // f − sHigh·(d + dLow); f − sHigh·d is exact by Sterbenz's lemma, as sHigh·d ≈ f.
        let residual = (f - quotientCheck) - exactProductError(sHigh, d, quotientCheck) - sHigh * dLow
        let sLow = residual / d
        let z = sHigh * sHigh
        let w = z * z
        let t1 = w * (lg2 + w * (lg4 + w * lg6))
        let t2 = z * (lg1 + w * (lg3 + w * (lg5 + w * lg7)))
        let correction = sHigh * (t2 + t1)
        // log = k·ln2High + 2·sHigh + (k·ln2Low + 2·sLow + correction)
        let dk = Double(k)
        let a = dk * ln2High  // exact
        let b = 2.0 * sHigh
        let sum = a + b
        let bVirtual = sum - a
        let sumError = (a - (sum - bVirtual)) + (b - bVirtual)  // TwoSum
        let tail = sumError + (dk * ln2Low + (2.0 * sLow + correction))
        let high = sum + tail
        let low = tail - (high - sum)
        return (high, low)
    }

    /// Multiplies `x` by 2ⁿ with one rounding, like C's `scalbn`.
    @inlinable
    static func scale(_ x: Double, byPowerOfTwo n: Int) -> Double {
        var y = x
        var n = n
        if n > 1023 {
            y *= 0x1p1023
            n -= 1023
            if n > 1023 {
                y *= 0x1p1023
                n -= 1023
                if n > 1023 { n = 1023 }
            }
        } else if n < -1022 {
            // Scale by 2^(-1022+53) first so the last multiplication is the only inexact one.
            y *= 0x1p-1022 * 0x1p53
            n += 1022 - 53
            if n < -1022 {
                y *= 0x1p-1022 * 0x1p53
                n += 1022 - 53
                if n < -1022 { n = -1022 }
            }
        }
        return y * Double(bitPattern: UInt64(0x3ff + n) << 52)
    }

    /// The exponential function e^x, within 1 ulp.
    ///
    /// Overflows to `+inf` above about 709.78, underflows through the subnormals to 0 below
    /// about −745.13; `exp(-inf) = 0`, and NaN gives NaN.
    ///
    /// - Parameter x: The argument.
    /// - Returns: e^*x*.
    @inlinable
    public static func exp(_ x: Double) -> Double {
        let highWord = UInt32(truncatingIfNeeded: x.bitPattern >> 32)
        let isNegative = highWord >> 31 != 0
        let magnitudeHigh = highWord & 0x7fff_ffff
        if magnitudeHigh >= 0x4086_232b {  // |x| ≥ 708.39…
            if x.isNaN { return x }
            if x > 709.782712893383973096 { return .infinity }
            if x < -745.13321910194110842 { return 0 }
        }
        var r = x
        let high: Double
        let low: Double
        let k: Int
        if magnitudeHigh > 0x3fd6_2e42 {  // |x| > ln2 / 2
            if magnitudeHigh >= 0x3ff0_a2b2 {  // |x| ≥ 1.5 ln2
                k = Int(inverseLn2 * x + (isNegative ? -0.5 : 0.5))
            } else {
                k = isNegative ? -1 : 1
            }
            high = x - Double(k) * ln2High  // k·ln2High is exact here
            low = Double(k) * ln2Low
            r = high - low
        } else if magnitudeHigh > 0x3e30_0000 {  // |x| > 2⁻²⁸
            k = 0
            high = x
            low = 0
        } else {
            return 1 + x
        }
        let rr = r * r
        let c = r - rr * (p1 + rr * (p2 + rr * (p3 + rr * (p4 + rr * p5))))
        let y = 1 + (r * c / (2 - c) - low + high)
        if k == 0 { return y }
        return scale(y, byPowerOfTwo: k)
    }

    /// e^x − 1, accurate also when x is near zero (Kahan's method: a few ulp).
    ///
    /// - Parameter x: The argument.
    /// - Returns: e^*x* − 1.
    @inlinable
    public static func expMinusOne(_ x: Double) -> Double {
        let u = exp(x)
        if u == 1 { return x }
        let um1 = u - 1
        if um1 == -1 { return -1 }
        if u == .infinity || x.isNaN { return u - 1 }
        return um1 * x / log(u)
    }

    /// ln(1 + x), accurate also when x is near zero (Goldberg's method: a few ulp).
    ///
    /// - Parameter x: The argument; −1 gives `-inf`, below −1 gives NaN.
    /// - Returns: ln(1 + *x*).
    @inlinable
    public static func logOnePlus(_ x: Double) -> Double {
        let u = 1 + x
        if u == 1 { return x }
        if u == .infinity || !x.isFinite { return log(u) }
        return log(u) * x / (u - 1)
    }

    /// (e^x − 1) / x, continuous at zero where it is 1.
    @inlinable
    static func relativeExpMinusOne(_ x: Double) -> Double {
        if x == 0 { return 1 }
        if x.magnitude < 1e-5 { return 1 + x * (0.5 + x * (1.0 / 6 + x / 24)) }
        return expMinusOne(x) / x
    }

    /// x raised to the power y, for positive x, to within a few ulp.
    ///
    /// Computed as e^(y · ln x) with ln x carried in two parts to about 2⁻⁵⁸ relative precision and
    /// the product y · ln x also carried in two parts (Dekker's exact product). The error is about 1.5 ulp plus
    /// |y · ln x| · 2⁻⁵⁸ relative: under 2 ulp for results between e⁻⁶⁴ and e⁶⁴ (measured against
    /// glibc), and under 16 ulp near overflow and underflow. Not correctly rounded, hence the name;
    /// `exp(y * log(x))` would lose up to |y · ln x| ulp (hundreds near overflow).
    ///
    /// Special values: `powPositive(x, 0) = 1`, `powPositive(1, y) = 1`; `+inf` for x and
    /// overflowing results behave as the limits; x ≤ 0 or NaN gives NaN.
    ///
    /// - Parameters:
    ///   - x: The base; must be positive.
    ///   - y: The exponent.
    /// - Returns: *x*^*y*.
    @inlinable
    public static func powPositive(_ x: Double, _ y: Double) -> Double {
        if y == 0 { return 1 }
        if x == 1 { return 1 }
        if x.isNaN || y.isNaN || x <= 0 { return .nan }
        if x == .infinity { return y > 0 ? .infinity : 0 }
        if y.isInfinite { return (x > 1) == (y > 0) ? .infinity : 0 }
        let (logHigh, logLow) = logExtended(x)
        let productHigh = y * logHigh
        if productHigh > 710 { return .infinity }
        if productHigh < -746 { return 0 }
        let productLow = exactProductError(y, logHigh, productHigh) + y * logLow
        let e = exp(productHigh)
        if e.isInfinite || e == 0 { return e }
        return e + e * productLow
    }

    /// The rounding error of `a * b`, given `product == a * b` rounded: exact, by Dekker's
    /// product with Veltkamp's splitting (no fused multiply-add, so no libm call on any target).
    ///
    /// Exact when |a| and |b| are below 2⁹⁹⁵ and the product does not underflow.
    @inlinable
    static func exactProductError(_ a: Double, _ b: Double, _ product: Double) -> Double {
        let (aHigh, aLow) = split(a)
        let (bHigh, bLow) = split(b)
        return ((aHigh * bHigh - product) + aHigh * bLow + aLow * bHigh) + aLow * bLow
    }

    /// Splits a double into two halves of 26 significant bits each, whose sum is exact.
    @inlinable
    static func split(_ a: Double) -> (high: Double, low: Double) {
        let c = 134_217_729.0 * a  // 2²⁷ + 1
        let high = c - (c - a)
        return (high, a - high)
    }
}
