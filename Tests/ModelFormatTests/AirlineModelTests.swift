import FailureChains
import ModelFormat
import SimulationKernel
import Testing

/// A whole airline-like model in the new format, with every kind of component, decoded at once.
struct AirlineModelTests {
    static let text = """
        {
          faultline: 1,
          name: "airline",
          run: { duration: "30h", seed: 2, interval: "1m" },
          services: [
            { name: "kiosk", instances: 2,
              entryPoints: [{ name: "checkin", threads: 40, queue: 50, steps: [{ cpu: { exponential: "5ms" } }, { call: "cf" }] }],
              dependencies: [{ name: "cf", service: "cf", entryPoint: "ejb" }],
              lifecycle: { restartDelay: "1m", startupTime: "9m" } },
            { name: "cf", instances: 4,
              entryPoints: [
                { name: "ejb", threads: 25, queue: "unbounded",
                  steps: [{ session: true }, { cpu: { exponential: "30ms" } }, { call: "db" }] },
                { name: "http", threads: 10, queue: 100, steps: [{ cpu: "2ms" }] },
              ],
              dependencies: [{ name: "db", endpoint: "oracle",
                               pool: { size: 40, checkoutTimeout: "none", leakOnError: true }, readTimeout: "none" }],
              balancer: { strategy: "leastOutstanding",
                          healthCheck: { interval: "10s", timeout: "2s", kind: "shallow", entryPoint: "http" } },
              lifecycle: { restartDelay: "never", warmupTime: "2m", warmupSlowdown: 2, resetsConnectionsOnCrash: false },
              heap: { size: "2GB", baseline: "500MB", sessionSize: "100KB", sessionTimeout: "20m" } },
          ],
          endpoints: [{ name: "oracle", latency: { exponential: "50ms" } }, { name: "cache", latency: "1ms" }],
          traffic: [
            { name: "kiosks", target: "kiosk", arrivals: "deterministic",
              profile: [{ at: "0s", rate: "0.8/min" }, { at: "3h25m", rate: "0.8/min" }, { at: "3h35m", rate: "12/s", shape: "ramp" }],
              clientTimeout: "30s", reload: { after: "10s", maximumAttempts: 3 } },
            { name: "web", target: "cf", entryPoint: "ejb", daily: { trough: "1/s", peak: "20/s", peakAt: "14h" },
              visit: { requests: 5, thinkTime: { exponential: "20s" } } },
            { name: "bots", target: "cf", entryPoint: "ejb", rate: "2/s", cookies: false },
          ],
          users: [{ name: "agents", target: "cf", entryPoint: "http", population: 30, thinkTime: "5s", requestsPerSession: 10 }],
          faults: [
            { at: "1h", duration: "10m", target: "oracle", kind: "slow", factor: 4 },
            { at: "1h10m", duration: "5m", target: "oracle", kind: "latency", latency: { lognormal: { median: "1s", p99: "5s" } } },
            { at: "1h20m", target: "oracle", kind: "failover", staleDelay: "2s" },
            { at: "2h", duration: "1m", target: "cache", kind: "hang" },
            { at: "2h5m", duration: "1m", target: "cache", kind: "refuse" },
            { at: "2h10m", duration: "1m", target: "cache", kind: "error", afterLatency: true },
            { at: "2h15m", duration: "1m", target: "cache", kind: "blackhole" },
            { at: "3h", target: "cf", kind: "leak", perRequest: "10KB" },
            { at: "4h30m", target: "cf[3]", kind: "crash" },
            { at: "5h", duration: "30m", target: "bots", kind: "spike", factor: 10 },
          ],
          expect: [],
        }
        """

    static func model() throws -> SystemModel { try loadModel(text) }

    @Test func `the run and the list of components are read in file order`() throws {
        let model = try Self.model()
        #expect(model.name == "airline")
        #expect(model.run.duration == .seconds(30 * 3_600))
        #expect(model.services.map(\.name) == ["kiosk", "cf"])
        #expect(model.endpoints == [EndpointSpec(name: "oracle", latency: .exponential(mean: 0.05)), EndpointSpec(name: "cache", latency: .constant(0.001))])
        #expect(model.traffic.map(\.name) == ["kiosks", "web", "bots"])
        #expect(model.expectations.isEmpty)
    }

    @Test func `cf has two entry points, a leaking pool, a health check on its status page, and a heap`() throws {
        let cf = try #require(try Self.model().services.last)
        #expect(cf.instances == 4)
        #expect(cf.entryPoints == [
            EntryPointSpec(name: "ejb", threads: 25, queueCapacity: nil, steps: [.session, .cpu(.exponential(mean: 0.03)), .call(0)]),
            EntryPointSpec(name: "http", threads: 10, queueCapacity: 100, steps: [.cpu(.constant(0.002))]),
        ])
        #expect(cf.dependencies == [DependencySpec(name: "db", target: .endpoint(name: "oracle"),
                                                   pool: PoolSpec(size: 40, checkoutTimeout: nil, leakOnError: true))])
        #expect(cf.balancer == BalancerSpec(strategy: .leastOutstanding, healthCheck: HealthCheckSpec(
            interval: .seconds(10), timeout: .seconds(2), unhealthyThreshold: 3, healthyThreshold: 2, kind: .shallow, entryPoint: 1)))
        #expect(cf.lifecycle == LifecycleSpec(startupTime: .zero, restartDelay: nil, warmupTime: .seconds(120), warmupSlowdown: 2,
                                              resetsConnectionsOnCrash: false))
        #expect(cf.heap == HeapSpec(size: 2_000_000_000, baseline: 500_000_000, sessionSize: 100_000, sessionTimeout: .seconds(1_200)))
    }

    @Test func `the kiosks call cf's ejb entry point with no timeout`() throws {
        let kiosk = try #require(try Self.model().services.first)
        #expect(kiosk.dependencies == [DependencySpec(name: "cf", target: .service(name: "cf", entryPoint: "ejb"))])
        #expect(kiosk.entryPoints.first?.steps == [.cpu(.exponential(mean: 0.005)), .call(0)])
        #expect(kiosk.lifecycle == LifecycleSpec(startupTime: .seconds(540), restartDelay: .seconds(60)))
        #expect(kiosk.heap == nil)
    }

    @Test func `traffic is read with its profile, daily curve, visits and client behaviour`() throws {
        let traffic = try Self.model().traffic
        #expect(traffic[0].arrivals == .deterministic)
        #expect(traffic[0].profile.points.map(\.shape) == [.step, .step, .ramp])
        #expect(traffic[0].profile.points.last == RateProfile.Point(time: .seconds(12_900), rate: 12, shape: .ramp))
        #expect(traffic[0].behaviour == ClientBehaviour(clientTimeout: .seconds(30), reloadAfter: .seconds(10), maximumAttempts: 3))
        #expect(traffic[1].entryPoint == "ejb")
        #expect(traffic[1].profile == RateProfile.daily(trough: 1, peak: 20, peakAt: .seconds(50_400), days: 2))
        #expect(traffic[1].requestsPerVisit == 5)
        #expect(traffic[1].thinkTime == .exponential(mean: 20))
        #expect(traffic[2].behaviour == ClientBehaviour(keepsCookies: false))
        #expect(traffic[2].profile == .constant(2))
    }

    @Test func `the agents are a closed population on the status page`() throws {
        #expect(try Self.model().users == [UserPopulationSpec(name: "agents", target: "cf", entryPoint: "http", size: 30,
                                                              thinkTime: .constant(5), requestsPerSession: 10)])
    }

    @Test func `faults of every kind are read in file order`() throws {
        let faults = try Self.model().faults
        #expect(faults.map(\.kindName) == ["slow", "latency", "failover", "hang", "refuse", "error", "blackhole", "leak", "crash", "spike"])
        #expect(faults[0] == FaultSpec(target: "oracle", start: .seconds(3_600), duration: .seconds(600), kind: .slow(factor: 4)))
        #expect(faults[1].kind == .latency(.lognormal(median: 1, p99: 5)))
        #expect(faults[2] == FaultSpec(target: "oracle", start: .seconds(4_800), duration: nil, kind: .failover(staleDelay: .seconds(2))))
        #expect(faults[5].kind == .error(afterLatency: true))
        #expect(faults[7] == FaultSpec(target: "cf", start: .seconds(10_800), kind: .leak(perRequest: 10_000, perSecond: 0)))
        #expect(faults[8] == FaultSpec(target: "cf[3]", start: .seconds(16_200), kind: .crash))
        #expect(faults[9] == FaultSpec(target: "bots", start: .seconds(18_000), duration: .seconds(1_800), kind: .spike(factor: 10)))
    }
}
