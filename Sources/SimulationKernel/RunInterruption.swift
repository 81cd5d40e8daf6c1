import Synchronization

/// A request from outside the simulation to stop the run at the next event, such as a signal
/// (SIGINT, SIGTERM) caught by the executable.
///
/// The request is a single atomic word, so a signal handler may set it (a lock-free atomic store
/// is async-signal-safe); the run loop reads it every 256 events. The kernel knows nothing of signals:
/// the code is whatever number the requester chooses (the executable uses the signal's number).
public enum RunInterruption {
    @usableFromInline static let code = Atomic<Int32>(0)

    /// Asks every running loop of this process to stop at its next event.
    ///
    /// - Parameter reason: A non-zero number saying why, such as the signal's number.
    public static func request(_ reason: Int32) {
        code.store(reason == 0 ? -1 : reason, ordering: .relaxed)
    }

    /// The number given to `request`, or nil when no stop was asked for.
    public static var requested: Int32? {
        let value = code.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    /// Whether a stop was asked for.
    @inlinable
    public static var isRequested: Bool { code.load(ordering: .relaxed) != 0 }

    /// Forgets a request, for the next run of the process (tests).
    public static func reset() {
        code.store(0, ordering: .relaxed)
    }
}
