import FailureChains
import SimulationKernel
import Testing

/// Admission control at an entry point, run through the engine.
struct AdmissionChainTests {
    private func model(admission: AdmissionSpec, threads: Int = 50, queue: Int? = 100, serviceTime: Double = 0.01,
                       traffic: [TrafficSourceSpec], seconds: Int64 = 100) -> SystemModel {
        let entry = EntryPointSpec(name: "main", threads: threads, queueCapacity: queue, steps: [.cpu(.constant(serviceTime))],
                                   admission: admission)
        return SystemModel(name: "m", run: testRun(seconds: seconds, interval: .seconds(10)),
                           services: [ServiceSpec(name: "web", instances: 2, entryPoints: [entry])], traffic: traffic)
    }

    private func source(_ name: String, rate: Double) -> TrafficSourceSpec {
        TrafficSourceSpec(name: name, target: "web", arrivals: .deterministic, rate: rate)
    }

    @Test func `a rate limit admits its rate and refuses the rest at once, before the balancer`() {
        let (result, sink) = simulate(model(admission: AdmissionSpec(rate: 50, burst: 1), traffic: [source("t", rate: 100)]))
        // Arrivals every 10 ms, a token every 20 ms: every other one is admitted.
        #expect(result.value("offered", of: "web") == 10_000)
        #expect(result.value("rateLimited", of: "web") == 5_000)
        #expect(result.value("refused", of: "web") == 5_000)
        #expect(result.value("concurrencyLimited", of: "web") == 0)
        #expect((result.value("offered", of: "web[0]") ?? 0) + (result.value("offered", of: "web[1]") ?? 0) == 5_000)
        #expect(result.value("refused", of: "t") == 5_000)
        // Each 10 s interval: 1 000 arrivals, 500 refused (one more or less where the alternation meets a boundary).
        #expect(sink.series("web", "rateLimited").everyRow { abs($0.value - 500) <= 1 })
    }

    @Test func `a limit per source gives each source its own bucket`() {
        let (result, _) = simulate(model(admission: AdmissionSpec(rate: 20, burst: 1, perSource: true),
                                         traffic: [source("flood", rate: 100), source("customers", rate: 10)]))
        #expect(result.value("refused", of: "customers") == 0)
        #expect((result.value("goodput", of: "customers") ?? 0) >= 999, "the last may be cut off by the end")
        // The flood's bucket gives it one request in five.
        #expect(result.value("goodput", of: "flood") == 2_000)
        #expect(result.value("rateLimited", of: "web") == 8_000)
    }

    @Test func `one bucket for all lets the flood take the customers' tokens`() {
        let (result, _) = simulate(model(admission: AdmissionSpec(rate: 20, burst: 1),
                                         traffic: [source("flood", rate: 100), source("customers", rate: 10)]))
        #expect((result.value("refused", of: "customers") ?? 0) > 0)
        #expect((result.value("goodput", of: "flood") ?? 0) + (result.value("goodput", of: "customers") ?? 0) <= 2_001)
    }

    @Test func `a concurrency limit holds a place until the request is answered`() {
        // 20 requests a second of 1 s each, at most 5 at once: 5 a second are served.
        let (result, sink) = simulate(model(admission: AdmissionSpec(concurrency: 5), serviceTime: 1, traffic: [source("t", rate: 20)]))
        let goodput = result.value("goodput", of: "t") ?? 0
        #expect(abs(goodput - 500) <= 5, "goodput \(goodput)")
        #expect(sink.series("web", "threadsBusy").everyRow { $0.value <= 5 + 1e-9 })
        #expect(abs((result.value("concurrencyLimited", of: "web") ?? 0) - 1_500) <= 5)
    }

    @Test func `an admitted request that no instance takes gives its place back at once`() {
        // One thread and no queue an instance: the limit of 10 is never reached by requests held,
        // only by places never given back, which would refuse everything after the tenth.
        let (result, _) = simulate(model(admission: AdmissionSpec(concurrency: 10), threads: 1, queue: 0, serviceTime: 1,
                                         traffic: [source("t", rate: 20)]))
        #expect(result.value("concurrencyLimited", of: "web") == 0)
        #expect(abs((result.value("goodput", of: "t") ?? 0) - 200) <= 2)
        #expect((result.value("refused", of: "web[0]") ?? 0) > 0)
    }
}
