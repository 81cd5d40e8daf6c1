import SimulationKernel

extension ChainSimulation {
    /// A request reaches a service: the balancer picks an instance, which serves, queues or refuses it.
    @inline(__always)
    func admit(origin: Int32, to service: Int32, at now: Int64) {
        let serviceIndex = Int(service)
        let range = services[serviceIndex].instances
        let instance = range.lowerBound + services[serviceIndex].nextInstance
        services[serviceIndex].nextInstance += 1
        if services[serviceIndex].nextInstance == range.count { services[serviceIndex].nextInstance = 0 }

        instances[instance].interval.offered &+= 1
        if isPastWarmup { instances[instance].total.offered &+= 1 }
        if instances[instance].busy < instances[instance].threads {
            instances[instance].settle(at: now, isPastWarmup: isPastWarmup)
            instances[instance].busy &+= 1
            let request = requests.insert(.init(arrival: now, serviceStart: now, instance: Int32(instance), origin: origin))
            startService(of: request, on: instance, at: now, waited: 0)
        } else if instances[instance].waiting.count < instances[instance].queueCapacity {
            instances[instance].settle(at: now, isPastWarmup: isPastWarmup)
            let request = requests.insert(.init(arrival: now, serviceStart: now, instance: Int32(instance), origin: origin))
            instances[instance].waiting.append(request)
            if instances[instance].waiting.count == instances[instance].queueCapacity, !instances[instance].isQueueFull {
                instances[instance].isQueueFull = true
                sink.stateChanged(StateChange(time: Instant(nanoseconds: now), component: instances[instance].name,
                    event: "queueFilled", detail: "capacity \(instances[instance].queueCapacity)"))
            }
        } else {
            instances[instance].interval.refused &+= 1
            instances[instance].refusedWhileFull &+= 1
            if isPastWarmup { instances[instance].total.refused &+= 1 }
            notifyOrigin(origin, latency: 0, refused: true, at: now)
        }
    }

    /// Gives a request its thread: records its wait and schedules the end of its service.
    @inline(__always)
    func startService(of request: Int32, on instance: Int, at now: Int64, waited: Int64) {
        requests[request].serviceStart = now
        instances[instance].interval.started &+= 1
        instances[instance].interval.waitSum += Double(waited)
        if waited > 0 { instances[instance].interval.waited &+= 1 }
        if isPastWarmup {
            instances[instance].total.started &+= 1
            instances[instance].total.waitSum += Double(waited)
            if waited > 0 { instances[instance].total.waited &+= 1 }
            services[Int(instances[instance].service)].totalWait.record(waited)
        }
        let service = Int(instances[instance].service)
        let seconds = services[service].spec.serviceTime.sample(using: &instances[instance].serviceTimeStream)
        eventQueue.schedule(.serviceCompleted(request: request),
                            at: Instant(nanoseconds: now) + Interval.sampled(seconds: seconds))
    }

    /// A request's service ends: it completes, and its thread takes the oldest waiting request.
    @inline(__always)
    func complete(_ request: Int32, at now: Int64) {
        let record = requests[request]
        let instance = Int(record.instance)
        let service = Int(instances[instance].service)
        let latency = now &- record.arrival
        instances[instance].interval.completed &+= 1
        instances[instance].interval.latencySum += Double(latency)
        instances[instance].intervalLatency.record(latency)
        if isPastWarmup {
            instances[instance].total.completed &+= 1
            instances[instance].total.latencySum += Double(latency)
            services[service].totalLatency.record(latency)
        }
        requests.remove(request)

        instances[instance].settle(at: now, isPastWarmup: isPastWarmup)
        if let next = instances[instance].waiting.popFirst() {
            if instances[instance].isQueueFull, instances[instance].waiting.count * 2 <= instances[instance].queueCapacity {
                // Hysteresis: the queue counts as recovered once it is back to half its capacity.
                instances[instance].isQueueFull = false
                sink.stateChanged(StateChange(time: Instant(nanoseconds: now), component: instances[instance].name,
                    event: "queueRecovered", detail: "\(instances[instance].waiting.count) waiting; \(instances[instance].refusedWhileFull) refused while full",
                    cause: "queueFilled"))
                instances[instance].refusedWhileFull = 0
            }
            startService(of: next, on: instance, at: now, waited: now &- requests[next].arrival)
        } else {
            instances[instance].busy &-= 1
        }
        notifyOrigin(record.origin, latency: latency, refused: false, at: now)

        completedCount &+= 1
        if completedCount >= completionLimit { isStopRequested = true }
    }
}
