import FailureChains

/// The time axis as a strip of its own: tick labels and the faults' names, drawn above a run's
/// panels and under each service's.
enum TimeAxisDrawing {
    static let height: Double = 30

    /// A change of offered traffic named on the axis: `kiosks ramps to 12/s`.
    struct TrafficChange: Sendable {
        var time: Int64
        var text: String
    }

    /// The traffic changes worth naming: every `rateChanged`, shortened, when there are at most 8
    /// (a profile of many steps is left to the traffic sources' markers).
    static func trafficChanges(_ events: [StateChange]) -> [TrafficChange] {
        let changes = events.filter { $0.event == "rateChanged" }
        guard changes.count <= 8 else { return [] }
        return changes.map { change in
            var text = change.detail.text
            if let ramp = text.firstRange(of: "ramping to ") {
                text = "ramps to " + (text[ramp.upperBound...].split(separator: " ").first.map(String.init) ?? "")
            } else if let arrow = text.firstRange(of: "-> ") {
                text = "→ " + text[arrow.upperBound...]
            }
            return TrafficChange(time: change.time.nanoseconds, text: change.component + " " + text)
        }
    }

    /// The SVG strip; with `namesFaults`, the faults and the traffic changes are named above
    /// their start.
    static func svg(_ axis: TimeAxis, faults: [FaultWindow], namesFaults: Bool, traffic: [TrafficChange] = []) -> String {
        let total = HTMLText.number(axis.totalWidth)
        var parts = ["<svg class=\"axis\" viewBox=\"0 0 \(total) \(HTMLText.number(namesFaults ? height + 14 : height - 12))\">"]
        let base: Double = namesFaults ? 26 : 2
        if namesFaults {
            var lastEnd = -Double.infinity
            var row = 0
            let labels = (faults.map { ($0.start, $0.label, "fault-label") } + traffic.map { ($0.time, $0.text, "traffic-label") })
                .sorted { $0.0 < $1.0 }
            for (time, text, kind) in labels {
                let x = axis.x(time)
                // Faults close together go on alternate rows, shortened when they still collide.
                row = x < lastEnd ? (row + 1) % 2 : 0
                lastEnd = max(lastEnd, x + Double(text.count) * 5.2)
                parts.append("<text class=\"\(kind)\" x=\"\(HTMLText.number(x + 2))\" y=\"\(HTMLText.number(9 + Double(row) * 10))\">\(HTMLText.escape(text))</text>")
                parts.append("<line class=\"\(kind == "fault-label" ? "fault-instant" : "traffic-instant")\" x1=\"\(HTMLText.number(x))\" x2=\"\(HTMLText.number(x))\" y1=\"\(HTMLText.number(Double(row) * 10))\" y2=\"\(HTMLText.number(base))\"/>")
            }
        }
        for tick in axis.ticks {
            let x = HTMLText.number(axis.x(tick))
            parts.append("<line class=\"tick\" x1=\"\(x)\" x2=\"\(x)\" y1=\"\(HTMLText.number(base))\" y2=\"\(HTMLText.number(base + 4))\"/>")
            parts.append("<text class=\"tick-label\" x=\"\(x)\" y=\"\(HTMLText.number(base + 15))\">\(HTMLText.escape(axis.clock.label(tick, long: axis.end >= 3_600_000_000_000)))</text>")
        }
        parts.append("<line class=\"cursor\" x1=\"0\" x2=\"0\" y1=\"0\" y2=\"\(HTMLText.number(base + 4))\"/>")
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }
}
