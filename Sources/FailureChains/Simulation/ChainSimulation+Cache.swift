import SimulationKernel

extension ChainSimulation {
    /// Where an instance's cache of a dependency (compiled at `compiled`) is in the cache table.
    @inline(__always)
    func cacheIndex(_ instance: InstanceID, compiled: CompiledDependencyID) -> CacheID {
        compiledDependencies[compiled].cache.advanced(by: services[instances[instance].service].instances.lowerBound.distance(to: instance))
    }

    /// A request's step calls a dependency with a cache: it draws its key and looks it up. A hit
    /// answers at once; a miss calls the dependency (the call fills the entry); under single-flight
    /// a miss on a key another request is filling waits for that fill.
    ///
    /// - Returns: Whether the request has its answer and goes on with its next step now.
    func lookUpCache(_ request: RequestID, dependency: Int) -> Bool {
        let index = request
        let instance = requests[index].instance
        let cache = cacheIndex(instance, compiled: compiledDependency(instance, dependency))
        let key = caches[cache].nextKey()
        reserveExtras(request)
        let waiter = Cache.Waiter(request, generation: requests[index].generation)
        switch caches[cache].lookUp(key, waiter: waiter, at: now, pastWarmup: isPastWarmup) {
        case .hit:
            return true
        case .fill(let isRegistered):
            requestExtras[index].cacheFill = isRegistered ? ~key : key
            startCall(request, dependency: dependency)
            return false
        case .wait:
            // The thread waits as on a call to the dependency, until the fill ends.
            requests[index].callDependency = Int32(dependency)
            setActivity(of: request, to: callSlot(dependency))
            return false
        }
    }

    /// A call that fills a cache entry ended (after its retries): a success fills the entry, and
    /// the requests waiting for this fill hear of it at this instant.
    ///
    /// - Returns: Whether the request is answered from the entry although its call failed: a
    ///   failed early refresh of a fresh entry, or a stale entry with `staleOnError`.
    func cacheFillEnded(_ request: RequestID, instance: InstanceID, compiled: CompiledDependencyID, outcome: Outcome) -> Bool {
        let index = request
        let cache = cacheIndex(instance, compiled: compiled)
        let fill = requestExtras[index].cacheFill
        let isRegistered = fill < 0
        let key = isRegistered ? ~fill : fill
        let pastWarmup = isPastWarmup
        if outcome == .success {
            // A breaker's fallback answers the request, but is not the dependency's value to keep.
            let keepsValue = requests[index].reachedTarget
            if keepsValue {
                caches[cache].fillSucceeded(key, isRegistered: isRegistered, at: now, pastWarmup: pastWarmup) { waiter in
                    eventQueue.schedule(.request(.cacheAnswered(request: waiter.request, generation: waiter.generation)), at: instantNow)
                }
            } else {
                _ = caches[cache].fillFailed(key, isRegistered: isRegistered, at: now, pastWarmup: pastWarmup) { waiter, _ in
                    eventQueue.schedule(.request(.cacheAnswered(request: waiter.request, generation: waiter.generation)), at: instantNow)
                }
            }
            return false
        }
        return caches[cache].fillFailed(key, isRegistered: isRegistered, at: now, pastWarmup: pastWarmup) { waiter, answers in
            let event: RequestEvent = answers
                ? .cacheAnswered(request: waiter.request, generation: waiter.generation)
                : .cacheFailed(request: waiter.request, generation: waiter.generation)
            eventQueue.schedule(.request(event), at: instantNow)
        }
    }

    /// Empties an instance's caches: a `flush` fault. Fills in flight still land.
    func flushCaches(of instance: InstanceID) {
        let service = instances[instance].service
        let first = services[service].firstDependency
        for dependency in services[service].spec.dependencies.indices where !compiledDependencies[first, offset: dependency].cache.isNone {
            caches[cacheIndex(instance, compiled: first.advanced(by: dependency))].flush()
        }
    }

    /// Empties an instance's caches and forgets their waiters: the instance crashed, so it restarts cold.
    func resetCaches(of instance: InstanceID) {
        let service = instances[instance].service
        let first = services[service].firstDependency
        for dependency in services[service].spec.dependencies.indices where !compiledDependencies[first, offset: dependency].cache.isNone {
            caches[cacheIndex(instance, compiled: first.advanced(by: dependency))].reset()
        }
    }

    /// The cache counters of some instances of a service for one dependency, summed, with the
    /// entries they hold; nil when the dependency has no cache.
    func cacheCounters(of group: [InstanceID], dependency: Int, interval: Bool) -> (counters: Cache.Counters, entries: Int64)? {
        guard let first = group.first else { return nil }
        let compiled = compiledDependency(first, dependency)
        guard !compiledDependencies[compiled].cache.isNone else { return nil }
        var sum = Cache.Counters()
        var entries: Int64 = 0
        for instance in group {
            let cache = cacheIndex(instance, compiled: compiled)
            sum.add(interval ? caches[cache].interval : caches[cache].total)
            entries += Int64(caches[cache].count)
        }
        return (sum, entries)
    }

    /// Starts the next interval's cache counters of an instance.
    func startCacheInterval(of instance: InstanceID) {
        let service = instances[instance].service
        let first = services[service].firstDependency
        for dependency in services[service].spec.dependencies.indices where !compiledDependencies[first, offset: dependency].cache.isNone {
            caches[cacheIndex(instance, compiled: first.advanced(by: dependency))].interval = Cache.Counters()
        }
    }
}
