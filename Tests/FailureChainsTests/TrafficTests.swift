import FailureChains
import SimulationKernel
import Testing

struct TrafficTests {
    func service(threads: Int = 50, serviceTime: Distribution = .constant(0.01)) -> ServiceSpec {
        ServiceSpec(name: "web", instances: 1, threads: threads, queueCapacity: 100, serviceTime: serviceTime)
    }

    @Test func `a ramp raises the rate in a straight line`() {
        let profile = RateProfile(points: [.init(time: .zero, rate: 0), .init(time: .seconds(100), rate: 100, shape: .ramp)])
        let model = SystemModel(name: "m", run: testRun(seconds: 200, interval: .seconds(10)), services: [service()],
                                traffic: [TrafficSourceSpec(name: "t", target: "web", profile: profile)])
        let (_, sink) = simulate(model)
        let offered = sink.series("t", "offered")
        // Interval [40, 50) has a mean rate of 45/s: 450 expected, Poisson sd ≈ 21.
        let middle = offered.first { $0.time == 40 }?.value ?? 0
        #expect(abs(middle - 450) < 5 * 21.2, "offered in [40, 50): \(middle)")
        let late = offered.filter { $0.time >= 100 }.map(\.value)
        #expect(late.allSatisfy { abs($0 - 1000) < 5 * 31.6 })
    }

    @Test func `a spike multiplies the rate for its duration and is announced`() {
        let model = SystemModel(name: "m", run: testRun(seconds: 60, interval: .seconds(10)), services: [service()],
                                traffic: [TrafficSourceSpec(name: "t", target: "web", rate: 10)],
                                faults: [FaultSpec(target: "t", start: .seconds(20), duration: .seconds(20), kind: .spike(factor: 5))])
        let (_, sink) = simulate(model)
        let offered = sink.series("t", "offered")
        #expect(offered.filter { $0.time >= 20 && $0.time < 40 }.everyRow { abs($0.value - 500) < 5 * 22.4 })
        #expect(offered.filter { $0.time >= 40 }.everyRow { abs($0.value - 100) < 5 * 10 })
        #expect(sink.events("rateChanged").map(\.detail) == ["\(rate: 10) -> \(rate: 50)", "\(rate: 50) -> \(rate: 10)"])
    }

    @Test func `a daily curve peaks at its peak time`() {
        let profile = RateProfile.daily(trough: 1, peak: 9, peakAt: .seconds(6 * 3600), days: 1)
        #expect(abs(profile.rate(at: .seconds(6 * 3600)) - 9) < 1e-9)
        #expect(abs(profile.rate(at: .seconds(18 * 3600)) - 1) < 1e-9)
        #expect(abs(profile.rate(at: .zero) - 5) < 1e-9)
    }

    @Test func `a client that times out gives up while the server works on`() {
        let behaviour = ClientBehaviour(clientTimeout: .milliseconds(500))
        let slow = service(threads: 1, serviceTime: .constant(2))
        let model = SystemModel(name: "m", run: testRun(seconds: 102, interval: .seconds(102)), services: [slow],
                                traffic: [TrafficSourceSpec(name: "t", target: "web", arrivals: .deterministic, profile: .constant(0.25), behaviour: behaviour)])
        let (result, _) = simulate(model)
        // Every request takes 2 s, the client waits 0.5 s: all are abandoned, yet the server completes them.
        #expect(result.value("abandoned", of: "t") == result.value("offered", of: "t"))
        #expect(result.value("goodput", of: "t") == 0)
        #expect((result.value("goodput", of: "web") ?? 0) >= 20)
    }

    @Test func `a reloading user sends the request again while the first is still served`() {
        let behaviour = ClientBehaviour(reloadAfter: .seconds(1), maximumAttempts: 3)
        let slow = service(threads: 10, serviceTime: .constant(2.5))
        let model = SystemModel(name: "m", run: testRun(seconds: 100, interval: .seconds(100)), services: [slow],
                                traffic: [TrafficSourceSpec(name: "t", target: "web", arrivals: .deterministic, profile: .constant(1), behaviour: behaviour)])
        let (result, _) = simulate(model)
        let offered = result.value("offered", of: "t") ?? 0
        // Reloads at 1 s and 2 s before the answer at 2.5 s: three requests reach the server for each one.
        #expect((result.value("reloads", of: "t") ?? 0) >= 2 * offered - 3)  // the last ones are cut off by the end
        #expect(abs((result.value("offered", of: "web") ?? 0) - 3 * offered) <= 3)
        // Each is answered 2.5 s after it was sent; the last ones are still waiting at the end.
        #expect((result.value("goodput", of: "t") ?? 0) >= offered - 3)
        #expect(result.value("abandoned", of: "t") == 0)
    }

    @Test(arguments: BalancerSpec.Strategy.allCases)
    func `every balancing strategy spreads requests over all instances`(strategy: BalancerSpec.Strategy) {
        let farm = ServiceSpec(name: "web", instances: 4,
                               entryPoints: [EntryPointSpec(name: "main", threads: 2, queueCapacity: 50, steps: [.cpu(.exponential(mean: 0.05))])],
                               balancer: BalancerSpec(strategy: strategy))
        let model = SystemModel(name: "m", run: testRun(seconds: 200, interval: .seconds(200)), services: [farm],
                                traffic: [TrafficSourceSpec(name: "t", target: "web", rate: 80)])
        let (result, _) = simulate(model)
        let counts = (0..<4).map { result.value("offered", of: "web[\($0)]") ?? 0 }
        let total = counts.reduce(0, +)
        #expect(counts.allSatisfy { $0 > total / 8 }, "\(strategy): \(counts)")
    }

    @Test func `least outstanding avoids the instance that is slow`() {
        let farm = ServiceSpec(name: "web", instances: 2,
                               entryPoints: [EntryPointSpec(name: "main", threads: 4, queueCapacity: 100, steps: [.cpu(.exponential(mean: 0.05)), .call(0)])],
                               dependencies: [DependencySpec(name: "db", target: .endpoint(name: "db"))],
                               balancer: BalancerSpec(strategy: .leastOutstanding))
        let model = SystemModel(name: "m", run: testRun(seconds: 100, interval: .seconds(100)), services: [farm],
                                traffic: [TrafficSourceSpec(name: "t", target: "web", rate: 40)],
                                endpoints: [EndpointSpec(name: "db", latency: .constant(0.001))])
        let (result, _) = simulate(model)
        let a = result.value("offered", of: "web[0]") ?? 0, b = result.value("offered", of: "web[1]") ?? 0
        #expect(abs(a - b) < 0.2 * (a + b))
    }
}

struct EndpointFaultTests {
    func model(_ kind: FaultSpec.Kind, dependency: DependencySpec) -> SystemModel {
        SystemModel(
            name: "m", run: testRun(seconds: 60, interval: .seconds(1)),
            services: [ServiceSpec(name: "app", instances: 1,
                                   entryPoints: [EntryPointSpec(name: "main", threads: 20, queueCapacity: 100, steps: [.call(0)])],
                                   dependencies: [dependency])],
            traffic: [TrafficSourceSpec(name: "t", target: "app", rate: 5)],
            endpoints: [EndpointSpec(name: "api", latency: .constant(0.1))],
            faults: [FaultSpec(target: "api", start: .seconds(20), duration: .seconds(20), kind: kind)])
    }

    @Test func `a refusing endpoint fails calls at once`() {
        let (_, sink) = simulate(model(.refuse, dependency: DependencySpec(name: "api", target: .endpoint(name: "api"))))
        let during = sink.series("app", "latencyP99").filter { $0.time >= 21 && $0.time < 40 }
        #expect(during.everyRow { $0.value < 0.001 }, "\(during)")
        #expect(sink.series("api", "refused").filter { $0.time >= 21 && $0.time < 40 }.map(\.value).reduce(0, +) > 60)
        #expect(sink.series("t", "goodput").filter { $0.time >= 41 }.map(\.value).reduce(0, +) > 60)
    }

    @Test func `an erroring endpoint fails calls after its latency when told to`() {
        let (_, sink) = simulate(model(.error(afterLatency: true), dependency: DependencySpec(name: "api", target: .endpoint(name: "api"))))
        let during = sink.series("app", "latencyMean").filter { $0.time >= 21 && $0.time < 40 }
        #expect(during.everyRow { abs($0.value - 0.1) < 0.001 }, "\(during)")
        #expect(sink.series("t", "goodput").filter { $0.time >= 21 && $0.time < 40 }.everyRow { $0.value == 0 })
    }

    @Test func `a blackholed endpoint holds new connections until the connect timeout`() {
        let dependency = DependencySpec(name: "api", target: .endpoint(name: "api"), connectTimeout: .seconds(3), readTimeout: .seconds(1))
        let (_, sink) = simulate(model(.blackhole, dependency: dependency))
        let during = sink.series("app", "latencyMean").filter { $0.time >= 25 && $0.time < 40 }
        // At least the connect timeout; more when a burst made requests queue for a thread.
        #expect(during.everyRow { $0.value >= 3 - 1e-9 }, "\(during)")
        #expect(sink.series("app", "timedOut").filter { $0.time >= 25 && $0.time < 40 }.everyRow { $0.value > 0 })
    }

    @Test func `a slow endpoint answers factor times slower`() {
        let (_, sink) = simulate(model(.slow(factor: 4), dependency: DependencySpec(name: "api", target: .endpoint(name: "api"))))
        let during = sink.series("app", "latencyMean").filter { $0.time >= 21 && $0.time < 40 }
        #expect(during.everyRow { abs($0.value - 0.4) < 0.001 }, "\(during)")
        let after = sink.series("app", "latencyMean").filter { $0.time >= 41 }
        #expect(after.everyRow { abs($0.value - 0.1) < 0.001 })
    }
}

struct ClientTokenTests {
    @Test func `a visitor's timeouts never fire on the next visitor that reuses its slot`() {
        // Answers take 10 ms; the clients would abandon only after 5 s. None may abandon or reload.
        let behaviour = ClientBehaviour(clientTimeout: .seconds(5), reloadAfter: .seconds(2), maximumAttempts: 2)
        let model = SystemModel(name: "m", run: testRun(seconds: 120, interval: .seconds(120)),
                                services: [ServiceSpec(name: "web", instances: 1, threads: 50, queueCapacity: 100, serviceTime: .constant(0.01))],
                                traffic: [TrafficSourceSpec(name: "t", target: "web", profile: .constant(20), behaviour: behaviour)])
        let (result, _) = simulate(model)
        #expect(result.value("abandoned", of: "t") == 0)
        #expect(result.value("reloads", of: "t") == 0)
        #expect(result.value("successRatio", of: "t") == 1)
    }
}
