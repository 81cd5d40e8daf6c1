import SimulationKernel

/// A cache in front of a dependency, one per calling instance: the keys its requests ask for, how
/// many entries it keeps, how long an entry lives, and its defences against a dogpile.
///
/// A hit answers at once without calling the dependency; a miss calls it, and the call's outcome
/// fills the entry. The cache lives in the instance's memory: a crash empties it.
public struct CacheSpec: Sendable, Equatable {
    /// How a request's key is drawn from `keys` keys.
    public enum Popularity: Sendable, Equatable {
        /// Every key equally likely.
        case uniform
        /// Key *k* (from 1) with probability proportional to 1/*k*^`exponent`.
        case zipf(exponent: Double)
        /// A share of the keys (the first ones) takes a share of the requests, each part uniform.
        case hotSet(keyShare: Double, requestShare: Double)
    }

    /// The key space: keys 0 to `keys` − 1.
    public var keys: Int
    /// How requests choose their keys.
    public var popularity: Popularity
    /// At most this many entries; a fill beyond it evicts the least recently used entry.
    public var capacity: Int
    /// How long a filled entry is fresh.
    public var ttl: Interval
    /// Each fill's lifetime is `ttl` plus a uniform draw in [0, `ttlJitter`); zero for none.
    public var ttlJitter: Interval
    /// The first request to find an entry this close to its expiry refreshes it (calls the
    /// dependency) while every other request keeps hitting it; nil for no early refresh.
    public var refreshAhead: Interval?
    /// Whether concurrent misses on one key wait for one fill (request coalescing).
    public var singleFlight: Bool
    /// Whether a failed fill answers with the expired entry, when the cache still holds it.
    public var staleOnError: Bool

    /// Creates a cache.
    public init(keys: Int, popularity: Popularity = .uniform, capacity: Int, ttl: Interval, ttlJitter: Interval = .zero,
                refreshAhead: Interval? = nil, singleFlight: Bool = false, staleOnError: Bool = false) {
        self.keys = keys
        self.popularity = popularity
        self.capacity = capacity
        self.ttl = ttl
        self.ttlJitter = ttlJitter
        self.refreshAhead = refreshAhead
        self.singleFlight = singleFlight
        self.staleOnError = staleOnError
    }
}
