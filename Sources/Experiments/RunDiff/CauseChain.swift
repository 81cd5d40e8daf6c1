import FailureChains
import Reporting

/// The state changes that led up to an event, found by the causes `events.csv` records.
public enum CauseChain {
    /// The latest state change of the event's components before it, then its cause, and that
    /// one's cause, back to a change without a cause or one no earlier change explains.
    ///
    /// A cause names an earlier event by its name and the start of its detail (`faultStarted
    /// failover`); the latest such change of the same component is taken, else of any component.
    ///
    /// - Parameters:
    ///   - event: A replayed event with the state changes before it.
    ///   - limit: The most links to follow.
    /// - Returns: The chain, latest first; empty when none of the event's components changed state.
    public static func leadingTo(_ event: DescribedEvent, limit: Int = 6) -> [StateChange] {
        let before = event.before
        var start: Int?
        for component in event.concerned {
            if let index = before.lastIndex(where: { $0.component == component && $0.event != "runStarted" }) {
                start = max(start ?? index, index)
            }
        }
        guard var index = start else { return [] }
        return [before[index]] + causes(of: index, in: before, limit: limit - 1, index: &index)
    }

    /// The chain of causes of a state change the event made, latest first, the change itself left out.
    ///
    /// - Parameters:
    ///   - change: A change the event made (after `event.before`).
    ///   - event: The replayed event.
    ///   - limit: The most links to follow.
    public static func causes(of change: StateChange, madeBy event: DescribedEvent, limit: Int = 5) -> [StateChange] {
        let list = event.before + [change]
        var index = list.count - 1
        return causes(of: index, in: list, limit: limit, index: &index)
    }

    static func causes(of start: Int, in list: [StateChange], limit: Int, index: inout Int) -> [StateChange] {
        var chain: [StateChange] = []
        while chain.count < limit {
            let change = list[index]
            guard !change.cause.isEmpty else { break }
            let words = change.cause.text.split(separator: " ", maxSplits: 1)
            let name = String(words[0])
            let rest = words.count > 1 ? String(words[1]) : ""
            let earlier = list[..<index].indices.reversed()
            guard let found = earlier.first(where: { list[$0].event == name && list[$0].component == change.component })
                ?? earlier.first(where: { list[$0].event == name && (rest.isEmpty || list[$0].detail.text.hasPrefix(rest)) })
                ?? earlier.first(where: { list[$0].event == name })
            else { break }
            chain.append(list[found])
            index = found
        }
        return chain
    }
}
