#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Draws one panel as inline SVG: fault windows, grid, stacked areas, lines, bands, limits, and
/// a cursor line the page's script moves.
enum PanelDrawing {
    /// The panel's height in pixels, and its plot's top and height.
    static let height: Double = 112
    static let plotTop: Double = 8
    static let plotHeight: Double = 92

    /// The SVG of a panel.
    ///
    /// - Parameters:
    ///   - panel: What to draw.
    ///   - axis: The shared time axis.
    ///   - faults: The fault windows, shaded across the plot.
    ///   - interval: The length of one series interval, in nanoseconds (points are drawn at the
    ///     middle of their interval; a missing interval breaks a line).
    static func svg(_ panel: Panel, axis: TimeAxis, faults: [FaultWindow], interval: Int64) -> String {
        let scale = YScale(panel)
        var parts: [String] = []
        let width = HTMLText.number(axis.totalWidth)
        parts.append("<svg class=\"chart\" data-panel=\"\(panel.kind.rawValue)\" data-component=\"\(HTMLText.escape(panel.component))\" viewBox=\"0 0 \(width) \(HTMLText.number(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(panel.component + ": " + panel.title))\">")
        let plotLeft = HTMLText.number(axis.left), plotWidth = HTMLText.number(Double(axis.width))
        parts.append("<rect class=\"plot\" x=\"\(plotLeft)\" y=\"\(HTMLText.number(plotTop))\" width=\"\(plotWidth)\" height=\"\(HTMLText.number(plotHeight))\"/>")
        for tick in axis.ticks {
            let x = HTMLText.number(axis.x(tick))
            parts.append("<line class=\"grid\" x1=\"\(x)\" x2=\"\(x)\" y1=\"\(HTMLText.number(plotTop))\" y2=\"\(HTMLText.number(plotTop + plotHeight))\"/>")
        }
        for (value, label) in scale.gridLines {
            let y = HTMLText.number(scale.y(value))
            parts.append("<line class=\"grid\" x1=\"\(plotLeft)\" x2=\"\(HTMLText.number(axis.left + Double(axis.width)))\" y1=\"\(y)\" y2=\"\(y)\"/>")
            parts.append("<text class=\"ylabel\" x=\"\(HTMLText.number(axis.left - 4))\" y=\"\(HTMLText.number(scale.y(value) + 3.5))\">\(HTMLText.escape(label))</text>")
        }
        parts.append(FaultWindow.shading(faults, axis: axis, top: plotTop, height: plotHeight))
        parts.append(stackedAreas(panel.stacked, scale: scale, axis: axis, interval: interval))
        parts.append(bands(panel, axis: axis, interval: interval))
        if let ceiling = panel.ceiling, !panel.isLogarithmic {
            let y = HTMLText.number(scale.y(ceiling.value))
            parts.append("<line class=\"ceiling\" x1=\"\(plotLeft)\" x2=\"\(HTMLText.number(axis.left + Double(axis.width)))\" y1=\"\(y)\" y2=\"\(y)\"/>")
            parts.append("<text class=\"ceiling-label\" x=\"\(HTMLText.number(axis.left + Double(axis.width) - 4))\" y=\"\(HTMLText.number(scale.y(ceiling.value) - 3))\">\(HTMLText.escape(ceiling.label))</text>")
        }
        for layer in panel.lines {
            parts.append(line(layer, y: scale.drawableY, axis: axis, interval: interval))
        }
        if let secondary = panel.secondary {
            let right = YScale.ratio
            parts.append(line(secondary, y: right.drawableY, axis: axis, interval: interval))
            parts.append("<text class=\"ylabel right\" x=\"\(HTMLText.number(axis.left + Double(axis.width) + 2))\" y=\"\(HTMLText.number(plotTop + 8))\">100%</text>")
        }
        if !panel.hasData {
            parts.append("<text class=\"empty\" x=\"\(HTMLText.number(axis.left + Double(axis.width) / 2))\" y=\"\(HTMLText.number(plotTop + plotHeight / 2 + 4))\">\(HTMLText.escape(panel.emptyNote))</text>")
        }
        parts.append("<line class=\"cursor\" x1=\"0\" x2=\"0\" y1=\"\(HTMLText.number(plotTop))\" y2=\"\(HTMLText.number(plotTop + plotHeight))\"/>")
        parts.append("</svg>")
        return parts.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// The points of a series at the middle of their intervals, split where an interval has no row.
    static func segments(_ series: RunFolderContents.Series, axis: TimeAxis, interval: Int64, y: (Double) -> Double?) -> [[ColumnDownsampling.Point]] {
        var segments: [[ColumnDownsampling.Point]] = []
        var current: [ColumnDownsampling.Point] = []
        var previous: Int64?
        for (time, value) in zip(series.times, series.values) {
            guard let yValue = y(value) else {
                if !current.isEmpty { segments.append(current); current = [] }
                previous = nil
                continue
            }
            if let previous, time - previous > interval + interval / 2, !current.isEmpty {
                segments.append(current)
                current = []
            }
            current.append(ColumnDownsampling.Point(x: axis.x(time + interval / 2), y: yValue))
            previous = time
        }
        if !current.isEmpty { segments.append(current) }
        return segments.map { ColumnDownsampling.minimumAndMaximum($0, width: axis.width, origin: axis.left) }
    }

    /// An SVG path through points: `M1 2L3 4`.
    static func path(_ points: [ColumnDownsampling.Point]) -> String {
        var text = ""
        for (index, point) in points.enumerated() {
            text += (index == 0 ? "M" : "L") + HTMLText.number(point.x) + " " + HTMLText.number(point.y)
        }
        if points.count == 1 { text += "h0.1" }
        return text
    }

    static func line(_ layer: Panel.Layer, y: (Double) -> Double?, axis: TimeAxis, interval: Int64) -> String {
        let data = segments(layer.series, axis: axis, interval: interval, y: y).map(path).joined()
        guard !data.isEmpty else { return "" }
        return "<path class=\"line\(layer.isDashed ? " dashed" : "")\" stroke=\"\(layer.color)\" d=\"\(data)\"><title>\(HTMLText.escape(layer.name))</title></path>"
    }

    /// Stacked areas: each layer's top is the sum of the layers up to it, thinned per column.
    static func stackedAreas(_ layers: [Panel.Layer], scale: YScale, axis: TimeAxis, interval: Int64) -> String {
        guard !layers.isEmpty else { return "" }
        var times = Set<Int64>()
        for layer in layers { times.formUnion(layer.series.times) }
        let ordered = times.sorted()
        var totals = [Double](repeating: 0, count: ordered.count)
        var position: [Int64: Int] = [:]
        for (index, time) in ordered.enumerated() { position[time] = index }
        var previousTop = ordered.map { ColumnDownsampling.Point(x: axis.x($0 + interval / 2), y: scale.y(0)) }
        previousTop = ColumnDownsampling.minimumAndMaximum(previousTop, width: axis.width, origin: axis.left)
        var parts: [String] = []
        for layer in layers {
            for (time, value) in zip(layer.series.times, layer.series.values) { totals[position[time]!] += value }
            let top = ColumnDownsampling.minimumAndMaximum(
                zip(ordered, totals).map { ColumnDownsampling.Point(x: axis.x($0 + interval / 2), y: scale.y($1)) },
                width: axis.width, origin: axis.left)
            defer { previousTop = top }
            guard layer.series.values.contains(where: { $0 != 0 }), let first = top.first else { continue }
            var data = path(top)
            for point in previousTop.reversed() { data += "L" + HTMLText.number(point.x) + " " + HTMLText.number(point.y) }
            if previousTop.isEmpty { data += "L" + HTMLText.number(first.x) + " " + HTMLText.number(scale.y(0)) }
            data += "Z"
            parts.append("<path class=\"area\" fill=\"\(layer.color)\" d=\"\(data)\"><title>\(HTMLText.escape(layer.name))</title></path>")
        }
        return parts.joined(separator: "\n")
    }

    /// Bands: per pixel column, the largest share of the intervals it covers, as opacity; equal
    /// neighbours merged into one rectangle.
    static func bands(_ panel: Panel, axis: TimeAxis, interval: Int64) -> String {
        guard !panel.bands.isEmpty else { return "" }
        let rows = max(1, panel.bandRows.count)
        let rowHeight = plotHeight / Double(rows)
        var parts: [String] = []
        for (index, name) in panel.bandRows.enumerated() {
            parts.append("<text class=\"band-label\" x=\"\(HTMLText.number(axis.left + 4))\" y=\"\(HTMLText.number(plotTop + rowHeight * Double(index) + min(rowHeight, 14) - 3))\">\(HTMLText.escape(name))</text>")
        }
        for layer in panel.bands {
            var columns = [Double](repeating: 0, count: axis.width)
            for (time, value) in zip(layer.series.times, layer.series.values) where value > 0 {
                let from = max(0, Int((axis.x(time) - axis.left).rounded(.down)))
                let to = min(axis.width - 1, max(from, Int((axis.x(time + interval) - axis.left).rounded(.up)) - 1))
                guard from < axis.width else { continue }
                for column in from...to { columns[column] = max(columns[column], min(1, value)) }
            }
            var column = 0
            while column < axis.width {
                let level = (columns[column] * 10).rounded(.up) / 10
                var next = column + 1
                while next < axis.width && (columns[next] * 10).rounded(.up) / 10 == level { next += 1 }
                if level > 0 {
                    parts.append("<rect class=\"band\" fill=\"\(layer.color)\" fill-opacity=\"\(HTMLText.number(0.25 + 0.75 * level))\" x=\"\(HTMLText.number(axis.left + Double(column)))\" y=\"\(HTMLText.number(plotTop + rowHeight * Double(layer.row) + 1))\" width=\"\(next - column)\" height=\"\(HTMLText.number(rowHeight - 2))\"><title>\(HTMLText.escape(layer.name))</title></rect>")
                }
                column = next
            }
        }
        return parts.joined(separator: "\n")
    }
}

/// A panel's vertical scale: linear from zero to a round maximum, or logarithmic by decades.
struct YScale {
    var lowest: Double
    var highest: Double
    var isLogarithmic: Bool
    var unit: Panel.Unit

    /// The scale of a panel: up to the largest stacked total, line value or limit.
    init(_ panel: Panel) {
        unit = panel.unit
        isLogarithmic = panel.isLogarithmic
        if panel.isLogarithmic {
            let positive = panel.lines.flatMap { $0.series.values }.filter { $0 > 0 && $0.isFinite }
            let low = positive.min() ?? 0.001, high = positive.max() ?? 1
            lowest = pow(10, (log10(low)).rounded(.down))
            highest = max(pow(10, (log10(high)).rounded(.up)), lowest * 10)
            return
        }
        lowest = 0
        var top = panel.lines.flatMap { $0.series.values }.max() ?? 0
        var totals: [Int64: Double] = [:]
        for layer in panel.stacked {
            for (time, value) in zip(layer.series.times, layer.series.values) { totals[time, default: 0] += value }
        }
        top = max(top, totals.values.max() ?? 0, panel.ceiling?.value ?? 0)
        if panel.unit == .ratio || !panel.bands.isEmpty { top = max(top, 1) }
        highest = Self.roundUp(top)
    }

    init(lowest: Double, highest: Double, isLogarithmic: Bool, unit: Panel.Unit) {
        self.lowest = lowest
        self.highest = highest
        self.isLogarithmic = isLogarithmic
        self.unit = unit
    }

    /// A scale from 0 to 1, for shares.
    static let ratio = YScale(lowest: 0, highest: 1, isLogarithmic: false, unit: .ratio)

    /// The y of a value; nil for a value a logarithmic scale cannot show.
    func y(_ value: Double) -> Double {
        let top = PanelDrawing.plotTop, height = PanelDrawing.plotHeight
        if isLogarithmic {
            guard value > 0 else { return top + height }
            let share = (log10(value) - log10(lowest)) / (log10(highest) - log10(lowest))
            return top + height * (1 - min(max(share, 0), 1))
        }
        guard highest > lowest else { return top + height }
        return top + height * (1 - (value - lowest) / (highest - lowest))
    }

    /// The y of a value, or nil where a logarithmic scale has none (zero).
    func drawableY(_ value: Double) -> Double? {
        if isLogarithmic && value <= 0 { return nil }
        return y(value)
    }

    /// The values to draw grid lines at, with their labels.
    var gridLines: [(Double, String)] {
        if isLogarithmic {
            var lines: [(Double, String)] = []
            var value = lowest
            while value <= highest * 1.0001 {
                lines.append((value, ValueText.format(value, unit)))
                value *= 10
            }
            return lines
        }
        return [(0, ValueText.format(0, unit)), (highest / 2, ValueText.format(highest / 2, unit)), (highest, ValueText.format(highest, unit))]
    }

    /// The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above a value (1 for zero).
    static func roundUp(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        let decade = pow(10, log10(value).rounded(.down))
        for step in [1, 2, 2.5, 5, 10] where step * decade >= value * 0.999_999 { return step * decade }
        return 10 * decade
    }
}
