import SimulationKernel

extension ChainSimulation {
    /// Starts a CPU step of a request on its instance: draws the step's base time from the
    /// instance's `serviceTime` stream, stretches it, and schedules its end.
    ///
    /// - Parameters:
    ///   - request: The request, holding a thread of `instance`.
    ///   - instance: Its instance.
    ///   - distribution: The step's distribution, an index into `distributions`.
    @inline(__always)
    func startWork(_ request: RequestID, on instance: InstanceID, distribution: Int) {
        let base = distributions[distribution].sample(using: &instances[instance].work.stream)
        guard instances[instance].work.isPlain else {
            startLoadedWork(request, on: instance, base: base)
            return
        }
        let seconds = base * plainStretch(instance)
        eventQueue.schedule(.request(.cpuDone(request: request, generation: requests[request].generation)),
                            at: instantNow + Interval.sampled(seconds: seconds))
    }

    /// Starts a CPU step on an instance whose work a scalability law or a fault also stretches,
    /// hangs or fails.
    @inline(never)
    private func startLoadedWork(_ request: RequestID, on instance: InstanceID, base: Double) {
        let duration = Interval.sampled(seconds: base * cpuStretch(instance))
        let generation = requests[request].generation
        guard instances[instance].work.isDisturbed else {
            eventQueue.schedule(.request(.cpuDone(request: request, generation: generation)), at: instantNow + duration)
            return
        }
        switch instances[instance].work.fate() {
        case .runs:
            eventQueue.schedule(.request(.cpuDone(request: request, generation: generation)), at: instantNow + duration)
        case .fails(let afterWork):
            // An event even at once, so that a run of failures never recurses through the queue.
            eventQueue.schedule(.request(.cpuFailed(request: request, generation: generation)), at: afterWork ? instantNow + duration : instantNow)
        case .hangs:
            // Each live held step holds a thread: more held steps than threads means some are gone.
            let threads = services[instances[instance].service].spec.threadsPerInstance
            if instances[instance].work.hung.count >= threads {
                instances[instance].work.dropHeld { !self.isCurrent($0.request, $0.generation) }
            }
            instances[instance].work.hold(ServiceWork.HungStep(request: request, generation: generation, duration: duration))
        }
    }

    /// A `slow`, `hang` or `error` fault on an instance's work ends: steps a hang held, whose
    /// requests still wait, take their time from now.
    func endWorkFault(_ fault: FaultID, on instance: InstanceID) {
        for step in instances[instance].work.endFault(fault.rawValue) where isCurrent(step.request, step.generation) {
            eventQueue.schedule(.request(.cpuDone(request: step.request, generation: step.generation)), at: instantNow + step.duration)
        }
    }

    /// How many times its base time CPU work takes now on an instance, as its `work` says from
    /// the heap's garbage collection share, the instance's warm-up and its busy threads.
    @inline(__always)
    func cpuStretch(_ instance: InstanceID) -> Double {
        let stretch = plainStretch(instance)
        guard !instances[instance].work.isPlain else { return stretch }
        let busy = instances[instance].work.isLoadDependent ? busyThreads(of: instance) : 1
        return stretch * instances[instance].work.loadAndFaultStretch(busyThreads: busy)
    }

    /// The stretch of garbage collection and warm-up on an instance, all of it when its work `isPlain`.
    @inline(__always)
    func plainStretch(_ instance: InstanceID) -> Double {
        var gcShare = 0.0
        if instances[instance].hasHeap, let heap = instances[instance].heap { gcShare = heap.gcShare(occupancy: occupancy(of: instance, heap: heap)) }
        return instances[instance].work.plainStretch(gcShare: gcShare, warmUntil: instances[instance].warmUntil, at: now)
    }

    /// The busy threads of an instance, over all its thread pools.
    func busyThreads(of instance: InstanceID) -> Int32 {
        var busy: Int32 = 0
        for pool in 0..<Int(instances[instance].poolCount) { busy &+= threadPools[instances[instance].firstPool, offset: pool].busy }
        return busy
    }
}
