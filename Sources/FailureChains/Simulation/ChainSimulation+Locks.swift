import SimulationKernel

/// Locks and result sizes: the glue between the requests' `lock` and `result` steps and the
/// `Lock` component and the instances' heaps.
extension ChainSimulation {
    /// Makes room in `requestExtras` for a request slot (a lock, a result or a cache fill).
    @inline(never)
    func reserveExtras(_ request: RequestID) {
        while requestExtras.count <= request.index { requestExtras.append(RequestExtras()) }
    }

    // MARK: Locks

    /// Whether a request slot waits for a lock (false for a slot that never took one).
    func isWaitingForLock(_ request: RequestID) -> Bool {
        request.index < requestExtras.count && requestExtras[request].isWaitingForLock
    }

    /// The activity slot of a thread waiting for the lock at `place` among its service's locks;
    /// the slot after it is the thread holding it.
    @inline(__always)
    func lockWaitSlot(_ instance: InstanceID, place: Int32) -> Int32 {
        Int32(1 + 2 * Int(instances[instance].dependencyCount)) + 2 * place
    }

    /// The lock step a request is at.
    func currentLockStep(_ record: RequestRecord) -> CompiledLockStep {
        let (first, _) = entrySteps[instances[record.instance].serviceEntry, offset: Int(record.entry)]
        return lockSteps[Int(steps[first.advanced(by: Int(record.step))].index)]
    }

    /// A request reaches a lock step: it draws its key and holds it, or waits for it.
    ///
    /// - Returns: Whether the request now waits or holds (false: a shallow probe skipped the step).
    func startLock(_ request: RequestID, step: Int) -> Bool {
        let index = request
        if requests[index].isShallowProbe {
            requests[index].step += 1
            return false
        }
        let compiled = lockSteps[step]
        let lock = compiled.lock
        let instance = requests[index].instance
        let key = locks[lock].drawKey()
        reserveExtras(request)
        requestExtras[index].lockKey = key
        let generation = requests[index].generation
        let acquired = locks[lock].acquire(key, Lock.Waiter(request, generation: generation), at: now)
        let slot = lockWaitSlot(instance, place: compiled.place)
        if acquired.holds {
            startHold(request, lock: lock, key: key, step: compiled, slot: slot + 1)
            return true
        }
        requestExtras[index].isWaitingForLock = true
        setActivity(of: request, to: slot)
        if acquired.becameContended {
            let spec = model.locks[lock.index]
            let holder = locks[lock].holders[Int(key)]
            let by = holder.id >= 0 && requests[holder.request].isLive ? " by \(instances[requests[holder.request].instance].name)" : ""
            let detail: EventText = spec.keys == 1 ? "held\(by); \(locks[lock].waiting) waiting" : "key \(key) held\(by); \(locks[lock].waiting) waiting"
            record(spec.name, "lockContended", detail, cause: "requests from \(instances[instance].name)")
        }
        if let timeout = model.locks[lock.index].timeout {
            eventQueue.schedule(.request(.lockTimedOut(request: request, generation: generation)), at: instantNow + timeout)
        }
        return true
    }

    /// A request holds its key from now: its hold is drawn from the lock's stream and its end scheduled.
    private func startHold(_ request: RequestID, lock: LockID, key: Int32, step: CompiledLockStep, slot: Int32) {
        requestExtras[request].isWaitingForLock = false
        setActivity(of: request, to: slot)
        let seconds = distributions[Int(step.hold)].sample(using: &locks[lock].holdStream)
        eventQueue.schedule(.lock(.holdEnded(lock: lock, key: key)), at: instantNow + Interval.sampled(seconds: seconds))
    }

    /// Runs a lock's event: a hold ends.
    func handle(_ event: LockEvent) {
        switch event {
        case .holdEnded(let lock, let key): holdEnded(lock, key: key)
        }
    }

    /// A hold ends: the key goes to the oldest request still waiting for it, and the request that
    /// held it, if it is still live, goes on with its next step.
    func holdEnded(_ lock: LockID, key: Int32) {
        let (previous, next) = locks[lock].release(key, at: now, isCurrent: { isCurrent($0.request, $0.generation) },
                                                   generation: { requests[$0.request].generation &+ 1 })
        if let next {
            requests[next.request].generation = next.generation
            let step = currentLockStep(requests[next.request])
            startHold(next.request, lock: lock, key: key, step: step, slot: lockWaitSlot(requests[next.request].instance, place: step.place) + 1)
        }
        guard previous.id >= 0, isCurrent(previous.request, previous.generation) else { return }
        let index = previous.request
        requests[index].generation &+= 1
        requestExtras[index].lockKey = -1
        requests[index].step += 1
        advance(previous.request)
    }

    /// A request's wait for its key timed out: it fails, or goes on without the lock.
    func lockTimedOut(_ request: RequestID, _ generation: UInt32) {
        guard isCurrent(request, generation) else { return }
        let index = request
        let lock = lockWaitEnded(request, isTimeout: true)
        switch model.locks[lock.index].onTimeout {
        case .fail:
            finish(request, outcome: .lockTimeout)
        case .proceed:
            requests[index].generation &+= 1
            requests[index].step += 1
            advance(request)
        }
    }

    /// Counts a request out of the queue of the key it waits for (its timeout, its instance's crash).
    ///
    /// - Returns: The lock.
    @discardableResult
    func lockWaitEnded(_ request: RequestID, isTimeout: Bool) -> LockID {
        let lock = currentLockStep(requests[request]).lock
        locks[lock].withdraw(from: requestExtras[request].lockKey, isTimeout: isTimeout, at: now)
        requestExtras[request].isWaitingForLock = false
        requestExtras[request].lockKey = -1
        return lock
    }

    // MARK: Result sizes

    /// Draws the rows of a call's result when the call starts: the share of the data set (drawn
    /// from the instance's stream for the dependency, when the result has a `share`) at most `limit`.
    @inline(never)
    func drawResultRows(_ request: RequestID, instance: InstanceID, dependency: Int, result: Int) {
        let spec = results[result]
        var share = 1.0
        if let law = spec.share { share = law.sample(using: &dependencyStates[dependencySlot(instance, dependency)].resultStream!) }
        reserveExtras(request)
        requestExtras[request].resultRows = spec.resultRows(share: share, at: now)
    }

    /// The time the called endpoint adds to an answer for the rows of the result, or zero.
    @inline(never)
    func queryTime(_ request: RequestID, result: Int) -> Interval {
        let rows = requestExtras[request].resultRows
        guard rows > 0, results[result].queryPerRow > 0 else { return .zero }
        return Interval.sampled(seconds: Double(rows) * results[result].queryPerRow)
    }

    /// An endpoint's answer lengthened by the query time of its result's rows; the read timeout,
    /// when the caller has one, cuts the whole answer short.
    @inline(never)
    func answerWithRows(_ outcome: Outcome, after delay: Interval, request: RequestID, compiled: CompiledDependencyID) -> (Outcome, Interval) {
        let result = Int(compiledDependencies[compiled].result)
        guard result >= 0, outcome == .success else { return (outcome, delay) }
        let total = delay + queryTime(request, result: result)
        if let timeout = compiledDependencies[compiled].readTimeoutInterval, total > timeout { return (.timedOut, timeout) }
        return (outcome, total)
    }

    /// A request reads the rows of the call it made: it holds their bytes on its instance's heap
    /// (a heap that cannot hold them is out of memory) and spends their CPU time.
    ///
    /// - Returns: Whether the request now waits for the read (false: nothing to read, or a shallow probe).
    func startResultRead(_ request: RequestID, dependency: Int) -> Bool {
        let index = request
        reserveExtras(request)
        requestExtras[index].resultBytes = 0
        let rows = requestExtras[index].resultRows
        // A fallback answer (the breaker's) never reached the other side: it has no rows.
        if requests[index].isShallowProbe || rows == 0 || !requests[index].reachedTarget {
            requests[index].step += 1
            return false
        }
        let instance = requests[index].instance
        let spec = results[Int(compiledDependencies[compiledDependency(instance, dependency)].result)]
        dependencyStates[dependencySlot(instance, dependency)].intervalRows &+= rows
        if isPastWarmup { dependencyStates[dependencySlot(instance, dependency)].totalRows &+= rows }
        let (product, overflow) = rows.multipliedReportingOverflow(by: spec.bytesPerRow)
        let bytes = overflow ? Int64.max : product
        if bytes > 0, instances[instance].heap != nil {
            settle(instance)
            switch instances[instance].memory.hold(bytes) {
            case .outOfMemory:
                let name = services[instances[instance].service].spec.dependencies[dependency].name
                outOfMemory(instance, allocating: "a result of \(rows) rows from \(name) (\(bytes: bytes))")
                return true
            case .allocated(let pressure):
                recordHeapPressure(pressure, on: instance)
            }
            requestExtras[index].resultBytes = bytes
        }
        setActivity(of: request, to: 0)
        let seconds = Double(rows) * spec.perRow * cpuStretch(instance)
        eventQueue.schedule(.request(.resultRead(request: request, generation: requests[index].generation)),
                            at: instantNow + Interval.sampled(seconds: seconds))
        return true
    }

    /// A request has read its result's rows: their bytes are freed and it goes on.
    func resultRead(_ request: RequestID, _ generation: UInt32) {
        guard isCurrent(request, generation) else { return }
        let index = request
        let instance = requests[index].instance
        let bytes = requestExtras[index].resultBytes
        if bytes > 0 {
            requestExtras[index].resultBytes = 0
            settle(instance)
            recordHeapPressure(instances[instance].memory.releaseHeld(bytes), on: instance)
        }
        requests[index].generation &+= 1
        requests[index].step += 1
        advance(request)
    }
}
