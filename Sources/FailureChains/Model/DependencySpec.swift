import SimulationKernel

/// A dependency of a service: another service of the model or an external endpoint, called
/// through an optional connection pool, with optional connect and read timeouts.
public struct DependencySpec: Sendable, Equatable {
    /// What is called.
    public enum Target: Sendable, Equatable {
        /// An entry point of another service of the model.
        case service(name: String, entryPoint: String?)
        /// An external endpoint declared in the model.
        case endpoint(name: String)
        /// A message queue of the model: the call returns once the message is enqueued.
        case messageQueue(name: String)
    }

    /// The dependency's name within the service (`db`).
    public var name: String
    /// What it calls.
    public var target: Target
    /// The connection pool per calling instance, or nil to connect for each call.
    public var pool: PoolSpec?
    /// How long establishing a connection may take; nil waits as long as the other side does.
    public var connectTimeout: Interval?
    /// How long the answer may take once connected; nil waits as long as the other side does.
    public var readTimeout: Interval?
    /// The circuit breaker each calling instance keeps for this dependency, or nil for none.
    public var breaker: CircuitBreakerSpec?
    /// How failed calls are retried, or nil for never.
    public var retry: RetryPolicy?
    /// A bulkhead: at most this many calls to the dependency at once from one instance; a call
    /// beyond it is rejected at once (resilience4j's semaphore bulkhead with no wait). Nil for none.
    public var maximumConcurrentCalls: Int?
    /// A cache in front of the dependency, one per calling instance, or nil for none.
    public var cache: CacheSpec?
    /// How many rows a call returns and what they cost the caller, or nil for answers of no size.
    public var result: ResultSpec? = nil

    /// Creates a dependency.
    public init(name: String, target: Target, pool: PoolSpec? = nil, connectTimeout: Interval? = nil, readTimeout: Interval? = nil,
                breaker: CircuitBreakerSpec? = nil, retry: RetryPolicy? = nil, maximumConcurrentCalls: Int? = nil, cache: CacheSpec? = nil) {
        self.maximumConcurrentCalls = maximumConcurrentCalls
        self.cache = cache
        self.name = name
        self.target = target
        self.pool = pool
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.breaker = breaker
        self.retry = retry
    }
}

/// A connection pool between one calling instance and one dependency.
public struct PoolSpec: Sendable, Equatable {
    /// Connections in the pool, all open from the start.
    public var size: Int
    /// How long a checkout may wait for a connection; nil waits forever.
    public var checkoutTimeout: Interval?
    /// Whether a connection whose call failed is never returned (the airline's bug).
    public var leakOnError: Bool

    /// Creates a pool.
    public init(size: Int, checkoutTimeout: Interval? = nil, leakOnError: Bool = false) {
        self.size = size
        self.checkoutTimeout = checkoutTimeout
        self.leakOnError = leakOnError
    }
}

/// An external endpoint: something outside the model that answers calls after a latency.
public struct EndpointSpec: Sendable, Equatable {
    /// The endpoint's name.
    public var name: String
    /// The time it takes to answer, in seconds.
    public var latency: Distribution
    /// The probability that a call fails (after its latency), independently of every other call.
    public var errorProbability: Double
    /// At most this many calls in service at once, or nil for an endpoint that answers at any load.
    public var concurrency: Int?
    /// With a `concurrency`, how many calls may wait for a slot (first come, first served); a call
    /// beyond it is refused. Nil for no limit.
    public var queueCapacity: Int?

    /// Creates an endpoint.
    public init(name: String, latency: Distribution, errorProbability: Double = 0, concurrency: Int? = nil, queueCapacity: Int? = nil) {
        self.name = name
        self.latency = latency
        self.errorProbability = errorProbability
        self.concurrency = concurrency
        self.queueCapacity = queueCapacity
    }
}
