import FailureChains
import SimulationKernel
import Testing

/// The connection pool alone, driven with explicit times and a table of which waits are current.
struct ConnectionPoolTests {
    /// The requests still waiting at checkout, by id, with the generation of their wait.
    final class Waits {
        var current: [Int32: UInt32] = [:]
        func isCurrent(_ waiter: ConnectionPool.Waiter) -> Bool { current[waiter.id] == waiter.generation }
    }

    /// Holds one pool and lets tests call its mutating methods inside `#expect`, as an embedded
    /// channel holds one handler.
    @dynamicMemberLookup
    final class Driver {
        var pool: ConnectionPool

        init(_ pool: ConnectionPool) { self.pool = pool }

        subscript<Value>(dynamicMember keyPath: KeyPath<ConnectionPool, Value>) -> Value { pool[keyPath: keyPath] }

        func checkOut(_ waiter: ConnectionPool.Waiter, at now: Int64) -> ConnectionPool.Checkout {
            pool.checkOut(waiter, at: now)
        }

        func checkIn(_ connection: Int32, callFailed: Bool, at now: Int64,
                     isCurrent: (ConnectionPool.Waiter) -> Bool) -> ConnectionPool.CheckIn {
            pool.checkIn(connection, callFailed: callFailed, at: now, isCurrent: isCurrent)
        }

        func checkoutTimedOut() { pool.checkoutTimedOut() }
        func stale(_ connection: Int32) -> Bool { pool.isStale(connection) }
        func markAllStale() -> Int32 { pool.markAllStale() }
        func endInterval() -> Bool { pool.endInterval() }
        func reset(at now: Int64) { pool.reset(at: now) }
        func takenArea(upTo now: Int64) -> Double { pool.takenArea(upTo: now) }
    }

    static func pool(_ size: Int, leakOnError: Bool = false) -> Driver {
        Driver(ConnectionPool(spec: PoolSpec(size: size, checkoutTimeout: .milliseconds(250), leakOnError: leakOnError)))
    }

    static func waiter(_ id: Int32, _ generation: UInt32 = 0) -> ConnectionPool.Waiter {
        .init(id: id, generation: generation)
    }

    @Test func `a new pool is full, healthy and idle`() {
        let pool = Self.pool(3)
        #expect(pool.size == 3)
        #expect(pool.checkoutTimeout == .milliseconds(250))
        #expect(pool.idle.count == 3)
        #expect(pool.inUse == 0)
        #expect(pool.leaked == 0)
        #expect(pool.waiting == 0)
        #expect(!pool.isExhausted)
        #expect(pool.isStale == [false, false, false])
    }

    @Test func `the pool of a dependency without one has no connections and nobody waiting`() {
        let pool = ConnectionPool.absent
        #expect(pool.size == 0)
        #expect(pool.idle.isEmpty)
        #expect(pool.inUse == 0)
        #expect(pool.leaked == 0)
        #expect(pool.waiting == 0)
        #expect(!pool.isExhausted)
        #expect(pool.checkoutTimeout == nil)
        #expect(pool.isStale.isEmpty)
    }

    @Test func `checkouts that time out while nobody else waits leave at most one entry queued`() {
        let waits = Waits()
        let pool = Self.pool(1)
        #expect(pool.checkOut(Self.waiter(0), at: 0) == .connection(0))
        for id in Int32(1)...100 {
            waits.current[id] = 0
            #expect(pool.checkOut(Self.waiter(id), at: Int64(id)) != .connection(0))
            waits.current[id] = nil
            pool.checkoutTimedOut()
            #expect(pool.checkIn(0, callFailed: false, at: Int64(id), isCurrent: waits.isCurrent) == .idle)
            #expect(pool.checkOut(Self.waiter(0), at: Int64(id)) == .connection(0))
        }
        #expect(pool.queuedEntries <= 1)
        // A wait after them is still served first.
        waits.current[200] = 0
        #expect(pool.checkOut(Self.waiter(200), at: 200) != .connection(0))
        #expect(pool.queuedEntries == 1)
        #expect(pool.checkIn(0, callFailed: false, at: 201, isCurrent: waits.isCurrent) == .handedOver(to: Self.waiter(200)))
    }

    @Test func `the connection returned last is checked out first`() {
        let waits = Waits()
        let pool = Self.pool(3)
        var taken: [ConnectionPool.Checkout] = []
        for id in Int32(0)..<3 { taken.append(pool.checkOut(Self.waiter(id), at: 0)) }
        #expect(taken == [.connection(0), .connection(1), .connection(2)])
        #expect(pool.inUse == 3)
        let first = pool.checkIn(1, callFailed: false, at: 10, isCurrent: waits.isCurrent)
        let second = pool.checkIn(0, callFailed: false, at: 20, isCurrent: waits.isCurrent)
        #expect(first == .idle && second == .idle)
        #expect(pool.checkOut(Self.waiter(3), at: 30) == .connection(0))
        #expect(pool.checkOut(Self.waiter(4), at: 30) == .connection(1))
        #expect(pool.inUse == 3)
    }

    @Test func `a checkout waits when every connection is in use, and the first such wait exhausts the pool`() {
        let pool = Self.pool(1)
        #expect(pool.checkOut(Self.waiter(0), at: 0) == .connection(0))
        #expect(pool.checkOut(Self.waiter(1), at: 5) == .waiting(becameExhausted: true))
        #expect(pool.checkOut(Self.waiter(2), at: 6) == .waiting(becameExhausted: false))
        #expect(pool.isExhausted)
        #expect(pool.hasWaitedThisInterval)
        #expect(pool.waiting == 2)
        #expect(pool.inUse == 1)
    }

    @Test func `a connection checked in goes to the oldest request still waiting`() {
        let waits = Waits()
        let pool = Self.pool(1)
        #expect(pool.checkOut(Self.waiter(0), at: 0) == .connection(0))
        for id in Int32(1)...3 {
            waits.current[id] = 4
            #expect(pool.checkOut(Self.waiter(id, 4), at: Int64(id)) != .connection(0))
        }
        // Request 1's checkout timed out: its generation moved on and the pool counted it out.
        waits.current[1] = 5
        pool.checkoutTimedOut()
        #expect(pool.waiting == 2)
        let handedOver = pool.checkIn(0, callFailed: false, at: 10, isCurrent: waits.isCurrent)
        #expect(handedOver == .handedOver(to: Self.waiter(2, 4)))
        waits.current[2] = nil
        #expect(pool.waiting == 1)
        #expect(pool.inUse == 1)
        #expect(pool.idle.isEmpty)
        let next = pool.checkIn(0, callFailed: false, at: 20, isCurrent: waits.isCurrent)
        #expect(next == .handedOver(to: Self.waiter(3, 4)))
        waits.current[3] = nil
        let last = pool.checkIn(0, callFailed: false, at: 30, isCurrent: waits.isCurrent)
        #expect(last == .idle)
        #expect(pool.idle == [0])
        #expect(pool.inUse == 0)
        #expect(pool.waiting == 0)
    }

    @Test func `a connection whose call failed leaks when the pool leaks on error, and nobody gets it`() {
        let waits = Waits()
        let pool = Self.pool(2, leakOnError: true)
        #expect(pool.checkOut(Self.waiter(0), at: 0) == .connection(0))
        #expect(pool.checkOut(Self.waiter(1), at: 0) == .connection(1))
        waits.current[2] = 0
        #expect(pool.checkOut(Self.waiter(2), at: 1) == .waiting(becameExhausted: true))
        #expect(pool.checkIn(1, callFailed: true, at: 2, isCurrent: waits.isCurrent) == .leaked)
        #expect(pool.leaked == 1)
        #expect(pool.inUse == 1)
        #expect(pool.waiting == 1)
        #expect(pool.checkIn(0, callFailed: false, at: 3, isCurrent: waits.isCurrent) == .handedOver(to: Self.waiter(2)))
        waits.current[2] = nil
        #expect(pool.checkIn(0, callFailed: true, at: 4, isCurrent: waits.isCurrent) == .leaked)
        #expect(pool.leaked == 2)
        #expect(pool.inUse == 0)
        #expect(pool.idle.isEmpty)
        #expect(pool.checkOut(Self.waiter(3), at: 5) == .waiting(becameExhausted: false))
    }

    @Test func `a failover leaves every connection stale, and a failed call replaces its connection with a fresh one`() {
        let waits = Waits()
        let pool = Self.pool(3, leakOnError: true)
        #expect(pool.checkOut(Self.waiter(0), at: 0) == .connection(0))
        #expect(pool.checkIn(0, callFailed: true, at: 1, isCurrent: waits.isCurrent) == .leaked)
        #expect(pool.markAllStale() == 2)  // the leaked one is not open
        #expect(pool.isStale == [true, true, true])
        let healthy = Self.pool(2)
        #expect(healthy.markAllStale() == 2)
        #expect(healthy.checkOut(Self.waiter(0), at: 0) == .connection(0))
        #expect(healthy.checkOut(Self.waiter(1), at: 0) == .connection(1))
        #expect(healthy.checkIn(0, callFailed: true, at: 1, isCurrent: waits.isCurrent) == .idle)
        #expect(healthy.isStale == [false, true])
        #expect(healthy.checkIn(1, callFailed: false, at: 2, isCurrent: waits.isCurrent) == .idle)
        #expect(healthy.isStale == [false, true])  // a success does not heal a connection
    }

    /// A pool of up to 16 connections keeps its idle stack packed in a word, one of up to 64 its
    /// stale flags: the same pool, whatever its size, must behave alike on both sides of each limit.
    @Test(arguments: [1, 15, 16, 17, 64, 65, 80])
    func `pools of every size take the connection returned last first and keep their stale flags`(size: Int) {
        let waits = Waits()
        let pool = Self.pool(size)
        #expect(pool.idle == (0..<Int32(size)).reversed().map { $0 })
        #expect(pool.idleCount == Int32(size))
        // Take them all, lowest first, then give them back in a shuffled order.
        for connection in 0..<Int32(size) { #expect(pool.checkOut(Self.waiter(connection), at: 0) == .connection(connection)) }
        #expect(pool.idle.isEmpty && pool.idleCount == 0)
        let returned = (0..<Int32(size)).map { ($0 * 7) % Int32(size) }.reduce(into: [Int32]()) { if !$0.contains($1) { $0.append($1) } }
        let order = returned + (0..<Int32(size)).filter { !returned.contains($0) }
        for connection in order { #expect(pool.checkIn(connection, callFailed: false, at: 1, isCurrent: waits.isCurrent) == .idle) }
        #expect(pool.idle == order)
        for connection in order.reversed() { #expect(pool.checkOut(Self.waiter(0), at: 2) == .connection(connection)) }
        // Stale flags: all after a failover, cleared one by one by failed calls.
        #expect(pool.markAllStale() == Int32(size))
        #expect(pool.isStale == Array(repeating: true, count: size))
        let last = Int32(size - 1)
        #expect(pool.checkIn(last, callFailed: true, at: 3, isCurrent: waits.isCurrent) == .idle)
        #expect(!pool.stale(last) && (size == 1 || pool.stale(0)))
        #expect(pool.isStale.filter { $0 }.count == size - 1)
        pool.reset(at: 4)
        #expect(pool.isStale == Array(repeating: false, count: size))
        #expect(pool.idle == (0..<Int32(size)).reversed().map { $0 })
    }

    @Test func `an exhausted pool recovers only after a whole interval with no checkout waiting and a connection idle`() {
        let waits = Waits()
        let pool = Self.pool(1)
        #expect(pool.checkOut(Self.waiter(0), at: 0) == .connection(0))
        waits.current[1] = 0
        #expect(pool.checkOut(Self.waiter(1), at: 1) == .waiting(becameExhausted: true))
        #expect(!pool.endInterval())  // a checkout waits
        #expect(!pool.hasWaitedThisInterval)
        #expect(pool.checkIn(0, callFailed: false, at: 2, isCurrent: waits.isCurrent) == .handedOver(to: Self.waiter(1)))
        waits.current[1] = nil
        #expect(!pool.endInterval())  // nothing idle
        #expect(pool.checkIn(0, callFailed: false, at: 3, isCurrent: waits.isCurrent) == .idle)
        #expect(pool.checkOut(Self.waiter(2), at: 4) == .connection(0))
        waits.current[3] = 0
        #expect(pool.checkOut(Self.waiter(3), at: 5) == .waiting(becameExhausted: false))
        #expect(pool.checkIn(0, callFailed: false, at: 6, isCurrent: waits.isCurrent) == .handedOver(to: Self.waiter(3)))
        waits.current[3] = nil
        #expect(pool.checkIn(0, callFailed: false, at: 7, isCurrent: waits.isCurrent) == .idle)
        #expect(!pool.endInterval())  // idle now, but a checkout waited in this interval
        #expect(pool.isExhausted)
        #expect(pool.endInterval())
        #expect(!pool.isExhausted)
        #expect(!pool.endInterval())  // recovered once
        #expect(pool.checkOut(Self.waiter(4), at: 8) == .connection(0))
        #expect(pool.checkOut(Self.waiter(5), at: 9) == .waiting(becameExhausted: true))
    }

    @Test func `a reset brings back a full pool of healthy connections with nobody waiting`() {
        let waits = Waits()
        let pool = Self.pool(2, leakOnError: true)
        #expect(pool.checkOut(Self.waiter(0), at: 0) == .connection(0))
        #expect(pool.checkOut(Self.waiter(1), at: 0) == .connection(1))
        #expect(pool.checkIn(1, callFailed: true, at: 1, isCurrent: waits.isCurrent) == .leaked)
        waits.current[2] = 0
        #expect(pool.checkOut(Self.waiter(2), at: 2) == .waiting(becameExhausted: true))
        _ = pool.markAllStale()
        pool.reset(at: 10)
        #expect(pool.idle == [1, 0])
        #expect(pool.inUse == 0)
        #expect(pool.leaked == 0)
        #expect(pool.waiting == 0)
        #expect(!pool.isExhausted)
        #expect(!pool.hasWaitedThisInterval)
        #expect(pool.isStale == [false, false])
        // The request that waited before the reset is gone: a check-in does not reach it.
        #expect(pool.checkOut(Self.waiter(3), at: 11) == .connection(0))
        #expect(pool.checkIn(0, callFailed: false, at: 12, isCurrent: waits.isCurrent) == .idle)
    }

    @Test func `the connections taken are integrated over time, leaked ones included`() {
        let waits = Waits()
        let pool = Self.pool(2, leakOnError: true)
        #expect(pool.checkOut(Self.waiter(0), at: 100) == .connection(0))
        #expect(pool.checkOut(Self.waiter(1), at: 200) == .connection(1))  // 1 × 100
        #expect(pool.checkIn(1, callFailed: true, at: 300, isCurrent: waits.isCurrent) == .leaked)  // 2 × 100, still taken
        #expect(pool.checkIn(0, callFailed: false, at: 400, isCurrent: waits.isCurrent) == .idle)  // 2 × 100
        #expect(pool.takenArea(upTo: 1_000) == 100 + 200 + 200 + 600)
    }

    /// Random checkouts, check-ins and timeouts keep the books: every connection is idle, in use or
    /// leaked, none twice, and the requests served are served in the order they waited.
    @Test(arguments: 0..<20)
    func `random traffic keeps every connection accounted for and serves waiters in order`(seed: Int) {
        var stream = RandomStream(seed: UInt64(seed), component: "pool", purpose: "test")
        let waits = Waits()
        let pool = Self.pool(1 + seed % 4, leakOnError: seed % 3 == 0)
        var held: [Int32] = []
        var queued: [Int32] = []
        var served: [Int32] = []
        var nextID: Int32 = 0
        for step in Int64(0)..<400 {
            let choice = stream.nextUnit()
            if choice < 0.45 {
                let id = nextID
                nextID += 1
                switch pool.checkOut(Self.waiter(id), at: step) {
                case .connection(let connection): held.append(connection)
                case .waiting:
                    waits.current[id] = 0
                    queued.append(id)
                }
            } else if choice < 0.9, !held.isEmpty {
                let connection = held.removeLast()
                switch pool.checkIn(connection, callFailed: stream.nextUnit() < 0.2, at: step, isCurrent: waits.isCurrent) {
                case .handedOver(let waiter):
                    waits.current[waiter.id] = nil
                    served.append(waiter.id)
                    held.append(connection)
                case .idle, .leaked: break
                }
            } else if !queued.isEmpty, case let id = queued[Int(stream.next(below: UInt64(queued.count)))], waits.current[id] != nil {
                waits.current[id] = nil
                pool.checkoutTimedOut()
            }
            #expect(Int(pool.inUse) == held.count)
            #expect(Int(pool.waiting) == waits.current.count)
            #expect(Int(pool.inUse) + pool.idle.count + Int(pool.leaked) == Int(pool.size))
            #expect(Set(pool.idle + held).count == pool.idle.count + held.count)
        }
        let expectedOrder = queued.filter { served.contains($0) }
        #expect(served == expectedOrder)
    }
}
