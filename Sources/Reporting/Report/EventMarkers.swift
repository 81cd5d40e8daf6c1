import FailureChains

/// A strip of markers for the events of one component and its instances, on the shared time axis;
/// events close together are gathered into one marker, whose tooltip lists them with their causes.
enum EventMarkers {
    /// How bad an event is, for its colour: 2 a failure, 1 a warning, 0 a recovery, −1 neutral.
    static func severity(_ event: String) -> Int {
        switch event {
        case "instanceCrashed", "poolExhausted", "outOfMemory", "breakerOpened", "supervisorGaveUp", "queueFilled",
             "connectionsStale", "faultStarted", "diskFull":
            2
        case "connectionLeaked", "instanceEjected", "gcPressureStarted", "breakerHalfOpened", "instanceRestarting",
             "instanceParked", "rateChanged", "autoscalerScaled":
            1
        case "poolRecovered", "instanceUp", "instanceReadmitted", "breakerClosed", "queueRecovered", "gcPressureEnded",
             "faultEnded", "instanceProvisioned", "sessionsPurged", "diskRecovered":
            0
        default:
            -1
        }
    }

    static func color(_ severity: Int) -> String {
        switch severity {
        case 2: "#dc2626"
        case 1: "#d97706"
        case 0: "#16a34a"
        default: "#6b7280"
        }
    }

    /// The strip's height in pixels.
    static let height: Double = 22

    /// The SVG strip of the events at `indices` (into `events`), gathered per 8 pixels.
    static func svg(component: String, indices: [Int], events: [StateChange], chain: CauseChain, axis: TimeAxis,
                    faults: [FaultWindow]) -> String {
        var parts = ["<svg class=\"events\" data-component=\"\(HTMLText.escape(component))\" viewBox=\"0 0 \(HTMLText.number(axis.totalWidth)) \(HTMLText.number(height))\">"]
        parts.append(FaultWindow.shading(faults, axis: axis, top: 0, height: height))
        parts.append("<line class=\"baseline\" x1=\"\(HTMLText.number(axis.left))\" x2=\"\(HTMLText.number(axis.left + Double(axis.width)))\" y1=\"\(HTMLText.number(height - 1))\" y2=\"\(HTMLText.number(height - 1))\"/>")
        parts.append("<text class=\"ylabel\" x=\"\(HTMLText.number(axis.left - 4))\" y=\"14\">events</text>")
        var groups: [(bucket: Int, members: [Int])] = []
        for index in indices {
            let bucket = Int((axis.x(events[index].time.nanoseconds) - axis.left) / 8)
            if groups.last?.bucket == bucket { groups[groups.count - 1].members.append(index) } else { groups.append((bucket, [index])) }
        }
        // A count is written beside a marker only where the next marker leaves room for it.
        func hasRoom(_ position: Int) -> Bool {
            guard position + 1 < groups.count else { return true }
            let here = axis.x(events[groups[position].members[0]].time.nanoseconds)
            let next = axis.x(events[groups[position + 1].members[0]].time.nanoseconds)
            return next - here > 7 + 6 * Double(String(groups[position].members.count).count)
        }
        for (position, group) in groups.enumerated() {
            let worst = group.members.map { severity(events[$0].event) }.max() ?? -1
            let first = events[group.members[0]]
            let x = axis.x(first.time.nanoseconds)
            var lines: [String] = []
            // The worst event with its chain first, then the others, briefly.
            let leading = group.members.first { severity(events[$0].event) == worst } ?? group.members[0]
            lines += chain.lines(of: leading, clock: axis.clock)
            let others = group.members.filter { $0 != leading }
            for other in others.prefix(5) { lines.append(CauseChain.text(events[other], clock: axis.clock)) }
            if others.count > 5 { lines.append("… and \(others.count - 5) more events") }
            let tip = HTMLText.escape(lines.joined(separator: "\n"))
            let count = group.members.count
            let xText = HTMLText.number(x)
            parts.append("<g class=\"marker\" data-event=\"\(HTMLText.escape(events[leading].event))\" data-tip=\"\(tip)\">"
                + "<path fill=\"\(color(worst))\" d=\"M\(HTMLText.number(x - 4)) 3L\(HTMLText.number(x + 4)) 3L\(xText) 11Z\"/>"
                + "<line stroke=\"\(color(worst))\" x1=\"\(xText)\" x2=\"\(xText)\" y1=\"11\" y2=\"\(HTMLText.number(height - 1))\"/>"
                + (count > 1 && hasRoom(position) ? "<text class=\"count\" x=\"\(HTMLText.number(x + 5))\" y=\"19\">\(count)</text>" : "") + "</g>")
        }
        parts.append("<line class=\"cursor\" x1=\"0\" x2=\"0\" y1=\"0\" y2=\"\(HTMLText.number(height))\"/>")
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }
}
