import FailureChains

/// The chain of causes behind an event, as far as `events.csv` tells it: an event's `cause`
/// starts with the name of the event that led to it (`faultStarted failover`), which is looked up
/// among the earlier events, on the same component first, then on its service, then anywhere.
struct CauseChain {
    private let events: [StateChange]
    private var byName: [String: [Int]] = [:]

    /// Indexes the events.
    init(_ events: [StateChange]) {
        self.events = events
        for (index, event) in events.enumerated() { byName[event.event, default: []].append(index) }
    }

    /// The service an instance or entry point belongs to: `cf` for `cf[0]` and `cf[0].http`.
    static func service(of component: String) -> String {
        component.split(separator: "[").first.map(String.init) ?? component
    }

    /// The indices of the events that led to the event at `index`, nearest first, at most `limit`.
    func causes(of index: Int, limit: Int = 6) -> [Int] {
        var chain: [Int] = []
        var current = index
        while chain.count < limit {
            let event = events[current]
            guard let word = event.cause.text.split(separator: " ").first.map(String.init), let name = eventName(word),
                  let candidates = byName[name] else { break }
            let earlier = candidates.filter { $0 < current }
            let service = Self.service(of: event.component)
            guard let found = earlier.last(where: { events[$0].component == event.component })
                    ?? earlier.last(where: { Self.service(of: events[$0].component) == service })
                    ?? earlier.last else { break }
            chain.append(found)
            current = found
        }
        return chain
    }

    /// The event a cause's first word names: the word itself, or the one event name of the file
    /// one letter away from it (`connectionsLeaked 40 of 40` names `connectionLeaked`).
    func eventName(_ word: String) -> String? {
        if byName[word] != nil { return word }
        let near = byName.keys.filter { Self.isOneEditApart(Array($0.utf8), Array(word.utf8)) }
        return near.count == 1 ? near[0] : nil
    }

    /// Whether two words differ by exactly one inserted, deleted or replaced letter.
    static func isOneEditApart(_ first: [UInt8], _ second: [UInt8]) -> Bool {
        let (short, long) = first.count <= second.count ? (first, second) : (second, first)
        guard long.count - short.count <= 1, short != long else { return false }
        var index = 0
        while index < short.count && short[index] == long[index] { index += 1 }
        if short.count == long.count { return short[(index + 1)...] == long[(index + 1)...] }
        return short[index...] == long[(index + 1)...]
    }

    /// The event and its chain as lines: `01:24:01.617 cf[0] poolExhausted: db: 0 in use ← …`.
    func lines(of index: Int, clock: ReportClock) -> [String] {
        let event = events[index]
        var lines = [Self.text(event, clock: clock)]
        let found = causes(of: index)
        for cause in found { lines.append("  ← " + Self.text(events[cause], clock: clock)) }
        // Where the chain stops before its limit, the last cause as the engine wrote it.
        let last = found.last.map { events[$0] } ?? event
        if found.count < 6, !last.cause.isEmpty { lines.append("  ← " + last.cause.text) }
        return lines
    }

    /// One event in words.
    static func text(_ event: StateChange, clock: ReportClock) -> String {
        clock.preciseLabel(event.time.nanoseconds) + " " + event.component + " " + event.event + (event.detail.isEmpty ? "" : ": " + event.detail.text)
    }
}
