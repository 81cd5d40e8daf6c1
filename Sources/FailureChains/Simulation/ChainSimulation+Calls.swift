import SimulationKernel

extension ChainSimulation {
    /// The activity slot of a thread waiting for a connection of a dependency.
    @inline(__always) func checkoutSlot(_ dependency: Int) -> Int32 { Int32(1 + 2 * dependency) }
    /// The activity slot of a thread waiting on a call to a dependency.
    @inline(__always) func callSlot(_ dependency: Int) -> Int32 { Int32(2 + 2 * dependency) }
    /// Where a dependency of an instance's service is in `compiledDependencies`.
    @inline(__always) func compiledDependency(_ instance: InstanceID, _ dependency: Int) -> CompiledDependencyID {
        services[instances[instance].service].firstDependency.advanced(by: dependency)
    }

    /// A request starts a call to a dependency: its first attempt.
    func startCall(_ request: RequestID, dependency: Int) {
        let index = request
        let instance = requests[index].instance
        requests[index].attempt = 0
        requests[index].previousDelay = 0
        requests[index].lastRetryCost = 0
        let pastWarmup = isPastWarmup
        dependencyStates[dependencySlot(instance, dependency)].intervalCalls &+= 1
        if pastWarmup { dependencyStates[dependencySlot(instance, dependency)].totalCalls &+= 1 }
        attemptCall(request, dependency: dependency)
    }

    /// One attempt of a call: past the breaker, if there is one, then through the pool.
    func attemptCall(_ request: RequestID, dependency: Int) {
        let index = request
        let instance = requests[index].instance
        let pastWarmup = isPastWarmup
        requests[index].attempt += 1
        requests[index].callStarted = now
        requests[index].permitGranted = false
        requests[index].holdsCallSlot = false
        requests[index].reachedTarget = false
        requests[index].callDependency = Int32(dependency)
        dependencyStates[dependencySlot(instance, dependency)].intervalAttempts &+= 1
        if pastWarmup { dependencyStates[dependencySlot(instance, dependency)].totalAttempts &+= 1 }
        let compiled = compiledDependency(instance, dependency)
        if compiledDependencies[compiled].hasBreaker {
            let before = dependencyStates[dependencySlot(instance, dependency)].breaker!.state
            let permit = dependencyStates[dependencySlot(instance, dependency)].breaker!.permit(at: instantNow)
            let after = dependencyStates[dependencySlot(instance, dependency)].breaker!.state
            if before != after { noteBreakerTimedOut(instance, dependency, became: after) }
            guard permit.isGranted else {
                dependencyStates[dependencySlot(instance, dependency)].intervalRejected &+= 1
                if pastWarmup { dependencyStates[dependencySlot(instance, dependency)].totalRejected &+= 1 }
                setActivity(of: request, to: callSlot(dependency))
                let generation = requests[index].generation
                let cost = Int(compiledDependencies[compiled].fallbackCost)
                if cost < 0 {
                    eventQueue.schedule(.request(.callRejected(request: request, generation: generation)), at: instantNow)
                } else {
                    let seconds = distributions[cost].sample(using: &instances[instance].fallbackStream) * cpuStretch(instance)
                    eventQueue.schedule(.request(.fallbackAnswered(request: request, generation: generation)), at: instantNow + Interval.sampled(seconds: seconds))
                }
                return
            }
            requests[index].permitGranted = true
            requests[index].permitEpoch = permit.epoch
        }
        guard dependencyStates[dependencySlot(instance, dependency)].bulkhead.tryEnter(at: now) else {
            // The bulkhead is full: rejected at once. A breaker that let it through gets its permit back.
            if requests[index].permitGranted {
                dependencyStates[dependencySlot(instance, dependency)].breaker!.release(
                    CircuitBreaker.Permit(isGranted: true, epoch: requests[index].permitEpoch))
            }
            requests[index].permitGranted = false
            dependencyStates[dependencySlot(instance, dependency)].intervalBulkheadRejected &+= 1
            if pastWarmup { dependencyStates[dependencySlot(instance, dependency)].totalBulkheadRejected &+= 1 }
            setActivity(of: request, to: callSlot(dependency))
            eventQueue.schedule(.request(.callRejected(request: request, generation: requests[index].generation)), at: instantNow)
            return
        }
        requests[index].holdsCallSlot = true
        acquireConnection(request, dependency: dependency)
    }

    /// Records a breaker's change of state when its open time has run out; out of line, to keep
    /// the particulars off the call path.
    @inline(never)
    private func noteBreakerTimedOut(_ instance: InstanceID, _ dependency: Int, became state: CircuitBreaker.State) {
        let opened = dependencyStates[dependencySlot(instance, dependency)].breaker!.openedAt
        noteBreaker(instance, dependency, became: state, cause: "breakerOpened \(duration: instantNow - opened) ago")
    }

    /// Records a breaker's change of state.
    func noteBreaker(_ instance: InstanceID, _ dependency: Int, became state: CircuitBreaker.State, cause: EventText) {
        let name = services[instances[instance].service].spec.dependencies[dependency].name
        let event: String
        switch state {
        case .open: event = "breakerOpened"
        case .halfOpen: event = "breakerHalfOpened"
        case .closed: event = "breakerClosed"
        }
        record(instances[instance].name, event, "\(name)", cause: cause)
    }

    /// Checks out a connection (or waits for one), or connects afresh when there is no pool.
    func acquireConnection(_ request: RequestID, dependency: Int) {
        let index = request
        let instance = requests[index].instance
        guard compiledDependencies[compiledDependency(instance, dependency)].hasPool else {
            connect(request, dependency: dependency, connection: -1)
            return
        }
        let generation = requests[index].generation
        let checkout = connectionPools[dependencySlot(instance, dependency)].checkOut(.init(request, generation: generation), at: now)
        guard case .waiting(let becameExhausted) = checkout else {
            if case .connection(let connection) = checkout { connect(request, dependency: dependency, connection: connection) }
            return
        }
        // No idle connection: wait at checkout.
        setActivity(of: request, to: checkoutSlot(dependency))
        if becameExhausted {
            let pool = connectionPools[dependencySlot(instance, dependency)]
            let name = services[instances[instance].service].spec.dependencies[dependency].name
            let cause: EventText = pool.leaked > 0 ? "connectionsLeaked \(pool.leaked) of \(pool.size)" : "all \(pool.size) connections in use"
            record(instances[instance].name, "poolExhausted", "\(name): \(pool.inUse) in use, \(pool.leaked) leaked", cause: cause)
        }
        if let timeout = connectionPools[dependencySlot(instance, dependency)].checkoutTimeout {
            eventQueue.schedule(.request(.checkoutTimedOut(request: request, generation: generation)), at: instantNow + timeout)
        }
    }

    func checkoutTimedOut(_ request: RequestID, _ generation: UInt32) {
        guard isCurrent(request, generation) else { return }
        let index = request
        let instance = requests[index].instance
        let dependency = Int(requests[index].callDependency)
        connectionPools[dependencySlot(instance, dependency)].checkoutTimedOut()
        callEnded(request, generation, .checkoutTimeout)
    }

    /// Returns a connection to its pool, or leaks or replaces it after a failed call.
    func checkIn(_ connection: Int32, instance: InstanceID, dependency: Int, callFailed: Bool) {
        // Only a pooled connection (numbered from 0) is checked in, so the slot has a pool.
        let checkIn = connectionPools[dependencySlot(instance, dependency)].checkIn(connection, callFailed: callFailed, at: now, isCurrent: {
            isCurrent($0.request, $0.generation)
        })
        switch checkIn {
        case .idle:
            break
        case .handedOver(let waiter):
            requests[waiter.request].generation &+= 1
            connect(waiter.request, dependency: dependency, connection: connection)
        case .leaked:
            let pool = connectionPools[dependencySlot(instance, dependency)]
            let name = services[instances[instance].service].spec.dependencies[dependency].name
            let endpoint = compiledDependencies[compiledDependency(instance, dependency)].endpoint
            let cause: EventText = connection >= 0 && pool.isStale(connection) && !endpoint.isNone
                ? "call failed: connectionsStale on \(endpoints[endpoint].spec.name)" : "call failed"
            record(instances[instance].name, "connectionLeaked", "\(name): \(pool.leaked) of \(pool.size) leaked", cause: cause)
        }
    }

    /// The call itself, on a pooled connection or a new one.
    func connect(_ request: RequestID, dependency: Int, connection: Int32) {
        let index = request
        let instance = requests[index].instance
        setActivity(of: request, to: callSlot(dependency))
        requests[index].connection = connection
        requests[index].reachedTarget = true
        let generation = requests[index].generation
        let compiled = compiledDependency(instance, dependency)
        let endpoint = compiledDependencies[compiled].endpoint
        let result = compiledDependencies[compiled].result
        if result >= 0 { drawResultRows(request, instance: instance, dependency: dependency, result: Int(result)) }
        if !endpoint.isNone {
            callEndpoint(endpoint, request: request, generation: generation, compiled: compiled, connection: connection,
                         instance: instance, dependency: dependency, hasResult: result >= 0)
            return
        }
        let queue = compiledDependencies[compiled].queue
        if !queue.isNone {
            publish(request, generation: generation, to: queue)
            return
        }
        // A call to another service of the model: a child request that answers this one.
        let readTimeout = compiledDependencies[compiled].readTimeout
        if readTimeout >= 0 {
            eventQueue.schedule(.request(.callTimedOut(request: request, generation: generation)), at: instantNow + Interval(nanoseconds: readTimeout))
        }
        route(to: compiledDependencies[compiled].service, entry: compiledDependencies[compiled].entry,
              origin: Origin.parent(request, generation: generation), session: requests[index].session, sticky: .none)
    }

    private func callEndpoint(_ endpoint: EndpointID, request: RequestID, generation: UInt32, compiled: CompiledDependencyID, connection: Int32,
                              instance: InstanceID, dependency: Int, hasResult: Bool) {
        endpoints[endpoint].counters.offer(pastWarmup: isPastWarmup)
        let isPooled = connection >= 0
        let isStale = isPooled && connectionPools[dependencySlot(instance, dependency)].isStale(connection)
        let wasSaturated = endpoints[endpoint].isSaturated
        let answer = endpoints[endpoint].answer(isPooled: isPooled, isStale: isStale,
                                                connectTimeout: compiledDependencies[compiled].connectTimeoutInterval,
                                                readTimeout: compiledDependencies[compiled].readTimeoutInterval,
                                                caller: CountedResource.Waiter(request, generation: generation), at: now)
        switch answer {
        case .after(let delay, let outcome):
            if hasResult {
                let (outcome, delay) = answerWithRows(outcome, after: delay, request: request, compiled: compiled)
                scheduleAnswer(outcome, request: request, generation: generation, after: delay)
            } else {
                scheduleAnswer(outcome, request: request, generation: generation, after: delay)
            }
        case .never:
            break
        case .served(let delay, let outcome, let work):
            // The slot frees when the work is done, before the caller hears of it at the same instant.
            eventQueue.schedule(.endpoint(.workDone(endpoint: endpoint)), at: instantNow + work)
            if hasResult {
                let (outcome, delay) = answerWithRows(outcome, after: delay, request: request, compiled: compiled)
                scheduleAnswer(outcome, request: request, generation: generation, after: delay)
            } else {
                scheduleAnswer(outcome, request: request, generation: generation, after: delay)
            }
        case .queued:
            // The caller's read timeout runs while it waits for a slot.
            requests[request].isQueuedAtEndpoint = true
            let readTimeout = compiledDependencies[compiled].readTimeout
            if readTimeout >= 0 {
                eventQueue.schedule(.request(.callTimedOut(request: request, generation: generation)), at: instantNow + Interval(nanoseconds: readTimeout))
            }
        }
        if !wasSaturated && endpoints[endpoint].isSaturated { noteCapacityExhausted(endpoint) }
    }

    /// Schedules the event that tells a caller how its call ended.
    @inline(__always)
    private func scheduleAnswer(_ outcome: Outcome, request: RequestID, generation: UInt32, after delay: Interval) {
        let event: Event
        switch outcome {
        case .success: event = .request(.callSucceeded(request: request, generation: generation))
        case .timedOut: event = .request(.callTimedOut(request: request, generation: generation))
        case .refused: event = .request(.callRefused(request: request, generation: generation))
        default: event = .request(.callFailed(request: request, generation: generation))
        }
        eventQueue.schedule(event, at: instantNow + delay)
    }

    /// Runs an endpoint's event: the work in one of its slots is done.
    @inline(__always)
    func handle(_ event: EndpointEvent) {
        switch event {
        case .workDone(let endpoint): endpointWorkDone(endpoint)
        }
    }

    /// The work of a call to an endpoint with a capacity is done: the slot goes to the oldest caller
    /// still waiting, who hears its answer when its own work is done, unless its read timeout,
    /// running since it queued, comes first.
    func endpointWorkDone(_ endpoint: EndpointID) {
        guard let (caller, work) = endpoints[endpoint].finishWork(at: now, isCurrent: { isCurrent($0.request, $0.generation) }) else { return }
        requests[caller.request].isQueuedAtEndpoint = false
        eventQueue.schedule(.endpoint(.workDone(endpoint: endpoint)), at: instantNow + work.duration)
        if hasResults {
            // The caller's read timeout, scheduled when it queued, cuts a longer answer short.
            let record = requests[caller.request]
            let compiled = compiledDependency(record.instance, Int(record.callDependency))
            let (outcome, delay) = answerWithRows(work.outcome, after: work.duration, request: caller.request, compiled: compiled)
            scheduleAnswer(outcome, request: caller.request, generation: caller.generation, after: delay)
            return
        }
        scheduleAnswer(work.outcome, request: caller.request, generation: caller.generation, after: work.duration)
    }

    /// Records that calls to an endpoint have to wait for a slot, or are refused for want of one.
    private func noteCapacityExhausted(_ endpoint: EndpointID) {
        let slots = endpoints[endpoint].slots!
        let cause: EventText = endpoints[endpoint].lastActiveFault.map { "faultStarted \(model.faults[Int($0)].kindName)" } ?? "all \(slots.capacity) slots busy"
        record(endpoints[endpoint].spec.name, "capacityExhausted", "\(slots.inUse) calls in service, \(slots.waiting) waiting", cause: cause)
    }

    /// A call attempt ends, one way or another; events for attempts that already ended are ignored.
    func callEnded(_ request: RequestID, _ generation: UInt32, _ outcome: Outcome) {
        guard isCurrent(request, generation) else { return }
        let index = request
        requests[index].generation &+= 1
        let instance = requests[index].instance
        let service = instances[instance].service
        let dependency = Int(requests[index].callDependency)
        let ran = requests[index].reachedTarget
        if requests[index].holdsCallSlot {
            requests[index].holdsCallSlot = false
            dependencyStates[dependencySlot(instance, dependency)].bulkhead.leave(at: now)
        }
        let compiled = services[service].firstDependency.advanced(by: dependency)
        let endpoint = compiledDependencies[compiled].endpoint
        if requests[index].isQueuedAtEndpoint {  // it leaves the endpoint's queue
            requests[index].isQueuedAtEndpoint = false
            endpoints[endpoint].withdrawQueuedCall(at: now)
        }
        if !endpoint.isNone && ran {
            endpoints[endpoint].counters.count(outcome, pastWarmup: isPastWarmup)
        }
        let connection = requests[index].connection
        requests[index].connection = -1
        if connection >= 0 { checkIn(connection, instance: instance, dependency: dependency, callFailed: outcome != .success) }
        guard requests[index].isLive else { return }
        // The breaker hears the outcome of an attempt it let through, when the outcome is known.
        if requests[index].permitGranted {
            requests[index].permitGranted = false
            let permit = CircuitBreaker.Permit(isGranted: true, epoch: requests[index].permitEpoch)
            let result: CircuitBreaker.Result = outcome == .success ? .success : .failure
            let duration = Interval(nanoseconds: now - requests[index].callStarted)
            if let state = dependencyStates[dependencySlot(instance, dependency)].breaker!.record(result, permit: permit, duration: duration, at: instantNow) {
                let closing: EventText
                if compiledDependencies[compiled].breakerIsRate {
                    closing = "half-open calls below the thresholds"
                } else {
                    closing = "trial call succeeded"
                }
                noteBreaker(instance, dependency, became: state, cause: state == .open ? "call \(String(describing: outcome))" : closing)
            }
        }
        let policy = Int(compiledDependencies[compiled].retry)
        if policy >= 0 && outcome != .rejected {
            if shouldRetry(request, instance: instance, dependency: dependency, policy: policy, outcome: outcome) { return }
        }
        var outcome = outcome
        if !compiledDependencies[compiled].cache.isNone && cacheFillEnded(request, instance: instance, compiled: compiled, outcome: outcome) {
            outcome = .success
        }
        if outcome == .success {
            requests[index].step += 1
            advance(request)
        } else {
            let ending: Outcome
            switch outcome {
            case .timedOut, .rejected, .checkoutTimeout: ending = outcome
            default: ending = .failed
            }
            finish(request, outcome: ending)
        }
    }

    /// Settles the retry budget for an attempt's outcome and schedules a retry when the policy,
    /// the attempts left and the budget allow one.
    ///
    /// - Returns: Whether a retry was scheduled (the request keeps its thread while it backs off).
    private func shouldRetry(_ request: RequestID, instance: InstanceID, dependency: Int, policy: Int, outcome: Outcome) -> Bool {
        let index = request
        let attempt = Int(requests[index].attempt)
        if outcome == .success {
            RetryPolicy.settleSuccess(ofAttempt: attempt, lastCost: Int(requests[index].lastRetryCost),
                                      budget: &dependencyStates[dependencySlot(instance, dependency)].budget)
            return false
        }
        let kind: RetryPolicy.RetryableOutcomes
        switch outcome {
        case .timedOut, .checkoutTimeout: kind = .timeout
        case .refused: kind = .refused
        default: kind = .error
        }
        let decision = retryPolicies[policy].decide(afterFailedAttempt: attempt, kind: kind,
                                                    budget: &dependencyStates[dependencySlot(instance, dependency)].budget)
        if let cost = decision.cost { requests[index].lastRetryCost = Int32(cost) }
        let allowed = decision.retry
        guard allowed else { return false }
        let previous = requests[index].previousDelay
        let delay = retryPolicies[policy].delay(beforeRetry: attempt, previous: previous, using: &instances[instance].retryStream)
        requests[index].previousDelay = delay
        eventQueue.schedule(.request(.retryDue(request: request, generation: requests[index].generation)), at: instantNow + Interval.sampled(seconds: delay))
        return true
    }
}
