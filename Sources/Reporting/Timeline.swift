import FailureChains
import SimulationKernel

/// A short account of a run's state changes, for people: repeated changes of one kind on one
/// service are folded into one line with their count, how long the state they started held, and
/// its worst detail.
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
        /// The most severe detail of the folded changes (the fewest instances admitted, the most
        /// connections leaked); the first detail when they are alike.
        public var worst: String
        /// The cause of the first change.
        public var cause: String
        /// The distinct components involved (instances).
        public var components: [String]
        /// For an event that starts a state (`poolExhausted`, `instanceEjected`), the shortest and
        /// the longest time one of the folded states held, to its end or to the end of the run.
        public var shortest: Interval?
        public var longest: Interval?
        /// When the last of those states ended (the end of the run for one still held).
        public var end: Instant?
        /// How they ended: `recovered`, `restarted`, `ended`, `up again`, `still at the end of the run`.
        public var ending: String?
    }

    /// The events left out by default: bookkeeping, and the ends of states, which the lines of
    /// the states they end account for.
    public static let omittedByDefault: Set<String> = StateHistory.bookkeeping.union(StateHistory.endingEvents)

    /// Folds state changes into entries, in order of their first change.
    ///
    /// - Parameters:
    ///   - changes: The run's state changes, in time order.
    ///   - omitting: Events left out.
    public static func entries(_ changes: [StateChange], omitting: Set<String> = omittedByDefault) -> [Entry] {
        let history = StateHistory(changes)
        var entries: [Entry] = []
        var states: [[Int]] = []
        var seenStates: [Set<Int>] = []
        var open: [String: Int] = [:]  // (service, event) → index of the entry still folding
        for (index, change) in changes.enumerated() where !omitting.contains(change.event) {
            let service = StateHistory.service(of: change.component)
            let key = service + "\u{1}" + change.event
            let entry: Int
            if let existing = open[key] {
                entry = existing
                entries[entry].last = change.time
                entries[entry].count += 1
                if !entries[entry].components.contains(change.component) { entries[entry].components.append(change.component) }
            } else {
                entry = entries.count
                open[key] = entry
                entries.append(Entry(first: change.time, last: change.time, component: service, event: change.event, count: 1,
                                     detail: change.detail.text, worst: change.detail.text, cause: change.cause.text, components: [change.component]))
                states.append([])
                seenStates.append([])
            }
            if let state = history.stateOfChange[index], seenStates[entry].insert(state).inserted { states[entry].append(state) }
        }
        for entry in entries.indices {
            let folded = states[entry].map { history.states[$0] }
            if let worst = folded.max(by: { $0.worstScore < $1.worstScore }), worst.worstScore > StateHistory.severity(changes[folded[0].first]) {
                entries[entry].worst = worst.worst
            }
            let held = folded.filter { !$0.isPoint }
            guard !held.isEmpty else { continue }
            let spans = held.compactMap { $0.span(runEnd: history.runEnd) }
            entries[entry].shortest = spans.min()
            entries[entry].longest = spans.max()
            entries[entry].end = held.map { $0.end ?? history.runEnd }.max()
            let endings = Set(held.compactMap(\.endedBy))
            entries[entry].ending = endings.count == 1 ? words(for: endings.first!) : endings.sorted().map(words).joined(separator: " or ")
        }
        return entries
    }

    private static func words(for ending: String) -> String {
        switch ending {
        case "instanceCrashed": "restarted"
        case "runEnded": "still at the end of the run"
        case "faultEnded": "ended"
        case "instanceUp": "up again"
        case "instanceReadmitted": "readmitted"
        case "breakerClosed": "closed"
        default: "recovered"
        }
    }

    /// The account as lines:
    /// `3:24:01.617  cf poolExhausted ×4 (cf[0..3], held 1h04m to 1h50m, until 5:15:00.000, restarted): db: 0 in use, 40 leaked  ← connectionsLeaked 40 of 40`.
    ///
    /// - Parameters:
    ///   - changes: The run's state changes, in time order.
    ///   - clock: How times read (`run.clockStart`).
    ///   - limit: The most lines; the rest are counted in a last line.
    public static func lines(_ changes: [StateChange], clock: StoryClock = .sinceStart, limit: Int = 30) -> [String] {
        let all = entries(changes)
        var lines: [String] = []
        for entry in all.prefix(limit) {
            var line = clock.precise(entry.first) + "  "
            var notes: [String] = []
            if entry.count == 1 {
                line += entry.components[0] + " " + entry.event
            } else {
                line += entry.component + " " + entry.event + " ×\(entry.count)"
                notes.append(ComponentGroup.name(entry.components))
            }
            if let shortest = entry.shortest, let longest = entry.longest, let end = entry.end {
                let span = StoryClock.span(shortest) == StoryClock.span(longest)
                    ? StoryClock.span(shortest) : StoryClock.span(shortest) + " to " + StoryClock.span(longest)
                let ending = entry.ending ?? ""
                notes.append("held " + span + (ending == words(for: "runEnded") ? ", " + ending : ", until " + clock.precise(end) + (ending.isEmpty ? "" : ", " + ending)))
            } else if entry.count > 1 && entry.last != entry.first {
                notes.append("last at " + clock.precise(entry.last))
            }
            if !notes.isEmpty { line += " (" + notes.joined(separator: ", ") + ")" }
            if entry.worst != entry.detail {
                line += ": at worst " + entry.worst
            } else if !entry.detail.isEmpty {
                line += ": " + entry.detail
            }
            if !entry.cause.isEmpty { line += "  ← " + entry.cause }
            lines.append(line)
        }
        if all.count > limit { lines.append("... \(all.count - limit) more kinds of change in events.csv") }
        return lines
    }

    /// A time of the run as hours, minutes and seconds since the start: `2:05:07.250`, `4:03.100`.
    public static func clock(_ time: Instant) -> String {
        StoryClock.sinceStart.precise(time)
    }
}
