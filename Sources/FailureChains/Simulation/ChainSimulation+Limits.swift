import SimulationKernel

/// The run-time limits of `RunLimits`: live requests, memory and series rows are watched here; the
/// event and pending-event limits by the run loop.
extension ChainSimulation {
    /// Bytes a pooled connection costs: its half-dead flag and its place in the idle list.
    static let bytesPerConnection: Int64 = 5
    /// Bytes a live session costs in an instance's session table, hashing overhead included.
    static let bytesPerSession: Int64 = 48
    /// Bytes a cache entry costs at most: its key, expiry, LRU links, waiter list and flag, and
    /// two places in the key table.
    static let bytesPerCacheEntry: Int64 = 40

    /// The pooled connections `model` opens, over every instance slot an autoscaler may start too.
    /// Saturates rather than overflows.
    public static func connectionCount(of model: SystemModel) -> Int {
        var total = 0
        for service in model.services {
            let slots = service.instanceSlots
            for dependency in service.dependencies {
                guard let pool = dependency.pool else { continue }
                let (product, overflow) = slots.multipliedReportingOverflow(by: pool.size)
                let (sum, overflow2) = total.addingReportingOverflow(product)
                if overflow || overflow2 { return .max }
                total = sum
            }
        }
        return total
    }

    /// The memory the simulator allocates for `model` before its first event, estimated from what
    /// grows with the model: connections, instance slots and their entry points, caches, and users.
    /// Saturates rather than overflows.
    public static func assemblyMemory(of model: SystemModel) -> Int64 {
        var bytes = Int64(clamping: connectionCount(of: model)).multipliedReportingOverflow(by: bytesPerConnection)
        if bytes.overflow { return .max }
        var total = bytes.partialValue
        for service in model.services {
            let slots = Int64(service.instanceSlots)
            let perSlot = Int64(MemoryLayout<InstanceRuntime>.stride + service.entryPoints.count * (MemoryLayout<EntryRuntime>.stride + MemoryLayout<ThreadPool>.stride)
                + (1 + 2 * service.dependencies.count) * MemoryLayout<SlotState>.stride)
            bytes = slots.multipliedReportingOverflow(by: perSlot)
            if bytes.overflow { return .max }
            total = total.addingReportingOverflow(bytes.partialValue).partialValue
            // Caches, as full as they may grow, and a Zipf law's table of 8 bytes a key.
            for dependency in service.dependencies {
                guard let cache = dependency.cache else { continue }
                bytes = slots.multipliedReportingOverflow(by: Int64(cache.capacity) * bytesPerCacheEntry)
                if bytes.overflow { return .max }
                total = total.addingReportingOverflow(bytes.partialValue).partialValue
                if case .zipf = cache.popularity { total = total.addingReportingOverflow(Int64(cache.keys) * 8).partialValue }
            }
        }
        let users = model.users.reduce(Int64(0)) { $0 + Int64($1.size) }
        total = total.addingReportingOverflow(users * Int64(MemoryLayout<ClientRecord>.stride)).partialValue
        return total < 0 ? .max : total
    }

    /// The memory the simulator holds now, by the same estimate plus what grew during the run:
    /// the request, client and event tables, and live sessions.
    var estimatedMemory: Int64 {
        var total = assemblyMemory
        total += Int64(requests.reservedBytes + freeRequests.reservedBytes + clients.reservedBytes + freeClients.reservedBytes)
        total += Int64(eventQueue.reservedBytes)
        // Only an instance with a heap holds sessions: a farm without heaps scans nothing.
        if hasHeaps { for index in instances.ids { total += Int64(instances[index].memory.sessionCount) * Self.bytesPerSession } }
        return total
    }

    /// Stops the run after the current event because it reached `limit`.
    func stop(at limit: RunLimit) {
        guard limitReached == nil else { return }
        limitReached = limit
        isStopRequested = true
    }

    /// Called when the number of live requests passes its next checkpoint: checks the live-request
    /// limit at once and the memory estimate each time the count doubles.
    func liveRequestsGrew() {
        if liveRequests > model.run.limits.liveRequests {
            stop(at: .liveRequests)
            return
        }
        nextGrowthCheck = min(model.run.limits.liveRequests, max(nextGrowthCheck * 2, liveRequests))
        checkMemory()
    }

    /// Every 65,536 events: the memory estimate, which sessions and pending events can grow
    /// between intervals. Deterministic: it depends only on the events run.
    public func periodicCheck() {
        checkMemory()
    }

    /// Checks the memory estimate against its limit.
    func checkMemory() {
        if estimatedMemory > model.run.limits.memoryBytes { stop(at: .memory) }
    }

    /// Counts the rows of an interval about to be written and stops the run before the series
    /// would pass its limit; at the first interval, stops at once when the whole run would.
    ///
    /// - Returns: Whether the rows may be written.
    func admitSeriesRows(_ count: Int) -> Bool {
        let limit = model.run.limits.seriesRows
        if seriesRowsWritten == 0 && count > 0 {
            let intervals = model.run.duration.nanoseconds / max(model.run.interval.nanoseconds, 1) + 1
            let (projected, overflow) = intervals.multipliedReportingOverflow(by: Int64(count))
            if overflow || projected > Int64(limit) {
                stop(at: .seriesRows)
                projectedSeriesRows = overflow ? .max : projected
            }
        }
        guard seriesRowsWritten + count <= limit else {
            stop(at: .seriesRows)
            return false
        }
        seriesRowsWritten += count
        return true
    }
}

extension ChainSimulation {
    /// What a limit measured when it stopped the run, naming the key that raises it.
    func limitDescription(_ limit: RunLimit) -> EventText {
        let limits = model.run.limits
        switch limit {
        case .events:
            return "\(model.run.maximumEvents) events executed, the most \(limit.key) allows"
        case .pendingEvents:
            return "\(eventQueue.storedCount) events pending at once, more than \(limit.key) allows (\(limits.pendingEvents))"
        case .liveRequests:
            return "\(liveRequests) requests alive at once, more than \(limit.key) allows (\(limits.liveRequests))"
        case .seriesRows:
            if projectedSeriesRows > 0 {
                return "the run would write about \(projectedSeriesRows) rows of series.csv, more than \(limit.key) allows (\(limits.seriesRows)); lengthen run.interval"
            }
            return "series.csv reached \(seriesRowsWritten) rows, the most \(limit.key) allows (\(limits.seriesRows))"
        case .memory:
            return "the simulator's memory reached about \(estimatedMemory >> 20) MiB, more than \(limit.key) allows (\(limits.memoryBytes >> 20) MiB)"
        }
    }
}
