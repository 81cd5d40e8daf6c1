#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import SimulationKernel

/// The chart of a tipping map's vulnerable region, as one self-contained SVG file
/// (`tipping.svg`): load across, trigger up, the vulnerable region above the boundary, the
/// boundary with its interval band, and every probe as a dot coloured from green (never tipped)
/// to red (always tipped).
public struct TippingChart: Sendable {
    /// One axis.
    public struct Axis: Sendable {
        /// The `--set` path.
        public var label: String
        /// The unit of its values: `s`, `/s`, or empty.
        public var unit: String
        /// The range's ends.
        public var low: Double
        /// The range's upper end.
        public var high: Double

        /// Creates an axis.
        public init(label: String, unit: String, low: Double, high: Double) {
            self.label = label
            self.unit = unit
            self.low = low
            self.high = high
        }
    }

    /// How a load's search ended.
    public enum Status: Sendable { case threshold, recovers, tips }

    /// The boundary at one load.
    public struct Boundary: Sendable {
        public var load: Double
        public var status: Status
        public var estimate: Double?
        public var low: Double?
        public var high: Double?

        /// Creates a boundary point.
        public init(load: Double, status: Status, estimate: Double?, low: Double?, high: Double?) {
            self.load = load
            self.status = status
            self.estimate = estimate
            self.low = low
            self.high = high
        }
    }

    /// One probe.
    public struct Probe: Sendable {
        public var load: Double
        public var trigger: Double
        /// The share of its runs that were metastable.
        public var tipProbability: Double
        public var runs: Int

        /// Creates a probe.
        public init(load: Double, trigger: Double, tipProbability: Double, runs: Int) {
            self.load = load
            self.trigger = trigger
            self.tipProbability = tipProbability
            self.runs = runs
        }
    }

    public var title: String
    public var loadAxis: Axis
    public var triggerAxis: Axis
    public var boundary: [Boundary]
    public var probes: [Probe]

    /// Creates a chart.
    public init(title: String, loadAxis: Axis, triggerAxis: Axis, boundary: [Boundary], probes: [Probe]) {
        self.title = title
        self.loadAxis = loadAxis
        self.triggerAxis = triggerAxis
        self.boundary = boundary
        self.probes = probes
    }

    static let width = 720.0, height = 480.0
    static let left = 80.0, right = 150.0, top = 50.0, bottom = 60.0

    /// The SVG document.
    public func svg() -> String {
        let plotWidth = Self.width - Self.left - Self.right, plotHeight = Self.height - Self.top - Self.bottom
        // Half a load step of margin on each side, so the end loads' dots are not on the frame.
        let step = boundary.count > 1 ? (loadAxis.high - loadAxis.low) / Double(boundary.count - 1) / 2 : (loadAxis.high - loadAxis.low) / 10
        let xLow = loadAxis.low - step, xHigh = loadAxis.high + step
        func x(_ load: Double) -> Double { Self.left + (load - xLow) / (xHigh - xLow) * plotWidth }
        func y(_ trigger: Double) -> Double { Self.top + plotHeight - (trigger - triggerAxis.low) / (triggerAxis.high - triggerAxis.low) * plotHeight }
        var parts: [String] = []
        parts.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(Self.width))\" height=\"\(n(Self.height))\" viewBox=\"0 0 \(n(Self.width)) \(n(Self.height))\" font-family=\"sans-serif\" font-size=\"12\">")
        parts.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>")
        parts.append("<text x=\"\(n(Self.left))\" y=\"24\" font-size=\"15\" font-weight=\"bold\">\(escape(title))</text>")
        parts.append("<rect x=\"\(n(Self.left))\" y=\"\(n(Self.top))\" width=\"\(n(plotWidth))\" height=\"\(n(plotHeight))\" fill=\"none\" stroke=\"#444\"/>")
        for tick in 0...4 {
            let load = loadAxis.low + Double(tick) / 4 * (loadAxis.high - loadAxis.low)
            let trigger = triggerAxis.low + Double(tick) / 4 * (triggerAxis.high - triggerAxis.low)
            parts.append("<line x1=\"\(n(x(load)))\" y1=\"\(n(Self.top + plotHeight))\" x2=\"\(n(x(load)))\" y2=\"\(n(Self.top + plotHeight + 5))\" stroke=\"#444\"/>")
            parts.append("<text x=\"\(n(x(load)))\" y=\"\(n(Self.top + plotHeight + 19))\" text-anchor=\"middle\">\(label(load, loadAxis.unit))</text>")
            parts.append("<line x1=\"\(n(Self.left - 5))\" y1=\"\(n(y(trigger)))\" x2=\"\(n(Self.left))\" y2=\"\(n(y(trigger)))\" stroke=\"#444\"/>")
            parts.append("<text x=\"\(n(Self.left - 8))\" y=\"\(n(y(trigger) + 4))\" text-anchor=\"end\">\(label(trigger, triggerAxis.unit))</text>")
        }
        parts.append("<text x=\"\(n(Self.left + plotWidth / 2))\" y=\"\(n(Self.height - 14))\" text-anchor=\"middle\">load: \(escape(loadAxis.label))</text>")
        parts.append("<text transform=\"translate(18 \(n(Self.top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">trigger: \(escape(triggerAxis.label))</text>")
        // The vulnerable region: above the thresholds, down to the axis where every trigger tips,
        // none where every trigger recovers.
        let edge = boundary.compactMap { point -> String? in
            switch point.status {
            case .threshold: point.estimate.map { "\(n(x(point.load))),\(n(y($0)))" }
            case .tips: "\(n(x(point.load))),\(n(y(triggerAxis.low)))"
            case .recovers: "\(n(x(point.load))),\(n(y(triggerAxis.high)))"
            }
        }
        if edge.count > 1, let first = boundary.first, let last = boundary.last {
            let top = n(y(triggerAxis.high))
            parts.append("<polygon points=\"\((edge + ["\(n(x(last.load))),\(top)", "\(n(x(first.load))),\(top)"]).joined(separator: " "))\" fill=\"#cc3333\" fill-opacity=\"0.08\" stroke=\"none\"/>")
        }
        // The band of the threshold's interval, and the boundary through the estimates.
        let crossing = boundary.filter { $0.status == .threshold && $0.low != nil && $0.high != nil && $0.estimate != nil }
        if crossing.count > 1 {
            let upper = crossing.map { "\(n(x($0.load))),\(n(y($0.high!)))" }
            let lower = crossing.reversed().map { "\(n(x($0.load))),\(n(y($0.low!)))" }
            parts.append("<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"#3366cc\" fill-opacity=\"0.18\" stroke=\"none\"/>")
            parts.append("<polyline points=\"\(crossing.map { "\(n(x($0.load))),\(n(y($0.estimate!)))" }.joined(separator: " "))\" fill=\"none\" stroke=\"#3366cc\" stroke-width=\"2\"/>")
        }
        for point in crossing {
            parts.append("<line x1=\"\(n(x(point.load)))\" y1=\"\(n(y(point.low!)))\" x2=\"\(n(x(point.load)))\" y2=\"\(n(y(point.high!)))\" stroke=\"#3366cc\" stroke-width=\"1\"/>")
        }
        for point in boundary where point.status != .threshold {
            let text = point.status == .tips ? "tips at every trigger" : "recovers at every trigger"
            let at = point.status == .tips ? y(triggerAxis.low) - 8 : y(triggerAxis.high) + 14
            parts.append("<text x=\"\(n(x(point.load)))\" y=\"\(n(at))\" text-anchor=\"middle\" font-size=\"9\" fill=\"#555\">\(text)</text>")
        }
        for probe in probes {
            parts.append("<circle cx=\"\(n(x(probe.load)))\" cy=\"\(n(y(probe.trigger)))\" r=\"4\" fill=\"\(color(probe.tipProbability))\" stroke=\"#222\" stroke-width=\"0.5\"><title>\(label(probe.load, loadAxis.unit)), \(label(probe.trigger, triggerAxis.unit)): \(NumberText.decimal(probe.tipProbability * 100))% of \(probe.runs) runs stuck</title></circle>")
        }
        // The legend: the colour scale, and the band.
        let legendX = Self.width - Self.right + 20
        parts.append("<text x=\"\(n(legendX))\" y=\"\(n(Self.top + 4))\">share of runs stuck</text>")
        for step in 0...4 {
            let share = Double(step) / 4
            let yy = Self.top + 20 + Double(step) * 20
            parts.append("<circle cx=\"\(n(legendX + 6))\" cy=\"\(n(yy))\" r=\"5\" fill=\"\(color(share))\" stroke=\"#222\" stroke-width=\"0.5\"/>")
            parts.append("<text x=\"\(n(legendX + 18))\" y=\"\(n(yy + 4))\">\(NumberText.decimal(share * 100))%</text>")
        }
        let bandY = Self.top + 130
        parts.append("<rect x=\"\(n(legendX))\" y=\"\(n(bandY))\" width=\"12\" height=\"12\" fill=\"#3366cc\" fill-opacity=\"0.18\"/>")
        parts.append("<line x1=\"\(n(legendX))\" y1=\"\(n(bandY + 6))\" x2=\"\(n(legendX + 12))\" y2=\"\(n(bandY + 6))\" stroke=\"#3366cc\" stroke-width=\"2\"/>")
        parts.append("<text x=\"\(n(legendX + 18))\" y=\"\(n(bandY + 10))\">threshold and</text>")
        parts.append("<text x=\"\(n(legendX + 18))\" y=\"\(n(bandY + 24))\">its interval</text>")
        parts.append("<rect x=\"\(n(legendX))\" y=\"\(n(bandY + 40))\" width=\"12\" height=\"12\" fill=\"#cc3333\" fill-opacity=\"0.08\" stroke=\"#cc3333\" stroke-opacity=\"0.3\"/>")
        parts.append("<text x=\"\(n(legendX + 18))\" y=\"\(n(bandY + 50))\">vulnerable</text>")
        parts.append("<text x=\"\(n(legendX + 18))\" y=\"\(n(bandY + 64))\">region</text>")
        parts.append("</svg>")
        return parts.joined(separator: "\n") + "\n"
    }

    /// The colour of a share of runs stuck: green (`#2ea043`) for 0, amber (`#e6aa1e`) for one
    /// half, red (`#c82828`) for 1, straight between them.
    public func color(_ share: Double) -> String {
        let s = min(1, max(0, share))
        let (r, g, b): (Double, Double, Double) = s < 0.5
            ? (46 + (230 - 46) * s * 2, 160 + (170 - 160) * s * 2, 67 + (30 - 67) * s * 2)
            : (230 + (200 - 230) * (s - 0.5) * 2, 170 + (40 - 170) * (s - 0.5) * 2, 30 + (40 - 30) * (s - 0.5) * 2)
        func hex(_ v: Double) -> String {
            let value = Int(v.rounded())
            let digits = Array("0123456789abcdef")
            return String([digits[value / 16], digits[value % 16]])
        }
        return "#" + hex(r) + hex(g) + hex(b)
    }

    func n(_ value: Double) -> String { NumberText.decimal((value * 10).rounded() / 10) }

    func label(_ value: Double, _ unit: String) -> String {
        let rounded = abs(value) >= 100 ? value.rounded() : (value * 100).rounded() / 100
        return escape(NumberText.decimal(rounded) + unit)
    }

    func escape(_ text: String) -> String {
        text.replacingEvery("&", with: "&amp;").replacingEvery("<", with: "&lt;").replacingEvery(">", with: "&gt;")
    }
}
