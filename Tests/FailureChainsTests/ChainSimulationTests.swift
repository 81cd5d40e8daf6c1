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
