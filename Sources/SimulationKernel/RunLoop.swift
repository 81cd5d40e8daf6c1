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

    /// Creates an outcome.
    @inlinable
    public init(stopReason: StopReason, endTime: Instant, eventCount: UInt64, fingerprint: Fingerprint) {
        self.stopReason = stopReason
        self.endTime = endTime
        self.eventCount = eventCount
        self.fingerprint = fingerprint
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
    /// - Returns: Why and when the run stopped, with its event count and fingerprint.
    @inlinable
    public static func run<Model: EventDrivenModel>(
        _ model: Model,
        until end: Instant,
        eventLimit: UInt64,
        pendingEventLimit: Int = .max,
        progressEvery: UInt64 = 1 << 20,
        progress: ((Instant, UInt64) -> Void)? = nil
    ) -> RunOutcome {
        var fingerprint = Fingerprint()
        var count: UInt64 = 0
        var now = Instant.zero
        var nextProgress = progressEvery
        while true {
            if count >= eventLimit {
                // Only a pending event makes the limit the reason; an idle queue ends normally.
                if model.eventQueue.hasEventDue(notAfter: end) {
                    return RunOutcome(stopReason: .eventLimit, endTime: now, eventCount: count, fingerprint: fingerprint)
                }
                break
            }
            guard let (time, event) = model.eventQueue.popFirst(notAfter: end) else { break }
            now = time
            let ingredients = model.fingerprintIngredients(of: event)
            fingerprint.record(time: time, kind: ingredients.kind, component: ingredients.component)
            model.handle(event, at: time)
            count &+= 1
            if model.isStopRequested {
                return RunOutcome(stopReason: model.requestedStopReason, endTime: now, eventCount: count, fingerprint: fingerprint)
            }
            // Every 256 events (the limit is passed by at most 256 events, and a stop asked for from
            // outside waits for microseconds), so that the hot loop pays one test per event.
            if count & 0xFF == 0 {
                if model.eventQueue.storedCount > pendingEventLimit {
                    return RunOutcome(stopReason: .pendingEventLimit, endTime: now, eventCount: count, fingerprint: fingerprint)
                }
                if RunInterruption.isRequested {
                    return RunOutcome(stopReason: .interrupted, endTime: now, eventCount: count, fingerprint: fingerprint)
                }
                if count & 0xFFFF == 0 {
                    model.periodicCheck()
                    if model.isStopRequested {
                        return RunOutcome(stopReason: model.requestedStopReason, endTime: now, eventCount: count, fingerprint: fingerprint)
                    }
                }
            }
            if count == nextProgress {
                nextProgress &+= progressEvery
                progress?(now, count)
            }
        }
        let reason: StopReason = model.eventQueue.isEmpty ? .exhausted : .endTime
        return RunOutcome(stopReason: reason, endTime: reason == .endTime ? end : now, eventCount: count, fingerprint: fingerprint)
    }
}

extension EventQueue {
    /// Whether an event is still due at or before `limit`, dropping cancelled entries on the way.
    @inlinable
    public func hasEventDue(notAfter limit: Instant) -> Bool {
        while heap.count > 0 {
            let top = heap.base[0]
            if top.time > limit.nanoseconds { return false }
            if !cancelled.isEmpty, cancelled.contains(top.sequence) {
                cancelled.remove(top.sequence)
                removeTop()
                continue
            }
            return true
        }
        return false
    }
}
