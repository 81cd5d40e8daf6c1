#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Values as the report's axes and tooltips write them: `160`, `12/s`, `250 ms`, `512 MB`, `40%`.
enum ValueText {
    /// A value in a unit, with at most three significant digits.
    static func format(_ value: Double, _ unit: Panel.Unit) -> String {
        switch unit {
        case .count: return short(value)
        case .perSecond: return short(value) + "/s"
        case .ratio: return short(value * 100) + "%"
        case .seconds:
            if value == 0 { return "0" }
            if value < 0.001 { return short(value * 1_000_000) + " µs" }
            if value < 1 { return short(value * 1000) + " ms" }
            return short(value) + " s"
        case .bytes:
            for (size, name) in [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")] where abs(value) >= size {
                return short(value / size) + " " + name
            }
            return short(value) + " B"
        }
    }

    /// A number with at most three significant digits, `k` and `M` for thousands and millions.
    static func short(_ value: Double) -> String {
        guard value.isFinite else { return value > 0 ? "∞" : "−∞" }
        let magnitude = abs(value)
        if magnitude >= 1e6 { return short(value / 1e6) + "M" }
        if magnitude >= 1e4 { return short(value / 1e3) + "k" }
        if magnitude >= 100 || magnitude == 0 { return String(Int64(value.rounded())) }
        if magnitude < 0.001 { return PrintfText.format("%.1e", value) }
        let decimals = magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3
        var text = PrintfText.format("%.\(decimals)f", value)
        while text.contains(".") && (text.hasSuffix("0") || text.hasSuffix(".")) { text.removeLast() }
        return text
    }
}
