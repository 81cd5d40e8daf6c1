import FailureChains
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import SimulationKernel

/// A run's failure chains told in words: from each trigger (a fault, a change of traffic, a state
/// with no earlier cause) to its consequences, built from the `cause` column of `events.csv`, with
/// how long each state lasted and its worst value.
///
/// Instances of one service that share a state from the same cause are told together
/// (`cf[0..3]`). `faultline explain` prints `lines`; the HTML report can draw `chains`:
///
/// ```swift
/// let folder = try RunFolder(path: "out/airline")
/// let narrative = ChainNarrative(events: folder.events, clockStart: folder.clockStart)
/// for chain in narrative.chains {
///     print(chain.trigger.text)
///     for step in chain.consequences { print(step.line) }  // step.parent is the id of its cause
/// }
/// ```
public struct ChainNarrative: Sendable {
    /// One link of a chain: a state (or a point event) of one component or of several instances
    /// of one service that share it.
    public struct Step: Sendable, Equatable {
        /// Its number, unique in the narrative.
        public var id: Int
        /// The id of the step that caused it; nil for a trigger.
        public var parent: Int?
        /// The event that starts it: `poolExhausted`.
        public var event: String
        /// The components it concerns, in the order they entered it.
        public var components: [String]
        /// Those components as one name: `cf[0..3]`.
        public var subject: String
        /// What happened, in words, without subject or times: `pool db exhausted`.
        public var what: String
        /// When the first of its components entered it.
        public var start: Instant
        /// When the last of its components entered it.
        public var lastStart: Instant
        /// When the last of them left it (or the end of the run, for one still held); nil for a point.
        public var end: Instant?
        /// The shortest and the longest time one component held it; nil for a point.
        public var shortest: Interval?
        public var longest: Interval?
        /// How it ended, in words: `until recovered`, `until restarted`, `still at the end of the run`; empty for a point.
        public var until: String
        /// The most severe detail recorded for it: `db: 40 of 40 leaked`, `0 of 6 admitted`.
        public var worst: String
        /// The rows of `events.csv` it stands for (0 for the first row after the header).
        public var rows: [Int]
        /// The step with its times: `02:24 cf[0..3] pool db exhausted for 1h06m to 1h51m, until restarted`.
        public var text: String
        /// A short mention of it, as the causes of later steps name it: `pool db exhausted on cf[0..3] since 02:24`.
        public var mention: String
        /// `text` followed by the mentions of its causes back to the trigger, each after `←`.
        public var line: String
    }

    /// One trigger and everything that followed from it, in order of time.
    public struct Chain: Sendable, Equatable {
        /// The trigger.
        public var trigger: Step
        /// Its consequences, directly or through others, in order of their start.
        public var consequences: [Step]
    }

    /// The chains, in order of their triggers.
    public let chains: [Chain]
    /// How times read.
    public let clock: StoryClock

    /// Builds the narrative of a run.
    ///
    /// - Parameters:
    ///   - events: The rows of `events.csv`, in order (`RunFolder(path:).events`, or a run's state changes).
    ///   - clockStart: `run.clockStart`, the time of day at which the run started, or nil for times since the start.
    public init(events: [StateChange], clockStart: Interval?) {
        let clock = StoryClock(start: clockStart)
        self.clock = clock
        let history = StateHistory(events)
        // Group states by what they are, where, and which group caused them, in order of start.
        var groupOfState = [Int?](repeating: nil, count: history.states.count)
        var members: [[Int]] = []
        var parents: [Int?] = []
        var groupByKey: [String: Int] = [:]
        let order = history.states.indices.sorted { (history.states[$0].start, $0) < (history.states[$1].start, $1) }
        for state in order {
            let value = history.states[state]
            if StateHistory.endingEvents.contains(value.event) && value.isPoint { continue }
            let parent = history.causeState(of: state).flatMap { groupOfState[$0] }
            let component = value.component
            let suffix = component.firstIndex(of: "]").map { String(component[component.index(after: $0)...]) } ?? ""
            let place = component.contains("[") ? StateHistory.service(of: component) + "[]" + suffix : component
            let key = [value.event, value.key, place, parent.map(String.init) ?? "-"].joined(separator: "\u{1}")
            if let group = groupByKey[key] {
                members[group].append(state)
                groupOfState[state] = group
            } else {
                groupByKey[key] = members.count
                groupOfState[state] = members.count
                members.append([state])
                parents.append(parent)
            }
        }
        var steps: [Step] = []
        for (id, group) in members.enumerated() {
            steps.append(Self.step(id: id, parent: parents[id], states: group.map { history.states[$0] }, history: history, clock: clock))
        }
        for id in steps.indices {
            var line = steps[id].text
            var cause = steps[id].parent
            var seen: Set<Int> = [id]
            while let parent = cause, seen.insert(parent).inserted {
                line += " ← " + steps[parent].mention
                cause = steps[parent].parent
            }
            steps[id].line = line
        }
        var chains: [Chain] = []
        var chainOfStep = [Int](repeating: -1, count: steps.count)
        for step in steps.sorted(by: { ($0.start, $0.id) < ($1.start, $1.id) }) {
            if let parent = step.parent, chainOfStep[parent] >= 0 {
                chainOfStep[step.id] = chainOfStep[parent]
                chains[chainOfStep[parent]].consequences.append(step)
            } else {
                chainOfStep[step.id] = chains.count
                chains.append(Chain(trigger: step, consequences: []))
            }
        }
        self.chains = chains
    }

    /// The narrative as lines: each trigger, then its consequences indented, each with its causes.
    ///
    /// - Parameter includingLoneTriggers: Whether to tell triggers that led to nothing (a change
    ///   of rate, a fault without consequence); faults are always told.
    public func lines(includingLoneTriggers: Bool = false) -> [String] {
        var lines: [String] = []
        for chain in chains where includingLoneTriggers || !chain.consequences.isEmpty || chain.trigger.event == "faultStarted" {
            lines.append(chain.trigger.text)
            for step in chain.consequences { lines.append("  " + step.line) }
        }
        return lines
    }

    // MARK: Words

    private static func step(id: Int, parent: Int?, states: [StateHistory.State], history: StateHistory, clock: StoryClock) -> Step {
        let first = states[0]
        var components: [String] = []
        for state in states where !components.contains(state.component) { components.append(state.component) }
        let subject = ComponentGroup.name(components)
        let spans = states.compactMap { $0.span(runEnd: history.runEnd) }
        let worstState = states.max { $0.worstScore < $1.worstScore } ?? first
        let isPoint = first.isPoint
        let end: Instant? = isPoint ? nil : states.map { $0.end ?? history.runEnd }.max()
        let endings = Set(states.compactMap(\.endedBy))
        var untilWords: [String] = []
        if endings.contains("instanceCrashed") { untilWords.append(first.event == "instanceCrashed" ? "down again" : "restarted") }
        if !endings.subtracting(["instanceCrashed", "runEnded"]).isEmpty {
            switch first.event {
            case "faultStarted": untilWords.append("it ended")
            case "instanceCrashed": untilWords.append("up again")
            case "instanceEjected": untilWords.append("readmitted")
            case "breakerOpened": untilWords.append("closed")
            default: untilWords.append("recovered")
            }
        }
        var until = untilWords.isEmpty ? "" : "until " + untilWords.joined(separator: " or ")
        if endings.contains("runEnded") { until += (until.isEmpty ? "" : " or ") + "still at the end of the run" }
        if isPoint { until = "" }
        let ends = states.compactMap(\.end)
        var untilWhen = ""
        if let earliest = ends.min(), let latest = ends.max(), ends.count == states.count {
            untilWhen = clock.minutes(earliest) == clock.minutes(latest)
                ? " at " + clock.minutes(latest) : " (" + clock.minutes(earliest) + " to " + clock.minutes(latest) + ")"
        }
        let what = Self.what(first.event, key: first.key, detail: first.detail(history), worst: worstState.worst, states: states)
        var notes: [String] = []
        if states.count > components.count { notes.append("\(states.count) times") }
        let lastStart = states.map(\.start).max() ?? first.start
        if spans.isEmpty && clock.minutes(lastStart) != clock.minutes(first.start) {
            notes.append(clock.minutes(first.start) + " to " + clock.minutes(lastStart))
        }
        var text = clock.minutes(first.start) + " " + subject + " " + what + (notes.isEmpty ? "" : " (" + notes.joined(separator: ", ") + ")")
        if let shortest = spans.min(), let longest = spans.max() {
            let span = StoryClock.span(shortest) == StoryClock.span(longest)
                ? StoryClock.span(shortest) : StoryClock.span(shortest) + " to " + StoryClock.span(longest)
            text += " for " + span + ", " + until + untilWhen
        }
        if first.event == "threadsExhausted" { text += mostWaiting(states) }
        let mention = subject + " " + Self.short(first.event, what: what) + (isPoint ? " at " : " since ") + clock.minutes(first.start)
        return Step(id: id, parent: parent, event: first.event, components: components, subject: subject, what: what, start: first.start,
                    lastStart: states.map(\.start).max() ?? first.start, end: end, shortest: spans.min(), longest: spans.max(), until: until,
                    worst: worstState.worst, rows: states.flatMap(\.rows).sorted(), text: text, mention: mention, line: text)
    }

    /// What a state is, in words.
    private static func what(_ event: String, key: String, detail: String, worst: String, states: [StateHistory.State]) -> String {
        switch event {
        case "faultStarted": return detail
        case "connectionLeaked":
            let total = states.reduce(0) { $0 + (StateHistory.integers(in: $1.worst).first ?? 0) }
            let each = Set(states.map(\.worst))
            let most = StateHistory.integers(in: worst)
            let detail = each.count == 1 && most.count >= 2 ? " (\(most[0]) of \(most[1])" + (states.count > 1 ? " each)" : ")") : ""
            return "\(total) connection\(total == 1 ? "" : "s") to \(key) leaked\(detail)"
        case "poolExhausted":
            return "pool \(key) exhausted (" + (worst.split(separator: ":", maxSplits: 1).last.map { $0.trimmingWhitespace() } ?? worst) + ")"
        case "threadsExhausted":
            let waits = detail.split(separator: ":", maxSplits: 1).last.map { $0.trimmingWhitespace() } ?? ""
            let threads = StateHistory.integers(in: detail).first.map { "all \($0) threads busy" } ?? "all threads busy"
            return threads + (waits.isEmpty ? "" : " (\(waits))")
        case "queueFilled":
            let refused = states.compactMap { StateHistory.integers(in: $0.endDetail).dropFirst().first }.reduce(0, +)
            return "queue full (\(detail)" + (refused > 0 ? "; \(refused) refused while full)" : ")")
        case "instanceCrashed": return "down (" + detail + ")"
        case "instanceEjected": return "ejected by the balancer (at worst \(worst))"
        case "breakerOpened": return "breaker on \(key) open"
        case "gcPressureStarted": return "under GC pressure (\(worst))"
        case "rateChanged": return "rate " + detail
        case "connectionsStale": return detail
        default: return event + (detail.isEmpty ? "" : ": " + detail)
        }
    }

    private static func mostWaiting(_ states: [StateHistory.State]) -> String {
        let most = states.compactMap { StateHistory.integers(in: $0.endDetail).last }.max()
        return most.map { "; at most \($0) waiting" } ?? ""
    }

    /// A state as a later step's cause names it.
    private static func short(_ event: String, what: String) -> String {
        switch event {
        case "threadsExhausted": return "all threads busy"
        case "queueFilled": return "queue full"
        case "instanceEjected": return "ejected"
        default:
            return what.split(whereSeparator: { $0 == "(" || $0 == ":" }).first.map { $0.trimmingWhitespace() } ?? what
        }
    }
}

extension StateHistory.State {
    /// The detail of the change that started it.
    func detail(_ history: StateHistory) -> String { history.changes[first].detail.text }
}
