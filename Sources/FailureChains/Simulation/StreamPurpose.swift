import SimulationKernel

/// Every purpose a random stream of the simulation is drawn for, in one place.
///
/// A stream is keyed by (run seed, component name, purpose) with FNV-1a-64 (docs/determinism.md),
/// and each purpose has a stream of its own, so turning a feature on never shifts another
/// feature's draws. The raw value is the purpose as hashed: renaming one changes every run that
/// draws from it, so a new purpose gets a new case and no case is ever reused.
enum StreamPurpose: String, CaseIterable {
    /// An open traffic source's arrival times.
    case arrivals
    /// Think time of a source's visitors and a population's users.
    case thinkTime
    /// A service's balancer (random and power-of-two choices).
    case balancer
    /// An instance's CPU work.
    case serviceTime
    /// The cost of an instance's circuit-breaker fallbacks.
    case fallback
    /// Whether an `error` fault on an instance's own work fails a step.
    case workErrors
    /// An instance's retry backoff jitter.
    case retries
    /// An instance's choice among a transaction mix's branches.
    case mix
    /// An endpoint's latency.
    case latency
    /// An endpoint's `errorProbability` errors.
    case errors
    /// The keys an instance's requests ask of a dependency's cache.
    case cacheKeys
    /// The jitter of the lifetimes of a dependency's cache entries (`ttlJitter`).
    case cacheTTL
    /// The jitter of a traffic source's or user population's client retries.
    case retryJitter
    /// The keys a lock's acquisitions take.
    case lockKeys
    /// How long a lock's holds last.
    case lockHolds
    /// The share of its data set a dependency's result returns, per calling instance.
    case resultShare
}

extension RandomStream {
    /// The stream of `component` for `purpose` in a run seeded `seed`.
    init(seed: UInt64, component: String, purpose: StreamPurpose) {
        self.init(seed: seed, component: component, purpose: purpose.rawValue)
    }
}
