import FailureChains
import Foundation
import SimulationKernel

/// The CSV spelling of fields and values, fixed and documented in `docs/output.md`.
public enum CSVText {
    /// A field, quoted (with doubled quotes) only when it holds a comma, a quote or a line break.
    public static func field(_ text: String) -> String {
        if text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }

    /// A metric value: counts as integers, reals as `NumberText.decimal`.
    public static func value(_ value: MetricValue) -> String {
        switch value {
        case .count(let count): String(count)
        case .real(let real): NumberText.decimal(real)
        }
    }
}
