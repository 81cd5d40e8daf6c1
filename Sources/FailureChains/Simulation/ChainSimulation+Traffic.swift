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

    func newClient(owner: ClientOwner, remaining: Int32) -> Int32 {
        var record = ClientRecord(owner: owner, remaining: remaining, session: newSession())
        switch owner {
        case .source(let source): record.hasRetry = sources[source].retry != nil
        case .population(let population): record.hasRetry = populations[population].retry != nil
        }
        if let slot = freeClients.popLast() {
            // Tokens go on from the slot's last one, so events left for its previous client never match.
            record.token = clients[Int(slot)].token
            clients[Int(slot)] = record
            return slot
        }
        return Int32(clients.append(record))
    }

    func behaviour(of client: Int32) -> ClientBehaviour {
        switch clients[Int(client)].owner {
        case .source(let source): return sources[source].spec.behaviour
        case .population(let population): return populations[population].spec.behaviour
        }
    }

    func updateOwnerCounters(of client: Int32, _ body: (inout Counters) -> Void) {
        switch clients[Int(client)].owner {
        case .source(let source): sources[source].counters.update(pastWarmup: isPastWarmup, body)
        case .population(let population): populations[population].counters.update(pastWarmup: isPastWarmup, body)
        }
    }

    /// A client sends its next logical request.
    func send(_ client: Int32) {
        let index = Int(client)
        let behaviour = behaviour(of: client)
        if !behaviour.keepsCookies {
            clients[index].session = newSession()
            clients[index].sticky = .none
        } else if case .population(let population) = clients[index].owner, let perSession = populations[population].spec.requestsPerSession {
            // Counted only here, where it is bounded by `perSession`: a client may send for ever.
            if clients[index].requestsInSession >= perSession {
                clients[index].session = newSession()
                clients[index].sticky = .none
                clients[index].requestsInSession = 0
            }
            clients[index].requestsInSession += 1
        }
        clients[index].sentAt = now
        clients[index].tries = 1
        clients[index].previousDelay = 0
        clients[index].lastRetryCost = 0
        clients[index].isWaiting = true
        updateOwnerCounters(of: client) { $0.offered &+= 1 }
        startTry(client, behaviour: behaviour)
    }

    /// Sends one try of the client's current request: a new token (answers, timeouts and reloads
    /// of an earlier try no longer match), its client timeout and its reloads.
    private func startTry(_ client: Int32, behaviour: ClientBehaviour) {
        let index = Int(client)
        clients[index].token &+= 1
        clients[index].attempts = 1
        let token = clients[index].token
        if let timeout = behaviour.clientTimeout {
            eventQueue.schedule(.traffic(.clientTimeoutDue(client: client, token: token)), at: instantNow + timeout)
        }
        if let after = behaviour.reloadAfter, behaviour.maximumAttempts > 1 {
            eventQueue.schedule(.traffic(.reloadDue(client: client, token: token)), at: instantNow + after)
        }
        dispatch(client)
    }

    /// A client's backoff is over: it sends its request again, as a new try.
    func retryDue(_ client: Int32, token: UInt32) {
        let index = Int(client)
        guard clients[index].isLive, clients[index].isWaiting, clients[index].token == token else { return }
        clients[index].tries += 1
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
    private func retried(_ client: Int32, failure: RetryPolicy.RetryableOutcomes?) -> Bool {
        let index = Int(client)
        let owner = clients[index].owner
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
        let tries = Int(clients[index].tries)
        guard let failure else {
            RetryPolicy.settleSuccess(ofAttempt: tries, lastCost: Int(clients[index].lastRetryCost), budget: &state.budget)
            return false
        }
        let decision = state.policy.decide(afterFailedAttempt: tries, kind: failure, budget: &state.budget)
        if let cost = decision.cost { clients[index].lastRetryCost = Int32(cost) }
        guard decision.retry else { return false }
        let delay = state.policy.delay(beforeRetry: tries, previous: clients[index].previousDelay, using: &state.stream)
        clients[index].previousDelay = delay
        // The failed try is over: its timeout, its reloads and its late answers no longer match.
        clients[index].token &+= 1
        eventQueue.schedule(.traffic(.clientRetryDue(client: client, token: clients[index].token)),
                            at: instantNow + Interval.sampled(seconds: delay))
        return true
    }

    /// Sends one attempt of the client's current request.
    private func dispatch(_ client: Int32) {
        let index = Int(client)
        let (target, entry) = switch clients[index].owner {
        case .source(let source): (sources[source].target, sources[source].entry)
        case .population(let population): (populations[population].target, populations[population].entry)
        }
        let routed = route(to: target, entry: entry, origin: Origin(kind: .client, id: client, token: clients[index].token),
                           session: clients[index].session, sticky: clients[index].sticky)
        if !routed.isNone && behaviour(of: client).keepsCookies { clients[index].sticky = routed }
    }

    func reload(_ client: Int32, token: UInt32) {
        let index = Int(client)
        guard clients[index].isLive, clients[index].isWaiting, clients[index].token == token else { return }
        let behaviour = behaviour(of: client)
        guard clients[index].attempts < behaviour.maximumAttempts else { return }
        clients[index].attempts += 1
        updateOwnerCounters(of: client) { $0.reloads &+= 1 }
        dispatch(client)
        if let after = behaviour.reloadAfter, clients[index].attempts < behaviour.maximumAttempts {
            eventQueue.schedule(.traffic(.reloadDue(client: client, token: token)), at: instantNow + after)
        }
    }

    func clientGaveUp(_ client: Int32, token: UInt32) {
        let index = Int(client)
        guard clients[index].isLive, clients[index].isWaiting, clients[index].token == token else { return }
        if clients[index].hasRetry && retried(client, failure: .timeout) { return }
        clients[index].isWaiting = false
        updateOwnerCounters(of: client) { $0.abandoned &+= 1 }
        next(after: client)
    }

    /// An answer reaches a client: the first answer to its current request counts.
    func clientReceived(_ client: Int32, token: UInt32, outcome: Outcome) {
        let index = Int(client)
        guard clients[index].isLive, clients[index].isWaiting, clients[index].token == token else { return }
        if clients[index].hasRetry && retried(client, failure: Self.clientFailure(outcome)) { return }
        clients[index].isWaiting = false
        let latency = now - clients[index].sentAt
        updateOwnerCounters(of: client) { counters in
            counters.count(outcome)
            if outcome.isAnswered { counters.latencySum += Double(latency) }
        }
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
    private func next(after client: Int32) {
        let index = Int(client)
        if !clients[index].isUser {
            clients[index].remaining -= 1
            if clients[index].remaining <= 0 {
                clients[index].isLive = false
                freeClients.append(client)
                return
            }
        }
        scheduleThink(of: client, from: now)
    }

    func scheduleThink(of client: Int32, from time: Int64) {
        let think = switch clients[Int(client)].owner {
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
