import FailureChains

/// A fault of the run as the report shades it: from its `faultStarted` to its `faultEnded` in
/// `events.csv`, or a single instant for a fault without an end (a crash, a failover).
struct FaultWindow: Sendable, Equatable {
    /// When it started, in nanoseconds.
    var start: Int64
    /// When it ended, or nil for an instant.
    var end: Int64?
    /// What and where: `oracle failover`, `cf[0] crash`.
    var label: String

    /// The faults of a run, in order of their start.
    static func windows(_ events: [StateChange]) -> [FaultWindow] {
        var windows: [FaultWindow] = []
        var open: [(component: String, detail: String, index: Int)] = []
        for event in events {
            if event.event == "faultStarted" {
                open.append((event.component, event.detail.text, windows.count))
                windows.append(FaultWindow(start: event.time.nanoseconds, end: nil, label: event.component + " " + event.detail.text))
            } else if event.event == "faultEnded",
                      let match = open.firstIndex(where: { $0.component == event.component && $0.detail.hasPrefix(event.detail.text) }) {
                windows[open[match].index].end = event.time.nanoseconds
                open.remove(at: match)
            }
        }
        return windows
    }

    /// The shading of every window over a plot: a band for a window, a line for an instant.
    static func shading(_ windows: [FaultWindow], axis: TimeAxis, top: Double, height: Double) -> String {
        var parts: [String] = []
        for window in windows {
            let start = axis.x(window.start)
            let title = "<title>\(HTMLText.escape(window.label))</title>"
            if let end = window.end, end > window.start {
                parts.append("<rect class=\"fault\" x=\"\(HTMLText.number(start))\" y=\"\(HTMLText.number(top))\" width=\"\(HTMLText.number(max(1, axis.x(end) - start)))\" height=\"\(HTMLText.number(height))\">\(title)</rect>")
            } else {
                parts.append("<line class=\"fault-instant\" x1=\"\(HTMLText.number(start))\" x2=\"\(HTMLText.number(start))\" y1=\"\(HTMLText.number(top))\" y2=\"\(HTMLText.number(top + height))\">\(title)</line>")
            }
        }
        return parts.joined(separator: "\n")
    }
}
