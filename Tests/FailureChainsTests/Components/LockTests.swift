import FailureChains
import SimulationKernel
import Testing

/// The lock alone, driven with explicit times and a table of which waits are current.
struct LockTests {
    /// The requests still waiting, by id, with the generation of their wait.
    final class Waits {
        var current: [Int32: UInt32] = [:]
        func isCurrent(_ waiter: Lock.Waiter) -> Bool { current[waiter.id] == waiter.generation }
    }

    static func waiter(_ id: Int32, _ generation: UInt32 = 0) -> Lock.Waiter { .init(id: id, generation: generation) }

    static func lock(keys: Int = 1, hotKeys: Int? = nil, hotShare: Double = 0) -> Lock {
        Lock(spec: LockSpec(name: "item", keys: keys, hotKeys: hotKeys, hotShare: hotShare), seed: 7)
    }

    @Test func `a free key is taken at once and held by its taker`() {
        var lock = Self.lock()
        let taken = lock.acquire(0, Self.waiter(1), at: 10)
        #expect(taken.holds && !taken.becameContended)
        #expect(lock.held == 1 && lock.waiting == 0)
        #expect(lock.holders[0] == Self.waiter(1))
        #expect(lock.interval.acquired == 1 && lock.interval.waits == 0)
    }

    @Test func `a held key makes the next taker wait, and the release hands it over first come first served`() {
        let waits = Waits()
        var lock = Self.lock()
        _ = lock.acquire(0, Self.waiter(1), at: 0)
        for id in Int32(2)...3 {
            waits.current[id] = 0
            #expect(!lock.acquire(0, Self.waiter(id), at: 5).holds)
        }
        #expect(lock.waiting == 2 && lock.interval.waits == 2)
        let first = lock.release(0, at: 20, isCurrent: waits.isCurrent, generation: { $0.generation + 1 })
        #expect(first.previous == Self.waiter(1))
        #expect(first.next == Self.waiter(2, 1))
        #expect(lock.holders[0] == Self.waiter(2, 1))
        #expect(lock.held == 1 && lock.waiting == 1)
        let second = lock.release(0, at: 30, isCurrent: waits.isCurrent, generation: { $0.generation + 1 })
        #expect(second.next == Self.waiter(3, 1))
        let last = lock.release(0, at: 40, isCurrent: waits.isCurrent, generation: { $0.generation + 1 })
        #expect(last.next == nil)
        #expect(lock.held == 0 && lock.waiting == 0)
        #expect(lock.interval.acquired == 3)
    }

    @Test func `a wait that timed out is counted out and skipped at hand-over`() {
        let waits = Waits()
        var lock = Self.lock()
        _ = lock.acquire(0, Self.waiter(1), at: 0)
        waits.current[2] = 0
        waits.current[3] = 0
        _ = lock.acquire(0, Self.waiter(2), at: 1)
        _ = lock.acquire(0, Self.waiter(3), at: 2)
        waits.current[2] = nil
        lock.withdraw(from: 0, isTimeout: true, at: 50)
        #expect(lock.waiting == 1 && lock.interval.timeouts == 1)
        let next = lock.release(0, at: 60, isCurrent: waits.isCurrent, generation: { $0.generation + 1 })
        #expect(next.next?.id == 3)
    }

    @Test func `different keys do not wait for each other`() {
        var lock = Self.lock(keys: 4)
        #expect(lock.acquire(0, Self.waiter(1), at: 0).holds)
        #expect(lock.acquire(1, Self.waiter(2), at: 0).holds)
        #expect(!lock.acquire(0, Self.waiter(3), at: 0).holds)
        #expect(lock.held == 2 && lock.waiting == 1)
        #expect(lock.waiting(for: 0) == 1 && lock.waiting(for: 1) == 0)
    }

    @Test func `the held and waiting levels integrate over explicit times`() {
        let waits = Waits()
        var lock = Self.lock()
        _ = lock.acquire(0, Self.waiter(1), at: 100)
        waits.current[2] = 0
        _ = lock.acquire(0, Self.waiter(2), at: 300)
        _ = lock.release(0, at: 500, isCurrent: waits.isCurrent, generation: { $0.generation + 1 })
        _ = lock.release(0, at: 600, isCurrent: waits.isCurrent, generation: { $0.generation + 1 })
        lock.takeLevels(upTo: 1000, pastWarmup: true)
        // Held from 100 to 600: 500 ns; one waiting from 300 to 500: 200 ns.
        #expect(lock.heldInterval == 500)
        #expect(lock.waitingInterval == 200)
        #expect(lock.heldTotal == 500)
        #expect(lock.endInterval() == false)
        #expect(lock.heldInterval == 0 && lock.interval == Lock.Counts())
    }

    @Test func `a queue of ten for one key makes the lock contended once, and a quiet interval recovers it`() {
        let waits = Waits()
        var lock = Self.lock()
        _ = lock.acquire(0, Self.waiter(0), at: 0)
        var contended: [Int32] = []
        for id in Int32(1)...12 {
            waits.current[id] = 0
            if lock.acquire(0, Self.waiter(id), at: Int64(id)).becameContended { contended.append(id) }
        }
        #expect(contended == [Lock.contentionQueue])
        #expect(lock.isContended)
        #expect(lock.endInterval() == false)  // the queue was deep in this interval
        for at in Int64(20)...32 { _ = lock.release(0, at: at, isCurrent: waits.isCurrent, generation: { $0.generation + 1 }) }
        #expect(lock.waiting == 0)
        #expect(lock.endInterval() == true)
        #expect(!lock.isContended)
    }

    @Test func `keys are drawn uniformly, and a hot set takes its share`() {
        var uniform = Self.lock(keys: 10)
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0..<10_000 { counts[Int(uniform.drawKey())] += 1 }
        #expect(counts.allSatisfy { (850...1150).contains($0) })
        var hot = Self.lock(keys: 1000, hotKeys: 2, hotShare: 0.9)
        var onHot = 0
        for _ in 0..<10_000 where hot.drawKey() < 2 { onHot += 1 }
        #expect((8_800...9_200).contains(onHot))
        var single = Self.lock()
        let before = single.keyStream
        #expect(single.drawKey() == 0)
        #expect(single.keyStream.nextUnit() == { var copy = before; return copy.nextUnit() }())  // a monitor draws nothing
    }
}
