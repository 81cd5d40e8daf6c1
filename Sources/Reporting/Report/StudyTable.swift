#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// A study's CSV file read back as named columns (`study.csv`, `comparison.csv`).
struct StudyTable: Sendable {
    /// The header's names.
    var columns: [String]
    /// The rows, each as many fields as the header.
    var rows: [[String]]

    /// Reads a file of a study's folder.
    ///
    /// - Throws: `ReportError` when the file is missing or a row has the wrong number of fields.
    init(_ path: String) throws(ReportError) {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ReportError(message: "\(path): cannot be read")
        }
        let all = CSVRows.parse(text)
        guard let header = all.first else { throw ReportError(message: "\(path): is empty") }
        columns = header
        rows = Array(all.dropFirst())
        if let bad = rows.firstIndex(where: { $0.count != header.count }) {
            throw ReportError(message: "\(path):\(bad + 2): has \(rows[bad].count) fields, the header \(header.count)")
        }
    }

    /// The field of a row in a named column, or "" when there is no such column.
    func field(_ row: [String], _ column: String) -> String {
        columns.firstIndex(of: column).map { row[$0] } ?? ""
    }

    /// The number in a named column, or nil when it is empty or not a number.
    func number(_ row: [String], _ column: String) -> Double? {
        let text = field(row, column)
        switch text {
        case "inf": return .infinity
        case "-inf": return -.infinity
        default: return Double(text)
        }
    }

    /// What a row measures: `shoppers.successRatio@2m..3m:mean`.
    func measure(_ row: [String]) -> String {
        let window = field(row, "window"), aggregate = field(row, "aggregate")
        return field(row, "component") + "." + field(row, "metric") + (window.isEmpty || window == "0s..end" ? "" : "@" + window)
            + (aggregate.isEmpty || aggregate == "summary" ? "" : ":" + aggregate)
    }
}
