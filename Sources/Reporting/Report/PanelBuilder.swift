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
        return [panel]
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
        errors.stacked = kinds.compactMap { metric, label, color in
            guard let found = layer(name, metric, label, color, rate: true), found.series.values.contains(where: { $0 != 0 }) else { return nil }
            return found
        }
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
                stack += [layer(name, "threadsAtCheckout." + dependency, "waiting to check out a connection to " + dependency, Color.bad),
                          layer(name, "threadsInCall." + dependency, "in a call to " + dependency, tint)].compactMap { $0 }
            }
            threads.stacked = stack
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
