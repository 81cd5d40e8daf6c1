import FailureChains
import Foundation
import SimulationKernel
import Testing

/// A sink that checks, at the end of every series interval, what must hold in any run of any
/// valid model: every request offered so far has ended in exactly one way or is still in flight
/// (docs/output.md, "How a request ends"), no count is negative, and no level exceeds its
/// capacity. It reads what is in flight from `ChainSimulation.inspect()`, which also cross-checks
/// the engine's own bookkeeping against its live requests.
final class InvariantSink: ObservationSink {
    private struct ServiceFacts {
        var slots: Int
        var threads: [Int]
        var queues: [Int?]
        var spec: ServiceSpec
    }

    let model: SystemModel
    /// Set once the simulation exists; the sink is made first because the simulation needs it.
    unowned(unsafe) var simulation: ChainSimulation!
    private(set) var violations: [String] = []
    private(set) var intervals = 0
    private(set) var stateChanges: [String: Int] = [:]
    private var totals: [String: [String: Int64]] = [:]
    private var lastChange = Instant.zero
    private var services: [String: ServiceFacts] = [:]
    /// The service of each instance name.
    private var serviceOfInstance: [String: String] = [:]
    /// Each instance's state and admission as its state changes tell them, and each breaker's
    /// (by instance and dependency): what the rows at an interval's end must agree with.
    private var isUp: [String: Bool] = [:]
    private var isAdmitted: [String: Bool] = [:]
    private var breakerStates: [String: [EventText: String]] = [:]
    private var crashes: [String: Int64] = [:]
    /// Whether each instance was up, and admitted, at some moment of the current interval.
    private var wasUp: [String: Bool] = [:]
    private var wasAdmitted: [String: Bool] = [:]
    private var isParked: [String: Bool] = [:]

    init(model: SystemModel) {
        self.model = model
        for spec in model.services {
            let slots = max(spec.instances, spec.autoscaler?.maximumInstances ?? 0)
            services[spec.name] = ServiceFacts(slots: slots, threads: spec.entryPoints.map(\.threads),
                                               queues: spec.entryPoints.map(\.queueCapacity), spec: spec)
            for index in 0..<slots {
                serviceOfInstance[spec.instanceName(index)] = spec.name
                isUp[spec.instanceName(index)] = index < spec.instances
                isAdmitted[spec.instanceName(index)] = index < spec.instances
                isParked[spec.instanceName(index)] = index >= spec.instances
                wasUp[spec.instanceName(index)] = index < spec.instances
                wasAdmitted[spec.instanceName(index)] = index < spec.instances
            }
        }
    }

    private func fail(_ time: Instant, _ component: String, _ message: String) {
        if violations.count < 50 { violations.append("t=\(time.seconds)s \(component): \(message)") }
    }

    func stateChanged(_ change: StateChange) {
        stateChanges[change.event, default: 0] += 1
        let instance = change.component
        switch change.event {
        case "instanceCrashed":
            if isUp[instance] == nil { fail(change.time, instance, "instanceCrashed for no instance") }
            isUp[instance] = false
            breakerStates[instance] = nil  // a restarted process has fresh breakers
            crashes[instance, default: 0] += 1
        case "instanceParked":
            if isAdmitted[instance] == true { fail(change.time, instance, "parked while admitted") }
            isUp[instance] = false
            isParked[instance] = true
            breakerStates[instance] = nil
        case "instanceRestarting", "instanceProvisioned":
            if isUp[instance] == true { fail(change.time, instance, "\(change.event) while up") }
            if change.event == "instanceProvisioned" {
                if isParked[instance] != true { fail(change.time, instance, "provisioned, but not parked") }
                isParked[instance] = false
            }
        case "instanceUp":
            if isUp[instance] == true { fail(change.time, instance, "instanceUp while up") }
            isUp[instance] = true
            wasUp[instance] = true
        case "instanceEjected", "instanceReadmitted":
            let admitted = change.event == "instanceReadmitted"
            if isAdmitted[instance] == admitted { fail(change.time, instance, "\(change.event), but it already was") }
            if admitted && isParked[instance] == true { fail(change.time, instance, "readmitted while parked") }
            isAdmitted[instance] = admitted
            if admitted { wasAdmitted[instance] = true }
        case "breakerOpened": breakerStates[instance, default: [:]][change.detail] = "open"
        case "breakerHalfOpened": breakerStates[instance, default: [:]][change.detail] = "halfOpen"
        case "breakerClosed": breakerStates[instance, default: [:]][change.detail] = nil
        default: break
        }
        if change.time < lastChange { fail(change.time, change.component, "\(change.event) recorded before the previous change at \(lastChange.seconds)s") }
        lastChange = change.time
    }

    func intervalEnded(start: Instant, rows: [MetricRow]) {
        // Every interval but the last is whole: they start at 0, interval, 2 × interval, ...
        let expectedStart = Instant(nanoseconds: Int64(intervals) * model.run.interval.nanoseconds)
        if start != expectedStart { fail(start, model.name, "interval starts at \(start.seconds)s, expected \(expectedStart.seconds)s") }
        intervals += 1
        var byComponent: [String: [String: MetricValue]] = [:]
        var order: [String] = []
        for row in rows {
            if byComponent[row.component] == nil { order.append(row.component) }
            if byComponent[row.component, default: [:]][row.metric] != nil { fail(start, row.component, "\(row.metric) written twice") }
            byComponent[row.component, default: [:]][row.metric] = row.value
            switch row.value {
            case .count(let count): if count < 0 { fail(start, row.component, "\(row.metric) = \(count) is negative") }
            case .real(let value): if !value.isFinite || value < 0 { fail(start, row.component, "\(row.metric) = \(value)") }
            }
            if case .count(let count) = row.value { totals[row.component, default: [:]][row.metric, default: 0] += count }
        }
        let inspection = simulation.inspect()
        for problem in inspection.problems { fail(start, "engine", problem) }
        for service in model.services {
            guard let facts = services[service.name] else { continue }
            checkServiceRows(start, service.name, byComponent[service.name], facts: facts, instances: facts.slots, inspection: inspection)
            var upSum: Int64 = 0
            for index in 0..<facts.slots {
                let name = service.instanceName(index)
                checkServiceRows(start, name, byComponent[name], facts: facts, instances: nil, inspection: inspection)
                if case .count(let up)? = byComponent[name]?["up"] { upSum += up }
                checkAgainstStateChanges(start, name, byComponent[name] ?? [:], spec: service)
            }
            if case .count(let up)? = byComponent[service.name]?["instancesUp"], up != upSum {
                fail(start, service.name, "instancesUp \(up), but \(upSum) instances say up")
            }
        }
        for (instance, up) in isUp { wasUp[instance] = up }
        for (instance, admitted) in isAdmitted { wasAdmitted[instance] = admitted }
        for endpoint in model.endpoints { checkEndpoint(start, endpoint.name, byComponent[endpoint.name], inspection: inspection) }
        for source in model.traffic { checkTraffic(start, source.name, byComponent[source.name], behaviour: source.behaviour, inspection: inspection) }
        for users in model.users { checkTraffic(start, users.name, byComponent[users.name], behaviour: users.behaviour, inspection: inspection) }
    }

    /// Checks an instance's rows against what its state changes said: up, admitted, breakers.
    private func checkAgainstStateChanges(_ start: Instant, _ instance: String, _ rows: [String: MetricValue], spec: ServiceSpec) {
        // An instance the balancer never chose from in the interval was offered nothing; one
        // never up in it held no thread, queued nothing and answered nothing.
        if wasAdmitted[instance] == false, let offered = count(rows, "offered"), offered > 0 {
            fail(start, instance, "offered \(offered) while never admitted in the interval")
        }
        if wasUp[instance] == false {
            if (real(rows, "threadsBusy") ?? 0) > 0 || (real(rows, "queueLength") ?? 0) > 0 || (count(rows, "completed") ?? 0) > 0 {
                fail(start, instance, "busy while never up in the interval")
            }
        }
        if let up = count(rows, "up"), (up == 1) != isUp[instance] { fail(start, instance, "up = \(up), but its state changes say \(isUp[instance] == true ? "up" : "down")") }
        if let admitted = count(rows, "admitted"), (admitted == 1) != isAdmitted[instance] {
            fail(start, instance, "admitted = \(admitted), but its state changes say \(isAdmitted[instance] == true)")
        }
        for dependency in spec.dependencies where dependency.breaker != nil {
            let state = breakerStates[instance]?[EventText(dependency.name)] ?? "closed"
            let open = count(rows, "breakerOpen." + dependency.name) ?? -1, halfOpen = count(rows, "breakerHalfOpen." + dependency.name) ?? -1
            if open != (state == "open" ? 1 : 0) || halfOpen != (state == "halfOpen" ? 1 : 0) {
                fail(start, instance, "breaker \(dependency.name): open \(open), half-open \(halfOpen), but its state changes say \(state)")
            }
        }
    }

    /// Checks the summary against the series: without a warm-up the summary's counts are the
    /// sums of the intervals' counts, and every instance's crashes are its `instanceCrashed` changes.
    func checkSummary(_ result: RunResult) {
        let end = result.outcome.endTime
        for row in result.summary {
            if case .real(let value) = row.value, !value.isFinite || value < 0 { fail(end, row.component, "summary \(row.metric) = \(value)") }
            guard case .count(let value) = row.value else { continue }
            if value < 0 { fail(end, row.component, "summary \(row.metric) = \(value) is negative") }
            if row.metric == "crashes" {
                let recorded = isUp[row.component] != nil ? crashes[row.component, default: 0]
                    : crashes.filter { serviceOfInstance[$0.key] == row.component }.values.reduce(0, +)
                if value != recorded { fail(end, row.component, "summary crashes \(value), \(recorded) instanceCrashed changes") }
                continue
            }
            // A run stopped early exactly at an interval's end counts what came at that instant
            // after the interval was written in the summary only (docs/output.md).
            let stoppedOnBoundary = result.outcome.stopReason != .endTime && end.nanoseconds % model.run.interval.nanoseconds == 0
            guard model.run.warmup == .zero, !stoppedOnBoundary else { continue }
            let series = ["callsTotal.": "calls.", "callAttemptsTotal.": "callAttempts.", "rejectedByBulkheadTotal.": "rejectedByBulkhead.",
                          "rejectedByBreakerTotal.": "rejectedByBreaker."]
                .first { row.metric.hasPrefix($0.key) }.map { $0.value + row.metric.dropFirst($0.key.count) } ?? row.metric
            guard let sum = totals[row.component]?[series] else {
                fail(end, row.component, "summary \(row.metric) has no \(series) in the series")
                continue
            }
            if sum != value { fail(end, row.component, "summary \(row.metric) \(value) != \(sum) summed over the series") }
        }
    }

    /// The sum of a count over the intervals so far.
    func total(_ component: String, _ metric: String) -> Int64 { totals[component]?[metric] ?? 0 }

    private func count(_ rows: [String: MetricValue], _ metric: String) -> Int64? {
        if case .count(let value)? = rows[metric] { return value }
        return nil
    }

    private func real(_ rows: [String: MetricValue], _ metric: String) -> Double? { rows[metric]?.doubleValue }

    /// Checks that a row's outcome counts partition its requests: `completed` is the answered
    /// outcomes, `errors` the failed ones.
    private func checkOutcomes(_ start: Instant, _ component: String, _ rows: [String: MetricValue]) {
        let outcomes = ["offered", "completed", "goodput", "refused", "timedOut", "failed", "checkoutTimeouts", "aborted", "rejected", "shed"]
        for metric in outcomes where rows[metric] == nil { fail(start, component, "no \(metric) row") }
        let value = { (metric: String) in self.count(rows, metric) ?? 0 }
        let answered = value("goodput") + value("timedOut") + value("failed") + value("checkoutTimeouts") + value("rejected")
        if value("completed") != answered { fail(start, component, "completed \(value("completed")) != goodput + timedOut + failed + checkoutTimeouts + rejected = \(answered)") }
        if let errors = count(rows, "errors") {
            let sum = value("refused") + value("timedOut") + value("failed") + value("checkoutTimeouts") + value("aborted") + value("rejected") + value("shed")
            if errors != sum { fail(start, component, "errors \(errors) != the sum of the error outcomes \(sum)") }
        }
    }

    /// Checks the rows of a service (`instances` is its instance slots) or of one instance (`instances` is nil).
    private func checkServiceRows(_ start: Instant, _ component: String, _ rows: [String: MetricValue]?, facts: ServiceFacts, instances slots: Int?,
                                  inspection: Inspection) {
        let isInstance = slots == nil
        let instances = slots ?? 1
        guard let rows else {
            fail(start, component, "no rows")
            return
        }
        checkOutcomes(start, component, rows)
        let n = Double(instances)
        let completed = count(rows, "completed") ?? 0
        if (count(rows, "wasted") ?? 0) > completed { fail(start, component, "wasted \(count(rows, "wasted")!) > completed \(completed)") }
        let hasLatency = rows["latencyMean"] != nil
        if hasLatency != (completed > 0) { fail(start, component, "latencyMean written: \(hasLatency), completed \(completed)") }
        if let p50 = real(rows, "latencyP50"), let p95 = real(rows, "latencyP95"), let p99 = real(rows, "latencyP99"), !(p50 <= p95 && p95 <= p99) {
            fail(start, component, "percentiles out of order: \(p50), \(p95), \(p99)")
        }
        // No request took longer than the run so far (percentiles are bucket midpoints, within 1/128).
        let elapsed = (start + model.run.interval).seconds * (1 + 1.0 / 128) + 1e-9
        for metric in ["latencyMean", "latencyP50", "latencyP95", "latencyP99"] {
            if let latency = real(rows, metric), latency > elapsed { fail(start, component, "\(metric) \(latency) s, longer than the run so far") }
        }
        // The balance of requests: each one offered has ended in one way, or is still in flight.
        let inFlight = inspection.inFlight[component] ?? -1
        let ended = total(component, "completed") + total(component, "refused") + total(component, "aborted") + total(component, "shed")
        if total(component, "offered") != ended + inFlight {
            fail(start, component, "offered \(total(component, "offered")) != completed + refused + aborted + shed \(ended) + in flight \(inFlight)")
        }
        // Levels within their capacity (time averages with a little room for rounding).
        let slack = 1e-9
        let allThreads = Double(facts.threads.reduce(0, +)) * n
        let busy = real(rows, "threadsBusy") ?? 0
        if busy > allThreads + slack { fail(start, component, "threadsBusy \(busy) > \(allThreads) threads") }
        if facts.queues.allSatisfy({ $0 != nil }) {
            let capacity = Double(facts.queues.reduce(0) { $0 + $1! }) * n
            if let queued = real(rows, "queueLength"), queued > capacity + slack { fail(start, component, "queueLength \(queued) > capacity \(capacity)") }
        }
        if facts.spec.entryPoints.count > 1 {
            var busySum = 0.0
            for (index, entry) in facts.spec.entryPoints.enumerated() {
                let entryBusy = real(rows, "threadsBusy." + entry.name) ?? 0
                busySum += entryBusy
                if entryBusy > Double(facts.threads[index]) * n + slack { fail(start, component, "threadsBusy.\(entry.name) \(entryBusy) > \(Double(facts.threads[index]) * n)") }
                if let capacity = facts.queues[index], let queued = real(rows, "queueLength." + entry.name), queued > Double(capacity) * n + slack {
                    fail(start, component, "queueLength.\(entry.name) \(queued) > capacity \(Double(capacity) * n)")
                }
            }
            if abs(busySum - busy) > 1e-6 * max(1, busy) { fail(start, component, "threadsBusy \(busy) != sum over entry points \(busySum)") }
        }
        if !facts.spec.dependencies.isEmpty {
            var activities = real(rows, "threadsOnCpu") ?? 0
            for dependency in facts.spec.dependencies {
                let name = dependency.name
                activities += (real(rows, "threadsAtCheckout." + name) ?? 0) + (real(rows, "threadsInCall." + name) ?? 0)
                let calls = count(rows, "calls." + name) ?? 0
                let attempts = dependency.retry != nil ? (count(rows, "callAttempts." + name) ?? 0) : calls
                if attempts < calls { fail(start, component, "callAttempts.\(name) \(attempts) < calls \(calls)") }
                if let policy = dependency.retry, total(component, "callAttempts." + name) > total(component, "calls." + name) * Int64(policy.maximumAttempts) {
                    fail(start, component, "callAttempts.\(name) \(total(component, "callAttempts." + name)) > calls × \(policy.maximumAttempts)")
                }
                let rejected = (count(rows, "rejectedByBreaker." + name) ?? 0) + (count(rows, "rejectedByBulkhead." + name) ?? 0)
                if rejected > attempts { fail(start, component, "\(rejected) attempts to \(name) rejected of \(attempts)") }
                if dependency.breaker != nil {
                    let states = (count(rows, "breakerOpen." + name) ?? 0) + (count(rows, "breakerHalfOpen." + name) ?? 0)
                    if states > Int64(instances) { fail(start, component, "\(states) breakers of \(name) open or half-open, of \(instances)") }
                }
                if let pool = dependency.pool {
                    let inUse = count(rows, "connectionsInUse." + name) ?? -1, idle = count(rows, "connectionsIdle." + name) ?? -1
                    let leaked = count(rows, "connectionsLeaked." + name) ?? -1, waiting = count(rows, "connectionsWaiting." + name) ?? -1
                    if inUse + idle + leaked != Int64(pool.size * instances) {
                        fail(start, component, "\(name): \(inUse) in use + \(idle) idle + \(leaked) leaked != \(pool.size * instances)")
                    }
                    if waiting > Int64(facts.threads.reduce(0, +) * instances) { fail(start, component, "\(waiting) checkouts of \(name) waiting, more than the threads") }
                }
            }
            if abs(activities - busy) > 1e-6 * max(1, busy) { fail(start, component, "threadsOnCpu + atCheckout + inCall \(activities) != threadsBusy \(busy)") }
        }
        if let heap = facts.spec.heap {
            let up = isInstance ? (count(rows, "up") ?? 0) : (count(rows, "instancesUp") ?? 0)
            let used = count(rows, "heapUsed") ?? -1, sessions = count(rows, "sessions") ?? -1
            if used > heap.size * up { fail(start, component, "heapUsed \(used) > \(up) × heap \(heap.size)") }
            if used < heap.baseline * up + sessions * heap.sessionSize { fail(start, component, "heapUsed \(used) below baseline and sessions") }
            if let share = real(rows, "gcShare"), share > heap.gcMaximumShare + slack { fail(start, component, "gcShare \(share) > \(heap.gcMaximumShare)") }
        }
        if isInstance {
            if let up = count(rows, "up"), up > 1 { fail(start, component, "up = \(up)") }
            if let admitted = count(rows, "admitted"), admitted > 1 { fail(start, component, "admitted = \(admitted)") }
        } else {
            if let up = count(rows, "instancesUp"), up > Int64(instances) { fail(start, component, "instancesUp \(up) of \(instances)") }
            if let admitted = count(rows, "instancesAdmitted"), admitted > Int64(instances) { fail(start, component, "instancesAdmitted \(admitted) of \(instances)") }
        }
    }

    private func checkEndpoint(_ start: Instant, _ component: String, _ rows: [String: MetricValue]?, inspection: Inspection) {
        guard rows != nil else {
            fail(start, component, "no rows")
            return
        }
        let ended = total(component, "goodput") + total(component, "failed") + total(component, "timedOut") + total(component, "refused")
        let inFlight = inspection.inFlight[component] ?? -1, lost = inspection.lostInCrashes[component] ?? -1
        if total(component, "calls") != ended + inFlight + lost {
            fail(start, component, "calls \(total(component, "calls")) != ended \(ended) + in flight \(inFlight) + lost in crashes \(lost)")
        }
    }

    private func checkTraffic(_ start: Instant, _ component: String, _ rows: [String: MetricValue]?, behaviour: ClientBehaviour, inspection: Inspection) {
        guard let rows else {
            fail(start, component, "no rows")
            return
        }
        checkOutcomes(start, component, rows)
        if let ratio = real(rows, "successRatio"), ratio > 1 { fail(start, component, "successRatio \(ratio)") }
        if let response = real(rows, "responseTimeMean"), response > (start + model.run.interval).seconds + 1e-9 {
            fail(start, component, "responseTimeMean \(response) s, longer than the run so far")
        }
        let ended = total(component, "completed") + total(component, "refused") + total(component, "aborted") + total(component, "shed")
            + total(component, "abandoned")
        let inFlight = inspection.inFlight[component] ?? -1, lost = inspection.lostInCrashes[component] ?? 0
        if total(component, "offered") != ended + inFlight + lost {
            fail(start, component, "offered \(total(component, "offered")) != ended \(ended) + in flight \(inFlight) + lost in crashes \(lost)")
        }
        if total(component, "reloads") > total(component, "offered") * Int64(behaviour.maximumAttempts - 1) {
            fail(start, component, "reloads \(total(component, "reloads")) for \(total(component, "offered")) requests of at most \(behaviour.maximumAttempts) attempts")
        }
    }
}

/// The result of running one random model under the invariant sink.
struct InvariantRun {
    var seed: UInt64
    var violations: [String]
    var events: UInt64
    var intervals: Int
    /// How many state changes of each kind the run recorded, to see what the models reach.
    var stateChanges: [String: Int] = [:]

    /// Runs the model of a seed; a model that fails to load is a violation of its own.
    static func run(seed: UInt64) -> InvariantRun {
        let model: SystemModel
        do {
            model = try RandomModels.model(seed: seed)
        } catch {
            return InvariantRun(seed: seed, violations: ["the generated model does not load: \(error)"], events: 0, intervals: 0)
        }
        let sink = InvariantSink(model: model)
        let simulation = ChainSimulation(model: model, sink: sink)
        sink.simulation = simulation
        let result = simulation.run()
        sink.checkSummary(result)
        var stateChanges = sink.stateChanges
        stateChanges["stop: \(result.outcome.stopReason)", default: 0] += 1
        // What the run reached, beside its state changes: every outcome, and requests lost unanswered.
        for service in model.services {
            for metric in ["refused", "timedOut", "failed", "checkoutTimeouts", "aborted", "rejected", "shed", "wasted"] {
                stateChanges["outcome " + metric, default: 0] += Int(sink.total(service.name, metric))
            }
        }
        for spec in model.traffic { stateChanges["outcome abandoned", default: 0] += Int(sink.total(spec.name, "abandoned")) }
        for spec in model.users { stateChanges["outcome abandoned", default: 0] += Int(sink.total(spec.name, "abandoned")) }
        for (_, lost) in simulation.inspect().lostInCrashes { stateChanges["lost in crashes", default: 0] += Int(lost) }
        return InvariantRun(seed: seed, violations: sink.violations, events: result.outcome.eventCount, intervals: sink.intervals,
                            stateChanges: stateChanges)
    }

    /// What to print for a failing seed: the violations and the model's text.
    var report: String {
        "seed \(seed): \(violations.count) violations\n" + violations.joined(separator: "\n")
            + "\n--- the model (RandomModels.text(seed: \(seed))):\n" + RandomModels.text(seed: seed)
    }
}

struct InvariantTests {
    /// The seeds of the sweep: `FAULTLINE_INVARIANT_MODELS` models (default 200) for a longer hunt,
    /// from `FAULTLINE_INVARIANT_FIRST_SEED` (default 0), in chunks that run in parallel.
    static let chunks: [Range<UInt64>] = {
        let environment = ProcessInfo.processInfo.environment
        let count = environment["FAULTLINE_INVARIANT_MODELS"].flatMap { UInt64($0) } ?? 200
        let first = environment["FAULTLINE_INVARIANT_FIRST_SEED"].flatMap { UInt64($0) } ?? 0
        return stride(from: first, to: first + count, by: 25).map { $0..<min($0 + 25, first + count) }
    }()

    /// The text of the models of seeds 0 to 99.
    static let firstModels = (UInt64(0)..<100).map { RandomModels.text(seed: $0) }

    @Test func `the first hundred generated models load`() throws {
        for seed in UInt64(0)..<100 {
            do {
                _ = try RandomModels.model(seed: seed)
            } catch {
                Issue.record("seed \(seed): \(error)\n\(RandomModels.text(seed: seed))")
            }
        }
    }

    @Test func `the same seed writes the same model`() {
        #expect(RandomModels.text(seed: 42) == RandomModels.text(seed: 42))
        #expect(RandomModels.text(seed: 42) != RandomModels.text(seed: 43))
    }

    /// The generator must keep reaching every feature, or the sweep silently tests less.
    @Test(arguments: ["kind: \"slow\"", "kind: \"latency\"", "kind: \"hang\"", "kind: \"refuse\"", "kind: \"error\"", "afterLatency: true",
                      "kind: \"blackhole\"", "kind: \"failover\"", "kind: \"crash\"", "kind: \"leak\"", "kind: \"spike\"",
                      "constant:", "exponential:", "uniform:", "normal:", "lognormal: { median", "lognormal: { mean", "gamma:", "erlang:",
                      "pareto:", "boundedPareto:", "empirical:", "queue: 0", "queue: \"unbounded\"", "threads:", "entryPoints:",
                      "choose:", "session: true", "service: \"s", "endpoint: \"e", "pool:", "checkoutTimeout:", "leakOnError: true",
                      "connectTimeout:", "readTimeout:", "breaker: { failureThreshold", "kind: \"rate\"", "fallback: { cost",
                      "retry:", "budget: \"grpc\"", "budget: \"aws\"", "tokenBucket:", "awsStandard:", "jitter: \"decorrelated\"",
                      "bulkhead:", "maximumQueueLength:", "maximumQueueAge:", "failFast: true", "heap:", "purgeInterval:",
                      "sessionTimeout: \"never\"", "restartDelay: \"never\"", "supervisor:", "resetsConnectionsOnCrash: false",
                      "warmupSlowdown:", "healthCheck:", "kind: \"deep\"", "busyThreshold:", "strategy: \"leastOutstanding\"",
                      "strategy: \"powerOfTwo\"", "autoscaler:", "profile:", "shape: \"ramp\"", "daily:", "arrivals: \"deterministic\"",
                      "visit:", "scalability:", "probability:", "clientTimeout:", "reload:", "cookies: false", "users:", "requestsPerSession:", "warmup:", "endAfterCompletions:"])
    func `the generated models use every feature`(key: String) {
        #expect(Self.firstModels.contains { $0.contains(key) }, "no model of the first 100 has \(key)")
    }

    @Test(arguments: chunks)
    func `requests balance and levels stay within capacity in random models`(seeds: Range<UInt64>) {
        var failures = 0
        var events: UInt64 = 0
        var stateChanges: [String: Int] = [:]
        for seed in seeds {
            let run = InvariantRun.run(seed: seed)
            events += run.events
            stateChanges.merge(run.stateChanges, uniquingKeysWith: +)
            if !run.violations.isEmpty {
                failures += 1
                if failures <= 3 { Issue.record(Comment(rawValue: run.report)) }
            }
        }
        #expect(failures == 0, "\(failures) of \(seeds.count) random models broke an invariant (seeds \(seeds))")
        if ProcessInfo.processInfo.environment["FAULTLINE_INVARIANT_REPORT"] != nil {
            let seen = stateChanges.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            print("invariants: seeds \(seeds): \(seeds.count) models, \(failures) failing, \(events) events; \(seen)")
        }
    }
}
