import FailureChains

extension ModelDecoder {
    typealias Kind = MetricCatalogue.ComponentKind

    /// Each expectation names a component of the model, and a metric or an event that component
    /// has, by `MetricCatalogue`: a misspelt name is an error, not an expectation that holds for
    /// want of data (a count of no events is 0).
    ///
    /// A metric must be written to the file the expectation reads (`summary.csv`, or `series.csv`
    /// with a window or an aggregate) for the component's kind, with a suffix naming one of the
    /// service's dependencies or entry points, and what it needs in the model (a pool, a breaker, a
    /// heap). Names are checked as written, also in expectations with other problems; a component
    /// whose service could not be read is only checked for its kind.
    ///
    /// - Parameters:
    ///   - expectations: The elements of `expect` as read.
    ///   - modelName: The model's `name` as written, for the run-level events.
    ///   - services: The services that could be read.
    ///   - clients: The clients' behaviour of the traffic sources and user populations that could be read, by name.
    func checkExpectations(_ expectations: [ExpectationDecoder.Read], modelName: String?, services: [ServiceSpec],
                           clients: [String: ClientBehaviour] = [:]) {
        var specs: [String: ServiceSpec] = [:]
        for service in services where specs[service.name] == nil { specs[service.name] = service }
        for read in expectations {
            let resolved = read.component.flatMap { resolveComponent($0, in: read, modelName: modelName, specs: specs) }
            guard let measured = read.measured else { continue }
            let service = resolved?.service.flatMap { specs[$0] }
            if read.isEvents {
                checkEvent(measured, of: read.component ?? "", kind: resolved?.kind, service: service, serviceName: resolved?.service, in: read)
            } else {
                checkMetric(measured, in: read.readsSeries ? .series : .summary, of: read.component ?? "", kind: resolved?.kind,
                            service: service, client: read.component.flatMap { clients[$0] }, in: read)
            }
        }
    }

    /// The kind of the component an expectation names and, for an instance or an entry point, the
    /// name of its service; nil, after reporting, when it names none.
    private func resolveComponent(_ component: String, in read: ExpectationDecoder.Read,
                                  modelName: String?, specs: [String: ServiceSpec]) -> (kind: Kind, service: String?)? {
        if component == modelName { return (.model, nil) }
        switch catalog.sort(of: component) {
        case .service?: return (.service, component)
        case .endpoint?: return (.endpoint, nil)
        case .trafficSource?: return (.trafficSource, nil)
        case .userPopulation?: return (.userPopulation, nil)
        case .messageQueue?: return (.messageQueue, nil)
        case .lock?: return (.lock, nil)
        case nil: break
        }
        guard let (instance, entry) = Self.instanceAndEntry(component), let reference = Self.instanceReference(instance) else {
            var candidates = catalog.serviceNames + catalog.endpointNames + catalog.trafficNames + catalog.userNames + catalog.messageQueueNames + catalog.lockNames
            if read.isEvents, let modelName { candidates.append(modelName) }
            read.object.error("no component is named \"\(component)\"\(Self.suggestion(for: component, among: candidates))", key: "component")
            return nil
        }
        let name = reference.service
        guard let service = catalog.service(named: name) else {
            read.object.error("no service is named \"\(name)\"\(Self.suggestion(for: name, among: catalog.serviceNames))", key: "component")
            return nil
        }
        if let count = service.instances, reference.index >= count {
            let range = count == 1 ? "1 instance, \(name)[0]" : "\(count) instances, \(name)[0] to \(name)[\(count - 1)]"
            let counting = specs[name]?.autoscaler != nil ? " (counting those its autoscaler may start)" : ""
            read.object.error("no instance \(instance); '\(name)' has \(range)\(counting)", key: "component")
            return nil
        }
        guard let entry else { return (.instance, name) }
        if service.threadPools.contains(entry) { return (.threadPool, name) }
        guard let entryPoints = service.entryPoints else { return nil }
        guard entryPoints.contains(entry) else {
            read.object.error("no entry point of '\(name)' is named \"\(entry)\"\(Self.suggestion(for: entry, among: entryPoints))", key: "component")
            return nil
        }
        guard entryPoints.count > 1 else {
            read.object.error("'\(name)' has one entry point, which is not a component of its own; name the instance, '\(instance)'", key: "component")
            return nil
        }
        return (.entryPoint, name)
    }

    /// `cf[0].http` as `cf[0]` and `http`; `cf[0]` as itself and nil; nil for a name without `[`.
    static func instanceAndEntry(_ text: String) -> (instance: String, entry: String?)? {
        guard text.contains("["), let close = text.firstIndex(of: "]") else { return nil }
        let instance = String(text[...close])
        let rest = text[text.index(after: close)...]
        if rest.isEmpty { return (instance, nil) }
        guard rest.first == ".", rest.count > 1 else { return nil }
        return (instance, String(rest.dropFirst()))
    }

    // MARK: Metrics

    private func checkMetric(_ metric: String, in file: MetricCatalogue.File, of component: String, kind: Kind?,
                             service: ServiceSpec?, client: ClientBehaviour?, in read: ExpectationDecoder.Read) {
        func report(_ message: String) { read.object.error(message, key: "metric") }
        let shaped = { (file: MetricCatalogue.File, kind: Kind?) in
            MetricCatalogue.metrics(in: file).filter { entry in
                entry.suffix(of: metric) != nil && (kind.map { entry.kinds.contains($0) } ?? true)
            }
        }
        guard let kind else {
            // The component is unknown (and reported); the metric can still be unknown to every kind.
            if shaped(.series, nil).isEmpty && shaped(.summary, nil).isEmpty {
                let names = Self.unsuffixedNames(in: file)
                report("no metric is named \"\(metric)\"\(Self.suggestion(for: metric, among: names))")
            }
            return
        }
        switch kind {
        case .model:
            read.object.error("the model has no metrics, only run-level events; name a service, an instance, an endpoint, a traffic source or a user population",
                              key: "component")
            return
        case .entryPoint:
            let instance = Self.instanceAndEntry(component)?.instance ?? component
            let entry = Self.instanceAndEntry(component)?.entry ?? ""
            read.object.error("an entry point has no rows of its own; its metrics are its instance's, such as 'threadsBusy.\(entry)' of '\(instance)'",
                              key: "component")
            return
        case .threadPool:
            let instance = Self.instanceAndEntry(component)?.instance ?? component
            let pool = Self.instanceAndEntry(component)?.entry ?? ""
            read.object.error("a shared thread pool has no rows of its own; its metrics are its instance's, such as 'threadPoolBusy.\(pool)' of '\(instance)'",
                              key: "component")
            return
        default:
            break
        }
        let isServiceLike = kind == .service || kind == .instance
        if isServiceLike && service == nil {
            // The service could not be read: only the shape of the name is checked.
            if !shaped(file, kind).isEmpty { return }
        }
        let valid = MetricCatalogue.metricNames(in: file, for: kind, service: service, client: client)
        if valid.contains(metric) { return }
        if let client, let entry = shaped(file, kind).first, !entry.condition.holds(for: client) {
            report("\(metric) is not written: \(entry.condition.reason(service: component, dependency: nil))")
            return
        }
        let suggestion = Self.suggestion(for: metric, among: valid)
        let owner = service?.name ?? component
        // The right shape for this file and kind: the suffix or the condition is wrong.
        if let service, let entry = shaped(file, kind).first, let suffix = entry.suffix(of: metric) {
            switch entry.suffix {
            case .dependency:
                guard let dependency = service.dependencies.first(where: { $0.name == suffix }) else {
                    let names = service.dependencies.map(\.name)
                    report(names.isEmpty
                        ? "'\(owner)' has no dependencies, so no metric \(entry.pattern)"
                        : "'\(owner)' has no dependency named \"\(suffix)\"\(Self.suggestion(for: metric, among: valid, or: suffix, among: names))")
                    return
                }
                report("\(metric) is not written: \(entry.condition.reason(service: owner, dependency: dependency.name))")
            case .entryPoint:
                let names = service.entryPoints.map(\.name)
                guard names.contains(suffix) else {
                    report("'\(owner)' has no entry point named \"\(suffix)\"\(Self.suggestion(for: metric, among: valid, or: suffix, among: names))")
                    return
                }
                report("\(metric) is not written: '\(owner)' has one entry point, and '\(entry.name)' covers it")
            case .threadPool:
                let names = service.threadPools.map(\.name)
                report(names.isEmpty
                    ? "'\(owner)' has no shared thread pools, so no metric \(entry.pattern)"
                    : "'\(owner)' has no thread pool named \"\(suffix)\"\(Self.suggestion(for: metric, among: valid, or: suffix, among: names))")
            case .lock:
                let names = service.lockNames
                report(names.isEmpty
                    ? "'\(owner)' takes no lock, so no metric \(entry.pattern)"
                    : "'\(owner)' takes no lock named \"\(suffix)\"\(Self.suggestion(for: metric, among: valid, or: suffix, among: names))")
            case .none:
                report("\(metric) is not written: \(entry.condition.reason(service: owner, dependency: nil))")
            }
            return
        }
        let other: MetricCatalogue.File = file == .series ? .summary : .series
        if !shaped(other, kind).isEmpty {
            // A `--metric` selector is read as an expectation; its fix is written in its own terms.
            let isSelector = read.object.diagnostics.place(of: read.object.node.location).hasPrefix("--metric ")
            let how = switch (file, isSelector) {
            case (.series, false): "an expectation with 'from', 'to' or 'aggregate' reads series.csv; remove them to read summary.csv"
            case (.series, true): "a selector with '@FROM..TO' or ':AGGREGATE' reads series.csv; remove them to read summary.csv"
            case (_, false): "an expectation without 'from', 'to' or 'aggregate' reads summary.csv; add 'aggregate' to read series.csv"
            case (_, true): "a selector without '@FROM..TO' or ':AGGREGATE' reads summary.csv; add one, such as ':mean', to read series.csv"
            }
            report("\(metric) is a metric of \(other.rawValue), not \(file.rawValue): \(how)\(suggestion.isEmpty ? "" : ", or\(suggestion.dropFirst())")")
            return
        }
        let kinds = MetricCatalogue.File.allCases.flatMap { shaped($0, nil) }.flatMap(\.kinds)
        if !kinds.isEmpty {
            let owners = Kind.allCases.filter(kinds.contains).map(\.plural)
            report("\(file.rawValue) has no metric \"\(metric)\" for \(kind.withArticle); it is a metric of \(Self.list(owners))\(suggestion)")
            return
        }
        report("\(file.rawValue) has no metric \"\(metric)\" for \(kind.withArticle)\(suggestion)")
    }

    /// The names of a file's metrics, each once, without their suffixes.
    private static func unsuffixedNames(in file: MetricCatalogue.File) -> [String] {
        var seen: Set<String> = []
        return MetricCatalogue.metrics(in: file).map(\.name).filter { seen.insert($0).inserted }
    }

    /// The suggestion of the closest valid metric, or else of the closest name for its suffix:
    /// `; did you mean 'connectionsLeaked.db'?`.
    private static func suggestion(for metric: String, among valid: [String], or suffix: String, among names: [String]) -> String {
        let full = suggestion(for: metric, among: valid)
        return full.isEmpty ? suggestion(for: suffix, among: names) : full
    }

    /// `a, b and c`.
    private static func list(_ words: [String]) -> String {
        words.count <= 1 ? words.joined() : words.dropLast().joined(separator: ", ") + " and " + words.last!
    }

    // MARK: Events

    private func checkEvent(_ event: String, of component: String, kind: Kind?, service: ServiceSpec?, serviceName: String?,
                            in read: ExpectationDecoder.Read) {
        func report(_ message: String) { read.object.error(message, key: "event") }
        let all = MetricCatalogue.events.map(\.name)
        guard let kind else {
            if MetricCatalogue.event(named: event) == nil {
                report("no event is named \"\(event)\"\(Self.suggestion(for: event, among: all))")
            }
            return
        }
        let entryPointCount = service?.entryPoints.count ?? serviceName.flatMap { catalog.service(named: $0)?.entryPoints?.count } ?? 1
        // An expectation on a service counts its instances' events too, but not their entry points'.
        let counted: [Kind] = kind == .service ? [.service, .instance] : [kind]
        func isCounted(_ candidate: MetricCatalogue.Event) -> Bool {
            if candidate.isPerEntryPoint && kind != .entryPoint && kind != .threadPool && entryPointCount > 1 { return false }
            return candidate.kinds.contains { counted.contains($0) }
        }
        let valid = MetricCatalogue.events.filter(isCounted).map(\.name)
        if valid.contains(event) { return }
        guard let known = MetricCatalogue.event(named: event) else {
            let suggestion = Self.suggestion(for: event, among: valid)
            report("no event is named \"\(event)\"\(suggestion.isEmpty ? Self.suggestion(for: event, among: all) : suggestion)")
            return
        }
        let owner = serviceName ?? component
        if known.isPerEntryPoint && entryPointCount > 1 && (kind == .service || kind == .instance) {
            let instance = kind == .instance ? component : "\(owner)[0]"
            let entry = (service?.entryPoints.first?.name ?? serviceName.flatMap { catalog.service(named: $0)?.entryPoints?.first }) ?? "ENTRY"
            report("'\(owner)' has several entry points, so \(event) is recorded for each entry point of an instance, such as '\(instance).\(entry)'")
            return
        }
        let recorders = Kind.allCases.filter(known.kinds.contains).map(\.plural)
        let suggestion = Self.suggestion(for: event, among: valid)
        report("\(event) is recorded for \(Self.list(recorders)), not for \(kind.withArticle)\(kind == .service ? " or its instances" : "")\(suggestion)")
    }
}
