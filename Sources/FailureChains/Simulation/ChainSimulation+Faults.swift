import SimulationKernel

extension ChainSimulation {
    /// Runs a fault's event: its window opens or closes.
    @inline(__always)
    func handle(_ event: FaultEvent) {
        switch event {
        case .starts(let fault): startFault(fault)
        case .ends(let fault): endFault(fault)
        }
    }

    /// The instances a fault target names: one instance (`cf[2]`) or every instance of a service.
    func instances(named target: String) -> [InstanceID] {
        if let service = model.serviceIndex(named: target) { return Array(services[ServiceID(service)].instances) }
        return instances.ids.filter { instances[$0].name == target }
    }

    func startFault(_ index: FaultID) {
        let fault = model.faults[index.index]
        let detail: EventText = fault.duration.map { "\(fault.kindName) for \(duration: $0)" } ?? "\(fault.kindName)"
        record(fault.target, "faultStarted", detail, cause: "scheduled fault")
        if let duration = fault.duration {
            eventQueue.schedule(.fault(.ends(fault: index)), at: instantNow + duration)
        }
        if let endpoint = model.endpointIndex(named: fault.target) {
            applyEndpointFault(index, to: EndpointID(endpoint), active: true)
            return
        }
        if case .misread(let factor) = fault.kind, let service = model.serviceIndex(named: fault.target) {
            services[ServiceID(service)].autoscaler.startMisreading(fault: index.rawValue, factor: factor)
            return
        }
        for instance in instances(named: fault.target) {
            switch fault.kind {
            case .crash:
                crash(instance, reason: "crashed by a fault", cause: "faultStarted crash")
            case .leak(let perRequest, let perSecond):
                instances[instance].memory.leakPerRequest += perRequest
                let wasLeaking = instances[instance].memory.leakPerSecond > 0
                instances[instance].memory.leakPerSecond += perSecond
                if perSecond > 0 && !wasLeaking && instances[instance].state == .up { scheduleLeak(instance) }
            case .slow, .hang, .error:
                instances[instance].work.startFault(index.rawValue, fault)
            case .flush:
                flushCaches(of: instance)
            default:
                break
            }
        }
    }

    func endFault(_ index: FaultID) {
        let fault = model.faults[index.index]
        record(fault.target, "faultEnded", "\(fault.kindName)", cause: "faultStarted \(fault.kindName)")
        if let endpoint = model.endpointIndex(named: fault.target) {
            applyEndpointFault(index, to: EndpointID(endpoint), active: false)
            return
        }
        if case .misread = fault.kind, let service = model.serviceIndex(named: fault.target) {
            services[ServiceID(service)].autoscaler.endMisreading(fault: index.rawValue)
            return
        }
        for instance in instances(named: fault.target) {
            switch fault.kind {
            case .leak(let perRequest, let perSecond):
                instances[instance].memory.leakPerRequest -= perRequest
                instances[instance].memory.leakPerSecond -= perSecond
            case .slow, .hang, .error:
                endWorkFault(index, on: instance)
            default:
                break
            }
        }
    }

    /// Starts or ends a fault on an endpoint; a failover leaves the open connections to it half-dead.
    private func applyEndpointFault(_ index: FaultID, to endpoint: EndpointID, active: Bool) {
        let kind = model.faults[index.index].kind
        if active {
            if endpoints[endpoint].startFault(index.rawValue, kind) { markConnectionsStale(to: endpoint) }
        } else {
            endpoints[endpoint].endFault(index.rawValue, kind)
        }
    }

    /// Every open pooled connection to an endpoint becomes half-dead.
    private func markConnectionsStale(to endpoint: EndpointID) {
        var count = 0
        for service in services.ids {
            let first = services[service].firstDependency
            for dependency in services[service].spec.dependencies.indices where compiledDependencies[first, offset: dependency].endpoint == endpoint {
                // Only running instances have open connections; one that is down opens fresh ones when it starts.
                for instance in services[service].instances where hasPool(instance, dependency) && instances[instance].state == .up {
                    count += Int(connectionPools[dependencySlot(instance, dependency)].markAllStale())
                }
            }
        }
        record(endpoints[endpoint].spec.name, "connectionsStale", "\(count) pooled connections left half-dead", cause: "faultStarted failover")
    }
}
