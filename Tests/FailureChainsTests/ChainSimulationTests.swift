import FailureChains
import SimulationKernel
import Testing

struct ChainSimulationTests {
    @Test func `a single-thread service waits about as long as M/M/1 predicts`() {
        let model = SystemModel(name: "m", run: testRun(seconds: 20_000, interval: .seconds(1000)),
            services: [ServiceSpec(name: "s", instances: 1, threads: 1, queueCapacity: nil, serviceTime: .exponential(mean: 0.1))],
            traffic: [TrafficSourceSpec(name: "t", target: "s", rate: 5)])
        let (result, _) = simulate(model)
        let wait = result.value("waitMean", of: "s") ?? 0
        #expect(abs(wait - 0.1) < 0.01, "wait \(wait)")
        #expect(result.value("goodput", of: "s") == result.value("completed", of: "s"))
    }

    @Test func `the same model and seed give the same fingerprint`() {
        let model = SystemModel(name: "m", run: testRun(seconds: 100),
            services: [ServiceSpec(name: "s", instances: 2, threads: 2, queueCapacity: 5, serviceTime: .exponential(mean: 0.1))],
            traffic: [TrafficSourceSpec(name: "t", target: "s", rate: 30)])
        #expect(simulate(model).result.outcome.fingerprint == simulate(model).result.outcome.fingerprint)
    }
}

struct TransactionMixTests {
    @Test func `a mix sends each branch its share of the requests, nested mixes included`() {
        let steps: [Step] = [
            .cpu(.constant(0.001)),
            .choose([
                StepBranch(weight: 7, steps: []),
                StepBranch(weight: 2, steps: [.call(0)]),
                StepBranch(weight: 1, steps: [.choose([StepBranch(weight: 1, steps: [.call(1)]), StepBranch(weight: 1, steps: [.call(0), .call(1)])])]),
            ]),
            .cpu(.constant(0.001)),
        ]
        let model = SystemModel(
            name: "m", run: testRun(seconds: 2_000, interval: .seconds(2_000)),
            services: [ServiceSpec(name: "web", instances: 1,
                entryPoints: [EntryPointSpec(name: "main", threads: 50, queueCapacity: nil, steps: steps)],
                dependencies: [DependencySpec(name: "a", target: .endpoint(name: "a")), DependencySpec(name: "b", target: .endpoint(name: "b"))])],
            traffic: [TrafficSourceSpec(name: "t", target: "web", rate: 50)],
            endpoints: [EndpointSpec(name: "a", latency: .constant(0.001)), EndpointSpec(name: "b", latency: .constant(0.001))])
        let (result, _) = simulate(model)
        let requests = result.value("completed", of: "web") ?? 0
        let a = result.value("callsTotal.a", of: "web") ?? 0
        let b = result.value("callsTotal.b", of: "web") ?? 0
        // a: 20% + 5% = 25% of requests; b: 10%. About 100,000 requests: a few tenths of a percent of error.
        #expect(abs(a / requests - 0.25) < 0.005, "a \(a / requests)")
        #expect(abs(b / requests - 0.10) < 0.004, "b \(b / requests)")
        #expect(result.value("goodput", of: "web") == requests)
    }
}
