import FailureChains
import SimulationKernel
import Testing

/// The cache alone, driven with explicit times and keys: LRU order, expiry to the nanosecond,
/// jitter, single-flight, stale on error, early refresh, flush and a cold restart.
struct CacheTests {
    static let second: Int64 = 1_000_000_000

    static func cache(capacity: Int = 3, ttl: Interval = .seconds(10), jitter: Interval = .zero, refreshAhead: Interval? = nil,
                      singleFlight: Bool = false, staleOnError: Bool = false) -> Cache {
        let spec = CacheSpec(keys: 100, capacity: capacity, ttl: ttl, ttlJitter: jitter, refreshAhead: refreshAhead,
                             singleFlight: singleFlight, staleOnError: staleOnError)
        return Cache(spec: spec, sampler: KeySampler(keys: 100, popularity: .uniform),
                     keyStream: RandomStream(seed: 1, component: "web[0].db", purpose: "cacheKeys"),
                     ttlStream: RandomStream(seed: 1, component: "web[0].db", purpose: "cacheTTL"))
    }

    static func waiter(_ id: Int32) -> Cache.Waiter { Cache.Waiter(id: id, generation: 7) }

    /// Looks `key` up and, on a miss, fills it successfully at the same instant.
    static func read(_ cache: inout Cache, _ key: Int32, at now: Int64) -> Cache.Lookup {
        let lookup = cache.lookUp(key, waiter: waiter(0), at: now, pastWarmup: true)
        if case .fill(let registered) = lookup { cache.fillSucceeded(key, isRegistered: registered, at: now, pastWarmup: true) { _ in } }
        return lookup
    }

    @Test func `a miss fills and the next lookup hits`() {
        var cache = Self.cache()
        #expect(Self.read(&cache, 5, at: 0) == .fill(isRegistered: false))
        #expect(Self.read(&cache, 5, at: 1) == .hit)
        #expect(cache.interval == { var c = Cache.Counters(); c.hits = 1; c.misses = 1; c.fills = 1; return c }())
    }

    @Test func `a full cache evicts the least recently used entry`() {
        var cache = Self.cache(capacity: 3)
        for key: Int32 in [1, 2, 3] { _ = Self.read(&cache, key, at: 0) }
        #expect(cache.keysByRecency == [3, 2, 1])
        _ = Self.read(&cache, 1, at: 1)  // 1 is used again: 2 is now the least recent
        #expect(cache.keysByRecency == [1, 3, 2])
        _ = Self.read(&cache, 4, at: 2)
        #expect(cache.keysByRecency == [4, 1, 3])
        #expect(cache.slot(of: 2) < 0)
        #expect(cache.interval.evictions == 1)
        #expect(cache.count == 3)
        #expect(Self.read(&cache, 2, at: 3) == .fill(isRegistered: false))
        #expect(cache.keysByRecency == [2, 4, 1])
    }

    @Test func `evictions keep every other key findable (backward-shift deletion)`() {
        var cache = Self.cache(capacity: 50)
        var stream = RandomStream(seed: 3, component: "test", purpose: "keys")
        var recent: [Int32] = []
        for step in 0..<5_000 {
            let key = Int32(stream.next(below: 100))
            _ = Self.read(&cache, key, at: Int64(step))
            recent.removeAll { $0 == key }
            recent.insert(key, at: 0)
            if recent.count > 50 { recent.removeLast() }
        }
        #expect(cache.keysByRecency == recent)
        for key in recent { #expect(cache.slot(of: key) >= 0) }
        for key: Int32 in 0..<100 where !recent.contains(key) { #expect(cache.slot(of: key) < 0) }
    }

    @Test func `an entry expires at the exact nanosecond of its ttl`() {
        var cache = Self.cache(ttl: .seconds(10))
        _ = Self.read(&cache, 5, at: 1_000)
        #expect(cache.isFresh(5, at: 1_000 + 10 * Self.second - 1))
        #expect(cache.lookUp(5, waiter: Self.waiter(1), at: 1_000 + 10 * Self.second - 1, pastWarmup: true) == .hit)
        #expect(!cache.isFresh(5, at: 1_000 + 10 * Self.second))
        #expect(cache.lookUp(5, waiter: Self.waiter(1), at: 1_000 + 10 * Self.second, pastWarmup: true) == .fill(isRegistered: false))
    }

    @Test func `a jittered lifetime lies between the ttl and the ttl plus the jitter`() {
        var cache = Self.cache(capacity: 1000, ttl: .seconds(10), jitter: .seconds(2))
        var lifetimes: Set<Int64> = []
        for key: Int32 in 0..<100 {
            _ = Self.read(&cache, key, at: 0)
            let lifetime = cache.expiresAt[Int(cache.slot(of: key))]
            #expect(lifetime >= 10 * Self.second && lifetime < 12 * Self.second)
            lifetimes.insert(lifetime)
        }
        #expect(lifetimes.count > 90)  // drawn, not fixed
        let spread = lifetimes.max()! - lifetimes.min()!
        #expect(spread > Self.second)
    }

    @Test func `without single-flight every concurrent miss calls`() {
        var cache = Self.cache()
        for id: Int32 in 1...3 { #expect(cache.lookUp(5, waiter: Self.waiter(id), at: 0, pastWarmup: true) == .fill(isRegistered: false)) }
        #expect(cache.interval.fills == 3)
    }

    @Test func `with single-flight concurrent misses on one key wait for one fill`() {
        var cache = Self.cache(singleFlight: true)
        #expect(cache.lookUp(5, waiter: Self.waiter(1), at: 0, pastWarmup: true) == .fill(isRegistered: true))
        #expect(cache.lookUp(5, waiter: Self.waiter(2), at: 1, pastWarmup: true) == .wait)
        #expect(cache.lookUp(5, waiter: Self.waiter(3), at: 2, pastWarmup: true) == .wait)
        #expect(cache.lookUp(6, waiter: Self.waiter(4), at: 2, pastWarmup: true) == .fill(isRegistered: true))  // another key: its own fill
        var woken: [Int32] = []
        cache.fillSucceeded(5, isRegistered: true, at: 3, pastWarmup: true) { woken.append($0.id) }
        #expect(woken == [2, 3])
        #expect(cache.lookUp(5, waiter: Self.waiter(5), at: 4, pastWarmup: true) == .hit)
        #expect(cache.interval.fills == 2)
        #expect(cache.interval.coalesced == 2)
        #expect(cache.interval.misses == 4)
    }

    @Test func `a failed fill fails its waiters and the next miss fills again`() {
        var cache = Self.cache(singleFlight: true)
        _ = cache.lookUp(5, waiter: Self.waiter(1), at: 0, pastWarmup: true)
        _ = cache.lookUp(5, waiter: Self.waiter(2), at: 1, pastWarmup: true)
        var answers: [Bool] = []
        let served = cache.fillFailed(5, isRegistered: true, at: 2, pastWarmup: true) { answers.append($1) }
        #expect(!served)
        #expect(answers == [false])
        #expect(cache.slot(of: 5) < 0)  // the placeholder went
        #expect(cache.lookUp(5, waiter: Self.waiter(3), at: 3, pastWarmup: true) == .fill(isRegistered: true))
    }

    @Test func `stale on error answers a failed fill from the expired entry`() {
        var cache = Self.cache(ttl: .seconds(10), singleFlight: true, staleOnError: true)
        _ = Self.read(&cache, 5, at: 0)
        let expired = 10 * Self.second
        #expect(cache.lookUp(5, waiter: Self.waiter(1), at: expired, pastWarmup: true) == .fill(isRegistered: true))
        #expect(cache.lookUp(5, waiter: Self.waiter(2), at: expired, pastWarmup: true) == .wait)
        var answers: [Bool] = []
        #expect(cache.fillFailed(5, isRegistered: true, at: expired + 1, pastWarmup: true) { answers.append($1) })
        #expect(answers == [true])
        #expect(cache.interval.stale == 2)
        #expect(cache.slot(of: 5) >= 0)  // kept, still expired
        #expect(!cache.isFresh(5, at: expired + 1))
    }

    @Test func `without stale on error a failed fill of an expired entry fails`() {
        var cache = Self.cache(ttl: .seconds(10))
        _ = Self.read(&cache, 5, at: 0)
        _ = cache.lookUp(5, waiter: Self.waiter(1), at: 10 * Self.second, pastWarmup: true)
        #expect(!cache.fillFailed(5, isRegistered: false, at: 10 * Self.second, pastWarmup: true) { _, _ in })
        #expect(cache.interval.stale == 0)
    }

    @Test func `an entry near its expiry is refreshed by one request while the others hit`() {
        var cache = Self.cache(ttl: .seconds(10), refreshAhead: .seconds(2))
        _ = Self.read(&cache, 5, at: 0)
        #expect(cache.lookUp(5, waiter: Self.waiter(1), at: 8 * Self.second - 1, pastWarmup: true) == .hit)
        #expect(cache.lookUp(5, waiter: Self.waiter(2), at: 8 * Self.second, pastWarmup: true) == .fill(isRegistered: true))
        #expect(cache.lookUp(5, waiter: Self.waiter(3), at: 9 * Self.second, pastWarmup: true) == .hit)
        cache.fillSucceeded(5, isRegistered: true, at: 9 * Self.second, pastWarmup: true) { _ in }
        #expect(cache.isFresh(5, at: 19 * Self.second - 1))
        #expect(cache.interval.refreshes == 1)
        #expect(cache.interval.misses == 1)  // the first fill only
    }

    @Test func `a failed early refresh still answers from the fresh entry`() {
        var cache = Self.cache(ttl: .seconds(10), refreshAhead: .seconds(2))
        _ = Self.read(&cache, 5, at: 0)
        _ = cache.lookUp(5, waiter: Self.waiter(2), at: 9 * Self.second, pastWarmup: true)
        #expect(cache.fillFailed(5, isRegistered: true, at: 9 * Self.second + 1, pastWarmup: true) { _, _ in })
        #expect(cache.interval.stale == 0)
        // The refresh is over: the next request in the window refreshes again.
        #expect(cache.lookUp(5, waiter: Self.waiter(3), at: 9 * Self.second + 2, pastWarmup: true) == .fill(isRegistered: true))
    }

    @Test func `a flush empties the cache but keeps a fill in flight and its waiters`() {
        var cache = Self.cache(singleFlight: true)
        _ = Self.read(&cache, 1, at: 0)
        _ = Self.read(&cache, 2, at: 0)
        _ = cache.lookUp(3, waiter: Self.waiter(1), at: 1, pastWarmup: true)
        _ = cache.lookUp(3, waiter: Self.waiter(2), at: 1, pastWarmup: true)
        cache.flush()
        #expect(cache.keysByRecency == [3])
        #expect(cache.lookUp(1, waiter: Self.waiter(3), at: 2, pastWarmup: true) == .fill(isRegistered: true))
        var woken: [Int32] = []
        cache.fillSucceeded(3, isRegistered: true, at: 3, pastWarmup: true) { woken.append($0.id) }
        #expect(woken == [2])
        #expect(cache.isFresh(3, at: 4))
    }

    @Test func `a reset leaves the cache cold and keeps its counters`() {
        var cache = Self.cache(singleFlight: true)
        _ = Self.read(&cache, 1, at: 0)
        _ = cache.lookUp(2, waiter: Self.waiter(1), at: 0, pastWarmup: true)
        _ = cache.lookUp(2, waiter: Self.waiter(2), at: 0, pastWarmup: true)
        let before = cache.interval
        cache.reset()
        #expect(cache.count == 0)
        #expect(cache.keysByRecency.isEmpty)
        #expect(cache.interval == before)
        #expect(cache.lookUp(1, waiter: Self.waiter(3), at: 1, pastWarmup: true) == .fill(isRegistered: true))
        #expect(cache.lookUp(2, waiter: Self.waiter(4), at: 1, pastWarmup: true) == .fill(isRegistered: true))
    }

    @Test func `a fill in flight is never evicted; a full cache of fills lets a miss call unregistered`() {
        var cache = Self.cache(capacity: 2, singleFlight: true)
        #expect(cache.lookUp(1, waiter: Self.waiter(1), at: 0, pastWarmup: true) == .fill(isRegistered: true))
        #expect(cache.lookUp(2, waiter: Self.waiter(2), at: 0, pastWarmup: true) == .fill(isRegistered: true))
        #expect(cache.lookUp(3, waiter: Self.waiter(3), at: 0, pastWarmup: true) == .fill(isRegistered: false))
        cache.fillSucceeded(3, isRegistered: false, at: 1, pastWarmup: true) { _ in }
        #expect(cache.slot(of: 3) < 0)  // no room
        cache.fillSucceeded(1, isRegistered: true, at: 1, pastWarmup: true) { _ in }
        #expect(cache.lookUp(4, waiter: Self.waiter(4), at: 2, pastWarmup: true) == .fill(isRegistered: true))
        #expect(cache.slot(of: 1) < 0)  // 1 was the only entry not filling
        #expect(cache.slot(of: 2) >= 0)
    }

    @Test func `counts before the warm-up go in the interval only`() {
        var cache = Self.cache()
        _ = cache.lookUp(1, waiter: Self.waiter(1), at: 0, pastWarmup: false)
        #expect(cache.interval.misses == 1)
        #expect(cache.total.misses == 0)
    }
}
