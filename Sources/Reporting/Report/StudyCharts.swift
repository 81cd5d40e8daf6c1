#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// The charts of a study's report, drawn as inline SVG.
enum StudyCharts {
    static let width: Double = 520
    static let height: Double = 190
    static let left: Double = 64, right: Double = 14, top: Double = 12, bottom: Double = 34

    /// A number for labels: `0.393`, `12.5k`.
    static func label(_ value: Double) -> String { ValueText.short(value) }

    /// For a sweep: one chart per measure, the first parameter along x (by value when every value
    /// is a number), one line per combination of the other parameters, each point's mean with its
    /// confidence interval as a bar.
    static func sweep(_ table: StudyTable, parameters: [String]) -> String {
        guard let first = parameters.first else { return table.rows.isEmpty ? "" : Self.table(table) }
        var measures: [String] = []
        var rowsOf: [String: [[String]]] = [:]
        for row in table.rows {
            let measure = table.measure(row)
            if rowsOf[measure] == nil { measures.append(measure) }
            rowsOf[measure, default: []].append(row)
        }
        // Measures that do not change across the points say nothing here.
        let varying = measures.filter { measure in Set(rowsOf[measure]!.map { table.field($0, "mean") }).count > 1 }
        var html = "<h2>Each measure against \(HTMLText.escape(first))</h2>"
        html += "<p>Dots are the means over the replications, bars their \(HTMLText.escape(table.rows.first.map { table.field($0, "level") } ?? "")) confidence intervals."
        if varying.count < measures.count { html += " \(measures.count - varying.count) measures that are the same at every point are left out (see study.csv)." }
        html += "</p><div class=\"cards\" style=\"display:grid;grid-template-columns:repeat(auto-fill,minmax(440px,1fr));gap:8px\">"
        for measure in varying.prefix(chartLimit) {
            html += "<section class=\"component\" data-chart=\"sweep\" data-measure=\"\(HTMLText.escape(measure))\"><h3>\(HTMLText.escape(measure))</h3>"
            html += sweepChart(rowsOf[measure]!, table: table, parameters: parameters) + "</section>"
        }
        html += "</div>"
        if varying.count > chartLimit { html += "<p>\(varying.count - chartLimit) more measures are in study.csv.</p>" }
        return html
    }

    static let chartLimit = StudyReportPage.chartLimit

    static func sweepChart(_ rows: [[String]], table: StudyTable, parameters: [String]) -> String {
        let xValues = rows.map { table.field($0, parameters[0]) }
        var categories: [String] = []
        for value in xValues where !categories.contains(value) { categories.append(value) }
        let numeric = categories.compactMap(Double.init)
        let isNumeric = numeric.count == categories.count && Set(numeric).count > 1
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        func x(_ value: String) -> Double {
            if isNumeric, let number = Double(value), let low = numeric.min(), let high = numeric.max() {
                return left + 12 + (plotWidth - 24) * (number - low) / (high - low)
            }
            let index = Double(categories.firstIndex(of: value) ?? 0)
            return left + plotWidth * (index + 0.5) / Double(max(1, categories.count))
        }
        let lows = rows.map { table.number($0, "ciLow") ?? table.number($0, "mean") ?? 0 }.filter(\.isFinite)
        let highs = rows.map { table.number($0, "ciHigh") ?? table.number($0, "mean") ?? 0 }.filter(\.isFinite)
        var low = lows.min() ?? 0, high = highs.max() ?? 1
        if high - low < 1e-12 { low -= 0.5; high += 0.5 }
        let pad = (high - low) * 0.08
        low -= pad; high += pad
        func y(_ value: Double) -> Double { top + plotHeight * (1 - (value - low) / (high - low)) }
        var parts = ["<svg class=\"study-chart\" viewBox=\"0 0 \(HTMLText.number(width)) \(HTMLText.number(height))\" role=\"img\">"]
        parts.append("<rect class=\"plot\" x=\"\(HTMLText.number(left))\" y=\"\(HTMLText.number(top))\" width=\"\(HTMLText.number(plotWidth))\" height=\"\(HTMLText.number(plotHeight))\"/>")
        for value in [low + pad, (low + high) / 2, high - pad] {
            parts.append("<line class=\"grid\" x1=\"\(HTMLText.number(left))\" x2=\"\(HTMLText.number(left + plotWidth))\" y1=\"\(HTMLText.number(y(value)))\" y2=\"\(HTMLText.number(y(value)))\"/>")
            parts.append("<text class=\"ylabel\" x=\"\(HTMLText.number(left - 4))\" y=\"\(HTMLText.number(y(value) + 3.5))\">\(HTMLText.escape(label(value)))</text>")
        }
        for category in categories {
            parts.append("<text class=\"xlabel\" x=\"\(HTMLText.number(x(category)))\" y=\"\(HTMLText.number(top + plotHeight + 14))\">\(HTMLText.escape(category))</text>")
        }
        parts.append("<text class=\"xlabel\" x=\"\(HTMLText.number(left + plotWidth / 2))\" y=\"\(HTMLText.number(height - 4))\">\(HTMLText.escape(parameters[0]))</text>")
        // One line per combination of the other parameters.
        var groups: [String] = []
        var groupRows: [String: [[String]]] = [:]
        for row in rows {
            let key = parameters.dropFirst().map { $0 + "=" + table.field(row, $0) }.joined(separator: ", ")
            if groupRows[key] == nil { groups.append(key) }
            groupRows[key, default: []].append(row)
        }
        for (index, group) in groups.enumerated() {
            let color = PanelBuilder.Color.sequence[index % PanelBuilder.Color.sequence.count]
            let members = groupRows[group]!.sorted { x(table.field($0, parameters[0])) < x(table.field($1, parameters[0])) }
            let offset = groups.count > 1 ? (Double(index) - Double(groups.count - 1) / 2) * 4 : 0
            var line = ""
            for row in members {
                guard let mean = table.number(row, "mean"), mean.isFinite else { continue }
                let px = x(table.field(row, parameters[0])) + offset
                line += (line.isEmpty ? "M" : "L") + HTMLText.number(px) + " " + HTMLText.number(y(mean))
            }
            if !line.isEmpty { parts.append("<path class=\"ci-line\" stroke=\"\(color)\" d=\"\(line)\"/>") }
            for row in members {
                guard let mean = table.number(row, "mean"), mean.isFinite else { continue }
                let px = HTMLText.number(x(table.field(row, parameters[0])) + offset)
                var tip = "\(parameters[0]) = \(table.field(row, parameters[0]))\(group.isEmpty ? "" : ", " + group): mean \(label(mean))"
                if let lower = table.number(row, "ciLow"), let upper = table.number(row, "ciHigh"), lower.isFinite, upper.isFinite {
                    tip += ", interval \(label(lower)) to \(label(upper))"
                    parts.append("<path class=\"ci\" stroke=\"\(color)\" d=\"M\(px) \(HTMLText.number(y(lower)))V\(HTMLText.number(y(upper)))M\(HTMLText.number(Double(px)! - 4)) \(HTMLText.number(y(lower)))h8M\(HTMLText.number(Double(px)! - 4)) \(HTMLText.number(y(upper)))h8\"/>")
                }
                tip += " (n=\(table.field(row, "n")))"
                parts.append("<circle class=\"ci-mean\" fill=\"\(color)\" cx=\"\(px)\" cy=\"\(HTMLText.number(y(mean)))\" r=\"3.2\"><title>\(HTMLText.escape(tip))</title></circle>")
            }
            if !group.isEmpty {
                parts.append("<text x=\"\(HTMLText.number(left + 6))\" y=\"\(HTMLText.number(top + 12 + Double(index) * 12))\" fill=\"\(color)\" style=\"fill:\(color)\">\(HTMLText.escape(group))</text>")
            }
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    /// For a compare: per measure, each variant's paired difference from the baseline with its
    /// interval, around a zero line; intervals that leave out zero in red.
    static func compare(_ table: StudyTable) -> String {
        var measures: [String] = []
        var rowsOf: [String: [[String]]] = [:]
        for row in table.rows {
            let measure = table.measure(row)
            if rowsOf[measure] == nil { measures.append(measure) }
            rowsOf[measure, default: []].append(row)
        }
        let differing = measures.filter { measure in rowsOf[measure]!.contains { (table.number($0, "difference") ?? 0) != 0 || (table.number($0, "halfWidth") ?? 0) != 0 } }
        let baseline = table.rows.first.map { table.field($0, "baseline") } ?? ""
        var html = "<h2>Paired differences from \(HTMLText.escape(baseline))</h2>"
        html += "<p>Each bar is a variant's mean difference (variant − baseline) over paired replications on common random numbers, with its \(HTMLText.escape(table.rows.first.map { table.field($0, "level") } ?? "")) confidence interval; red where the interval leaves out zero."
        if differing.count < measures.count { html += " \(measures.count - differing.count) measures with no difference at all are left out (see comparison.csv)." }
        html += "</p><div class=\"cards\" style=\"display:grid;grid-template-columns:repeat(auto-fill,minmax(440px,1fr));gap:8px\">"
        for measure in differing.prefix(chartLimit) {
            html += "<section class=\"component\" data-chart=\"compare\" data-measure=\"\(HTMLText.escape(measure))\"><h3>\(HTMLText.escape(measure))</h3>"
            html += compareChart(rowsOf[measure]!, table: table) + "</section>"
        }
        html += "</div>"
        if differing.count > chartLimit { html += "<p>\(differing.count - chartLimit) more measures are in comparison.csv.</p>" }
        return html
    }

    static func compareChart(_ rows: [[String]], table: StudyTable) -> String {
        let rowHeight: Double = 26
        let labelWidth: Double = 190
        let chartHeight = top + rowHeight * Double(rows.count) + 22
        let plotLeft = labelWidth, plotWidth = width - labelWidth - right
        var low = 0.0, high = 0.0
        for row in rows {
            for column in ["ciLow", "ciHigh", "difference"] {
                if let value = table.number(row, column), value.isFinite { low = min(low, value); high = max(high, value) }
            }
        }
        if high - low < 1e-12 { low -= 1; high += 1 }
        let pad = (high - low) * 0.08
        low -= pad; high += pad
        func x(_ value: Double) -> Double { plotLeft + plotWidth * (value - low) / (high - low) }
        var parts = ["<svg class=\"study-chart\" viewBox=\"0 0 \(HTMLText.number(width)) \(HTMLText.number(chartHeight))\" role=\"img\">"]
        parts.append("<line class=\"zero\" x1=\"\(HTMLText.number(x(0)))\" x2=\"\(HTMLText.number(x(0)))\" y1=\"\(HTMLText.number(top - 4))\" y2=\"\(HTMLText.number(chartHeight - 18))\"/>")
        for value in [low + pad, high - pad] {
            parts.append("<text class=\"xlabel\" x=\"\(HTMLText.number(x(value)))\" y=\"\(HTMLText.number(chartHeight - 5))\">\(HTMLText.escape(label(value)))</text>")
        }
        for (index, row) in rows.enumerated() {
            let y = top + rowHeight * (Double(index) + 0.5)
            let variant = table.field(row, "variant")
            let shortName = variant.split(separator: "/").last.map(String.init) ?? variant
            parts.append("<text x=\"4\" y=\"\(HTMLText.number(y + 3.5))\">\(HTMLText.escape(shortName))</text>")
            guard let difference = table.number(row, "difference"), difference.isFinite else { continue }
            let lower = table.number(row, "ciLow") ?? difference, upper = table.number(row, "ciHigh") ?? difference
            let excludes = lower > 0 || upper < 0
            let mark = excludes ? " excludes-zero" : ""
            parts.append("<path class=\"ci\(mark)\" d=\"M\(HTMLText.number(x(lower))) \(HTMLText.number(y))H\(HTMLText.number(x(upper)))M\(HTMLText.number(x(lower))) \(HTMLText.number(y - 4))v8M\(HTMLText.number(x(upper))) \(HTMLText.number(y - 4))v8\"/>")
            let tip = "\(variant) − \(table.field(row, "baseline")): \(label(difference)), interval \(label(lower)) to \(label(upper)) (n=\(table.field(row, "n")); means \(label(table.number(row, "baselineMean") ?? 0)) → \(label(table.number(row, "variantMean") ?? 0)))"
            parts.append("<circle class=\"ci-mean\(mark)\" cx=\"\(HTMLText.number(x(difference)))\" cy=\"\(HTMLText.number(y))\" r=\"3.5\"><title>\(HTMLText.escape(tip))</title></circle>")
            parts.append("<text x=\"\(HTMLText.number(width - right))\" y=\"\(HTMLText.number(y - 6))\" style=\"text-anchor:end\">\(HTMLText.escape((difference > 0 ? "+" : "") + label(difference)))</text>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    /// For a replication study: the intervals as a table.
    static func table(_ table: StudyTable) -> String {
        var html = "<h2>Confidence intervals</h2><table class=\"study\" data-chart=\"replicate\"><tr><th>measure</th><th>n</th><th>mean</th><th>interval</th></tr>"
        for row in table.rows {
            let interval = [table.number(row, "ciLow"), table.number(row, "ciHigh")].compactMap { $0 }.map(label).joined(separator: " to ")
            html += "<tr><td>\(HTMLText.escape(table.measure(row)))</td><td>\(HTMLText.escape(table.field(row, "n")))</td><td>\(HTMLText.escape(table.number(row, "mean").map(label) ?? ""))</td><td>\(HTMLText.escape(interval))</td></tr>"
        }
        return html + "</table>"
    }
}
