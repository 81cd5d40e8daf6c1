import FailureChains
import ModelFormat
import SimulationKernel

/// Writes random valid model files, as a user could: a few services that call later ones (so
/// the calls form no cycle), endpoints, open traffic and closed users, and faults of every kind,
/// with the stability patterns switched on at random.
///
/// Everything is drawn from one `RandomStream` keyed by the seed, so a seed names one model for
/// good: a failing case is reproduced from the seed the test prints. The text goes through
/// `ModelLoader`, so a model the decoder rejects is a bug of this generator, not a skipped case.
struct RandomModels {
    private var stream: RandomStream
    private let seed: UInt64
    /// Whether this model uses round numbers only: durations in whole tenths of a second,
    /// constant laws and evenly spaced arrivals, so that events meet at the same instants and
    /// the order of ties is put to the test.
    private var isRound = false

    init(seed: UInt64) {
        self.seed = seed
        stream = RandomStream(seed: seed, component: "randomModels", purpose: "model")
    }

    /// The model file of a seed, as JSON5 text.
    static func text(seed: UInt64) -> String {
        var generator = RandomModels(seed: seed)
        return generator.makeModel()
    }

    /// The model of a seed, decoded and validated.
    static func model(seed: UInt64) throws -> SystemModel {
        try ModelLoader.load(bytes: Array(text(seed: seed).utf8), file: "random-\(seed).json5").model
    }

    // MARK: Draws

    private mutating func chance(_ probability: Double) -> Bool { stream.nextUnit() < probability }
    private mutating func integer(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(stream.next(below: UInt64(range.upperBound - range.lowerBound + 1)))
    }
    private mutating func pick<T>(_ choices: [T]) -> T { choices[integer(0...(choices.count - 1))] }
    /// A duration string of a whole number of milliseconds in the range (of tenths of a second,
    /// where the range has one, in a round model).
    private mutating func milliseconds(_ range: ClosedRange<Int>) -> String {
        var value = integer(range)
        if isRound, range.contains(value / 100 * 100) { value = value / 100 * 100 }
        return "\"\(value)ms\""
    }

    // MARK: The model

    private struct ServicePlan {
        var name: String
        var instances: Int
        /// Instance slots: `maximumInstances` for an autoscaled service.
        var slots: Int
        var entryPoints: [String]
        var hasHeap: Bool
    }

    private mutating func makeModel() -> String {
        isRound = chance(0.3)
        let durationSeconds = integer(10...60)
        let serviceCount = integer(1...4)
        let endpointCount = integer(0...3)
        var endpoints: [String] = []
        var lines: [String] = ["{", "  faultline: 1,", "  name: \"random-\(seed)\","]
        var run = "  run: { duration: \"\(durationSeconds)s\", seed: \(seed), interval: \"\(pick(["1s", "2s", "3s", "7s", "500ms"]))\", maximumEvents: 400000"
        if chance(0.2) { run += ", warmup: \"\(integer(1...(durationSeconds - 1)))s\"" }
        if chance(0.1) { run += ", endAfterCompletions: \(integer(50...2000))" }
        lines.append(run + " },")
        if endpointCount > 0 {
            lines.append("  endpoints: [")
            for index in 0..<endpointCount {
                endpoints.append("e\(index)")
                var endpoint = "    { name: \"e\(index)\", latency: \(distribution(scale: 50))"
                if chance(0.3) { endpoint += ", errorProbability: \(pick([0.01, 0.1, 0.5, 1.0]))" }
                lines.append(endpoint + " },")
            }
            lines.append("  ],")
        }
        // Plan the services first: dependencies and faults refer to their names and entry points.
        var plans: [ServicePlan] = []
        for index in 0..<serviceCount {
            let instances = integer(1...4)
            let hasAutoscaler = chance(0.15)
            let entryPoints = chance(0.3) ? ["main"] : (0..<integer(1...3)).map { "ep\($0)" }
            plans.append(ServicePlan(name: "s\(index)", instances: instances, slots: hasAutoscaler ? instances + integer(0...3) : instances,
                                     entryPoints: entryPoints, hasHeap: chance(0.3)))
        }
        lines.append("  services: [")
        for index in plans.indices {
            lines.append(contentsOf: service(plans[index], callable: Array(plans[(index + 1)...]), endpoints: endpoints))
        }
        lines.append("  ],")
        var sources: [String] = []
        let sourceCount = integer(0...3)
        let populationCount = integer(sourceCount == 0 ? 1...2 : 0...2)
        if sourceCount > 0 {
            lines.append("  traffic: [")
            for index in 0..<sourceCount {
                sources.append("t\(index)")
                lines.append("    " + source(name: "t\(index)", target: pick(plans), durationSeconds: durationSeconds) + ",")
            }
            lines.append("  ],")
        }
        if populationCount > 0 {
            lines.append("  users: [")
            for index in 0..<populationCount {
                lines.append("    " + population(name: "u\(index)", target: pick(plans)) + ",")
            }
            lines.append("  ],")
        }
        let faultCount = integer(0...6)
        if faultCount > 0 {
            lines.append("  faults: [")
            for _ in 0..<faultCount {
                if let fault = fault(durationSeconds: durationSeconds, plans: plans, endpoints: endpoints, sources: sources) {
                    lines.append("    " + fault + ",")
                }
            }
            lines.append("  ],")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Services

    private mutating func service(_ plan: ServicePlan, callable: [ServicePlan], endpoints: [String]) -> [String] {
        var dependencies: [String] = []
        var dependencyNames: [String] = []
        let targets = callable.map { "service: \"\($0.name)\"" } + endpoints.map { "endpoint: \"\($0)\"" }
        if !targets.isEmpty && plan.entryPoints != ["main"] {
            for index in 0..<integer(0...3) {
                var target = pick(targets)
                if target.hasPrefix("service"), chance(0.5), let callee = callable.first(where: { target.contains("\"\($0.name)\"") }) {
                    target += ", entryPoint: \"\(pick(callee.entryPoints))\""
                }
                dependencyNames.append("d\(index)")
                dependencies.append("{ name: \"d\(index)\", \(target)\(dependencyOptions()) }")
            }
        }
        var fields = ["name: \"\(plan.name)\"", "instances: \(plan.instances)"]
        if plan.entryPoints == ["main"] {
            fields.append("threads: \(integer(1...8))")
            if let queue = queue() { fields.append("queue: \(queue)") }
            fields.append("serviceTime: \(distribution(scale: 20))")
            if chance(0.2) { fields.append("shedding: \(shedding())") }
            if chance(0.15) { fields.append("failFast: true") }
        } else {
            var entries: [String] = []
            for name in plan.entryPoints {
                var entry = "{ name: \"\(name)\", threads: \(integer(1...8))"
                if let queue = queue() { entry += ", queue: \(queue)" }
                entry += ", steps: [\(steps(calls: dependencyNames, hasHeap: plan.hasHeap, depth: 0).joined(separator: ", "))]"
                if chance(0.2) { entry += ", shedding: \(shedding())" }
                if chance(0.2) { entry += ", failFast: true" }
                entries.append(entry + " }")
            }
            fields.append("entryPoints: [\n        " + entries.joined(separator: ",\n        ") + "]")
        }
        if !dependencies.isEmpty { fields.append("dependencies: [\n        " + dependencies.joined(separator: ",\n        ") + "]") }
        if chance(0.5) { fields.append("balancer: \(balancer(entryPoints: plan.entryPoints))") }
        if chance(0.5) { fields.append("lifecycle: \(lifecycle())") }
        if chance(0.2) { fields.append("scalability: { contention: \(pick([0, 0.05, 0.3])), coherency: \(pick([0, 0.001, 0.05])) }") }
        if plan.hasHeap { fields.append("heap: \(heap())") }
        if plan.slots > plan.instances || chance(0.05) {
            let minimum = integer(1...plan.instances)
            fields.append("autoscaler: { targetUtilisation: \"\(pick([30, 50, 70, 90]))%\", interval: \"\(integer(1...10))s\", "
                + "provisioningLag: \(milliseconds(0...3000)), minimumInstances: \(minimum), maximumInstances: \(plan.slots), maximumChange: \(integer(1...3)) }")
        }
        return ["    { " + fields.joined(separator: ",\n      ") + " },"]
    }

    private mutating func queue() -> String? {
        switch integer(0...4) {
        case 0: return nil
        case 1: return "\"unbounded\""
        case 2: return "0"
        default: return "\(integer(1...20))"
        }
    }

    private mutating func shedding() -> String {
        switch integer(0...2) {
        case 0: return "{ maximumQueueLength: \(integer(0...10)) }"
        case 1: return "{ maximumQueueAge: \(milliseconds(1...2000)) }"
        default: return "{ maximumQueueLength: \(integer(0...10)), maximumQueueAge: \(milliseconds(1...2000)) }"
        }
    }

    private mutating func steps(calls: [String], hasHeap: Bool, depth: Int) -> [String] {
        var list: [String] = []
        for _ in 0..<integer(depth == 0 ? 1...4 : 0...2) {
            switch integer(0...9) {
            case 0...3: list.append("{ cpu: \(distribution(scale: 10)) }")
            case 4...6 where !calls.isEmpty: list.append("{ call: \"\(pick(calls))\" }")
            case 7 where hasHeap: list.append("{ session: true }")
            case 8 where depth < 2:
                let branches = (0..<integer(1...3)).map { _ in
                    "{ weight: \(pick([0.5, 1, 3, 10])), steps: [\(steps(calls: calls, hasHeap: hasHeap, depth: depth + 1).joined(separator: ", "))] }"
                }
                list.append("{ choose: [\(branches.joined(separator: ", "))] }")
            default: list.append("{ cpu: \(milliseconds(0...30)) }")
            }
        }
        return list
    }

    private mutating func dependencyOptions() -> String {
        var options = ""
        if chance(0.5) {
            var pool = "size: \(integer(1...6))"
            if chance(0.5) { pool += ", checkoutTimeout: \(pick(["\"0s\"", "\"none\"", milliseconds(1...1000)]))" }
            if chance(0.4) { pool += ", leakOnError: true" }
            options += ", pool: { \(pool) }"
        }
        if chance(0.3) { options += ", connectTimeout: \(milliseconds(1...500))" }
        if chance(0.5) { options += ", readTimeout: \(milliseconds(1...1500))" }
        if chance(0.3) { options += ", breaker: \(breaker())" }
        if chance(0.35) { options += ", retry: \(retry())" }
        if chance(0.25) { options += ", bulkhead: { maximumConcurrentCalls: \(integer(1...5)) }" }
        return options
    }

    private mutating func breaker() -> String {
        let fallback = chance(0.3) ? ", fallback: { cost: \(distribution(scale: 2)) }" : (chance(0.3) ? ", fallback: \"error\"" : "")
        if chance(0.5) {
            return "{ failureThreshold: \(integer(1...6)), resetTimeout: \(milliseconds(100...5000))\(fallback) }"
        }
        let window = chance(0.5) ? "{ calls: \(integer(1...30)) }" : "{ seconds: \(integer(1...10)) }"
        return "{ kind: \"rate\", window: \(window), minimumCalls: \(integer(1...20)), failureRateThreshold: \"\(pick([10, 50, 100]))%\", "
            + "slowCallRateThreshold: \"\(pick([20, 80, 100]))%\", slowCallDuration: \(milliseconds(10...2000)), waitInOpen: \(milliseconds(100...5000)), "
            + "permittedCallsInHalfOpen: \(integer(1...5))\(fallback) }"
    }

    private mutating func retry() -> String {
        var retry = "maximumAttempts: \(integer(1...4))"
        switch integer(0...2) {
        case 0: retry += ", backoff: \"none\""
        case 1: retry += ", backoff: { constant: \(milliseconds(0...300)) }"
        default:
            let base = integer(1...100)
            retry += ", backoff: { exponential: { base: \"\(base)ms\", multiplier: \(pick([1, 1.5, 2, 3])), cap: \"\(base + integer(0...1000))ms\" } }"
        }
        if chance(0.6) { retry += ", jitter: \"\(pick(["none", "full", "equal", "decorrelated"]))\"" }
        if chance(0.4) {
            let kinds = ["timeout", "error", "refused"].filter { _ in chance(0.6) }
            retry += ", retryOn: [\(kinds.map { "\"\($0)\"" }.joined(separator: ", "))]"
        }
        switch integer(0...4) {
        case 0: retry += ", budget: \"grpc\""
        case 1: retry += ", budget: \"aws\""
        case 2: retry += ", budget: { tokenBucket: { maximumTokens: \(integer(1...10)), tokenRatio: \(pick([0.1, 0.5, 1])) } }"
        case 3: retry += ", budget: { awsStandard: { capacity: \(integer(5...50)), retryCost: \(integer(1...5)), timeoutRetryCost: \(integer(1...10)), noRetryIncrement: \(integer(0...2)) } }"
        default: break
        }
        return "{ \(retry) }"
    }

    private mutating func balancer(entryPoints: [String]) -> String {
        var balancer = "strategy: \"\(pick(["roundRobin", "random", "leastOutstanding", "powerOfTwo"]))\""
        if chance(0.5) {
            var check = "interval: \(milliseconds(200...3000)), timeout: \(milliseconds(50...1000)), unhealthyThreshold: \(integer(1...3)), "
                + "healthyThreshold: \(integer(1...3)), kind: \"\(pick(["shallow", "deep"]))\""
            if chance(0.5) { check += ", entryPoint: \"\(pick(entryPoints))\"" }
            if chance(0.3) { check += ", busyThreshold: \"\(pick([50, 90, 100]))%\"" }
            balancer += ", healthCheck: { \(check) }"
        }
        return "{ \(balancer) }"
    }

    private mutating func lifecycle() -> String {
        var parts: [String] = []
        if chance(0.5) { parts.append("startupTime: \(milliseconds(0...3000))") }
        let never = chance(0.15)
        if never { parts.append("restartDelay: \"never\"") } else if chance(0.7) { parts.append("restartDelay: \(milliseconds(0...5000))") }
        if chance(0.4) {
            parts.append("warmupTime: \(milliseconds(0...5000))")
            parts.append("warmupSlowdown: \(pick([1, 2, 10]))")
        }
        if chance(0.4) { parts.append("resetsConnectionsOnCrash: \(chance(0.5))") }
        if !never && chance(0.3) { parts.append("supervisor: { maximumRestarts: \(integer(1...3)), period: \"\(integer(1...60))s\" }") }
        return "{ \(parts.joined(separator: ", ")) }"
    }

    private mutating func heap() -> String {
        let size = integer(1...20)
        var heap = "size: \"\(size)MB\", baseline: \"\(integer(0...(size * 1000 - 1)))kB\", sessionSize: \"\(pick([0, 10, 100, 500, 2000]))kB\""
        if chance(0.7) { heap += ", sessionTimeout: \(chance(0.2) ? "\"never\"" : milliseconds(100...20000))" }
        if chance(0.3) { heap += ", purgeInterval: \(milliseconds(100...5000))" }
        if chance(0.3) { heap += ", gcThreshold: \(pick([0.1, 0.5, 0.9])), gcMaximumShare: \(pick([0, 0.5, 0.99]))" }
        return "{ \(heap) }"
    }

    // MARK: Distributions

    /// A distribution of durations around `scale` milliseconds.
    private mutating func distribution(scale: Int) -> String {
        let a = integer(1...(2 * scale)), b = integer(1...(2 * scale))
        let low = min(a, b), high = max(a, b) + 1
        if isRound && chance(0.8) { return "\"\(integer(0...2) * scale)ms\"" }
        switch integer(0...11) {
        case 0: return "\"\(integer(0...(2 * scale)))ms\""
        case 1: return "{ constant: \"\(a)ms\" }"
        case 2: return "{ exponential: \"\(a)ms\" }"
        case 3: return "{ uniform: { lower: \"\(low)ms\", upper: \"\(high)ms\" } }"
        case 4: return "{ normal: { mean: \"\(integer(0...(2 * scale)))ms\", standardDeviation: \"\(integer(0...scale))ms\" } }"
        case 5: return "{ lognormal: { median: \"\(low)ms\", p99: \"\(high * 3)ms\" } }"
        case 6: return "{ lognormal: { mean: \"\(a)ms\", standardDeviation: \"\(b)ms\" } }"
        case 7: return "{ gamma: { shape: \(pick([0.3, 1, 2.5, 10])), mean: \"\(a)ms\" } }"
        case 8: return "{ erlang: { k: \(integer(1...5)), mean: \"\(a)ms\" } }"
        case 9: return "{ pareto: { minimum: \"\(max(1, a / 4))ms\", shape: \(pick([1.1, 1.5, 2.5, 4])) } }"
        case 10: return "{ boundedPareto: { lower: \"\(low)ms\", upper: \"\(high * 20)ms\", shape: \(pick([0.5, 1.2, 2])) } }"
        default: return "{ empirical: [[0, \"\(low)ms\"], [\(integer(1...98)), \"\(high)ms\"], [100, \"\(high * 4)ms\"]] }"
        }
    }

    // MARK: Traffic

    private mutating func clientBehaviour() -> String {
        var behaviour = ""
        if chance(0.3) { behaviour += ", clientTimeout: \(milliseconds(10...3000))" }
        if chance(0.25) { behaviour += ", reload: { after: \(milliseconds(10...2000)), maximumAttempts: \(integer(2...4)) }" }
        if chance(0.2) { behaviour += ", cookies: false" }
        return behaviour
    }

    private mutating func entryPoint(of target: ServicePlan) -> String {
        chance(0.5) ? ", entryPoint: \"\(pick(target.entryPoints))\"" : ""
    }

    /// A rate per second; in a round model one whose gap is a whole number of milliseconds.
    private mutating func rate(upTo limit: Int) -> Int {
        isRound ? pick([0, 1, 2, 4, 5, 8, 10, 20, 25, 40, 50].filter { $0 <= limit }) : integer(0...limit)
    }

    private mutating func source(name: String, target: ServicePlan, durationSeconds: Int) -> String {
        var source = "{ name: \"\(name)\", target: \"\(target.name)\"\(entryPoint(of: target))"
        if chance(isRound ? 0.8 : 0.3) { source += ", arrivals: \"deterministic\"" }
        switch integer(0...3) {
        case 0, 1: source += ", rate: \"\(rate(upTo: 60))/s\""
        case 2:
            var points = ["{ at: \"0s\", rate: \"\(rate(upTo: 40))/s\" }"]
            var at = 0
            for _ in 0..<integer(0...4) {
                at += integer(1...max(1, durationSeconds / 3))
                points.append("{ at: \"\(at)s\", rate: \"\(rate(upTo: 60))/s\"\(chance(0.5) ? ", shape: \"ramp\"" : "") }")
            }
            source += ", profile: [\(points.joined(separator: ", "))]"
        default:
            let trough = integer(0...20)
            source += ", daily: { trough: \"\(trough)/s\", peak: \"\(trough + integer(0...40))/s\", peakAt: \"\(integer(0...23))h\" }"
        }
        if chance(0.3) { source += ", visit: { requests: \(integer(1...5)), thinkTime: \(distribution(scale: 200)) }" }
        return source + clientBehaviour() + " }"
    }

    private mutating func population(name: String, target: ServicePlan) -> String {
        var population = "{ name: \"\(name)\", target: \"\(target.name)\"\(entryPoint(of: target)), population: \(integer(1...40)), thinkTime: \(distribution(scale: 300))"
        if chance(0.3) { population += ", requestsPerSession: \(integer(1...10))" }
        return population + clientBehaviour() + " }"
    }

    // MARK: Faults

    private mutating func fault(durationSeconds: Int, plans: [ServicePlan], endpoints: [String], sources: [String]) -> String? {
        let at = "at: \(milliseconds(0...(durationSeconds * 1000 - 1)))"
        let duration = chance(0.7) ? ", duration: \(milliseconds(1...(durationSeconds * 600)))" : ""
        switch integer(0...2) {
        case 0 where !endpoints.isEmpty:
            let target = "target: \"\(pick(endpoints))\""
            switch integer(0...6) {
            case 0: return "{ \(at)\(duration), \(target), kind: \"slow\", factor: \(pick([0.5, 2, 10, 100])) }"
            case 1: return "{ \(at)\(duration), \(target), kind: \"latency\", latency: \(distribution(scale: 500)) }"
            case 2: return "{ \(at)\(duration), \(target), kind: \"hang\" }"
            case 3: return "{ \(at)\(duration), \(target), kind: \"refuse\" }"
            case 4: return "{ \(at)\(duration), \(target), kind: \"error\"\(chance(0.5) ? ", afterLatency: true" : "") }"
            case 5: return "{ \(at)\(duration), \(target), kind: \"blackhole\" }"
            default: return "{ \(at), \(target), kind: \"failover\"\(chance(0.5) ? ", staleDelay: \(milliseconds(0...3000))" : "") }"
            }
        case 1 where !sources.isEmpty:
            return "{ \(at)\(duration), target: \"\(pick(sources))\", kind: \"spike\", factor: \(pick([0.1, 2, 5])) }"
        default:
            let service = pick(plans)
            let target = chance(0.5) ? "target: \"\(service.name)\"" : "target: \"\(service.name)[\(integer(0...(service.slots - 1)))]\""
            switch integer(0...4) {
            case 0: return "{ \(at)\(duration), \(target), kind: \"slow\", factor: \(pick([0.5, 3, 20])) }"
            case 1: return "{ \(at)\(duration), \(target), kind: \"hang\" }"
            case 2: return "{ \(at)\(duration), \(target), kind: \"error\", probability: \(pick([0.1, 0.5, 1]))\(chance(0.5) ? ", afterLatency: true" : "") }"
            default: break
            }
            if chance(0.6) || !service.hasHeap { return "{ \(at), \(target), kind: \"crash\" }" }
            var leak = ""
            switch integer(0...2) {
            case 0: leak = "perRequest: \"\(pick([1, 50, 500]))kB\""
            case 1: leak = "perSecond: \"\(pick([10, 500, 5000]))kB\""
            default: leak = "perRequest: \"\(pick([1, 50]))kB\", perSecond: \"\(pick([10, 500]))kB\""
            }
            return "{ \(at)\(duration), \(target), kind: \"leak\", \(leak) }"
        }
    }
}
