import FailureChains

/// Chooses a component's panels and their series, from the run's files and, when the report has
/// it, the model (for limits: threads, pool sizes, heap sizes, instances).
struct PanelBuilder {
    var contents: RunFolderContents
    var model: SystemModel?

    /// Colours of the report, one meaning each.
    enum Color {
        static let offered = "#9ca3af", completed = "#2563eb", good = "#16a34a", bad = "#dc2626", warn = "#ea580c"
        static let amber = "#d97706", purple = "#7c3aed", teal = "#0d9488", pink = "#db2777", brown = "#92400e", sky = "#0ea5e9"
        static let idle = "#bbf7d0"
        /// Refusals by admission control: a lighter and a darker shade of the refused amber.
        static let rateLimited = "#fbbf24", concurrencyLimited = "#b45309"
        /// Threads blocked waiting for a lock, and threads holding one.
        static let lockWait = "#f97316", lockHold = "#a16207"
        /// A disk's bytes used (slate, apart from the heap's purple).
        static let disk = "#64748b"
        static let sequence = [completed, purple, teal, pink, brown, sky, amber]
    }

    private var intervalSeconds: Double { Double(contents.interval) / 1e9 }

    /// A series converted to a unit: counts per interval to counts per second.
    private func perSecond(_ series: RunFolderContents.Series) -> RunFolderContents.Series {
        var converted = series
        converted.values = series.values.map { $0 / intervalSeconds }
        return converted
    }

    private func layer(_ component: String, _ metric: String, _ name: String, _ color: String, rate: Bool = false,
                       dashed: Bool = false) -> Panel.Layer? {
        guard let series = contents.series(component, metric) else { return nil }
        return Panel.Layer(name: name, series: rate ? perSecond(series) : series, color: color, isDashed: dashed)
    }

    /// The panels of a traffic source or user population.
    func trafficPanels(_ name: String) -> [Panel] {
        var panel = Panel(kind: .success, component: name, title: PanelKind.success.title, unit: .ratio)
        panel.lines = [layer(name, "successRatio", "success ratio", Color.good)].compactMap { $0 }
        panel.emptyNote = "no requests ended"
        guard let retries = layer(name, "retries", "retries", Color.purple, rate: true) else { return [panel] }
        var retryPanel = Panel(kind: .retries, component: name, title: PanelKind.retries.title, unit: .perSecond)
        retryPanel.lines = [layer(name, "offered", "offered (first tries)", Color.offered, rate: true), retries].compactMap { $0 }
        retryPanel.emptyNote = "no requests"
        return [panel, retryPanel]
    }

    /// The panels of a message queue: messages waiting (with its capacity), the oldest one's age,
    /// and messages per second by what became of them.
    func messageQueuePanels(_ name: String) -> [Panel] {
        let spec = model?.messageQueues.first { $0.name == name }
        var depth = Panel(kind: .messageDepth, component: name, title: PanelKind.messageDepth.title, unit: .count)
        depth.lines = [layer(name, "depth", "waiting", Color.warn),
                       layer(name, "depthMax", "most waiting in the interval", Color.amber, dashed: true)].compactMap { $0 }
        if let capacity = spec?.capacity { depth.ceiling = (Double(capacity), "capacity \(capacity)") }
        depth.emptyNote = "no message waited"
        var age = Panel(kind: .messageAge, component: name, title: PanelKind.messageAge.title, unit: .seconds)
        age.lines = [layer(name, "oldestAge", "oldest waiting", Color.brown)].compactMap { $0 }
        if let timeToLive = spec?.timeToLive { age.ceiling = (Double(timeToLive.nanoseconds) / 1e9, "time to live " + Topology.words(timeToLive)) }
        age.emptyNote = "no message waited"
        var rates = Panel(kind: .messageRates, component: name, title: PanelKind.messageRates.title, unit: .perSecond)
        let lost: [(String, String, String)] = [("rejected", "rejected (queue full)", Color.amber), ("dropped", "dropped (oldest, for room)", Color.brown),
            ("expired", "expired (time to live)", Color.warn), ("deadLettered", "dead-lettered", Color.bad)]
        rates.stacked = lost.compactMap { metric, label, color in
            guard let found = layer(name, metric, label, color, rate: true), found.series.values.contains(where: { $0 != 0 }) else { return nil }
            return found
        }
        rates.lines = [layer(name, "enqueued", "enqueued", Color.offered, rate: true),
                       layer(name, "delivered", "delivered", Color.completed, rate: true),
                       layer(name, "consumed", "consumed", Color.good, rate: true)].compactMap { $0 }
        rates.emptyNote = "no messages"
        return [depth, age, rates]
    }

    /// The panels of a lock: keys held (for a single key, the share of the time it was held),
    /// requests waiting, and acquisitions, waits and timeouts per second.
    func lockPanels(_ name: String) -> [Panel] {
        let spec = model?.locks.first { $0.name == name }
        let single = spec?.keys == 1
        var held = Panel(kind: .lockHeld, component: name, title: single ? "lock held (share of the time)" : PanelKind.lockHeld.title,
                         unit: single ? .ratio : .count)
        held.stacked = [layer(name, "lockHeld", single ? "held" : "keys held", Color.completed)].compactMap { $0 }
        held.emptyNote = "never held"
        var queue = Panel(kind: .lockQueue, component: name, title: PanelKind.lockQueue.title, unit: .count)
        queue.lines = [layer(name, "lockQueueLength", "waiting", Color.warn)].compactMap { $0 }
        queue.emptyNote = "no request waited"
        var rates = Panel(kind: .lockRates, component: name, title: PanelKind.lockRates.title, unit: .perSecond)
        rates.lines = [layer(name, "lockAcquired", "acquired", Color.completed, rate: true),
                       layer(name, "lockWaits", "waited", Color.lockWait, rate: true),
                       layer(name, "lockTimeouts", "timed out waiting", Color.bad, rate: true)].compactMap { $0 }
        rates.emptyNote = "never taken"
        return [held, queue, rates]
    }

    /// The panels of an external endpoint.
    func endpointPanels(_ name: String) -> [Panel] {
        var panel = Panel(kind: .endpoint, component: name, title: PanelKind.endpoint.title, unit: .perSecond)
        panel.stacked = [layer(name, "goodput", "answered", Color.good, rate: true),
                         layer(name, "failed", "failed", Color.bad, rate: true),
                         layer(name, "timedOut", "timed out", Color.warn, rate: true),
                         layer(name, "refused", "refused", Color.amber, rate: true)].compactMap { $0 }
        panel.emptyNote = "no calls"
        return [panel]
    }

    /// The panels of a service, in the order the page shows them.
    func servicePanels(_ name: String) -> [Panel] {
        let spec = model?.services.first { $0.name == name }
        let dependencies = spec?.dependencies.map(\.name) ?? ReportComponents.dependencies(of: name, in: contents)
        let upSeries = contents.series(name, "instancesUp")
        let instances = max(Double(spec?.instances ?? 0), upSeries?.values.max() ?? 0)
        var panels: [Panel] = []

        var throughput = Panel(kind: .throughput, component: name, title: PanelKind.throughput.title, unit: .perSecond)
        throughput.lines = [layer(name, "offered", "offered", Color.offered, rate: true),
                            layer(name, "completed", "completed", Color.completed, rate: true),
                            layer(name, "goodput", "good", Color.good, rate: true)].compactMap { $0 }
        throughput.emptyNote = "no requests"
        panels.append(throughput)

        var errors = Panel(kind: .errors, component: name, title: PanelKind.errors.title, unit: .perSecond)
        let kinds: [(String, String, String)] = [("refused", "refused", Color.amber), ("timedOut", "timed out", Color.warn),
            ("failed", "failed", Color.bad), ("checkoutTimeouts", "checkout timed out", Color.pink), ("aborted", "aborted", Color.brown),
            ("rejected", "rejected (breaker, bulkhead, fail fast)", Color.purple), ("shed", "shed", Color.sky)]
        // Admission control's refusals are also counted in `refused`: drawn apart, and taken out of it.
        let admission = [("rateLimited", "refused: rate limited", Color.rateLimited),
                         ("concurrencyLimited", "refused: concurrency limited", Color.concurrencyLimited)].compactMap { metric, label, color in
            layer(name, metric, label, color, rate: true)
        }
        errors.stacked = kinds.compactMap { metric, label, color in
            guard var found = layer(name, metric, label, color, rate: true) else { return nil }
            if metric == "refused" {
                for limited in admission where limited.series.times == found.series.times {
                    found.series.values = zip(found.series.values, limited.series.values).map { max(0, $0 - $1) }
                }
            }
            guard found.series.values.contains(where: { $0 != 0 }) else { return nil }
            return found
        }
        errors.stacked.insert(contentsOf: admission.filter { $0.series.values.contains { $0 != 0 } }, at: 0)
        errors.emptyNote = "no errors"
        panels.append(errors)

        var latency = Panel(kind: .latency, component: name, title: PanelKind.latency.title, unit: .seconds, isLogarithmic: true)
        latency.lines = [layer(name, "latencyP50", "p50", Color.good), layer(name, "latencyP95", "p95", Color.amber),
                         layer(name, "latencyP99", "p99", Color.bad)].compactMap { $0 }
        latency.emptyNote = "nothing completed"
        panels.append(latency)

        var threads = Panel(kind: .threads, component: name, title: PanelKind.threads.title, unit: .count)
        if dependencies.isEmpty {
            threads.stacked = [layer(name, "threadsBusy", "busy", Color.completed)].compactMap { $0 }
        } else {
            var stack = [layer(name, "threadsOnCpu", "on CPU", Color.good)].compactMap { $0 }
            for (index, dependency) in dependencies.enumerated() {
                let tint = Color.sequence[(index + 1) % Color.sequence.count]
                // Only a dependency with a pool has checkouts to wait for (a message queue has none).
                let pooled = contents.series(name, "connectionsInUse." + dependency) != nil
                    || spec?.dependencies.first(where: { $0.name == dependency })?.pool != nil
                let waiting = layer(name, "threadsAtCheckout." + dependency, "waiting to check out a connection to " + dependency, Color.bad)
                    .flatMap { found in pooled || found.series.values.contains { $0 != 0 } ? found : nil }
                var label = "in a call to " + dependency
                if case .messageQueue(let queue)? = spec?.dependencies.first(where: { $0.name == dependency })?.target {
                    label = "putting a message in " + queue
                }
                stack += [waiting, layer(name, "threadsInCall." + dependency, label, tint)].compactMap { $0 }
            }
            threads.stacked = stack
        }
        let locks = spec?.lockNames ?? ReportComponents.suffixes(of: name, metric: "threadsAtLock", in: contents)
        let lockLayers = locks.flatMap { lock in
            [layer(name, "threadsAtLock." + lock, "waiting for lock " + lock, Color.lockWait),
             layer(name, "threadsHoldingLock." + lock, "holding lock " + lock, Color.lockHold)].compactMap { $0 }
        }
        if !lockLayers.isEmpty {
            // Without dependencies there is no `threadsOnCpu`: the busy threads not at a lock are on their CPU.
            if dependencies.isEmpty, var busy = threads.stacked.first {
                for lockLayer in lockLayers where lockLayer.series.times == busy.series.times {
                    busy.series.values = zip(busy.series.values, lockLayer.series.values).map { max(0, $0 - $1) }
                }
                busy.name = "on CPU"
                busy.color = Color.good
                threads.stacked = [busy]
            }
            threads.stacked += lockLayers
        }
        if let spec {
            let total = spec.threadsPerInstance * spec.instances
            threads.ceiling = (Double(total), "\(total) threads")
        }
        threads.emptyNote = "no thread busy"
        panels.append(threads)

        var queue = Panel(kind: .queue, component: name, title: PanelKind.queue.title, unit: .count)
        let entries = spec.map { $0.entryPoints.count > 1 ? $0.entryPoints.map(\.name) : [] } ?? ReportComponents.entryPoints(of: name, in: contents)
        if entries.isEmpty {
            queue.lines = [layer(name, "queueLength", "queued", Color.warn)].compactMap { $0 }
        } else {
            queue.lines = entries.enumerated().compactMap { index, entry in
                layer(name, "queueLength." + entry, "queued at " + entry, Color.sequence[index % Color.sequence.count])
            }
        }
        queue.emptyNote = "no request queued"
        panels.append(queue)

        for dependency in dependencies where contents.series(name, "connectionsInUse." + dependency) != nil {
            var pool = Panel(kind: .connections, component: name, title: "connection pool to " + dependency, unit: .count)
            pool.stacked = [layer(name, "connectionsInUse." + dependency, "in use", Color.completed),
                            layer(name, "connectionsLeaked." + dependency, "leaked", Color.bad),
                            layer(name, "connectionsIdle." + dependency, "idle", Color.idle)].compactMap { $0 }
            pool.lines = [layer(name, "connectionsWaiting." + dependency, "checkouts waiting", Color.warn)].compactMap { $0 }
            if let size = spec?.dependencies.first(where: { $0.name == dependency })?.pool?.size, let spec {
                pool.ceiling = (Double(size * spec.instances), "\(size * spec.instances) connections")
            }
            panels.append(pool)
        }

        let cached = dependencies.filter { contents.series(name, "cacheFills." + $0) != nil || contents.series(name, "cacheHitRatio." + $0) != nil }
        if !cached.isEmpty {
            var ratio = Panel(kind: .cache, component: name, title: PanelKind.cache.title, unit: .ratio)
            var fills = Panel(kind: .cacheFills, component: name, title: PanelKind.cacheFills.title, unit: .perSecond)
            for (index, dependency) in cached.enumerated() {
                let tint = Color.sequence[(index + 1) % Color.sequence.count]
                ratio.lines += [layer(name, "cacheHitRatio." + dependency, "hits in front of " + dependency, tint)].compactMap { $0 }
                fills.lines += [layer(name, "cacheFills." + dependency, "fills from " + dependency, tint, rate: true)].compactMap { $0 }
            }
            ratio.emptyNote = "no lookups"
            fills.emptyNote = "no fills"
            panels += [ratio, fills]
        }
        if let used = layer(name, "diskUsed", "used", Color.disk) {
            var disk = Panel(kind: .disk, component: name, title: PanelKind.disk.title, unit: .ratio)
            disk.stacked = [used]
            if let failAt = spec?.disk?.failAtMillionths {
                disk.ceiling = (Double(failAt) / 1e6, "writes fail at " + ValueText.format(Double(failAt) / 1e6, .ratio))
            }
            disk.emptyNote = "disk empty"
            panels.append(disk)
        }

        if let heapUsed = layer(name, "heapUsed", "heap used", Color.purple) {
            var heap = Panel(kind: .heap, component: name, title: PanelKind.heap.title, unit: .bytes)
            heap.stacked = [heapUsed]
            heap.secondary = layer(name, "gcShare", "GC's share of CPU (right axis)", Color.bad, dashed: true)
            if let size = spec?.heap?.size, let spec {
                heap.ceiling = (Double(size) * Double(spec.instances), "heap size")
            }
            panels.append(heap)
        }
        if let sessions = layer(name, "sessions", "sessions", Color.teal) {
            var panel = Panel(kind: .sessions, component: name, title: PanelKind.sessions.title, unit: .count)
            panel.lines = [sessions]
            panels.append(panel)
        }

        var instancePanel = Panel(kind: .instances, component: name, title: PanelKind.instances.title, unit: .count)
        instancePanel.lines = [layer(name, "instancesUp", "up", Color.completed),
                               layer(name, "instancesAdmitted", "admitted by the balancer", Color.good, dashed: true)].compactMap { $0 }
        if instances > 0 { instancePanel.ceiling = (instances, "\(Int(instances)) instances") }
        panels.append(instancePanel)

        let broken = dependencies.filter { contents.series(name, "breakerOpen." + $0) != nil }
        if !broken.isEmpty {
            var breaker = Panel(kind: .breaker, component: name, title: PanelKind.breaker.title, unit: .ratio)
            breaker.bandRows = broken.map { "to " + $0 }
            for (row, dependency) in broken.enumerated() {
                for (metric, label, color) in [("breakerOpen.", "open", Color.bad), ("breakerHalfOpen.", "half-open", Color.amber)] {
                    guard var found = layer(name, metric + dependency, label + " to " + dependency, color) else { continue }
                    if instances > 0 { found.series.values = found.series.values.map { $0 / instances } }
                    found.row = row
                    breaker.bands.append(found)
                }
            }
            breaker.emptyNote = "no breaker opened"
            panels.append(breaker)
        }
        return panels
    }
}
