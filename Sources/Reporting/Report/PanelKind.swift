/// The kinds of panel a run's report draws, named as the page's `data-panel` attributes name them.
public enum PanelKind: String, CaseIterable, Sendable {
    /// A traffic source's success ratio and response time.
    case success
    /// Requests offered, completed and good, per second.
    case throughput
    /// Errors per second, stacked by kind.
    case errors
    /// Latency percentiles p50, p95, p99, on a log scale.
    case latency
    /// Threads busy, stacked by what they wait on (CPU, checkout, call per dependency).
    case threads
    /// Requests waiting for a thread.
    case queue
    /// A dependency's pool: connections in use, idle, leaked, and checkouts waiting.
    case connections
    /// Heap used and the share of CPU garbage collection takes.
    case heap
    /// Live sessions.
    case sessions
    /// Instances up and admitted by the balancer.
    case instances
    /// Circuit breakers open and half-open, as bands.
    case breaker
    /// An external endpoint's calls, by how they ended.
    case endpoint
    /// A traffic source's requests and the retries its clients sent, per second.
    case retries
    /// A service's caches: hit ratio per dependency.
    case cache
    /// A service's caches: calls made to fill entries, per second, per dependency.
    case cacheFills
    /// A service's disk: the share used, with the level at which writes fail.
    case disk
    /// A message queue's messages waiting, with its capacity.
    case messageDepth
    /// How long a message queue's oldest waiting message has waited.
    case messageAge
    /// A message queue's messages per second: put in, handed out, consumed, lost.
    case messageRates
    /// A lock's keys held (for one key, its utilisation).
    case lockHeld
    /// Requests waiting for a lock.
    case lockQueue
    /// A lock's acquisitions, waits and timeouts per second.
    case lockRates

    /// The panel's title as the page shows it.
    var title: String {
        switch self {
        case .success: "success ratio"
        case .throughput: "requests per second"
        case .errors: "errors per second, by kind"
        case .latency: "latency (log scale)"
        case .threads: "threads busy, by what they wait on"
        case .queue: "requests queued for a thread"
        case .connections: "connection pool"
        case .heap: "heap used, and GC's share of CPU"
        case .sessions: "live sessions"
        case .instances: "instances up and admitted"
        case .breaker: "circuit breakers (share of instances)"
        case .endpoint: "calls per second, by outcome"
        case .retries: "requests and client retries per second"
        case .cache: "cache hit ratio, by dependency"
        case .cacheFills: "cache fills per second (calls the dependency sees)"
        case .disk: "disk used (fullest instance)"
        case .messageDepth: "messages waiting"
        case .messageAge: "age of the oldest waiting message"
        case .messageRates: "messages per second"
        case .lockHeld: "keys held"
        case .lockQueue: "requests waiting for the lock"
        case .lockRates: "lock acquisitions, waits and timeouts per second"
        }
    }
}
