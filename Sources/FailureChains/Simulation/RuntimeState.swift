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
        /// A message a consumer took from a queue; `id` is the queue, `token` the message's slot.
        case message
    }

    var kind: Kind
    var id: Int32
    var token: UInt32

    /// A request of another service waiting on this call in wait `generation`.
    @inline(__always)
    static func parent(_ request: RequestID, generation: UInt32) -> Origin {
        Origin(kind: .parent, id: request.rawValue, token: generation)
    }

    /// A fire-and-forget request of open source `source`.
    @inline(__always)
    static func source(_ source: SourceID) -> Origin {
        Origin(kind: .source, id: source.rawValue, token: 0)
    }

    /// The source that sent it, for a `.source` origin.
    @inline(__always)
    var source: SourceID {
        typedID(.source)
    }

    /// Client `client` waiting for the answer to its request `token`.
    @inline(__always)
    static func client(_ client: ClientID, token: UInt32) -> Origin {
        Origin(kind: .client, id: client.rawValue, token: token)
    }

    /// The client waiting, for a `.client` origin.
    @inline(__always)
    var client: ClientID {
        typedID(.client)
    }

    /// A balancer's health probe of `instance`, the probe `token`.
    @inline(__always)
    static func probe(of instance: InstanceID, token: UInt32) -> Origin {
        Origin(kind: .probe, id: instance.rawValue, token: token)
    }

    /// The instance probed, for a `.probe` origin.
    @inline(__always)
    var probedInstance: InstanceID {
        typedID(.probe)
    }

    /// A message of `queue`, in its in-flight `slot`, taken by a consumer.
    @inline(__always)
    static func message(of queue: MessageQueueID, slot: UInt32) -> Origin {
        Origin(kind: .message, id: queue.rawValue, token: slot)
    }

    /// The queue the message came from, for a `.message` origin.
    @inline(__always)
    var queue: MessageQueueID {
        typedID(.message)
    }

    /// The request waiting on this call, for a `.parent` origin.
    @inline(__always)
    var parentRequest: RequestID {
        typedID(.parent)
    }

    /// `id` as the ID of what an origin of `expected` kind names (its kind checked in debug builds).
    @inline(__always)
    private func typedID<ID: EngineID>(_ expected: Kind) -> ID {
        assert(kind == expected, "a \(kind) origin is not a \(expected) origin")
        return ID(rawValue: id)
    }
}

/// One request in flight at a service instance.
struct RequestRecord {
    /// When it arrived, in nanoseconds.
    var arrival: Int64
    /// When it got its thread, in nanoseconds.
    var started: Int64 = 0
    var instance: InstanceID
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
    /// Whether the current attempt waits for a slot of an endpoint with a capacity.
    var isQueuedAtEndpoint = false
    /// The previous retry delay, in seconds, for decorrelated jitter.
    var previousDelay: Double = 0
    /// What the last retry of the current call cost the AWS quota, for its refund.
    var lastRetryCost: Int32 = 0
    /// The key of the admission control that admitted it at its entry point, or −1 for none.
    var admissionKey: Int32 = -1
}

/// What a request keeps for locks and result sizes, beside its record (in the engine's
/// `requestExtras`, at the request's index, grown only when a lock or a result is used), so that
/// a model without them copies no more per request.
struct RequestExtras {
    /// The key of the lock it waits for or holds, while at a lock step.
    var lockKey: Int32 = -1
    /// The key its current call to a cached dependency fills: the key, or its complement (`~key`,
    /// negative) when the cache counts on the fill (single-flight or an early refresh).
    var cacheFill: Int32 = 0
    /// Whether it waits for that key (rather than holds it).
    var isWaitingForLock = false
    /// The rows the current call's result has (drawn when the call starts), for a dependency with a `result`.
    var resultRows: Int64 = 0
    /// The heap bytes its result holds while it reads the rows.
    var resultBytes: Int64 = 0
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
    /// Rows of results read (dependencies with a `result`).
    var rows: Int64 = 0

    mutating func add(_ other: CallCounters) {
        rows += other.rows
        calls += other.calls
        attempts += other.attempts
        rejected += other.rejected
        bulkheadRejected += other.bulkheadRejected
    }
}

/// What one instance keeps for one dependency: its call counts, its bulkhead, its retry budget,
/// its breaker. Kept in the engine's `dependencyStates`, from the instance's `firstDependency`.
///
/// What an ordinary call touches comes first, in the record's first 64 bytes (a table starts on a
/// cache line, and `padding` makes the stride whole lines: with thousands of instances a record is
/// out of the caches between two calls): the calls and attempts it counts, in the interval and in
/// the total, then the bulkhead, whose level fields lead it. The rarer counts follow; the breaker,
/// the largest, last (an `Optional`'s tag follows its payload, so the hot path tests the compiled
/// dependency's `hasBreaker` instead). `interval` and `total` gather the counts for the reports.
struct DependencyRuntime {
    /// Logical calls (first attempts) and attempts (retries included), in the current series
    /// interval and since the warm-up.
    var intervalCalls: Int64 = 0
    var intervalAttempts: Int64 = 0
    var totalCalls: Int64 = 0
    var totalAttempts: Int64 = 0
    /// Calls past the bulkhead and not yet ended, and the bulkhead's limit on them.
    var bulkhead: Bulkhead
    /// Calls rejected by the breaker, by the bulkhead, and rows of results read, in the interval.
    var intervalRejected: Int64 = 0
    var intervalBulkheadRejected: Int64 = 0
    var intervalRows: Int64 = 0
    /// The same since the warm-up.
    var totalRejected: Int64 = 0
    var totalBulkheadRejected: Int64 = 0
    var totalRows: Int64 = 0
    var budget: RetryBudget?
    var breaker: CircuitBreaker?
    /// Draws the share of the data set each call's result returns, for a `result` with a `share`.
    var resultStream: RandomStream? = nil
    /// Pads the stride to 384 bytes, six whole lines (`LayoutTests` checks it).
    private let padding: Int64 = 0

    /// The calls of the current series interval.
    var interval: CallCounters {
        CallCounters(calls: intervalCalls, attempts: intervalAttempts, rejected: intervalRejected,
                     bulkheadRejected: intervalBulkheadRejected, rows: intervalRows)
    }

    /// The calls since the warm-up.
    var total: CallCounters {
        CallCounters(calls: totalCalls, attempts: totalAttempts, rejected: totalRejected,
                     bulkheadRejected: totalBulkheadRejected, rows: totalRows)
    }

    /// A new series interval starts: its counts start from zero.
    mutating func startInterval() {
        intervalCalls = 0
        intervalAttempts = 0
        intervalRejected = 0
        intervalBulkheadRejected = 0
        intervalRows = 0
    }

    /// Where the fields an ordinary call reads or changes end, in bytes from the record's start
    /// (`LayoutTests` checks that they fit its first line).
    static var hotFieldsEnd: Int {
        [MemoryLayout<DependencyRuntime>.offset(of: \.intervalCalls)! + 8,
         MemoryLayout<DependencyRuntime>.offset(of: \.intervalAttempts)! + 8,
         MemoryLayout<DependencyRuntime>.offset(of: \.totalCalls)! + 8,
         MemoryLayout<DependencyRuntime>.offset(of: \.totalAttempts)! + 8,
         MemoryLayout<DependencyRuntime>.offset(of: \.bulkhead)! + Bulkhead.hotFieldsEnd].max()!
    }

    /// A dependency's state as its instance starts: a closed breaker, a full budget, an empty
    /// bulkhead, no calls counted, and its result stream.
    init(spec: DependencySpec, instanceName: String, seed: UInt64) {
        bulkhead = Bulkhead(limit: spec.maximumConcurrentCalls)
        budget = spec.retry?.budget.map(RetryBudget.init)
        breaker = spec.breaker.map(CircuitBreaker.init)
        if spec.result?.share != nil {
            resultStream = RandomStream(seed: seed, component: instanceName + "." + spec.name, purpose: .resultShare)
        }
    }

    /// The process restarted: it forgets its breaker, budget and bulkhead, which lived in its
    /// memory. Its counts go on, and so does the stream that draws its results' sizes (the data,
    /// not the process, decides them).
    mutating func restart(spec: DependencySpec, at now: Int64) {
        bulkhead = Bulkhead(limit: spec.maximumConcurrentCalls, at: now)
        budget = spec.retry?.budget.map(RetryBudget.init)
        breaker = spec.breaker.map(CircuitBreaker.init)
    }
}

/// A step in a form the hot path reads without copying: a kind and an index.
struct CompiledStep {
    /// The `index` of a `session` step that writes the request's log on the instance's disk.
    static let logIndex: Int32 = 1

    enum Kind: UInt8 { case cpu, call, session, choose, jump, cachedCall, lock, result }
    var kind: Kind
    /// For `cpu`, the index of the distribution in the engine's table; for `call` and
    /// `cachedCall` (a call to a dependency with a cache), the dependency;
    /// for `choose`, the mix in the engine's choice table; for `jump`, the step to go on with; for
    /// `lock`, the lock step in the engine's table; for `result`, the dependency whose result is read.
    /// For `session`, 0 is the session step and `logIndex` the request's log write, which ends
    /// the steps of every entry point of a service with a disk: a service without a disk has no
    /// such step, and the step loop has no case more, so it pays nothing for disks.
    var index: Int32
}

/// What the call path reads of one dependency of a service, compiled at assembly: names resolved
/// to indices, timeouts in nanoseconds, and the patterns it has. Read in place from the engine's
/// table at `firstDependency` of the service plus the dependency, so that no call copies its spec.
struct CompiledDependency {
    /// The service called and its entry point, or `ServiceID.none` and -1 for an endpoint.
    var service: ServiceID
    var entry: Int32
    /// The endpoint called, or `EndpointID.none` for a service.
    var endpoint: EndpointID
    /// The message queue published to, or `MessageQueueID.none` (then `service` and `endpoint` are none).
    var queue: MessageQueueID
    /// The cache of the service's first instance in the engine's cache table (an instance's is at
    /// this plus its place in the service), or `CacheID.none` for a dependency without a cache.
    var cache: CacheID = .none
    /// The read timeout in nanoseconds, or -1 for none.
    var readTimeout: Int64
    /// The connect timeout in nanoseconds, or -1 for none.
    var connectTimeout: Int64
    /// With a breaker: the fallback's cost in the engine's distribution table, or -1 for an error.
    var fallbackCost: Int32
    /// The retry policy in the engine's policy table, or -1 for none.
    var retry: Int32
    /// Whether it has a connection pool (otherwise its instances' slots in `connectionPools` hold
    /// `ConnectionPool.absent`): what the call path and the engine's walks over pools test.
    var hasPool: Bool
    var hasBreaker: Bool
    /// Whether the breaker is resilience4j's rate breaker (its closing cause reads differently).
    var breakerIsRate: Bool
    /// The result size in the engine's table, or -1 for answers of no size.
    var result: Int32 = -1

    /// The read timeout as an interval, or nil for none.
    @inline(__always) var readTimeoutInterval: Interval? { readTimeout >= 0 ? Interval(nanoseconds: readTimeout) : nil }
    /// The connect timeout as an interval, or nil for none.
    @inline(__always) var connectTimeoutInterval: Interval? { connectTimeout >= 0 ? Interval(nanoseconds: connectTimeout) : nil }
}

/// A compiled lock step: the lock, in the engine's lock table, and the hold's distribution.
struct CompiledLockStep {
    var lock: LockID
    var hold: Int32
    /// The lock step's place among its service's locks, for the activity slots.
    var place: Int32
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
    /// The entry point's thread pool.
    let pool: ThreadPoolID
    /// Fail fast, copied from the spec for the hot path.
    let failsFast: Bool
    /// Whether its pool is shared with other entry points: then the fields below are kept.
    let isOnSharedPool: Bool
    /// Threads of the shared pool its requests hold, and its requests waiting in the pool's queue.
    var busy: Int32 = 0
    var queued: Int32 = 0
    var busyArea = LevelArea()
    var queueArea = LevelArea()
    /// Pads the stride to 64 bytes: each entry point's state is one whole cache line of the
    /// table (`LayoutTests` checks it).
    private let padding: (Int64, Int64) = (0, 0)

    init(pool: ThreadPoolID, failsFast: Bool, isOnSharedPool: Bool) {
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


/// The state of one service instance.
///
/// The fields every request reads or changes come first, together in the first cache lines
/// (indices, levels, flags, then the counters and the histogram), the rest after them: a farm of
/// thousands of instances has each one's state out of the caches between two of its requests,
/// so every further line a request touches is a miss.
struct InstanceRuntime {
    let service: ServiceID
    /// Where its entry points' states start in the engine's entry table, and how many.
    var firstEntry = EntrySlotID(rawValue: 0)
    let entryCount: Int32
    /// Where its thread pools start in the engine's pool table, and how many: first the own pools
    /// of its entry points, in their order, then the service's shared pools.
    var firstPool = ThreadPoolID(rawValue: 0)
    let poolCount: Int32
    // Accounting: activity slots are [cpu, checkout dep 0, call dep 0, checkout dep 1, ...],
    // kept in the engine's slot table from `firstSlot`.
    var firstSlot: Int32 = 0
    let slotCount: Int32
    /// Requests in flight here, queued ones included.
    var outstanding: Int32 = 0
    var lastChange: Int64 = 0
    /// Whether the balancer sends it requests (health checks eject and readmit).
    var isAdmitted = true
    /// Whether some of its entry points share a pool (and so keep their shares of it).
    let hasSharedPools: Bool
    /// Whether the instance has dependencies or takes locks (and so activity slots beyond CPU).
    let hasDependencies: Bool
    /// One entry point, no dependencies, no heap: `settle` has only one level pair to integrate.
    let isSimple: Bool
    /// Whether the service has a heap (`memory.spec`), read here without reaching the heap's lines.
    let hasHeap: Bool
    /// Whether every entry point has a pool of its own (no shared pools) and none fails fast:
    /// then an entry point's pool is `firstPool` plus the entry point, and a request's arrival
    /// and end need nothing of `entryStates`.
    let hasPlainEntries: Bool
    /// Whether its service has an autoscaler, the only thing that drains an instance: without one
    /// a request's end does not reach the lifecycle's line to ask.
    let hasAutoscaler: Bool
    /// Where its dependencies' states start in the engine's `dependencyStates` and
    /// `connectionPools` (one of each per dependency, by the service's dependency order), and how
    /// many: flat tables rather than arrays of its own, so that a call reaches its pool and its
    /// counts without an array's header, in a farm where each instance is out of the caches.
    var firstDependency = DependencySlotID(rawValue: 0)
    let dependencyCount: Int32
    /// Where its service's entry points start in the engine's `entrySteps` (one row per entry
    /// point of each service, shared by the service's instances).
    var serviceEntry = ServiceEntryID(rawValue: 0)
    /// Pads the fields above to one cache line: the table of instances starts on a line and the
    /// stride is a multiple of 64 (`LayoutTests` checks both), so the counters' hot eight
    /// of `interval` fill the second line, those of `total` the fifth, and the histogram the eighth.
    private let padding: Int32 = 0
    var counters = CounterPair()
    var intervalLatency = LatencyHistogram()
    /// Up, booting, crashed or parked; its crashes, warm-up and supervisor.
    var lifecycle: InstanceLifecycle
    var state: InstanceState { lifecycle.state }
    /// Whether the autoscaler is removing it: it takes no new requests and parks when empty.
    var isDraining: Bool { lifecycle.isDraining }
    /// CPU work is slower until this instant (warm-up), by `warmupSlowdown`.
    var warmUntil: Int64 { lifecycle.warmUntil }
    /// Its own CPU work: the `serviceTime` stream and what stretches a step.
    var work: ServiceWork

    // Less often: the heap, the health check, the name and the streams of retries, fallbacks
    // and mixes.

    /// Its heap: sessions, leaked memory, leak rates, GC pressure.
    var memory: Heap
    /// The service's heap spec, for the hot path.
    var heap: HeapSpec? { memory.spec }
    /// The balancer's health check of it.
    var health: HealthCheck
    var crashes: Int { lifecycle.crashes }
    let name: String
    var retryStream: RandomStream
    /// Draws the cost of its breakers' fallbacks, apart from its CPU work's `serviceTime`.
    var fallbackStream: RandomStream
    /// Draws the branches of transaction mixes.
    var mixStream: RandomStream

    init(name: String, service: ServiceID, spec: ServiceSpec, seed: UInt64) {
        self.name = name
        self.service = service
        entryCount = Int32(spec.entryPoints.count)
        poolCount = Int32(spec.entryPoints.filter { $0.threadPool == nil }.count + spec.threadPools.count)
        hasSharedPools = !spec.threadPools.isEmpty
        dependencyCount = Int32(spec.dependencies.count)
        memory = Heap(spec: spec.heap)
        lifecycle = InstanceLifecycle(spec: spec.lifecycle, isParked: false)
        health = HealthCheck(spec: spec.balancer.healthCheck)
        let lockCount = spec.lockNames.count
        hasDependencies = !spec.dependencies.isEmpty || lockCount > 0
        hasHeap = spec.heap != nil
        hasPlainEntries = spec.threadPools.isEmpty && !spec.entryPoints.contains { $0.failsFast }
        hasAutoscaler = spec.autoscaler != nil
        isSimple = spec.entryPoints.count == 1 && spec.threadPools.isEmpty && spec.dependencies.isEmpty && spec.heap == nil && lockCount == 0
        work = ServiceWork(name: name, spec: spec, seed: seed)
        retryStream = RandomStream(seed: seed, component: name, purpose: .retries)
        fallbackStream = RandomStream(seed: seed, component: name, purpose: .fallback)
        mixStream = RandomStream(seed: seed, component: name, purpose: .mix)
        slotCount = Int32(Self.slotCount(of: spec))
    }

    /// How many activity slots an instance of `spec` has: [cpu, checkout and call per dependency,
    /// then wait and hold per lock].
    static func slotCount(of spec: ServiceSpec) -> Int {
        1 + 2 * spec.dependencies.count + 2 * spec.lockNames.count
    }
}

/// The state of one service: its balancer.
struct ServiceRuntime {
    let spec: ServiceSpec
    let instances: Range<InstanceID>
    /// The balancer: the instances it may choose, and its choice for each request.
    var balancer: Balancer
    /// The autoscaler: the instances running and parked, and how many should run.
    var autoscaler: Autoscaler
    /// Requests refused because no instance was admitted: counted for the service, not an instance.
    var unrouted = CounterPair()
    var totalLatency = LatencyHistogram()
    /// Where the service's dependencies start in the engine's table of compiled dependencies.
    var firstDependency = CompiledDependencyID(rawValue: 0)
    /// Where its entry points' rows start in the engine's `entrySteps` (where each entry point's
    /// steps start in the step table, and how many there are), copied to its instances' `serviceEntry`.
    var firstEntryStep = ServiceEntryID(rawValue: 0)
    /// What follows an instance's name in the name of each of its thread pools, by place: `.http`
    /// for an entry point's own pool when the service has several, `.requestHandlers` for a
    /// shared pool, nothing for the only entry point's.
    var poolSuffixes: [String] = []
    /// The dependencies each entry point's steps call, for fail fast.
    var entryDependencies: [[Int]] = []
    /// The locks the service's steps take, by name: their activity slots follow the dependencies'.
    var lockNames: [String] = []
    /// Whether an entry point has admission control: then `route` asks `admissions`.
    var hasAdmission = false
    /// Each entry point's admission control, or nil for none (empty when no entry point has one).
    var admissions: [Admission?] = []
}

/// A message queue and what the engine keeps for it: its consumer, the next consumer instance to
/// try, and the events it has pending.
struct MessageQueueRuntime {
    let spec: MessageQueueSpec
    var queue: MessageQueue
    /// The consuming service and its entry point.
    let consumer: ServiceID
    let entry: Int32
    /// A producer's call goes on this long after its message is enqueued, in nanoseconds.
    let enqueueLatency: Int64
    /// Where the round robin over the consumer's instances goes on, as an offset in its instances.
    var nextConsumer = 0
    /// Whether a `deliveryDue` is scheduled and has not run yet.
    var isDeliveryScheduled = false
    /// When the earliest pending `expiryDue` runs, in nanoseconds, or −1 for none.
    var expiryScheduledAt: Int64 = -1

    init(spec: MessageQueueSpec, consumer: ServiceID, entry: Int32, isPastWarmup: Bool) {
        self.spec = spec
        queue = MessageQueue(spec: spec, isPastWarmup: isPastWarmup)
        self.consumer = consumer
        self.entry = entry
        enqueueLatency = spec.enqueueLatency.nanoseconds
    }
}

/// The state of one open traffic source.
struct SourceRuntime {
    let spec: TrafficSourceSpec
    let target: ServiceID
    let entry: Int32
    /// Whether each arrival is one request that nobody waits for: no visit, timeout or reload.
    /// Stored, not read from the spec, for the arrival's hot path.
    let isFireAndForget: Bool
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
    /// The clients' retries: their budget (shared by all the source's clients) and jitter stream;
    /// nil without a `retry`.
    var retry: ClientRetryState?
    /// Fire-and-forget requests lost in crashes that did not reset connections, since the start:
    /// counted in `offered` and in no outcome.
    var lostInCrashes: Int64 = 0
}

/// The state of one closed user population.
struct PopulationRuntime {
    let spec: UserPopulationSpec
    let target: ServiceID
    let entry: Int32
    var thinkStream: RandomStream
    var counters = CounterPair()
    /// The users' retries: their budget (shared by all the population's users) and jitter stream;
    /// nil without a `retry`.
    var retry: ClientRetryState?
}

/// What the clients of one source or population share for their retries.
struct ClientRetryState {
    let policy: RetryPolicy
    var budget: RetryBudget?
    /// The `retryJitter` stream of the source or population.
    var stream: RandomStream

    init(policy: RetryPolicy, owner: String, seed: UInt64) {
        self.policy = policy
        budget = policy.budget.map(RetryBudget.init)
        stream = RandomStream(seed: seed, component: owner, purpose: .retryJitter)
    }
}

/// A client: a visitor of an open source or a user of a population, with the request it waits on.
struct ClientRecord {
    /// The source (a visitor) or the population (a user) it belongs to.
    let owner: ClientOwner
    /// Whether it is a user of a population, rather than a visitor of a source.
    var isUser: Bool {
        if case .population = owner { return true }
        return false
    }
    /// Requests left in the visit, this one included (visitors).
    var remaining: Int32
    var session: UInt32
    var requestsInSession: Int32 = 0
    /// The instance holding its session, or `InstanceID.none`.
    var sticky: InstanceID = .none
    /// Identifies the logical request it waits on; answers to other tokens are late and ignored.
    var token: UInt32 = 0
    var sentAt: Int64 = 0
    /// Sends of the current try, from 1: the first and its reloads.
    var attempts: Int32 = 0
    /// Tries of the current logical request, from 1: the first and its retries (client `retry`).
    var tries: Int32 = 0
    /// What the last retry cost the AWS quota, for its refund.
    var lastRetryCost: Int32 = 0
    /// The previous retry delay, in seconds, for decorrelated jitter.
    var previousDelay: Double = 0
    var isWaiting = false
    var isLive = true
    /// Whether its source or population has a `retry`.
    var hasRetry = false
}
