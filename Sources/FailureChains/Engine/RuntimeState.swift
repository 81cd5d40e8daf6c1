import SimulationKernel

/// Who sent a request, so its answer can be delivered.
struct Origin {
    enum Kind: UInt8 {
        /// An open source's fire-and-forget request; `id` is the source.
        case source
        /// A client (visitor or user) waiting for an answer; `id` is the client, `token` its request.
        case client
        /// A request of another service waiting on this call; `id` is the request, `token` its generation.
        case parent
        /// A balancer's health probe; `id` is the probed instance, `token` the probe.
        case probe
    }

    var kind: Kind
    var id: Int32
    var token: UInt32
}

/// One request in flight at a service instance.
struct RequestRecord {
    /// When it arrived, in nanoseconds.
    var arrival: Int64
    /// When it got its thread, in nanoseconds.
    var started: Int64 = 0
    var instance: Int32
    /// The entry point, as an index in its service's entry points.
    var entry: Int32
    /// The next step to run.
    var step: Int32 = 0
    /// Changes whenever a wait of the request ends or the request ends, so that events scheduled
    /// for an earlier wait (a timeout that lost the race, a reply to an abandoned call) are ignored.
    var generation: UInt32 = 0
    var origin: Origin
    /// The session the request belongs to, or 0 for none.
    var session: UInt32
    /// What its thread is doing, as an activity slot of its instance; −1 while queued.
    var activity: Int32 = -1
    /// The pooled connection it holds, or −1.
    var connection: Int32 = -1
    /// Whether it is a shallow health probe (skips calls and sessions).
    var isShallowProbe = false
    var isLive = true
    /// The attempt of the current call, from 1.
    var attempt: Int32 = 0
    /// When the current attempt started, in nanoseconds.
    var callStarted: Int64 = 0
    /// The breaker permit of the current attempt: whether one was granted, and its epoch.
    var permitGranted = false
    var permitEpoch: UInt32 = 0
    /// The dependency of the current call.
    var callDependency: Int32 = 0
    /// Whether the current attempt holds a slot of the dependency's bulkhead count.
    var holdsCallSlot = false
    /// Whether the current attempt reached the dependency (connected; not rejected, not stuck at checkout).
    var reachedTarget = false
    /// The previous retry delay, in seconds, for decorrelated jitter.
    var previousDelay: Double = 0
    /// What the last retry of the current call cost the AWS quota, for its refund.
    var lastRetryCost: Int32 = 0
}

/// Calls from one instance to one dependency over a stretch of time.
struct CallCounters {
    /// Logical calls: first attempts.
    var calls: Int64 = 0
    /// Attempts, retries included.
    var attempts: Int64 = 0
    /// Calls rejected by the breaker without running.
    var rejected: Int64 = 0
    /// Calls rejected by the bulkhead without running.
    var bulkheadRejected: Int64 = 0

    mutating func add(_ other: CallCounters) {
        calls += other.calls
        attempts += other.attempts
        rejected += other.rejected
        bulkheadRejected += other.bulkheadRejected
    }
}

/// What one instance keeps for one dependency: its breaker, its retry budget, its call counts.
struct DependencyRuntime {
    /// Calls past the bulkhead and not yet ended.
    var inFlight: Int32 = 0
    var breaker: CircuitBreaker?
    var budget: RetryBudget?
    var interval = CallCounters()
    var total = CallCounters()
}

/// A step in a form the hot path reads without copying: a kind and an index.
struct CompiledStep {
    enum Kind: UInt8 { case cpu, call, session, choose, jump }
    var kind: Kind
    /// For `cpu`, the index of the distribution in the engine's table; for `call`, the dependency;
    /// for `choose`, the mix in the engine's choice table; for `jump`, the step to go on with.
    var index: Int32
}

/// A compiled transaction mix: cumulative weights (the last is 1) and where each branch starts.
struct CompiledChoice {
    var cumulativeWeights: [Double]
    /// The step each branch starts at, relative to the entry point's first step.
    var starts: [Int32]
}

/// One entry point of one instance: the thread pool its requests use, its fail-fast flag, and,
/// on a shared pool, its own share of the pool's threads and queue.
struct EntryRuntime {
    /// The entry point's thread pool, as an index in the engine's pool table.
    let pool: Int32
    /// Fail fast, copied from the spec for the hot path.
    let failsFast: Bool
    /// Whether its pool is shared with other entry points: then the fields below are kept.
    let isOnSharedPool: Bool
    /// Threads of the shared pool its requests hold, and its requests waiting in the pool's queue.
    var busy: Int32 = 0
    var queued: Int32 = 0
    var busyArea = LevelArea()
    var queueArea = LevelArea()

    init(pool: Int32, failsFast: Bool, isOnSharedPool: Bool) {
        self.pool = pool
        self.failsFast = failsFast
        self.isOnSharedPool = isOnSharedPool
    }
}

/// What some threads of an instance are doing: how many, and the time integral of that.
struct SlotState {
    var level: Int32 = 0
    var area = LevelArea()
}

/// A connection pool between one instance and one dependency.
struct PoolRuntime {
    let size: Int32
    let checkoutTimeout: Interval?
    let leakOnError: Bool
    /// Whether each connection is half-dead (after a failover), by connection number.
    var isStale: [Bool]
    /// Idle connections, most recently returned last (taken LIFO).
    var idle: [Int32]
    var inUse: Int32 = 0
    var leaked: Int32 = 0
    /// Requests waiting for a connection, with their generation.
    let waiters = RingBuffer<(request: Int32, generation: UInt32)>(capacity: 8)
    var waiting: Int32 = 0
    /// Whether a checkout has waited since the pool was last exhausted and not yet recovered.
    var isExhausted = false
    /// Whether any checkout waited in the current series interval.
    var hasWaitedThisInterval = false

    init(spec: PoolSpec) {
        size = Int32(spec.size)
        checkoutTimeout = spec.checkoutTimeout
        leakOnError = spec.leakOnError
        isStale = Array(repeating: false, count: spec.size)
        idle = (0..<Int32(spec.size)).reversed().map { $0 }
    }

    /// Back to a full pool of healthy connections (after a restart).
    mutating func reset() {
        isStale = Array(repeating: false, count: Int(size))
        idle = (0..<size).reversed().map { $0 }
        inUse = 0
        leaked = 0
        while waiters.popFirst() != nil {}
        waiting = 0
        isExhausted = false
        hasWaitedThisInterval = false
    }
}

/// The lifecycle state of an instance.
enum InstanceState: UInt8 {
    case up, booting, crashed
    /// Held back by the autoscaler: not running, not in service.
    case parked
}

/// The state of one service instance.
struct InstanceRuntime {
    let name: String
    let service: Int32
    var state = InstanceState.up
    /// Whether the balancer sends it requests (health checks eject and readmit).
    var isAdmitted = true
    /// Whether the autoscaler is removing it: it takes no new requests and parks when empty.
    var isDraining = false
    /// Whether the autoscaler started it and it has not come up yet.
    var isProvisioning = false
    /// Where its entry points' states start in the engine's entry table, and how many.
    var firstEntry: Int32 = 0
    let entryCount: Int32
    /// Where its thread pools start in the engine's pool table, and how many: first the own pools
    /// of its entry points, in their order, then the service's shared pools.
    var firstPool: Int32 = 0
    let poolCount: Int32
    /// Whether some of its entry points share a pool (and so keep their shares of it).
    let hasSharedPools: Bool
    var pools: [PoolRuntime?]
    var serviceStream: RandomStream
    var retryStream: RandomStream
    /// Draws the branches of transaction mixes.
    var mixStream: RandomStream
    /// Breakers, budgets and call counts, by dependency.
    var dependencies: [DependencyRuntime]
    /// The service's heap spec, copied here for the hot path.
    let heap: HeapSpec?
    /// How much slower CPU work is while warming up.
    let warmupSlowdown: Double
    /// Whether the instance has dependencies (and so activity slots beyond CPU).
    let hasDependencies: Bool
    /// One entry point, no dependencies, no heap: `settle` has only one level pair to integrate.
    let isSimple: Bool
    /// Requests in flight here, queued ones included.
    var outstanding: Int32 = 0
    /// CPU work is slower until this instant (warm-up), by `warmupSlowdown`.
    var warmUntil: Int64 = 0
    /// Its place in its service's `running` list, or −1 while parked.
    var runningPlace: Int32 = -1

    // Heap and sessions.
    var leaked: Int64 = 0
    var sessions: [UInt32: Int64] = [:]
    var leakPerRequest: Int64 = 0
    var leakPerSecond: Int64 = 0
    /// Identifies the running chain of per-second leak timers; a new chain, a crash or parking
    /// starts a new one, so two chains never run at once.
    var leakEpoch: UInt32 = 0
    var isUnderGCPressure = false

    // Accounting: activity slots are [cpu, checkout dep 0, call dep 0, checkout dep 1, ...],
    // kept in the engine's slot table from `firstSlot`.
    var lastChange: Int64 = 0
    var firstSlot: Int32 = 0
    let slotCount: Int32
    var gcArea = LevelArea()
    var counters = CounterPair()
    var intervalLatency = LatencyHistogram()

    // Health checking.
    var probeToken: UInt32 = 0
    var consecutiveFailures = 0
    var consecutiveSuccesses = 0
    var lastProbeFailure = ""
    var crashes = 0
    /// When the supervisor restarted this instance, within its period.
    var restartTimes: [Int64] = []

    init(name: String, service: Int32, spec: ServiceSpec, seed: UInt64) {
        self.name = name
        self.service = service
        entryCount = Int32(spec.entryPoints.count)
        poolCount = Int32(spec.entryPoints.filter { $0.threadPool == nil }.count + spec.threadPools.count)
        hasSharedPools = !spec.threadPools.isEmpty
        pools = spec.dependencies.map { $0.pool.map(PoolRuntime.init) }
        heap = spec.heap
        warmupSlowdown = spec.lifecycle.warmupSlowdown
        hasDependencies = !spec.dependencies.isEmpty
        isSimple = spec.entryPoints.count == 1 && spec.threadPools.isEmpty && spec.dependencies.isEmpty && spec.heap == nil
        serviceStream = RandomStream(seed: seed, component: name, purpose: "serviceTime")
        retryStream = RandomStream(seed: seed, component: name, purpose: "retries")
        mixStream = RandomStream(seed: seed, component: name, purpose: "mix")
        dependencies = spec.dependencies.map {
            DependencyRuntime(breaker: $0.breaker.map(CircuitBreaker.init), budget: $0.retry?.budget.map(RetryBudget.init))
        }
        slotCount = Int32(1 + 2 * spec.dependencies.count)
    }
}

/// The state of one service: its balancer.
struct ServiceRuntime {
    let spec: ServiceSpec
    /// The balancer's strategy, copied here for the hot path.
    var strategy: BalancerSpec.Strategy { spec.balancer.strategy }
    let instances: Range<Int>
    /// The instances the balancer may choose, in index order.
    var admitted: [Int32]
    var cursor = 0
    var balancerStream: RandomStream
    /// Requests refused because no instance was admitted: counted for the service, not an instance.
    var unrouted = CounterPair()
    var totalLatency = LatencyHistogram()
    /// Dependency targets resolved to indices: a service (with entry point) or an endpoint.
    var dependencyTargets: [(service: Int32, entry: Int32, endpoint: Int32)] = []
    /// The instances that are not parked (up, starting or down), in no order; each instance
    /// knows its place here, so the autoscaler's decision costs O(these), not O(maximumInstances).
    var running: [Int32] = []
    /// The parked instances, as a binary min-heap of indices: the lowest-numbered starts first.
    var parked: [Int32] = []
    /// The busy-thread area, since the autoscaler's last decision, of instances parked since then.
    var busyAreaOfParked: Double = 0
    /// Where each entry point's steps start in the engine's step table, and how many there are.
    var entrySteps: [(first: Int32, count: Int32)] = []
    /// What follows an instance's name in the name of each of its thread pools, by place: `.http`
    /// for an entry point's own pool when the service has several, `.requestHandlers` for a
    /// shared pool, nothing for the only entry point's.
    var poolSuffixes: [String] = []
    /// The dependencies each entry point's steps call, for fail fast.
    var entryDependencies: [[Int]] = []
}

/// The fault state of an external endpoint.
struct EndpointRuntime {
    let spec: EndpointSpec
    var stream: RandomStream
    /// The faults on the endpoint now in effect (indices into the model's faults), in the order
    /// they started; the fields below are derived from them whenever one starts or ends.
    var activeFaults: [Int32] = []
    /// The product of the active `slow` factors.
    var slowFactor = 1.0
    /// The distribution of the active `latency` fault that started last.
    var latencyOverride: Distribution?
    var isHanging = false
    var isRefusing = false
    var isBlackholed = false
    /// Whether an `error` fault is active, and the `afterLatency` of the one that started last.
    var errors: (active: Bool, afterLatency: Bool) = (false, false)
    var staleDelay = Interval.seconds(2)
    var counters = CounterPair()
    /// Calls that reached it and were never answered because their caller crashed, since the start.
    var callsLostInCrashes: Int64 = 0
}

/// The state of one open traffic source.
struct SourceRuntime {
    let spec: TrafficSourceSpec
    let target: Int32
    let entry: Int32
    /// Whether each arrival is one request that nobody waits for: no visit, timeout or reload.
    var isFireAndForget: Bool { spec.requestsPerVisit == 1 && spec.behaviour.isFireAndForget }
    var arrivalStream: RandomStream
    var thinkStream: RandomStream
    /// Breakpoints of the rate (profile points and spike edges), in nanoseconds, ascending.
    let breakpoints: [Int64]
    /// The rate just after each breakpoint and just before the next, per second.
    let rateAfter: [Double]
    let rateBefore: [Double]
    var segment = 0
    /// The current segment, read without touching the arrays: where it ends (Int64.max for the
    /// last), its highest rate, and whether its rate is constant.
    var segmentEnd = Int64.max
    var segmentPeak = 0.0
    var isSegmentConstant = true
    /// Whether thinning against the segment's peak would waste more than a million candidates:
    /// then arrivals are drawn on short windows instead (see `steepArrival`).
    var isSegmentSteep = false
    var counters = CounterPair()
    /// Fire-and-forget requests lost in crashes that did not reset connections, since the start:
    /// counted in `offered` and in no outcome.
    var lostInCrashes: Int64 = 0
}

/// The state of one closed user population.
struct PopulationRuntime {
    let spec: UserPopulationSpec
    let target: Int32
    let entry: Int32
    var thinkStream: RandomStream
    var counters = CounterPair()
}

/// A client: a visitor of an open source or a user of a population, with the request it waits on.
struct ClientRecord {
    /// The source or population it belongs to.
    var owner: Int32
    var isUser: Bool
    /// Requests left in the visit, this one included (visitors).
    var remaining: Int32
    var session: UInt32
    var requestsInSession: Int32 = 0
    /// The instance holding its session, or −1.
    var sticky: Int32 = -1
    /// Identifies the logical request it waits on; answers to other tokens are late and ignored.
    var token: UInt32 = 0
    var sentAt: Int64 = 0
    var attempts: Int32 = 0
    var isWaiting = false
    var isLive = true
}

extension ServiceRuntime {
    /// Adds an instance to the parked heap.
    mutating func pushParked(_ instance: Int32) {
        parked.append(instance)
        var child = parked.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard parked[child] < parked[parent] else { break }
            parked.swapAt(child, parent)
            child = parent
        }
    }

    /// Takes the lowest-numbered parked instance, if any.
    mutating func popParked() -> Int32? {
        guard let lowest = parked.first else { return nil }
        let last = parked.removeLast()
        guard !parked.isEmpty else { return lowest }
        parked[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < parked.count && parked[left] < parked[smallest] { smallest = left }
            if right < parked.count && parked[right] < parked[smallest] { smallest = right }
            guard smallest != parent else { return lowest }
            parked.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
