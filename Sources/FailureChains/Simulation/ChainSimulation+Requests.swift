import SimulationKernel

extension ChainSimulation {
    /// Runs a request's event: the end of its CPU step, its call's outcome, its checkout's
    /// timeout, its retry. A stale event (the request moved on, or ended) does nothing.
    @inline(__always)
    func handle(_ event: RequestEvent) {
        switch event {
        case .cpuDone(let request, let generation):
            guard isCurrent(request, generation) else { return }
            requests[request].generation &+= 1
            requests[request].step += 1
            advance(request)
        case .cpuFailed(let request, let generation):
            guard isCurrent(request, generation) else { return }
            finish(request, outcome: .failed)
        case .callSucceeded(let request, let generation): callEnded(request, generation, .success)
        case .callFailed(let request, let generation): callEnded(request, generation, .failed)
        case .callTimedOut(let request, let generation): callEnded(request, generation, .timedOut)
        case .callRefused(let request, let generation): callEnded(request, generation, .refused)
        case .checkoutTimedOut(let request, let generation): checkoutTimedOut(request, generation)
        case .callRejected(let request, let generation): callEnded(request, generation, .rejected)
        case .fallbackAnswered(let request, let generation): callEnded(request, generation, .success)
        case .retryDue(let request, let generation):
            guard isCurrent(request, generation) else { return }
            requests[request].generation &+= 1
            attemptCall(request, dependency: Int(requests[request].callDependency))
        case .cacheAnswered(let request, let generation):
            guard isCurrent(request, generation) else { return }
            requests[request].generation &+= 1
            requests[request].step += 1
            advance(request)
        case .cacheFailed(let request, let generation):
            guard isCurrent(request, generation) else { return }
            requests[request].generation &+= 1
            finish(request, outcome: .failed)
        case .lockTimedOut(let request, let generation): lockTimedOut(request, generation)
        case .resultRead(let request, let generation): resultRead(request, generation)
        }
    }

    /// A request reaches a service: the balancer picks an instance, which serves, queues or refuses it.
    ///
    /// - Returns: The instance chosen, or `InstanceID.none` when none was admitted.
    @discardableResult
    func route(to service: ServiceID, entry: Int32, origin: Origin, session: UInt32, sticky: InstanceID) -> InstanceID {
        if hasAdmission && services[service].hasAdmission && origin.kind != .probe {
            return routeThroughAdmission(to: service, entry: entry, origin: origin, session: session, sticky: sticky)
        }
        let instance = pickInstance(of: service, preferring: sticky)
        guard !instance.isNone else {
            if origin.kind != .probe {
                services[service].unrouted.update(pastWarmup: isPastWarmup) { counters in
                    counters.offered &+= 1
                    counters.count(.refused)
                }
            }
            deliver(origin, outcome: .refused, latency: 0)
            return .none
        }
        arrive(at: instance, entry: Int(entry), origin: origin, session: session)
        return instance
    }

    /// `route` to a service with admission control on some entry point: a request over a limit is
    /// refused at once, counted for the service; an admitted one holds its place until it is
    /// answered, or gives it back at once when no instance takes it.
    @inline(never)
    private func routeThroughAdmission(to service: ServiceID, entry: Int32, origin: Origin, session: UInt32, sticky: InstanceID) -> InstanceID {
        var key: Int32 = -1
        if services[service].admissions[Int(entry)] != nil {
            key = services[service].admissions[Int(entry)]!.isPerSource ? Int32(admissionKey(of: origin)) : 0
            let decision = services[service].admissions[Int(entry)]!.admit(key: Int(key), at: now)
            if decision != .admitted {
                services[service].unrouted.update(pastWarmup: isPastWarmup) { counters in
                    counters.offered &+= 1
                    counters.count(.refused)
                    if decision == .rateLimited { counters.rateLimited &+= 1 } else { counters.concurrencyLimited &+= 1 }
                }
                deliver(origin, outcome: .refused, latency: 0)
                return .none
            }
        }
        let instance = pickInstance(of: service, preferring: sticky)
        guard !instance.isNone else {
            if key >= 0 { services[service].admissions[Int(entry)]!.leave(key: Int(key)) }
            services[service].unrouted.update(pastWarmup: isPastWarmup) { counters in
                counters.offered &+= 1
                counters.count(.refused)
            }
            deliver(origin, outcome: .refused, latency: 0)
            return .none
        }
        if !arriveAdmitted(at: instance, entry: Int(entry), origin: origin, session: session, admissionKey: key) && key >= 0 {
            services[service].admissions[Int(entry)]!.leave(key: Int(key))
        }
        return instance
    }

    /// The per-source key of a request's sender: its traffic source, its population (after the
    /// sources), or the service that calls (after both).
    private func admissionKey(of origin: Origin) -> Int {
        switch origin.kind {
        case .source: return origin.source.index
        case .client:
            switch clients[origin.client].owner {
            case .source(let source): return source.index
            case .population(let population): return sources.count + population.index
            }
        case .parent:
            return sources.count + populations.count + instances[requests[origin.parentRequest].instance].service.index
        case .probe:
            // `route` sends probes past admission control; were one to come here, its key would be
            // its service's own (its `id` is the probed instance, not a request).
            return sources.count + populations.count + instances[origin.probedInstance].service.index
        case .message:
            // A queue hands its messages to a consumer's threads with `arrive`, never through
            // `route`, so admission control never sees one; the first key keeps the switch total.
            return 0
        }
    }

    /// A request arrives at an instance's entry point.
    func arrive(at instance: InstanceID, entry: Int, origin: Origin, session: UInt32, isShallowProbe: Bool = false) {
        _ = arrival(at: instance, entry: entry, origin: origin, session: session, isShallowProbe: isShallowProbe, admissionKey: -1)
    }

    /// `arrive` for a request that admission control let in with key `admissionKey`.
    ///
    /// - Returns: Whether it stayed: it got a thread or a place in the queue (and so holds its
    ///   admission place until it is answered), rather than being turned away.
    private func arriveAdmitted(at instance: InstanceID, entry: Int, origin: Origin, session: UInt32, admissionKey: Int32) -> Bool {
        arrival(at: instance, entry: entry, origin: origin, session: session, isShallowProbe: false, admissionKey: admissionKey)
    }

    /// The body of `arrive` and `arriveAdmitted`, inlined into each so that the plain arrival
    /// pays nothing for admission control.
    @inline(__always)
    private func arrival(at instance: InstanceID, entry: Int, origin: Origin, session: UInt32, isShallowProbe: Bool, admissionKey: Int32) -> Bool {
        let isProbe = origin.kind == .probe
        if !isProbe { instances[instance].counters.offer(pastWarmup: isPastWarmup) }
        guard instances[instance].state == .up else {
            refuse(at: instance, origin: origin, isProbe: isProbe)
            return false
        }
        let slot = entrySlot(instance, entry)
        let isPlain = instances[instance].hasPlainEntries
        let pool = entryPool(of: instance, entry: entry, isPlain: isPlain)
        let hasFreeThread = threadPools[pool].hasFreeThread
        if !isProbe, (!isPlain && entryStates[slot].failsFast) || (!hasFreeThread && threadPools[pool].shedsByLength),
           let outcome = turnedAway(at: instance, entry: entry, pool: pool) {
            instances[instance].counters.count(outcome, pastWarmup: isPastWarmup)
            // A fail-fast rejection is an answer, given at once: latency 0 in the mean and the percentiles.
            if outcome.isAnswered {
                instances[instance].intervalLatency.record(0)
                if isPastWarmup && !warmupIsAligned { services[instances[instance].service].totalLatency.record(0) }
            }
            deliver(origin, outcome: outcome, latency: 0)
            return false
        }
        if hasFreeThread {
            settle(instance)
            let request = newRequest(RequestRecord(arrival: now, instance: instance, entry: Int32(entry), origin: origin, session: session, isShallowProbe: isShallowProbe,
                                                   admissionKey: admissionKey))
            threadPools[pool].takeThread(at: now)
            if !isPlain && entryStates[slot].isOnSharedPool { entryStates[slot].busy &+= 1 }
            instances[instance].outstanding &+= 1
            begin(request, waited: 0)
        } else if threadPools[pool].hasQueueRoom {
            settle(instance)
            let request = newRequest(RequestRecord(arrival: now, instance: instance, entry: Int32(entry), origin: origin, session: session, isShallowProbe: isShallowProbe,
                                                   admissionKey: admissionKey))
            let queued = threadPools[pool].enqueue(request, at: now, noticeAfter: model.run.interval.nanoseconds)
            if !isPlain && entryStates[slot].isOnSharedPool { entryStates[slot].queued &+= 1 }
            instances[instance].outstanding &+= 1
            if queued.isSaturationDue { noteSaturation(instance, pool: pool) }
            if queued.didFill {
                record(threadPoolComponent(instance, pool), "queueFilled", "capacity \(threadPools[pool].queueCapacity)", cause: "threadsExhausted")
            }
        } else {
            threadPools[pool].refuseWhileFull()
            refuse(at: instance, origin: origin, isProbe: isProbe)
            return false
        }
        return true
    }

    /// Whether a stability pattern turns a request away on arrival: load shedding by queue length,
    /// or fail fast when a dependency it needs has an open breaker or an exhausted pool.
    private func turnedAway(at instance: InstanceID, entry: Int, pool: ThreadPoolID) -> Outcome? {
        if threadPools[pool].shedsArrival { return .shed }
        if entryStates[entrySlot(instance, entry)].failsFast {
            let service = instances[instance].service
            for dependency in services[service].entryDependencies[entry] {
                if dependencyStates[dependencySlot(instance, dependency)].breaker?.wouldReject(at: instantNow) == true { return .rejected }
                if hasPool(instance, dependency), connectionPools[dependencySlot(instance, dependency)].isExhausted,
                   connectionPools[dependencySlot(instance, dependency)].idleCount == 0 { return .rejected }
            }
        }
        return nil
    }

    /// The name of a thread pool of an instance: an entry point's
    /// own pool is named as the entry point is (`cf[0].http`, or `web[0]` for the only one), a
    /// shared pool by its name (`cf[0].requestHandlers`).
    func threadPoolComponent(_ instance: InstanceID, _ pool: ThreadPoolID) -> String {
        let place = instances[instance].firstPool.distance(to: pool)
        return instances[instance].name + services[instances[instance].service].poolSuffixes[place]
    }

    /// A request of an entry point on a shared pool left the pool's queue (to take a thread, or shed).
    @inline(__always)
    private func leftSharedQueue(_ request: RequestID, instance: InstanceID) {
        let slot = entrySlot(instance, Int(requests[request].entry))
        if entryStates[slot].isOnSharedPool { entryStates[slot].queued &-= 1 }
    }

    private func refuse(at instance: InstanceID, origin: Origin, isProbe: Bool) {
        if !isProbe { instances[instance].counters.count(.refused, pastWarmup: isPastWarmup) }
        deliver(origin, outcome: .refused, latency: 0)
    }

    @inline(__always)
    func newRequest(_ record: RequestRecord) -> RequestID {
        liveRequests += 1
        if liveRequests > nextGrowthCheck { liveRequestsGrew() }
        if let slot = freeRequests.popLast() {
            var record = record
            record.generation = requests[slot].generation &+ 1
            requests[slot] = record
            return slot
        }
        return requests.append(record)
    }

    /// A request gets its thread and starts its steps.
    @inline(__always)
    func begin(_ request: RequestID, waited: Int64) {
        let requestRecord = requests.pointer(at: request)
        requestRecord.pointee.started = now
        let instance = requestRecord.pointee.instance
        if requestRecord.pointee.origin.kind != .probe {
            instances.pointer(at: instance).pointee.counters.start(waited: waited, pastWarmup: isPastWarmup)
        }
        advance(request)
    }

    /// Runs the request's steps from the current one until one has to wait, or the request ends.
    func advance(_ request: RequestID) {
        let index = request
        let instance = requests[index].instance
        let (first, count) = entrySteps[instances[instance].serviceEntry, offset: Int(requests[index].entry)]
        while true {
            let step = requests[index].step
            guard step < count else {
                finish(request, outcome: .success)
                return
            }
            let compiled = steps[first.advanced(by: Int(step))]
            switch compiled.kind {
            case .cpu:
                setActivity(of: request, to: 0)
                startWork(request, on: instance, distribution: Int(compiled.index))
                return
            case .session:
                if compiled.index == CompiledStep.logIndex {
                    // The log write: health probes write nothing; a request whose write fails
                    // on a full disk fails.
                    requests[index].step += 1
                    if requests[index].origin.kind != .probe && !writeLog(on: instance) {
                        finish(request, outcome: .failed)
                        return
                    }
                    continue
                }
                if !requests[index].isShallowProbe && requests[index].session != 0 {
                    touchSession(requests[index].session, on: instance)
                    guard requests[index].isLive && requests[index].instance == instance,
                          instances[instance].state == .up else { return }  // out of memory: the instance crashed
                }
                requests[index].step += 1
            case .choose:
                let u = instances[instance].mixStream.nextUnit()
                var branch = 0
                while u >= choices[Int(compiled.index)].cumulativeWeights[branch] { branch += 1 }
                requests[index].step = choices[Int(compiled.index)].starts[branch]
            case .jump:
                requests[index].step = compiled.index
            case .call:
                if requests[index].isShallowProbe {
                    requests[index].step += 1
                    continue
                }
                startCall(request, dependency: Int(compiled.index))
                return
            case .cachedCall:
                if requests[index].isShallowProbe || lookUpCache(request, dependency: Int(compiled.index)) {
                    requests[index].step += 1
                    continue
                }
                return
            case .lock:
                if startLock(request, step: Int(compiled.index)) { return }
            case .result:
                if startResultRead(request, dependency: Int(compiled.index)) { return }
            }
        }
    }

    /// Moves a request's thread to another activity slot, for the accounting of what threads wait on.
    @inline(__always)
    func setActivity(of request: RequestID, to slot: Int32) {
        let index = request
        let old = requests[index].activity
        guard old != slot else { return }
        let instance = requests[index].instance
        requests[index].activity = slot
        // Without dependencies a busy thread is always on its CPU: nothing more to account for.
        guard instances[instance].hasDependencies else { return }
        settle(instance)
        if old >= 0 { slotStates[Int(instances[instance].firstSlot) + Int(old)].level &-= 1 }
        if slot >= 0 { slotStates[Int(instances[instance].firstSlot) + Int(slot)].level &+= 1 }
    }

    /// A request ends: it answers its sender, releases its thread and leaves the instance.
    func finish(_ request: RequestID, outcome: Outcome) {
        // The few fields needed, not a copy of the whole record; the instance read through one pointer.
        let requestRecord = requests.pointer(at: request)
        let origin = requestRecord.pointee.origin
        let instance = requestRecord.pointee.instance
        let entry = Int(requestRecord.pointee.entry)
        let latency = now - requestRecord.pointee.arrival
        if origin.kind != .probe {
            let pastWarmup = isPastWarmup
            let isWasted = !isAwaited(origin)
            let record = instances.pointer(at: instance)
            record.pointee.counters.finish(outcome, latency: latency, isWasted: isWasted, pastWarmup: pastWarmup)
            record.pointee.intervalLatency.record(latency)
            // When the warm-up ends on an interval boundary the service's whole-run histogram is
            // merged from the instances' interval histograms; otherwise each latency goes in here.
            if pastWarmup && !warmupIsAligned { services[record.pointee.service].totalLatency.record(latency) }
            completedCount &+= 1
            if completedCount >= completionLimit { isStopRequested = true }
        }
        setActivity(of: request, to: -1)
        release(request)
        releaseThread(instance: instance, entry: entry)
        // `leak` needs a heap; the flag is in the instance's first line, the leak rate far from it.
        if instances[instance].hasHeap && instances[instance].memory.leakPerRequest > 0 { leak(instances[instance].memory.leakPerRequest, on: instance) }
        deliver(origin, outcome: outcome, latency: latency)
    }

    /// Whether whoever sent a request still waits for its answer: work for a caller that timed
    /// out, or a client that gave up, is wasted.
    @inline(__always)
    func isAwaited(_ origin: Origin) -> Bool {
        switch origin.kind {
        case .parent: return isCurrent(origin.parentRequest, origin.token)
        case .client:
            let client = origin.client
            return clients[client].isLive && clients[client].isWaiting && clients[client].token == origin.token
        default: return true  // a source, a probe, a queue's message
        }
    }

    /// Frees a request's slot; events still scheduled for it are ignored by their generation.
    @inline(__always)
    func release(_ request: RequestID) {
        let requestRecord = requests.pointer(at: request)
        requestRecord.pointee.isLive = false
        requestRecord.pointee.generation &+= 1
        let instance = requestRecord.pointee.instance
        let record = instances.pointer(at: instance)
        record.pointee.outstanding &-= 1
        liveRequests -= 1
        freeRequests.append(request)
        if hasAdmission && requestRecord.pointee.admissionKey >= 0 {
            leaveAdmission(instance: instance, entry: Int(requestRecord.pointee.entry), key: Int(requestRecord.pointee.admissionKey))
        }
        if record.pointee.hasAutoscaler && record.pointee.isDraining && record.pointee.outstanding == 0 && record.pointee.state == .up { park(instance) }
    }

    /// An admitted request is answered (or aborted): its place in its entry point's concurrency limit is free.
    @inline(never)
    private func leaveAdmission(instance: InstanceID, entry: Int, key: Int) {
        let service = instances[instance].service
        services[service].admissions[entry]!.leave(key: key)
    }

    /// The thread pool of an instance's entry point, in the pool table: with plain entry points
    /// (`hasPlainEntries`: own pools in entry order, none shared) found without reaching the
    /// entry's state in `entryStates`.
    @inline(__always)
    private func entryPool(of instance: InstanceID, entry: Int, isPlain: Bool) -> ThreadPoolID {
        isPlain ? instances[instance].firstPool.advanced(by: entry) : entryStates[entrySlot(instance, entry)].pool
    }

    /// A thread of an entry point is free: it takes the oldest waiting request, or rests.
    func releaseThread(instance: InstanceID, entry: Int) {
        settle(instance)
        let slot = entrySlot(instance, entry)
        let isPlain = instances[instance].hasPlainEntries
        let pool = entryPool(of: instance, entry: entry, isPlain: isPlain)
        let isShared = !isPlain && entryStates[slot].isOnSharedPool
        if isShared { entryStates[slot].busy &-= 1 }
        // Load shedding by age: requests that waited too long are answered "overloaded" unserved.
        if threadPools[pool].shedsByAge {
            while let oldest = threadPools[pool].waiting.first, threadPools[pool].hasOverstayed(arrival: requests[oldest].arrival, at: now) {
                _ = threadPools[pool].popOldest()
                if isShared { leftSharedQueue(oldest, instance: instance) }
                let record = requests[oldest]
                if record.origin.kind != .probe {
                    instances[instance].counters.count(.shed, pastWarmup: isPastWarmup)
                }
                release(oldest)
                deliver(record.origin, outcome: .shed, latency: now - record.arrival)
            }
        }
        if let next = threadPools[pool].popOldest() {
            if isShared {
                leftSharedQueue(next, instance: instance)
                entryStates[entrySlot(instance, Int(requests[next].entry))].busy &+= 1
            }
            if let recovery = threadPools[pool].recoverQueue() {
                record(threadPoolComponent(instance, pool), "queueRecovered",
                       "\(recovery.waiting) waiting; \(recovery.refusedWhileFull) refused while full", cause: "queueFilled")
            }
            begin(next, waited: now - requests[next].arrival)
        } else if let ended = threadPools[pool].restThread() {
            noteSaturationEnded(instance, pool: pool, ended)
        }
    }

    /// Records that every thread of an entry point is busy, with what they wait on and why:
    /// once they have all been busy for a whole series interval, or when its queue fills.
    func noteSaturation(_ instance: InstanceID, pool: ThreadPoolID) {
        threadPools[pool].recordSaturation()
        let threads = threadPools[pool].threads
        let service = instances[instance].service
        let spec = services[service].spec
        // What the instance's busy threads wait on: CPU, then checkout and call per dependency.
        var parts: [EventText] = []
        var dominant = (level: Int32(0), slot: 0)
        if instances[instance].hasDependencies {
            for activity in 0..<Int(instances[instance].slotCount) {
                let level = slotStates[Int(instances[instance].firstSlot) + activity].level
                if level > dominant.level { dominant = (level, activity) }
                guard level > 0 else { continue }
                let text: String
                let lockSlots = 1 + 2 * spec.dependencies.count
                if activity == 0 {
                    text = "on CPU"
                } else if activity >= lockSlots {
                    let name = spec.lockNames[(activity - lockSlots) / 2]
                    text = (activity - lockSlots) % 2 == 0 ? "waiting for lock \(name)" : "holding lock \(name)"
                } else {
                    let name = spec.dependencies[(activity - 1) / 2].name
                    text = activity % 2 == 1 ? "at checkout of \(name)" : "in calls to \(name)"
                }
                parts.append("\(level) \(text)")
            }
        } else {
            var busy: Int32 = 0
            for other in 0..<Int(instances[instance].poolCount) { busy += threadPools[instances[instance].firstPool, offset: other].busy }
            parts.append("\(busy) on CPU")
        }
        let held = now - threadPools[pool].saturatedSince
        var detail: EventText = "all \(threads) threads busy"
        if held > 0 { detail.append(" for \(roundedDuration: Interval(nanoseconds: held))") }
        detail.append(spec.entryPoints.count > 1 ? "; the instance's threads: " : ": ")
        for (index, part) in parts.enumerated() { detail.append(index == 0 ? part : ", \(part)") }
        var cause = saturationCause(instance, activity: dominant.level > 0 ? dominant.slot : 0)
        if cause == "CPU work" || cause.hasPrefix("calls to ") || cause.hasPrefix("checkout of ") {
            cause = loadCause(instance) ?? cause
        }
        record(threadPoolComponent(instance, pool), "threadsExhausted", detail, cause: "\(cause)")
    }

    /// Why an instance has more work than usual when nothing it waits on has failed: an open
    /// source sending to its service whose rate is now above its first (the most risen), or
    /// else another instance of its service that is down, whose share it takes.
    private func loadCause(_ instance: InstanceID) -> String? {
        let service = instances[instance].service
        var risen: (ratio: Double, name: String)?
        for source in sources.ids where sources[source].target == service && sources[source].segment > 0 {
            let first = sources[source].rateAfter[0]
            let current = rate(of: source, at: now)
            let ratio = first > 0 ? current / first : .infinity
            if current > first, ratio > (risen?.ratio ?? 1) { risen = (ratio, sources[source].spec.name) }
        }
        if let risen { return "rateChanged on \(risen.name)" }
        for other in services[service].instances where other != instance && instances[other].crashes > 0
            && (instances[other].state == .crashed || instances[other].state == .booting) {
            return "instanceCrashed on \(instances[other].name)"
        }
        return nil
    }

    /// The activity slot most of an instance's busy threads are in (0, CPU, when none).
    private func dominantActivity(_ instance: InstanceID) -> Int {
        guard instances[instance].hasDependencies else { return 0 }
        var dominant = (level: Int32(0), slot: 0)
        for activity in 0..<Int(instances[instance].slotCount) {
            let level = slotStates[Int(instances[instance].firstSlot) + activity].level
            if level > dominant.level { dominant = (level, activity) }
        }
        return dominant.slot
    }

    /// Why threads wait where most of them wait: the pool, the dependency's state or its fault;
    /// for a service called that is not itself stuck, why its own threads wait, when that is an event.
    private func saturationCause(_ instance: InstanceID, activity: Int, depth: Int = 0) -> String {
        let service = instances[instance].service
        if activity == 0 {
            if let fault = instances[instance].work.faults.last { return "faultStarted \(fault.spec.kindName) on \(fault.spec.target)" }
            return instances[instance].memory.isUnderGCPressure ? "gcPressureStarted" : "CPU work"
        }
        let lockSlots = 1 + 2 * services[service].spec.dependencies.count
        if activity >= lockSlots {
            let name = services[service].spec.lockNames[(activity - lockSlots) / 2]
            if let lock = model.lockIndex(named: name), locks[LockID(lock)].isContended { return "lockContended on \(name)" }
            return "lock \(name)"
        }
        let dependency = (activity - 1) / 2
        let name = services[service].spec.dependencies[dependency].name
        if activity % 2 == 1 {
            return hasPool(instance, dependency) && connectionPools[dependencySlot(instance, dependency)].isExhausted ? "poolExhausted \(name)" : "checkout of \(name)"
        }
        if dependencyStates[dependencySlot(instance, dependency)].breaker?.state == .open { return "breakerOpened \(name)" }
        let target = compiledDependencies[services[service].firstDependency, offset: dependency]
        if !target.endpoint.isNone {
            if endpoints[target.endpoint].isSaturated { return "capacityExhausted on \(endpoints[target.endpoint].spec.name)" }
            if let fault = endpoints[target.endpoint].lastActiveFault {
                return "faultStarted \(model.faults[Int(fault)].kindName) on \(endpoints[target.endpoint].spec.name)"
            }
            return "calls to \(name)"
        }
        // A service called: its threads all busy (recorded now if they were not yet, so that the
        // cause comes before what it caused), its queue full, or every instance down.
        let callee = services[target.service]
        var isFull = false, anyUp = false, isSaturated = false
        for other in callee.instances {
            let pool = entryStates[entrySlot(other, Int(target.entry))].pool
            if instances[other].state == .up { anyUp = true }
            if threadPools[pool].saturatedSince >= 0 && instances[other].state == .up {
                if !threadPools[pool].isSaturationRecorded { noteSaturation(other, pool: pool) }
                isSaturated = true
            }
            if threadPools[pool].isQueueFull { isFull = true }
        }
        if isSaturated { return "threadsExhausted on \(callee.spec.name)" }
        if isFull { return "queueFilled on \(callee.spec.name)" }
        if !anyUp { return "instanceCrashed on \(callee.spec.name)" }
        if depth < 4, let other = callee.instances.first(where: { instances[$0].state == .up }) {
            let deeper = saturationCause(other, activity: dominantActivity(other), depth: depth + 1)
            if deeper.contains(" on ") { return deeper }
        }
        return "calls to \(name)"
    }

    /// Records that a thread of an entry point whose threads were all busy is free again.
    private func noteSaturationEnded(_ instance: InstanceID, pool: ThreadPoolID, _ ended: ThreadPool.SaturationEnd) {
        let held = Interval(nanoseconds: now - ended.since)
        record(threadPoolComponent(instance, pool), "threadsRecovered",
               "a thread free after \(roundedDuration: held) all busy; at most \(ended.mostWaiting) waiting", cause: "threadsExhausted")
    }

    /// Hands an answer to whoever sent the request.
    @inline(__always)
    func deliver(_ origin: Origin, outcome: Outcome, latency: Int64) {
        // An open source's request, the common case, inline; every other sender out of line.
        if origin.kind == .source {
            sourceReceived(origin.source, outcome: outcome, latency: latency)
        } else {
            deliverToWaiter(origin, outcome: outcome, latency: latency)
        }
    }

    /// `deliver` to a sender that is not an open source: a client, a parent request or a probe.
    @inline(never)
    func deliverToWaiter(_ origin: Origin, outcome: Outcome, latency: Int64) {
        switch origin.kind {
        case .source: sourceReceived(origin.source, outcome: outcome, latency: latency)
        case .client: clientReceived(origin.client, token: origin.token, outcome: outcome)
        case .parent:
            // Failures travel as events, so that a run of failures never recurses through queues.
            if outcome == .success, isCurrent(origin.parentRequest, origin.token) {
                callEnded(origin.parentRequest, origin.token, .success)
            } else if outcome != .success {
                let event: Event = outcome == .refused
                    ? .request(.callRefused(request: origin.parentRequest, generation: origin.token))
                    : .request(.callFailed(request: origin.parentRequest, generation: origin.token))
                eventQueue.schedule(event, at: instantNow)
            }
        case .message: messageEnded(origin.queue, slot: origin.token, outcome: outcome)
        case .probe:
            if outcome != .success { instances[origin.probedInstance].health.noteFailure(.answered(outcome), token: origin.token) }
            let event: InstanceEvent = outcome == .success
                ? .probeSucceeded(instance: origin.probedInstance, token: origin.token)
                : .probeFailed(instance: origin.probedInstance, token: origin.token)
            eventQueue.schedule(.instance(event), at: instantNow)
        }
    }

    /// Adds the levels held since the last change to the integrals; call before any level changes.
    func settle(_ instance: InstanceID) {
        let record = instances.pointer(at: instance)
        let elapsed = now - record.pointee.lastChange
        guard elapsed > 0 else { return }
        let span = Double(elapsed)
        let pastWarmup = isPastWarmup
        if record.pointee.isSimple {
            // Its one pool read here, not before the branch: the 32-bit ID is then loaded and
            // widened in one instruction, as the index it was before.
            threadPools.pointer(at: record.pointee.firstPool).pointee.accumulate(over: span, pastWarmup: pastWarmup)
            record.pointee.lastChange = now
            return
        }
        let firstPool = record.pointee.firstPool
        for pool in 0..<Int(instances[instance].poolCount) {
            threadPools[firstPool, offset: pool].accumulate(over: span, pastWarmup: pastWarmup)
        }
        if instances[instance].hasSharedPools {
            for entry in 0..<Int(instances[instance].entryCount) where entryStates[entrySlot(instance, entry)].isOnSharedPool {
                let slot = entrySlot(instance, entry)
                entryStates[slot].busyArea.add(Double(entryStates[slot].busy) * span, pastWarmup: pastWarmup)
                entryStates[slot].queueArea.add(Double(entryStates[slot].queued) * span, pastWarmup: pastWarmup)
            }
        }
        if instances[instance].hasDependencies {
            for slot in 0..<Int(instances[instance].slotCount) {
                slotStates[Int(instances[instance].firstSlot) + slot].area.add(Double(slotStates[Int(instances[instance].firstSlot) + slot].level) * span, pastWarmup: pastWarmup)
            }
        }
        if instances[instance].hasHeap, let heap = instances[instance].heap, instances[instance].state == .up {
            let share = heap.gcShare(occupancy: occupancy(of: instance, heap: heap))
            if share > 0 { instances[instance].memory.gcArea.add(share * span, pastWarmup: pastWarmup) }
        }
        instances[instance].lastChange = now
    }
}
