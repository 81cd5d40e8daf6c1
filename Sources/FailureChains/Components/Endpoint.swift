import SimulationKernel

/// An external endpoint: its latency stream, the faults on it now, and what each call to it gets.
///
/// The endpoint knows no event queue: `answer(isPooled:isStale:connectTimeout:readTimeout:)`
/// decides, in one place, which of the faults in effect, the caller's timeouts and the endpoint's
/// own latency and errors a call meets, and returns when and how it ends; the simulation schedules
/// that. Faults are started and ended by index, and the endpoint derives its state from all of
/// those in effect, so that one ending leaves the others on.
package struct Endpoint {
    /// What a call gets from the endpoint.
    package enum Answer: Equatable {
        /// The call ends after `delay` with `outcome` (`success`, `failed`, `timedOut` or `refused`).
        case after(Interval, Outcome)
        /// Nothing ever answers: the call hangs until its caller gives up some other way.
        case never
    }

    /// What the endpoint's own work on a call comes to, before the caller's read timeout.
    package struct Work: Equatable {
        /// How long until the endpoint answers.
        package var duration: Interval
        /// `success` or `failed`.
        package var outcome: Outcome
    }

    package let spec: EndpointSpec
    /// Draws the latencies and the `errorProbability` errors.
    package var stream: RandomStream
    /// The faults on the endpoint now in effect (indices into the model's faults) with their kinds,
    /// in the order they started; the fields below are derived from them whenever one starts or ends.
    private(set) var activeFaults: [(fault: Int32, kind: FaultSpec.Kind)] = []
    /// The product of the active `slow` factors.
    private(set) var slowFactor = 1.0
    /// The distribution of the active `latency` fault that started last.
    private(set) var latencyOverride: Distribution?
    private(set) var isHanging = false
    private(set) var isRefusing = false
    private(set) var isBlackholed = false
    /// Whether an `error` fault is active, and the `afterLatency` of the one that started last.
    private(set) var errors: (active: Bool, afterLatency: Bool) = (false, false)
    /// How long the use of a half-dead connection takes to fail, set by the last failover.
    private(set) var staleDelay = Interval.seconds(2)
    var counters = CounterPair()
    /// Calls that reached it and were never answered because their caller crashed, since the start.
    var callsLostInCrashes: Int64 = 0

    /// Creates an endpoint with no fault in effect.
    ///
    /// - Parameters:
    ///   - spec: What the model says of it.
    ///   - seed: The run's seed; its stream is keyed by (seed, name, `latency`).
    package init(spec: EndpointSpec, seed: UInt64) {
        self.spec = spec
        stream = RandomStream(seed: seed, component: spec.name, purpose: "latency")
    }

    /// The fault in effect that started last, if any.
    package var lastActiveFault: Int32? { activeFaults.last?.fault }

    // MARK: Faults

    /// A fault on the endpoint starts.
    ///
    /// - Parameters:
    ///   - fault: The fault's index in the model.
    ///   - kind: What it does.
    /// - Returns: Whether every open pooled connection to the endpoint is now half-dead (a
    ///   failover), for the simulation to mark them.
    package mutating func startFault(_ fault: Int32, _ kind: FaultSpec.Kind) -> Bool {
        if case .failover(let delay) = kind {
            staleDelay = delay
            return true
        }
        activeFaults.append((fault, kind))
        deriveFaultState()
        return false
    }

    /// A fault on the endpoint ends; the others in effect stay.
    ///
    /// - Parameters:
    ///   - fault: The fault's index in the model.
    ///   - kind: What it does. A failover is an instant: its end changes nothing.
    package mutating func endFault(_ fault: Int32, _ kind: FaultSpec.Kind) {
        if case .failover = kind { return }
        activeFaults.removeAll { $0.fault == fault }
        deriveFaultState()
    }

    /// `slow` factors multiply; the `latency` fault and the `error` fault that started last decide
    /// the latency and whether errors wait for it.
    private mutating func deriveFaultState() {
        slowFactor = 1
        latencyOverride = nil
        isHanging = false
        isRefusing = false
        isBlackholed = false
        errors = (false, false)
        for (_, kind) in activeFaults {
            switch kind {
            case .slow(let factor): slowFactor *= factor
            case .latency(let distribution): latencyOverride = distribution
            case .hang: isHanging = true
            case .refuse: isRefusing = true
            case .error(let afterLatency): errors = (true, afterLatency)
            case .blackhole: isBlackholed = true
            case .failover, .crash, .leak, .spike: break
            }
        }
    }

    // MARK: Calls

    /// What a call gets: when it ends and how, or that it is never answered.
    ///
    /// Precedence, first match wins: a stale pooled connection fails after the failover's delay
    /// (unless the read timeout comes first); a refusing endpoint refuses at once; a blackholed one
    /// lets a new connection hang until its connect timeout and an open one until its read
    /// timeout; a hanging one answers nothing before the read timeout. Otherwise the endpoint works
    /// (`work()`): the read timeout cuts a longer answer short.
    ///
    /// Draws from the endpoint's stream only when the endpoint works: a latency, then, without an
    /// `error` fault and with an `errorProbability`, one unit for the error.
    ///
    /// - Parameters:
    ///   - isPooled: Whether the call uses an open pooled connection (rather than a new one).
    ///   - isStale: Whether that connection was left half-dead by a failover.
    ///   - connectTimeout: The caller's connect timeout, or nil for none.
    ///   - readTimeout: The caller's read timeout, or nil for none.
    /// - Returns: The answer, relative to now.
    @inline(__always)
    package mutating func answer(isPooled: Bool, isStale: Bool, connectTimeout: Interval?, readTimeout: Interval?) -> Answer {
        if let early = answerBeforeWork(isPooled: isPooled, isStale: isStale, connectTimeout: connectTimeout, readTimeout: readTimeout) {
            return early
        }
        return Self.answer(to: work(), readTimeout: readTimeout)
    }

    /// The answer of the faults that keep a call from the endpoint's work (stale connection,
    /// refuse, blackhole, hang), in `answer`'s order of precedence; nil when the call reaches it.
    ///
    /// Draws nothing.
    @inline(__always)
    package func answerBeforeWork(isPooled: Bool, isStale: Bool, connectTimeout: Interval?, readTimeout: Interval?) -> Answer? {
        if isStale {
            // A half-dead connection after a failover: its use fails after a while, unless the read
            // timeout comes first.
            if let timeout = readTimeout, timeout < staleDelay { return .after(timeout, .timedOut) }
            return .after(staleDelay, .failed)
        }
        if isRefusing { return .after(.zero, .refused) }
        if isBlackholed {
            // Packets vanish: a new connection hangs until its connect timeout, an open one until its read timeout.
            guard let timeout = isPooled ? readTimeout : connectTimeout else { return .never }
            return .after(timeout, .timedOut)
        }
        if isHanging {
            guard let timeout = readTimeout else { return .never }
            return .after(timeout, .timedOut)
        }
        return nil
    }

    /// The endpoint works on a call: draws its latency (the `latency` fault's distribution or its
    /// own, times the `slow` factors) and whether it fails (an `error` fault, at once or after the
    /// latency; else `errorProbability`, drawn after the latency).
    ///
    /// - Returns: How long the work takes and whether it succeeds.
    @inline(__always)
    package mutating func work() -> Work {
        let distribution = latencyOverride ?? spec.latency
        let latency = Interval.sampled(seconds: distribution.sample(using: &stream) * slowFactor)
        if errors.active {
            return Work(duration: errors.afterLatency ? latency : .zero, outcome: .failed)
        }
        let fails = spec.errorProbability > 0 && stream.nextUnit() < spec.errorProbability
        return Work(duration: latency, outcome: fails ? .failed : .success)
    }

    /// The answer a caller with a read timeout gets for some work: the work's outcome, unless it
    /// takes longer than the timeout (an answer exactly at the timeout still counts).
    @inline(__always)
    package static func answer(to work: Work, readTimeout: Interval?) -> Answer {
        if let timeout = readTimeout, work.duration > timeout { return .after(timeout, .timedOut) }
        return .after(work.duration, work.outcome)
    }
}
