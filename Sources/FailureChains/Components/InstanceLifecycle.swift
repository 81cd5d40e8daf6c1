import SimulationKernel

/// The lifecycle state of an instance.
package enum InstanceState: UInt8 {
    case up, booting, crashed
    /// Held back by the autoscaler: not running, not in service.
    case parked
}

/// The lifecycle of one service instance: up, crashed, booting or parked, with its crash count,
/// its warm-up, whether the autoscaler is adding or removing it, and its supervisor.
///
/// It knows no event queue: the simulation asks whether a transition applies (an event of an
/// earlier crash is stale), settles the instance's accounting, makes the transition, and
/// schedules what the answer says (a restart after the delay, the end of booting).
package struct InstanceLifecycle {
    /// What follows a crash.
    package enum AfterCrash: Equatable {
        /// The autoscaler was removing the instance anyway: it parks.
        case park
        /// The service has no restart delay: it stays down.
        case staysDown
        /// The supervisor restarted it its maximum number of times within its period: it stays down.
        case supervisorGaveUp
        /// It restarts after this delay; its events carry this epoch.
        case restart(epoch: UInt32, after: Interval)
    }

    package private(set) var state: InstanceState
    /// Whether the autoscaler is removing it: it takes no new requests and parks when empty.
    package private(set) var isDraining = false
    /// Whether the autoscaler started it and it has not come up yet.
    package private(set) var isProvisioning = false
    /// CPU work is slower until this instant (warm-up), in nanoseconds.
    package private(set) var warmUntil: Int64 = 0
    /// Times it crashed since the start. (The fields each request reads come first.)
    package private(set) var crashes = 0
    /// The delay before a crashed instance restarts, or nil for never.
    package let restartDelay: Interval?
    package private(set) var supervisor: Supervisor?

    /// Creates the lifecycle of an instance that is up, or parked until the autoscaler starts it.
    package init(spec: LifecycleSpec, isParked: Bool) {
        state = isParked ? .parked : .up
        restartDelay = spec.restartDelay
        supervisor = spec.supervisor.map(Supervisor.init)
    }

    /// Tags the events of the current crash (a restart due, a boot done): the crash count's low
    /// 32 bits, compared for equality, not a count.
    package var epoch: UInt32 { UInt32(truncatingIfNeeded: crashes) }

    /// Whether its process runs: up, or booting.
    package var isAlive: Bool { state == .up || state == .booting }

    /// Whether a restart due with this epoch still applies: it is down from that crash.
    package func awaitsRestart(epoch: UInt32) -> Bool { state == .crashed && self.epoch == epoch }

    /// Whether a boot done with this epoch still applies: it is booting since that crash (or provisioning).
    package func awaitsBoot(epoch: UInt32) -> Bool { state == .booting && self.epoch == epoch }

    /// The instance crashes; it must be alive.
    package mutating func crash() {
        state = .crashed
        crashes += 1
    }

    /// Decides what follows the crash that just happened: parking, staying down, or a restart
    /// the supervisor (if any) allows.
    ///
    /// - Parameter now: The time of the crash, in nanoseconds.
    package mutating func afterCrash(at now: Int64) -> AfterCrash {
        if isDraining { return .park }
        guard let restartDelay else { return .staysDown }
        if supervisor != nil, !supervisor!.permitsRestart(at: now) { return .supervisorGaveUp }
        return .restart(epoch: epoch, after: restartDelay)
    }

    /// A crashed instance starts booting again.
    package mutating func startBooting() {
        state = .booting
    }

    /// A parked instance starts booting for the autoscaler.
    package mutating func provision() {
        state = .booting
        isDraining = false
        isProvisioning = true
    }

    /// A booting instance is up, and warms up until the given instant.
    ///
    /// - Parameter warmUntil: The end of its warm-up, in nanoseconds.
    /// - Returns: Whether the autoscaler provisioned it (rather than a restart after a crash).
    package mutating func finishBooting(warmUntil: Int64) -> Bool {
        state = .up
        self.warmUntil = warmUntil
        defer { isProvisioning = false }
        return isProvisioning
    }

    /// The autoscaler starts removing the instance.
    package mutating func startDraining() {
        isDraining = true
    }

    /// The instance leaves service, held back until the autoscaler starts it again.
    package mutating func park() {
        state = .parked
        isDraining = false
    }
}

/// Let it crash, within limits: a supervisor restarts an instance at most so many times in any
/// period, then gives up.
package struct Supervisor {
    package let maximumRestarts: Int
    /// The period, in nanoseconds.
    package let period: Int64
    /// When it restarted the instance, within the period, in nanoseconds.
    package private(set) var restartTimes: [Int64] = []

    /// Creates a supervisor that has restarted nothing yet.
    package init(spec: SupervisorSpec) {
        maximumRestarts = spec.maximumRestarts
        period = spec.period.nanoseconds
    }

    /// Whether it restarts the instance after a crash now: fewer than `maximumRestarts` restarts
    /// in the period before `now` (a restart exactly one period ago no longer counts). A restart
    /// it allows counts from now.
    ///
    /// - Parameter now: The time of the crash, in nanoseconds.
    package mutating func permitsRestart(at now: Int64) -> Bool {
        restartTimes.removeAll { now - $0 >= period }
        guard restartTimes.count < maximumRestarts else { return false }
        restartTimes.append(now)
        return true
    }
}
