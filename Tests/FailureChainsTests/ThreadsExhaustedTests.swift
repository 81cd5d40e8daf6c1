import FailureChains
import SimulationKernel
import Testing

/// The events that say every thread of an entry point is busy, what the threads wait on and why.
struct ThreadsExhaustedTests {
    /// One service calling another that calls an endpoint; the endpoint hangs, or turns slow, at 100 s.
    func cascade(backThreads: Int, fault: FaultSpec.Kind = .hang, faultDuration: Interval? = nil, interval: Interval = .seconds(1)) -> SystemModel {
        SystemModel(
            name: "cascade", run: testRun(seconds: 200, interval: interval),
            services: [
                ServiceSpec(name: "front", instances: 1,
                            entryPoints: [EntryPointSpec(name: "main", threads: 10, queueCapacity: 10, steps: [.cpu(.constant(0.005)), .call(0)])],
                            dependencies: [DependencySpec(name: "back", target: .service(name: "back", entryPoint: nil))]),
                ServiceSpec(name: "back", instances: 1,
                            entryPoints: [EntryPointSpec(name: "main", threads: backThreads, queueCapacity: 1000, steps: [.cpu(.constant(0.005)), .call(0)])],
                            dependencies: [DependencySpec(name: "partner", target: .endpoint(name: "partner"))]),
            ],
            traffic: [TrafficSourceSpec(name: "users", target: "front", rate: 5)],
            endpoints: [EndpointSpec(name: "partner", latency: .constant(0.05))],
            faults: [FaultSpec(target: "partner", start: .seconds(100), duration: faultDuration, kind: fault)])
    }

    @Test func `threads blocked at checkout of an exhausted pool say so, with the pool as their cause`() throws {
        let (_, sink) = simulate(FailureChainTests().airline())
        let exhausted = try #require(sink.events("threadsExhausted").first)
        #expect(exhausted.component == "cf[0].ejb")
        #expect(exhausted.detail.starts(with: "all \(5) threads busy for "))
        #expect(exhausted.detail.ends(with: "; the instance's threads: \(5) at checkout of db"))
        #expect(exhausted.cause == "poolExhausted db")
        let pool = try #require(sink.events("poolExhausted").first)
        #expect(pool.time < exhausted.time)
    }

    @Test func `a leaked connection names the failover that left it half-dead`() throws {
        let (_, sink) = simulate(FailureChainTests().airline())
        let leaks = sink.events("connectionLeaked")
        try #require(!leaks.isEmpty)
        #expect(leaks.allSatisfy { $0.cause == "call failed: connectionsStale on oracle" })
    }

    @Test func `a caller blocked on a hung callee's busy threads names them as its cause, recorded first`() throws {
        let (_, sink) = simulate(cascade(backThreads: 5))
        let back = try #require(sink.events("threadsExhausted", of: "back").first)
        let front = try #require(sink.events("threadsExhausted", of: "front").first)
        #expect(back.cause == "faultStarted hang on partner")
        #expect(back.detail.ends(with: ": \(5) in calls to partner"))
        #expect(front.cause == "threadsExhausted on back")
        #expect(front.detail.ends(with: ": \(10) in calls to back"))
        let order = sink.changes.map(\.event)
        let backIndex = try #require(sink.changes.firstIndex { $0 == back })
        let frontIndex = try #require(sink.changes.firstIndex { $0 == front })
        #expect(backIndex < frontIndex, "\(order)")
    }

    @Test func `a caller whose callee still has free threads names the fault its callee's threads wait on`() throws {
        let (_, sink) = simulate(cascade(backThreads: 20))
        #expect(sink.count(of: "threadsExhausted", in: "back") == 0)
        let front = try #require(sink.events("threadsExhausted", of: "front").first)
        #expect(front.cause == "faultStarted hang on partner")
    }

    @Test func `a full queue follows the threads being exhausted and names them as its cause`() throws {
        let (_, sink) = simulate(cascade(backThreads: 20))
        let filled = try #require(sink.events("queueFilled", of: "front").first)
        #expect(filled.cause == "threadsExhausted")
        let exhausted = try #require(sink.events("threadsExhausted", of: "front").first)
        #expect(exhausted.time <= filled.time)
    }

    @Test func `threads free again when the fault ends are recorded as recovered, with the longest queue`() throws {
        let (_, sink) = simulate(cascade(backThreads: 20, fault: .slow(factor: 200), faultDuration: .seconds(20)))
        let exhausted = try #require(sink.events("threadsExhausted", of: "front").first)
        let recovered = try #require(sink.events("threadsRecovered", of: "front").first)
        #expect(recovered.time > exhausted.time)
        #expect(recovered.cause == "threadsExhausted")
        #expect(recovered.detail.starts(with: "a thread free after "))
        #expect(recovered.detail.ends(with: "; at most \(10) waiting"))
    }

    @Test func `threads busy on CPU after the traffic rose name the traffic's change of rate as their cause`() throws {
        let model = SystemModel(
            name: "spike", run: testRun(seconds: 200),
            services: [ServiceSpec(name: "web", instances: 1,
                                   entryPoints: [EntryPointSpec(name: "main", threads: 2, queueCapacity: 50, steps: [.cpu(.constant(0.01))])])],
            traffic: [TrafficSourceSpec(name: "users", target: "web", rate: 50)],
            faults: [FaultSpec(target: "users", start: .seconds(100), duration: .seconds(30), kind: .spike(factor: 10))])
        let (_, sink) = simulate(model)
        let rose = try #require(sink.events("rateChanged", of: "users").first)
        let exhausted = try #require(sink.events("threadsExhausted").first)
        #expect(exhausted.cause == "rateChanged on users")
        #expect(exhausted.detail.ends(with: ": \(2) on CPU"))
        #expect(rose.time <= exhausted.time)
    }

    @Test func `all threads busy for less than a series interval is not recorded`() {
        // Two threads 75% busy: they are often both busy, never for a whole 10-second interval.
        let model = SystemModel(
            name: "busy", run: testRun(seconds: 300, interval: .seconds(10)),
            services: [ServiceSpec(name: "web", instances: 1,
                                   entryPoints: [EntryPointSpec(name: "main", threads: 2, queueCapacity: 10_000, steps: [.cpu(.exponential(mean: 0.01))])])],
            traffic: [TrafficSourceSpec(name: "users", target: "web", rate: 150)])
        let (_, sink) = simulate(model)
        #expect(sink.series("web", "threadsBusy").map(\.value).max() ?? 0 > 1.2)
        #expect(sink.count(of: "threadsExhausted") == 0)
        #expect(sink.count(of: "threadsRecovered") == 0)
    }
}
