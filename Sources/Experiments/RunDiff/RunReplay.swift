import FailureChains
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import ModelFormat
import SimulationKernel

/// One event of a replayed run, as the fingerprint sees it: its place, time, kind and component.
public struct ReplayedEvent: Sendable, Equatable {
    /// Its place in the run, from 1.
    public var number: UInt64
    /// When it ran.
    public var time: Instant
    /// Its kind's fingerprint number.
    public var kind: UInt32
    /// Its component's fingerprint number.
    public var component: UInt32

    /// Creates an event.
    public init(number: UInt64, time: Instant, kind: UInt32, component: UInt32) {
        self.number = number
        self.time = time
        self.kind = kind
        self.component = component
    }

    /// Whether two events are the same to the fingerprint (their numbers aside).
    public func matches(_ other: ReplayedEvent) -> Bool {
        time == other.time && kind == other.kind && component == other.component
    }
}

/// An event of a replay told in the model's words, with the state changes around it.
public struct DescribedEvent: Sendable {
    /// The event.
    public var event: ReplayedEvent
    /// Its kind's name: `cpuDone`.
    public var kindName: String
    /// What it concerns: `cf[2] checkout`, `shoppers client 17`.
    public var component: String
    /// The components whose state changes bear on it: its instance and service, its source.
    public var concerned: [String]
    /// The state changes the event itself made (rows of `events.csv`), in order.
    public var changes: [StateChange]
    /// The state changes before it, in order, each up to the event.
    public var before: [StateChange]
}

/// Replays a run from what its `run.json` says: the model file with its overrides, seed and
/// duration, loaded again and run with an observer.
public enum RunReplay {
    /// The model a run was made from, loaded again as it was run.
    ///
    /// - Parameter record: What the run's `run.json` says.
    /// - Returns: The model, with the run's seed and duration.
    /// - Throws: `RunDiffProblem`: `.unreadable` when `run.json` names no model file or the file
    ///   cannot be read; `.modelChanged` when its bytes hash to another value than `modelHash`;
    ///   `.malformed` when it or an override no longer loads.
    public static func model(for record: RunRecord) throws(RunDiffProblem) -> SystemModel {
        let runFile = record.path(of: "run.json")
        guard let path = record.modelFile else {
            throw RunDiffProblem(.unreadable, "\(runFile): error: names no model file (\"modelFile\"), so the run cannot be replayed")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RunDiffProblem(.unreadable, "\(path): error: cannot read the model file that \(runFile) names (a relative path is taken from the current folder, as when the run was made)")
        }
        var hash = FNV1a64()
        hash.combine(bytes: [UInt8](data))
        guard hash.value == record.modelHash else {
            throw RunDiffProblem(.modelChanged, "\(path): error: the model file changed since the run in \(record.folder) (its hash is \(hash.value.hexadecimalDigits), run.json says \(record.modelHash.hexadecimalDigits)); run it again to compare")
        }
        var overrides: [Override] = []
        for argument in record.overrides {
            guard let override = Override(argument) else {
                throw RunDiffProblem(.malformed, "\(runFile): error: overrides: '\(argument)' is not PATH=VALUE")
            }
            overrides.append(override)
        }
        var model: SystemModel
        do {
            model = try ModelLoader.load(bytes: [UInt8](data), file: path, variant: record.variant, overrides: overrides).model
        } catch {
            throw RunDiffProblem(.malformed, error.errors.map(\.description).joined(separator: "\n"))
        }
        model.run.seed = record.seed
        model.run.duration = record.duration
        return model
    }

    /// Replays a model and keeps the events numbered `first` through `last` (fewer if the run ends
    /// first), stopping after `last`.
    ///
    /// - Parameters:
    ///   - model: The model, as `model(for:)` gives it.
    ///   - first: The first event to keep, from 1.
    ///   - last: The last event to keep and run.
    /// - Returns: The events kept, and the fingerprint after event `first - 1`.
    public static func events(of model: SystemModel, from first: UInt64, through last: UInt64) -> (events: [ReplayedEvent], fingerprintBefore: Fingerprint) {
        var observer = WindowRecorder(first: first, last: last)
        _ = ChainSimulation(model: model, sink: DiscardingSink()).replay(observing: &observer)
        return (observer.events, observer.fingerprint)
    }

    /// Replays a model up to the first of its events from `first` on that differs from `expected`
    /// (an event of another run at the same place), and describes that event.
    ///
    /// - Parameters:
    ///   - model: The model, as `model(for:)` gives it.
    ///   - first: The place of `expected[0]`.
    ///   - expected: The other run's events from `first` on.
    /// - Returns: The first event that differs, described, or nil when every event of this run from
    ///   `first` on matches (this run ended, or went past the other's last event, first); and the
    ///   number of events this run executed in the replay; and the fingerprint after event `first - 1`.
    public static func firstDifference(of model: SystemModel, from first: UInt64, comparedWith expected: [ReplayedEvent])
        -> (event: DescribedEvent?, executed: UInt64, fingerprintBefore: Fingerprint) {
        let sink = NumberedSink()
        var observer = DifferenceFinder(first: first, expected: expected, sink: sink)
        let outcome = ChainSimulation(model: model, sink: sink).replay(observing: &observer)
        guard var found = observer.found else { return (nil, outcome.eventCount, observer.fingerprint) }
        found.changes = sink.changes.filter { $0.number == found.event.number }.map(\.change)
        found.before = sink.changes.filter { $0.number < found.event.number }.map(\.change)
        return (found, outcome.eventCount, observer.fingerprint)
    }

    /// Replays a model up to its event `number` and describes it; nil when the run has fewer events.
    public static func describe(eventNumber number: UInt64, of model: SystemModel) -> DescribedEvent? {
        firstDifference(of: model, from: number, comparedWith: []).event
    }
}

/// Keeps the events of a window of the run, and the fingerprint just before it.
struct WindowRecorder: RunObserver {
    let first: UInt64
    let last: UInt64
    var events: [ReplayedEvent] = []
    /// The fingerprint over the events before `first`.
    var fingerprint = Fingerprint()

    init(first: UInt64, last: UInt64) {
        self.first = first
        self.last = last
        if last >= first { events.reserveCapacity(Int(min(last - first + 1, 1 << 20))) }
    }

    mutating func willHandle(_ event: ChainSimulation.Event, number: UInt64, time: Instant, kind: UInt32, component: UInt32,
                             of model: ChainSimulation) -> RunObserverDecision {
        if number < first {
            fingerprint.record(time: time, kind: kind, component: component)
            return .handle
        }
        if number > last { return .stop }
        events.append(ReplayedEvent(number: number, time: time, kind: kind, component: component))
        return number == last ? .handleThenStop : .handle
    }
}

/// Stops after the first event from `first` on that differs from the other run's, describing it.
struct DifferenceFinder: RunObserver {
    let first: UInt64
    let expected: [ReplayedEvent]
    let sink: NumberedSink
    var found: DescribedEvent?
    /// The fingerprint over the events before `first`.
    var fingerprint = Fingerprint()

    mutating func willHandle(_ event: ChainSimulation.Event, number: UInt64, time: Instant, kind: UInt32, component: UInt32,
                             of model: ChainSimulation) -> RunObserverDecision {
        sink.number = number
        if number < first {
            fingerprint.record(time: time, kind: kind, component: component)
            return .handle
        }
        let replayed = ReplayedEvent(number: number, time: time, kind: kind, component: component)
        let index = Int(number - first)
        if index < expected.count, expected[index].matches(replayed) { return .handle }
        found = DescribedEvent(event: replayed, kindName: ChainSimulation.eventKindName(kind),
                               component: model.componentDescription(of: event),
                               concerned: model.componentsConcerned(by: event), changes: [], before: [])
        return .handleThenStop
    }
}

/// Keeps every state change with the number of the event that made it (0 before the first).
final class NumberedSink: ObservationSink {
    var number: UInt64 = 0
    var changes: [(number: UInt64, change: StateChange)] = []

    func intervalEnded(start: Instant, rows: [MetricRow]) {}
    func stateChanged(_ change: StateChange) { changes.append((number, change)) }
}
