import SimulationKernel

/// A service: a farm of identical instances behind a load balancer.
///
/// Each instance serves requests through one or more entry points, each a pool of worker threads
/// with an accept queue; a request holds its thread for its whole life, including the calls it
/// makes to the service's dependencies.
public struct ServiceSpec: Sendable, Equatable {
    /// The service's name; instances are named `name[0]`, `name[1]`, ...
    public var name: String
    /// How many instances the farm has.
    public var instances: Int
    /// The entry points, each with its own thread pool or on one of `threadPools`; at least one.
    public var entryPoints: [EntryPointSpec]
    /// Thread pools shared by several entry points, each named by the entry points that use it;
    /// none by default (every entry point has its own threads).
    public var threadPools: [ThreadPoolSpec]
    /// What the service calls, by name, in the order its steps refer to them.
    public var dependencies: [DependencySpec]
    /// How requests are spread over the instances, and how instances are checked.
    public var balancer: BalancerSpec
    /// Start-up, restart and warm-up of instances.
    public var lifecycle: LifecycleSpec
    /// The heap of each instance, or nil when memory is not modelled.
    public var heap: HeapSpec?
    /// An autoscaler that adds and removes instances, under a governor, or nil for a fixed farm.
    public var autoscaler: AutoscalerSpec?
    /// How the instances' CPU work slows as their busy threads rise, or nil for work that does not.
    public var scalability: ScalabilitySpec? = nil
    /// The disk of each instance, or nil when disk space is not modelled.
    public var disk: DiskSpec? = nil

    /// Creates a service.
    public init(name: String, instances: Int, entryPoints: [EntryPointSpec], dependencies: [DependencySpec] = [],
                balancer: BalancerSpec = BalancerSpec(), lifecycle: LifecycleSpec = LifecycleSpec(), heap: HeapSpec? = nil,
                autoscaler: AutoscalerSpec? = nil, threadPools: [ThreadPoolSpec] = []) {
        self.autoscaler = autoscaler
        self.threadPools = threadPools
        self.name = name
        self.instances = instances
        self.entryPoints = entryPoints
        self.dependencies = dependencies
        self.balancer = balancer
        self.lifecycle = lifecycle
        self.heap = heap
    }

    /// Creates the simplest service: one entry point whose requests hold a thread for a service time.
    public init(name: String, instances: Int, threads: Int, queueCapacity: Int?, serviceTime: Distribution) {
        self.init(name: name, instances: instances,
                  entryPoints: [EntryPointSpec(name: EntryPointSpec.defaultName, threads: threads,
                                               queueCapacity: queueCapacity, steps: [.cpu(serviceTime)])])
    }

    /// The stable name of one instance: `web[2]`.
    public func instanceName(_ index: Int) -> String { "\(name)[\(index)]" }

    /// The instances the engine makes room for: `instances`, or the autoscaler's
    /// `maximumInstances` when that is more (the ones beyond `instances` are held back until it
    /// starts them).
    public var instanceSlots: Int { max(instances, autoscaler?.maximumInstances ?? 0) }

    /// The index of the entry point with the given name.
    public func entryPointIndex(named name: String) -> Int? { entryPoints.firstIndex { $0.name == name } }

    /// The index of the shared thread pool with the given name.
    public func threadPoolIndex(named name: String) -> Int? { threadPools.firstIndex { $0.name == name } }

    /// The worker threads of one instance: its entry points' own and its shared pools'.
    public var threadsPerInstance: Int {
        entryPoints.reduce(0) { $0 + ($1.threadPool == nil ? $1.threads : 0) } + threadPools.reduce(0) { $0 + $1.threads }
    }

    /// The index of the dependency with the given name.
    public func dependencyIndex(named name: String) -> Int? { dependencies.firstIndex { $0.name == name } }

    /// The locks the service's steps take, by name, in order of first appearance over its entry points.
    public var lockNames: [String] {
        var names: [String] = []
        for entry in entryPoints {
            for name in Step.locks(takenBy: entry.steps) where !names.contains(name) { names.append(name) }
        }
        return names
    }
}

/// One entry point of a service: a pool of worker threads, its accept queue, and what a request does.
public struct EntryPointSpec: Sendable, Equatable {
    /// The name of the only entry point of a service that declares none.
    public static let defaultName = "main"

    /// The entry point's name (`http`, `ejb`).
    public var name: String
    /// Worker threads per instance; 0 for an entry point on a shared pool.
    public var threads: Int
    /// How many requests may wait for a thread per instance; nil means unbounded.
    public var queueCapacity: Int?
    /// The shared thread pool of the service its requests use (`threadPools`), or nil for its own
    /// `threads`, `queueCapacity` and `shedding`.
    public var threadPool: String?
    /// What a request does while it holds its thread, in order.
    public var steps: [Step]
    /// Load shedding: when to turn requests away before they use a thread, or nil for never.
    public var shedding: LoadSheddingSpec?
    /// Fail fast: refuse a request up front when a dependency its steps call has an open breaker
    /// or an exhausted pool, instead of letting it take a thread to fail later.
    public var failsFast: Bool
    /// Admission control: a rate limit and a concurrency limit for the service as a whole, before
    /// its balancer; nil admits everything.
    public var admission: AdmissionSpec?

    /// Creates an entry point.
    public init(name: String, threads: Int, queueCapacity: Int?, steps: [Step], shedding: LoadSheddingSpec? = nil, failsFast: Bool = false,
                threadPool: String? = nil, admission: AdmissionSpec? = nil) {
        self.threadPool = threadPool
        self.admission = admission
        self.name = name
        self.threads = threads
        self.queueCapacity = queueCapacity
        self.steps = steps
        self.shedding = shedding
        self.failsFast = failsFast
    }
}

/// A pool of worker threads with its accept queue, shared by the entry points that name it: their
/// requests compete for its threads and wait in one queue, first come first served.
public struct ThreadPoolSpec: Sendable, Equatable {
    /// The pool's name (`requestHandlers`); no entry point of the service has the same name.
    public var name: String
    /// Worker threads per instance.
    public var threads: Int
    /// How many requests may wait for a thread per instance; nil means unbounded.
    public var queueCapacity: Int?
    /// Load shedding at the pool's queue, or nil for never.
    public var shedding: LoadSheddingSpec?

    /// Creates a shared thread pool.
    public init(name: String, threads: Int, queueCapacity: Int?, shedding: LoadSheddingSpec? = nil) {
        self.name = name
        self.threads = threads
        self.queueCapacity = queueCapacity
        self.shedding = shedding
    }
}

/// Load shedding at an entry point or a shared thread pool: requests are answered "overloaded" at once, without work.
public struct LoadSheddingSpec: Sendable, Equatable {
    /// A request that finds this many or more waiting is shed on arrival; nil for no such limit.
    public var maximumQueueLength: Int?
    /// A request that waited longer than this is shed when a thread would take it (a queue-wait
    /// timeout); nil for no such limit.
    public var maximumQueueAge: Interval?

    /// Creates a shedding policy.
    public init(maximumQueueLength: Int? = nil, maximumQueueAge: Interval? = nil) {
        self.maximumQueueLength = maximumQueueLength
        self.maximumQueueAge = maximumQueueAge
    }
}

/// One step of a request's handling.
public enum Step: Sendable, Equatable {
    /// CPU work for a sampled time in seconds, stretched by garbage collection and warm-up.
    case cpu(Distribution)
    /// A synchronous call to the dependency at this index of the service's dependencies.
    case call(Int)
    /// The request's session is looked up, or created on the heap if it is new.
    case session
    /// A transaction mix: one of the branches is drawn by weight, and its steps run.
    case choose([StepBranch])
    /// The model's lock of this name: wait for a key, hold it for a sampled time in seconds, release it.
    case lock(String, hold: Distribution)
}

/// One branch of a transaction mix.
public struct StepBranch: Sendable, Equatable {
    /// The branch's relative weight (the weights of a mix need not add up to 1).
    public var weight: Double
    /// The steps the branch runs; none for a branch that does nothing more.
    public var steps: [Step]

    /// Creates a branch.
    public init(weight: Double, steps: [Step]) {
        self.weight = weight
        self.steps = steps
    }
}

extension Step {
    /// The dependencies a list of steps may call, branches included, in order of first appearance.
    public static func dependencies(calledBy steps: [Step]) -> [Int] {
        var found: [Int] = []
        for step in steps {
            switch step {
            case .call(let dependency): if !found.contains(dependency) { found.append(dependency) }
            case .choose(let branches):
                for branch in branches {
                    for dependency in dependencies(calledBy: branch.steps) where !found.contains(dependency) { found.append(dependency) }
                }
            case .cpu, .session, .lock: break
            }
        }
        return found
    }

    /// The locks a list of steps takes, branches included, by name in order of first appearance.
    public static func locks(takenBy steps: [Step]) -> [String] {
        var found: [String] = []
        for step in steps {
            switch step {
            case .lock(let name, _): if !found.contains(name) { found.append(name) }
            case .choose(let branches):
                for branch in branches {
                    for name in locks(takenBy: branch.steps) where !found.contains(name) { found.append(name) }
                }
            case .cpu, .call, .session: break
            }
        }
        return found
    }
}

/// How a service's balancer picks instances, and its health check.
public struct BalancerSpec: Sendable, Equatable {
    /// The choice of instance for each request.
    public enum Strategy: String, Sendable, Equatable, CaseIterable {
        /// Each admitted instance in turn.
        case roundRobin
        /// An admitted instance at random.
        case random
        /// The admitted instance with the fewest requests in flight; the lowest index on a tie.
        case leastOutstanding
        /// Two distinct admitted instances at random; the one with fewer requests in flight.
        case powerOfTwo
    }

    /// The strategy.
    public var strategy: Strategy
    /// The health check that ejects and readmits instances, or nil for none.
    public var healthCheck: HealthCheckSpec?

    /// Creates a balancer; round robin without health checks by default.
    public init(strategy: Strategy = .roundRobin, healthCheck: HealthCheckSpec? = nil) {
        self.strategy = strategy
        self.healthCheck = healthCheck
    }
}

/// A balancer's periodic check of each instance.
public struct HealthCheckSpec: Sendable, Equatable {
    /// What a probe exercises.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The entry point's CPU steps only: the instance answers if a thread is free to.
        case shallow
        /// Every step of the entry point, calls to dependencies included.
        case deep
    }

    /// Time between probes of one instance.
    public var interval: Interval
    /// A probe not answered within this time has failed.
    public var timeout: Interval
    /// Consecutive failures that eject an instance.
    public var unhealthyThreshold: Int
    /// Consecutive successes that readmit an ejected instance.
    public var healthyThreshold: Int
    /// Shallow or deep.
    public var kind: Kind
    /// The index of the entry point probes go to.
    public var entryPoint: Int
    /// Handshaking: an instance whose probed entry point has at least this share of its threads
    /// busy answers its probe "busy" (a failure), so the balancer sends work elsewhere; nil for never.
    public var busyThreshold: Double?

    /// Creates a health check.
    public init(interval: Interval, timeout: Interval, unhealthyThreshold: Int, healthyThreshold: Int, kind: Kind, entryPoint: Int,
                busyThreshold: Double? = nil) {
        self.busyThreshold = busyThreshold
        self.interval = interval
        self.timeout = timeout
        self.unhealthyThreshold = unhealthyThreshold
        self.healthyThreshold = healthyThreshold
        self.kind = kind
        self.entryPoint = entryPoint
    }
}

/// Start-up, restart and warm-up of a service's instances.
public struct LifecycleSpec: Sendable, Equatable {
    /// Time from a restart's start until the instance accepts requests.
    public var startupTime: Interval
    /// Time a crashed instance stays down before its restart begins; nil means it stays down.
    public var restartDelay: Interval?
    /// Time after start-up during which CPU work is slower.
    public var warmupTime: Interval
    /// How much slower CPU work is during warm-up (1 = not slower).
    public var warmupSlowdown: Double
    /// Whether callers learn at once that a crash lost their requests (their connections are
    /// reset); when false, their calls hang until their own timeouts, as over half-open
    /// connections to a host that died silently.
    public var resetsConnectionsOnCrash: Bool
    /// Let it crash: a supervisor restarts a crashed instance at most `maximumRestarts` times
    /// within any `period`; one more crash within it and the instance stays down. Nil restarts
    /// without limit (after `restartDelay`).
    public var supervisor: SupervisorSpec?

    /// Creates a lifecycle; by default instances start at once, restart after 30 s, need no
    /// warm-up, and a crash resets their callers' connections.
    public init(startupTime: Interval = .zero, restartDelay: Interval? = .seconds(30), warmupTime: Interval = .zero,
                warmupSlowdown: Double = 1, resetsConnectionsOnCrash: Bool = true, supervisor: SupervisorSpec? = nil) {
        self.supervisor = supervisor
        self.startupTime = startupTime
        self.restartDelay = restartDelay
        self.warmupTime = warmupTime
        self.warmupSlowdown = warmupSlowdown
        self.resetsConnectionsOnCrash = resetsConnectionsOnCrash
    }
}

/// An autoscaler with a governor: every `interval` it compares the farm's thread utilisation over
/// that interval with `targetUtilisation` and asks for ceil(instances in service × utilisation /
/// target) instances, kept within [minimumInstances, maximumInstances] and changed by at most
/// `maximumChange` at a time. New instances take `provisioningLag` (plus the start-up time) to
/// come up; removed ones stop receiving requests and leave once their requests are done.
public struct AutoscalerSpec: Sendable, Equatable {
    public var targetUtilisation: Double
    public var interval: Interval
    public var provisioningLag: Interval
    public var minimumInstances: Int
    public var maximumInstances: Int
    public var maximumChange: Int

    /// Creates an autoscaler.
    public init(targetUtilisation: Double, interval: Interval, provisioningLag: Interval, minimumInstances: Int, maximumInstances: Int, maximumChange: Int) {
        self.targetUtilisation = targetUtilisation
        self.interval = interval
        self.provisioningLag = provisioningLag
        self.minimumInstances = minimumInstances
        self.maximumInstances = maximumInstances
        self.maximumChange = maximumChange
    }
}

/// A supervisor's restart intensity (Erlang/OTP's `intensity` within `period`).
public struct SupervisorSpec: Sendable, Equatable {
    public var maximumRestarts: Int
    public var period: Interval

    /// Creates a supervisor spec.
    public init(maximumRestarts: Int, period: Interval) {
        self.maximumRestarts = maximumRestarts
        self.period = period
    }
}

/// The heap of one instance: what lives on it, and what garbage collection costs.
///
/// Occupancy is used / size. GC takes a share of CPU time that is zero up to `gcThreshold` and
/// rises as the cube of the way from there to a full heap, up to `gcMaximumShare`:
/// share = max · ((occupancy − threshold) / (1 − threshold))³. CPU steps take 1 / (1 − share)
/// times as long. A heap that cannot hold a new allocation is out of memory: the instance crashes.
public struct HeapSpec: Sendable, Equatable {
    /// Heap size in bytes.
    public var size: Int64
    /// Bytes in use with no sessions.
    public var baseline: Int64
    /// Bytes one session holds.
    public var sessionSize: Int64
    /// A session idle this long expires and is purged; `Interval.forever` never expires them.
    public var sessionTimeout: Interval
    /// Steady state by periodic purge: expired sessions are removed only by a sweep every this
    /// long, rather than the moment they expire; nil removes each at its expiry.
    public var purgeInterval: Interval?
    /// Occupancy from which GC costs CPU, in (0, 1).
    public var gcThreshold: Double
    /// The share of CPU GC takes with a full heap, in [0, 1).
    public var gcMaximumShare: Double

    /// The occupancy above which garbage collection starts to take CPU time, when a model does not say.
    public static let defaultGCThreshold = 0.7
    /// The largest share of CPU time garbage collection takes, when a model does not say.
    public static let defaultGCMaximumShare = 0.95

    /// Creates a heap.
    public init(size: Int64, baseline: Int64, sessionSize: Int64, sessionTimeout: Interval,
                gcThreshold: Double = HeapSpec.defaultGCThreshold, gcMaximumShare: Double = HeapSpec.defaultGCMaximumShare,
                purgeInterval: Interval? = nil) {
        self.purgeInterval = purgeInterval
        self.size = size
        self.baseline = baseline
        self.sessionSize = sessionSize
        self.sessionTimeout = sessionTimeout
        self.gcThreshold = gcThreshold
        self.gcMaximumShare = gcMaximumShare
    }

    /// GC's share of CPU at an occupancy.
    public func gcShare(occupancy: Double) -> Double {
        guard occupancy > gcThreshold else { return 0 }
        let way = Swift.min(1, (occupancy - gcThreshold) / (1 - gcThreshold))
        return gcMaximumShare * way * way * way
    }
}
