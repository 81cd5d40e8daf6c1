import FailureChains
import SimulationKernel
import Testing

/// The stability patterns in the engine: each contains the chain it is meant to contain.
struct PatternEffectTests {
    func flaky(errorProbability: Double, retry: RetryPolicy?) -> SystemModel {
        SystemModel(
            name: "flaky", run: testRun(seconds: 2_000, interval: .seconds(2_000)),
            services: [ServiceSpec(name: "app", instances: 1,
                                   entryPoints: [EntryPointSpec(name: "main", threads: 200, queueCapacity: nil, steps: [.call(0)])],
                                   dependencies: [DependencySpec(name: "api", target: .endpoint(name: "api"), retry: retry)])],
            traffic: [TrafficSourceSpec(name: "t", target: "app", rate: 50)],
            endpoints: [EndpointSpec(name: "api", latency: .constant(0.01), errorProbability: errorProbability)])
    }

    /// Independent failures with probability f and n retries: success 1 − f^(n+1), attempts Σ f^k.
    @Test(arguments: [(0.3, 2), (0.5, 3), (0.1, 1)])
    func `retries reach the closed-form success rate and load`(f: Double, retries: Int) {
        let (result, _) = simulate(flaky(errorProbability: f, retry: RetryPolicy(maximumAttempts: retries + 1)))
        let calls = result.value("callsTotal.api", of: "app") ?? 0
        let attempts = result.value("callAttemptsTotal.api", of: "app") ?? 0
        let success = (result.value("goodput", of: "app") ?? 0) / (result.value("completed", of: "app") ?? 1)
        var power = 1.0
        var load = 0.0
        for _ in 0...retries { load += power; power *= f }
        let expectedSuccess = 1 - power
        // About 100,000 calls: binomial standard errors well under 0.5%.
        #expect(abs(success - expectedSuccess) < 0.005, "success \(success) vs \(expectedSuccess)")
        #expect(abs(attempts / calls - load) < 0.01, "attempts per call \(attempts / calls) vs \(load)")
    }

    @Test func `without retries the success rate is one minus f`() {
        let (result, _) = simulate(flaky(errorProbability: 0.2, retry: nil))
        let success = (result.value("goodput", of: "app") ?? 0) / (result.value("completed", of: "app") ?? 1)
        #expect(abs(success - 0.8) < 0.005)
    }

    /// gRPC's C core records a failure in the bucket only when its status is one the policy retries.
    @Test func `failures the policy does not retry take no token from the bucket`() throws {
        let retry = RetryPolicy(maximumAttempts: 2, retryOn: .timeout, budget: .grpcDefault)
        let model = SystemModel(
            name: "m", run: testRun(seconds: 50, interval: .seconds(10)),
            services: [ServiceSpec(name: "web", instances: 1,
                entryPoints: [EntryPointSpec(name: "main", threads: 100, queueCapacity: 100, steps: [.call(0)])],
                dependencies: [DependencySpec(name: "api", target: .endpoint(name: "api"), readTimeout: .milliseconds(500), retry: retry)])],
            traffic: [TrafficSourceSpec(name: "t", target: "web", arrivals: .deterministic, rate: 1)],
            endpoints: [EndpointSpec(name: "api", latency: .constant(0.01))],
            faults: [FaultSpec(target: "api", start: .seconds(10), duration: .seconds(20), kind: .error(afterLatency: false)),
                     FaultSpec(target: "api", start: .seconds(30), duration: .seconds(10), kind: .hang)])
        let (result, _) = simulate(model)
        let calls = try #require(result.value("callsTotal.api", of: "web"))
        let attempts = try #require(result.value("callAttemptsTotal.api", of: "web"))
        #expect(try #require(result.value("failed", of: "api")) == 20)
        // The 20 errors are not retried and leave the bucket full, so the hang's first timeouts are
        // retried: 10 → 9 (retry) → 8 → 7 (retry) → 6 → 5, no longer above half.
        #expect(attempts - calls == 2)
    }

    /// The cascade of FailureChainTests, with a breaker and a read timeout on the front's call.
    func cascade(breaker: CircuitBreakerSpec?) -> SystemModel {
        SystemModel(
            name: "cascade", run: testRun(seconds: 200),
            services: [
                ServiceSpec(name: "front", instances: 1,
                            entryPoints: [EntryPointSpec(name: "main", threads: 10, queueCapacity: 10, steps: [.cpu(.constant(0.005)), .call(0)])],
                            dependencies: [DependencySpec(name: "back", target: .service(name: "back", entryPoint: nil),
                                                          readTimeout: .seconds(2), breaker: breaker)]),
                ServiceSpec(name: "back", instances: 1,
                            entryPoints: [EntryPointSpec(name: "main", threads: 100, queueCapacity: 100, steps: [.cpu(.constant(0.005)), .call(0)])],
                            dependencies: [DependencySpec(name: "partner", target: .endpoint(name: "partner"), readTimeout: .seconds(30))]),
            ],
            traffic: [TrafficSourceSpec(name: "users", target: "front", rate: 5)],
            endpoints: [EndpointSpec(name: "partner", latency: .exponential(mean: 0.05))],
            faults: [FaultSpec(target: "partner", start: .seconds(50), duration: .seconds(60), kind: .hang)])
    }

    @Test func `a breaker turns a hung dependency's timeouts into fast failures and closes after it recovers`() {
        let spec = CircuitBreakerSpec(kind: .consecutive(failureThreshold: 5, resetTimeout: .seconds(10)))
        let (_, sink) = simulate(cascade(breaker: spec))
        let opened = sink.events("breakerOpened")
        #expect(opened.first.map { $0.time.seconds > 50 && $0.time.seconds < 54 } == true, "opened at \(opened.map(\.time.seconds))")
        // While open, calls fail at once: front threads stay nearly idle.
        let calling = sink.series("front", "threadsInCall.back").filter { $0.time >= 60 && $0.time < 110 }.map(\.value)
        #expect((calling.max() ?? 10) < 1.5, "threads in call while open: \(calling.max() ?? -1)")
        #expect(sink.series("front", "rejectedByBreaker.back").filter { $0.time >= 60 && $0.time < 110 }.map(\.value).reduce(0, +) > 150)
        // The partner recovers at 110; a trial within 10 s closes the breaker.
        let closed = sink.events("breakerClosed")
        #expect(closed.last.map { $0.time.seconds > 110 && $0.time.seconds < 125 } == true, "closed at \(closed.map(\.time.seconds))")
        #expect(sink.series("users", "successRatio").filter { $0.time >= 130 }.everyRow { $0.value == 1 })
    }

    @Test func `without the breaker the same threads wait out every timeout`() {
        let (_, sink) = simulate(cascade(breaker: nil))
        let calling = sink.series("front", "threadsInCall.back").filter { $0.time >= 60 && $0.time < 110 }.map(\.value)
        // 5 requests a second each holding a thread for the 2 s timeout: about 10 threads, all of them.
        let mean = calling.reduce(0, +) / Double(max(calling.count, 1))
        #expect(mean > 8.5, "threads in call without a breaker: \(mean)")
    }

    @Test func `a fallback answers in place of the rejected call`() {
        let spec = CircuitBreakerSpec(kind: .consecutive(failureThreshold: 5, resetTimeout: .seconds(10)), fallback: .answer(cost: .constant(0.001)))
        let (_, sink) = simulate(cascade(breaker: spec))
        // With a cached answer the users see success even while the partner hangs (but for the calls that tripped it).
        let ratios = sink.series("users", "successRatio").filter { $0.time >= 60 && $0.time < 110 }.map(\.value)
        let mean = ratios.reduce(0, +) / Double(ratios.count)
        #expect(mean > 0.95 && ratios.allSatisfy { $0 >= 0.5 }, "\(ratios)")
    }

    @Test func `work the caller gave up on is counted as wasted at the callee`() {
        let (result, _) = simulate(cascade(breaker: nil))
        // The front waits 2 s, the back's calls to the hung partner end only at their 30 s timeout.
        #expect((result.value("wasted", of: "back") ?? 0) > 100)
        #expect(result.value("wasted", of: "front") == 0)
    }
}
