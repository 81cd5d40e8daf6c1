import SimulationKernel

/// What is in flight in a running simulation at one instant, and whether the engine's own
/// bookkeeping agrees with its requests: for tests, which read it from a sink between events.
///
/// Nothing here changes the run, and nothing of it is written to the output files.
public struct Inspection: Sendable {
    /// Requests in flight, by component: at an instance (queued or holding a thread), at a service
    /// (its instances together), of a traffic source or user population (logical requests sent and
    /// not yet answered or given up), and at an endpoint (calls connected and not yet ended).
    /// Health probes are left out, as they are of every count. Every component has an entry.
    public var inFlight: [String: Int64]
    /// Requests that ended without an outcome since the start, by component: fire-and-forget
    /// requests of a traffic source lost in a crash that did not reset connections (their sender
    /// never hears of them), and calls to an endpoint whose caller crashed (the call is never
    /// answered). Every source and endpoint has an entry.
    public var lostInCrashes: [String: Int64]
    /// Disagreements between the engine's counters and levels (busy threads, queues, pools,
    /// bulkheads, thread activities) and what its live requests hold, or counts beyond their
    /// capacity; empty when all is well.
    public var problems: [String]
}

extension ChainSimulation {
    /// Bytes the per-instance tables reserve beyond what they hold: 0 once assembly has reserved
    /// each at the size it fills (`reserveInstanceTables`), up to as much again if they grew by doubling.
    package var instanceTablesSlack: Int {
        func slack<Element>(_ table: Table<Element>) -> Int { table.reservedBytes - table.count * MemoryLayout<Element>.stride }
        return slack(instances.storage) + slack(entryStates.storage) + slack(threadPools.storage) + slack(slotStates)
            + slack(dependencyStates.storage) + slack(connectionPools.storage) + (hasDisks ? slack(disks.storage) : 0)
    }

    /// The instances a service's autoscaler decisions have looked at so far, one per running
    /// instance per decision (0 for a service without an autoscaler, or one not in the model).
    package func autoscalerInstancesVisited(service name: String) -> Int {
        guard let index = services.ids.first(where: { services[$0].spec.name == name }) else { return 0 }
        return services[index].autoscaler.instancesVisited
    }

    /// What is in flight now, and the engine's own consistency checks.
    ///
    /// - Complexity: O(*r* + *c* + *i*), for *r* request slots, *c* client slots and *i* instances.
    public func inspect() -> Inspection {
        var inFlight: [String: Int64] = [:]
        var lost: [String: Int64] = [:]
        var problems: [String] = []
        var onInstance = [Int64](repeating: 0, count: instances.count)  // probes included
        var probesOnInstance = [Int64](repeating: 0, count: instances.count)
        var busyByPool = [Int32](repeating: 0, count: threadPools.count)
        var queuedByPool = [Int](repeating: 0, count: threadPools.count)
        var busyByEntry = [Int32](repeating: 0, count: entryStates.count)
        var queuedByEntry = [Int32](repeating: 0, count: entryStates.count)
        var activityBySlot = [Int32](repeating: 0, count: slotStates.count)
        var fireAndForget = [Int64](repeating: 0, count: sources.count)
        var callsByEndpoint = [Int64](repeating: 0, count: endpoints.count)
        var live = 0
        // Connections held, waiting checkouts and bulkhead slots, by instance and dependency.
        var held: [Int: Int32] = [:], atCheckout: [Int: Int32] = [:], slots: [Int: Int32] = [:]
        let dependencyStride = 1 + (model.services.map(\.dependencies.count).max() ?? 0)
        for request in requests.ids where requests[request].isLive {
            let record = requests[request]
            live += 1
            let instance = record.instance
            onInstance[instance.index] += 1
            let entry = entrySlot(instance, Int(record.entry))
            let pool = entryStates[entry].pool.index
            if record.origin.kind == .probe { probesOnInstance[instance.index] += 1 }
            if record.origin.kind == .source { fireAndForget[record.origin.source.index] += 1 }
            if record.activity < 0 {
                queuedByPool[pool] += 1
                queuedByEntry[entry.index] += 1
            } else {
                busyByPool[pool] += 1
                busyByEntry[entry.index] += 1
                if instances[instance].hasDependencies { activityBySlot[Int(instances[instance].firstSlot) + Int(record.activity)] += 1 }
            }
            let key = instance.index * dependencyStride + Int(record.callDependency)
            if record.connection >= 0 { held[key, default: 0] += 1 }
            if record.holdsCallSlot {
                slots[key, default: 0] += 1
                let target = compiledDependencies[compiledDependency(instance, Int(record.callDependency))]
                if record.reachedTarget && !target.endpoint.isNone { callsByEndpoint[target.endpoint.index] += 1 }
            }
            if record.activity == checkoutSlot(Int(record.callDependency)) && record.holdsCallSlot && !record.reachedTarget {
                atCheckout[key, default: 0] += 1
            }
        }
        if live != liveRequests { problems.append("\(liveRequests) live requests counted, \(live) found") }
        for serviceIndex in services.ids {
            let service = services[serviceIndex]
            var total: Int64 = 0
            for instance in service.instances {
                let name = instances[instance].name
                let requestsHere = onInstance[instance.index]
                inFlight[name] = requestsHere - probesOnInstance[instance.index]
                total += requestsHere - probesOnInstance[instance.index]
                if Int64(instances[instance].outstanding) != requestsHere {
                    problems.append("\(name): \(instances[instance].outstanding) outstanding counted, \(requestsHere) requests found")
                }
                if instances[instance].state != .up && instances[instance].state != .booting && requestsHere > 0 {
                    problems.append("\(name): \(requestsHere) requests on an instance that is \(instances[instance].state)")
                }
                for entry in 0..<Int(instances[instance].entryCount) where instances[instance].hasSharedPools {
                    let slot = entrySlot(instance, entry)
                    let share = entryStates[slot]
                    guard share.isOnSharedPool else { continue }
                    let place = "\(name).\(service.spec.entryPoints[entry].name)"
                    if share.busy != busyByEntry[slot.index] { problems.append("\(place): \(share.busy) threads of its shared pool counted, \(busyByEntry[slot.index]) requests hold one") }
                    if share.queued != queuedByEntry[slot.index] { problems.append("\(place): \(share.queued) queued at its shared pool, \(queuedByEntry[slot.index]) requests wait") }
                }
                for pool in 0..<Int(instances[instance].poolCount) {
                    let id = instances[instance].firstPool.advanced(by: pool)
                    let state = threadPools[id], slot = id.index
                    let place = threadPoolComponent(instance, id)
                    if state.busy != busyByPool[slot] { problems.append("\(place): \(state.busy) busy threads counted, \(busyByPool[slot]) requests hold one") }
                    if state.waiting.count != queuedByPool[slot] { problems.append("\(place): \(state.waiting.count) queued, \(queuedByPool[slot]) requests wait") }
                    if state.queued != state.waiting.count { problems.append("\(place): \(state.queued) queued counted, \(state.waiting.count) in the queue") }
                    if state.busy < 0 || state.busy > state.threads { problems.append("\(place): \(state.busy) busy threads of \(state.threads)") }
                    if state.waiting.count > state.queueCapacity { problems.append("\(place): \(state.waiting.count) queued, capacity \(state.queueCapacity)") }
                    if state.waiting.count > 0 && state.busy < state.threads { problems.append("\(place): \(state.waiting.count) queued while \(state.threads - state.busy) threads are free") }
                }
                if instances[instance].hasDependencies {
                    for slot in 0..<Int(instances[instance].slotCount) {
                        let index = Int(instances[instance].firstSlot) + slot
                        if slotStates[index].level != activityBySlot[index] {
                            problems.append("\(name): activity \(slot) level \(slotStates[index].level), \(activityBySlot[index]) requests in it")
                        }
                    }
                }
                for (dependency, spec) in service.spec.dependencies.enumerated() {
                    let key = instance.index * dependencyStride + dependency
                    let inFlightCalls = dependencyStates[dependencySlot(instance, dependency)].bulkhead.inFlight
                    if inFlightCalls != slots[key, default: 0] { problems.append("\(name).\(spec.name): bulkhead count \(inFlightCalls), \(slots[key, default: 0]) attempts hold a slot") }
                    let limit = dependencyStates[dependencySlot(instance, dependency)].bulkhead.capacity
                    if inFlightCalls > limit { problems.append("\(name).\(spec.name): \(inFlightCalls) calls in flight, bulkhead \(limit)") }
                    guard hasPool(instance, dependency) else {
                        if held[key, default: 0] > 0 { problems.append("\(name).\(spec.name): connections held without a pool") }
                        continue
                    }
                    let pool = connectionPools[dependencySlot(instance, dependency)]
                    if pool.inUse != held[key, default: 0] { problems.append("\(name).\(spec.name): \(pool.inUse) connections in use, \(held[key, default: 0]) held") }
                    if pool.waiting != atCheckout[key, default: 0] { problems.append("\(name).\(spec.name): \(pool.waiting) checkouts waiting counted, \(atCheckout[key, default: 0]) found") }
                    if pool.inUse < 0 || pool.leaked < 0 || Int(pool.inUse) + pool.idle.count + Int(pool.leaked) != Int(pool.size) {
                        problems.append("\(name).\(spec.name): \(pool.inUse) in use + \(pool.idle.count) idle + \(pool.leaked) leaked, pool of \(pool.size)")
                    }
                    if Set(pool.idle).count != pool.idle.count { problems.append("\(name).\(spec.name): a connection is idle twice") }
                }
                if let heap = instances[instance].heap, instances[instance].state == .up, heapUsed(of: instance, heap: heap) > heap.size {
                    problems.append("\(name): heap \(heapUsed(of: instance, heap: heap)) B used of \(heap.size) B")
                }
            }
            inFlight[service.spec.name] = total
        }
        var waitingClients = [Int64](repeating: 0, count: sources.count)
        var waitingUsers = [Int64](repeating: 0, count: populations.count)
        for client in clients.ids where clients[client].isLive && clients[client].isWaiting {
            switch clients[client].owner {
            case .source(let source): waitingClients[source.index] += 1
            case .population(let population): waitingUsers[population.index] += 1
            }
        }
        for source in sources.ids {
            let name = sources[source].spec.name
            inFlight[name] = sources[source].isFireAndForget ? fireAndForget[source.index] : waitingClients[source.index]
            lost[name] = sources[source].lostInCrashes
        }
        for population in populations.ids { inFlight[populations[population].spec.name] = waitingUsers[population.index] }
        for index in endpoints.ids {
            inFlight[endpoints[index].spec.name] = callsByEndpoint[index.index]
            lost[endpoints[index].spec.name] = endpoints[index].callsLostInCrashes
        }
        return Inspection(inFlight: inFlight, lostInCrashes: lost, problems: problems)
    }
}
