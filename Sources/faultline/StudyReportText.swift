import Experiments
import Reporting
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// A study's results as a person reads them on the terminal: one line per point and measure, and
/// for `compare` one line per paired difference.
enum StudyReportText {
    /// The results; without `--metric` (every summary metric), the rows of instances and of
    /// metrics that were 0 in every replication are left to `study.csv`.
    static func text(_ layout: StudyLayout, _ records: [ReplicationRecord], directory: String) -> String {
        let points = layout.pointValues.count
        let all = StudyStatistics.intervals(records, points: points, level: layout.level)
        let isDefault = all.allSatisfy { $0.key.aggregate == "summary" }
        let intervals = isDefault ? all.filter { !$0.key.component.contains("[") && !($0.mean == 0 && ($0.standardDeviation ?? 0) == 0) } : all
        let level = "\(short(layout.level * 100))%"
        var lines: [String] = []
        var rows: [[String]] = []
        for row in intervals {
            let label = pointLabel(layout, row.point)
            let value: String
            if let interval = row.interval {
                let relative = row.relativeHalfWidth.map { $0.isInfinite ? "" : ", ±\(short($0 * 100))%" } ?? ""
                value = "\(short(interval.mean)) ± \(short(interval.halfWidth))  (n=\(row.count)\(relative))"
            } else {
                value = row.mean.map { "\(short($0))  (n=\(row.count), no interval)" } ?? "no data in any replication"
            }
            rows.append([label, row.key.selectorText, value])
        }
        lines.append("\(level) confidence intervals of the mean over replications:")
        lines += table(rows)
        if intervals.count < all.count {
            lines.append("  (\(all.count - intervals.count) more rows, of instances or 0 in every replication, in \(directory)/study.csv; choose measures with --metric)")
        }
        if layout.kind == .compare {
            let differences = PairedDifference.differences(records, points: points, level: layout.level)
            if !differences.isEmpty {
                lines.append("")
                lines.append("paired differences, variant − \(layout.pointValues[0].first ?? "baseline") on the same seeds (\(level)):")
                lines += table(differences.map { difference in
                    let sign = difference.paired.mean >= 0 ? "+" : ""
                    let ratio = difference.widthRatio.map { ", interval \(short($0))× the unpaired one's" } ?? ""
                    return [layout.pointValues[difference.variant].first ?? "", difference.key.selectorText,
                            "\(sign)\(short(difference.paired.mean)) ± \(short(difference.paired.halfWidth))  (n=\(difference.count)\(ratio))"]
                })
            }
        }
        return lines.joined(separator: "\n")
    }

    static func stoppingText(_ stopping: SequentialStopping.Decision, precision: Double, layout: StudyLayout) -> String {
        let target = "\(short(precision * 100))%"
        if stopping.reached {
            guard let decided = stopping.decidedBy else {
                return "precision \(target) reached with the first \(stopping.replications) replications"
            }
            return "precision \(target) reached after \(stopping.replications) replications; decided by \(decided.key.selectorText)\(pointSuffix(layout, decided.point)) (±\(short(decided.relativeHalfWidth * 100))%)"
        }
        let unmet = stopping.unmet.prefix(5).map { entry in
            entry.key.selectorText + pointSuffix(layout, entry.point) + (entry.relativeHalfWidth.map { $0.isInfinite ? " (mean 0)" : " (±\(short($0 * 100))%)" } ?? " (no interval)")
        }
        return "faultline: precision \(target) not reached after \(stopping.replications) replications (--max-replications) by \(stopping.unmet.count) measure\(stopping.unmet.count == 1 ? "" : "s"): \(unmet.joined(separator: ", "))\(stopping.unmet.count > 5 ? ", ..." : "")"
    }

    static func pointLabel(_ layout: StudyLayout, _ point: Int) -> String {
        switch layout.kind {
        case .replicate: ""
        case .compare: layout.pointValues[point].first ?? ""
        case .sweep: zip(layout.parameters, layout.pointValues[point]).map { "\($0)=\($1)" }.joined(separator: " ")
        }
    }

    static func pointSuffix(_ layout: StudyLayout, _ point: Int) -> String {
        layout.kind == .replicate ? "" : " at \(pointLabel(layout, point))"
    }

    /// Four significant digits.
    static func short(_ value: Double) -> String {
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return PrintfText.format("%.4g", value)
    }

    static func table(_ rows: [[String]]) -> [String] {
        guard let width = rows.first?.count else { return [] }
        let widths = (0..<width).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            "  " + row.enumerated().map { column, text in
                column == width - 1 ? text : text.paddedWithSpaces(toLength: widths[column])
            }.filter { !$0.isEmpty }.joined(separator: "  ")
        }
    }
}
