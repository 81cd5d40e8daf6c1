import SimulationKernel

extension ChainSimulation {
    /// The instances a fault target names: one instance (`cf[2]`) or every instance of a service.
    func instanceIndices(named target: String) -> [Int] {
        if let service = model.serviceIndex(named: target) { return Array(services[service].instances) }
        return instances.indices.filter { instances[$0].name == target }
    }

    func startFault(_ index: Int) {
        let fault = model.faults[index]
        let detail = fault.duration.map { "\(fault.kindName) for \(formatDuration($0))" } ?? fault.kindName
        record(fault.target, "faultStarted", detail, cause: "scheduled fault")
        if let duration = fault.duration {
            eventQueue.schedule(.faultEnds(fault: Int32(index)), at: instantNow + duration)
        }
        if let endpoint = model.endpointIndex(named: fault.target) {
            applyEndpointFault(index, to: endpoint, active: true)
            return
        }
        for instance in instanceIndices(named: fault.target) {
            switch fault.kind {
            case .crash:
                crash(instance, reason: "crashed by a fault", cause: "faultStarted crash")
            case .leak(let perRequest, let perSecond):
                instances[instance].leakPerRequest += perRequest
                let wasLeaking = instances[instance].leakPerSecond > 0
                instances[instance].leakPerSecond += perSecond
                if perSecond > 0 && !wasLeaking && instances[instance].state == .up { scheduleLeak(instance) }
            case .slow, .hang, .error:
                instances[instance].work.startFault(Int32(index), fault)
            default:
                break
            }
        }
    }

    func endFault(_ index: Int) {
        let fault = model.faults[index]
        record(fault.target, "faultEnded", fault.kindName, cause: "faultStarted \(fault.kindName)")
        if let endpoint = model.endpointIndex(named: fault.target) {
            applyEndpointFault(index, to: endpoint, active: false)
            return
        }
        for instance in instanceIndices(named: fault.target) {
            switch fault.kind {
            case .leak(let perRequest, let perSecond):
                instances[instance].leakPerRequest -= perRequest
                instances[instance].leakPerSecond -= perSecond
            case .slow, .hang, .error:
                endWorkFault(index, on: instance)
            default:
                break
            }
        }
    }

    /// Starts or ends a fault on an endpoint.
    ///
    /// Faults that overlap act over the union of their windows: the endpoint keeps the list of its
    /// active faults and derives its state from all of them, so one ending leaves the others on.
    /// `slow` factors multiply; the `latency` fault and the `error` fault that started last decide
    /// the latency and whether errors wait for it.
    private func applyEndpointFault(_ index: Int, to endpoint: Int, active: Bool) {
        if case .failover(let staleDelay) = model.faults[index].kind {
            guard active else { return }
            endpoints[endpoint].staleDelay = staleDelay
            markConnectionsStale(to: endpoint)
            return
        }
        if active {
            endpoints[endpoint].activeFaults.append(Int32(index))
        } else {
            endpoints[endpoint].activeFaults.removeAll { $0 == Int32(index) }
        }
        var state = endpoints[endpoint]
        state.slowFactor = 1
        state.latencyOverride = nil
        state.isHanging = false
        state.isRefusing = false
        state.isBlackholed = false
        state.errors = (false, false)
        for fault in state.activeFaults {
            switch model.faults[Int(fault)].kind {
            case .slow(let factor): state.slowFactor *= factor
            case .latency(let distribution): state.latencyOverride = distribution
            case .hang: state.isHanging = true
            case .refuse: state.isRefusing = true
            case .error(let afterLatency): state.errors = (true, afterLatency)
            case .blackhole: state.isBlackholed = true
            case .failover, .crash, .leak, .spike: break
            }
        }
        endpoints[endpoint] = state
    }

    /// Every open pooled connection to an endpoint becomes half-dead.
    private func markConnectionsStale(to endpoint: Int) {
        var count = 0
        for service in services.indices {
            for (dependency, target) in services[service].dependencyTargets.enumerated() where target.endpoint == Int32(endpoint) {
                // Only running instances have open connections; one that is down opens fresh ones when it starts.
                for instance in services[service].instances where instances[instance].pools[dependency] != nil && instances[instance].state == .up {
                    let size = Int(instances[instance].pools[dependency]!.size)
                    for connection in 0..<size { instances[instance].pools[dependency]!.isStale[connection] = true }
                    count += size - Int(instances[instance].pools[dependency]!.leaked)
                }
            }
        }
        record(model.endpoints[endpoint].name, "connectionsStale", "\(count) pooled connections left half-dead", cause: "faultStarted failover")
    }
}
