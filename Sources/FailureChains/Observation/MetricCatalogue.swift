/// Every metric of `series.csv` and `summary.csv` and every event of `events.csv`, declared once.
///
/// The engine writes these names (`ChainSimulation+Reporting.swift` and the `record` calls of the
/// engine); the model format checks an expectation's names against them; `docs/output.md`
/// documents them. Tests hold the three to this list: every row and event the gallery's runs
/// write is declared here for its component's kind, every declared row that the model decides
/// (not the run's data) is written, and the tables of `docs/output.md` name exactly these.
///
/// To add a metric, add its entry below for each file it is written to, in the order the engine
/// writes it, and a row to the matching table of `docs/output.md`; to add an event, add it to
/// `events` and to an events table of `docs/output.md`.
public enum MetricCatalogue {
    /// What a row or an event is about, as its `component` column names it.
    public enum ComponentKind: String, CaseIterable, Sendable {
        /// The model itself (`airline`), for the run-level events.
        case model
        /// A service, all its instances together (`web`).
        case service
        /// One instance of a service (`web[2]`).
        case instance
        /// One entry point of an instance whose service has several (`cf[0].http`).
        case entryPoint
        /// A thread pool of an instance shared by several of its entry points (`cf[0].requestHandlers`).
        case threadPool
        /// An external endpoint (`oracle`).
        case endpoint
        /// A message queue between services (`orders`).
        case messageQueue
        /// An open traffic source (`shoppers`).
        case trafficSource
        /// A closed user population.
        case userPopulation
        /// A lock of the model (`item`), shared by the instances that take it.
        case lock

        /// The kind with its article: `a traffic source`.
        public var withArticle: String {
            switch self {
            case .model: "the model"
            case .service: "a service"
            case .instance: "an instance"
            case .entryPoint: "an entry point"
            case .threadPool: "a shared thread pool"
            case .endpoint: "an endpoint"
            case .messageQueue: "a message queue"
            case .trafficSource: "a traffic source"
            case .userPopulation: "a user population"
            case .lock: "a lock"
            }
        }

        /// The kind in the plural: `traffic sources`.
        public var plural: String {
            switch self {
            case .model: "the model"
            case .service: "services"
            case .instance: "instances"
            case .entryPoint: "entry points"
            case .threadPool: "shared thread pools"
            case .endpoint: "endpoints"
            case .messageQueue: "message queues"
            case .trafficSource: "traffic sources"
            case .userPopulation: "user populations"
            case .lock: "locks"
            }
        }
    }

    /// The file a metric row is written to.
    public enum File: String, CaseIterable, Sendable {
        case series = "series.csv"
        case summary = "summary.csv"
    }

    /// What follows a metric's name after a dot.
    public enum Suffix: Sendable, Equatable {
        /// Nothing: `threadsBusy`.
        case none
        /// An entry point of the service: `threadsBusy.ejb`.
        case entryPoint
        /// A dependency of the service: `connectionsLeaked.db`.
        case dependency
        /// A shared thread pool of the service: `threadPoolBusy.requestHandlers`.
        case threadPool
        /// A lock the service's steps take: `threadsAtLock.item`.
        case lock

        /// The placeholder the docs write: `<entry>`, `<dep>`.
        public var placeholder: String {
            switch self {
            case .none: ""
            case .entryPoint: "<entry>"
            case .dependency: "<dep>"
            case .threadPool: "<pool>"
            case .lock: "<lock>"
            }
        }
    }

    /// What a service must have for a metric to be written, as the model (not the run) decides.
    public enum Condition: Sendable, Equatable {
        /// Always written.
        case always
        /// The service has more than one entry point.
        case severalEntryPoints
        /// The service has at least one dependency.
        case dependencies
        /// The service declares shared thread pools.
        case threadPools
        /// The dependency has a `retry`.
        case retry
        /// The dependency has a bulkhead (`maximumConcurrentCalls`).
        case bulkhead
        /// The dependency has a `breaker`.
        case breaker
        /// The dependency has a `pool`.
        case pool
        /// The dependency has a `cache`.
        case cache
        /// The service has a `heap`.
        case heap
        /// The service has a `disk`.
        case disk
        /// The service's balancer has a `healthCheck`.
        case healthCheck
        /// The endpoint has a capacity (`concurrency`).
        case capacity
        /// The traffic source or user population has a `retry`.
        case clientRetry
        /// An entry point of the service has `admission` control.
        case admission
        /// The service's steps take a lock.
        case locks
        /// The dependency has a `result` size.
        case result

        /// Whether a service (and, for the conditions on one, its dependency) meets it.
        public func holds(for service: ServiceSpec, dependency: DependencySpec? = nil) -> Bool {
            switch self {
            case .always: true
            case .severalEntryPoints: service.entryPoints.count > 1
            case .dependencies: !service.dependencies.isEmpty
            case .threadPools: !service.threadPools.isEmpty
            case .retry: dependency?.retry != nil
            case .bulkhead: dependency?.maximumConcurrentCalls != nil
            case .breaker: dependency?.breaker != nil
            case .pool: dependency?.pool != nil
            case .cache: dependency?.cache != nil
            case .heap: service.heap != nil
            case .disk: service.disk != nil
            case .healthCheck: service.balancer.healthCheck != nil
            case .capacity, .clientRetry: false
            case .admission: service.entryPoints.contains { $0.admission != nil }
            case .locks: !service.lockNames.isEmpty
            case .result: dependency?.result != nil
            }
        }

        /// Whether an endpoint meets it: the conditions on services hold for none.
        public func holds(for endpoint: EndpointSpec) -> Bool {
            switch self {
            case .always: true
            case .capacity: endpoint.concurrency != nil
            default: false
            }
        }

        /// Whether a traffic source's or user population's clients meet it: the conditions on
        /// services and endpoints hold for none.
        public func holds(for client: ClientBehaviour) -> Bool {
            switch self {
            case .always: true
            case .clientRetry: client.retry != nil
            default: false
            }
        }

        /// Why a service does not meet it, for messages: `dependency 'db' of 'cf' has no breaker`.
        public func reason(service: String, dependency: String?) -> String {
            let dependency = "dependency '\(dependency ?? "")' of '\(service)'"
            switch self {
            case .always: return ""
            case .severalEntryPoints: return "'\(service)' has one entry point"
            case .dependencies: return "'\(service)' has no dependencies"
            case .threadPools: return "'\(service)' has no shared thread pools"
            case .retry: return "\(dependency) has no retry"
            case .bulkhead: return "\(dependency) has no bulkhead (maximumConcurrentCalls)"
            case .breaker: return "\(dependency) has no breaker"
            case .pool: return "\(dependency) has no pool"
            case .cache: return "\(dependency) has no cache"
            case .heap: return "'\(service)' has no heap"
            case .disk: return "'\(service)' has no disk"
            case .healthCheck: return "'\(service)' has no health check"
            case .capacity: return "endpoint '\(service)' has no capacity (concurrency)"
            case .clientRetry: return "'\(service)' has no retry"
            case .admission: return "no entry point of '\(service)' has admission control"
            case .locks: return "'\(service)' takes no lock"
            case .result: return "\(dependency) has no result size"
            }
        }
    }

    /// One metric of one file.
    public struct Metric: Sendable, Equatable {
        /// The name, without its suffix: `threadsBusy`, `connectionsLeaked`.
        public var name: String
        /// What follows the name after a dot, if anything.
        public var suffix: Suffix
        /// The file it is written to.
        public var file: File
        /// The kinds of component it is written for.
        public var kinds: [ComponentKind]
        /// What the service must have for it to be written (services and instances only).
        public var condition: Condition
        /// Whether the run's data can leave it out even when the model has what it needs (a latency
        /// percentile of an interval in which nothing completed).
        public var dependsOnData: Bool

        /// The name as the docs write it: `threadsBusy`, `connectionsLeaked.<dep>`.
        public var pattern: String { suffix == .none ? name : name + "." + suffix.placeholder }

        /// Whether a metric name has this metric's shape, whatever its suffix names:
        /// `connectionsLeaked.x` has the shape of `connectionsLeaked.<dep>`.
        ///
        /// - Returns: The suffix (empty for a metric without one), or nil for another shape.
        public func suffix(of metric: String) -> String? {
            if suffix == .none { return metric == name ? "" : nil }
            guard metric.hasPrefix(name + "."), metric.count > name.count + 1 else { return nil }
            return String(metric.dropFirst(name.count + 1))
        }
    }

    /// One event of `events.csv`.
    public struct Event: Sendable, Equatable {
        /// The name, in the past tense: `instanceCrashed`.
        public var name: String
        /// The kinds of component it is recorded for.
        public var kinds: [ComponentKind]
        /// Whether it is recorded for an instance's entry point (`cf[0].http`) rather than for the
        /// instance when the service has several entry points.
        public var isPerEntryPoint: Bool
    }

    // MARK: Metrics

    private static let serviceAndInstance: [ComponentKind] = [.service, .instance]
    private static let traffic: [ComponentKind] = [.trafficSource, .userPopulation]

    private static func declare(_ names: [String], _ file: File, _ kinds: [ComponentKind], suffix: Suffix = .none,
                                when condition: Condition = .always, dependsOnData: Bool = false) -> [Metric] {
        names.map { Metric(name: $0, suffix: suffix, file: file, kinds: kinds, condition: condition, dependsOnData: dependsOnData) }
    }

    /// How requests ended, the same words for services, instances and traffic, in the engine's order.
    private static let outcomes = ["offered", "completed", "goodput", "refused", "timedOut", "failed", "checkoutTimeouts",
                                   "aborted", "rejected", "shed"]

    /// What became of a message queue's messages, in the engine's order.
    private static let messageCounts = ["enqueued", "delivered", "consumed", "rejected", "blockTimeouts", "dropped", "expired", "deadLettered"]

    /// The metrics of `series.csv`, in the order a component's rows are written.
    public static let seriesMetrics: [Metric] = {
        var metrics: [Metric] = []
        metrics += declare(outcomes + ["errors", "wasted"], .series, serviceAndInstance)
        metrics += declare(["lockTimeouts"], .series, serviceAndInstance, when: .locks)
        metrics += declare(["latencyMean", "latencyP50", "latencyP95", "latencyP99"], .series, serviceAndInstance, dependsOnData: true)
        metrics += declare(["queueLength", "threadsBusy"], .series, serviceAndInstance)
        metrics += declare(["threadsBusy", "queueLength"], .series, serviceAndInstance, suffix: .entryPoint, when: .severalEntryPoints)
        metrics += declare(["threadPoolBusy", "threadPoolQueueLength"], .series, serviceAndInstance, suffix: .threadPool, when: .threadPools)
        metrics += declare(["threadsOnCpu"], .series, serviceAndInstance, when: .dependencies)
        metrics += declare(["threadsAtCheckout", "threadsInCall", "calls"], .series, serviceAndInstance, suffix: .dependency, when: .dependencies)
        metrics += declare(["resultRows"], .series, serviceAndInstance, suffix: .dependency, when: .result)
        metrics += declare(["callAttempts"], .series, serviceAndInstance, suffix: .dependency, when: .retry)
        metrics += declare(["retryAmplification"], .series, serviceAndInstance, suffix: .dependency, when: .retry, dependsOnData: true)
        metrics += declare(["rejectedByBulkhead"], .series, serviceAndInstance, suffix: .dependency, when: .bulkhead)
        metrics += declare(["rejectedByBreaker", "breakerOpen", "breakerHalfOpen"], .series, serviceAndInstance, suffix: .dependency, when: .breaker)
        metrics += declare(["cacheHits", "cacheMisses"], .series, serviceAndInstance, suffix: .dependency, when: .cache)
        metrics += declare(["cacheHitRatio"], .series, serviceAndInstance, suffix: .dependency, when: .cache, dependsOnData: true)
        metrics += declare(["cacheFills", "cacheRefreshes", "cacheCoalesced", "cacheStale", "cacheEvictions", "cacheEntries"], .series,
                           serviceAndInstance, suffix: .dependency, when: .cache)
        metrics += declare(["connectionsInUse", "connectionsIdle", "connectionsLeaked", "connectionsWaiting"], .series, serviceAndInstance,
                           suffix: .dependency, when: .pool)
        metrics += declare(["threadsAtLock", "threadsHoldingLock"], .series, serviceAndInstance, suffix: .lock, when: .locks)
        metrics += declare(["gcShare", "heapUsed", "sessions"], .series, serviceAndInstance, when: .heap)
        metrics += declare(["diskUsed", "disksFull"], .series, serviceAndInstance, when: .disk)
        metrics += declare(["instancesUp"], .series, [.service])
        metrics += declare(["instancesAdmitted"], .series, [.service], when: .healthCheck)
        metrics += declare(["rateLimited", "concurrencyLimited"], .series, [.service], when: .admission)
        metrics += declare(["up"], .series, [.instance])
        metrics += declare(["admitted"], .series, [.instance], when: .healthCheck)
        metrics += declare(["calls", "goodput", "failed", "timedOut", "refused"], .series, [.endpoint])
        metrics += declare(["callsInService", "callsQueued", "saturatedShare"], .series, [.endpoint], when: .capacity)
        metrics += declare(messageCounts + ["depth", "depthMean", "depthMax", "oldestAge"], .series, [.messageQueue])
        metrics += declare(outcomes + ["abandoned", "reloads"], .series, traffic)
        metrics += declare(["retries"], .series, traffic, when: .clientRetry)
        metrics += declare(["retryAmplification"], .series, traffic, when: .clientRetry, dependsOnData: true)
        metrics += declare(["successRatio", "responseTimeMean"], .series, traffic, dependsOnData: true)
        metrics += declare(["lockAcquired", "lockWaits", "lockTimeouts", "lockHeld", "lockQueueLength"], .series, [.lock])
        return metrics
    }()

    /// The metrics of `summary.csv`, in the order a component's rows are written.
    public static let summaryMetrics: [Metric] = {
        var metrics: [Metric] = []
        metrics += declare(outcomes + ["wasted", "refusedFraction", "errorFraction", "throughput", "waitMean", "waitProbability", "latencyMean",
                                       "queueLengthMean", "threadsBusyMean"], .summary, serviceAndInstance)
        metrics += declare(["threadsBusyMean", "queueLengthMean"], .summary, serviceAndInstance, suffix: .entryPoint, when: .severalEntryPoints)
        metrics += declare(["threadPoolBusyMean", "threadPoolQueueLengthMean"], .summary, serviceAndInstance, suffix: .threadPool, when: .threadPools)
        metrics += declare(["threadsOnCpuMean"], .summary, serviceAndInstance, when: .dependencies)
        metrics += declare(["threadsAtCheckoutMean", "threadsInCallMean", "callsTotal"], .summary, serviceAndInstance,
                           suffix: .dependency, when: .dependencies)
        metrics += declare(["resultRowsTotal"], .summary, serviceAndInstance, suffix: .dependency, when: .result)
        metrics += declare(["callAttemptsTotal"], .summary, serviceAndInstance, suffix: .dependency, when: .retry)
        metrics += declare(["retryAmplification"], .summary, serviceAndInstance, suffix: .dependency, when: .retry, dependsOnData: true)
        metrics += declare(["rejectedByBulkheadTotal"], .summary, serviceAndInstance, suffix: .dependency, when: .bulkhead)
        metrics += declare(["rejectedByBreakerTotal"], .summary, serviceAndInstance, suffix: .dependency, when: .breaker)
        metrics += declare(["cacheHitsTotal", "cacheMissesTotal"], .summary, serviceAndInstance, suffix: .dependency, when: .cache)
        metrics += declare(["cacheHitRatio"], .summary, serviceAndInstance, suffix: .dependency, when: .cache, dependsOnData: true)
        metrics += declare(["cacheFillsTotal", "cacheRefreshesTotal", "cacheCoalescedTotal", "cacheStaleTotal", "cacheEvictionsTotal"], .summary,
                           serviceAndInstance, suffix: .dependency, when: .cache)
        metrics += declare(["threadsAtLockMean", "threadsHoldingLockMean"], .summary, serviceAndInstance, suffix: .lock, when: .locks)
        metrics += declare(["gcShareMean"], .summary, serviceAndInstance, when: .heap)
        metrics += declare(["utilisation", "crashes"], .summary, serviceAndInstance)
        metrics += declare(["lockTimeouts"], .summary, serviceAndInstance, when: .locks)
        metrics += declare(["latencyP50", "latencyP95", "latencyP99", "latencyP999", "latencyMax"], .summary, [.service], dependsOnData: true)
        metrics += declare(["rateLimited", "concurrencyLimited"], .summary, [.service], when: .admission)
        metrics += declare(["calls", "goodput", "failed", "timedOut", "refused"], .summary, [.endpoint])
        metrics += declare(["callsInServiceMean", "callsQueuedMean", "saturatedShareMean"], .summary, [.endpoint], when: .capacity)
        metrics += declare(messageCounts + ["depthMean", "depthMax"], .summary, [.messageQueue])
        metrics += declare(outcomes + ["abandoned", "reloads"], .summary, traffic)
        metrics += declare(["retries"], .summary, traffic, when: .clientRetry)
        metrics += declare(["retryAmplification"], .summary, traffic, when: .clientRetry, dependsOnData: true)
        metrics += declare(["successRatio", "responseTimeMean"], .summary, traffic, dependsOnData: true)
        metrics += declare(["throughput", "offeredRate"], .summary, traffic)
        metrics += declare(["lockAcquiredTotal", "lockWaitsTotal", "lockTimeoutsTotal", "lockHeldMean", "lockQueueLengthMean"], .summary, [.lock])
        return metrics
    }()

    /// The metrics of one file.
    public static func metrics(in file: File) -> [Metric] {
        file == .series ? seriesMetrics : summaryMetrics
    }

    /// The names of the metrics a file can have for one component, suffixes spelled out with the
    /// service's entry points and dependencies, in the order they are written.
    ///
    /// - Parameters:
    ///   - file: The file.
    ///   - kind: The component's kind.
    ///   - service: For a service or an instance, its service; conditions are not checked without it.
    ///   - endpoint: For an endpoint, its spec; conditions are not checked without it.
    ///   - client: For a traffic source or user population, its clients' behaviour; conditions are
    ///     not checked without it.
    ///   - includingDataDependent: Whether to include the metrics the run's data can leave out.
    /// - Returns: The names, such as `threadsBusy`, `connectionsLeaked.db`.
    public static func metricNames(in file: File, for kind: ComponentKind, service: ServiceSpec?, endpoint: EndpointSpec? = nil,
                                   client: ClientBehaviour? = nil, includingDataDependent: Bool = true) -> [String] {
        var names: [String] = []
        for metric in metrics(in: file) where metric.kinds.contains(kind) && (includingDataDependent || !metric.dependsOnData) {
            guard let service else {
                let holds = endpoint.map(metric.condition.holds(for:)) ?? client.map(metric.condition.holds(for:)) ?? true
                if metric.suffix == .none && holds { names.append(metric.name) }
                continue
            }
            switch metric.suffix {
            case .none:
                if metric.condition.holds(for: service) { names.append(metric.name) }
            case .entryPoint:
                if metric.condition.holds(for: service) { names += service.entryPoints.map { metric.name + "." + $0.name } }
            case .dependency:
                names += service.dependencies.filter { metric.condition.holds(for: service, dependency: $0) }.map { metric.name + "." + $0.name }
            case .threadPool:
                names += service.threadPools.map { metric.name + "." + $0.name }
            case .lock:
                names += service.lockNames.map { metric.name + "." + $0 }
            }
        }
        return names
    }

    // MARK: Events

    /// Every event of `events.csv`, in the order `docs/output.md` lists them.
    public static let events: [Event] = {
        func event(_ name: String, _ kinds: [ComponentKind], isPerEntryPoint: Bool = false) -> Event {
            Event(name: name, kinds: kinds, isPerEntryPoint: isPerEntryPoint)
        }
        return [
            event("runStarted", [.model]),
            event("warmupEnded", [.model]),
            event("runEnded", [.model]),
            event("rateChanged", [.trafficSource]),
            event("queueFilled", [.instance, .entryPoint, .threadPool, .messageQueue], isPerEntryPoint: true),
            event("queueRecovered", [.instance, .entryPoint, .threadPool], isPerEntryPoint: true),
            event("threadsExhausted", [.instance, .entryPoint, .threadPool], isPerEntryPoint: true),
            event("threadsRecovered", [.instance, .entryPoint, .threadPool], isPerEntryPoint: true),
            event("poolExhausted", [.instance]),
            event("poolRecovered", [.instance]),
            event("connectionLeaked", [.instance]),
            event("connectionsStale", [.endpoint]),
            event("queueDrained", [.messageQueue]),
            event("capacityExhausted", [.endpoint]),
            event("capacityRecovered", [.endpoint]),
            event("faultStarted", [.endpoint, .service, .instance]),
            event("faultEnded", [.endpoint, .service, .instance]),
            event("instanceCrashed", [.instance]),
            event("instanceRestarting", [.instance]),
            event("instanceUp", [.instance]),
            event("instanceEjected", [.instance]),
            event("instanceReadmitted", [.instance]),
            event("breakerOpened", [.instance]),
            event("breakerHalfOpened", [.instance]),
            event("breakerClosed", [.instance]),
            event("supervisorGaveUp", [.instance]),
            event("sessionsPurged", [.instance]),
            event("autoscalerScaled", [.service]),
            event("instanceProvisioned", [.instance]),
            event("instanceParked", [.instance]),
            event("outOfMemory", [.instance]),
            event("gcPressureStarted", [.instance]),
            event("gcPressureEnded", [.instance]),
            event("diskFull", [.instance]),
            event("diskRecovered", [.instance]),
            event("lockContended", [.lock]),
            event("lockRecovered", [.lock]),
        ]
    }()

    /// The event with this name, if there is one.
    public static func event(named name: String) -> Event? {
        events.first { $0.name == name }
    }
}
