import SimulationKernel

extension ChainSimulation {
    /// An instance crashes: every request on it is lost, its sessions and heap are gone, and its
    /// pools close. Calls it was making go on at their callees, unanswered. It restarts after the
    /// service's restart delay, if it has one.
    func crash(_ instance: Int, reason: String, cause: String) {
        guard instances[instance].state == .up || instances[instance].state == .booting else { return }
        settle(instance)
        instances[instance].state = .crashed
        instances[instance].crashes += 1
        let lost = instances[instance].outstanding
        record(instances[instance].name, "instanceCrashed", "\(reason); \(lost) requests lost, \(instances[instance].sessions.count) sessions lost", cause: cause)
        // Abort every request here: queued ones and those holding threads. Their senders hear of
        // it at once only if the crash resets their connections.
        let resets = services[Int(instances[instance].service)].spec.lifecycle.resetsConnectionsOnCrash
        var aborted: [Int32] = []
        for index in requests.indices where requests[index].isLive && requests[index].instance == Int32(instance) {
            aborted.append(Int32(index))
        }
        for request in aborted {
            let record = requests[Int(request)]
            setActivity(of: request, to: -1)
            release(request)
            if record.origin.kind != .probe {
                instances[instance].counters.update(pastWarmup: isPastWarmup) { $0.count(.aborted) }
            }
            if resets || record.origin.kind == .probe {
                deliver(record.origin, outcome: .aborted, latency: now - record.arrival)
            } else if record.origin.kind == .source {
                sources[Int(record.origin.id)].lostInCrashes += 1
            }
            if record.holdsCallSlot && record.reachedTarget {  // its call is never answered: `inspect` counts it
                let endpoint = services[Int(instances[instance].service)].dependencyTargets[Int(record.callDependency)].endpoint
                if endpoint >= 0 { endpoints[Int(endpoint)].callsLostInCrashes += 1 }
            }
        }
        for pool in 0..<Int(instances[instance].poolCount) { threadPools[Int(instances[instance].firstPool) + pool].reset() }
        for entry in 0..<Int(instances[instance].entryCount) {
            entryStates[Int(instances[instance].firstEntry) + entry].busy = 0
            entryStates[Int(instances[instance].firstEntry) + entry].queued = 0
        }
        for dependency in instances[instance].pools.indices where instances[instance].pools[dependency] != nil {
            instances[instance].pools[dependency]!.reset()
        }
        for slot in 0..<Int(instances[instance].slotCount) { slotStates[Int(instances[instance].firstSlot) + slot].level = 0 }
        instances[instance].sessions.removeAll()
        instances[instance].leaked = 0
        instances[instance].isUnderGCPressure = false
        resetDependencies(of: instance)
        instances[instance].leakEpoch &+= 1
        if instances[instance].isDraining {  // the autoscaler was removing it anyway
            park(instance)
            return
        }
        let lifecycle = services[Int(instances[instance].service)].spec.lifecycle
        guard let delay = lifecycle.restartDelay else { return }
        if let supervisor = lifecycle.supervisor {
            // Let it crash, within limits: at most so many restarts in any period, then give up.
            instances[instance].restartTimes.removeAll { now - $0 >= supervisor.period.nanoseconds }
            guard instances[instance].restartTimes.count < supervisor.maximumRestarts else {
                record(instances[instance].name, "supervisorGaveUp",
                       "\(supervisor.maximumRestarts) restarts within \(formatDuration(supervisor.period)); the instance stays down", cause: "instanceCrashed")
                return
            }
            instances[instance].restartTimes.append(now)
        }
        // The epoch is the crash count's low 32 bits: a tag compared for equality, not a count.
        eventQueue.schedule(.restartDue(instance: Int32(instance), epoch: UInt32(truncatingIfNeeded: instances[instance].crashes)), at: instantNow + delay)
    }

    func restart(_ instance: Int, epoch: UInt32) {
        guard instances[instance].state == .crashed, UInt32(truncatingIfNeeded: instances[instance].crashes) == epoch else { return }
        settle(instance)
        instances[instance].state = .booting
        let lifecycle = services[Int(instances[instance].service)].spec.lifecycle
        record(instances[instance].name, "instanceRestarting", "up in \(formatDuration(lifecycle.startupTime))", cause: "instanceCrashed")
        eventQueue.schedule(.bootDone(instance: Int32(instance), epoch: epoch), at: instantNow + lifecycle.startupTime)
    }

    func bootDone(_ instance: Int, epoch: UInt32) {
        guard instances[instance].state == .booting, UInt32(truncatingIfNeeded: instances[instance].crashes) == epoch else { return }
        settle(instance)
        instances[instance].state = .up
        // A process that starts opens a full pool of fresh connections.
        for dependency in instances[instance].pools.indices where instances[instance].pools[dependency] != nil {
            instances[instance].pools[dependency]!.reset()
        }
        let lifecycle = services[Int(instances[instance].service)].spec.lifecycle
        instances[instance].warmUntil = (instantNow + lifecycle.warmupTime).nanoseconds
        let wasProvisioned = instances[instance].isProvisioning
        instances[instance].isProvisioning = false
        record(instances[instance].name, "instanceUp", lifecycle.warmupTime > .zero ? "warming up for \(formatDuration(lifecycle.warmupTime))" : "",
               cause: wasProvisioned ? "instanceProvisioned" : "instanceRestarting")
        // A new instance joins the balancer at once, unless health checks must admit it first.
        if wasProvisioned && services[Int(instances[instance].service)].spec.balancer.healthCheck == nil {
            setAdmitted(instance, true, cause: "instanceUp")
        }
        if instances[instance].leakPerSecond > 0 { scheduleLeak(instance) }
    }

    /// The autoscaler decides: more instances when the farm's threads are busier than the target,
    /// fewer when idler, within its bounds and its governor's maximum change.
    ///
    /// Costs O(instances not parked): parked ones have no busy time to count.
    func autoscale(_ service: Int) {
        guard let autoscaler = services[service].spec.autoscaler else { return }
        eventQueue.schedule(.autoscaleDue(service: Int32(service)), at: instantNow + autoscaler.interval)
        var busyArea = services[service].busyAreaOfParked
        services[service].busyAreaOfParked = 0
        var up = 0, active = 0
        for member in services[service].running {
            let instance = Int(member)
            settle(instance)
            busyArea += takeBusyArea(of: instance)
            guard !instances[instance].isDraining else { continue }
            if instances[instance].state == .up { up += 1 }
            if instances[instance].state == .up || instances[instance].state == .booting { active += 1 }
        }
        let busy = busyArea / Double(autoscaler.interval.nanoseconds)
        let threads = services[service].spec.threadsPerInstance
        guard up > 0 else { return }
        let utilisation = busy / Double(up * threads)
        // A tiny target asks for more instances than an Int holds: clamp before converting.
        let wanted = (Double(up) * utilisation / autoscaler.targetUtilisation).rounded(.up)
        let desired = wanted >= Double(autoscaler.maximumInstances) ? autoscaler.maximumInstances
            : !(wanted > Double(autoscaler.minimumInstances)) ? autoscaler.minimumInstances : Int(wanted)
        let change = max(-autoscaler.maximumChange, min(autoscaler.maximumChange, desired - active))
        guard change != 0 else { return }
        let percent = NumberText.decimal((utilisation * 1000).rounded() / 10)
        record(services[service].spec.name, "autoscalerScaled",
               "utilisation \(percent)% against a target of \(NumberText.decimal(autoscaler.targetUtilisation * 100))%: \(active) -> \(active + change) instances")
        if change > 0 {
            for _ in 0..<change {
                guard let next = services[service].popParked() else { break }
                let instance = Int(next)
                instances[instance].runningPlace = Int32(services[service].running.count)
                services[service].running.append(next)
                settle(instance)
                instances[instance].state = .booting
                instances[instance].isDraining = false
                instances[instance].isProvisioning = true
                let lifecycle = services[service].spec.lifecycle
                record(instances[instance].name, "instanceProvisioned", "up in \(formatDuration(autoscaler.provisioningLag + lifecycle.startupTime))",
                       cause: "autoscalerScaled")
                eventQueue.schedule(.bootDone(instance: Int32(instance), epoch: UInt32(truncatingIfNeeded: instances[instance].crashes)),
                                    at: instantNow + autoscaler.provisioningLag + lifecycle.startupTime)
            }
        } else {
            let leaving = services[service].running.map(Int.init).filter { instances[$0].state == .up && !instances[$0].isDraining }
                .sorted(by: >).prefix(-change)
            for instance in leaving {
                instances[instance].isDraining = true
                if instances[instance].isAdmitted { setAdmitted(instance, false, cause: "autoscalerScaled") }
                if instances[instance].outstanding == 0 { park(instance) }
            }
        }
    }

    /// A process that stops forgets its breakers and retry budgets: they lived in its memory.
    func resetDependencies(of instance: Int) {
        let service = Int(instances[instance].service)
        for (dependency, spec) in services[service].spec.dependencies.enumerated() {
            instances[instance].dependencies[dependency] = DependencyRuntime(
                breaker: spec.breaker.map(CircuitBreaker.init), budget: spec.retry?.budget.map(RetryBudget.init),
                interval: instances[instance].dependencies[dependency].interval, total: instances[instance].dependencies[dependency].total)
        }
    }

    /// The busy-thread area of an instance's entry points since the last decision, which starts anew.
    private func takeBusyArea(of instance: Int) -> Double {
        var area = 0.0
        for pool in 0..<Int(instances[instance].poolCount) {
            area += threadPools[Int(instances[instance].firstPool) + pool].takeBusyAreaSinceDecision()
        }
        return area
    }

    /// A drained instance leaves service.
    func park(_ instance: Int) {
        settle(instance)
        // Its busy time until now still counts at the next decision; it has none while parked.
        let service = Int(instances[instance].service)
        services[service].busyAreaOfParked += takeBusyArea(of: instance)
        let place = Int(instances[instance].runningPlace)
        let moved = services[service].running.removeLast()
        if place < services[service].running.count {
            services[service].running[place] = moved
            instances[Int(moved)].runningPlace = Int32(place)
        }
        instances[instance].runningPlace = -1
        services[service].pushParked(Int32(instance))
        if instances[instance].isAdmitted { setAdmitted(instance, false, cause: "autoscalerScaled") }
        instances[instance].state = .parked
        instances[instance].isDraining = false
        instances[instance].sessions.removeAll()
        instances[instance].leaked = 0
        instances[instance].isUnderGCPressure = false
        instances[instance].consecutiveSuccesses = 0
        instances[instance].consecutiveFailures = 0
        instances[instance].leakEpoch &+= 1
        resetDependencies(of: instance)
        record(instances[instance].name, "instanceParked", "drained and removed by the autoscaler", cause: "autoscalerScaled")
    }

    /// The heap in use on an instance, in bytes.
    func heapUsed(of instance: Int, heap: HeapSpec) -> Int64 {
        heap.baseline + Int64(instances[instance].sessions.count) * heap.sessionSize + instances[instance].leaked
    }

    func occupancy(of instance: Int, heap: HeapSpec) -> Double {
        Double(heapUsed(of: instance, heap: heap)) / Double(heap.size)
    }

    /// Looks up a session, or creates it on the heap; a full heap crashes the instance.
    func touchSession(_ session: UInt32, on instance: Int) {
        let service = Int(instances[instance].service)
        guard let heap = services[service].spec.heap else { return }
        if instances[instance].sessions[session] != nil {
            instances[instance].sessions[session] = now
            return
        }
        settle(instance)
        if heapUsed(of: instance, heap: heap) + heap.sessionSize > heap.size {
            outOfMemory(instance, heap: heap, allocating: "a session")
            return
        }
        instances[instance].sessions[session] = now
        // Sessions that never expire, or expire only at the periodic purge, need no timer each.
        if heap.sessionTimeout != .forever && heap.purgeInterval == nil {
            eventQueue.schedule(.sessionExpiryDue(instance: Int32(instance), session: session), at: instantNow + heap.sessionTimeout)
        }
        noteHeapPressure(instance, heap: heap)
    }

    func expireSession(_ session: UInt32, on instance: Int) {
        guard let lastAccess = instances[instance].sessions[session],
              let heap = services[Int(instances[instance].service)].spec.heap else { return }
        let expiry = Instant(nanoseconds: lastAccess) + heap.sessionTimeout
        if expiry.nanoseconds > now {
            eventQueue.schedule(.sessionExpiryDue(instance: Int32(instance), session: session), at: expiry)
            return
        }
        settle(instance)
        instances[instance].sessions[session] = nil
        noteHeapPressure(instance, heap: heap)
    }

    /// Steady state by periodic purge: removes every session idle longer than the session timeout.
    func purgeSessions(on instance: Int) {
        guard let heap = instances[instance].heap, let interval = heap.purgeInterval else { return }
        eventQueue.schedule(.purgeDue(instance: Int32(instance)), at: instantNow + interval)
        guard instances[instance].state == .up, heap.sessionTimeout != .forever else { return }
        settle(instance)
        let expired = instances[instance].sessions.filter { now - $0.value >= heap.sessionTimeout.nanoseconds }.map(\.key)
        guard !expired.isEmpty else { return }
        for session in expired { instances[instance].sessions[session] = nil }
        record(instances[instance].name, "sessionsPurged", "\(expired.count) idle sessions removed, \(instances[instance].sessions.count) left")
        noteHeapPressure(instance, heap: heap)
    }

    /// Memory leaks on an instance; a full heap crashes it.
    func leak(_ bytes: Int64, on instance: Int) {
        guard instances[instance].state == .up, let heap = services[Int(instances[instance].service)].spec.heap else { return }
        settle(instance)
        instances[instance].leaked += bytes
        if heapUsed(of: instance, heap: heap) > heap.size {
            outOfMemory(instance, heap: heap, allocating: "leaked memory")
        } else {
            noteHeapPressure(instance, heap: heap)
        }
    }

    /// Starts a new chain of per-second leak timers, ending any earlier one.
    func scheduleLeak(_ instance: Int) {
        instances[instance].leakEpoch &+= 1
        eventQueue.schedule(.leakDue(instance: Int32(instance), epoch: instances[instance].leakEpoch), at: instantNow + .seconds(1))
    }

    func leakTick(_ instance: Int, epoch: UInt32) {
        guard instances[instance].leakEpoch == epoch, instances[instance].leakPerSecond > 0, instances[instance].state == .up else { return }
        leak(instances[instance].leakPerSecond, on: instance)
        if instances[instance].state == .up {
            eventQueue.schedule(.leakDue(instance: Int32(instance), epoch: epoch), at: instantNow + .seconds(1))
        }
    }

    private func outOfMemory(_ instance: Int, heap: HeapSpec, allocating what: String) {
        let sessions = Int64(instances[instance].sessions.count) * heap.sessionSize
        let detail = "heap \(formatBytes(heap.size)) full: \(formatBytes(sessions)) in \(instances[instance].sessions.count) sessions, \(formatBytes(instances[instance].leaked)) leaked"
        record(instances[instance].name, "outOfMemory", "\(detail), allocating \(what)")
        crash(instance, reason: "out of memory", cause: "outOfMemory")
    }

    /// Records when an instance's heap crosses the point where GC starts to cost CPU, either way.
    private func noteHeapPressure(_ instance: Int, heap: HeapSpec) {
        let isUnder = occupancy(of: instance, heap: heap) > heap.gcThreshold
        guard isUnder != instances[instance].isUnderGCPressure else { return }
        instances[instance].isUnderGCPressure = isUnder
        let percent = NumberText.decimal((occupancy(of: instance, heap: heap) * 1000).rounded() / 10)
        record(instances[instance].name, isUnder ? "gcPressureStarted" : "gcPressureEnded", "heap \(percent)% full")
    }
}

/// A duration spelled for people: `2m`, `3h35m`, `1.5s`, `250ms`.
func formatDuration(_ interval: Interval) -> String {
    let nanoseconds = interval.nanoseconds
    if nanoseconds < 1_000_000_000 { return NumberText.decimal(Double(nanoseconds) / 1e6) + "ms" }
    let wholeSeconds = nanoseconds / 1_000_000_000
    let fraction = nanoseconds % 1_000_000_000
    var text = ""
    if wholeSeconds >= 3600 { text += "\(wholeSeconds / 3600)h" }
    if wholeSeconds % 3600 >= 60 { text += "\(wholeSeconds % 3600 / 60)m" }
    let seconds = wholeSeconds % 60
    if seconds > 0 || fraction > 0 {
        text += NumberText.decimal(Double(seconds) + Double(fraction) / 1e9) + "s"
    }
    return text
}

/// A size spelled for people in binary units: `512MiB`, `1.5GiB`.
func formatBytes(_ bytes: Int64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024 && unit < units.count - 1 {
        value /= 1024
        unit += 1
    }
    return NumberText.decimal((value * 10).rounded() / 10) + units[unit]
}
