import SimulationKernel

/// A whole model as the engine runs it: the run settings, the services, and the traffic.
///
/// Built by `ModelFormat` from a model file, or directly in code and tests. Names are unique
/// across services, traffic sources and user populations; references are by name.
public struct SystemModel: Sendable, Equatable {
    /// The model's name, used for its output folder.
    public var name: String
    /// How long to run, the warm-up to discard, the seed, the reporting interval and limits.
    public var run: RunSettings
    /// The services of the model, in file order.
    public var services: [ServiceSpec]
    /// Open traffic sources, in file order.
    public var traffic: [TrafficSourceSpec]
    /// Closed user populations, in file order.
    public var users: [UserPopulationSpec]
    /// External endpoints the services call.
    public var endpoints: [EndpointSpec]
    /// Scheduled faults, in file order.
    public var faults: [FaultSpec]
    /// Message queues between services, in file order.
    public var messageQueues: [MessageQueueSpec]
    /// What the model expects of its own results, checked by `faultline check`.
    public var expectations: [Expectation]
    /// Locks the services' steps take, shared by all their instances; none by default.
    public var locks: [LockSpec] = []

    /// Creates a model.
    public init(name: String, run: RunSettings, services: [ServiceSpec], traffic: [TrafficSourceSpec] = [],
                users: [UserPopulationSpec] = [], endpoints: [EndpointSpec] = [], faults: [FaultSpec] = [],
                expectations: [Expectation] = [], messageQueues: [MessageQueueSpec] = []) {
        self.messageQueues = messageQueues
        self.name = name
        self.run = run
        self.services = services
        self.traffic = traffic
        self.users = users
        self.endpoints = endpoints
        self.faults = faults
        self.expectations = expectations
    }

    /// The index of the endpoint with the given name, if any.
    public func endpointIndex(named name: String) -> Int? {
        endpoints.firstIndex { $0.name == name }
    }

    /// The index of the message queue with the given name, if any.
    public func messageQueueIndex(named name: String) -> Int? {
        messageQueues.firstIndex { $0.name == name }
    }

    /// The index of the lock with the given name, if any.
    public func lockIndex(named name: String) -> Int? {
        locks.firstIndex { $0.name == name }
    }

    /// The index of the service with the given name, if any.
    public func serviceIndex(named name: String) -> Int? {
        services.firstIndex { $0.name == name }
    }
}

/// How a run is carried out: its length, warm-up, seed, reporting interval and limits.
public struct RunSettings: Sendable, Equatable {
    /// Simulated time to run; events after it do not happen.
    public var duration: Interval
    /// Simulated time at the start whose observations are left out of `summary.csv`.
    public var warmup: Interval
    /// The run's seed; every random stream derives from it.
    public var seed: UInt64
    /// Length of one row interval of `series.csv`.
    public var interval: Interval
    /// The hard limit on executed events; a run that reaches it is stopped and reported as cut short.
    public var maximumEvents: UInt64
    /// Stop as soon as this many requests have completed (used by benchmarks), or nil.
    public var endAfterCompletions: UInt64?
    /// The limits that stop a run that grows without bound.
    public var limits = RunLimits.defaults
    /// The time of day at which the run starts (`run.clockStart`, "23:00"), as time since midnight,
    /// or nil: then times read as time since the start. Only people read it (the timeline,
    /// `explain`, the report); the simulation and the CSV files keep time from the start.
    public var clockStart: Interval?

    /// The documented defaults: 10 minutes, no warm-up, seed 1, 10-second intervals, 10⁹ events.
    public static let defaults = RunSettings(
        duration: .seconds(600), warmup: .zero, seed: 1, interval: .seconds(10),
        maximumEvents: 1_000_000_000, endAfterCompletions: nil)

    /// Creates run settings.
    public init(duration: Interval, warmup: Interval, seed: UInt64, interval: Interval, maximumEvents: UInt64, endAfterCompletions: UInt64?) {
        self.duration = duration
        self.warmup = warmup
        self.seed = seed
        self.interval = interval
        self.maximumEvents = maximumEvents
        self.endAfterCompletions = endAfterCompletions
    }
}
