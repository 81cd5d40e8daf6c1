import FailureChains
import SimulationKernel

/// The states a run's state changes describe, and the causes that link them: the common ground
/// of the timeline's folds and of `ChainNarrative`.
///
/// A *state* starts with an event such as `poolExhausted` and holds until its ending event
/// (`poolRecovered`), until a crash of its instance resets it, or to the end of the run. Repeats
/// of the starting event while it holds (each `connectionLeaked` of one pool) update it; its
/// *worst* detail is the most severe of them (the most connections leaked, the fewest instances
/// admitted). Other events (`rateChanged`, a `crash` fault) are points.
struct StateHistory {
    /// One state, or a point event.
    struct State {
        /// The index of the change that started it.
        var first: Int
        /// The indices of the changes it stands for: its start and its repeats.
        var rows: [Int]
        var component: String
        var event: String
        /// What tells apart states of one event on one component: the dependency of a pool or a
        /// breaker, the kind of a fault; empty otherwise.
        var key: String
        var start: Instant
        /// When it ended; nil for a point or a state still held at the end of the run.
        var end: Instant?
        /// The event that ended it (`poolRecovered`, `instanceCrashed`, `runEnded`); nil for a point.
        var endedBy: String?
        /// The detail of its ending event, when one ended it.
        var endDetail: String
        var worst: String
        var worstScore: Int
        /// Whether it is a point rather than a state that holds.
        var isPoint: Bool

        /// How long it held, to its end or to the end of the run; nil for a point.
        func span(runEnd: Instant) -> Interval? {
            isPoint ? nil : (end ?? runEnd) - start
        }
    }

    /// The events that start a state, and the event that ends each.
    static let endings: [String: String] = [
        "poolExhausted": "poolRecovered", "queueFilled": "queueRecovered", "threadsExhausted": "threadsRecovered",
        "breakerOpened": "breakerClosed", "instanceEjected": "instanceReadmitted", "gcPressureStarted": "gcPressureEnded",
        "faultStarted": "faultEnded", "instanceCrashed": "instanceUp", "connectionLeaked": "",
        "diskFull": "diskRecovered",
    ]
    /// The events that end a state.
    static let endingEvents: Set<String> = Set(endings.values.filter { !$0.isEmpty })
    /// States that a crash of their instance resets.
    static let endedByCrash: Set<String> = ["poolExhausted", "queueFilled", "threadsExhausted", "breakerOpened", "gcPressureStarted", "connectionLeaked"]
    /// Bookkeeping, in no chain.
    static let bookkeeping: Set<String> = ["runStarted", "runEnded", "warmupEnded"]
    /// Cause words that name an event by another spelling.
    static let aliases: [String: String] = ["connectionsLeaked": "connectionLeaked"]

    let changes: [StateChange]
    private(set) var states: [State] = []
    /// The state each change belongs to (its start, a repeat or its end); nil for bookkeeping.
    private(set) var stateOfChange: [Int?]
    /// The change each change's cause points at, where it names one.
    private(set) var causeOfChange: [Int?]
    /// When the run ended: its `runEnded`, or its last change.
    let runEnd: Instant

    init(_ changes: [StateChange]) {
        self.changes = changes
        stateOfChange = Array(repeating: nil, count: changes.count)
        causeOfChange = Array(repeating: nil, count: changes.count)
        runEnd = changes.last(where: { $0.event == "runEnded" })?.time ?? changes.last?.time ?? .zero
        var open: [String: Int] = [:]  // component|event|key → state
        var latest = LatestChanges()
        let names = Set(MetricCatalogue.events.map(\.name))
        var downSince: [String: Int] = [:]  // instance → its open instanceCrashed
        for (index, change) in changes.enumerated() {
            causeOfChange[index] = Self.causeTarget(of: change, names: names, latest: latest)
            // A change whose cause names no event (an ejection after failed health checks) on an
            // instance that is down follows from its crash.
            if causeOfChange[index] == nil, change.event != "instanceCrashed",
               let crash = downSince.first(where: { Self.isInstance($0.key, orEntryOf: change.component) })?.value {
                causeOfChange[index] = crash
            }
            if change.event == "instanceCrashed" { downSince[change.component] = index }
            if change.event == "instanceUp" || change.event == "instanceParked" { downSince[change.component] = nil }
            latest.add(change, at: index)
            if Self.bookkeeping.contains(change.event) { continue }
            let key = Self.key(of: change)
            if Self.endingEvents.contains(change.event) {
                let started = Self.endings.first { $0.value == change.event }!.key
                if let state = open.removeValue(forKey: change.component + "\u{1}" + started + "\u{1}" + key) {
                    end(state, at: change, by: change.event)
                    stateOfChange[index] = state
                    continue
                }
            }
            if change.event == "instanceCrashed" {
                // The crash resets what the instance held: its pools, queues, threads and breakers.
                for (openKey, state) in open where Self.endedByCrash.contains(states[state].event)
                    && Self.isInstance(change.component, orEntryOf: states[state].component) {
                    end(state, at: change, by: "instanceCrashed")
                    open.removeValue(forKey: openKey)
                }
            }
            let score = Self.severity(change)
            let isPoint = Self.endings[change.event] == nil || (change.event == "faultStarted" && !change.detail.text.contains(" for "))
            let openKey = change.component + "\u{1}" + change.event + "\u{1}" + key
            if !isPoint, let state = open[openKey] {
                states[state].rows.append(index)
                if score > states[state].worstScore {
                    states[state].worstScore = score
                    states[state].worst = change.detail.text
                }
                stateOfChange[index] = state
                continue
            }
            stateOfChange[index] = states.count
            if !isPoint { open[openKey] = states.count }
            states.append(State(first: index, rows: [index], component: change.component, event: change.event, key: key, start: change.time,
                                end: nil, endedBy: isPoint ? nil : "runEnded", endDetail: "", worst: change.detail.text, worstScore: score, isPoint: isPoint))
        }
    }

    private mutating func end(_ state: Int, at change: StateChange, by event: String) {
        states[state].end = change.time
        states[state].endedBy = event
        if event != "instanceCrashed" { states[state].endDetail = change.detail.text }
    }

    /// The state a state's cause points at: that of the change its first change's cause names.
    func causeState(of state: Int) -> Int? {
        causeOfChange[states[state].first].flatMap { stateOfChange[$0] }
    }

    // MARK: Reading changes

    /// What tells apart states of one event on one component.
    static func key(of change: StateChange) -> String {
        switch change.event {
        case "poolExhausted", "poolRecovered", "connectionLeaked":
            return change.detail.text.split(separator: ":").first.map(String.init) ?? ""
        case "breakerOpened", "breakerClosed", "rateChanged":
            return change.detail.text
        case "faultStarted", "faultEnded":
            return change.detail.text.split(separator: " ").first.map(String.init) ?? ""
        default:
            return ""
        }
    }

    /// How bad a change's detail is, to pick a state's worst: the larger the worse.
    static func severity(_ change: StateChange) -> Int {
        let numbers = integers(in: change.detail.text)
        switch change.event {
        case "instanceEjected": return -(numbers.first ?? 0)
        case "poolExhausted": return numbers.count > 1 ? numbers[1] : 0
        default: return numbers.first ?? 0
        }
    }

    /// The whole numbers written in a text, in order (`db: 0 in use, 40 leaked` gives 0 and 40).
    static func integers(in text: String) -> [Int] {
        var numbers: [Int] = []
        var current: Int?
        var previous: Character = " "
        for character in text {
            if let digit = character.wholeNumberValue, character.isASCII, current != nil || previous != "." {
                current = (current ?? 0) &* 10 &+ digit
            } else {
                if let value = current { numbers.append(value) }
                current = nil
            }
            previous = character
        }
        if let value = current { numbers.append(value) }
        return numbers
    }

    /// The service or endpoint a component belongs to: `cf` for `cf[2]` and `cf[2].ejb`.
    static func service(of component: String) -> String {
        String(component.prefix { $0 != "[" && $0 != "." })
    }

    /// Whether `instance` is `component` or the instance `component` is an entry point of.
    static func isInstance(_ instance: String, orEntryOf component: String) -> Bool {
        component == instance || component.hasPrefix(instance + ".")
    }

    /// The latest change of each event on each component, and on any component of each service.
    struct LatestChanges {
        private var byComponent: [String: Int] = [:]
        private var byService: [String: Int] = [:]

        mutating func add(_ change: StateChange, at index: Int) {
            byComponent[change.event + "\u{1}" + change.component] = index
            byService[change.event + "\u{1}" + StateHistory.service(of: change.component)] = index
        }

        /// The latest change of an event on a component; else on the instance of an entry point
        /// (`cf[0]` for `cf[0].ejb`); else on its service (`kiosk` for `kiosk[1]`); else on any
        /// component of that service.
        func latest(_ event: String, near component: String) -> Int? {
            if let exact = byComponent[event + "\u{1}" + component] { return exact }
            if let close = component.firstIndex(of: "]"), component[component.index(after: close)...].hasPrefix("."),
               let instance = byComponent[event + "\u{1}" + component[...close]] {
                return instance
            }
            let service = StateHistory.service(of: component)
            return byComponent[event + "\u{1}" + service] ?? byService[event + "\u{1}" + service]
        }
    }

    /// The change a change's cause points at: the latest earlier change of the event its cause
    /// names, on the component after `on`, or else on the change's own component (see
    /// `LatestChanges.latest(_:near:)` for the components tried).
    static func causeTarget(of change: StateChange, names: Set<String>, latest: LatestChanges) -> Int? {
        guard !change.cause.isEmpty else { return nil }
        let words = change.cause.text.split(separator: " ").map { $0.trimmingCharacters(in: ":,;()") }
        guard let position = words.firstIndex(where: { names.contains($0) || aliases[$0] != nil }) else { return nil }
        let event = aliases[words[position]] ?? words[position]
        var target = change.component
        if let on = words[(position + 1)...].firstIndex(of: "on"), on + 1 < words.count { target = words[on + 1] }
        return latest.latest(event, near: target)
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in characters: String) -> String {
        var text = self
        while let first = text.first, characters.contains(first) { text.removeFirst() }
        while let last = text.last, characters.contains(last) { text.removeLast() }
        return String(text)
    }
}

/// Names for a group of components of one service: `cf[0..3]`, `cf[0,2]`, `cf[0..3].ejb`.
enum ComponentGroup {
    /// One name for components that share a service and entry point.
    static func name(_ components: [String]) -> String {
        guard components.count > 1 else { return components.first ?? "" }
        var indices: [Int] = []
        var base = "", suffix = ""
        for component in components {
            guard let open = component.firstIndex(of: "["), let close = component.firstIndex(of: "]"),
                  let index = Int(component[component.index(after: open)..<close]) else {
                return components.joined(separator: ", ")
            }
            let thisBase = String(component[..<open]), thisSuffix = String(component[component.index(after: close)...])
            if indices.isEmpty { (base, suffix) = (thisBase, thisSuffix) } else if (thisBase, thisSuffix) != (base, suffix) {
                return components.joined(separator: ", ")
            }
            if !indices.contains(index) { indices.append(index) }
        }
        indices.sort()
        guard indices.count > 1 else { return "\(base)[\(indices[0])]\(suffix)" }
        let isRun = indices.last! - indices.first! == indices.count - 1
        let list = isRun ? "\(indices.first!)..\(indices.last!)" : indices.map(String.init).joined(separator: ",")
        return "\(base)[\(list)]\(suffix)"
    }
}
