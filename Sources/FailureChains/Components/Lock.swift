import SimulationKernel

/// A lock of the model, shared by every instance that takes it: one global monitor or a set of
/// per-key locks, each key a `CountedResource` of one unit with its first-come-first-served waiters.
///
/// A request draws its key (`drawKey`, from the lock's own stream), takes the key or waits for it
/// (`acquire`), and holds it until the simulation calls `release` when the hold ends; the key then
/// goes to the oldest request still waiting for it. A wait that times out is counted out
/// (`timedOut`) and its entry skipped at hand-over, as at a pool's checkout. The lock knows no
/// event queue: the caller passes the time, samples the hold from `holdStream`, schedules the
/// hold's end and the acquire timeout, and records what the lock reports.
///
/// It keeps, per series interval and since the warm-up, the acquisitions, the waits (acquisitions
/// that found the key held) and the timeouts, and the time integrals of the keys held and of the
/// requests waiting.
package struct Lock {
    /// Who holds or waits for a key: a request and the generation of its wait.
    package typealias Waiter = CountedResource.Waiter

    /// Counts of one stretch of time.
    package struct Counts: Equatable, Sendable {
        /// Requests that took a key (at once or after a wait).
        package var acquired: Int64 = 0
        /// Requests that found their key held and waited.
        package var waits: Int64 = 0
        /// Waits that timed out.
        package var timeouts: Int64 = 0

        package init() {}
    }

    package let spec: LockSpec
    /// Draws the keys of acquisitions.
    package var keyStream: RandomStream
    /// Draws the hold times, for the simulation.
    package var holdStream: RandomStream
    /// Each key's unit and waiters, by key.
    private var keys: [CountedResource]
    /// Who holds each key (the holder of a free key is stale).
    package private(set) var holders: [Waiter]
    /// Keys held now, and requests waiting now, over all keys.
    package private(set) var held: Int32 = 0
    package private(set) var waiting: Int32 = 0
    /// Keys held × nanoseconds and waiters × nanoseconds since the last `takeLevels`.
    private var heldArea = 0.0
    private var waitingArea = 0.0
    private var settledAt: Int64 = 0
    /// The integrals (keys held × nanoseconds, waiters × nanoseconds) per interval and since the warm-up.
    package private(set) var heldInterval = 0.0
    package private(set) var heldTotal = 0.0
    package private(set) var waitingInterval = 0.0
    package private(set) var waitingTotal = 0.0
    package var interval = Counts()
    package var total = Counts()
    /// How many requests waiting for one key make the lock contended: a queue that long is no
    /// passing collision but demand beyond what the holds let through.
    package static let contentionQueue: Int32 = 10
    /// Whether some key's queue reached `contentionQueue` since the lock last recovered.
    package private(set) var isContended = false
    /// Whether some key's queue reached `contentionQueue` in the current series interval.
    package private(set) var hasQueuedDeepThisInterval = false

    /// Creates a lock with every key free.
    ///
    /// - Parameters:
    ///   - spec: Its keys, hot set and timeout.
    ///   - seed: The run's seed, which keys its streams with the lock's name.
    package init(spec: LockSpec, seed: UInt64) {
        self.spec = spec
        keyStream = RandomStream(seed: seed, component: spec.name, purpose: .lockKeys)
        holdStream = RandomStream(seed: seed, component: spec.name, purpose: .lockHolds)
        keys = (0..<spec.keys).map { _ in CountedResource(capacity: 1, queueCapacity: 2) }
        holders = Array(repeating: Waiter(id: -1, generation: 0), count: spec.keys)
    }

    /// Draws the key of an acquisition: the only key of a global monitor (no draw); with a hot
    /// set, a unit for the hot share, then a key of the hot or the cold keys; else a key of all.
    package mutating func drawKey() -> Int32 {
        let count = spec.keys
        guard count > 1 else { return 0 }
        if let hot = spec.hotKeys, hot < count {
            let isHot = keyStream.nextUnit() < spec.hotShare
            let u = keyStream.nextUnit()
            return isHot ? Int32(min(Int(u * Double(hot)), hot - 1))
                         : Int32(hot + min(Int(u * Double(count - hot)), count - hot - 1))
        }
        return Int32(min(Int(keyStream.nextUnit() * Double(count)), count - 1))
    }

    /// Takes a key if it is free, or queues the request for it.
    ///
    /// - Parameters:
    ///   - key: The key, from `drawKey`.
    ///   - waiter: The request and the generation it holds or waits with.
    ///   - now: The current instant, in nanoseconds.
    /// - Returns: Whether the request holds the key now; if not, it waits, and `becameContended`
    ///   says whether its wait made the key's queue `contentionQueue` long when the lock was not contended.
    package mutating func acquire(_ key: Int32, _ waiter: Waiter, at now: Int64) -> (holds: Bool, becameContended: Bool) {
        settle(at: now)
        if keys[Int(key)].acquireOrWait(waiter, at: now) {
            held &+= 1
            holders[Int(key)] = waiter
            count { $0.acquired &+= 1 }
            return (true, false)
        }
        waiting &+= 1
        count { $0.waits &+= 1 }
        guard keys[Int(key)].waiting >= Self.contentionQueue else { return (false, false) }
        hasQueuedDeepThisInterval = true
        guard !isContended else { return (false, false) }
        isContended = true
        return (false, true)
    }

    /// Whether the counts since the warm-up are kept (set by the simulation at the warm-up's end).
    package var isPastWarmup = true

    private mutating func count(_ change: (inout Counts) -> Void) {
        change(&interval)
        if isPastWarmup { change(&total) }
    }

    /// A hold ends: the key goes to the oldest request still waiting for it, which holds it from
    /// now with the generation given by `generation(for:)`, or the key becomes free.
    ///
    /// - Parameters:
    ///   - key: The key.
    ///   - now: The current instant, in nanoseconds.
    ///   - isCurrent: Whether a queued request still waits (its wait's generation is current).
    ///   - generation: The generation the new holder holds with (its wait's, moved on).
    /// - Returns: The request that held the key, and the one that holds it now (nil when it is free).
    package mutating func release(_ key: Int32, at now: Int64, isCurrent: (Waiter) -> Bool,
                                 generation: (Waiter) -> UInt32) -> (previous: Waiter, next: Waiter?) {
        settle(at: now)
        let previous = holders[Int(key)]
        guard let next = keys[Int(key)].release(at: now, isCurrent: isCurrent) else {
            held &-= 1
            holders[Int(key)] = Waiter(id: -1, generation: 0)
            return (previous, nil)
        }
        waiting &-= 1
        let holder = Waiter(id: next.id, generation: generation(next))
        holders[Int(key)] = holder
        count { $0.acquired &+= 1 }
        return (previous, holder)
    }

    /// A request's wait for a key ended without it (its timeout, or its instance crashed): it is
    /// counted out now, and its entry skipped when it reaches the front.
    ///
    /// - Parameters:
    ///   - key: The key it waited for.
    ///   - isTimeout: Whether the wait timed out (counted in `timeouts`).
    ///   - now: The current instant, in nanoseconds.
    package mutating func withdraw(from key: Int32, isTimeout: Bool, at now: Int64) {
        settle(at: now)
        keys[Int(key)].withdrawWaiter()
        waiting &-= 1
        if isTimeout { count { $0.timeouts &+= 1 } }
    }

    /// The requests waiting for one key.
    package func waiting(for key: Int32) -> Int32 { keys[Int(key)].waiting }

    /// Whether a key is held.
    package func isHeld(_ key: Int32) -> Bool { keys[Int(key)].isFull }

    @inline(__always)
    private mutating func settle(at now: Int64) {
        let span = Double(now &- settledAt)
        if span > 0 {
            heldArea += Double(held) * span
            waitingArea += Double(waiting) * span
        }
        settledAt = now
    }

    /// Adds the levels since the last call to the interval's (and, past the warm-up, the run's) integrals.
    ///
    /// - Parameters:
    ///   - now: The current instant, in nanoseconds.
    ///   - pastWarmup: Whether the span since the last call counts in the run's integrals.
    package mutating func takeLevels(upTo now: Int64, pastWarmup: Bool) {
        settle(at: now)
        heldInterval += heldArea
        waitingInterval += waitingArea
        if pastWarmup {
            heldTotal += heldArea
            waitingTotal += waitingArea
        }
        heldArea = 0
        waitingArea = 0
    }

    /// Ends a series interval: clears the interval's counts and integrals, and says whether the
    /// lock recovered: it was contended, no key's queue reached `contentionQueue` during the whole
    /// interval, and fewer than that many requests wait now.
    ///
    /// - Returns: Whether it recovered now.
    package mutating func endInterval() -> Bool {
        interval = Counts()
        heldInterval = 0
        waitingInterval = 0
        defer { hasQueuedDeepThisInterval = false }
        guard isContended && !hasQueuedDeepThisInterval && waiting < Self.contentionQueue else { return false }
        isContended = false
        return true
    }
}
