import SimulationKernel
import FailureChains

/// Hard limits on what one model may ask for, checked before anything is allocated, so that a
/// runaway or mistyped model is refused with a message instead of exhausting the machine.
public enum ModelLimits {
    /// Instances of one service.
    public static let instancesPerService = 10_000
    /// Worker threads of one entry point of one instance.
    public static let threadsPerInstance = 100_000
    /// Waiting requests one entry point of one instance may hold.
    public static let queueCapacity = 10_000_000
    /// The most times a message queue delivers one message (`maximumDeliveries`).
    public static let messageDeliveries = 100
    /// Steps of one entry point.
    public static let stepsPerEntryPoint = 1_000
    /// Connections of one pool.
    public static let poolSize = 100_000
    /// Keys of one cache's key space (a Zipf law keeps a table of 8 bytes a key, shared by the instances).
    public static let cacheKeys = 10_000_000
    /// Entries of one cache of one instance.
    public static let cacheEntries = 1_000_000
    /// The most closed log files a disk's rotation keeps.
    public static let rotatedFilesKept = 10_000
    /// Consecutive probes a health check counts.
    public static let healthCheckThreshold = 1_000
    /// How many times slower CPU work may be during warm-up.
    public static let warmupSlowdown = 1_000.0
    /// Users of all closed populations together.
    public static let users = 1_000_000
    /// Instances of all services together.
    public static let instances = 100_000
    /// Events of one run.
    public static let events = 1_000_000_000_000
    /// Points in one rate profile.
    public static let profilePoints = 10_000
    /// Days a daily rate profile may cover (96 points a day).
    public static let dailyProfileDays = 1_000
    /// Requests of one visit, and of one user's session.
    public static let requestsPerVisit = 1_000_000
    /// Requests one reloading client sends for one thing, the first included.
    public static let reloadAttempts = 1_000
    /// The highest value of `run.maximumPendingEvents`.
    public static let pendingEvents = 1_000_000_000
    /// The highest value of `run.maximumLiveRequests`.
    public static let liveRequests = 1_000_000_000
    /// The highest value of `run.maximumConnections`.
    public static let connections = 1_000_000_000
    /// The highest value of `run.maximumSeriesRows`.
    public static let seriesRows = 10_000_000_000
    /// The values `run.maximumMemory` may take: 1 MB to 1 TB.
    public static let memoryRange: ClosedRange<Int64> = 1_000_000...1_000_000_000_000
    /// Length of a component name.
    public static let nameLength = 64
    /// Keys of one lock.
    public static let lockKeys = 1_000_000
    /// Rows of a result's data set at the start.
    public static let resultRows: Int64 = 1_000_000_000_000
    /// Bytes of any size: a heap, its baseline, a session, a leak per request or per second. At
    /// 16 TiB (2⁴⁴ B), a heap's use summed over every instance of the model, or one instance's
    /// leaks summed over every fault, stays below 2⁶¹ bytes, far from where 64-bit sums overflow.
    public static let largestSize: Int64 = 1 << 44
    /// Faults of one model.
    public static let faults = 10_000
    /// Requests per second one traffic source may reach, in any profile point, daily curve or
    /// spike: one a nanosecond, the finest gap simulated time can hold.
    /// The lowest rate of an admission rate limit: one request in 1000 s.
    public static let lowestAdmissionRate = 0.001
    /// The largest burst of an admission rate limit, in tokens.
    public static let admissionBurst = 1_000_000
    public static let highestRate = 1e9
    /// Series intervals of one run: `run.duration` / `run.interval`.
    public static let seriesIntervals: Int64 = 10_000_000
    /// The longest `run.duration`: 100 years of 365 days, so that the end plus any timer's delay
    /// saturates past the end instead of at it, and time always moves.
    public static let runDuration = Interval.seconds(3_153_600_000)
    /// The shortest time between two decisions of an autoscaler.
    public static let shortestAutoscalerInterval = Interval.seconds(1)
    /// The weight of one branch of a transaction mix.
    public static let largestMixWeight = 1e12
}

/// Defaults of the model format that the engine's initialisers do not fix; documented in
/// `docs/model.md`.
enum ModelDefaults {
    static let healthCheckInterval = Interval.seconds(10)
    static let healthCheckTimeout = Interval.seconds(2)
    static let unhealthyThreshold = 3
    static let healthyThreshold = 2
    static let sessionTimeout = Interval.seconds(1_800)
    static let gcThreshold = HeapSpec.defaultGCThreshold
    static let gcMaximumShare = HeapSpec.defaultGCMaximumShare
    static let failoverStaleDelay = FaultSpec.defaultStaleDelay
    static let autoscalerInterval = Interval.seconds(60)
}
