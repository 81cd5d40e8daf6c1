import SimulationKernel

extension ChainSimulation {
    /// Runs a traffic event: a source's arrival or rate change, a client's visit, timeout or reload.
    @inline(__always)
    func handle(_ event: TrafficEvent) {
        switch event {
        case .arrivalDue(let source): arrive(from: source)
        case .rateChangeDue(let source): changeRate(of: source)
        case .clientReady(let client): send(client)
        case .clientTimeoutDue(let client, let token): clientGaveUp(client, token: token)
        case .reloadDue(let client, let token): reload(client, token: token)
        case .clientRetryDue(let client, let token): retryDue(client, token: token)
        }
    }

    /// Whether a fault acts on traffic (a spike), which is built into the source's rate instead of scheduled.
    func isTrafficFault(_ fault: FaultSpec) -> Bool {
        if case .spike = fault.kind { return true }
        return false
    }

    /// The rate of a source as segments between breakpoints: profile points and spike edges.
    ///
    /// Within a segment the rate is linear, from `after[k]` at `breakpoints[k]` to `before[k]`
    /// just before the next breakpoint (equal to `after[k]` for the last segment).
    ///
    /// Public so that validation can check the highest rate a source reaches with its spikes.
    public static func rateSegments(profile: RateProfile, spikes: [FaultSpec]) -> (breakpoints: [Int64], after: [Double], before: [Double]) {
        var times = Set(profile.points.map { $0.time.nanoseconds })
        for spike in spikes {
            times.insert(spike.start.nanoseconds)
            if let duration = spike.duration { times.insert((spike.start + duration).nanoseconds) }
        }
        let breakpoints = times.sorted()
        func factor(at time: Int64) -> Double {
            var product = 1.0
            for spike in spikes {
                guard case .spike(let factor) = spike.kind else { continue }
                let end = spike.duration.map { (spike.start + $0).nanoseconds } ?? Int64.max
                if time >= spike.start.nanoseconds && time < end { product *= factor }
            }
            return product
        }
        var after: [Double] = []
        var before: [Double] = []
        // Breakpoints are visited in time order, so one cursor walks the profile's points once.
        var cursor = 0
        let stepTimes = Set(profile.points.filter { $0.shape == .step }.map(\.time.nanoseconds))
        for (index, time) in breakpoints.enumerated() {
            let rateAfter = profile.rate(at: Interval(nanoseconds: time), cursor: &cursor) * factor(at: time)
            after.append(rateAfter)
            if index + 1 < breakpoints.count {
                let next = breakpoints[index + 1]
                // The left limit at the next breakpoint: the profile there, with this segment's spikes.
                let profileBefore = stepTimes.contains(next)
                    ? profile.rate(at: Interval(nanoseconds: next - 1), cursor: &cursor) : profile.rate(at: Interval(nanoseconds: next), cursor: &cursor)
                before.append(profileBefore * factor(at: time))
            } else {
                before.append(rateAfter)
            }
        }
        return (breakpoints, after, before)
    }

    /// The rate of a source at a time within its current segment.
    @inline(__always)
    func rate(of source: SourceID, at time: Int64) -> Double {
        let segment = sources[source].segment
        let start = sources[source].breakpoints[segment]
        let from = sources[source].rateAfter[segment]
        let to = sources[source].rateBefore[segment]
        if from == to || segment + 1 >= sources[source].breakpoints.count { return from }
        let end = sources[source].breakpoints[segment + 1]
        return from + (to - from) * Double(time - start) / Double(end - start)
    }

    /// Draws the next arrival of a source after `time`: by thinning within the current segment
    /// (exact for a linear rate), or the next change of segment if that comes first.
    /// Makes segment `segment` of a source's rate the current one.
    func enterSegment(_ segment: Int, of source: SourceID) {
        sources[source].segment = segment
        sources[source].segmentEnd = segment + 1 < sources[source].breakpoints.count ? sources[source].breakpoints[segment + 1] : Int64.max
        sources[source].segmentPeak = max(sources[source].rateAfter[segment], sources[source].rateBefore[segment])
        sources[source].isSegmentConstant = sources[source].rateAfter[segment] == sources[source].rateBefore[segment]
        // The candidates thinning rejects over a linear segment: (peak − mean rate) × length.
        let length = Double(sources[source].segmentEnd - sources[source].breakpoints[segment]) / 1e9
        let rejected = abs(sources[source].rateAfter[segment] - sources[source].rateBefore[segment]) * length / 2
        sources[source].isSegmentSteep = !sources[source].isSegmentConstant && rejected > Self.steepSegmentCandidates
    }

    func scheduleNextArrival(of source: SourceID, from time: Int64) {
        let segmentEnd = sources[source].segmentEnd
        let peak = sources[source].segmentPeak
        let isConstant = sources[source].isSegmentConstant
        var candidate = time
        var due = Int64.max
        if peak > 0 {
            switch sources[source].spec.arrivals {
            case .poisson where sources[source].isSegmentSteep:
                due = steepArrival(of: source, from: time)
            case .poisson:
                while true {
                    let gap = ExponentialZiggurat.sample(using: &sources[source].arrivalStream) / peak
                    candidate = (Instant(nanoseconds: candidate) + Interval.sampled(seconds: gap)).nanoseconds
                    if candidate >= segmentEnd { break }
                    if isConstant || sources[source].arrivalStream.nextUnit() * peak < rate(of: source, at: candidate) {
                        due = candidate
                        break
                    }
                }
            case .deterministic:
                let current = rate(of: source, at: time)
                if current > 0 { due = (Instant(nanoseconds: time) + Interval.sampled(seconds: 1 / current)).nanoseconds }
            }
        }
        if due < segmentEnd {
            eventQueue.schedule(.traffic(.arrivalDue(source: source)), at: Instant(nanoseconds: due))
        } else if segmentEnd != Int64.max {
            eventQueue.schedule(.traffic(.rateChangeDue(source: source)), at: Instant(nanoseconds: segmentEnd))
        }
    }

    /// Above this many rejected candidates a segment counts as steep.
    static let steepSegmentCandidates = 1e6

    /// The next arrival in a steep linear segment, or `Int64.max` for none before its end.
    ///
    /// Thinning against the segment's peak costs a draw per candidate at the peak rate, however
    /// low the rate is now: a ramp from 0 to 10⁹/s over hours drew 10⁹ candidates a simulated
    /// second for a handful of arrivals. Instead, thin on windows from `time`, each against its
    /// own peak (the larger end, the rate being linear), each short enough that the rate changes
    /// by at most half of itself, or holds about one candidate where the rate is near 0. Each
    /// window starts afresh (the Poisson process is memoryless), so this is exact.
    func steepArrival(of source: SourceID, from time: Int64) -> Int64 {
        let segment = sources[source].segment
        let segmentEnd = sources[source].segmentEnd
        let start = sources[source].breakpoints[segment]
        // The slope in requests per second per second.
        let slope = abs(sources[source].rateBefore[segment] - sources[source].rateAfter[segment]) / (Double(segmentEnd - start) / 1e9)
        var windowStart = time
        while windowStart < segmentEnd {
            let current = rate(of: source, at: windowStart)
            let seconds = max(current / 2, slope.squareRoot()) / slope
            let windowEnd = seconds * 1e9 >= Double(segmentEnd - windowStart) ? segmentEnd : windowStart + max(1, Int64(seconds * 1e9))
            let peak = max(current, rate(of: source, at: windowEnd))
            var candidate = windowStart
            while peak > 0 {
                let gap = ExponentialZiggurat.sample(using: &sources[source].arrivalStream) / peak
                candidate = (Instant(nanoseconds: candidate) + Interval.sampled(seconds: gap)).nanoseconds
                if candidate >= windowEnd { break }
                if sources[source].arrivalStream.nextUnit() * peak < rate(of: source, at: candidate) { return candidate }
            }
            windowStart = windowEnd
        }
        return Int64.max
    }

    func changeRate(of source: SourceID) {
        let before = rate(of: source, at: now)
        enterSegment(sources[source].segment + 1, of: source)
        let segment = sources[source].segment
        let after = sources[source].rateAfter[segment]
        let target = sources[source].rateBefore[segment]
        if after != target, segment + 1 < sources[source].breakpoints.count {
            let end = Interval(nanoseconds: sources[source].breakpoints[segment + 1])
            record(sources[source].spec.name, "rateChanged", "\(rate: after), ramping to \(rate: target) by \(duration: end)")
        } else if before != after {
            record(sources[source].spec.name, "rateChanged", "\(rate: before) -> \(rate: after)")
        }
        scheduleNextArrival(of: source, from: now)
    }

    /// An open source's visit arrives: a fire-and-forget request, or a client that waits and thinks.
    func arrive(from source: SourceID) {
        scheduleNextArrival(of: source, from: now)
        if sources[source].isFireAndForget {
            sources[source].counters.offer(pastWarmup: isPastWarmup)
            let session = newSession()
            route(to: sources[source].target, entry: sources[source].entry,
                  origin: .source(source), session: session, sticky: .none)
            return
        }
        let client = newClient(owner: .source(source), remaining: Int32(sources[source].spec.requestsPerVisit))
        send(client)
    }

    func newSession() -> UInt32 {
        let session = nextSession
        nextSession &+= 1
        if nextSession == 0 { nextSession = 1 }
        return session
    }

    func newClient(owner: ClientOwner, remaining: Int32) -> ClientID {
        var record = ClientRecord(owner: owner, remaining: remaining, session: newSession())
        switch owner {
        case .source(let source): record.hasRetry = sources[source].retry != nil
        case .population(let population): record.hasRetry = populations[population].retry != nil
        }
        if let slot = freeClients.popLast() {
            // Tokens go on from the slot's last one, so events left for its previous client never match.
            record.token = clients[slot].token
            clients[slot] = record
            return slot
        }
        return clients.append(record)
    }

    func behaviour(of client: ClientID) -> ClientBehaviour {
        switch clients[client].owner {
        case .source(let source): return sources[source].spec.behaviour
        case .population(let population): return populations[population].spec.behaviour
        }
    }

    func updateOwnerCounters(of client: ClientID, _ body: (inout Counters) -> Void) {
        withOwnerCounters(of: client) { $0.update(pastWarmup: isPastWarmup, body) }
    }

    /// The counter pair of a client's source or population, for its hot methods.
    @inline(__always)
    func withOwnerCounters(of client: ClientID, _ body: (inout CounterPair) -> Void) {
        switch clients[client].owner {
        case .source(let source): body(&sources[source].counters)
        case .population(let population): body(&populations[population].counters)
        }
    }

    /// A client sends its next logical request.
    func send(_ client: ClientID) {
        let behaviour = behaviour(of: client)
        if !behaviour.keepsCookies {
            clients[client].session = newSession()
            clients[client].sticky = .none
        } else if case .population(let population) = clients[client].owner, let perSession = populations[population].spec.requestsPerSession {
            // Counted only here, where it is bounded by `perSession`: a client may send for ever.
            if clients[client].requestsInSession >= perSession {
                clients[client].session = newSession()
                clients[client].sticky = .none
                clients[client].requestsInSession = 0
            }
            clients[client].requestsInSession += 1
        }
        clients[client].sentAt = now
        clients[client].tries = 1
        clients[client].previousDelay = 0
        clients[client].lastRetryCost = 0
        clients[client].isWaiting = true
        withOwnerCounters(of: client) { $0.offer(pastWarmup: isPastWarmup) }
        startTry(client, behaviour: behaviour)
    }

    /// Sends one try of the client's current request: a new token (answers, timeouts and reloads
    /// of an earlier try no longer match), its client timeout and its reloads.
    private func startTry(_ client: ClientID, behaviour: ClientBehaviour) {
        clients[client].token &+= 1
        clients[client].attempts = 1
        let token = clients[client].token
        if let timeout = behaviour.clientTimeout {
            eventQueue.schedule(.traffic(.clientTimeoutDue(client: client, token: token)), at: instantNow + timeout)
        }
        if let after = behaviour.reloadAfter, behaviour.maximumAttempts > 1 {
            eventQueue.schedule(.traffic(.reloadDue(client: client, token: token)), at: instantNow + after)
        }
        dispatch(client)
    }

    /// A client's backoff is over: it sends its request again, as a new try.
    func retryDue(_ client: ClientID, token: UInt32) {
        guard clients[client].isLive, clients[client].isWaiting, clients[client].token == token else { return }
        clients[client].tries += 1
        updateOwnerCounters(of: client) { $0.retries &+= 1 }
        startTry(client, behaviour: behaviour(of: client))
    }

    /// How a client with a `retry` goes on after a try ended: after a success its budget is
    /// settled; after a failure the policy, the tries left and the budget decide whether it
    /// retries, and if so the retry is scheduled after its backoff.
    ///
    /// - Parameters:
    ///   - client: The client.
    ///   - failure: How the try failed (`.timeout` for the client's own timeout, `.refused` for a
    ///     refused or shed request, `.error` for any other error answer), or nil for a success.
    /// - Returns: Whether a retry was scheduled: the client keeps waiting through its backoff.
    private func retried(_ client: ClientID, failure: RetryPolicy.RetryableOutcomes?) -> Bool {
        let owner = clients[client].owner
        let retry: ClientRetryState?
        switch owner {
        case .source(let source): retry = sources[source].retry
        case .population(let population): retry = populations[population].retry
        }
        guard var state = retry else { return false }
        defer {
            switch owner {
            case .source(let source): sources[source].retry = state
            case .population(let population): populations[population].retry = state
            }
        }
        let tries = Int(clients[client].tries)
        guard let failure else {
            RetryPolicy.settleSuccess(ofAttempt: tries, lastCost: Int(clients[client].lastRetryCost), budget: &state.budget)
            return false
        }
        let decision = state.policy.decide(afterFailedAttempt: tries, kind: failure, budget: &state.budget)
        if let cost = decision.cost { clients[client].lastRetryCost = Int32(cost) }
        guard decision.retry else { return false }
        let delay = state.policy.delay(beforeRetry: tries, previous: clients[client].previousDelay, using: &state.stream)
        clients[client].previousDelay = delay
        // The failed try is over: its timeout, its reloads and its late answers no longer match.
        clients[client].token &+= 1
        eventQueue.schedule(.traffic(.clientRetryDue(client: client, token: clients[client].token)),
                            at: instantNow + Interval.sampled(seconds: delay))
        return true
    }

    /// Sends one attempt of the client's current request.
    private func dispatch(_ client: ClientID) {
        let (target, entry) = switch clients[client].owner {
        case .source(let source): (sources[source].target, sources[source].entry)
        case .population(let population): (populations[population].target, populations[population].entry)
        }
        let routed = route(to: target, entry: entry, origin: .client(client, token: clients[client].token),
                           session: clients[client].session, sticky: clients[client].sticky)
        if !routed.isNone && behaviour(of: client).keepsCookies { clients[client].sticky = routed }
    }

    func reload(_ client: ClientID, token: UInt32) {
        guard clients[client].isLive, clients[client].isWaiting, clients[client].token == token else { return }
        let behaviour = behaviour(of: client)
        guard clients[client].attempts < behaviour.maximumAttempts else { return }
        clients[client].attempts += 1
        updateOwnerCounters(of: client) { $0.reloads &+= 1 }
        dispatch(client)
        if let after = behaviour.reloadAfter, clients[client].attempts < behaviour.maximumAttempts {
            eventQueue.schedule(.traffic(.reloadDue(client: client, token: token)), at: instantNow + after)
        }
    }

    func clientGaveUp(_ client: ClientID, token: UInt32) {
        guard clients[client].isLive, clients[client].isWaiting, clients[client].token == token else { return }
        if clients[client].hasRetry && retried(client, failure: .timeout) { return }
        clients[client].isWaiting = false
        updateOwnerCounters(of: client) { $0.abandoned &+= 1 }
        next(after: client)
    }

    /// An answer reaches a client: the first answer to its current request counts.
    func clientReceived(_ client: ClientID, token: UInt32, outcome: Outcome) {
        guard clients[client].isLive, clients[client].isWaiting, clients[client].token == token else { return }
        if clients[client].hasRetry && retried(client, failure: Self.clientFailure(outcome)) { return }
        clients[client].isWaiting = false
        let latency = now - clients[client].sentAt
        withOwnerCounters(of: client) { $0.count(outcome, latency: latency, pastWarmup: isPastWarmup) }
        next(after: client)
    }

    /// How a client's `retryOn` reads an answer: refused and shed requests were turned away
    /// without work (`refused`); every other error answer is an `error` (the client's own timeout
    /// is its `timeout`); nil for a success.
    static func clientFailure(_ outcome: Outcome) -> RetryPolicy.RetryableOutcomes? {
        switch outcome {
        case .success: nil
        case .refused, .shed: .refused
        case .timedOut, .failed, .checkoutTimeout, .aborted, .rejected, .lockTimeout: .error
        }
    }

    /// After an answer or giving up: a user thinks and goes on; a visitor goes on or leaves.
    private func next(after client: ClientID) {
        if !clients[client].isUser {
            clients[client].remaining -= 1
            if clients[client].remaining <= 0 {
                clients[client].isLive = false
                freeClients.append(client)
                return
            }
        }
        scheduleThink(of: client, from: now)
    }

    func scheduleThink(of client: ClientID, from time: Int64) {
        let think = switch clients[client].owner {
        case .source(let source): sources[source].spec.thinkTime.sample(using: &sources[source].thinkStream)
        case .population(let population): populations[population].spec.thinkTime.sample(using: &populations[population].thinkStream)
        }
        eventQueue.schedule(.traffic(.clientReady(client: client)), at: Instant(nanoseconds: time) + Interval.sampled(seconds: think))
    }

    /// An answer to a fire-and-forget request of an open source.
    func sourceReceived(_ source: SourceID, outcome: Outcome, latency: Int64) {
        sources.pointer(at: source).pointee.counters.count(outcome, latency: latency, pastWarmup: isPastWarmup)
    }
}
