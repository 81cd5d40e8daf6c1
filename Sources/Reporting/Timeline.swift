import FailureChains
import SimulationKernel

/// A short account of a run's state changes, for people: repeated changes of one kind on one
/// service are folded into one line with their count and time span.
public enum Timeline {
    /// One line of the account.
    public struct Entry: Equatable, Sendable {
        /// When the first of the folded changes happened.
        public var first: Instant
        /// When the last happened.
        public var last: Instant
        /// The service (for instances) or component.
        public var component: String
        /// The event.
        public var event: String
        /// How many changes the line stands for.
        public var count: Int
        /// The detail of the first change.
        public var detail: String
        /// The cause of the first change.
        public var cause: String
        /// The distinct components involved (instances).
        public var components: [String]
    }

    /// Folds state changes into entries, in order of their first change.
    ///
    /// - Parameters:
    ///   - changes: The run's state changes, in time order.
    ///   - omitting: Events left out (bookkeeping such as `runStarted`).
    public static func entries(_ changes: [StateChange], omitting: Set<String> = ["runStarted", "runEnded", "warmupEnded"]) -> [Entry] {
        var entries: [Entry] = []
        var open: [String: Int] = [:]  // (service, event) → index of the entry still folding
        for change in changes where !omitting.contains(change.event) {
            let service = change.component.split(separator: "[").first.map(String.init) ?? change.component
            let key = service + "\u{1}" + change.event
            if let index = open[key] {
                entries[index].last = change.time
                entries[index].count += 1
                if !entries[index].components.contains(change.component) { entries[index].components.append(change.component) }
                continue
            }
            // A change of another kind on the same service closes that service's folds of other kinds
            // only when they are pairs (filled/recovered): simpler to keep folding per kind.
            open[key] = entries.count
            entries.append(Entry(first: change.time, last: change.time, component: service, event: change.event, count: 1,
                                 detail: change.detail, cause: change.cause, components: [change.component]))
        }
        return entries
    }

    /// The account as lines: `2:26:12  cf poolExhausted ×4 (cf[0..3], until 2:27:40): db: 0 in use, 40 leaked  ← connectionsLeaked 40 of 40`.
    public static func lines(_ changes: [StateChange], limit: Int = 30) -> [String] {
        let all = entries(changes)
        var lines: [String] = []
        for entry in all.prefix(limit) {
            var line = clock(entry.first) + "  "
            if entry.count == 1 {
                line += entry.components[0] + " " + entry.event
            } else {
                let span = entry.last == entry.first ? "" : ", until " + clock(entry.last)
                line += entry.component + " " + entry.event + " ×\(entry.count) (\(entry.components.count == 1 ? entry.components[0] : "\(entry.components.count) components")\(span))"
            }
            if !entry.detail.isEmpty { line += ": " + entry.detail }
            if !entry.cause.isEmpty { line += "  ← " + entry.cause }
            lines.append(line)
        }
        if all.count > limit { lines.append("... \(all.count - limit) more kinds of change in events.csv") }
        return lines
    }

    /// A time of the run as hours, minutes and seconds: `2:05:07.250`, `4:03.100`.
    public static func clock(_ time: Instant) -> String {
        let milliseconds = time.nanoseconds / 1_000_000
        let seconds = milliseconds / 1000
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let fraction = String(milliseconds % 1000)
        let tail = two(seconds % 60) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction
        if seconds >= 3600 { return "\(seconds / 3600):" + two(seconds / 60 % 60) + ":" + tail }
        return "\(seconds / 60):" + tail
    }
}
