import FailureChains
import SimulationKernel
import Testing

/// Failure chains that must emerge from the parts, in small models built in code.
struct FailureChainTests {
    /// The airline in miniature: a failover leaves pooled connections half-dead, each failed use
    /// leaks one, and once the pool is dry every request thread blocks at checkout forever.
    func airline(checkoutTimeout: Interval? = nil, leakOnError: Bool = true) -> SystemModel {
        SystemModel(
            name: "air", run: testRun(seconds: 300),
            services: [ServiceSpec(
                name: "cf", instances: 1,
                entryPoints: [
                    EntryPointSpec(name: "ejb", threads: 5, queueCapacity: 20, steps: [.cpu(.constant(0.01)), .call(0)]),
                    EntryPointSpec(name: "http", threads: 2, queueCapacity: 5, steps: [.cpu(.constant(0.001))]),
                ],
                dependencies: [DependencySpec(name: "db", target: .endpoint(name: "oracle"),
                                              pool: PoolSpec(size: 3, checkoutTimeout: checkoutTimeout, leakOnError: leakOnError))],
                balancer: BalancerSpec(healthCheck: HealthCheckSpec(interval: .seconds(10), timeout: .seconds(2), unhealthyThreshold: 3,
                                                                    healthyThreshold: 2, kind: .shallow, entryPoint: 1)))],
            traffic: [TrafficSourceSpec(name: "kiosks", target: "cf", rate: 1)],
            endpoints: [EndpointSpec(name: "oracle", latency: .constant(0.05))],
            faults: [FaultSpec(target: "oracle", start: .seconds(60), kind: .failover(staleDelay: .seconds(2)))])
    }

    @Test func `a failover with leak-on-error drains the pool and blocks every thread at checkout`() {
        let (_, sink) = simulate(airline())
        #expect(sink.count(of: "connectionsStale") == 1)
        #expect(sink.count(of: "connectionLeaked") == 3)
        let exhausted = sink.events("poolExhausted")
        #expect(exhausted.count == 1)
        #expect(exhausted.first?.cause.starts(with: "connectionsLeaked ") == true)
        let blocked = sink.series("cf", "threadsAtCheckout.db").last?.value ?? 0
        #expect(blocked > 4.99, "threads at checkout at the end: \(blocked)")
        #expect(sink.series("kiosks", "goodput").suffix(60).everyRow { $0.value == 0 })
        // The status page is served by its own pool: the shallow health check stays green.
        #expect(sink.count(of: "instanceEjected") == 0)
    }

    @Test func `without the leak the stale connections are replaced and the pool survives`() {
        let (_, sink) = simulate(airline(leakOnError: false))
        #expect(sink.count(of: "connectionLeaked") == 0)
        #expect(sink.count(of: "poolExhausted") == 0)
        #expect(sink.series("kiosks", "goodput").suffix(60).reduce(0) { $0 + $1.value } > 30)
    }

    @Test func `a checkout timeout turns blocked threads into quick errors`() {
        let (result, sink) = simulate(airline(checkoutTimeout: .seconds(1)))
        #expect(sink.count(of: "poolExhausted") == 1)
        let blocked = sink.series("cf", "threadsAtCheckout.db").suffix(60).map(\.value).max() ?? 0
        #expect(blocked < 3, "threads at checkout: \(blocked)")
        #expect((result.value("checkoutTimeouts", of: "cf") ?? 0) > 100)
    }

    /// A chain of two services in front of an endpoint that hangs at 100 s.
    func cascade(readTimeout: Interval?) -> SystemModel {
        SystemModel(
            name: "cascade", run: testRun(seconds: 160),
            services: [
                ServiceSpec(name: "front", instances: 1,
                            entryPoints: [EntryPointSpec(name: "main", threads: 10, queueCapacity: 10, steps: [.cpu(.constant(0.005)), .call(0)])],
                            dependencies: [DependencySpec(name: "back", target: .service(name: "back", entryPoint: nil), readTimeout: readTimeout)]),
                ServiceSpec(name: "back", instances: 1,
                            entryPoints: [EntryPointSpec(name: "main", threads: 20, queueCapacity: 10, steps: [.cpu(.constant(0.005)), .call(0)])],
                            dependencies: [DependencySpec(name: "partner", target: .endpoint(name: "partner"))]),
            ],
            traffic: [TrafficSourceSpec(name: "users", target: "front", rate: 5)],
            endpoints: [EndpointSpec(name: "partner", latency: .exponential(mean: 0.05))],
            faults: [FaultSpec(target: "partner", start: .seconds(100), kind: .hang)])
    }

    @Test func `a hung callee blocks every caller thread within threads over arrival rate`() {
        let (_, sink) = simulate(cascade(readTimeout: nil))
        // 10 front threads at 5 requests per second: all blocked about 2 s after the hang.
        let calling = sink.series("front", "threadsInCall.back")
        let full = calling.first { $0.time >= 100 && $0.value >= 9.99 }
        #expect(full != nil)
        #expect((full?.time ?? 1000) <= 104, "front fully blocked from \(full?.time ?? -1)")
        #expect(sink.series("users", "goodput").suffix(30).everyRow { $0.value == 0 })
        #expect(sink.series("back", "threadsInCall.partner").last?.value ?? 0 > 9.99)
    }

    @Test func `a read timeout on the call keeps the caller's threads free`() {
        let (_, sink) = simulate(cascade(readTimeout: .seconds(1)))
        let calling = sink.series("front", "threadsInCall.back").filter { $0.time > 110 }.map(\.value).max() ?? 0
        #expect(calling < 8, "front threads in call: \(calling)")
        // Once the callee's threads and queue are full it refuses at once, so the caller fails fast.
        let errors = sink.series("front", "errors").suffix(30).map(\.value).reduce(0, +)
        #expect(errors > 100, "front errors in the last 30 s: \(errors)")
        #expect(sink.series("front", "timedOut").map(\.value).reduce(0, +) > 0)
    }
}
