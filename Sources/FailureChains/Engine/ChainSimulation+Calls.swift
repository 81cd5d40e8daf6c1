import SimulationKernel

extension ChainSimulation {
    /// The activity slot of a thread waiting for a connection of a dependency.
    @inline(__always) func checkoutSlot(_ dependency: Int) -> Int32 { Int32(1 + 2 * dependency) }
    /// The activity slot of a thread waiting on a call to a dependency.
    @inline(__always) func callSlot(_ dependency: Int) -> Int32 { Int32(2 + 2 * dependency) }

    /// A request calls a dependency: through the pool if there is one, else on a new connection.
    func startCall(_ request: Int32, dependency: Int) {
        let index = Int(request)
        let instance = Int(requests[index].instance)
        guard instances[instance].pools[dependency] != nil else {
            connect(request, dependency: dependency, connection: -1)
            return
        }
        if let connection = instances[instance].pools[dependency]!.idle.popLast() {
            instances[instance].pools[dependency]!.inUse += 1
            connect(request, dependency: dependency, connection: connection)
            return
        }
        // No idle connection: wait at checkout.
        setActivity(of: request, to: checkoutSlot(dependency))
        let generation = requests[index].generation
        instances[instance].pools[dependency]!.waiters.append((request, generation))
        instances[instance].pools[dependency]!.waiting += 1
        instances[instance].pools[dependency]!.hasWaitedThisInterval = true
        if !instances[instance].pools[dependency]!.isExhausted {
            instances[instance].pools[dependency]!.isExhausted = true
            let pool = instances[instance].pools[dependency]!
            let name = services[Int(instances[instance].service)].spec.dependencies[dependency].name
            let cause = pool.leaked > 0 ? "connectionsLeaked \(pool.leaked) of \(pool.size)" : "all \(pool.size) connections in use"
            record(instances[instance].name, "poolExhausted", "\(name): \(pool.inUse) in use, \(pool.leaked) leaked", cause: cause)
        }
        if let timeout = instances[instance].pools[dependency]!.checkoutTimeout {
            eventQueue.schedule(.checkoutTimedOut(request: request, generation: generation), at: instantNow + timeout)
        }
    }

    func checkoutTimedOut(_ request: Int32, _ generation: UInt32) {
        guard isCurrent(request, generation) else { return }
        let index = Int(request)
        let instance = Int(requests[index].instance)
        let dependency = (Int(requests[index].activity) - 1) / 2
        instances[instance].pools[dependency]!.waiting -= 1  // its entry in the waiter queue is now stale
        requests[index].generation &+= 1
        finish(request, outcome: .checkoutTimeout)
    }

    /// Returns a connection to its pool, or leaks or replaces it after a failed call.
    func checkIn(_ connection: Int32, instance: Int, dependency: Int, callFailed: Bool) {
        guard instances[instance].pools[dependency] != nil else { return }
        instances[instance].pools[dependency]!.inUse -= 1
        if callFailed && instances[instance].pools[dependency]!.leakOnError {
            instances[instance].pools[dependency]!.leaked += 1
            let pool = instances[instance].pools[dependency]!
            let name = services[Int(instances[instance].service)].spec.dependencies[dependency].name
            record(instances[instance].name, "connectionLeaked", "\(name): \(pool.leaked) of \(pool.size) leaked", cause: "call failed")
            return
        }
        if callFailed { instances[instance].pools[dependency]!.isStale[Int(connection)] = false }  // closed and replaced
        // Hand it to the oldest waiter still waiting, or put it back.
        while let waiter = instances[instance].pools[dependency]!.waiters.popFirst() {
            guard isCurrent(waiter.request, waiter.generation) else { continue }
            instances[instance].pools[dependency]!.waiting -= 1
            instances[instance].pools[dependency]!.inUse += 1
            requests[Int(waiter.request)].generation &+= 1
            connect(waiter.request, dependency: dependency, connection: connection)
            return
        }
        instances[instance].pools[dependency]!.idle.append(connection)
    }

    /// The call itself, on a pooled connection or a new one.
    func connect(_ request: Int32, dependency: Int, connection: Int32) {
        let index = Int(request)
        let instance = Int(requests[index].instance)
        let service = Int(instances[instance].service)
        setActivity(of: request, to: callSlot(dependency))
        requests[index].connection = connection
        let generation = requests[index].generation
        let spec = services[service].spec.dependencies[dependency]
        let target = services[service].dependencyTargets[dependency]
        let isPooled = connection >= 0
        if target.endpoint >= 0 {
            callEndpoint(Int(target.endpoint), request: request, generation: generation, spec: spec, connection: connection,
                         instance: instance, dependency: dependency)
            return
        }
        // A call to another service of the model: a child request that answers this one.
        if let timeout = spec.readTimeout {
            eventQueue.schedule(.callTimedOut(request: request, generation: generation), at: instantNow + timeout)
        }
        _ = isPooled
        route(to: target.service, entry: target.entry, origin: Origin(kind: .parent, id: request, token: generation),
              session: requests[index].session, sticky: -1)
    }

    private func callEndpoint(_ endpoint: Int, request: Int32, generation: UInt32, spec: DependencySpec, connection: Int32,
                              instance: Int, dependency: Int) {
        endpoints[endpoint].counters.update(pastWarmup: isPastWarmup) { $0.offered &+= 1 }
        let isPooled = connection >= 0
        func schedule(_ event: Event, after delay: Interval) {
            eventQueue.schedule(event, at: instantNow + delay)
        }
        if isPooled, instances[instance].pools[dependency]!.isStale[Int(connection)] {
            // A half-dead connection after a failover: its use fails after a while.
            schedule(.callFailed(request: request, generation: generation), after: endpoints[endpoint].staleDelay)
            return
        }
        let state = endpoints[endpoint]
        if state.isRefusing {
            schedule(.callRefused(request: request, generation: generation), after: .zero)
            return
        }
        if state.isBlackholed {
            // Packets vanish: a new connection hangs until its connect timeout, an open one until its read timeout.
            if let timeout = isPooled ? spec.readTimeout : spec.connectTimeout {
                schedule(.callTimedOut(request: request, generation: generation), after: timeout)
            }
            return
        }
        if state.isHanging {
            if let timeout = spec.readTimeout { schedule(.callTimedOut(request: request, generation: generation), after: timeout) }
            return
        }
        let distribution = state.latencyOverride ?? state.spec.latency
        let latency = Interval.sampled(seconds: distribution.sample(using: &endpoints[endpoint].stream) * state.slowFactor)
        if state.errors.active {
            schedule(.callFailed(request: request, generation: generation), after: state.errors.afterLatency ? latency : .zero)
            return
        }
        if let timeout = spec.readTimeout, latency > timeout {
            schedule(.callTimedOut(request: request, generation: generation), after: timeout)
        } else {
            schedule(.callSucceeded(request: request, generation: generation), after: latency)
        }
    }

    /// A call ends, one way or another; events for calls that already ended are ignored.
    func callEnded(_ request: Int32, _ generation: UInt32, _ outcome: Outcome) {
        guard isCurrent(request, generation) else { return }
        let index = Int(request)
        requests[index].generation &+= 1
        let instance = Int(requests[index].instance)
        let dependency = (Int(requests[index].activity) - 2) / 2
        let target = services[Int(instances[instance].service)].dependencyTargets[dependency]
        if target.endpoint >= 0 && outcome != .success {
            endpoints[Int(target.endpoint)].counters.update(pastWarmup: isPastWarmup) { $0.count(outcome) }
        } else if target.endpoint >= 0 {
            endpoints[Int(target.endpoint)].counters.update(pastWarmup: isPastWarmup) { $0.count(.success) }
        }
        let connection = requests[index].connection
        requests[index].connection = -1
        if connection >= 0 { checkIn(connection, instance: instance, dependency: dependency, callFailed: outcome != .success) }
        guard requests[index].isLive else { return }
        if outcome == .success {
            requests[index].step += 1
            advance(request)
        } else {
            finish(request, outcome: outcome == .timedOut ? .timedOut : .failed)
        }
    }
}
