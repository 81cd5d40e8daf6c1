import SimulationKernel

extension ChainSimulation {
    /// The balancer's choice of instance for a request, or −1 when no instance is admitted.
    ///
    /// - Parameter sticky: The instance holding the client's session, preferred while admitted.
    func pickInstance(of service: Int, preferring sticky: Int32) -> Int32 {
        let count = services[service].admitted.count
        guard count > 0 else { return -1 }
        if sticky >= 0, instances[Int(sticky)].isAdmitted, Int(instances[Int(sticky)].service) == service { return sticky }
        let strategy = services[service].strategy
        if strategy == .roundRobin {
            var cursor = services[service].cursor
            if cursor >= count { cursor = 0 }
            services[service].cursor = cursor + 1
            return services[service].admitted[cursor]
        }
        let admitted = services[service].admitted
        switch strategy {
        case .roundRobin:
            return admitted[0]
        case .random:
            return admitted[Int(services[service].balancerStream.next(below: UInt64(admitted.count)))]
        case .leastOutstanding:
            var best = admitted[0]
            for candidate in admitted.dropFirst() where instances[Int(candidate)].outstanding < instances[Int(best)].outstanding {
                best = candidate
            }
            return best
        case .powerOfTwo:
            if admitted.count == 1 { return admitted[0] }
            let first = Int(services[service].balancerStream.next(below: UInt64(admitted.count)))
            var second = Int(services[service].balancerStream.next(below: UInt64(admitted.count - 1)))
            if second >= first { second += 1 }
            let a = admitted[first], b = admitted[second]
            return instances[Int(b)].outstanding < instances[Int(a)].outstanding ? b : a
        }
    }

    /// A health probe of an instance is due: it goes to the checked entry point like a request.
    func probe(_ instance: Int) {
        let service = Int(instances[instance].service)
        guard let check = services[service].spec.balancer.healthCheck else { return }
        eventQueue.schedule(.probeDue(instance: Int32(instance)), at: instantNow + check.interval)
        instances[instance].probeToken &+= 1
        let token = instances[instance].probeToken
        eventQueue.schedule(.probeEnded(instance: Int32(instance), token: token, success: false), at: instantNow + check.timeout)
        instances[instance].lastProbeFailure = "timeout"
        guard instances[instance].state == .up else {
            instances[instance].lastProbeFailure = "refused"
            eventQueue.schedule(.probeEnded(instance: Int32(instance), token: token, success: false), at: instantNow)
            return
        }
        if let threshold = check.busyThreshold {
            // Handshaking: a busy instance says so, and the balancer sends work elsewhere.
            let pool = Int(entryStates[Int(instances[instance].firstEntry) + check.entryPoint].pool)
            if Double(threadPools[pool].busy) >= threshold * Double(threadPools[pool].threads) {
                instances[instance].lastProbeFailure = "busy"
                eventQueue.schedule(.probeEnded(instance: Int32(instance), token: token, success: false), at: instantNow)
                return
            }
        }
        let origin = Origin(kind: .probe, id: Int32(instance), token: token)
        arrive(at: instance, entry: check.entryPoint, origin: origin, session: 0, isShallowProbe: check.kind == .shallow)
    }

    /// A probe's answer, or its timeout: the first to come counts.
    func probeEnded(_ instance: Int, token: UInt32, success: Bool) {
        guard instances[instance].probeToken == token else { return }
        instances[instance].probeToken &+= 1  // later answers to this probe are ignored
        let service = Int(instances[instance].service)
        guard let check = services[service].spec.balancer.healthCheck else { return }
        if success {
            instances[instance].consecutiveSuccesses += 1
            instances[instance].consecutiveFailures = 0
            if !instances[instance].isAdmitted && !instances[instance].isDraining && instances[instance].state == .up
                && instances[instance].consecutiveSuccesses >= check.healthyThreshold {
                setAdmitted(instance, true, cause: "healthCheckPassed \(instances[instance].consecutiveSuccesses)x")
            }
        } else {
            instances[instance].consecutiveFailures += 1
            instances[instance].consecutiveSuccesses = 0
            if instances[instance].isAdmitted && instances[instance].consecutiveFailures >= check.unhealthyThreshold {
                setAdmitted(instance, false, cause: "healthCheckFailed \(instances[instance].consecutiveFailures)x (\(instances[instance].lastProbeFailure))")
            }
        }
    }

    func setAdmitted(_ instance: Int, _ isAdmitted: Bool, cause: String) {
        instances[instance].isAdmitted = isAdmitted
        let service = Int(instances[instance].service)
        services[service].admitted = services[service].instances.filter { instances[$0].isAdmitted }.map { Int32($0) }
        record(instances[instance].name, isAdmitted ? "instanceReadmitted" : "instanceEjected",
               "\(services[service].admitted.count) of \(services[service].instances.count) admitted", cause: cause)
    }
}
