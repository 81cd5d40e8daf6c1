/// Locale-free, platform-independent spelling of numbers for output files.
///
/// `decimal` rounds to at most six decimals (half away from zero) and drops trailing zeros:
/// `0.25`, `12`, `0.000001`, `-3.5`. Magnitudes from 10¹² to 9·10¹⁸ are rounded to whole numbers;
/// larger ones, and non-zero ones below 5·10⁻⁷, take Swift's shortest round-trip spelling
/// (`4e-07`, `1e+20`). NaN is `nan`; infinities are `inf` and `-inf`.
public enum NumberText {
    /// The documented decimal spelling of a real number.
    public static func decimal(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let magnitude = value.magnitude
        if magnitude >= 1e12 && magnitude < 9e18 { return String(Int64(value.rounded(.toNearestOrAwayFromZero))) }
        if magnitude >= 9e18 || (magnitude > 0 && magnitude < 5e-7) { return "\(value)" }
        let scaled = (magnitude * 1e6).rounded(.toNearestOrAwayFromZero)
        let micros = Int64(scaled)
        if micros == 0 { return "0" }
        let whole = micros / 1_000_000
        var fraction = micros % 1_000_000
        var digits = 6
        while digits > 0 && fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        var text = value < 0 ? "-" : ""
        text += String(whole)
        if digits > 0 {
            let fractionText = String(fraction)
            text += "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
        }
        return text
    }
}

extension NumberText {
    /// Appends `decimal(value)`'s UTF-8 bytes to `bytes`, without making a string: for output
    /// files of many rows. The same spelling (a test compares the two over many values).
    @inlinable
    public static func appendDecimal(_ value: Double, to bytes: inout [UInt8]) {
        let magnitude = value.magnitude
        if value.isNaN || value.isInfinite || magnitude >= 9e18 || (magnitude > 0 && magnitude < 5e-7) {
            bytes.append(contentsOf: decimal(value).utf8)
            return
        }
        if magnitude >= 1e12 {
            appendInteger(Int64(value.rounded(.toNearestOrAwayFromZero)), to: &bytes)
            return
        }
        let micros = Int64((magnitude * 1e6).rounded(.toNearestOrAwayFromZero))
        if micros == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        var fraction = micros % 1_000_000
        var digits = 6
        while digits > 0 && fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendInteger(micros / 1_000_000, to: &bytes)
        if digits > 0 {
            bytes.append(UInt8(ascii: "."))
            // `fraction` has at most `digits` digits: the leading ones are zeros.
            var divisor: Int64 = 1
            for _ in 1..<digits { divisor &*= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: fraction / divisor % 10))
                divisor /= 10
            }
        }
    }

    /// Appends `String(value)`'s UTF-8 bytes (decimal digits, a minus sign when negative) to `bytes`.
    @inlinable
    public static func appendInteger(_ value: Int64, to bytes: inout [UInt8]) {
        var magnitude = value.magnitude
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        // At most 20 digits, written backwards into a small buffer, then appended in order.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }
}
