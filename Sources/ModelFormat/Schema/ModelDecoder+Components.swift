import FailureChains
import SimulationKernel

/// A decoded component with the reader of its object, so later checks can point at it.
struct Decoded<Spec> {
    var spec: Spec
    var object: ObjectReader
}

/// What the steps of a service's entry points may refer to.
private struct ServiceContext {
    /// The names of the service's dependencies as written, or nil when they cannot all be read.
    var dependencyNames: [String]?
    /// Whether the service declares a heap (valid or not).
    var hasHeap: Bool
    /// The names of the service's shared thread pools as written, or nil when they cannot all be read.
    var threadPoolNames: [String]? = []
    /// The names of the model's locks as written.
    var lockNames: [String] = []
}

extension ModelDecoder {
    // MARK: Services

    func decodeService(_ object: ObjectReader) -> Decoded<ServiceSpec>? {
        let name = object.requiredString("name").flatMap { checkName($0, key: "name", in: object) }
        let instanceCount = object.integer("instances", bounds: Bounds(1...ModelLimits.instancesPerService))
        let instances = instanceCount ?? 1
        let dependencyList = object.node.member("dependencies")
        let poolList = object.node.member("threadPools")
        let context = ServiceContext(dependencyNames: dependencyList == nil ? [] : ModelCatalog.allNames(in: dependencyList),
                                     hasHeap: object.node.member("heap") != nil,
                                     threadPoolNames: poolList == nil ? [] : ModelCatalog.allNames(in: poolList),
                                     lockNames: catalog.lockNames)
        let entryPoints = decodeEntryPoints(object, context: context)
        let threadPools = decodeThreadPools(object, entryPoints: entryPoints)
        let dependencies = decodeDependencies(object)
        let entryPointList = object.node.member("entryPoints")
        let entryPointNames = entryPointList == nil ? [EntryPointSpec.defaultName] : ModelCatalog.allNames(in: entryPointList)
        let balancer = decodeBalancer(object.object("balancer"), entryPointNames: entryPointNames)
        let lifecycle = decodeLifecycle(object.object("lifecycle"))
        let heap: HeapSpec?? = object.object("heap").map(decodeHeap) ?? .some(nil)
        // An instance count that was reported as wrong is not compared with the autoscaler's bounds.
        let knownInstances = instanceCount ?? (object.node("instances") == nil ? 1 : nil)
        let autoscaler: AutoscalerSpec?? = object.object("autoscaler").map { decodeAutoscaler($0, instances: knownInstances) } ?? .some(nil)
        let scalability: ScalabilitySpec?? = object.object("scalability").map(decodeScalability) ?? .some(nil)
        let disk: DiskSpec?? = object.object("disk").map(decodeDisk) ?? .some(nil)
        object.finish()
        guard let name, let entryPoints, let threadPools, let dependencies, let balancer, let lifecycle, let heap, let autoscaler,
              let scalability, let disk else { return nil }
        var service = ServiceSpec(name: name, instances: instances, entryPoints: entryPoints, dependencies: dependencies,
                                  balancer: balancer, lifecycle: lifecycle, heap: heap, autoscaler: autoscaler,
                                  threadPools: threadPools)
        service.scalability = scalability
        service.disk = disk
        return Decoded(spec: service, object: object)
    }

    /// `{ size, baseline, perRequest, perSecond, failAt, rotation: { every, keep } }`.
    private func decodeDisk(_ object: ObjectReader) -> DiskSpec? {
        let size = object.size("size", bounds: .positive, required: true)
        let baseline = object.size("baseline", bounds: .nonNegative)
        let perRequest = object.size("perRequest", bounds: .nonNegative)
        let perSecond = object.size("perSecond", bounds: .nonNegative)
        let failAt: Double?? = object.value("failAt").map(fraction) ?? .some(nil)
        let rotation: DiskRotationSpec?? = object.object("rotation").map(decodeDiskRotation) ?? .some(nil)
        if let size, let baseline, baseline >= size {
            let written = { (key: String) in object.node(key)?.text ?? "" }
            object.error("must be less than the disk size (\(written("size"))), found \(written("baseline"))", key: "baseline")
        }
        object.finish()
        let isRead = { (key: String, value: Int64?) in object.node(key) == nil || value != nil }
        guard let size, let failAt, let rotation, isRead("baseline", baseline), isRead("perRequest", perRequest),
              isRead("perSecond", perSecond), baseline ?? 0 < size else { return nil }
        return DiskSpec(size: size, baseline: baseline ?? 0, perRequest: perRequest ?? 0, perSecond: perSecond ?? 0,
                        failAtMillionths: failAt.map { Int64(($0 * 1_000_000).rounded()) } ?? DiskSpec.defaultFailAtMillionths,
                        rotation: rotation)
    }

    /// `{ every, keep }`: both required.
    private func decodeDiskRotation(_ object: ObjectReader) -> DiskRotationSpec? {
        let every = object.duration("every", bounds: .positive, required: true)
        let keep = object.integer("keep", bounds: Bounds(0...ModelLimits.rotatedFilesKept), required: true)
        object.finish()
        guard let every, let keep else { return nil }
        return DiskRotationSpec(every: every, keep: keep)
    }

    /// `{ contention, coherency }`, each a number from 0 to 1, default 0.
    private func decodeScalability(_ object: ObjectReader) -> ScalabilitySpec? {
        let contention = object.number("contention", bounds: Bounds(0...1))
        let coherency = object.number("coherency", bounds: Bounds(0...1))
        object.finish()
        if object.node("contention") != nil && contention == nil || object.node("coherency") != nil && coherency == nil { return nil }
        return ScalabilitySpec(contention: contention ?? 0, coherency: coherency ?? 0)
    }

    /// `threadPools`: pools of threads shared by the entry points that name them (`threadPool`),
    /// each with a name, `threads`, and optionally `queue` and `shedding`. Every pool must be used,
    /// and no pool has an entry point's name (both name components of an instance: `cf[0].x`).
    private func decodeThreadPools(_ object: ObjectReader, entryPoints: [EntryPointSpec]?) -> [ThreadPoolSpec]? {
        guard object.contains("threadPools") else { return [] }
        guard let elements = object.objects("threadPools") else { return nil }
        checkUniqueNames(elements)
        var pools: [ThreadPoolSpec]? = []
        for element in elements {
            let name = element.requiredString("name").flatMap { checkName($0, key: "name", in: element) }
            let threads = element.integer("threads", bounds: Bounds(1...ModelLimits.threadsPerInstance), required: true)
            let queue = decodeQueueCapacity(element)
            let shedding = decodeShedding(element)
            element.finish()
            if let name, let entryPoints {
                if entryPoints.contains(where: { $0.name == name }) {
                    element.error("name \"\(name)\" is also an entry point's; a thread pool needs a name of its own", key: "name")
                } else if !entryPoints.contains(where: { $0.threadPool == name }) {
                    let names = entryPoints.map(\.name)
                    element.error("no entry point uses thread pool \"\(name)\"; give 'threadPool: \"\(name)\"' to one of \(names.map { "'\($0)'" }.joined(separator: ", ")), or remove the pool",
                                  key: "name")
                }
            }
            guard let name, let threads, let queue, let shedding else {
                pools = nil
                continue
            }
            pools?.append(ThreadPoolSpec(name: name, threads: threads, queueCapacity: queue.capacity, shedding: shedding))
        }
        return pools
    }

    /// Either the simple form (`threads`, `queue`, `serviceTime`, with `shedding` and `failFast`:
    /// one entry point, `main`, whose requests do CPU work) or `entryPoints`, not both.
    private func decodeEntryPoints(_ object: ObjectReader, context: ServiceContext) -> [EntryPointSpec]? {
        let simpleKeys = ["threads", "queue", "serviceTime"]
        if object.contains("entryPoints") {
            if let first = simpleKeys.filter(object.contains).first {
                object.error("give either 'entryPoints' or 'threads', 'queue' and 'serviceTime', not both", key: first)
            }
            for key in ["shedding", "failFast", "admission"] where object.contains(key) {
                object.error("a service with 'entryPoints' gives '\(key)' on each entry point", key: key)
            }
            guard let elements = object.objects("entryPoints") else { return nil }
            if elements.isEmpty {
                object.error("a service needs at least one entry point", key: "entryPoints")
                return nil
            }
            checkUniqueNames(elements)
            let entryPoints = elements.map { decodeEntryPoint($0, context: context) }
            return entryPoints.contains { $0 == nil } ? nil : entryPoints.compactMap { $0 }
        }
        let threads = object.integer("threads", bounds: Bounds(1...ModelLimits.threadsPerInstance), required: true)
        let queue = decodeQueueCapacity(object)
        let serviceTime = object.value("serviceTime", required: true).flatMap { DistributionDecoder.decode($0) }
        let shedding = decodeShedding(object)
        let failsFast = object.value("failFast").map { $0.bool() } ?? .some(false)
        let admission = decodeAdmission(object)
        guard let threads, let queue, let serviceTime, let shedding, let failsFast, let admission else { return nil }
        return [EntryPointSpec(name: EntryPointSpec.defaultName, threads: threads, queueCapacity: queue.capacity, steps: [.cpu(serviceTime)],
                               shedding: shedding, failsFast: failsFast, admission: admission)]
    }

    private func decodeEntryPoint(_ object: ObjectReader, context: ServiceContext) -> EntryPointSpec? {
        let name = object.requiredString("name").flatMap { checkName($0, key: "name", in: object) }
        if object.contains("threadPool") {
            return decodeEntryPointOnSharedPool(object, name: name, context: context)
        }
        let threads = object.integer("threads", bounds: Bounds(1...ModelLimits.threadsPerInstance), required: true)
        let queue = decodeQueueCapacity(object)
        let steps = decodeSteps(object, context: context)
        let shedding = decodeShedding(object)
        let failsFast = object.value("failFast").map { $0.bool() } ?? .some(false)
        let admission = decodeAdmission(object)
        object.finish()
        guard let name, let threads, let queue, let steps, let shedding, let failsFast, let admission else { return nil }
        return EntryPointSpec(name: name, threads: threads, queueCapacity: queue.capacity, steps: steps, shedding: shedding, failsFast: failsFast,
                              admission: admission)
    }

    /// An entry point that names a shared pool (`threadPool`) takes its threads, queue and shedding
    /// from the pool, so it gives none of its own.
    private func decodeEntryPointOnSharedPool(_ object: ObjectReader, name: String?, context: ServiceContext) -> EntryPointSpec? {
        var pool = object.string("threadPool")
        for key in ["threads", "queue", "shedding"] where object.contains(key) {
            object.error("an entry point on a shared thread pool takes its threads, queue and shedding from the pool; leave out '\(key)'", key: key)
            pool = nil
        }
        if let name = pool, let names = context.threadPoolNames, !names.contains(name) {
            object.error(names.isEmpty ? "no thread pool is named \"\(name)\"; declare it in the service's 'threadPools'"
                                       : "no thread pool of this service is named \"\(name)\"\(Self.suggestion(for: name, among: names))",
                         key: "threadPool")
            pool = nil
        }
        let steps = decodeSteps(object, context: context)
        let failsFast = object.value("failFast").map { $0.bool() } ?? .some(false)
        let admission = decodeAdmission(object)
        object.finish()
        guard let name, let pool, context.threadPoolNames != nil, let steps, let failsFast, let admission else { return nil }
        return EntryPointSpec(name: name, threads: 0, queueCapacity: nil, steps: steps, failsFast: failsFast, threadPool: pool, admission: admission)
    }

    /// `queue`: a count of waiting places, or `"unbounded"` (the default).
    private func decodeQueueCapacity(_ object: ObjectReader) -> (capacity: Int?, Void)? {
        guard let value = object.value("queue") else { return (nil, ()) }
        if case .string(let text) = value.node.value {
            if text == "unbounded" { return (nil, ()) }
            value.error("expected a number of waiting places or \"unbounded\", found \"\(text)\"")
            return nil
        }
        guard let capacity = value.integer(bounds: Bounds(0...ModelLimits.queueCapacity)) else { return nil }
        return (capacity, ())
    }

    // MARK: Steps

    /// The kinds of step, as keys.
    static let stepKinds = ["cpu", "call", "session", "choose", "lock"]

    private func decodeSteps(_ object: ObjectReader, context: ServiceContext) -> [Step]? {
        guard let values = object.array("steps", required: true) else { return nil }
        if values.isEmpty {
            object.error("an entry point needs at least one step", key: "steps")
            return nil
        }
        if values.count > ModelLimits.stepsPerEntryPoint {
            object.error("an entry point may have at most \(ModelLimits.stepsPerEntryPoint) steps, found \(values.count)", key: "steps")
            return nil
        }
        let steps = values.map { decodeStep($0, context: context) }
        return steps.contains { $0 == nil } ? nil : steps.compactMap { $0 }
    }

    /// `{ cpu: DISTRIBUTION }`, `{ call: "dependency" }` or `{ session: true }`.
    private func decodeStep(_ value: ValueReader, context: ServiceContext) -> Step? {
        guard case .object(let members) = value.node.value else {
            value.error("expected a step such as { cpu: \"5ms\" }, { call: \"db\" } or { session: true }, found \(value.node.typeName)")
            return nil
        }
        if members.contains(where: { $0.key == "lock" }), let object = value.object() {
            return decodeLockStep(object, context: context)
        }
        guard members.count == 1, let member = members.first, let object = value.object() else {
            value.error("a step has exactly one key (\(Self.stepKinds.joined(separator: ", "))), found \(members.count) keys")
            return nil
        }
        switch member.key {
        case "cpu":
            return object.value("cpu").flatMap { DistributionDecoder.decode($0) }.map { .cpu($0) }
        case "call":
            guard let name = object.string("call"), let names = context.dependencyNames else { return nil }
            guard let index = names.firstIndex(of: name) else {
                object.error("no dependency of this service is named \"\(name)\"\(Self.suggestion(for: name, among: names))", key: "call")
                return nil
            }
            return .call(index)
        case "session":
            guard let flag = object.bool("session") else { return nil }
            guard flag else {
                object.error("must be true; leave the step out for no session", key: "session")
                return nil
            }
            guard context.hasHeap else {
                object.error("a session step needs a heap; give the service a 'heap'", key: "session")
                return nil
            }
            return .session
        case "choose":
            return decodeMix(object, context: context)
        default:
            let suggestion = Self.suggestion(for: member.key, among: Self.stepKinds)
            value.diagnostics.error("unknown step '\(member.key)'\(suggestion); known: \(Self.stepKinds.joined(separator: ", "))",
                                    at: member.keyLocation, path: value.path)
            return nil
        }
    }

    /// `{ lock: "item", hold: DISTRIBUTION }`: wait for a key of the model's lock, hold it, release it.
    private func decodeLockStep(_ object: ObjectReader, context: ServiceContext) -> Step? {
        let name = object.string("lock")
        let hold = object.value("hold", required: true).flatMap { DistributionDecoder.decode($0) }
        object.finish()
        guard let name else { return nil }
        guard context.lockNames.contains(name) else {
            object.error(context.lockNames.isEmpty ? "no lock is named \"\(name)\"; declare it in the model's 'locks'"
                                                   : "no lock is named \"\(name)\"\(Self.suggestion(for: name, among: context.lockNames))",
                         key: "lock")
            return nil
        }
        guard let hold else { return nil }
        return .lock(name, hold: hold)
    }

    /// `{ choose: [{ weight: 0.995, steps: [...] }, { weight: 0.005, steps: [...] }] }`: a
    /// transaction mix; a branch's steps may be empty (it does nothing more).
    private func decodeMix(_ object: ObjectReader, context: ServiceContext) -> Step? {
        guard let elements = object.objects("choose") else { return nil }
        guard !elements.isEmpty else {
            object.error("a mix needs at least one branch", key: "choose")
            return nil
        }
        var branches: [StepBranch] = []
        var isValid = true
        for element in elements {
            let weight = element.number("weight", bounds: Bounds(lower: 0, isLowerInclusive: false, upper: ModelLimits.largestMixWeight),
                                        required: true)
            var steps: [Step]? = []
            if let values = element.array("steps", required: true) {
                let decoded = values.map { decodeStep($0, context: context) }
                steps = decoded.contains { $0 == nil } ? nil : decoded.compactMap { $0 }
            } else {
                steps = nil
            }
            element.finish()
            if let weight, let steps { branches.append(StepBranch(weight: weight, steps: steps)) } else { isValid = false }
        }
        return isValid ? .choose(branches) : nil
    }

    // MARK: Dependencies

    private func decodeDependencies(_ object: ObjectReader) -> [DependencySpec]? {
        guard let elements = object.objects("dependencies") else {
            return object.node("dependencies") == nil ? [] : nil
        }
        checkUniqueNames(elements)
        let hasHeap = object.node.member("heap") != nil
        let dependencies = elements.map { decodeDependency($0, hasHeap: hasHeap) }
        return dependencies.contains { $0 == nil } ? nil : dependencies.compactMap { $0 }
    }

    /// `{ name, service (+ entryPoint) or endpoint or messageQueue, pool, connectTimeout, readTimeout, breaker, retry, bulkhead, cache }`.
    private func decodeDependency(_ object: ObjectReader, hasHeap: Bool) -> DependencySpec? {
        let name = object.requiredString("name").flatMap { checkName($0, key: "name", in: object) }
        var target: DependencySpec.Target?
        let isQueue = object.contains("messageQueue")
        switch (object.contains("service"), object.contains("endpoint")) {
        case (true, true):
            object.error("give either 'service' or 'endpoint', not both", key: "endpoint")
            _ = object.contains("entryPoint")
        case (true, false) where isQueue, (false, true) where isQueue:
            object.error("give one of 'service', 'endpoint' and 'messageQueue', not two", key: "messageQueue")
            _ = object.contains("entryPoint")
        case (false, false) where isQueue:
            if let queue = object.string("messageQueue"), checkReference(queue, to: .messageQueue, key: "messageQueue", in: object) {
                target = .messageQueue(name: queue)
            }
            // Publishing is no connection: no pool, no connect or read timeout (a full queue's
            // producer waits up to the queue's own `blockTimeout`).
            for key in ["entryPoint", "pool", "connectTimeout", "readTimeout"] where object.contains(key) {
                object.error("a message queue is published to without a connection; '\(key)' is for a service or an endpoint", key: key)
                target = nil
            }
        case (false, false):
            object.error("missing required key 'service' (or 'endpoint', or 'messageQueue')")
            _ = object.contains("entryPoint")
        case (true, false):
            let service = object.string("service")
            let entryPoint = object.string("entryPoint")
            if let service, checkReference(service, to: .service, key: "service", in: object) {
                if let entryPoint { checkEntryPoint(entryPoint, of: service, key: "entryPoint", in: object) }
                if object.node("entryPoint") == nil || entryPoint != nil {
                    target = .service(name: service, entryPoint: entryPoint)
                }
            }
        case (false, true):
            if let endpoint = object.string("endpoint"), checkReference(endpoint, to: .endpoint, key: "endpoint", in: object) {
                target = .endpoint(name: endpoint)
            }
            if object.contains("entryPoint") {
                object.error("an endpoint has no entry points; 'entryPoint' is for a dependency on a service", key: "entryPoint")
                target = nil
            }
        }
        let pool: PoolSpec?? = object.object("pool").map(decodePool) ?? .some(nil)
        let connectTimeout = durationOrWord(object, "connectTimeout", word: "none", bounds: .positive, default: nil)
        let readTimeout = durationOrWord(object, "readTimeout", word: "none", bounds: .positive, default: nil)
        let breaker: CircuitBreakerSpec?? = object.object("breaker").map(decodeBreaker) ?? .some(nil)
        let retry: RetryPolicy?? = object.object("retry").map(decodeRetry) ?? .some(nil)
        let bulkhead: Int?? = object.object("bulkhead").map(decodeBulkhead) ?? .some(nil)
        let cache: CacheSpec?? = object.object("cache").map(decodeCache) ?? .some(nil)
        let result: ResultSpec?? = object.object("result").map { decodeResult($0, target: target, hasHeap: hasHeap) } ?? .some(nil)
        object.finish()
        guard let name, let target, let pool, let connectTimeout, let readTimeout, let breaker, let retry, let bulkhead, let cache, let result else { return nil }
        var dependency = DependencySpec(name: name, target: target, pool: pool, connectTimeout: connectTimeout, readTimeout: readTimeout,
                                        breaker: breaker, retry: retry, maximumConcurrentCalls: bulkhead, cache: cache)
        dependency.result = result
        return dependency
    }

    /// `{ rows, growth, purgeInterval, share, limit, perRow, bytesPerRow, queryPerRow }`: how many rows
    /// a call's answer has and what they cost. Heap bytes need the service's heap; a query time
    /// per row needs an endpoint (a service called takes its own steps' time).
    private func decodeResult(_ object: ObjectReader, target: DependencySpec.Target?, hasHeap: Bool) -> ResultSpec? {
        let rows = object.integer("rows", bounds: Bounds(0...Int(ModelLimits.resultRows)), required: true)
        let growthRate = object.rate("growth", bounds: Bounds(0...ModelLimits.highestRate))
        let growth = growthRate ?? 0
        let purgeInterval = object.duration("purgeInterval", bounds: .positive)
        let share: Distribution?? = object.value("share").map(decodeShare) ?? .some(nil)
        let limit = object.integer("limit", bounds: Bounds(1...Int(ModelLimits.resultRows)))
        let perRow = object.duration("perRow", bounds: .atLeast(.zero)) ?? .zero
        let bytesPerRow = object.size("bytesPerRow", bounds: .nonNegative) ?? 0
        let queryPerRow = object.duration("queryPerRow", bounds: .atLeast(.zero)) ?? .zero
        if bytesPerRow > 0 && !hasHeap {
            object.error("rows held on the heap need a heap; give the service a 'heap', or leave 'bytesPerRow' out", key: "bytesPerRow")
        }
        if case .service? = target, queryPerRow > .zero {
            object.error("'queryPerRow' is the time an endpoint takes per row; a service called takes the time of its own steps", key: "queryPerRow")
        }
        object.finish()
        guard let rows, let share, object.node("purgeInterval") == nil || purgeInterval != nil,
              object.node("limit") == nil || limit != nil, object.node("growth") == nil || growthRate != nil,
              bytesPerRow == 0 || hasHeap else { return nil }
        if case .service? = target, queryPerRow > .zero { return nil }
        return ResultSpec(rows: Int64(rows), growthPerSecond: growth, purgeInterval: purgeInterval, share: share, limit: limit.map(Int64.init),
                          perRow: perRow.seconds, bytesPerRow: bytesPerRow, queryPerRow: queryPerRow.seconds)
    }

    /// A result's `share`: a fraction from 0 to 1 (`0.01`), or `{ uniform: [lower, upper] }` or
    /// `{ exponential: mean }` of fractions, drawn per call and kept within [0, 1].
    private func decodeShare(_ value: ValueReader) -> Distribution? {
        if case .number = value.node.value { return value.number(bounds: Bounds(0...1)).map { .constant($0) } }
        guard case .object(let members) = value.node.value, members.count == 1, let law = members.first?.key,
              let object = value.object() else {
            value.error("expected a share from 0 to 1, or { uniform: [lower, upper] } or { exponential: mean } of shares, found \(value.node.typeName)")
            return nil
        }
        switch law {
        case "exponential":
            return object.number("exponential", bounds: Bounds(lower: 0, isLowerInclusive: false, upper: 1)).map { .exponential(mean: $0) }
        case "uniform":
            guard let bounds = object.array("uniform"), bounds.count == 2,
                  let lower = bounds[0].number(bounds: Bounds(0...1)), let upper = bounds[1].number(bounds: Bounds(0...1)) else {
                if object.node("uniform") != nil { object.error("expected [lower, upper], two shares from 0 to 1", key: "uniform") }
                return nil
            }
            guard lower <= upper else {
                object.error("upper must not be below lower", key: "uniform")
                return nil
            }
            return .uniform(lower: lower, upper: upper)
        default:
            value.error("unknown law '\(law)' for a share; known: uniform, exponential")
            return nil
        }
    }

    /// `{ size, checkoutTimeout, leakOnError }`.
    private func decodePool(_ object: ObjectReader) -> PoolSpec? {
        let size = object.integer("size", bounds: Bounds(1...ModelLimits.poolSize), required: true)
        let checkoutTimeout = durationOrWord(object, "checkoutTimeout", word: "none", bounds: .atLeast(.zero), default: nil)
        let leakOnError = object.value("leakOnError").map { $0.bool() } ?? .some(false)
        object.finish()
        guard let size, let checkoutTimeout, let leakOnError else { return nil }
        return PoolSpec(size: size, checkoutTimeout: checkoutTimeout, leakOnError: leakOnError)
    }

    // MARK: Balancer, lifecycle, heap

    /// `{ strategy, healthCheck }`; round robin without health checks when absent.
    private func decodeBalancer(_ object: ObjectReader?, entryPointNames: [String]?) -> BalancerSpec? {
        guard let object else { return BalancerSpec() }
        let strategy = choice(object, "strategy", default: BalancerSpec.Strategy.roundRobin)
        let healthCheck: HealthCheckSpec?? = object.object("healthCheck").map { decodeHealthCheck($0, entryPointNames: entryPointNames) } ?? .some(nil)
        object.finish()
        guard let strategy, let healthCheck else { return nil }
        return BalancerSpec(strategy: strategy, healthCheck: healthCheck)
    }

    /// `entryPointNames` are the service's as written, or nil when they cannot all be read.
    private func decodeHealthCheck(_ object: ObjectReader, entryPointNames: [String]?) -> HealthCheckSpec? {
        let interval = object.duration("interval", bounds: .positive) ?? ModelDefaults.healthCheckInterval
        let timeout = object.duration("timeout", bounds: .positive) ?? ModelDefaults.healthCheckTimeout
        let thresholds = Bounds(1...ModelLimits.healthCheckThreshold)
        let unhealthy = object.integer("unhealthyThreshold", bounds: thresholds) ?? ModelDefaults.unhealthyThreshold
        let healthy = object.integer("healthyThreshold", bounds: thresholds) ?? ModelDefaults.healthyThreshold
        let kind = choice(object, "kind", default: HealthCheckSpec.Kind.shallow)
        var entryPoint: Int? = 0
        if let name = object.string("entryPoint") {
            entryPoint = entryPointNames?.firstIndex(of: name)
            if let entryPointNames, entryPoint == nil {
                object.error("no entry point of this service is named \"\(name)\"\(Self.suggestion(for: name, among: entryPointNames))",
                             key: "entryPoint")
            }
        } else if object.node("entryPoint") != nil {
            entryPoint = nil
        }
        let busyThreshold: Double?? = object.value("busyThreshold").map(fraction) ?? .some(nil)
        object.finish()
        guard let kind, let entryPoint, let busyThreshold else { return nil }
        return HealthCheckSpec(interval: interval, timeout: timeout, unhealthyThreshold: unhealthy, healthyThreshold: healthy,
                               kind: kind, entryPoint: entryPoint, busyThreshold: busyThreshold)
    }

    /// `{ startupTime, restartDelay, warmupTime, warmupSlowdown, resetsConnectionsOnCrash, supervisor }`.
    private func decodeLifecycle(_ object: ObjectReader?) -> LifecycleSpec? {
        let defaults = LifecycleSpec()
        guard let object else { return defaults }
        let startupTime = object.duration("startupTime", bounds: .atLeast(.zero)) ?? defaults.startupTime
        let restartDelay = durationOrWord(object, "restartDelay", word: "never", bounds: .atLeast(.zero), default: defaults.restartDelay)
        let warmupTime = object.duration("warmupTime", bounds: .atLeast(.zero)) ?? defaults.warmupTime
        let slowdown = object.number("warmupSlowdown", bounds: Bounds(1...ModelLimits.warmupSlowdown)) ?? defaults.warmupSlowdown
        let resets = object.value("resetsConnectionsOnCrash").map { $0.bool() } ?? .some(defaults.resetsConnectionsOnCrash)
        let supervisor: SupervisorSpec?? = object.object("supervisor").map(decodeSupervisor) ?? .some(nil)
        if case .some(.none) = restartDelay, object.contains("supervisor") {
            object.error("a supervisor restarts crashed instances, but 'restartDelay' is \"never\"; give a delay or leave the supervisor out",
                         key: "supervisor")
        }
        object.finish()
        guard let restartDelay, let resets, let supervisor else { return nil }
        if restartDelay == nil && supervisor != nil { return nil }
        return LifecycleSpec(startupTime: startupTime, restartDelay: restartDelay, warmupTime: warmupTime, warmupSlowdown: slowdown,
                             resetsConnectionsOnCrash: resets, supervisor: supervisor)
    }

    /// `{ size, baseline, sessionSize, sessionTimeout, purgeInterval, gcThreshold, gcMaximumShare }`.
    private func decodeHeap(_ object: ObjectReader) -> HeapSpec? {
        let size = object.size("size", bounds: .positive, required: true)
        let baseline = object.size("baseline", bounds: .nonNegative)
        let sessionSize = object.size("sessionSize", bounds: .nonNegative) ?? 0
        // `"never"`: sessions never expire.
        let sessionTimeout = durationOrWord(object, "sessionTimeout", word: "never", bounds: .positive, default: ModelDefaults.sessionTimeout)
            .map { $0 ?? .forever }
        let purgeInterval = object.duration("purgeInterval", bounds: .positive)
        let threshold = object.number("gcThreshold", bounds: Bounds(lower: 0, isLowerInclusive: false, upper: 1, isUpperInclusive: false))
            ?? ModelDefaults.gcThreshold
        let share = object.number("gcMaximumShare", bounds: Bounds(lower: 0, upper: 1, isUpperInclusive: false))
            ?? ModelDefaults.gcMaximumShare
        if let size, let baseline, baseline >= size {
            let written = { (key: String) in object.node(key)?.text ?? "" }
            object.error("must be less than the heap size (\(written("size"))), found \(written("baseline"))", key: "baseline")
        }
        object.finish()
        guard let size, let sessionTimeout, object.node("purgeInterval") == nil || purgeInterval != nil else { return nil }
        return HeapSpec(size: size, baseline: baseline ?? 0, sessionSize: sessionSize, sessionTimeout: sessionTimeout,
                        gcThreshold: threshold, gcMaximumShare: share, purgeInterval: purgeInterval)
    }

    // MARK: Endpoints

    /// `{ name, latency, errorProbability, concurrency, queue }`.
    func decodeEndpoint(_ object: ObjectReader) -> EndpointSpec? {
        let name = object.requiredString("name").flatMap { checkName($0, key: "name", in: object) }
        let latency = object.value("latency", required: true).flatMap { DistributionDecoder.decode($0) }
        let errorProbability = object.number("errorProbability", bounds: Bounds(0...1)) ?? 0
        let concurrency = object.integer("concurrency", bounds: Bounds(1...ModelLimits.threadsPerInstance))
        let queue = decodeQueueCapacity(object)
        if object.contains("queue") && !object.contains("concurrency") {
            object.error("a queue holds calls waiting for one of the endpoint's slots; give 'concurrency' too, or leave 'queue' out",
                         key: "queue")
        }
        object.finish()
        guard let name, let latency, let queue, object.node("concurrency") == nil || concurrency != nil,
              !object.contains("queue") || object.contains("concurrency") else { return nil }
        return EndpointSpec(name: name, latency: latency, errorProbability: errorProbability, concurrency: concurrency,
                            queueCapacity: queue.capacity)
    }
}
