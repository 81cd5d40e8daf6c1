import FailureChains
import SimulationKernel

extension ModelDecoder {
    /// The fault kinds, as values of `kind`.
    static let faultKinds = ["slow", "latency", "hang", "refuse", "error", "blackhole", "failover", "crash", "leak", "spike", "misread", "flush"]

    /// The keys of each kind, besides `at`, `duration`, `target` and `kind`.
    static let faultKeys: [String: [String]] = [
        "slow": ["factor"], "latency": ["latency"], "error": ["afterLatency", "probability"], "failover": ["staleDelay"],
        "leak": ["perRequest", "perSecond"], "spike": ["factor"], "misread": ["factor"],
    ]

    /// What a fault of a kind may hit.
    private enum FaultTarget {
        case endpoint, serviceOrInstance, trafficSource
        /// A service (not one instance) with an autoscaler.
        case autoscaledService
        /// An endpoint, or the own work of a service or an instance.
        case endpointOrWork
    }

    /// `{ at, duration, target, kind, ... }` with the keys of the kind.
    func decodeFault(_ object: ObjectReader) -> FaultSpec? {
        let start = object.duration("at", bounds: .atLeast(.zero), required: true)
        let duration = object.duration("duration", bounds: .positive)
        let target = object.requiredString("target")
        let kindValue = object.value("kind", required: true)
        let allKindKeys = Set(Self.faultKeys.values.joined()).sorted()
        guard let kindValue, let kindName = kindValue.string(), Self.faultKinds.contains(kindName) else {
            if case .string(let text)? = kindValue?.node.value {
                kindValue?.error("unknown fault kind '\(text)'\(Self.suggestion(for: text, among: Self.faultKinds)); known: \(Self.faultKinds.joined(separator: ", "))")
            }
            // Without a kind, its keys cannot be told from unknown ones; they are not reported.
            for key in allKindKeys { _ = object.contains(key) }
            object.finish()
            return nil
        }
        let ownKeys = Self.faultKeys[kindName] ?? []
        for key in allKindKeys where !ownKeys.contains(key) && object.contains(key) {
            object.error("does not apply to a '\(kindName)' fault", key: key)
        }

        var kind: FaultSpec.Kind?
        var sort = FaultTarget.endpoint
        var probability = 1.0
        switch kindName {
        case "slow":
            kind = object.number("factor", bounds: .positive, required: true).map { .slow(factor: $0) }
            sort = .endpointOrWork
        case "latency":
            kind = object.value("latency", required: true).flatMap { DistributionDecoder.decode($0) }.map { .latency($0) }
        case "hang":
            kind = .hang
            sort = .endpointOrWork
        case "refuse":
            kind = .refuse
        case "blackhole":
            kind = .blackhole
        case "error":
            let afterLatency = object.value("afterLatency").map { $0.bool() } ?? .some(false)
            let share = object.number("probability", bounds: Bounds(lower: 0, isLowerInclusive: false, upper: 1))
            probability = share ?? 1
            // A probability that was reported as wrong leaves no fault to build.
            kind = object.node("probability") != nil && share == nil ? nil : afterLatency.map { .error(afterLatency: $0) }
            sort = .endpointOrWork
            if let target, object.node("probability") != nil, catalog.names(of: .endpoint).contains(target) {
                object.error("'probability' applies to an 'error' fault on a service or an instance; an endpoint's share of errors is its 'errorProbability'",
                             key: "probability")
            }
        case "failover":
            let staleDelay = object.value("staleDelay").map { $0.duration(bounds: .atLeast(.zero)) } ?? .some(ModelDefaults.failoverStaleDelay)
            kind = staleDelay.map { .failover(staleDelay: $0) }
        case "crash":
            kind = .crash
            sort = .serviceOrInstance
        case "flush":
            kind = .flush
            sort = .serviceOrInstance
        case "leak":
            let perRequest = object.value("perRequest").map { $0.size(bounds: .nonNegative) } ?? .some(0)
            let perSecond = object.value("perSecond").map { $0.size(bounds: .nonNegative) } ?? .some(0)
            sort = .serviceOrInstance
            if let perRequest, let perSecond {
                if perRequest == 0 && perSecond == 0 {
                    object.error("a leak needs a non-zero 'perRequest' or 'perSecond'")
                } else {
                    kind = .leak(perRequest: perRequest, perSecond: perSecond)
                }
            }
        case "misread":
            kind = object.number("factor", bounds: Bounds(0...1_000_000), required: true).map { .misread(factor: $0) }
            sort = .autoscaledService
        default:  // spike
            kind = object.number("factor", bounds: .positive, required: true).map { .spike(factor: $0) }
            sort = .trafficSource
        }
        if kindName == "crash" || kindName == "failover" || kindName == "flush", object.node("duration") != nil {
            object.error("a '\(kindName)' fault happens at an instant and takes no duration", key: "duration")
        }
        if let target { checkFaultTarget(target, kind: kindName, sort: sort, in: object) }
        object.finish()
        guard let start, let target, let kind else { return nil }
        var fault = FaultSpec(target: target, start: start, duration: duration, kind: kind)
        fault.probability = probability
        return fault
    }


    /// Checks that a fault's target is of the sort its kind hits.
    private func checkFaultTarget(_ target: String, kind: String, sort: FaultTarget, in object: ObjectReader) {
        let instance = Self.instanceReference(target)
        if sort == .endpointOrWork {
            if catalog.names(of: .endpoint).contains(target) { return }
            let name = instance?.service ?? target
            guard let service = catalog.service(named: name) else {
                if let other = catalog.sort(of: name) {
                    object.error("fault '\(kind)' needs an endpoint, a service or an instance; '\(name)' is \(other.withArticle)", key: "target")
                } else {
                    let candidates = catalog.names(of: .endpoint) + catalog.serviceNames
                    object.error("no endpoint or service is named \"\(name)\"\(Self.suggestion(for: name, among: candidates))", key: "target")
                }
                return
            }
            checkInstanceIndex(target, of: service, named: name, instance: instance, in: object)
            return
        }
        switch sort {
        case .endpoint, .trafficSource:
            let wanted: ModelCatalog.Sort = sort == .endpoint ? .endpoint : .trafficSource
            let candidates = catalog.names(of: wanted)
            if candidates.contains(target) { return }
            if let other = catalog.sort(of: target) {
                object.error("fault '\(kind)' needs \(wanted.withArticle); '\(target)' is \(other.withArticle)", key: "target")
            } else if let instance, catalog.service(named: instance.service) != nil {
                object.error("fault '\(kind)' needs \(wanted.withArticle); '\(target)' is an instance", key: "target")
            } else {
                object.error("no \(wanted.word) is named \"\(target)\"\(Self.suggestion(for: target, among: candidates))", key: "target")
            }
        case .serviceOrInstance:
            let name = instance?.service ?? target
            guard let service = catalog.service(named: name) else {
                if let other = catalog.sort(of: name) {
                    object.error("fault '\(kind)' needs a service or an instance; '\(name)' is \(other.withArticle)", key: "target")
                } else {
                    object.error("no service is named \"\(name)\"\(Self.suggestion(for: name, among: catalog.serviceNames))", key: "target")
                }
                return
            }
            checkInstanceIndex(target, of: service, named: name, instance: instance, in: object)
        case .autoscaledService:
            guard let service = catalog.service(named: target) else {
                if let instance, catalog.service(named: instance.service) != nil {
                    object.error("fault '\(kind)' needs a service with an autoscaler; '\(target)' is an instance (a misread is the autoscaler's, which sees the whole farm)", key: "target")
                } else if let other = catalog.sort(of: target) {
                    object.error("fault '\(kind)' needs a service with an autoscaler; '\(target)' is \(other.withArticle)", key: "target")
                } else {
                    object.error("no service is named \"\(target)\"\(Self.suggestion(for: target, among: catalog.serviceNames))", key: "target")
                }
                return
            }
            if !service.hasAutoscaler {
                object.error("fault '\(kind)' needs a service with an autoscaler; '\(target)' has none", key: "target")
            }
        case .endpointOrWork:
            break
        }
    }

    /// Checks that an instance a fault names (`cf[4]`) is one its service has.
    private func checkInstanceIndex(_ target: String, of service: ModelCatalog.Service, named name: String,
                                    instance: (service: String, index: Int)?, in object: ObjectReader) {
        guard let instance, let count = service.instances, instance.index >= count else { return }
        let range = count == 1 ? "1 instance, \(name)[0]" : "\(count) instances, \(name)[0] to \(name)[\(count - 1)]"
        object.error("no instance \(target); '\(name)' has \(range)", key: "target")
    }

    /// `cf[2]` as the service `cf` and the index 2; nil for anything else.
    static func instanceReference(_ text: String) -> (service: String, index: Int)? {
        guard text.hasSuffix("]"), let open = text.lastIndex(of: "[") else { return nil }
        let service = String(text[..<open])
        let digits = text[text.index(after: open)..<text.index(before: text.endIndex)]
        guard !service.isEmpty, !digits.isEmpty, digits.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        return (service, Int(digits) ?? .max)
    }
}
