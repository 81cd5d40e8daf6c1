import FailureChains
import SimulationKernel
import Testing

/// One instance's heap alone, driven with explicit times: sessions, leaks, GC pressure, expiry.
struct HeapTests {
    static let second: Int64 = 1_000_000_000

    /// 100 B of heap, 10 B baseline, 10 B a session: 9 sessions fit; GC from 70% (the 7th session
    /// brings occupancy to 80%).
    static func makeHeap(timeout: Interval = .seconds(60), purge: Interval? = nil) -> Heap {
        Heap(spec: HeapSpec(size: 100, baseline: 10, sessionSize: 10, sessionTimeout: timeout, purgeInterval: purge))
    }

    @Test func `an empty heap holds only its baseline`() {
        let heap = Self.makeHeap()
        #expect(heap.used == 10)
        #expect(heap.occupancy == 0.1)
        #expect(heap.sessionCount == 0)
        #expect(!heap.isUnderGCPressure)
    }

    @Test func `a session is allocated once and refreshed after`() {
        var heap = Self.makeHeap()
        let wasHeldBefore = heap.refreshSession(7, at: 0)
        #expect(!wasHeldBefore)
        let first = heap.allocateSession(7, at: 1 * Self.second)
        #expect(first == .allocated(.unchanged))
        let wasHeld = heap.refreshSession(7, at: 5 * Self.second)
        #expect(wasHeld)
        #expect(heap.lastAccess(of: 7) == 5 * Self.second)
        #expect(heap.used == 20)
        #expect(heap.sessionBytes == 10)
    }

    @Test func `GC pressure starts when occupancy passes the threshold and ends when it falls back`() {
        var heap = Self.makeHeap()
        var changes: [Heap.PressureChange] = []
        for session in UInt32(1)...7 {
            guard case .allocated(let change) = heap.allocateSession(session, at: 0) else {
                Issue.record("session \(session) did not fit")
                return
            }
            changes.append(change)
        }
        // Six sessions are 70%, not above it; the seventh is 80%.
        #expect(changes == [.unchanged, .unchanged, .unchanged, .unchanged, .unchanged, .unchanged, .started])
        #expect(heap.isUnderGCPressure)
        let afterSeventh = heap.expire(7)
        #expect(afterSeventh == .ended)
        #expect(!heap.isUnderGCPressure)
        let afterSixth = heap.expire(6)
        #expect(afterSixth == .unchanged)
    }

    @Test func `a session that does not fit is out of memory and changes nothing`() {
        var heap = Self.makeHeap()
        for session in UInt32(1)...9 { _ = heap.allocateSession(session, at: 0) }
        #expect(heap.used == 100)
        let tenth = heap.allocateSession(10, at: 0)
        #expect(tenth == .outOfMemory)
        #expect(heap.sessionCount == 9)
        #expect(heap.lastAccess(of: 10) == nil)
    }

    @Test func `leaked memory stays counted and overflows into out of memory`() {
        var heap = Self.makeHeap()
        let toSixty = heap.leak(50)
        #expect(toSixty == .allocated(.unchanged))   // 60%
        let toEighty = heap.leak(20)
        #expect(toEighty == .allocated(.started))     // 80%
        let toFull = heap.leak(20)
        #expect(toFull == .allocated(.unchanged))   // exactly full still fits
        let pastFull = heap.leak(1)
        #expect(pastFull == .outOfMemory)
        #expect(heap.leaked == 91)
        #expect(heap.used == 101)
    }

    @Test func `an expiry timer extends to the last access and expires after a whole idle timeout`() {
        var heap = Self.makeHeap(timeout: .seconds(60))
        _ = heap.allocateSession(1, at: 0)
        _ = heap.refreshSession(1, at: 30 * Self.second)
        #expect(heap.expiryCheck(of: 1, at: 60 * Self.second) == .extended(until: Instant(nanoseconds: 90 * Self.second)))
        #expect(heap.expiryCheck(of: 1, at: 90 * Self.second) == .due)
        let expiry = heap.expire(1)
        #expect(expiry == .unchanged)
        #expect(heap.expiryCheck(of: 1, at: 90 * Self.second) == .gone)
    }

    @Test func `sessions need timers of their own only when they expire and no purge removes them`() {
        #expect(Self.makeHeap().needsExpiryTimers)
        #expect(!Self.makeHeap(timeout: .forever).needsExpiryTimers)
        #expect(!Self.makeHeap(purge: .seconds(10)).needsExpiryTimers)
        #expect(!Heap(spec: nil).needsExpiryTimers)
    }

    @Test func `a purge removes the sessions idle for the timeout or longer`() throws {
        var heap = Self.makeHeap(timeout: .seconds(60), purge: .seconds(10))
        for session in UInt32(1)...7 { _ = heap.allocateSession(session, at: Int64(session) * 10 * Self.second) }
        #expect(heap.isUnderGCPressure)
        // At 100 s, sessions last used at 10, 20, 30 and 40 s have been idle 60 s or more.
        let purged = heap.purgeIdleSessions(at: 100 * Self.second)
        let purge = try #require(purged)
        #expect(purge.removed == 4)
        #expect(purge.pressure == .ended)
        #expect(heap.sessionCount == 3)
        let again = heap.purgeIdleSessions(at: 100 * Self.second)
        #expect(again == nil)
    }

    @Test func `clearing forgets sessions, leaks and pressure, ends the leak chain and keeps the rates`() {
        var heap = Self.makeHeap()
        heap.leakPerSecond = 5
        heap.leakPerRequest = 1
        let epoch = heap.startLeakChain()
        #expect(heap.isLeakTickCurrent(epoch: epoch))
        _ = heap.allocateSession(1, at: 0)
        _ = heap.leak(70)
        #expect(heap.isUnderGCPressure)
        heap.clear()
        #expect(heap.used == 10)
        #expect(heap.sessionCount == 0)
        #expect(!heap.isUnderGCPressure)
        #expect(!heap.isLeakTickCurrent(epoch: epoch))
        #expect(heap.leakPerSecond == 5 && heap.leakPerRequest == 1)
    }

    @Test func `a leak chain ticks only while a fault leaks each second`() {
        var heap = Self.makeHeap()
        let epoch = heap.startLeakChain()
        #expect(!heap.isLeakTickCurrent(epoch: epoch))
        heap.leakPerSecond = 1
        #expect(heap.isLeakTickCurrent(epoch: epoch))
        let next = heap.startLeakChain()
        #expect(!heap.isLeakTickCurrent(epoch: epoch))
        #expect(heap.isLeakTickCurrent(epoch: next))
    }

    @Test func `without a heap spec nothing is allocated and nothing runs out`() {
        var heap = Heap(spec: nil)
        let session = heap.allocateSession(1, at: 0)
        #expect(session == .allocated(.unchanged))
        let leak = heap.leak(1 << 40)
        #expect(leak == .allocated(.unchanged))
        #expect(heap.used == 0)
        #expect(heap.occupancy == 0)
        #expect(heap.sessionCount == 0)
    }
}
