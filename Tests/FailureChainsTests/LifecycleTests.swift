import FailureChains
import SimulationKernel
import Testing

struct LifecycleTests {
    func farm(instances: Int = 2, lifecycle: LifecycleSpec = LifecycleSpec(), healthCheck: HealthCheckSpec? = nil,
              heap: HeapSpec? = nil, faults: [FaultSpec], steps: [Step] = [.cpu(.constant(0.01))], seconds: Int64 = 200,
              traffic: [TrafficSourceSpec]? = nil) -> SystemModel {
        SystemModel(
            name: "farm", run: testRun(seconds: seconds),
            services: [ServiceSpec(name: "web", instances: instances,
                                   entryPoints: [EntryPointSpec(name: "main", threads: 4, queueCapacity: 10, steps: steps)],
                                   balancer: BalancerSpec(healthCheck: healthCheck), lifecycle: lifecycle, heap: heap)],
            traffic: traffic ?? [TrafficSourceSpec(name: "users", target: "web", rate: 20)],
            faults: faults)
    }

    @Test func `a crashed instance restarts after its delay and start-up time`() {
        let model = farm(lifecycle: LifecycleSpec(startupTime: .seconds(20), restartDelay: .seconds(10)),
                         faults: [FaultSpec(target: "web[1]", start: .seconds(50), kind: .crash)])
        let (result, sink) = simulate(model)
        let crashed = sink.events("instanceCrashed")
        #expect(crashed.map(\.time.seconds) == [50])
        #expect(sink.events("instanceRestarting").map(\.time.seconds) == [60])
        #expect(sink.events("instanceUp").map(\.time.seconds) == [80])
        let up = sink.series("web[1]", "up")
        #expect(up.first { $0.time == 55 }?.value == 0)
        #expect(up.first { $0.time == 85 }?.value == 1)
        // Without health checks the balancer keeps sending requests to the dead instance: refused.
        #expect((result.value("refused", of: "web[1]") ?? 0) > 200)
        #expect(result.value("crashes", of: "web") == 1)
    }

    @Test func `health checks eject a dead instance and readmit it when it answers again`() {
        let check = HealthCheckSpec(interval: .seconds(5), timeout: .seconds(1), unhealthyThreshold: 2, healthyThreshold: 2, kind: .shallow, entryPoint: 0)
        let model = farm(lifecycle: LifecycleSpec(startupTime: .seconds(20), restartDelay: .seconds(10)), healthCheck: check,
                         faults: [FaultSpec(target: "web[1]", start: .seconds(52), kind: .crash)])
        let (_, sink) = simulate(model)
        let ejected = sink.events("instanceEjected")
        #expect(ejected.map(\.time.seconds) == [60])
        #expect(ejected.first?.cause == "healthCheckFailed \(2)x (refused)")
        let readmitted = sink.events("instanceReadmitted")
        #expect(readmitted.map(\.time.seconds) == [90.01])  // the probe at 90 s takes its 10 ms of CPU
        #expect(sink.series("web", "instancesAdmitted").first { $0.time == 70 }?.value == 1)
    }

    @Test func `a memory leak makes a farm crash one instance after another, ever faster`() {
        // A leaky release rolls out one instance every 10 s; each request leaks 1 MiB of a heap
        // with 80 MiB to spare. Health checks eject the dead, and the survivors take their load,
        // so each leaks faster than the one before: the intervals between crashes shrink.
        let heap = HeapSpec(size: 100 << 20, baseline: 20 << 20, sessionSize: 0, sessionTimeout: .seconds(60))
        let check = HealthCheckSpec(interval: .seconds(1), timeout: .milliseconds(500), unhealthyThreshold: 1, healthyThreshold: 1, kind: .shallow, entryPoint: 0)
        let rollout = (0..<8).map { FaultSpec(target: "web[\($0)]", start: .seconds(Int64($0) * 10), kind: .leak(perRequest: 1 << 20, perSecond: 0)) }
        let model = farm(instances: 8, lifecycle: LifecycleSpec(restartDelay: nil), healthCheck: check, heap: heap, faults: rollout,
                         seconds: 200, traffic: [TrafficSourceSpec(name: "users", target: "web", rate: 8)])
        let (_, sink) = simulate(model)
        let crashes = sink.events("instanceCrashed").map { $0.time.seconds }
        #expect(crashes.count == 8, "crash times \(crashes)")
        #expect(sink.count(of: "outOfMemory") == 8)
        let gaps = zip(crashes.dropFirst(), crashes).map { $0 - $1 }
        #expect(gaps.count == 7)
        // Each gap shorter than the rollout's 10 s, and the last ones far shorter than the first.
        #expect(gaps.allSatisfy { $0 < 10 }, "gaps \(gaps)")
        #expect((gaps.last ?? 10) < (gaps.first ?? 0) / 2, "gaps \(gaps)")
    }

    @Test func `bots without cookies fill the heap with sessions until it runs out`() {
        let heap = HeapSpec(size: 64 << 20, baseline: 16 << 20, sessionSize: 1 << 20, sessionTimeout: .seconds(600))
        let bots = TrafficSourceSpec(name: "bots", target: "web", profile: .constant(2), requestsPerVisit: 5, thinkTime: .constant(1),
                                     behaviour: ClientBehaviour(keepsCookies: false))
        let model = farm(instances: 1, lifecycle: LifecycleSpec(restartDelay: nil), heap: heap, faults: [],
                         steps: [.session, .cpu(.constant(0.01))], seconds: 100, traffic: [bots])
        let (_, sink) = simulate(model)
        let oom = sink.events("outOfMemory")
        #expect(oom.count == 1)
        // 48 MiB of room at 1 MiB a session and 2 × 5 new sessions a second (one per request): about 5 s.
        #expect(oom.first.map { $0.time.seconds > 3 && $0.time.seconds < 8 } == true, "out of memory at \(oom.first?.time.seconds ?? -1)")
        #expect(sink.count(of: "gcPressureStarted") == 1)
    }

    @Test func `visitors who keep cookies reuse one session each`() {
        let heap = HeapSpec(size: 64 << 20, baseline: 16 << 20, sessionSize: 1 << 20, sessionTimeout: .seconds(600))
        let visitors = TrafficSourceSpec(name: "visitors", target: "web", profile: .constant(2), requestsPerVisit: 5, thinkTime: .constant(1))
        let model = farm(instances: 1, heap: heap, faults: [], steps: [.session, .cpu(.constant(0.01))], seconds: 10, traffic: [visitors])
        let (_, sink) = simulate(model)
        #expect(sink.count(of: "outOfMemory") == 0)
        let sessions = sink.series("web", "sessions").last?.value ?? 0
        #expect(sessions > 12 && sessions < 30, "sessions \(sessions)")
    }
}
