import SimulationKernel

extension ChainSimulation {
    /// Runs an instance's event: its heap's timers, its health probes, its lifecycle.
    @inline(__always)
    func handle(_ event: InstanceEvent) {
        switch event {
        case .purgeDue(let instance): purgeSessions(on: instance)
        case .probeDue(let instance): probe(instance)
        case .probeSucceeded(let instance, let token): probeEnded(instance, token: token, success: true)
        case .probeFailed(let instance, let token): probeEnded(instance, token: token, success: false)
        case .sessionExpiryDue(let instance, let session): expireSession(session, on: instance)
        case .restartDue(let instance, let epoch): restart(instance, epoch: epoch)
        case .bootDone(let instance, let epoch): bootDone(instance, epoch: epoch)
        case .leakDue(let instance, let epoch): leakTick(instance, epoch: epoch)
        case .diskRotationDue(let instance): rotateDisk(instance)
        case .diskFillDue(let instance, let epoch): diskFillDue(instance, epoch: epoch)
        }
    }

    /// Runs a service's event: its autoscaler's tick.
    @inline(__always)
    func handle(_ event: ServiceEvent) {
        switch event {
        case .autoscaleDue(let service): autoscale(service)
        }
    }

    /// An instance crashes: every request on it is lost, its sessions and heap are gone, and its
    /// pools close. Calls it was making go on at their callees, unanswered. It restarts after the
    /// service's restart delay, if it has one.
    func crash(_ instance: InstanceID, reason: String, cause: EventText) {
        guard instances[instance].lifecycle.isAlive else { return }
        settle(instance)
        instances[instance].lifecycle.crash()
        let lost = instances[instance].outstanding
        record(instances[instance].name, "instanceCrashed", "\(reason); \(lost) requests lost, \(instances[instance].memory.sessionCount) sessions lost", cause: cause)
        // Abort every request here: queued ones and those holding threads. Their senders hear of
        // it at once only if the crash resets their connections.
        let resets = services[instances[instance].service].spec.lifecycle.resetsConnectionsOnCrash
        var aborted: [RequestID] = []
        for request in requests.ids where requests[request].isLive && requests[request].instance == instance {
            aborted.append(request)
        }
        for request in aborted {
            let record = requests[request]
            setActivity(of: request, to: -1)
            release(request)
            if record.origin.kind != .probe {
                instances[instance].counters.update(pastWarmup: isPastWarmup) { $0.count(.aborted) }
            }
            // A broker notices a consumer's lost connection: its message counts as failed.
            if resets || record.origin.kind == .probe || record.origin.kind == .message {
                deliver(record.origin, outcome: .aborted, latency: now - record.arrival)
            } else if record.origin.kind == .source {
                sources[record.origin.source].lostInCrashes += 1
            }
            if record.holdsCallSlot && record.reachedTarget {  // its call is never answered: `inspect` counts it
                let endpoint = compiledDependencies[compiledDependency(instance, Int(record.callDependency))].endpoint
                if !endpoint.isNone { endpoints[endpoint].callsLostInCrashes += 1 }
            }
            if isWaitingForLock(request) { lockWaitEnded(request, isTimeout: false) }
            if record.isQueuedAtEndpoint {  // it leaves the endpoint's queue; work in service goes on
                requests[request].isQueuedAtEndpoint = false
                let endpoint = compiledDependencies[compiledDependency(instance, Int(record.callDependency))].endpoint
                endpoints[endpoint].withdrawQueuedCall(at: now)
            }
        }
        for pool in 0..<Int(instances[instance].poolCount) { threadPools[instances[instance].firstPool, offset: pool].reset() }
        for entry in 0..<Int(instances[instance].entryCount) {
            entryStates[entrySlot(instance, entry)].busy = 0
            entryStates[entrySlot(instance, entry)].queued = 0
        }
        for dependency in 0..<Int(instances[instance].dependencyCount) where hasPool(instance, dependency) {
            connectionPools[dependencySlot(instance, dependency)].reset(at: now)
        }
        for slot in 0..<Int(instances[instance].slotCount) { slotStates[Int(instances[instance].firstSlot) + slot].level = 0 }
        instances[instance].memory.clear()
        resetCaches(of: instance)
        pauseDisk(instance)
        resetDependencies(of: instance)
        switch instances[instance].lifecycle.afterCrash(at: now) {
        case .park:  // the autoscaler was removing it anyway
            park(instance)
        case .staysDown:
            break
        case .supervisorGaveUp:
            guard let supervisor = services[instances[instance].service].spec.lifecycle.supervisor else { return }
            record(instances[instance].name, "supervisorGaveUp",
                   "\(supervisor.maximumRestarts) restarts within \(duration: supervisor.period); the instance stays down", cause: "instanceCrashed")
        case .restart(let epoch, let delay):
            eventQueue.schedule(.instance(.restartDue(instance: instance, epoch: epoch)), at: instantNow + delay)
        }
    }

    func restart(_ instance: InstanceID, epoch: UInt32) {
        guard instances[instance].lifecycle.awaitsRestart(epoch: epoch) else { return }
        settle(instance)
        instances[instance].lifecycle.startBooting()
        let lifecycle = services[instances[instance].service].spec.lifecycle
        record(instances[instance].name, "instanceRestarting", "up in \(duration: lifecycle.startupTime)", cause: "instanceCrashed")
        eventQueue.schedule(.instance(.bootDone(instance: instance, epoch: epoch)), at: instantNow + lifecycle.startupTime)
    }

    func bootDone(_ instance: InstanceID, epoch: UInt32) {
        guard instances[instance].lifecycle.awaitsBoot(epoch: epoch) else { return }
        settle(instance)
        // A process that starts opens a full pool of fresh connections.
        for dependency in 0..<Int(instances[instance].dependencyCount) where hasPool(instance, dependency) {
            connectionPools[dependencySlot(instance, dependency)].reset(at: now)
        }
        let lifecycle = services[instances[instance].service].spec.lifecycle
        let wasProvisioned = instances[instance].lifecycle.finishBooting(warmUntil: (instantNow + lifecycle.warmupTime).nanoseconds)
        record(instances[instance].name, "instanceUp", lifecycle.warmupTime > .zero ? "warming up for \(duration: lifecycle.warmupTime)" : "",
               cause: wasProvisioned ? "instanceProvisioned" : "instanceRestarting")
        // A new instance joins the balancer at once, unless health checks must admit it first.
        if wasProvisioned && services[instances[instance].service].spec.balancer.healthCheck == nil {
            setAdmitted(instance, true, cause: "instanceUp")
        }
        if instances[instance].memory.leakPerSecond > 0 { scheduleLeak(instance) }
        // Its threads are free for the messages of the queues its service consumes, in their order.
        let service = instances[instance].service
        for queue in messageQueues.ids where messageQueues[queue].consumer == service { scheduleDelivery(of: queue) }
        resumeDisk(instance)
    }

    /// The autoscaler decides: more instances when the farm's threads are busier than the target,
    /// fewer when idler, within its bounds and its governor's maximum change.
    ///
    /// Costs O(instances not parked): parked ones have no busy time to count.
    func autoscale(_ service: ServiceID) {
        guard let autoscaler = services[service].spec.autoscaler else { return }
        eventQueue.schedule(.service(.autoscaleDue(service: service)), at: instantNow + autoscaler.interval)
        var busyArea = services[service].autoscaler.takeBusyAreaOfParked()
        var up = 0, active = 0, visited = 0
        for member in services[service].autoscaler.running {
            let instance = member
            visited += 1
            settle(instance)
            busyArea += takeBusyArea(of: instance)
            guard !instances[instance].isDraining else { continue }
            if instances[instance].state == .up { up += 1 }
            if instances[instance].state == .up || instances[instance].state == .booting { active += 1 }
        }
        services[service].autoscaler.noteVisited(visited)
        let threads = services[service].spec.threadsPerInstance
        let misreadFactor = services[service].autoscaler.misreadFactor
        guard let decision = Autoscaler.decide(autoscaler, busyArea: busyArea, up: up, active: active, threadsPerInstance: threads,
                                               misreadFactor: misreadFactor),
              decision.change != 0 else { return }
        let change = decision.change
        // Under a misread fault, the utilisation seen, then the real one.
        let real: EventText = misreadFactor == 1 ? ""
            : " (misread: \(percent: busyArea / Double(autoscaler.interval.nanoseconds) / Double(up * threads)) in fact)"
        record(services[service].spec.name, "autoscalerScaled",
               "utilisation \(percent: decision.utilisation)\(real) against a target of \(percentAsSet: autoscaler.targetUtilisation): \(active) -> \(active + change) instances")
        if change > 0 {
            for _ in 0..<change {
                guard let next = services[service].autoscaler.startParked() else { break }
                let instance = next
                settle(instance)
                instances[instance].lifecycle.provision()
                let lifecycle = services[service].spec.lifecycle
                record(instances[instance].name, "instanceProvisioned", "up in \(duration: autoscaler.provisioningLag + lifecycle.startupTime)",
                       cause: "autoscalerScaled")
                eventQueue.schedule(.instance(.bootDone(instance: instance, epoch: instances[instance].lifecycle.epoch)),
                                    at: instantNow + autoscaler.provisioningLag + lifecycle.startupTime)
            }
        } else {
            let leaving = services[service].autoscaler.running.filter { instances[$0].state == .up && !instances[$0].isDraining }
                .sorted(by: >).prefix(-change)
            for instance in leaving {
                instances[instance].lifecycle.startDraining()
                if instances[instance].isAdmitted { setAdmitted(instance, false, cause: "autoscalerScaled") }
                if instances[instance].outstanding == 0 { park(instance) }
            }
        }
    }

    /// A process that stops forgets its breakers and retry budgets: they lived in its memory. Its
    /// counts go on, and so does the stream that draws its results' sizes (the data, not the
    /// process, decides them; a restart used to drop the stream, and the next such call trapped).
    func resetDependencies(of instance: InstanceID) {
        let service = instances[instance].service
        for (dependency, spec) in services[service].spec.dependencies.enumerated() {
            dependencyStates[dependencySlot(instance, dependency)].restart(spec: spec, at: now)
        }
    }

    /// The busy-thread area of an instance's entry points since the last decision, which starts anew.
    private func takeBusyArea(of instance: InstanceID) -> Double {
        var area = 0.0
        for pool in 0..<Int(instances[instance].poolCount) {
            area += threadPools[instances[instance].firstPool, offset: pool].takeBusyAreaSinceDecision()
        }
        return area
    }

    /// A drained instance leaves service.
    func park(_ instance: InstanceID) {
        settle(instance)
        // Its busy time until now still counts at the next decision; it has none while parked.
        let service = instances[instance].service
        services[service].autoscaler.addBusyAreaOfParked(takeBusyArea(of: instance))
        services[service].autoscaler.park(instance)
        if instances[instance].isAdmitted { setAdmitted(instance, false, cause: "autoscalerScaled") }
        instances[instance].lifecycle.park()
        instances[instance].memory.clear()
        resetCaches(of: instance)
        pauseDisk(instance)
        instances[instance].health.resetCounts()
        resetDependencies(of: instance)
        record(instances[instance].name, "instanceParked", "drained and removed by the autoscaler", cause: "autoscalerScaled")
    }

    /// The heap in use on an instance, in bytes.
    ///
    /// - Parameter heap: The instance's heap spec, which the caller has unwrapped.
    func heapUsed(of instance: InstanceID, heap: HeapSpec) -> Int64 {
        instances[instance].memory.used
    }

    /// The heap in use on an instance as a share of its size.
    ///
    /// - Parameter heap: The instance's heap spec, which the caller has unwrapped.
    @inline(__always)
    func occupancy(of instance: InstanceID, heap: HeapSpec) -> Double {
        instances[instance].memory.occupancy
    }

    /// Looks up a session, or creates it on the heap; a full heap crashes the instance.
    func touchSession(_ session: UInt32, on instance: InstanceID) {
        guard let heap = instances[instance].heap else { return }
        if instances[instance].memory.refreshSession(session, at: now) { return }
        settle(instance)
        switch instances[instance].memory.allocateSession(session, at: now) {
        case .outOfMemory:
            outOfMemory(instance, allocating: "a session")
            return
        case .allocated(let pressure):
            // Sessions that never expire, or expire only at the periodic purge, need no timer each.
            if instances[instance].memory.needsExpiryTimers {
                eventQueue.schedule(.instance(.sessionExpiryDue(instance: instance, session: session)), at: instantNow + heap.sessionTimeout)
            }
            recordHeapPressure(pressure, on: instance)
        }
    }

    func expireSession(_ session: UInt32, on instance: InstanceID) {
        switch instances[instance].memory.expiryCheck(of: session, at: now) {
        case .gone: return
        case .extended(let expiry):
            eventQueue.schedule(.instance(.sessionExpiryDue(instance: instance, session: session)), at: expiry)
        case .due:
            settle(instance)
            recordHeapPressure(instances[instance].memory.expire(session), on: instance)
        }
    }

    /// Steady state by periodic purge: removes every session idle longer than the session timeout.
    func purgeSessions(on instance: InstanceID) {
        guard let heap = instances[instance].heap, let interval = heap.purgeInterval else { return }
        eventQueue.schedule(.instance(.purgeDue(instance: instance)), at: instantNow + interval)
        guard instances[instance].state == .up, heap.sessionTimeout != .forever else { return }
        settle(instance)
        guard let (removed, pressure) = instances[instance].memory.purgeIdleSessions(at: now) else { return }
        record(instances[instance].name, "sessionsPurged", "\(removed) idle sessions removed, \(instances[instance].memory.sessionCount) left")
        recordHeapPressure(pressure, on: instance)
    }

    /// Memory leaks on an instance; a full heap crashes it.
    func leak(_ bytes: Int64, on instance: InstanceID) {
        guard instances[instance].state == .up, instances[instance].heap != nil else { return }
        settle(instance)
        switch instances[instance].memory.leak(bytes) {
        case .outOfMemory: outOfMemory(instance, allocating: "leaked memory")
        case .allocated(let pressure): recordHeapPressure(pressure, on: instance)
        }
    }

    /// Starts a new chain of per-second leak timers, ending any earlier one.
    func scheduleLeak(_ instance: InstanceID) {
        let epoch = instances[instance].memory.startLeakChain()
        eventQueue.schedule(.instance(.leakDue(instance: instance, epoch: epoch)), at: instantNow + .seconds(1))
    }

    func leakTick(_ instance: InstanceID, epoch: UInt32) {
        guard instances[instance].memory.isLeakTickCurrent(epoch: epoch), instances[instance].state == .up else { return }
        leak(instances[instance].memory.leakPerSecond, on: instance)
        if instances[instance].state == .up {
            eventQueue.schedule(.instance(.leakDue(instance: instance, epoch: epoch)), at: instantNow + .seconds(1))
        }
    }

    func outOfMemory(_ instance: InstanceID, allocating what: EventText) {
        guard let heap = instances[instance].heap else { return }
        let memory = instances[instance].memory
        var detail: EventText = "heap \(bytes: heap.size) full: \(bytes: memory.sessionBytes) in \(memory.sessionCount) sessions, \(bytes: memory.leaked) leaked"
        if memory.held > 0 { detail.append(", \(bytes: memory.held) in results being read") }
        record(instances[instance].name, "outOfMemory", "\(detail), allocating \(what)")
        crash(instance, reason: "out of memory", cause: "outOfMemory")
    }

    /// Records when an instance's heap crosses the point where GC starts to cost CPU, either way.
    func recordHeapPressure(_ change: Heap.PressureChange, on instance: InstanceID) {
        guard change != .unchanged else { return }
        record(instances[instance].name, change == .started ? "gcPressureStarted" : "gcPressureEnded",
               "heap \(percent: instances[instance].memory.occupancy) full")
    }
}
