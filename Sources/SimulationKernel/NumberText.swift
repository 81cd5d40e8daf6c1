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
