import FailureChains
import SimulationKernel
import Testing

/// Entry points that share one thread pool: their requests compete for its threads and wait in
/// its one queue (Nygard's unbalanced capacities), against entry points with threads of their own.
struct SharedThreadPoolTests {
    /// One instance with two entry points, `flood` and `steady`, each request 10 ms of CPU: either
    /// sharing a pool of 10 threads (queue 20), or with 10 threads each (queue 20 each). `flood`
    /// gets 2,000 requests a second from 10 s to 20 s (twice what 10 threads serve), 100 before and
    /// after; `steady` 50 a second throughout.
    func farm(shared: Bool, seconds: Int64 = 30) -> SystemModel {
        let steps: [Step] = [.cpu(.constant(0.01))]
        let entryPoints = shared
            ? [EntryPointSpec(name: "flood", threads: 0, queueCapacity: nil, steps: steps, threadPool: "workers"),
               EntryPointSpec(name: "steady", threads: 0, queueCapacity: nil, steps: steps, threadPool: "workers")]
            : [EntryPointSpec(name: "flood", threads: 10, queueCapacity: 20, steps: steps),
               EntryPointSpec(name: "steady", threads: 10, queueCapacity: 20, steps: steps)]
        let flood = RateProfile(points: [.init(time: .zero, rate: 100), .init(time: .seconds(10), rate: 2_000),
                                         .init(time: .seconds(20), rate: 100)])
        return SystemModel(
            name: "shared", run: testRun(seconds: seconds),
            services: [ServiceSpec(name: "app", instances: 1, entryPoints: entryPoints,
                                   threadPools: shared ? [ThreadPoolSpec(name: "workers", threads: 10, queueCapacity: 20)] : [])],
            traffic: [TrafficSourceSpec(name: "floods", target: "app", entryPoint: "flood", profile: flood),
                      TrafficSourceSpec(name: "steadies", target: "app", entryPoint: "steady", profile: .constant(50))])
    }

    /// The sum of a metric over the intervals that start in [from, to) seconds.
    func sum(_ sink: RecordingSink, _ component: String, _ metric: String, from: Double, to: Double) -> Double {
        sink.series(component, metric).filter { $0.time >= from && $0.time < to }.reduce(0) { $0 + $1.value }
    }

    @Test func `a flood on one entry point starves another that shares its pool`() {
        let (_, sink) = simulate(farm(shared: true))
        let refused = sum(sink, "steadies", "refused", from: 11, to: 20)
        let offered = sum(sink, "steadies", "offered", from: 11, to: 20)
        #expect(offered > 300)
        #expect(refused > offered / 2, "steady requests find the shared queue full of flood requests")
        #expect(sum(sink, "steadies", "refused", from: 1, to: 10) == 0, "before the flood there is room")
        // The flood's requests hold nearly every shared thread.
        let floodThreads = sink.series("app", "threadsBusy.flood").filter { $0.time >= 11 && $0.time < 20 }
        #expect(floodThreads.allSatisfy { $0.value > 7 })
    }

    @Test func `with pools of their own the other entry point is not touched`() {
        let (_, sink) = simulate(farm(shared: false))
        #expect(sum(sink, "floods", "refused", from: 11, to: 20) > 1_000)
        #expect(sum(sink, "steadies", "refused", from: 0, to: 30) == 0)
        #expect(sum(sink, "steadies", "goodput", from: 11, to: 20) > 400)
    }

    @Test func `the pool's rows are its entry points' shares added up`() throws {
        let (_, sink) = simulate(farm(shared: true))
        let pool = sink.series("app[0]", "threadPoolBusy.workers")
        let flood = sink.series("app[0]", "threadsBusy.flood"), steady = sink.series("app[0]", "threadsBusy.steady")
        let total = sink.series("app[0]", "threadsBusy")
        let queue = sink.series("app[0]", "threadPoolQueueLength.workers")
        let queued = zip(sink.series("app[0]", "queueLength.flood"), sink.series("app[0]", "queueLength.steady")).map { $0.value + $1.value }
        try #require(pool.count == 30 && flood.count == 30 && steady.count == 30 && total.count == 30 && queue.count == 30 && queued.count == 30)
        for index in pool.indices {
            #expect(abs(pool[index].value - (flood[index].value + steady[index].value)) < 1e-9)
            #expect(abs(pool[index].value - total[index].value) < 1e-9)
            #expect(abs(queue[index].value - queued[index]) < 1e-9)
            #expect(pool[index].value <= 10 + 1e-9)
        }
        #expect(queue[15].value > 15, "the shared queue is nearly full in the flood")
    }

    @Test func `the pool's thread and queue events name the pool`() throws {
        let (_, sink) = simulate(farm(shared: true))
        for event in ["threadsExhausted", "queueFilled", "queueRecovered", "threadsRecovered"] {
            let changes = sink.events(event, of: "app")
            try #require(!changes.isEmpty, "\(event)")
            #expect(changes.allSatisfy { $0.component == "app[0].workers" }, "\(event)")
        }
        #expect(try #require(sink.events("queueFilled", of: "app").first).detail == "capacity \(20)")
    }

    @Test func `the engine's own checks hold with a shared pool, mid-flood`() {
        let simulation = ChainSimulation(model: farm(shared: true, seconds: 15), sink: RecordingSink())
        _ = simulation.run()
        #expect(simulation.inspect().problems == [])
    }

    @Test func `utilisation counts a shared pool's threads once`() throws {
        let (result, _) = simulate(farm(shared: true))
        let busy = try #require(result.summary.first { $0.component == "app" && $0.metric == "threadsBusyMean" }).value.doubleValue
        let utilisation = try #require(result.summary.first { $0.component == "app" && $0.metric == "utilisation" }).value.doubleValue
        #expect(abs(utilisation - busy / 10) < 1e-12)
    }
}
