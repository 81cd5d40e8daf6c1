import SimulationKernel

extension ChainSimulation {
    /// Runs an event of the run's own clock: a series interval or the warm-up ends.
    @inline(__always)
    func handle(_ event: RunEvent, at time: Instant) {
        switch event {
        case .intervalEnded:
            // The interval that ends with the run is closed by `finish`, after every event due at
            // the end has run: events scheduled after this one for that instant still count in it.
            if time < Instant.zero + model.run.duration { reportInterval(endingAt: time) }
            eventQueue.schedule(.run(.intervalEnded), at: time + model.run.interval)
        case .warmupEnded: endWarmup(at: time)
        }
    }

    /// Sends the rows of the interval that ends now to the sink and starts the next interval.
    func reportInterval(endingAt time: Instant) {
        let span = time - intervalStart
        guard span > .zero else { return }
        now = time.nanoseconds
        let seconds = Double(span.nanoseconds)
        // As many rows as the last interval had (the same components report each interval); the
        // first interval extrapolates from each service's first instance instead, so that a farm
        // of 10,000 instances does not copy its rows at every doubling.
        var rows: [MetricRow] = []
        rows.reserveCapacity(intervalRowsReserved)
        for serviceIndex in services.ids {
            let spec = services[serviceIndex].spec
            let range = services[serviceIndex].instances
            for instance in range { settle(instance) }
            var counters = services[serviceIndex].unrouted.interval
            services[serviceIndex].unrouted.interval = Counters()
            var latency = LatencyHistogram()
            for instance in range {
                counters.add(instances[instance].counters.interval)
                latency.merge(instances[instance].intervalLatency)
            }
            latency.consolidate()  // sorted once for its three percentiles
            if warmupIsAligned && intervalStart.nanoseconds >= model.run.warmup.nanoseconds {
                services[serviceIndex].totalLatency.merge(latency)
            }
            appendCounterRows(to: &rows, component: spec.name, counters, latency: latency, locks: !services[serviceIndex].lockNames.isEmpty)
            appendLevelRows(to: &rows, component: spec.name, instances: Array(range), span: seconds, interval: true)
            rows.append(MetricRow(component: spec.name, metric: "instancesUp", value: .count(Int64(range.filter { instances[$0].state == .up }.count))))
            if spec.balancer.healthCheck != nil {
                rows.append(MetricRow(component: spec.name, metric: "instancesAdmitted", value: .count(Int64(services[serviceIndex].balancer.admitted.count))))
            }
            if services[serviceIndex].hasAdmission {
                rows.append(MetricRow(component: spec.name, metric: "rateLimited", value: .count(counters.rateLimited)))
                rows.append(MetricRow(component: spec.name, metric: "concurrencyLimited", value: .count(counters.concurrencyLimited)))
            }
            let firstInstanceRows = rows.count
            for instance in range {
                let name = instances[instance].name
                // Sorted once, just before its three percentiles read it (a farm's instance is out of the caches).
                instances[instance].intervalLatency.consolidate()
                appendCounterRows(to: &rows, component: name, instances[instance].counters.interval, latency: instances[instance].intervalLatency,
                                  locks: !services[serviceIndex].lockNames.isEmpty)
                appendLevelRows(to: &rows, component: name, instances: [instance], span: seconds, interval: true)
                rows.append(MetricRow(component: name, metric: "up", value: .count(instances[instance].state == .up ? 1 : 0)))
                if spec.balancer.healthCheck != nil {
                    rows.append(MetricRow(component: name, metric: "admitted", value: .count(instances[instance].isAdmitted ? 1 : 0)))
                }
                if instance == range.lowerBound && intervalRowsReserved == 0 {
                    rows.reserveCapacity(rows.count + (rows.count - firstInstanceRows) * (range.count - 1))
                }
                instances[instance].counters.interval = Counters()
                instances[instance].intervalLatency.reset()
                for pool in 0..<Int(instances[instance].poolCount) { threadPools[instances[instance].firstPool, offset: pool].startInterval() }
                if instances[instance].hasSharedPools {
                    for entry in 0..<Int(instances[instance].entryCount) {
                        entryStates[entrySlot(instance, entry)].busyArea.interval = 0
                        entryStates[entrySlot(instance, entry)].queueArea.interval = 0
                    }
                }
                for slot in 0..<Int(instances[instance].slotCount) { slotStates[Int(instances[instance].firstSlot) + slot].area.interval = 0 }
                for dependency in 0..<Int(instances[instance].dependencyCount) { dependencyStates[dependencySlot(instance, dependency)].startInterval() }
                if hasCaches { startCacheInterval(of: instance) }
                instances[instance].memory.gcArea.interval = 0
            }
        }
        noteRecoveredPools()
        noteSaturatedEntries()
        for index in endpoints.ids {
            appendCallRows(to: &rows, component: endpoints[index].spec.name, endpoints[index].counters.interval)
            endpoints[index].counters.interval = Counters()
            if endpoints[index].hasCapacity { reportCapacity(of: index, to: &rows, span: seconds) }
        }
        for queue in messageQueues.ids { reportMessageQueue(queue, to: &rows, span: span.nanoseconds) }
        reportLocks(to: &rows, span: seconds)
        for source in sources.ids {
            appendTrafficRows(to: &rows, component: sources[source].spec.name, sources[source].counters.interval,
                              hasRetry: sources[source].retry != nil)
            sources[source].counters.interval = Counters()
        }
        for population in populations.ids {
            appendTrafficRows(to: &rows, component: populations[population].spec.name, populations[population].counters.interval,
                              hasRetry: populations[population].retry != nil)
            populations[population].counters.interval = Counters()
        }
        intervalRowsReserved = rows.count
        if admitSeriesRows(rows.count) { sink.intervalEnded(start: intervalStart, rows: rows) }
        checkMemory()
        intervalStart = time
    }

    /// Ends the series interval of every pool, recording those that recovered from exhaustion.
    private func noteRecoveredPools() {
        for instance in instances.ids {
            for dependency in 0..<Int(instances[instance].dependencyCount) where hasPool(instance, dependency) {
                if connectionPools[dependencySlot(instance, dependency)].endInterval() {
                    let name = services[instances[instance].service].spec.dependencies[dependency].name
                    record(instances[instance].name, "poolRecovered", "\(name): connections idle, and no checkout waited for a whole interval", cause: "poolExhausted")
                }
            }
        }
    }

    /// Thread pools whose threads have all been busy for a whole series interval, and whose
    /// queue has not been reached since (no arrival to notice it), are recorded now.
    private func noteSaturatedEntries() {
        let interval = model.run.interval.nanoseconds
        for instance in instances.ids where instances[instance].state == .up {
            for place in 0..<Int(instances[instance].poolCount) {
                let pool = instances[instance].firstPool.advanced(by: place)
                if threadPools[pool].isSaturationOverdue(at: now, interval: interval) { noteSaturation(instance, pool: pool) }
            }
        }
    }

    /// The rows that count how requests ended, the same for services, instances and traffic.
    private func appendOutcomeRows(to rows: inout [MetricRow], component: String, _ counters: Counters) {
        func add(_ metric: String, _ value: Int64) { rows.append(MetricRow(component: component, metric: metric, value: .count(value))) }
        add("offered", counters.offered)
        add("completed", counters.completed)
        add("goodput", counters.goodput)
        add("refused", counters.refused)
        add("timedOut", counters.timedOut)
        add("failed", counters.failed)
        add("checkoutTimeouts", counters.checkoutTimeouts)
        add("aborted", counters.aborted)
        add("rejected", counters.rejected)
        add("shed", counters.shed)
    }

    private func appendCounterRows(to rows: inout [MetricRow], component: String, _ counters: Counters, latency: LatencyHistogram, locks: Bool) {
        appendOutcomeRows(to: &rows, component: component, counters)
        rows.append(MetricRow(component: component, metric: "errors", value: .count(counters.errors)))
        rows.append(MetricRow(component: component, metric: "wasted", value: .count(counters.wasted)))
        if locks { rows.append(MetricRow(component: component, metric: "lockTimeouts", value: .count(counters.lockTimeouts))) }
        if counters.completed > 0 {
            rows.append(MetricRow(component: component, metric: "latencyMean", value: .real(counters.latencySum / Double(counters.completed) / 1e9)))
            rows.append(MetricRow(component: component, metric: "latencyP50", value: .real(Double(latency.percentile(50)) / 1e9)))
            rows.append(MetricRow(component: component, metric: "latencyP95", value: .real(Double(latency.percentile(95)) / 1e9)))
            rows.append(MetricRow(component: component, metric: "latencyP99", value: .real(Double(latency.percentile(99)) / 1e9)))
        }
    }

    /// Time-averaged levels (threads, queues, what threads wait on, GC) and end-of-interval states
    /// (connections, heap, sessions) summed over some instances of one service.
    private func appendLevelRows(to rows: inout [MetricRow], component: String, instances group: [InstanceID], span: Double, interval: Bool) {
        guard let first = group.first else { return }
        let spec = services[instances[first].service].spec
        func real(_ metric: String, _ value: Double) { rows.append(MetricRow(component: component, metric: metric, value: .real(value))) }
        func count(_ metric: String, _ value: Int64) { rows.append(MetricRow(component: component, metric: metric, value: .count(value))) }
        func area(_ value: (InstanceID) -> LevelArea) -> Double {
            group.reduce(0) { $0 + (interval ? value($1).interval : value($1).total) } / span
        }
        let busy = (0..<Int(instances[first].poolCount)).reduce(0.0) { sum, pool in sum + area { threadPools[instances[$0].firstPool, offset: pool].busyArea } }
        let queued = (0..<Int(instances[first].poolCount)).reduce(0.0) { sum, pool in sum + area { threadPools[instances[$0].firstPool, offset: pool].queueArea } }
        real(interval ? "queueLength" : "queueLengthMean", queued)
        real(interval ? "threadsBusy" : "threadsBusyMean", busy)
        if spec.entryPoints.count > 1 {
            for (entry, entrySpec) in spec.entryPoints.enumerated() {
                // An entry point on a shared pool: its share of the pool's threads and queue.
                let isShared = entrySpec.threadPool != nil
                real((interval ? "threadsBusy." : "threadsBusyMean.") + entrySpec.name, area {
                    let slot = entrySlot($0, entry)
                    return isShared ? entryStates[slot].busyArea : threadPools[entryStates[slot].pool].busyArea
                })
                real((interval ? "queueLength." : "queueLengthMean.") + entrySpec.name, area {
                    let slot = entrySlot($0, entry)
                    return isShared ? entryStates[slot].queueArea : threadPools[entryStates[slot].pool].queueArea
                })
            }
        }
        let firstShared = Int(instances[first].poolCount) - spec.threadPools.count
        for (index, poolSpec) in spec.threadPools.enumerated() {
            real((interval ? "threadPoolBusy." : "threadPoolBusyMean.") + poolSpec.name,
                 area { threadPools[instances[$0].firstPool, offset: firstShared + index].busyArea })
            real((interval ? "threadPoolQueueLength." : "threadPoolQueueLengthMean.") + poolSpec.name,
                 area { threadPools[instances[$0].firstPool, offset: firstShared + index].queueArea })
        }
        if !spec.dependencies.isEmpty {
            real(interval ? "threadsOnCpu" : "threadsOnCpuMean", area { slotStates[Int(instances[$0].firstSlot) + 0].area })
            for (dependency, dependencySpec) in spec.dependencies.enumerated() {
                let name = dependencySpec.name
                real((interval ? "threadsAtCheckout." : "threadsAtCheckoutMean.") + name, area { slotStates[Int(instances[$0].firstSlot) + 1 + 2 * dependency].area })
                real((interval ? "threadsInCall." : "threadsInCallMean.") + name, area { slotStates[Int(instances[$0].firstSlot) + 2 + 2 * dependency].area })
                var calls = CallCounters()
                for instance in group {
                    calls.add(interval ? dependencyStates[dependencySlot(instance, dependency)].interval : dependencyStates[dependencySlot(instance, dependency)].total)
                }
                count((interval ? "calls." : "callsTotal.") + name, calls.calls)
                if dependencySpec.result != nil { count((interval ? "resultRows." : "resultRowsTotal.") + name, calls.rows) }
                if dependencySpec.retry != nil {
                    count((interval ? "callAttempts." : "callAttemptsTotal.") + name, calls.attempts)
                    if calls.calls > 0 { real("retryAmplification." + name, Double(calls.attempts) / Double(calls.calls)) }
                }
                if dependencySpec.maximumConcurrentCalls != nil {
                    count((interval ? "rejectedByBulkhead." : "rejectedByBulkheadTotal.") + name, calls.bulkheadRejected)
                }
                if dependencySpec.breaker != nil {
                    count((interval ? "rejectedByBreaker." : "rejectedByBreakerTotal.") + name, calls.rejected)
                    if interval {
                        count("breakerOpen." + name, Int64(group.filter { dependencyStates[dependencySlot($0, dependency)].breaker?.state == .open }.count))
                        count("breakerHalfOpen." + name, Int64(group.filter { dependencyStates[dependencySlot($0, dependency)].breaker?.state == .halfOpen }.count))
                    }
                }
                if dependencySpec.cache != nil, let (cache, entries) = cacheCounters(of: group, dependency: dependency, interval: interval) {
                    let suffix = interval ? "." : "Total."
                    count("cacheHits" + suffix + name, cache.hits)
                    count("cacheMisses" + suffix + name, cache.misses)
                    if cache.hits + cache.misses > 0 { real("cacheHitRatio." + name, Double(cache.hits) / Double(cache.hits + cache.misses)) }
                    count("cacheFills" + suffix + name, cache.fills)
                    count("cacheRefreshes" + suffix + name, cache.refreshes)
                    count("cacheCoalesced" + suffix + name, cache.coalesced)
                    count("cacheStale" + suffix + name, cache.stale)
                    count("cacheEvictions" + suffix + name, cache.evictions)
                    if interval { count("cacheEntries." + name, entries) }
                }
                if interval, dependencySpec.pool != nil {
                    let pools = group.map { connectionPools[dependencySlot($0, dependency)] }
                    count("connectionsInUse." + name, Int64(pools.reduce(0) { $0 + $1.inUse }))
                    count("connectionsIdle." + name, Int64(pools.reduce(0) { $0 + Int($1.idleCount) }))
                    count("connectionsLeaked." + name, Int64(pools.reduce(0) { $0 + $1.leaked }))
                    count("connectionsWaiting." + name, Int64(pools.reduce(0) { $0 + $1.waiting }))
                }
            }
        }
        let lockSlots = 1 + 2 * spec.dependencies.count
        for (place, name) in services[instances[first].service].lockNames.enumerated() {
            real((interval ? "threadsAtLock." : "threadsAtLockMean.") + name, area { slotStates[Int(instances[$0].firstSlot) + lockSlots + 2 * place].area })
            real((interval ? "threadsHoldingLock." : "threadsHoldingLockMean.") + name,
                 area { slotStates[Int(instances[$0].firstSlot) + lockSlots + 2 * place + 1].area })
        }
        if let heap = spec.heap {
            real(interval ? "gcShare" : "gcShareMean", area { instances[$0].memory.gcArea } / Double(group.count))
            if interval {
                let up = group.filter { instances[$0].state == .up }
                count("heapUsed", up.reduce(0) { $0 + heapUsed(of: $1, heap: heap) })
                count("sessions", Int64(up.reduce(0) { $0 + instances[$1].memory.sessionCount }))
            }
        }
        if interval, spec.disk != nil {
            // The fullest disk of the group: the one that fails first.
            real("diskUsed", group.reduce(0.0) { Swift.max($0, disks[$1].usedShare(at: now)) })
            count("disksFull", Int64(group.filter { disks[$0].isFull }.count))
        }
    }

    private func appendCallRows(to rows: inout [MetricRow], component: String, _ counters: Counters) {
        func add(_ metric: String, _ value: Int64) { rows.append(MetricRow(component: component, metric: metric, value: .count(value))) }
        add("calls", counters.offered)
        add("goodput", counters.goodput)
        add("failed", counters.failed)
        add("timedOut", counters.timedOut)
        add("refused", counters.refused)
    }

    /// The levels of an endpoint's slots and queue in the interval that ends now, and its recovery.
    private func reportCapacity(of endpoint: EndpointID, to rows: inout [MetricRow], span: Double) {
        endpoints[endpoint].takeLevels(upTo: now, pastWarmup: isPastWarmup)
        appendCapacityRows(to: &rows, endpoint: endpoint, span: span, interval: true)
        if endpoints[endpoint].endInterval() {
            record(endpoints[endpoint].spec.name, "capacityRecovered", "a slot free, and no call waited for a whole interval", cause: "capacityExhausted")
        }
    }

    /// Time averages of an endpoint's calls in service, calls queued and share of time with every slot taken.
    private func appendCapacityRows(to rows: inout [MetricRow], endpoint: EndpointID, span: Double, interval: Bool) {
        let state = endpoints[endpoint]
        func real(_ metric: String, _ area: LevelArea) {
            rows.append(MetricRow(component: state.spec.name, metric: metric, value: .real((interval ? area.interval : area.total) / span)))
        }
        real(interval ? "callsInService" : "callsInServiceMean", state.inServiceLevel)
        real(interval ? "callsQueued" : "callsQueuedMean", state.queuedLevel)
        real(interval ? "saturatedShare" : "saturatedShareMean", state.fullLevel)
    }

    /// The rows of a message queue for the interval that ends now: its counts, its depth (at the
    /// end, mean and largest) and the age of its oldest message at the end.
    private func reportMessageQueue(_ queue: MessageQueueID, to rows: inout [MetricRow], span: Int64) {
        let name = messageQueues[queue].spec.name
        let (counts, meanDepth, maximum) = messageQueues[queue].queue.endInterval(at: now, span: span)
        appendMessageCountRows(to: &rows, component: name, counts)
        rows.append(MetricRow(component: name, metric: "depth", value: .count(Int64(messageQueues[queue].queue.depth))))
        rows.append(MetricRow(component: name, metric: "depthMean", value: .real(meanDepth)))
        rows.append(MetricRow(component: name, metric: "depthMax", value: .count(Int64(maximum))))
        rows.append(MetricRow(component: name, metric: "oldestAge", value: .real(Double(messageQueues[queue].queue.oldestAge(at: now)) / 1e9)))
        // Messages wait while a consumer thread may be free (one freed by a request not from the
        // queue): a delivery round makes sure they do not wait longer than an interval.
        if messageQueues[queue].queue.depth > 0 && now < model.run.duration.nanoseconds { scheduleDelivery(of: queue) }
    }

    private func appendMessageCountRows(to rows: inout [MetricRow], component: String, _ counts: MessageQueue.Counts) {
        func add(_ metric: String, _ value: Int64) { rows.append(MetricRow(component: component, metric: metric, value: .count(value))) }
        add("enqueued", counts.enqueued)
        add("delivered", counts.delivered)
        add("consumed", counts.consumed)
        add("rejected", counts.rejected)
        add("blockTimeouts", counts.blockTimeouts)
        add("dropped", counts.dropped)
        add("expired", counts.expired)
        add("deadLettered", counts.deadLettered)
    }

    private func appendTrafficRows(to rows: inout [MetricRow], component: String, _ counters: Counters, hasRetry: Bool) {
        appendOutcomeRows(to: &rows, component: component, counters)
        rows.append(MetricRow(component: component, metric: "abandoned", value: .count(counters.abandoned)))
        rows.append(MetricRow(component: component, metric: "reloads", value: .count(counters.reloads)))
        if hasRetry {
            rows.append(MetricRow(component: component, metric: "retries", value: .count(counters.retries)))
            // Tries per logical request: what the clients' retries multiply the load by.
            if counters.offered > 0 {
                rows.append(MetricRow(component: component, metric: "retryAmplification",
                                      value: .real(Double(counters.offered + counters.retries) / Double(counters.offered))))
            }
        }
        let answered = counters.goodput + counters.errors + counters.abandoned
        if answered > 0 {
            rows.append(MetricRow(component: component, metric: "successRatio", value: .real(Double(counters.goodput) / Double(answered))))
        }
        if counters.completed > 0 {
            rows.append(MetricRow(component: component, metric: "responseTimeMean", value: .real(counters.latencySum / Double(counters.completed) / 1e9)))
        }
    }

    func endWarmup(at time: Instant) {
        for index in instances.ids { settle(index) }
        for index in endpoints.ids { endpoints[index].takeLevels(upTo: now, pastWarmup: false) }
        for queue in messageQueues.ids { messageQueues[queue].queue.endWarmup(at: now) }
        for lock in locks.ids {
            locks[lock].takeLevels(upTo: now, pastWarmup: false)
            locks[lock].isPastWarmup = true
        }
        isPastWarmup = true
        record(StateChange(time: time, component: model.name, event: "warmupEnded", detail: "summary counts from here"))
    }

    /// Closes the last interval, reports the cut-off, and computes the summary.
    func finish(_ outcome: RunOutcome) -> RunResult {
        let end = outcome.endTime
        now = end.nanoseconds
        reportInterval(endingAt: end)
        for index in instances.ids { settle(index) }
        let inFlight = liveRequests
        let limit: RunLimit? = switch outcome.stopReason {
        case .eventLimit: .events
        case .pendingEventLimit: .pendingEvents
        case .limitReached: limitReached
        default: nil
        }
        let detail: EventText
        switch outcome.stopReason {
        case .endTime: detail = "end of run; \(inFlight) requests in flight cut off"
        case .stopRequested: detail = "completion limit reached; \(inFlight) requests in flight cut off"
        case .exhausted: detail = "no events left; \(inFlight) requests in flight"
        case .eventLimit: detail = "event limit of \(model.run.maximumEvents) reached; run cut short with \(inFlight) requests in flight"
        case .pendingEventLimit:
            detail = "pending-event limit of \(model.run.limits.pendingEvents) reached; run cut short with \(inFlight) requests in flight"
        case .limitReached:
            detail = "\(limit.map(limitDescription) ?? "a limit reached"); run cut short with \(inFlight) requests in flight"
        case .interrupted: detail = "interrupted; run cut short with \(inFlight) requests in flight"
        }
        record(StateChange(time: end, component: model.name, event: "runEnded", detail: detail))
        let measured = isPastWarmup ? end - (Instant.zero + model.run.warmup) : .zero
        var result = RunResult(outcome: outcome, summary: summaryRows(span: measured), inFlightAtEnd: inFlight, measuredSpan: measured)
        result.limit = limit
        result.limitDetail = limit.map(limitDescription) ?? EventText()
        return result
    }

    private func summaryRows(span: Interval) -> [MetricRow] {
        let seconds = span.seconds
        let nanoseconds = Double(span.nanoseconds)
        var rows: [MetricRow] = []
        func add(_ component: String, _ metric: String, _ value: MetricValue) {
            rows.append(MetricRow(component: component, metric: metric, value: value))
        }
        func ratio(_ numerator: Double, _ denominator: Double) -> Double {
            denominator > 0 ? numerator / denominator : 0
        }
        func addCounts(_ component: String, _ counters: Counters, group: [InstanceID], threads: Int) {
            add(component, "offered", .count(counters.offered))
            add(component, "completed", .count(counters.completed))
            add(component, "goodput", .count(counters.goodput))
            add(component, "refused", .count(counters.refused))
            add(component, "timedOut", .count(counters.timedOut))
            add(component, "failed", .count(counters.failed))
            add(component, "checkoutTimeouts", .count(counters.checkoutTimeouts))
            add(component, "aborted", .count(counters.aborted))
            add(component, "rejected", .count(counters.rejected))
            add(component, "shed", .count(counters.shed))
            add(component, "wasted", .count(counters.wasted))
            add(component, "refusedFraction", .real(ratio(Double(counters.refused), Double(counters.offered))))
            add(component, "errorFraction", .real(ratio(Double(counters.errors), Double(counters.offered))))
            add(component, "throughput", .real(ratio(Double(counters.completed), seconds)))
            add(component, "waitMean", .real(ratio(counters.waitSum, Double(counters.started)) / 1e9))
            add(component, "waitProbability", .real(ratio(Double(counters.waited), Double(counters.started))))
            add(component, "latencyMean", .real(ratio(counters.latencySum, Double(counters.completed)) / 1e9))
            var levels: [MetricRow] = []
            appendLevelRows(to: &levels, component: component, instances: group, span: nanoseconds > 0 ? nanoseconds : 1, interval: false)
            rows.append(contentsOf: levels)
            let busy = levels.first { $0.metric == "threadsBusyMean" }?.value.doubleValue ?? 0
            add(component, "utilisation", .real(ratio(busy, Double(threads))))
            add(component, "crashes", .count(Int64(group.reduce(0) { $0 + instances[$1].crashes })))
            if !services[instances[group[0]].service].lockNames.isEmpty { add(component, "lockTimeouts", .count(counters.lockTimeouts)) }
        }
        for serviceIndex in services.ids {
            let state = services[serviceIndex]
            var counters = state.unrouted.total
            for instance in state.instances { counters.add(instances[instance].counters.total) }
            let name = state.spec.name
            let threads = state.spec.threadsPerInstance
            addCounts(name, counters, group: Array(state.instances), threads: threads * state.instances.count)
            if !state.totalLatency.isEmpty {  // no percentile of nothing: the rows are left out
                add(name, "latencyP50", .real(Double(state.totalLatency.percentile(50)) / 1e9))
                add(name, "latencyP95", .real(Double(state.totalLatency.percentile(95)) / 1e9))
                add(name, "latencyP99", .real(Double(state.totalLatency.percentile(99)) / 1e9))
                add(name, "latencyP999", .real(Double(state.totalLatency.percentile(99.9)) / 1e9))
                add(name, "latencyMax", .real(Double(state.totalLatency.max) / 1e9))
            }
            if state.hasAdmission {
                add(name, "rateLimited", .count(counters.rateLimited))
                add(name, "concurrencyLimited", .count(counters.concurrencyLimited))
            }
            for instance in state.instances {
                addCounts(instances[instance].name, instances[instance].counters.total, group: [instance], threads: threads)
            }
        }
        for index in endpoints.ids {
            var callRows: [MetricRow] = []
            appendCallRows(to: &callRows, component: endpoints[index].spec.name, endpoints[index].counters.total)
            if endpoints[index].hasCapacity {
                appendCapacityRows(to: &callRows, endpoint: index, span: nanoseconds > 0 ? nanoseconds : 1, interval: false)
            }
            rows.append(contentsOf: callRows)
        }
        for queue in messageQueues.ids {
            let name = messageQueues[queue].spec.name
            messageQueues[queue].queue.settle(at: now)
            appendMessageCountRows(to: &rows, component: name, messageQueues[queue].queue.total)
            add(name, "depthMean", .real(nanoseconds > 0 ? messageQueues[queue].queue.depthArea.total / nanoseconds : 0))
            add(name, "depthMax", .count(Int64(messageQueues[queue].queue.totalMaximum)))
        }
        for id in locks.ids {
            let lock = locks[id]
            let name = lock.spec.name
            let span = nanoseconds > 0 ? nanoseconds : 1
            add(name, "lockAcquiredTotal", .count(lock.total.acquired))
            add(name, "lockWaitsTotal", .count(lock.total.waits))
            add(name, "lockTimeoutsTotal", .count(lock.total.timeouts))
            add(name, "lockHeldMean", .real(lock.heldTotal / span))
            add(name, "lockQueueLengthMean", .real(lock.waitingTotal / span))
        }
        func addTraffic(_ name: String, _ counters: Counters, hasRetry: Bool) {
            var trafficRows: [MetricRow] = []
            appendTrafficRows(to: &trafficRows, component: name, counters, hasRetry: hasRetry)
            rows.append(contentsOf: trafficRows)
            add(name, "throughput", .real(ratio(Double(counters.completed), seconds)))
            add(name, "offeredRate", .real(ratio(Double(counters.offered), seconds)))
        }
        for source in sources.ids { addTraffic(sources[source].spec.name, sources[source].counters.total, hasRetry: sources[source].retry != nil) }
        for population in populations.ids {
            addTraffic(populations[population].spec.name, populations[population].counters.total, hasRetry: populations[population].retry != nil)
        }
        return rows
    }

    /// The rows of each lock for the interval that ends now, and its recovery.
    private func reportLocks(to rows: inout [MetricRow], span: Double) {
        for id in locks.ids {
            locks[id].takeLevels(upTo: now, pastWarmup: isPastWarmup)
            let lock = locks[id]
            let name = lock.spec.name
            rows.append(MetricRow(component: name, metric: "lockAcquired", value: .count(lock.interval.acquired)))
            rows.append(MetricRow(component: name, metric: "lockWaits", value: .count(lock.interval.waits)))
            rows.append(MetricRow(component: name, metric: "lockTimeouts", value: .count(lock.interval.timeouts)))
            rows.append(MetricRow(component: name, metric: "lockHeld", value: .real(lock.heldInterval / span)))
            rows.append(MetricRow(component: name, metric: "lockQueueLength", value: .real(lock.waitingInterval / span)))
            if locks[id].endInterval() {
                record(name, "lockRecovered", "no key had \(Lock.contentionQueue) waiting for a whole interval", cause: "lockContended")
            }
        }
    }
}
