/// A model the run loop can drive: it owns a future-event list and handles the events it pops.
///
/// The kernel knows nothing of what the events mean; a model supplies a stable kind and component
/// number for each event so the run's fingerprint can be computed.
public protocol EventDrivenModel: AnyObject {
    /// The model's own event type; a small enum keeps the heap compact.
    associatedtype Event

    /// The model's future-event list.
    var eventQueue: EventQueue<Event> { get }

    /// Whether the model asks the run to stop after the current event.
    var isStopRequested: Bool { get }

    /// Why the model asked to stop: `.stopRequested` for a planned end (the default), or
    /// `.limitReached` when it ran into one of its own limits.
    var requestedStopReason: StopReason { get }

    /// Called every 65,536 events, for checks too costly for every event (a model's memory
    /// estimate); it may ask to stop. Does nothing by default.
    func periodicCheck()

    /// Handles one event at its time.
    func handle(_ event: Event, at time: Instant)

    /// The stable (kind, component) numbers of an event, for the fingerprint.
    func fingerprintIngredients(of event: Event) -> (kind: UInt32, component: UInt32)

    /// Handles one event and returns the numbers `fingerprintIngredients` gives for it before it
    /// runs: the plain run's path, so that a model may tell its events apart once for both. The
    /// default asks `fingerprintIngredients`, then handles the event.
    func handleFingerprinted(_ event: Event, at time: Instant) -> (kind: UInt32, component: UInt32)
}

/// Why a run stopped.
public enum StopReason: String, Sendable {
    /// Simulated time reached the end of the run.
    case endTime
    /// The hard event limit was reached first: the run was cut short.
    case eventLimit
    /// No event was left to run.
    case exhausted
    /// The model asked to stop (for example after a set number of completions).
    case stopRequested
    /// More events were pending at once than the pending-event limit allows: the run was cut short.
    case pendingEventLimit
    /// The model stopped itself at one of its own limits (live requests, memory, ...): cut short.
    case limitReached
    /// A stop was asked for from outside (`RunInterruption`, such as a signal): cut short.
    case interrupted

    /// Whether the run went as far as it was meant to: to its end time, its planned stop, or until
    /// nothing was left to do.
    public var isComplete: Bool {
        switch self {
        case .endTime, .exhausted, .stopRequested: true
        case .eventLimit, .pendingEventLimit, .limitReached, .interrupted: false
        }
    }
}

extension EventDrivenModel {
    /// A planned stop, unless the model says otherwise.
    public var requestedStopReason: StopReason { .stopRequested }

    /// No periodic check.
    public func periodicCheck() {}

    /// The event's fingerprint ingredients, then the event handled.
    @inlinable
    public func handleFingerprinted(_ event: Event, at time: Instant) -> (kind: UInt32, component: UInt32) {
        let ingredients = fingerprintIngredients(of: event)
        handle(event, at: time)
        return ingredients
    }
}

/// What a run did: why it stopped, when, how many events it executed, and their fingerprint.
public struct RunOutcome: Sendable {
    /// Why the loop stopped.
    public var stopReason: StopReason
    /// The simulated time when it stopped: the end time, or the time of the last event.
    public var endTime: Instant
    /// The number of events executed (cancelled events are not counted).
    public var eventCount: UInt64
    /// The running hash over the executed events.
    public var fingerprint: Fingerprint
    /// The fingerprint every so many events on the way (`FingerprintCheckpoints`).
    public var checkpoints: FingerprintCheckpoints

    /// Creates an outcome.
    @inlinable
    public init(stopReason: StopReason, endTime: Instant, eventCount: UInt64, fingerprint: Fingerprint,
                checkpoints: FingerprintCheckpoints = FingerprintCheckpoints()) {
        self.stopReason = stopReason
        self.endTime = endTime
        self.eventCount = eventCount
        self.fingerprint = fingerprint
        self.checkpoints = checkpoints
    }
}

/// The simulation loop: pops events in (time, sequence) order and hands them to the model.
public enum RunLoop {
    /// Runs a model until its end time, its event limit, its own stop request, an interruption
    /// (`RunInterruption`), or until no event is left.
    ///
    /// - Parameters:
    ///   - model: The model to drive.
    ///   - end: Events due after this instant do not run.
    ///   - eventLimit: The most events to execute; reaching it stops the run with `.eventLimit`.
    ///   - pendingEventLimit: The most events that may be pending at once (cancelled ones
    ///     included); more stops the run with `.pendingEventLimit` (checked every 256 events).
    ///   - progressEvery: How many events pass between calls to `progress`.
    ///   - progress: Called every `progressEvery` events with the current time and event count.
    /// - Returns: Why and when the run stopped, with its event count, fingerprint and checkpoints.
    @inlinable
    public static func run<Model: EventDrivenModel>(
        _ model: Model,
        until end: Instant,
        eventLimit: UInt64,
        pendingEventLimit: Int = .max,
        progressEvery: UInt64 = 1 << 20,
        progress: ((Instant, UInt64) -> Void)? = nil
    ) -> RunOutcome {
        var observer = UnobservedRun<Model>()
        return run(model, until: end, eventLimit: eventLimit, pendingEventLimit: pendingEventLimit,
                   progressEvery: progressEvery, progress: progress, observer: &observer)
    }

    /// Runs a model as `run(_:until:eventLimit:pendingEventLimit:progressEvery:progress:)` does,
    /// showing each event to an observer before it is handled; the observer may stop the run.
    ///
    /// For replaying a run event by event (`faultline diff`). The observer's type is a generic
    /// parameter, so the plain run, whose observer does nothing, compiles to the loop without it.
    /// A run the observer stops ends with `.stopRequested`.
    ///
    /// - Parameters:
    ///   - model: The model to drive.
    ///   - end: Events due after this instant do not run.
    ///   - eventLimit: The most events to execute.
    ///   - pendingEventLimit: The most events that may be pending at once.
    ///   - progressEvery: How many events pass between calls to `progress`.
    ///   - progress: Called every `progressEvery` events with the current time and event count.
    ///   - observer: Shown every event before it runs.
    /// - Returns: Why and when the run stopped, with its event count, fingerprint and checkpoints.
    @inlinable
    public static func run<Model: EventDrivenModel, Observer: RunObserver>(
        _ model: Model,
        until end: Instant,
        eventLimit: UInt64,
        pendingEventLimit: Int = .max,
        progressEvery: UInt64 = 1 << 20,
        progress: ((Instant, UInt64) -> Void)? = nil,
        observer: inout Observer
    ) -> RunOutcome where Observer.Model == Model {
        var fingerprint = Fingerprint()
        var checkpoints = FingerprintCheckpoints()
        var count: UInt64 = 0
        var now = Instant.zero
        var nextProgress = progressEvery
        while true {
            if count >= eventLimit {
                // Only a pending event makes the limit the reason; an idle queue ends normally.
                if model.eventQueue.hasEventDue(notAfter: end) {
                    return RunOutcome(stopReason: .eventLimit, endTime: now, eventCount: count, fingerprint: fingerprint, checkpoints: checkpoints)
                }
                break
            }
            guard let (time, event) = model.eventQueue.popFirst(notAfter: end) else { break }
            var decision = RunObserverDecision.handle
            let ingredients: (kind: UInt32, component: UInt32)
            if Observer.seesEvents {
                ingredients = model.fingerprintIngredients(of: event)
                decision = observer.willHandle(event, number: count &+ 1, time: time, kind: ingredients.kind,
                                               component: ingredients.component, of: model)
                if decision == .stop {
                    return RunOutcome(stopReason: .stopRequested, endTime: now, eventCount: count, fingerprint: fingerprint, checkpoints: checkpoints)
                }
                now = time
                model.handle(event, at: time)
            } else {
                now = time
                ingredients = model.handleFingerprinted(event, at: time)
            }
            fingerprint.record(time: time, kind: ingredients.kind, component: ingredients.component)
            count &+= 1
            if model.isStopRequested || decision == .handleThenStop {
                let reason = model.isStopRequested ? model.requestedStopReason : .stopRequested
                return RunOutcome(stopReason: reason, endTime: now, eventCount: count, fingerprint: fingerprint, checkpoints: checkpoints)
            }
            // Every 256 events (the limit is passed by at most 256 events, and a stop asked for from
            // outside waits for microseconds), so that the hot loop pays one test per event.
            if count & 0xFF == 0 {
                if checkpoints.isDue(at: count) {
                    checkpoints.record(eventCount: count, time: now, fingerprint: fingerprint)
                }
                if model.eventQueue.storedCount > pendingEventLimit {
                    return RunOutcome(stopReason: .pendingEventLimit, endTime: now, eventCount: count, fingerprint: fingerprint, checkpoints: checkpoints)
                }
                if RunInterruption.isRequested {
                    return RunOutcome(stopReason: .interrupted, endTime: now, eventCount: count, fingerprint: fingerprint, checkpoints: checkpoints)
                }
                if count & 0xFFFF == 0 {
                    model.periodicCheck()
                    if model.isStopRequested {
                        return RunOutcome(stopReason: model.requestedStopReason, endTime: now, eventCount: count, fingerprint: fingerprint, checkpoints: checkpoints)
                    }
                }
            }
            if count == nextProgress {
                nextProgress &+= progressEvery
                progress?(now, count)
            }
        }
        let reason: StopReason = model.eventQueue.isEmpty ? .exhausted : .endTime
        return RunOutcome(stopReason: reason, endTime: reason == .endTime ? end : now, eventCount: count,
                          fingerprint: fingerprint, checkpoints: checkpoints)
    }
}

/// What a `RunObserver` wants done with the event it was shown.
public enum RunObserverDecision: Sendable {
    /// Handle it and go on.
    case handle
    /// Handle it, then stop the run.
    case handleThenStop
    /// Stop the run before it.
    case stop
}

/// Sees every event of a run before the model handles it, as a replay does (`faultline diff`).
public protocol RunObserver<Model> {
    /// The model whose run it observes.
    associatedtype Model: EventDrivenModel

    /// Whether it is shown the events (false only for a plain run's observer, which lets the
    /// model handle an event and name its fingerprint ingredients in one dispatch).
    static var seesEvents: Bool { get }

    /// Shown one event before it runs.
    ///
    /// - Parameters:
    ///   - event: The event.
    ///   - number: Its place in the run, from 1: the run's event count once it has run.
    ///   - time: When it runs.
    ///   - kind: Its kind's fingerprint number.
    ///   - component: Its component's fingerprint number.
    ///   - model: The model, in the state the event finds it in.
    /// - Returns: Whether to handle it, and whether to go on.
    mutating func willHandle(_ event: Model.Event, number: UInt64, time: Instant, kind: UInt32, component: UInt32,
                             of model: Model) -> RunObserverDecision
}

extension RunObserver {
    /// An observer is shown every event.
    @inlinable
    public static var seesEvents: Bool { true }
}

/// The observer of a plain run: handles every event.
@frozen
public struct UnobservedRun<Model: EventDrivenModel>: RunObserver {
    /// It is shown none.
    @inlinable
    public static var seesEvents: Bool { false }

    /// Creates the observer.
    @inlinable
    public init() {}

    @inlinable @inline(__always)
    public func willHandle(_ event: Model.Event, number: UInt64, time: Instant, kind: UInt32, component: UInt32,
                           of model: Model) -> RunObserverDecision { .handle }
}

extension EventQueue {
    /// Whether an event is still due at or before `limit`, dropping cancelled entries on the way.
    @inlinable
    public func hasEventDue(notAfter limit: Instant) -> Bool {
        while heapCount > 0 {
            let top = heapBase.pointee
            if top.time > limit.nanoseconds { return false }
            if cancelledCount != 0, cancelled.contains(top.sequence) {
                cancelled.remove(top.sequence)
                cancelledCount &-= 1
                _ = removeTop()
                continue
            }
            return true
        }
        return false
    }
}
