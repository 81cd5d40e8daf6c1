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
    /// Whether a byte makes a field need quotes: a comma, a quote or a line end.
    @inline(__always)
    static func needsQuoting(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 10 || byte == 13
    }

    /// A field, quoted (with doubled quotes) only when it holds a comma, a quote or a line break.
    public static func field(_ text: String) -> String {
        if text.utf8.contains(where: needsQuoting) {
            return "\"" + text.replacingEvery("\"", with: "\"\"") + "\""
        }
        return text
    }

    /// Appends `field(text)`'s UTF-8 bytes to `bytes`.
    public static func appendField(_ text: String, to bytes: inout [UInt8]) {
        // Scanned and copied as one contiguous buffer (a farm writes a field per row, 500,000 rows).
        var text = text
        let isPlain = text.withUTF8 { utf8 in
            if utf8.contains(where: needsQuoting) { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if !isPlain { bytes.append(contentsOf: field(text).utf8) }
    }

    /// Appends text known to need no quoting (a metric's name), as one contiguous copy.
    @inline(__always)
    static func appendPlain(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends a metric row's `component,metric,value` and its line end to `bytes`: the part a
    /// `series.csv` row (after its time) and a `summary.csv` row share.
    public static func appendMetricRow(_ row: MetricRow, to bytes: inout [UInt8]) {
        appendField(row.component, to: &bytes)
        bytes.append(UInt8(ascii: ","))
        appendPlain(row.metric, to: &bytes)
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
