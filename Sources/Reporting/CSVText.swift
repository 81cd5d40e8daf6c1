import FailureChains
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import SimulationKernel

/// The CSV spelling of fields and values, fixed and documented in `docs/output.md`.
public enum CSVText {
    /// A field, quoted (with doubled quotes) only when it holds a comma, a quote or a line break.
    public static func field(_ text: String) -> String {
        if text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) {
            return "\"" + text.replacingEvery("\"", with: "\"\"") + "\""
        }
        return text
    }

    /// Appends `field(text)`'s UTF-8 bytes to `bytes`.
    public static func appendField(_ text: String, to bytes: inout [UInt8]) {
        if text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) {
            bytes.append(contentsOf: field(text).utf8)
        } else {
            bytes.append(contentsOf: text.utf8)
        }
    }

    /// Appends a metric row's `component,metric,value` and its line end to `bytes`: the part a
    /// `series.csv` row (after its time) and a `summary.csv` row share.
    public static func appendMetricRow(_ row: MetricRow, to bytes: inout [UInt8]) {
        appendField(row.component, to: &bytes)
        bytes.append(UInt8(ascii: ","))
        bytes.append(contentsOf: row.metric.utf8)
        bytes.append(UInt8(ascii: ","))
        appendValue(row.value, to: &bytes)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Appends `value(value)`'s UTF-8 bytes to `bytes`.
    public static func appendValue(_ value: MetricValue, to bytes: inout [UInt8]) {
        switch value {
        case .count(let count): NumberText.appendInteger(count, to: &bytes)
        case .real(let real): NumberText.appendDecimal(real, to: &bytes)
        }
    }

    /// A metric value: counts as integers, reals as `NumberText.decimal`.
    public static func value(_ value: MetricValue) -> String {
        switch value {
        case .count(let count): String(count)
        case .real(let real): NumberText.decimal(real)
        }
    }
}
