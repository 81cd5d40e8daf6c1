import FailureChains

/// The worst state a component reached during the run, for the topology's colours: 2 failed (a
/// crash, an exhausted pool, an open breaker, most requests failing), 1 degraded (some errors, an
/// ejection, a full queue), 0 healthy; with the reason in words.
struct WorstState: Sendable {
    var level: Int
    var reason: String
    /// When the component was first degraded or worse, in nanoseconds; nil if never.
    var since: Int64?

    /// The worst state of each component the report draws.
    static func states(_ components: ReportComponents, contents: RunFolderContents, clock: ReportClock) -> [String: WorstState] {
        var states: [String: WorstState] = [:]
        func raise(_ component: String, _ level: Int, _ reason: String, at time: Int64? = nil) {
            var since = states[component]?.since
            if level > 0, let time { since = min(since ?? time, time) }
            if level > states[component]?.level ?? -1 {
                states[component] = WorstState(level: level, reason: reason, since: since)
            } else {
                states[component]?.since = since
            }
        }
        for name in components.traffic + components.services + components.endpoints + components.messageQueues + components.locks {
            raise(name, 0, "healthy throughout")
        }
        for event in contents.events {
            let owner = CauseChain.service(of: event.component)
            let severity = EventMarkers.severity(event.event)
            guard severity >= 1, event.event != "rateChanged" else { continue }
            raise(owner, severity, event.event + " at " + clock.label(event.time.nanoseconds) + " (" + event.component + ")",
                  at: event.time.nanoseconds)
        }
        for source in components.traffic {
            guard let ratio = contents.series(source, "successRatio"), let lowest = ratio.values.min(),
                  let index = ratio.values.firstIndex(of: lowest) else { continue }
            let when = clock.label(ratio.times[index])
            let first = zip(ratio.times, ratio.values).first { $0.1 < 0.99 }?.0
            if lowest < 0.5 { raise(source, 2, "success ratio fell to \(ValueText.format(lowest, .ratio)) at \(when)", at: first) }
            else if lowest < 0.99 { raise(source, 1, "success ratio fell to \(ValueText.format(lowest, .ratio)) at \(when)", at: first) }
        }
        for service in components.services {
            guard let offered = contents.series(service, "offered"), let errors = contents.series(service, "errors") else { continue }
            let offeredAt = Dictionary(zip(offered.times, offered.values), uniquingKeysWith: { first, _ in first })
            for (time, value) in zip(errors.times, errors.values) where value > 0 {
                let share = value / max(1, offeredAt[time] ?? 0)
                if share > 0.5 { raise(service, 2, "most requests failed from \(clock.label(time))", at: time); break }
                raise(service, 1, "errors from \(clock.label(time))", at: time)
            }
        }
        for endpoint in components.endpoints {
            for metric in ["failed", "timedOut", "refused"] {
                guard let series = contents.series(endpoint, metric), let index = series.values.firstIndex(where: { $0 > 0 }) else { continue }
                raise(endpoint, 1, "calls \(metric == "timedOut" ? "timed out" : metric) from \(clock.label(series.times[index]))", at: series.times[index])
            }
        }
        return states
    }
}
