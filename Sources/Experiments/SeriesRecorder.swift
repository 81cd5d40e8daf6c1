import FailureChains
import SimulationKernel

/// A tee between a simulation and its sink that keeps, in memory, the few observations a list of
/// expectations needs, and forwards everything to the next sink (the CSV writer).
///
/// It keeps the series rows whose component and metric a series expectation names, and the state
/// changes whose event an events expectation names and whose component is the named one or one of
/// its instances (`cf` keeps `cf[2]`). Everything else only passes through.
public final class SeriesRecorder: ObservationSink {
    /// A series: a component and one of its metrics.
    struct SeriesKey: Hashable {
        var component: String
        var metric: String
    }

    /// An event of a component, its instances included.
    struct EventKey: Hashable {
        var component: String
        var event: String
    }

    /// The sink everything is forwarded to.
    public let next: ObservationSink
    private var seriesRows: [SeriesKey: [(start: Instant, value: Double)]] = [:]
    private var eventTimes: [EventKey: [Instant]] = [:]
    private let wantedEvents: Set<String>

    /// Creates a recorder for the observations that `expectations` need.
    ///
    /// - Parameters:
    ///   - expectations: The expectations that will be evaluated from this recorder.
    ///   - next: The sink that receives every observation, kept or not.
    public init(keepingWhat expectations: [Expectation], forwardingTo next: ObservationSink) {
        self.next = next
        var wantedEvents: Set<String> = []
        for expectation in expectations {
            switch expectation.subject {
            case .series(let component, let metric, _, _, _):
                seriesRows[SeriesKey(component: component, metric: metric)] = []
            case .events(let component, let event, _, _):
                eventTimes[EventKey(component: component, event: event)] = []
                wantedEvents.insert(event)
            case .summary:
                break
            }
        }
        self.wantedEvents = wantedEvents
    }

    public func intervalEnded(start: Instant, rows: [MetricRow]) {
        if !seriesRows.isEmpty {
            for row in rows {
                let key = SeriesKey(component: row.component, metric: row.metric)
                if seriesRows[key] != nil { seriesRows[key]!.append((start, row.value.doubleValue)) }
            }
        }
        next.intervalEnded(start: start, rows: rows)
    }

    public func stateChanged(_ change: StateChange) {
        if wantedEvents.contains(change.event) {
            let exact = EventKey(component: change.component, event: change.event)
            if eventTimes[exact] != nil { eventTimes[exact]!.append(change.time) }
            if let service = Self.service(ofInstance: change.component) {
                let aggregate = EventKey(component: service, event: change.event)
                if eventTimes[aggregate] != nil { eventTimes[aggregate]!.append(change.time) }
            }
        }
        next.stateChanged(change)
    }

    /// The kept rows of a series, in time order: each interval's start and the row's value.
    public func series(component: String, metric: String) -> [(start: Instant, value: Double)] {
        seriesRows[SeriesKey(component: component, metric: metric)] ?? []
    }

    /// The times of the kept state changes with `event` of `component` or one of its instances, in order.
    public func eventTimes(component: String, event: String) -> [Instant] {
        eventTimes[EventKey(component: component, event: event)] ?? []
    }

    /// `web` for an instance name `web[2]`; `nil` for a name that is not an instance's.
    static func service(ofInstance name: String) -> String? {
        guard name.hasSuffix("]"), let open = name.lastIndex(of: "[") else { return nil }
        let digits = name[name.index(after: open)..<name.index(before: name.endIndex)]
        guard open > name.startIndex, !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return String(name[..<open])
    }
}
