import SimulationKernel

/// The heap of one service instance: the sessions it holds, the memory leaked into it, and
/// whether garbage collection costs CPU.
///
/// The heap knows no event queue: its methods take the time and say what happened (a session
/// allocated, the heap out of memory, GC pressure started or ended), and the simulation schedules
/// expiry timers, crashes the instance and records the state changes. An instance without a heap
/// spec holds no sessions and uses no memory; a leak fault on it still keeps its rates and its
/// chain of per-second timers, which then leak nowhere.
package struct Heap {
    /// How an operation moved the heap across the occupancy where GC starts to cost CPU.
    package enum PressureChange: Equatable {
        case unchanged
        /// Occupancy rose above `gcThreshold`.
        case started
        /// Occupancy fell back to `gcThreshold` or below.
        case ended
    }

    /// What an allocation did.
    package enum Allocation: Equatable {
        /// The memory was taken; the pressure may have changed.
        case allocated(PressureChange)
        /// The heap cannot hold it: the instance runs out of memory.
        case outOfMemory
    }

    /// When an expiry timer of a session fires, what it should do.
    package enum ExpiryCheck: Equatable {
        /// The session is gone already (purged, or the heap was cleared).
        case gone
        /// The session was used since the timer was set: it expires at this later instant.
        case extended(until: Instant)
        /// The session has been idle for the whole timeout: expire it now.
        case due
    }

    /// The heap's size, baseline, session size and GC curve, or nil for an instance without one.
    package let spec: HeapSpec?
    /// Bytes leaked since the instance last started.
    package private(set) var leaked: Int64 = 0
    /// Bytes the results being read hold (dependencies with a `result`).
    package private(set) var held: Int64 = 0
    /// The live sessions, with the time of their last access in nanoseconds.
    private var sessions: [UInt32: Int64] = [:]
    /// Bytes leaked by each request that ends here, summed over the active leak faults.
    package var leakPerRequest: Int64 = 0
    /// Bytes leaked each second, summed over the active leak faults.
    package var leakPerSecond: Int64 = 0
    /// Identifies the running chain of per-second leak timers; a new chain, a crash or parking
    /// starts a new one, so two chains never run at once.
    package private(set) var leakEpoch: UInt32 = 0
    /// Whether occupancy is above `gcThreshold`, as last reported.
    package private(set) var isUnderGCPressure = false
    /// GC's share of CPU × nanoseconds, integrated while the instance is up.
    var gcArea = LevelArea()

    /// Creates an empty heap.
    ///
    /// - Parameter spec: The service's heap, or nil for none.
    package init(spec: HeapSpec?) {
        self.spec = spec
    }

    /// The number of live sessions.
    package var sessionCount: Int { sessions.count }

    /// Bytes the live sessions hold; 0 without a heap.
    package var sessionBytes: Int64 {
        guard let spec else { return 0 }
        return Int64(sessions.count) * spec.sessionSize
    }

    /// Bytes in use: the baseline, the sessions and the leaked memory; 0 without a heap.
    package var used: Int64 {
        guard let spec else { return 0 }
        return spec.baseline + Int64(sessions.count) * spec.sessionSize + leaked + held
    }

    /// Bytes in use as a share of the heap's size; 0 without a heap.
    package var occupancy: Double {
        guard let spec else { return 0 }
        return Double(used) / Double(spec.size)
    }

    /// Whether each new session needs an expiry timer of its own: not when sessions never expire,
    /// nor when a periodic purge removes them.
    package var needsExpiryTimers: Bool {
        guard let spec else { return false }
        return spec.sessionTimeout != .forever && spec.purgeInterval == nil
    }

    /// The last access of a session, in nanoseconds, or nil if the heap does not hold it.
    package func lastAccess(of session: UInt32) -> Int64? {
        sessions[session]
    }

    /// Marks a session the heap holds as used now.
    ///
    /// - Parameters:
    ///   - session: The session.
    ///   - now: The current time, in nanoseconds.
    /// - Returns: Whether the heap held the session; if not, nothing changed.
    package mutating func refreshSession(_ session: UInt32, at now: Int64) -> Bool {
        guard sessions[session] != nil else { return false }
        sessions[session] = now
        return true
    }

    /// Allocates a session the heap does not hold yet.
    ///
    /// - Parameters:
    ///   - session: The new session.
    ///   - now: The current time, in nanoseconds: its first access.
    /// - Returns: `.outOfMemory`, changing nothing, when the heap has no room for one more
    ///   session; otherwise how GC pressure changed.
    package mutating func allocateSession(_ session: UInt32, at now: Int64) -> Allocation {
        guard let spec else { return .allocated(.unchanged) }
        if used + spec.sessionSize > spec.size { return .outOfMemory }
        sessions[session] = now
        return .allocated(notePressure())
    }

    /// What an expiry timer of a session should do now.
    ///
    /// - Parameters:
    ///   - session: The session the timer was set for.
    ///   - now: The current time, in nanoseconds.
    package func expiryCheck(of session: UInt32, at now: Int64) -> ExpiryCheck {
        guard let lastAccess = sessions[session], let spec else { return .gone }
        let expiry = Instant(nanoseconds: lastAccess) + spec.sessionTimeout
        return expiry.nanoseconds > now ? .extended(until: expiry) : .due
    }

    /// Removes a session.
    ///
    /// - Returns: How GC pressure changed.
    package mutating func expire(_ session: UInt32) -> PressureChange {
        sessions[session] = nil
        return notePressure()
    }

    /// Steady state by periodic purge: removes every session idle for the session timeout or longer.
    ///
    /// - Parameter now: The current time, in nanoseconds.
    /// - Returns: How many sessions it removed and how GC pressure changed, or nil when none was
    ///   idle that long (nothing changed).
    package mutating func purgeIdleSessions(at now: Int64) -> (removed: Int, pressure: PressureChange)? {
        guard let spec else { return nil }
        let expired = sessions.filter { now - $0.value >= spec.sessionTimeout.nanoseconds }.map(\.key)
        guard !expired.isEmpty else { return nil }
        for session in expired { sessions[session] = nil }
        return (expired.count, notePressure())
    }

    /// Leaks memory into the heap.
    ///
    /// - Parameter bytes: How much.
    /// - Returns: `.outOfMemory` when the heap no longer holds what is in use (the bytes stay
    ///   leaked until the instance restarts); otherwise how GC pressure changed.
    package mutating func leak(_ bytes: Int64) -> Allocation {
        guard let spec else { return .allocated(.unchanged) }
        leaked += bytes
        return used > spec.size ? .outOfMemory : .allocated(notePressure())
    }

    /// Holds the rows of a result while its request reads them.
    ///
    /// - Parameter bytes: How much, at least 0.
    /// - Returns: `.outOfMemory`, changing nothing, when the heap cannot hold them; otherwise how
    ///   GC pressure changed.
    package mutating func hold(_ bytes: Int64) -> Allocation {
        guard let spec else { return .allocated(.unchanged) }
        let (sum, overflow) = used.addingReportingOverflow(bytes)
        if overflow || sum > spec.size { return .outOfMemory }
        held += bytes
        return .allocated(notePressure())
    }

    /// Frees the rows of a result its request has read.
    ///
    /// - Parameter bytes: What `hold` took for it.
    /// - Returns: How GC pressure changed.
    package mutating func releaseHeld(_ bytes: Int64) -> PressureChange {
        guard spec != nil else { return .unchanged }
        held = max(0, held - bytes)
        return notePressure()
    }

    /// Starts a new chain of per-second leak timers, ending any earlier one.
    ///
    /// - Returns: The new chain's epoch, for its timers.
    package mutating func startLeakChain() -> UInt32 {
        leakEpoch &+= 1
        return leakEpoch
    }

    /// Whether a per-second leak timer of this epoch should leak: its chain is the current one
    /// and a fault leaks memory each second.
    package func isLeakTickCurrent(epoch: UInt32) -> Bool {
        leakEpoch == epoch && leakPerSecond > 0
    }

    /// Empties the heap when its process stops (a crash, or parking): sessions and leaked memory
    /// are gone, GC pressure with them, and the chain of leak timers ends. The leak rates stay:
    /// they belong to the faults.
    package mutating func clear() {
        sessions.removeAll()
        leaked = 0
        held = 0
        isUnderGCPressure = false
        leakEpoch &+= 1
    }

    /// Notes whether occupancy is now above the GC threshold.
    private mutating func notePressure() -> PressureChange {
        guard let spec else { return .unchanged }
        let isUnder = occupancy > spec.gcThreshold
        guard isUnder != isUnderGCPressure else { return .unchanged }
        isUnderGCPressure = isUnder
        return isUnder ? .started : .ended
    }
}
