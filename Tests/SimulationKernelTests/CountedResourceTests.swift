import SimulationKernel
import Testing

struct CountedResourceTests {
    /// Waiters whose generation is listed here still wait; the others ended their wait.
    final class Waits {
        var current: [Int32: UInt32] = [:]
        func isCurrent(_ waiter: CountedResource.Waiter) -> Bool { current[waiter.id] == waiter.generation }
    }

    @Test func `units are taken while some are free, then refused`() {
        var resource = CountedResource(capacity: 3)
        let took1 = resource.tryAcquire(at: 0)
        #expect(took1)
        let took2 = resource.tryAcquire(at: 0)
        #expect(took2)
        #expect(resource.available == 1)
        #expect(!resource.isFull)
        let took3 = resource.tryAcquire(at: 0)
        #expect(took3)
        #expect(resource.isFull)
        let took4 = resource.tryAcquire(at: 0)
        #expect(!took4)
        #expect(resource.inUse == 3)
        #expect(resource.available == 0)
        #expect(resource.waiting == 0)
    }

    @Test func `a holder waits only when every unit is taken`() {
        var resource = CountedResource(capacity: 1)
        let took1 = resource.acquireOrWait(.init(id: 1, generation: 0), at: 0)
        #expect(took1)
        #expect(resource.waiting == 0)
        #expect(!resource.hasQueuedEntries)
        let took2 = resource.acquireOrWait(.init(id: 2, generation: 0), at: 0)
        #expect(!took2)
        #expect(resource.waiting == 1)
        #expect(resource.inUse == 1)
    }

    @Test func `a released unit goes to the oldest waiter first`() {
        let waits = Waits()
        var resource = CountedResource(capacity: 1, queueCapacity: 1)
        let took1 = resource.tryAcquire(at: 0)
        #expect(took1)
        for id in Int32(1)...5 {
            waits.current[id] = 7
            let took2 = resource.acquireOrWait(.init(id: id, generation: 7), at: 0)
            #expect(!took2)
        }
        var served: [Int32] = []
        while let waiter = resource.release(at: 10, isCurrent: waits.isCurrent) {
            #expect(waiter.generation == 7)
            served.append(waiter.id)
            #expect(resource.inUse == 1)  // handed on, never freed
        }
        #expect(served == [1, 2, 3, 4, 5])
        #expect(resource.inUse == 0)
        #expect(resource.waiting == 0)
    }

    @Test func `a waiter whose wait ended is skipped at hand-over`() {
        let waits = Waits()
        var resource = CountedResource(capacity: 1)
        let took = resource.tryAcquire(at: 0)
        #expect(took)
        for id in Int32(1)...3 {
            waits.current[id] = 0
            resource.enqueue(.init(id: id, generation: 0))
        }
        // The first times out; the second's request moved on to a later wait of its own.
        waits.current[1] = nil
        resource.withdrawWaiter()
        waits.current[2] = 1
        resource.withdrawWaiter()
        #expect(resource.waiting == 1)
        let handedTo1 = resource.release(at: 5, isCurrent: waits.isCurrent)
        #expect(handedTo1 == .init(id: 3, generation: 0))
        #expect(resource.waiting == 0)
        #expect(!resource.hasQueuedEntries)
        let handedTo2 = resource.release(at: 6, isCurrent: waits.isCurrent)
        #expect(handedTo2 == nil)
        #expect(resource.inUse == 0)
    }

    @Test func `a unit becomes free when every queued waiter is stale`() {
        var resource = CountedResource(capacity: 2)
        let took1 = resource.tryAcquire(at: 0)
        #expect(took1)
        let took2 = resource.tryAcquire(at: 0)
        #expect(took2)
        resource.enqueue(.init(id: 4, generation: 2))
        resource.withdrawWaiter()
        let handedTo = resource.release(at: 1) { _ in false }
        #expect(handedTo == nil)
        #expect(resource.inUse == 1)
        #expect(!resource.hasQueuedEntries)
    }

    @Test func `the next waiter can be taken without touching the units`() {
        var resource = CountedResource(capacity: 0)
        resource.enqueue(.init(id: 1, generation: 3))
        resource.enqueue(.init(id: 2, generation: 3))
        let next = resource.nextWaiter { $0.id != 1 }
        #expect(next == .init(id: 2, generation: 3))
        #expect(resource.waiting == 1)  // the skipped one was never withdrawn
        #expect(resource.inUse == 0)
        let none = resource.nextWaiter { _ in true }
        #expect(none == nil)
    }

    @Test func `the area is units in use times nanoseconds`() {
        var resource = CountedResource(capacity: 4, at: 100)
        let took1 = resource.tryAcquire(at: 100)
        #expect(took1)
        let took2 = resource.tryAcquire(at: 300)  // 1 × 200
        #expect(took2)
        #expect(resource.area(upTo: 300) == 200)
        resource.releaseWithoutHandOver(at: 400)  // 2 × 100
        #expect(resource.lastChange == 400)
        #expect(resource.area(upTo: 1_000) == 200 + 200 + 600)  // 1 × 600 more, unsettled
        let area1 = resource.takeArea(upTo: 1_000)
        #expect(area1 == 1_000)
        #expect(resource.area(upTo: 1_000) == 0)
        let area2 = resource.takeArea(upTo: 1_500)
        #expect(area2 == 500)
    }

    @Test func `a hand-over does not change the level, so the area runs on`() {
        var resource = CountedResource(capacity: 1)
        let took = resource.tryAcquire(at: 0)
        #expect(took)
        resource.enqueue(.init(id: 1, generation: 0))
        let handedTo1 = resource.release(at: 50) { _ in true }
        #expect(handedTo1 != nil)
        #expect(resource.area(upTo: 80) == 80)
        let handedTo2 = resource.release(at: 80) { _ in true }
        #expect(handedTo2 == nil)
        #expect(resource.area(upTo: 200) == 80)
    }

    @Test func `waiting and withdrawn waiters add nothing to the area`() {
        var resource = CountedResource(capacity: 0, at: 0)
        let took = resource.acquireOrWait(.init(id: 1, generation: 0), at: 10)
        #expect(!took)
        resource.withdrawWaiter()
        #expect(resource.area(upTo: 1_000) == 0)
    }

    @Test func `with no units every holder waits and none is ever granted`() {
        var resource = CountedResource(capacity: 0)
        #expect(resource.isFull)
        #expect(resource.available == 0)
        let took1 = resource.tryAcquire(at: 0)
        #expect(!took1)
        let took2 = resource.acquireOrWait(.init(id: 9, generation: 1), at: 0)
        #expect(!took2)
        #expect(resource.inUse == 0)
        #expect(resource.waiting == 1)
    }

    @Test func `with one unit holders take turns in arrival order`() {
        let waits = Waits()
        var resource = CountedResource(capacity: 1)
        var holder: Int32 = 0
        let took1 = resource.acquireOrWait(.init(id: 0, generation: 0), at: 0)
        #expect(took1)
        for id in Int32(1)...3 {
            waits.current[id] = 0
            let took2 = resource.acquireOrWait(.init(id: id, generation: 0), at: Int64(id))
            #expect(!took2)
        }
        var order: [Int32] = [holder]
        for time in Int64(10)...12 {
            let next = resource.release(at: time, isCurrent: waits.isCurrent)
            holder = next?.id ?? -1
            order.append(holder)
        }
        #expect(order == [0, 1, 2, 3])
        #expect(resource.inUse == 1)
        #expect(resource.area(upTo: 13) == 13)
    }

    @Test func `a reset frees every unit and forgets every waiter`() {
        var resource = CountedResource(capacity: 2)
        let took1 = resource.tryAcquire(at: 0)
        #expect(took1)
        let took2 = resource.tryAcquire(at: 0)
        #expect(took2)
        resource.enqueue(.init(id: 1, generation: 0))
        resource.reset(at: 10)
        #expect(resource.inUse == 0)
        #expect(resource.waiting == 0)
        #expect(!resource.hasQueuedEntries)
        #expect(resource.area(upTo: 50) == 20)
        let took3 = resource.tryAcquire(at: 50)
        #expect(took3)
        let took4 = resource.tryAcquire(at: 50)
        #expect(took4)
        let took5 = resource.tryAcquire(at: 50)
        #expect(!took5)
    }
}
