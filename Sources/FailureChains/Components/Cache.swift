import SimulationKernel

/// A cache in front of one dependency of one instance: entries in slots, kept in least-recently-
/// used order, with a time to live, fills on miss, and the dogpile defences (single-flight and
/// early refresh).
///
/// The slots are parallel arrays: a doubly linked list over slot indices gives the LRU order, and
/// an open-addressing table (linear probing, backward-shift deletion) maps a key to its slot, so
/// a lookup, a fill and an eviction are O(1) and allocate nothing once the cache has grown to its
/// capacity. An entry is fresh while `now < expiresAt`: it expires at the exact nanosecond.
///
/// The cache knows no requests: it takes waiters (an id and a generation) and hands them back
/// when a fill ends; the simulation's glue calls the dependency and schedules the answers.
package struct Cache {
    /// A request waiting for another request's fill of the same key.
    package struct Waiter: Equatable {
        package var id: Int32
        package var generation: UInt32

        package init(id: Int32, generation: UInt32) {
            self.id = id
            self.generation = generation
        }
    }

    /// What a lookup found.
    package enum Lookup: Equatable {
        /// A fresh entry: the request has its answer.
        case hit
        /// The request calls the dependency and fills the entry with the outcome. `isRegistered`
        /// when the cache counts on this fill (single-flight, or an early refresh): its end wakes
        /// the waiters and ends the refresh.
        case fill(isRegistered: Bool)
        /// Another request's fill of the key is in flight (single-flight): the request waits for it.
        case wait
    }

    /// What happened in a stretch of time.
    package struct Counters: Equatable {
        package init() {}
        /// Lookups that found a fresh entry.
        package var hits: Int64 = 0
        /// Lookups that found none, or an expired one (coalesced ones included).
        package var misses: Int64 = 0
        /// Entries dropped to make room for a fill.
        package var evictions: Int64 = 0
        /// Calls to the dependency to fill an entry: misses that called, and early refreshes.
        package var fills: Int64 = 0
        /// Early refreshes among the fills.
        package var refreshes: Int64 = 0
        /// Answers given from an expired entry because its fill failed (stale on error).
        package var stale: Int64 = 0
        /// Misses that waited for another request's fill (single-flight).
        package var coalesced: Int64 = 0

        package mutating func add(_ other: Counters) {
            hits += other.hits
            misses += other.misses
            evictions += other.evictions
            fills += other.fills
            refreshes += other.refreshes
            stale += other.stale
            coalesced += other.coalesced
        }
    }

    /// `expiresAt` of a slot whose first fill is still in flight.
    package static let noValue = Int64.min

    let capacity: Int32
    let ttl: Int64
    let ttlJitter: Int64
    /// How long before its expiry an entry is refreshed, or −1 for never.
    let refreshAhead: Int64
    let isSingleFlight: Bool
    let servesStaleOnError: Bool
    /// The popularity law, and the streams of this cache's keys and of its TTL jitter.
    let sampler: KeySampler
    var keyStream: RandomStream
    var ttlStream: RandomStream

    // The slots, by index.
    package private(set) var keys: [Int32] = []
    package private(set) var expiresAt: [Int64] = []
    /// The LRU list: `head` is the most recently used slot, `tail` the least; −1 ends it.
    private var previous: [Int32] = []
    private var next: [Int32] = []
    private var head: Int32 = -1
    private var tail: Int32 = -1
    /// Whether a registered fill of the slot's key is in flight; such a slot is never evicted.
    package private(set) var isFilling: [Bool] = []
    /// The slot's waiters, a list through the waiter nodes, oldest first.
    private var firstWaiter: [Int32] = []
    private var lastWaiter: [Int32] = []
    /// Slots emptied by a flush, for reuse.
    private var freeSlots: [Int32] = []
    /// Entries held (slots in the LRU list).
    package private(set) var count: Int32 = 0

    /// The key → slot table: a slot index or −1; its size is a power of two at least twice `count`.
    private var table: [Int32] = [Int32](repeating: -1, count: 16)
    private var mask = 15

    // The waiter nodes, a free list through `waiterNext`.
    private var waiters: [Waiter] = []
    private var waiterNext: [Int32] = []
    private var freeWaiter: Int32 = -1

    package var interval = Counters()
    package var total = Counters()

    /// Creates an empty cache.
    ///
    /// - Parameters:
    ///   - spec: The cache's spec.
    ///   - sampler: The key sampler, shared by the caches of one dependency.
    ///   - keyStream: Draws the keys of this cache's requests.
    ///   - ttlStream: Draws the jitter of this cache's lifetimes (only when `ttlJitter` is positive).
    package init(spec: CacheSpec, sampler: KeySampler, keyStream: RandomStream, ttlStream: RandomStream) {
        capacity = Int32(spec.capacity)
        ttl = spec.ttl.nanoseconds
        ttlJitter = spec.ttlJitter.nanoseconds
        refreshAhead = spec.refreshAhead?.nanoseconds ?? -1
        isSingleFlight = spec.singleFlight
        servesStaleOnError = spec.staleOnError
        self.sampler = sampler
        self.keyStream = keyStream
        self.ttlStream = ttlStream
    }

    /// Draws the key of the next request.
    @inline(__always)
    package mutating func nextKey() -> Int32 {
        sampler.key(at: keyStream.nextUnit())
    }

    /// The slot holding `key`, or −1.
    package func slot(of key: Int32) -> Int32 {
        var position = Self.hash(key) & mask
        while true {
            let slot = table[position]
            if slot < 0 || keys[Int(slot)] == key { return slot }
            position = (position + 1) & mask
        }
    }

    /// Whether the cache holds a fresh entry for `key` at `now`.
    package func isFresh(_ key: Int32, at now: Int64) -> Bool {
        let slot = slot(of: key)
        return slot >= 0 && expiresAt[Int(slot)] != Self.noValue && now < expiresAt[Int(slot)]
    }

    /// The keys held, most recently used first.
    package var keysByRecency: [Int32] {
        var result: [Int32] = []
        var slot = head
        while slot >= 0 { result.append(keys[Int(slot)]); slot = next[Int(slot)] }
        return result
    }

    /// A request asks for `key`.
    ///
    /// - Parameters:
    ///   - key: The key.
    ///   - waiter: The request, kept if it has to wait for another fill.
    ///   - now: The time, in nanoseconds.
    ///   - pastWarmup: Whether the run's totals count it.
    /// - Returns: A hit, a fill for the request to make, or a wait.
    /// - Complexity: O(1) expected; an eviction that finds the least recently used entries
    ///   filling passes over them.
    package mutating func lookUp(_ key: Int32, waiter: Waiter, at now: Int64, pastWarmup: Bool) -> Lookup {
        let slot = slot(of: key)
        if slot >= 0 {
            let index = Int(slot)
            let expiry = expiresAt[index]
            if expiry != Self.noValue && now < expiry {
                moveToFront(slot)
                if refreshAhead >= 0 && now >= expiry - refreshAhead && !isFilling[index] {
                    isFilling[index] = true
                    tally(pastWarmup) { $0.fills += 1; $0.refreshes += 1 }
                    return .fill(isRegistered: true)
                }
                tally(pastWarmup) { $0.hits += 1 }
                return .hit
            }
            // Expired, or its first fill is in flight.
            moveToFront(slot)
            if isFilling[index] && isSingleFlight {
                addWaiter(waiter, to: slot)
                tally(pastWarmup) { $0.misses += 1; $0.coalesced += 1 }
                return .wait
            }
            tally(pastWarmup) { $0.misses += 1; $0.fills += 1 }
            guard isSingleFlight && !isFilling[index] else { return .fill(isRegistered: false) }
            isFilling[index] = true
            return .fill(isRegistered: true)
        }
        tally(pastWarmup) { $0.misses += 1; $0.fills += 1 }
        guard isSingleFlight else { return .fill(isRegistered: false) }
        // A placeholder holds the key's place (and its waiters) while the fill is in flight.
        let placeholder = insert(key, pastWarmup: pastWarmup)
        guard placeholder >= 0 else { return .fill(isRegistered: false) }  // every entry is filling
        expiresAt[Int(placeholder)] = Self.noValue
        isFilling[Int(placeholder)] = true
        return .fill(isRegistered: true)
    }

    /// A fill of `key` succeeded: the entry is fresh for its lifetime from `now`, and the waiters of
    /// a registered fill have their answer.
    ///
    /// - Parameters:
    ///   - key: The key filled.
    ///   - isRegistered: As the lookup said.
    ///   - now: The time, in nanoseconds.
    ///   - pastWarmup: Whether the run's totals count it.
    ///   - wake: Called with each waiter, oldest first.
    package mutating func fillSucceeded(_ key: Int32, isRegistered: Bool, at now: Int64, pastWarmup: Bool, wake: (Waiter) -> Void) {
        var slot = slot(of: key)
        if slot < 0 {
            slot = insert(key, pastWarmup: pastWarmup)
            guard slot >= 0 else { return }  // no room: every entry is filling
        }
        let index = Int(slot)
        expiresAt[index] = now + lifetime()
        moveToFront(slot)
        if isRegistered && isFilling[index] {
            isFilling[index] = false
            takeWaiters(of: slot, wake)
        }
    }

    /// A fill of `key` failed (error, timeout, refusal, rejection).
    ///
    /// The request that filled, and the waiters of a registered fill, are answered from the entry
    /// when it is still fresh (a failed early refresh), or expired with `staleOnError`; otherwise
    /// they fail. A placeholder that never had a value goes.
    ///
    /// - Parameters:
    ///   - key: The key.
    ///   - isRegistered: As the lookup said.
    ///   - now: The time, in nanoseconds.
    ///   - pastWarmup: Whether the run's totals count it.
    ///   - wake: Called with each waiter, oldest first, and whether the entry answers it.
    /// - Returns: Whether the entry answers (the filler's and the waiters' answer is a success).
    @discardableResult
    package mutating func fillFailed(_ key: Int32, isRegistered: Bool, at now: Int64, pastWarmup: Bool, wake: (Waiter, Bool) -> Void) -> Bool {
        let slot = slot(of: key)
        guard slot >= 0 else { return false }
        let index = Int(slot)
        let expiry = expiresAt[index]
        let hasValue = expiry != Self.noValue
        let isExpired = hasValue && now >= expiry
        let answers = hasValue && (!isExpired || servesStaleOnError)
        var waiting: Int64 = 0
        if isRegistered && isFilling[index] {
            isFilling[index] = false
            takeWaiters(of: slot) { waiter in
                waiting += 1
                wake(waiter, answers)
            }
            if !hasValue { remove(slot) }
        }
        if answers && isExpired { tally(pastWarmup) { $0.stale += 1 + waiting } }
        return answers
    }

    /// Empties the cache (a `flush` fault): every entry goes, but a fill in flight keeps its
    /// placeholder and its waiters, to be answered when it ends.
    ///
    /// - Complexity: O(`count`).
    package mutating func flush() {
        var slot = head
        while slot >= 0 {
            let following = next[Int(slot)]
            if isFilling[Int(slot)] {
                expiresAt[Int(slot)] = Self.noValue
            } else {
                remove(slot)
            }
            slot = following
        }
    }

    /// Empties the cache and forgets its waiters: the instance crashed, and its requests with it.
    /// The counters stay.
    package mutating func reset() {
        keys.removeAll(keepingCapacity: true)
        expiresAt.removeAll(keepingCapacity: true)
        previous.removeAll(keepingCapacity: true)
        next.removeAll(keepingCapacity: true)
        isFilling.removeAll(keepingCapacity: true)
        firstWaiter.removeAll(keepingCapacity: true)
        lastWaiter.removeAll(keepingCapacity: true)
        freeSlots.removeAll(keepingCapacity: true)
        for position in table.indices { table[position] = -1 }
        waiters.removeAll(keepingCapacity: true)
        waiterNext.removeAll(keepingCapacity: true)
        freeWaiter = -1
        head = -1
        tail = -1
        count = 0
    }

    /// Adds a stretch's counts to the interval's and, past the warm-up, the run's.
    @inline(__always)
    private mutating func tally(_ pastWarmup: Bool, _ change: (inout Counters) -> Void) {
        change(&interval)
        if pastWarmup { change(&total) }
    }

    /// A fill's lifetime: the TTL, plus a uniform jitter in [0, `ttlJitter`) drawn from its own stream.
    private mutating func lifetime() -> Int64 {
        guard ttlJitter > 0 else { return ttl }
        return ttl + Int64(ttlStream.next(below: UInt64(ttlJitter)))
    }

    // MARK: Slots

    @inline(__always)
    private static func hash(_ key: Int32) -> Int {
        Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: key)) &* 0x9E37_79B9_7F4A_7C15) >> 32)
    }

    /// Puts `key` in a slot at the front of the LRU list, evicting the least recently used entry
    /// that is not filling when the cache is full; returns the slot, or −1 when every entry is filling.
    private mutating func insert(_ key: Int32, pastWarmup: Bool) -> Int32 {
        var slot: Int32
        if count >= capacity {
            var victim = tail
            while victim >= 0 && isFilling[Int(victim)] { victim = previous[Int(victim)] }
            guard victim >= 0 else { return -1 }
            remove(victim)
            tally(pastWarmup) { $0.evictions += 1 }
        }
        if let free = freeSlots.popLast() {
            slot = free
            keys[Int(slot)] = key
        } else {
            slot = Int32(keys.count)
            keys.append(key)
            expiresAt.append(Self.noValue)
            previous.append(-1)
            next.append(-1)
            isFilling.append(false)
            firstWaiter.append(-1)
            lastWaiter.append(-1)
        }
        let index = Int(slot)
        expiresAt[index] = Self.noValue
        isFilling[index] = false
        firstWaiter[index] = -1
        lastWaiter[index] = -1
        count += 1
        if Int(count) * 2 > table.count { growTable() }
        var position = Self.hash(key) & mask
        while table[position] >= 0 { position = (position + 1) & mask }
        table[position] = slot
        pushFront(slot)
        return slot
    }

    /// Takes a slot out of the LRU list and the key table, for reuse.
    private mutating func remove(_ slot: Int32) {
        unlink(slot)
        count -= 1
        freeSlots.append(slot)
        // Backward-shift deletion: later keys of the probe run move up into the hole.
        var hole = Self.hash(keys[Int(slot)]) & mask
        while table[hole] != slot { hole = (hole + 1) & mask }
        table[hole] = -1
        var position = hole
        while true {
            position = (position + 1) & mask
            let moving = table[position]
            if moving < 0 { break }
            let home = Self.hash(keys[Int(moving)]) & mask
            // The entry stays if its home lies cyclically in (hole, position].
            let stays = hole <= position ? (hole < home && home <= position) : (hole < home || home <= position)
            if stays { continue }
            table[hole] = moving
            table[position] = -1
            hole = position
        }
    }

    private mutating func growTable() {
        let size = table.count * 2
        table = [Int32](repeating: -1, count: size)
        mask = size - 1
        var slot = head
        while slot >= 0 {
            var position = Self.hash(keys[Int(slot)]) & mask
            while table[position] >= 0 { position = (position + 1) & mask }
            table[position] = slot
            slot = next[Int(slot)]
        }
    }

    private mutating func pushFront(_ slot: Int32) {
        previous[Int(slot)] = -1
        next[Int(slot)] = head
        if head >= 0 { previous[Int(head)] = slot } else { tail = slot }
        head = slot
    }

    private mutating func unlink(_ slot: Int32) {
        let before = previous[Int(slot)], after = next[Int(slot)]
        if before >= 0 { next[Int(before)] = after } else { head = after }
        if after >= 0 { previous[Int(after)] = before } else { tail = before }
    }

    @inline(__always)
    private mutating func moveToFront(_ slot: Int32) {
        guard slot != head else { return }
        unlink(slot)
        pushFront(slot)
    }

    // MARK: Waiters

    private mutating func addWaiter(_ waiter: Waiter, to slot: Int32) {
        let node: Int32
        if freeWaiter >= 0 {
            node = freeWaiter
            freeWaiter = waiterNext[Int(node)]
            waiters[Int(node)] = waiter
        } else {
            node = Int32(waiters.count)
            waiters.append(waiter)
            waiterNext.append(-1)
        }
        waiterNext[Int(node)] = -1
        if lastWaiter[Int(slot)] >= 0 { waiterNext[Int(lastWaiter[Int(slot)])] = node } else { firstWaiter[Int(slot)] = node }
        lastWaiter[Int(slot)] = node
    }

    /// Hands a slot's waiters to `wake`, oldest first, and frees their nodes.
    private mutating func takeWaiters(of slot: Int32, _ wake: (Waiter) -> Void) {
        var node = firstWaiter[Int(slot)]
        firstWaiter[Int(slot)] = -1
        lastWaiter[Int(slot)] = -1
        while node >= 0 {
            let following = waiterNext[Int(node)]
            wake(waiters[Int(node)])
            waiterNext[Int(node)] = freeWaiter
            freeWaiter = node
            node = following
        }
    }
}
