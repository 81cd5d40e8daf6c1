import SimulationKernel

/// A pool of connections from one instance to one dependency: a fixed number, all open from the
/// start, checked out by requests and checked in after their call.
///
/// Its connections are the units of a `CountedResource`: a checkout takes one or waits, first
/// come first served, and a check-in hands the connection to the oldest request still waiting.
/// Idle connections are taken most recently returned first. A connection whose call failed is
/// leaked, when the pool is set to (the airline's bug): it stays taken and never comes back until
/// the process restarts. After a failover every open connection is stale (half-dead) until it is
/// closed and replaced. The pool knows no event queue: the caller passes the time and schedules
/// the checkout timeout, and records the changes of state the pool reports.
public struct ConnectionPool {
    /// A request's wait at checkout: the request and the generation of its wait.
    public typealias Waiter = CountedResource.Waiter

    /// What a checkout got.
    public enum Checkout: Equatable {
        /// A connection, by number.
        case connection(Int32)
        /// Nothing yet: the request waits. `becameExhausted` is true when this wait exhausted the
        /// pool (no checkout had waited since it last recovered).
        case waiting(becameExhausted: Bool)
    }

    /// What became of a connection checked in.
    public enum CheckIn: Equatable {
        /// It went back to the idle connections.
        case idle
        /// It went to this waiting request, whose wait is over.
        case handedOver(to: Waiter)
        /// It leaked: the call failed and the pool leaks on error.
        case leaked
    }

    // What every checkout and check-in reads or changes comes first, in the first 64 bytes (a
    // table of pools starts on a cache line, and `padding` makes the stride of a pool 128): with
    // thousands of instances each pool is out of the caches between two calls. A pool of at most
    // 16 connections keeps its idle stack there, one of at most 64 its stale flags, so a call on
    // such a pool touches no array of the pool's own, nor its queue of waiters while nobody waits.

    /// The connections taken (checked out or leaked), and the requests waiting for one.
    private var connections: CountedResource
    /// The idle stack of a pool of at most 16 connections: 4 bits a connection, the top (the
    /// most recently returned) in the low bits, `idleCount` of them.
    private var packedIdle: UInt64 = 0
    /// Whether each connection is half-dead, a bit by connection number (pools of at most 64).
    private var staleBits: UInt64 = 0
    /// Idle connections.
    public private(set) var idleCount: Int32
    /// Whether the idle stack is `packedIdle` (at most 16 connections) rather than `idleList`.
    private let isPacked: Bool
    /// Whether a checkout has waited since the pool was last exhausted and not yet recovered.
    public private(set) var isExhausted = false
    /// Whether any checkout waited in the current series interval.
    public private(set) var hasWaitedThisInterval = false
    /// Whether the stale flags are `staleBits` (at most 64 connections) rather than `staleList`.
    private let hasStaleBits: Bool
    /// Connections leaked since the pool was last reset.
    public private(set) var leaked: Int32 = 0
    /// Whether a connection whose call failed is never returned.
    public let leakOnError: Bool
    /// The number of connections.
    public let size: Int32
    /// How long a checkout may wait; nil waits forever.
    public let checkoutTimeout: Interval?
    /// The idle stack of a larger pool, most recently returned last; empty for a packed one.
    private var idleList: [Int32] = []
    /// The stale flags of a pool of more than 64 connections; empty otherwise.
    private var staleList: [Bool] = []
    /// Pads a pool's stride to 128 bytes, two whole lines (`LayoutTests` checks it).
    private let padding: (Int64, Int64) = (0, 0)

    /// Where the fields a checkout and a check-in read or change end, in bytes from the pool's
    /// start (`LayoutTests` checks that they fit its first line).
    package static var hotFieldsEnd: Int {
        let ends = [MemoryLayout<ConnectionPool>.offset(of: \.connections)! + MemoryLayout<CountedResource>.size,
                    MemoryLayout<ConnectionPool>.offset(of: \.packedIdle)! + 8,
                    MemoryLayout<ConnectionPool>.offset(of: \.staleBits)! + 8,
                    MemoryLayout<ConnectionPool>.offset(of: \.idleCount)! + 4,
                    MemoryLayout<ConnectionPool>.offset(of: \.isPacked)! + 1,
                    MemoryLayout<ConnectionPool>.offset(of: \.isExhausted)! + 1,
                    MemoryLayout<ConnectionPool>.offset(of: \.hasWaitedThisInterval)! + 1,
                    MemoryLayout<ConnectionPool>.offset(of: \.hasStaleBits)! + 1]
        return ends.max()!
    }

    /// The most connections whose idle stack packs into `packedIdle`, and whose stale flags fit
    /// `staleBits`.
    static let packedLimit: Int32 = 16
    static let staleBitsLimit: Int32 = 64

    /// Creates a full pool of healthy connections.
    ///
    /// - Parameters:
    ///   - spec: The pool's size, checkout timeout and leak.
    ///   - start: When it opens, in nanoseconds.
    public init(spec: PoolSpec, at start: Int64 = 0) {
        size = Int32(spec.size)
        checkoutTimeout = spec.checkoutTimeout
        leakOnError = spec.leakOnError
        isPacked = size <= Self.packedLimit
        hasStaleBits = size <= Self.staleBitsLimit
        idleCount = 0
        if !hasStaleBits { staleList = Array(repeating: false, count: spec.size) }
        connections = CountedResource(capacity: Int32(spec.size), at: start)
        fillIdle()
    }

    /// The pool of a dependency that has none, in the slots of a table of pools that are not
    /// used: no connections, and nothing of its own allocated (its copies share one empty queue).
    /// The engine knows from the compiled dependency (`hasPool`) that the slot has no pool, and
    /// never checks out of it. (`nonisolated(unsafe)`: nothing changes it; copies of it in runs
    /// on other threads only retain and release its queue, atomically.)
    nonisolated(unsafe) public static let absent = ConnectionPool(spec: PoolSpec(size: 0))

    /// Idle connections, most recently returned last (taken LIFO).
    public var idle: [Int32] {
        guard isPacked else { return idleList }
        return (0..<Int(idleCount)).reversed().map { Int32(truncatingIfNeeded: (packedIdle >> UInt64(4 * $0)) & 0xF) }
    }

    /// Whether each connection is half-dead (after a failover), by connection number.
    public var isStale: [Bool] { (0..<size).map { isStale($0) } }

    /// Whether a connection is half-dead (after a failover).
    @inline(__always)
    public func isStale(_ connection: Int32) -> Bool {
        hasStaleBits ? staleBits & (1 << UInt64(connection)) != 0 : staleList[Int(connection)]
    }

    private mutating func setStale(_ connection: Int32, _ stale: Bool) {
        if hasStaleBits {
            if stale { staleBits |= 1 << UInt64(connection) } else { staleBits &= ~(1 << UInt64(connection)) }
        } else {
            staleList[Int(connection)] = stale
        }
    }

    /// Takes the most recently returned idle connection; there is one.
    @inline(__always)
    private mutating func popIdle() -> Int32 {
        idleCount &-= 1
        guard isPacked else { return idleList.removeLast() }
        let connection = Int32(truncatingIfNeeded: packedIdle & 0xF)
        packedIdle >>= 4
        return connection
    }

    /// Puts a connection on top of the idle stack.
    @inline(__always)
    private mutating func pushIdle(_ connection: Int32) {
        idleCount &+= 1
        guard isPacked else { return idleList.append(connection) }
        packedIdle = packedIdle << 4 | UInt64(connection)
    }

    /// Every connection idle, the lowest number on top.
    private mutating func fillIdle() {
        packedIdle = 0
        idleList = []
        idleCount = 0
        for connection in (0..<size).reversed() { pushIdle(connection) }
    }

    /// Connections checked out and not yet checked in (leaked ones not counted).
    public var inUse: Int32 { connections.inUse &- leaked }

    /// Requests waiting at checkout.
    public var waiting: Int32 { connections.waiting }

    /// The entries in the queue at checkout, waits withdrawn (timed out) included.
    package var queuedEntries: Int { connections.queuedEntries }

    /// The area under the level of connections taken (checked out or leaked), in connections ×
    /// nanoseconds, since the pool was made or last reset, up to `now`.
    public func takenArea(upTo now: Int64) -> Double { connections.area(upTo: now) }

    /// Checks out the most recently returned idle connection, or queues the request.
    ///
    /// - Parameters:
    ///   - waiter: The request and the generation of its wait, should it wait.
    ///   - now: The current instant, in nanoseconds.
    /// - Returns: The connection, or that the request waits (and whether that exhausted the pool).
    /// - Complexity: O(1) amortized.
    @inline(__always)
    public mutating func checkOut(_ waiter: Waiter, at now: Int64) -> Checkout {
        if connections.tryAcquire(at: now) {
            return .connection(popIdle())
        }
        // The entries of waits that timed out while nobody else waited are still queued, as
        // `checkIn` leaves the queue alone then: drop them before this one.
        if connections.waiting == 0 && connections.hasQueuedEntries { connections.dropWithdrawnEntries() }
        connections.enqueue(waiter)
        hasWaitedThisInterval = true
        guard !isExhausted else { return .waiting(becameExhausted: false) }
        isExhausted = true
        return .waiting(becameExhausted: true)
    }

    /// Counts out a request whose wait at checkout ended without a connection (it timed out).
    ///
    /// Its entry stays queued and is skipped at hand-over, since its generation moved on.
    public mutating func checkoutTimedOut() {
        connections.withdrawWaiter()
    }

    /// Returns a connection after its call: leaked if the call failed and the pool leaks on error;
    /// otherwise (replaced by a fresh one if the call failed) handed to the oldest request still
    /// waiting, or put back idle.
    ///
    /// - Parameters:
    ///   - connection: The connection's number.
    ///   - callFailed: Whether the call on it failed.
    ///   - now: The current instant, in nanoseconds.
    ///   - isCurrent: Whether a queued request still waits (its wait's generation is current).
    /// - Returns: What became of the connection.
    /// - Complexity: O(1) amortized over the waits queued.
    @inline(__always)
    public mutating func checkIn(_ connection: Int32, callFailed: Bool, at now: Int64,
                                 isCurrent: (Waiter) -> Bool) -> CheckIn {
        if callFailed {
            if leakOnError {
                leaked &+= 1
                return .leaked
            }
            setStale(connection, false)  // closed and replaced
        }
        // While nobody waits the queue holds at most withdrawn entries: not looking at it spares
        // a check-in the line of the queue's own (the hot fields, `waiting` among them, are in
        // the pool's first line).
        if connections.waiting == 0 {
            connections.releaseWithoutHandOver(at: now)
        } else if let waiter = connections.release(at: now, isCurrent: isCurrent) {
            return .handedOver(to: waiter)
        }
        pushIdle(connection)
        return .idle
    }

    /// Leaves every connection half-dead (a failover of the other side).
    ///
    /// - Returns: The connections still open (leaked ones not counted).
    public mutating func markAllStale() -> Int32 {
        for connection in 0..<size { setStale(connection, true) }
        return size &- leaked
    }

    /// Ends a series interval: an exhausted pool recovers once a whole interval passed with no
    /// checkout waiting and a connection idle, so that a busy pool does not flap event by event.
    ///
    /// - Returns: Whether the pool recovered.
    public mutating func endInterval() -> Bool {
        defer { hasWaitedThisInterval = false }
        guard isExhausted && waiting == 0 && !hasWaitedThisInterval && idleCount > 0 else { return false }
        isExhausted = false
        return true
    }

    /// Back to a full pool of healthy connections, nobody waiting (the process restarted).
    ///
    /// - Parameter now: The current instant, in nanoseconds.
    public mutating func reset(at now: Int64) {
        for connection in 0..<size { setStale(connection, false) }
        fillIdle()
        connections.reset(at: now)
        leaked = 0
        isExhausted = false
        hasWaitedThisInterval = false
    }
}
