import SimulationKernel

extension ChainSimulation {
    /// The balancer's choice of instance for a request, or `InstanceID.none` when no instance is admitted.
    ///
    /// - Parameter sticky: The instance holding the client's session, preferred while admitted.
    ///
    /// Inlined into `route` and `routeThroughAdmission`, which have the service's index at hand:
    /// a call costs its own conversion of a 32-bit ID to an index, an instruction a request.
    @inline(__always)
    func pickInstance(of service: ServiceID, preferring sticky: InstanceID) -> InstanceID {
        guard !services[service].balancer.admitted.isEmpty else { return .none }
        if !sticky.isNone, instances[sticky].isAdmitted, instances[sticky].service == service { return sticky }
        return services[service].balancer.pick(by: OutstandingRequests(instances: instances))
    }

    /// A health probe of an instance is due: it goes to the checked entry point like a request.
    func probe(_ instance: InstanceID) {
        let service = instances[instance].service
        guard let check = services[service].spec.balancer.healthCheck else { return }
        eventQueue.schedule(.instance(.probeDue(instance: instance)), at: instantNow + check.interval)
        let token = instances[instance].health.startProbe()
        eventQueue.schedule(.instance(.probeFailed(instance: instance, token: token)), at: instantNow + check.timeout)
        guard instances[instance].state == .up else {
            instances[instance].health.noteFailure(.refused, token: token)
            eventQueue.schedule(.instance(.probeFailed(instance: instance, token: token)), at: instantNow)
            return
        }
        if let threshold = check.busyThreshold {
            // Handshaking: a busy instance says so, and the balancer sends work elsewhere.
            let pool = entryStates[entrySlot(instance, check.entryPoint)].pool
            if Double(threadPools[pool].busy) >= threshold * Double(threadPools[pool].threads) {
                instances[instance].health.noteFailure(.busy, token: token)
                eventQueue.schedule(.instance(.probeFailed(instance: instance, token: token)), at: instantNow)
                return
            }
        }
        let origin = Origin.probe(of: instance, token: token)
        arrive(at: instance, entry: check.entryPoint, origin: origin, session: 0, isShallowProbe: check.kind == .shallow)
    }

    /// A probe's answer, or its timeout: the first to come counts.
    func probeEnded(_ instance: InstanceID, token: UInt32, success: Bool) {
        switch instances[instance].health.probeEnded(token: token, success: success) {
        case .stale, .counted:
            return
        case .healthy(let consecutive):
            if !instances[instance].isAdmitted && !instances[instance].isDraining && instances[instance].state == .up {
                setAdmitted(instance, true, cause: "healthCheckPassed \(consecutive)x")
            }
        case .unhealthy(let consecutive, let failure):
            if instances[instance].isAdmitted {
                setAdmitted(instance, false, cause: "healthCheckFailed \(consecutive)x (\(Self.cause(of: failure)))")
            }
        }
    }

    /// How a probe's failure is named in the cause of an ejection.
    private static func cause(of failure: HealthCheck.Failure) -> String {
        switch failure {
        case .timeout: "timeout"
        case .refused: "refused"
        case .busy: "busy"
        case .answered(let outcome): "\(outcome)"
        }
    }

    func setAdmitted(_ instance: InstanceID, _ isAdmitted: Bool, cause: EventText) {
        instances[instance].isAdmitted = isAdmitted
        let service = instances[instance].service
        if isAdmitted {
            services[service].balancer.admit(instance)
        } else {
            services[service].balancer.eject(instance)
        }
        record(instances[instance].name, isAdmitted ? "instanceReadmitted" : "instanceEjected",
               "\(services[service].balancer.admitted.count) of \(services[service].instances.count) admitted", cause: cause)
    }
}

/// The instances' requests in flight, as the balancer compares them.
struct OutstandingRequests: InstanceLoads {
    let instances: IDTable<InstanceID, InstanceRuntime>

    @inline(__always)
    func outstanding(of instance: InstanceID) -> Int32 { instances[instance].outstanding }
}
