import SimulationKernel

/// An external endpoint: its latency stream, the faults on it now, and what each call to it gets.
///
/// The endpoint knows no event queue: `answer(isPooled:isStale:connectTimeout:readTimeout:)`
/// decides, in one place, which of the faults in effect, the caller's timeouts and the endpoint's
/// own latency and errors a call meets, and returns when and how it ends; the simulation schedules
/// that. Faults are started and ended by index, and the endpoint derives its state from all of
/// those in effect, so that one ending leaves the others on.
///
/// An endpoint with a capacity (`concurrency`) has that many slots, a `CountedResource`: a call
/// that gets past the faults takes a slot for the length of its work, or waits in the queue, first
/// come first served, or is refused when the queue is full. The work goes on when its caller stops
/// waiting (its timeout, its crash), as a database finishes a query whose client has gone: the slot
/// frees when the work is done (`finishWork`), never earlier. A caller that leaves the queue is
/// counted out (`withdrawQueuedCall`) and its entry skipped when it reaches the front.
package struct Endpoint {
    /// What a call gets from the endpoint.
    package enum Answer: Equatable {
        /// The call ends after `delay` with `outcome` (`success`, `failed`, `timedOut` or `refused`).
        case after(Interval, Outcome)
        /// Nothing ever answers: the call hangs until its caller gives up some other way.
        case never
        /// With a capacity: the call holds a slot for `slotHeldFor` (its work), and its caller
        /// gets `outcome` after `delay` (a timeout that comes before the work is done included).
        case served(Interval, Outcome, slotHeldFor: Interval)
        /// With a capacity: every slot is taken, and the call waits in the queue for one.
        case queued
    }

    /// What the endpoint's own work on a call comes to, before the caller's read timeout.
    package struct Work: Equatable {
        /// How long until the endpoint answers.
        package var duration: Interval
        /// `success` or `failed`.
        package var outcome: Outcome

        package init(duration: Interval, outcome: Outcome) {
            self.duration = duration
            self.outcome = outcome
        }
    }

    package let spec: EndpointSpec
    /// Draws the latencies.
    package var stream: RandomStream
    /// Draws the `errorProbability` errors: a stream of their own, so that turning errors on
    /// shifts no latency.
    package var errorStream: RandomStream
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
    private(set) var staleDelay = FaultSpec.defaultStaleDelay
    var counters = CounterPair()
    /// Calls that reached it and were never answered because their caller crashed, since the start.
    var callsLostInCrashes: Int64 = 0

    // Capacity.
    /// The slots, with the calls waiting for one; nil for an endpoint that answers at any load.
    package private(set) var slots: CountedResource?
    /// The most calls that may wait for a slot.
    let queueCapacity: Int32
    /// Whether calls have had to wait for a slot (or were refused for want of one) since the
    /// endpoint last recovered.
    package private(set) var isSaturated = false
    /// Whether a call had to wait or was refused since the last `endInterval`.
    private var hasQueuedThisInterval = false
    /// Calls waiting × nanoseconds, and nanoseconds with every slot taken, since the last
    /// `takeLevels` (up to `levelsSettledAt`).
    private var queuedArea: Double = 0
    private var fullTime: Double = 0
    private var levelsSettledAt: Int64 = 0
    /// Time integrals of calls in service, calls queued and of every slot being taken, this
    /// interval and since the warm-up.
    private(set) var inServiceLevel = LevelArea()
    private(set) var queuedLevel = LevelArea()
    private(set) var fullLevel = LevelArea()

    /// Creates an endpoint with no fault in effect.
    ///
    /// - Parameters:
    ///   - spec: What the model says of it.
    ///   - seed: The run's seed; its streams are keyed by (seed, name, `latency`) and (seed, name, `errors`).
    package init(spec: EndpointSpec, seed: UInt64) {
        self.spec = spec
        stream = RandomStream(seed: seed, component: spec.name, purpose: .latency)
        errorStream = RandomStream(seed: seed, component: spec.name, purpose: .errors)
        slots = spec.concurrency.map { CountedResource(capacity: Int32($0)) }
        queueCapacity = spec.queueCapacity.map { Int32($0) } ?? Int32.max
    }

    /// Whether it has a capacity (`concurrency`).
    package var hasCapacity: Bool { slots != nil }

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
            case .failover, .crash, .leak, .spike, .misread, .flush: break
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
    /// Draws only when the endpoint works: a latency from its latency stream, then, without an
    /// `error` fault and with an `errorProbability`, one unit from its error stream.
    ///
    /// - Parameters:
    ///   - isPooled: Whether the call uses an open pooled connection (rather than a new one).
    ///   - isStale: Whether that connection was left half-dead by a failover.
    ///   - connectTimeout: The caller's connect timeout, or nil for none.
    ///   - readTimeout: The caller's read timeout, or nil for none.
    ///   - caller: Who calls, should the call have to wait for a slot (with a capacity only).
    ///   - now: The current instant, in nanoseconds (with a capacity only).
    /// - Returns: The answer, relative to now.
    @inline(__always)
    package mutating func answer(isPooled: Bool, isStale: Bool, connectTimeout: Interval?, readTimeout: Interval?,
                                 caller: CountedResource.Waiter = CountedResource.Waiter(id: -1, generation: 0),
                                 at now: Int64 = 0) -> Answer {
        if let early = answerBeforeWork(isPooled: isPooled, isStale: isStale, connectTimeout: connectTimeout, readTimeout: readTimeout) {
            return early
        }
        guard slots != nil else { return Self.answer(to: work(), readTimeout: readTimeout) }
        return admit(caller, readTimeout: readTimeout, at: now)
    }

    /// A call that got past the faults meets the capacity: a free slot, a place in the queue, or
    /// a refusal at once when the queue is full. Either of the last two marks the endpoint saturated.
    private mutating func admit(_ caller: CountedResource.Waiter, readTimeout: Interval?, at now: Int64) -> Answer {
        settleLevels(at: now)
        if slots!.tryAcquire(at: now) {
            let work = work()
            guard case .after(let delay, let outcome) = Self.answer(to: work, readTimeout: readTimeout) else { preconditionFailure() }
            return .served(delay, outcome, slotHeldFor: work.duration)
        }
        isSaturated = true
        hasQueuedThisInterval = true
        guard slots!.waiting < queueCapacity else { return .after(.zero, .refused) }
        slots!.enqueue(caller)
        return .queued
    }

    /// The work of a call is done: its slot goes to the oldest caller still waiting, whose work
    /// starts now, or becomes free.
    ///
    /// - Parameters:
    ///   - now: The current instant, in nanoseconds.
    ///   - isCurrent: Whether a queued caller still waits; those it refuses are dropped.
    /// - Returns: The caller that now holds the slot and its work (its caller's read timeout, which
    ///   has run since it queued, is the simulation's to race), or nil when the slot became free.
    /// - Complexity: O(1) amortized over the entries queued.
    @inline(__always)
    package mutating func finishWork(at now: Int64, isCurrent: (CountedResource.Waiter) -> Bool) -> (caller: CountedResource.Waiter, work: Work)? {
        settleLevels(at: now)
        guard let caller = slots!.release(at: now, isCurrent: isCurrent) else { return nil }
        return (caller, work())
    }

    /// A queued call's caller stopped waiting (its read timeout, its crash): it is counted out now,
    /// and its entry skipped when it reaches the front.
    package mutating func withdrawQueuedCall(at now: Int64) {
        settleLevels(at: now)
        slots!.withdrawWaiter()
    }

    // MARK: Levels

    @inline(__always)
    private mutating func settleLevels(at now: Int64) {
        guard let slots else { return }
        let span = Double(now &- levelsSettledAt)
        queuedArea += Double(slots.waiting) * span
        if slots.isFull && slots.capacity > 0 { fullTime += span }
        levelsSettledAt = now
    }

    /// Adds the levels since the last call to the interval's (and, past the warm-up, to the
    /// run's) integrals: at the end of each series interval and at the end of the warm-up.
    ///
    /// - Parameters:
    ///   - now: The current instant, in nanoseconds.
    ///   - pastWarmup: Whether the span since the last call counts in the run's integrals.
    package mutating func takeLevels(upTo now: Int64, pastWarmup: Bool) {
        guard slots != nil else { return }
        settleLevels(at: now)
        inServiceLevel.add(slots!.takeArea(upTo: now), pastWarmup: pastWarmup)
        queuedLevel.add(queuedArea, pastWarmup: pastWarmup)
        fullLevel.add(fullTime, pastWarmup: pastWarmup)
        queuedArea = 0
        fullTime = 0
    }

    /// Ends a series interval: clears the interval's integrals and says whether the endpoint
    /// recovered — it was saturated, and no call waited or was refused for want of a slot during
    /// the whole interval, and a slot is free — so that a busy endpoint does not flap event by event.
    ///
    /// - Returns: Whether it recovered now.
    package mutating func endInterval() -> Bool {
        inServiceLevel.interval = 0
        queuedLevel.interval = 0
        fullLevel.interval = 0
        guard let slots else { return false }
        defer { hasQueuedThisInterval = false }
        guard isSaturated && !hasQueuedThisInterval && slots.waiting == 0 && !slots.isFull else { return false }
        isSaturated = false
        return true
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
        let fails = spec.errorProbability > 0 && errorStream.nextUnit() < spec.errorProbability
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
