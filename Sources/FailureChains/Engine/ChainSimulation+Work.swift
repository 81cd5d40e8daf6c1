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
    func startWork(_ request: Int32, on instance: Int, distribution: Int) {
        let base = distributions[distribution].sample(using: &instances[instance].work.stream)
        let seconds = base * cpuStretch(instance)
        eventQueue.schedule(.cpuDone(request: request, generation: requests[Int(request)].generation),
                            at: instantNow + Interval.sampled(seconds: seconds))
    }

    /// How many times its base time CPU work takes now on an instance, as its `work` says from
    /// the heap's garbage collection share, the instance's warm-up and its busy threads.
    @inline(__always)
    func cpuStretch(_ instance: Int) -> Double {
        var gcShare = 0.0
        if let heap = instances[instance].heap { gcShare = heap.gcShare(occupancy: occupancy(of: instance, heap: heap)) }
        let busy = instances[instance].work.isLoadDependent ? busyThreads(of: instance) : 1
        return instances[instance].work.stretch(gcShare: gcShare, warmUntil: instances[instance].warmUntil, busyThreads: busy, at: now)
    }

    /// The busy threads of an instance, over all its entry points.
    func busyThreads(of instance: Int) -> Int32 {
        var busy: Int32 = 0
        for entry in 0..<Int(instances[instance].entryCount) { busy &+= entryStates[Int(instances[instance].firstEntry) + entry].busy }
        return busy
    }
}
