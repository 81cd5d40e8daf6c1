import FailureChains
import SimulationKernel
import Testing

/// The endpoint alone: which fault a call meets, in which order, against which timeout, and
/// which numbers it draws.
struct EndpointTests {
    static let latency = 0.1
    static let ms100 = Interval.milliseconds(100)

    static func endpoint(_ latency: Distribution = .constant(EndpointTests.latency), errorProbability: Double = 0) -> Endpoint {
        Endpoint(spec: EndpointSpec(name: "db", latency: latency, errorProbability: errorProbability), seed: 7)
    }

    /// Asks for the answer of a call on a fresh pooled connection, new connection or stale one.
    static func ask(_ endpoint: inout Endpoint, pooled: Bool = true, stale: Bool = false,
                    connect: Interval? = nil, read: Interval? = nil) -> Endpoint.Answer {
        endpoint.answer(isPooled: pooled, isStale: stale, connectTimeout: connect, readTimeout: read)
    }

    @Test func `a healthy endpoint answers successfully after its latency`() {
        var endpoint = Self.endpoint()
        #expect(Self.ask(&endpoint) == .after(Self.ms100, .success))
        #expect(Self.ask(&endpoint, read: .seconds(1)) == .after(Self.ms100, .success))
    }

    @Test func `a read timeout shorter than the latency cuts the answer short, and one equal to it does not`() {
        var endpoint = Self.endpoint()
        #expect(Self.ask(&endpoint, read: .milliseconds(50)) == .after(.milliseconds(50), .timedOut))
        #expect(Self.ask(&endpoint, read: Self.ms100) == .after(Self.ms100, .success))
    }

    @Test func `the connect timeout does not bound a working endpoint's answer`() {
        var endpoint = Self.endpoint()
        #expect(Self.ask(&endpoint, pooled: false, connect: .milliseconds(10)) == .after(Self.ms100, .success))
    }

    @Test func `a refusing endpoint refuses at once`() {
        var endpoint = Self.endpoint()
        _ = endpoint.startFault(0, .refuse)
        #expect(Self.ask(&endpoint, read: .milliseconds(10)) == .after(.zero, .refused))
    }

    @Test func `a hanging endpoint answers nothing before the read timeout, and nothing at all without one`() {
        var endpoint = Self.endpoint()
        _ = endpoint.startFault(0, .hang)
        #expect(Self.ask(&endpoint, read: .seconds(3)) == .after(.seconds(3), .timedOut))
        #expect(Self.ask(&endpoint, pooled: false, connect: .seconds(1)) == .never)
    }

    @Test func `a blackhole holds a new connection until its connect timeout and an open one until its read timeout`() {
        var endpoint = Self.endpoint()
        _ = endpoint.startFault(0, .blackhole)
        #expect(Self.ask(&endpoint, pooled: false, connect: .seconds(1), read: .seconds(5)) == .after(.seconds(1), .timedOut))
        #expect(Self.ask(&endpoint, pooled: true, connect: .seconds(1), read: .seconds(5)) == .after(.seconds(5), .timedOut))
        #expect(Self.ask(&endpoint, pooled: false, read: .seconds(5)) == .never)
        #expect(Self.ask(&endpoint, pooled: true, connect: .seconds(1)) == .never)
    }

    @Test func `an error fault fails at once, or after the latency when it waits for it`() {
        var endpoint = Self.endpoint()
        _ = endpoint.startFault(0, .error(afterLatency: false))
        #expect(Self.ask(&endpoint, read: .milliseconds(10)) == .after(.zero, .failed))
        endpoint.endFault(0, .error(afterLatency: false))
        _ = endpoint.startFault(1, .error(afterLatency: true))
        #expect(Self.ask(&endpoint) == .after(Self.ms100, .failed))
        #expect(Self.ask(&endpoint, read: .milliseconds(10)) == .after(.milliseconds(10), .timedOut))
    }

    @Test func `slow factors multiply, and the latency fault that started last replaces the latency`() {
        var endpoint = Self.endpoint()
        _ = endpoint.startFault(0, .slow(factor: 2))
        _ = endpoint.startFault(1, .slow(factor: 3))
        #expect(Self.ask(&endpoint) == .after(.milliseconds(600), .success))
        _ = endpoint.startFault(2, .latency(.constant(1)))
        _ = endpoint.startFault(3, .latency(.constant(0.5)))
        #expect(Self.ask(&endpoint) == .after(.seconds(3), .success))
        endpoint.endFault(3, .latency(.constant(0.5)))
        #expect(Self.ask(&endpoint) == .after(.seconds(6), .success))
        endpoint.endFault(0, .slow(factor: 2))
        endpoint.endFault(1, .slow(factor: 3))
        endpoint.endFault(2, .latency(.constant(1)))
        #expect(Self.ask(&endpoint) == .after(Self.ms100, .success))
        #expect(endpoint.lastActiveFault == nil)
    }

    @Test func `overlapping faults act over the union of their windows`() {
        var endpoint = Self.endpoint()
        _ = endpoint.startFault(0, .refuse)
        _ = endpoint.startFault(1, .refuse)
        endpoint.endFault(0, .refuse)
        #expect(Self.ask(&endpoint) == .after(.zero, .refused))
        #expect(endpoint.lastActiveFault == 1)
        endpoint.endFault(1, .refuse)
        #expect(Self.ask(&endpoint) == .after(Self.ms100, .success))
    }

    @Test func `a failover asks for the open connections to be left half-dead and sets how long their use takes to fail`() {
        var endpoint = Self.endpoint()
        let failoverMarks = endpoint.startFault(0, .failover(staleDelay: .seconds(4)))
        let hangMarks = endpoint.startFault(1, .hang)
        #expect(failoverMarks && !hangMarks)
        #expect(endpoint.lastActiveFault == 1)  // the failover is an instant, not a fault in effect
        endpoint.endFault(1, .hang)
        #expect(Self.ask(&endpoint, stale: true) == .after(.seconds(4), .failed))
        #expect(Self.ask(&endpoint, stale: true, read: .seconds(1)) == .after(.seconds(1), .timedOut))
        #expect(Self.ask(&endpoint, stale: true, read: .seconds(4)) == .after(.seconds(4), .failed))
        #expect(Self.ask(&endpoint, stale: false) == .after(Self.ms100, .success))
    }

    /// Which fault wins when several are on at once: the first of stale, refuse, blackhole, hang,
    /// error, in that order.
    @Test(arguments: [
        ([FaultSpec.Kind.hang, .refuse, .blackhole, .error(afterLatency: false)], true, Endpoint.Answer.after(.seconds(1), .timedOut)),
        ([.hang, .refuse, .blackhole, .error(afterLatency: false)], false, .after(.zero, .refused)),
        ([.hang, .blackhole, .error(afterLatency: false)], false, .after(.seconds(1), .timedOut)),
        ([.hang, .error(afterLatency: false)], false, .after(.seconds(1), .timedOut)),
        ([.slow(factor: 100), .error(afterLatency: false)], false, .after(.zero, .failed)),
        ([.slow(factor: 100)], false, .after(.seconds(1), .timedOut)),
    ])
    func `fault precedence is stale connection, refuse, blackhole, hang, then error`(faults: [FaultSpec.Kind], stale: Bool,
                                                                                    expected: Endpoint.Answer) {
        var endpoint = Self.endpoint()
        for (index, kind) in faults.enumerated() { _ = endpoint.startFault(Int32(index), kind) }
        #expect(Self.ask(&endpoint, stale: stale, read: .seconds(1)) == expected)
    }

    @Test func `faults that keep a call from the endpoint's work draw nothing from its stream`() {
        var faulted = Self.endpoint(.exponential(mean: 0.1), errorProbability: 0.5)
        var healthy = Self.endpoint(.exponential(mean: 0.1), errorProbability: 0.5)
        for (index, kind) in [FaultSpec.Kind.refuse, .blackhole, .hang].enumerated() {
            _ = faulted.startFault(Int32(index), kind)
            _ = Self.ask(&faulted, read: .seconds(1))
            faulted.endFault(Int32(index), kind)
        }
        _ = Self.ask(&faulted, stale: true)
        let afterFaults = Self.ask(&faulted), fresh = Self.ask(&healthy)
        #expect(afterFaults == fresh)
    }

    @Test func `a call draws its latency from the latency stream and, with an error probability, one unit from the error stream`() {
        var endpoint = Self.endpoint(.exponential(mean: 0.1), errorProbability: 0.3)
        var stream = RandomStream(seed: 7, component: "db", purpose: "latency")
        var errors = RandomStream(seed: 7, component: "db", purpose: "errors")
        for _ in 0..<200 {
            let latency = Interval.sampled(seconds: Distribution.exponential(mean: 0.1).sample(using: &stream))
            let outcome: Outcome = errors.nextUnit() < 0.3 ? .failed : .success
            #expect(Self.ask(&endpoint) == .after(latency, outcome))
        }
    }

    @Test func `an error fault draws the latency but no error unit`() {
        var endpoint = Self.endpoint(.exponential(mean: 0.1), errorProbability: 0.3)
        var stream = RandomStream(seed: 7, component: "db", purpose: "latency")
        _ = endpoint.startFault(0, .error(afterLatency: true))
        for _ in 0..<20 {
            let latency = Interval.sampled(seconds: Distribution.exponential(mean: 0.1).sample(using: &stream))
            #expect(Self.ask(&endpoint) == .after(latency, .failed))
        }
    }

    @Test func `an error probability shifts no latency`() {
        var withErrors = Self.endpoint(.exponential(mean: 0.1), errorProbability: 0.3)
        var without = Self.endpoint(.exponential(mean: 0.1))
        for _ in 0..<200 {
            guard case .after(let erring, _) = Self.ask(&withErrors), case .after(let plain, _) = Self.ask(&without) else {
                Issue.record("an endpoint without faults answered nothing")
                return
            }
            #expect(erring == plain)
        }
    }

    @Test func `without an error probability a call draws only its latency`() {
        var endpoint = Self.endpoint(.exponential(mean: 0.1))
        var stream = RandomStream(seed: 7, component: "db", purpose: "latency")
        for _ in 0..<20 {
            let latency = Interval.sampled(seconds: Distribution.exponential(mean: 0.1).sample(using: &stream))
            #expect(Self.ask(&endpoint) == .after(latency, .success))
        }
    }

    // MARK: Capacity

    static func limited(concurrency: Int = 2, queue: Int? = 1, _ latency: Distribution = .constant(EndpointTests.latency)) -> Endpoint {
        Endpoint(spec: EndpointSpec(name: "db", latency: latency, concurrency: concurrency, queueCapacity: queue), seed: 7)
    }

    static func call(_ endpoint: inout Endpoint, _ id: Int32, generation: UInt32 = 0, read: Interval? = nil, at now: Int64) -> Endpoint.Answer {
        endpoint.answer(isPooled: true, isStale: false, connectTimeout: nil, readTimeout: read,
                        caller: CountedResource.Waiter(id: id, generation: generation), at: now)
    }

    @Test func `an endpoint with a free slot serves a call and holds the slot for its latency`() {
        var endpoint = Self.limited()
        #expect(Self.call(&endpoint, 1, at: 0) == .served(Self.ms100, .success, slotHeldFor: Self.ms100))
        #expect(endpoint.slots?.inUse == 1)
        #expect(!endpoint.isSaturated)
    }

    @Test func `calls beyond the concurrency queue, and calls beyond the queue are refused at once`() {
        var endpoint = Self.limited(concurrency: 2, queue: 1)
        _ = Self.call(&endpoint, 1, at: 0)
        _ = Self.call(&endpoint, 2, at: 0)
        #expect(Self.call(&endpoint, 3, at: 10) == .queued)
        #expect(endpoint.isSaturated)
        #expect(Self.call(&endpoint, 4, at: 20) == .after(.zero, .refused))
        #expect(endpoint.slots?.inUse == 2 && endpoint.slots?.waiting == 1)
    }

    @Test func `a queue of zero refuses every call that finds the slots taken`() {
        var endpoint = Self.limited(concurrency: 1, queue: 0)
        _ = Self.call(&endpoint, 1, at: 0)
        #expect(Self.call(&endpoint, 2, at: 0) == .after(.zero, .refused))
        #expect(endpoint.isSaturated)
    }

    @Test func `a finished work hands its slot to the oldest caller still waiting, whose work starts then`() {
        var endpoint = Self.limited(concurrency: 1, queue: nil, .exponential(mean: 0.1))
        var stream = RandomStream(seed: 7, component: "db", purpose: "latency")
        func draw() -> Interval { Interval.sampled(seconds: Distribution.exponential(mean: 0.1).sample(using: &stream)) }
        let first = draw(), second = draw()
        #expect(Self.call(&endpoint, 1, at: 0) == .served(first, .success, slotHeldFor: first))
        #expect(Self.call(&endpoint, 2, generation: 5, at: 1) == .queued)
        #expect(Self.call(&endpoint, 3, generation: 6, at: 2) == .queued)
        #expect(Self.call(&endpoint, 4, generation: 7, at: 3) == .queued)
        // Caller 2 timed out while waiting: it is counted out and skipped.
        endpoint.withdrawQueuedCall(at: 4)
        #expect(endpoint.slots?.waiting == 2)
        let next = endpoint.finishWork(at: first.nanoseconds) { $0.id != 2 }
        #expect(next?.caller == CountedResource.Waiter(id: 3, generation: 6))
        #expect(next?.work == Endpoint.Work(duration: second, outcome: .success))  // drawn at the grant, not at the arrival
        #expect(endpoint.slots?.inUse == 1 && endpoint.slots?.waiting == 1)
        _ = endpoint.finishWork(at: first.nanoseconds + 1) { _ in true }
        let last = endpoint.finishWork(at: first.nanoseconds + 2) { _ in true }
        #expect(last == nil)
        #expect(endpoint.slots?.inUse == 0)
    }

    @Test func `a caller's read timeout shorter than the work ends its wait, but the work keeps its slot`() {
        var endpoint = Self.limited()
        #expect(Self.call(&endpoint, 1, read: .milliseconds(30), at: 0) == .served(.milliseconds(30), .timedOut, slotHeldFor: Self.ms100))
        #expect(endpoint.slots?.inUse == 1)
    }

    @Test func `faults that keep a call from the work take no slot and draw nothing`() {
        var endpoint = Self.limited(concurrency: 1, queue: 0, .exponential(mean: 0.1))
        var healthy = Self.limited(concurrency: 1, queue: 0, .exponential(mean: 0.1))
        for (index, kind) in [FaultSpec.Kind.refuse, .hang, .blackhole, .error(afterLatency: false)].enumerated() {
            _ = endpoint.startFault(Int32(index), kind)
        }
        #expect(Self.call(&endpoint, 1, read: .seconds(1), at: 0) == .after(.zero, .refused))
        endpoint.endFault(0, .refuse)
        #expect(Self.call(&endpoint, 2, read: .seconds(1), at: 0) == .after(.seconds(1), .timedOut))  // blackhole, pooled
        #expect(endpoint.slots?.inUse == 0 && !endpoint.isSaturated)
        endpoint.endFault(1, .hang)
        endpoint.endFault(2, .blackhole)
        endpoint.endFault(3, .error(afterLatency: false))
        let afterFaults = Self.call(&endpoint, 3, at: 0), fresh = Self.call(&healthy, 3, at: 0)
        #expect(afterFaults == fresh)
    }

    @Test func `a slow fault lengthens the work and so holds the slot longer`() {
        var endpoint = Self.limited()
        _ = endpoint.startFault(0, .slow(factor: 10))
        #expect(Self.call(&endpoint, 1, read: .milliseconds(500), at: 0) == .served(.milliseconds(500), .timedOut, slotHeldFor: .seconds(1)))
    }

    @Test func `an endpoint recovers after a whole interval in which no call waited, not before`() {
        var endpoint = Self.limited(concurrency: 1, queue: 1)
        _ = Self.call(&endpoint, 1, at: 0)
        _ = Self.call(&endpoint, 2, at: 1)
        #expect(endpoint.isSaturated)
        endpoint.takeLevels(upTo: 10, pastWarmup: true)
        let recoveredFirst = endpoint.endInterval()
        #expect(!recoveredFirst)  // a call waited in this interval
        _ = endpoint.finishWork(at: 100) { _ in true }
        #expect(Self.call(&endpoint, 3, at: 150) == .queued)
        _ = endpoint.finishWork(at: 200) { _ in true }
        _ = endpoint.finishWork(at: 250) { _ in true }
        endpoint.takeLevels(upTo: 300, pastWarmup: true)
        let recoveredSecond = endpoint.endInterval()
        #expect(!recoveredSecond)  // a call waited in this interval too
        endpoint.takeLevels(upTo: 400, pastWarmup: true)
        let recoveredThird = endpoint.endInterval()
        #expect(recoveredThird)
        #expect(!endpoint.isSaturated)
    }

    @Test func `an endpoint without a capacity answers at any load`() {
        var endpoint = Self.endpoint()
        for id in 0..<1000 {
            #expect(Self.call(&endpoint, Int32(id), at: 0) == .after(Self.ms100, .success))
        }
        #expect(!endpoint.hasCapacity && !endpoint.isSaturated)
    }
}
