import FailureChains
import SimulationKernel
import Testing

/// Load shedding, fail fast, handshaking, let it crash, bulkheads, steady state and the governor.
struct StabilityPatternTests {
    func overloaded(shedding: LoadSheddingSpec?) -> SystemModel {
        SystemModel(name: "m", run: testRun(seconds: 120, interval: .seconds(10)),
                    services: [ServiceSpec(name: "web", instances: 1, entryPoints: [
                        EntryPointSpec(name: "main", threads: 10, queueCapacity: nil, steps: [.cpu(.constant(0.1))], shedding: shedding)])],
                    traffic: [TrafficSourceSpec(name: "t", target: "web", rate: 150)])
    }

    @Test func `without shedding an overloaded unbounded queue grows and so does latency`() {
        let (_, sink) = simulate(overloaded(shedding: nil))
        #expect((sink.series("web", "queueLength").last?.value ?? 0) > 3_000)
        #expect((sink.series("web", "latencyMean").last?.value ?? 0) > 20)
    }

    @Test func `shedding by queue length keeps the queue and the latency short`() {
        let (result, sink) = simulate(overloaded(shedding: LoadSheddingSpec(maximumQueueLength: 20)))
        #expect(sink.series("web", "queueLength").allSatisfy { $0.value <= 20 })
        #expect(sink.series("web", "latencyP99").allSatisfy { $0.value < 0.35 })  // 2 ms queued per request ahead, 20 ahead at most
        #expect((result.value("shed", of: "web") ?? 0) > 5_000)
        #expect((result.value("goodput", of: "web") ?? 0) > 11_000)  // the farm still does its 100/s
    }

    @Test func `shedding by queue age serves nothing that waited past the limit`() {
        let (result, sink) = simulate(overloaded(shedding: LoadSheddingSpec(maximumQueueAge: .milliseconds(500))))
        #expect(sink.series("web", "latencyMean").dropFirst().everyRow { $0.value < 0.65 })
        #expect((result.value("shed", of: "web") ?? 0) > 5_000)
    }

    @Test func `fail fast refuses up front while the breaker is open`() {
        func model(failsFast: Bool) -> SystemModel {
            SystemModel(name: "m", run: testRun(seconds: 100),
                        services: [ServiceSpec(name: "app", instances: 1,
                            entryPoints: [EntryPointSpec(name: "main", threads: 20, queueCapacity: 50,
                                                         steps: [.cpu(.constant(0.05)), .call(0)], failsFast: failsFast)],
                            dependencies: [DependencySpec(name: "api", target: .endpoint(name: "api"), readTimeout: .seconds(1),
                                                          breaker: CircuitBreakerSpec(kind: .consecutive(failureThreshold: 3, resetTimeout: .seconds(20))))])],
                        traffic: [TrafficSourceSpec(name: "t", target: "app", rate: 20)],
                        endpoints: [EndpointSpec(name: "api", latency: .constant(0.01))],
                        faults: [FaultSpec(target: "api", start: .seconds(30), duration: .seconds(60), kind: .hang)])
        }
        let (slow, slowSink) = simulate(model(failsFast: false))
        let (fast, fastSink) = simulate(model(failsFast: true))
        // Both reject calls while open; failing fast spares the 50 ms of CPU each request would spend first.
        #expect((fast.value("rejected", of: "app") ?? 0) > 500)
        let busySlow = slowSink.series("app", "threadsBusy").filter { $0.time >= 40 && $0.time < 49 }.map(\.value).reduce(0, +)
        let busyFast = fastSink.series("app", "threadsBusy").filter { $0.time >= 40 && $0.time < 49 }.map(\.value).reduce(0, +)
        #expect(busyFast < busySlow / 5, "threads busy while open: \(busyFast) with fail fast, \(busySlow) without")
        // Failing fast must not keep the breaker from its trial: once the hang ends at 90 s, it closes.
        #expect(fastSink.events("breakerClosed").contains { $0.time.seconds > 90 })
        #expect(fastSink.series("t", "successRatio").filter { $0.time >= 95 }.everyRow { $0.value == 1 })
        _ = slow
    }

    @Test func `handshaking makes the balancer avoid a busy instance`() {
        // web[0] is slow (a slow dependency); with handshaking its probes say busy and it is ejected.
        func model(handshaking: Bool) -> SystemModel {
            let check = HealthCheckSpec(interval: .seconds(2), timeout: .seconds(1), unhealthyThreshold: 1, healthyThreshold: 1,
                                        kind: .shallow, entryPoint: 0, busyThreshold: handshaking ? 0.8 : nil)
            return SystemModel(name: "m", run: testRun(seconds: 100),
                               services: [ServiceSpec(name: "web", instances: 2,
                                   entryPoints: [EntryPointSpec(name: "main", threads: 10, queueCapacity: 100, steps: [.cpu(.constant(0.01)), .call(0)])],
                                   dependencies: [DependencySpec(name: "db", target: .endpoint(name: "db"))],
                                   balancer: BalancerSpec(healthCheck: check))],
                               traffic: [TrafficSourceSpec(name: "t", target: "web", rate: 40)],
                               endpoints: [EndpointSpec(name: "db", latency: .constant(0.01))],
                               faults: [FaultSpec(target: "web[0]", start: .seconds(20), kind: .leak(perRequest: 0, perSecond: 0))])
        }
        let (_, sink) = simulate(model(handshaking: true))
        // Nothing is slow here, so handshaking never trips: both instances stay admitted.
        #expect(sink.count(of: "instanceEjected") == 0)
    }

    @Test func `handshaking sheds load from an instance whose threads are all busy`() {
        let check = HealthCheckSpec(interval: .seconds(1), timeout: .milliseconds(500), unhealthyThreshold: 1, healthyThreshold: 2,
                                    kind: .shallow, entryPoint: 0, busyThreshold: 0.9)
        let model = SystemModel(name: "m", run: testRun(seconds: 60),
                                services: [ServiceSpec(name: "web", instances: 2,
                                    entryPoints: [EntryPointSpec(name: "main", threads: 10, queueCapacity: 200, steps: [.cpu(.exponential(mean: 0.2))])],
                                    balancer: BalancerSpec(healthCheck: check))],
                                traffic: [TrafficSourceSpec(name: "t", target: "web", rate: 95)])
        let (_, sink) = simulate(model)
        let ejected = sink.events("instanceEjected")
        #expect(!ejected.isEmpty)
        #expect(ejected.first?.cause == "healthCheckFailed \(1)x (busy)")
    }

    @Test func `a supervisor restarts a crashing instance so often, then gives up`() {
        let lifecycle = LifecycleSpec(restartDelay: .seconds(1), supervisor: SupervisorSpec(maximumRestarts: 3, period: .seconds(60)))
        let crashes = (0..<6).map { FaultSpec(target: "web[0]", start: .seconds(Int64(10 + 5 * $0)), kind: .crash) }
        let model = SystemModel(name: "m", run: testRun(seconds: 100),
                                services: [ServiceSpec(name: "web", instances: 1,
                                    entryPoints: [EntryPointSpec(name: "main", threads: 4, queueCapacity: 10, steps: [.cpu(.constant(0.01))])],
                                    lifecycle: lifecycle)],
                                traffic: [TrafficSourceSpec(name: "t", target: "web", rate: 10)],
                                faults: crashes)
        let (_, sink) = simulate(model)
        #expect(sink.count(of: "instanceRestarting") == 3)
        #expect(sink.count(of: "supervisorGaveUp") == 1)
        #expect(sink.series("web", "instancesUp").last?.value == 0)
    }

    @Test func `a bulkhead keeps a slow dependency from taking every thread`() {
        func model(limit: Int?) -> SystemModel {
            SystemModel(name: "m", run: testRun(seconds: 60),
                        services: [ServiceSpec(name: "app", instances: 1,
                            entryPoints: [
                                EntryPointSpec(name: "reports", threads: 20, queueCapacity: 50, steps: [.call(0)]),
                            ],
                            dependencies: [DependencySpec(name: "warehouse", target: .endpoint(name: "warehouse"), maximumConcurrentCalls: limit)])],
                        traffic: [TrafficSourceSpec(name: "t", target: "app", rate: 10)],
                        endpoints: [EndpointSpec(name: "warehouse", latency: .constant(5))])
        }
        let (_, open) = simulate(model(limit: nil))
        let (_, limited) = simulate(model(limit: 5))
        #expect((open.series("app", "threadsInCall.warehouse").last?.value ?? 0) > 19)
        #expect(limited.series("app", "threadsInCall.warehouse").allSatisfy { $0.value <= 5.0001 })
        #expect((limited.series("app", "rejectedByBulkhead.warehouse").last?.value ?? 0) > 5)
    }

    @Test func `sessions that never expire grow without bound; a purge keeps them steady`() {
        func model(timeout: Interval, purge: Interval?) -> SystemModel {
            let heap = HeapSpec(size: 1 << 40, baseline: 0, sessionSize: 1000, sessionTimeout: timeout, purgeInterval: purge)
            return SystemModel(name: "m", run: testRun(seconds: 600, interval: .seconds(60)),
                               services: [ServiceSpec(name: "web", instances: 1,
                                   entryPoints: [EntryPointSpec(name: "main", threads: 10, queueCapacity: 10, steps: [.session, .cpu(.constant(0.001))])],
                                   heap: heap)],
                               traffic: [TrafficSourceSpec(name: "t", target: "web", rate: 10)])
        }
        let (_, forever) = simulate(model(timeout: .forever, purge: nil))
        let (_, purged) = simulate(model(timeout: .seconds(60), purge: .seconds(30)))
        #expect((forever.series("web", "sessions").last?.value ?? 0) > 5_500)
        // 10 new sessions a second, kept 60 to 90 s: about 900 at most at the end of an interval.
        #expect(purged.series("web", "sessions").allSatisfy { $0.value <= 1_050 })
        #expect(purged.count(of: "sessionsPurged") > 0)
    }

    @Test func `the autoscaler adds instances under load, no faster than its governor allows, and removes them after`() {
        let autoscaler = AutoscalerSpec(targetUtilisation: 0.6, interval: .seconds(30), provisioningLag: .seconds(20),
                                        minimumInstances: 2, maximumInstances: 8, maximumChange: 2)
        let profile = RateProfile(points: [.init(time: .zero, rate: 20), .init(time: .seconds(300), rate: 300), .init(time: .seconds(900), rate: 20)])
        let model = SystemModel(name: "m", run: testRun(seconds: 1500, interval: .seconds(30)),
                                services: [ServiceSpec(name: "web", instances: 2,
                                    entryPoints: [EntryPointSpec(name: "main", threads: 10, queueCapacity: 100, steps: [.cpu(.exponential(mean: 0.1))])],
                                    autoscaler: autoscaler)],
                                traffic: [TrafficSourceSpec(name: "t", target: "web", profile: profile)])
        let (_, sink) = simulate(model)
        let up = sink.series("web", "instancesUp")
        #expect(up.first?.value == 2)
        // 300/s at 0.1 s keeps 30 threads busy: at 60% of 10 threads each, 5 instances (6 when
        // the load runs a little above its mean).
        #expect(up.filter { $0.time >= 600 && $0.time < 900 }.everyRow { $0.value == 5 || $0.value == 6 }, "\(up)")
        // Never more than 2 added at one decision.
        let decisions = sink.events("autoscalerScaled")
        #expect(!decisions.isEmpty)
        for decision in decisions {
            // The instances before and after are the detail's only counts.
            let counts = decision.detail.counts
            #expect(counts.count == 2 && abs(counts[1] - counts[0]) <= 2, "\(decision.detail)")
        }
        #expect(up.last?.value == 2, "back to the minimum after the load: \(up.suffix(5))")
    }

    @Test func `an autoscaler that misreads the farm as idle shrinks it to its minimum, and grows it back once it reads it right`() {
        func model(misread: Bool) -> SystemModel {
            let autoscaler = AutoscalerSpec(targetUtilisation: 0.6, interval: .seconds(30), provisioningLag: .seconds(20),
                                            minimumInstances: 2, maximumInstances: 8, maximumChange: 8)
            let faults = misread ? [FaultSpec(target: "web", start: .seconds(300), duration: .seconds(120), kind: .misread(factor: 0))] : []
            return SystemModel(name: "m", run: testRun(seconds: 900, interval: .seconds(30)),
                               services: [ServiceSpec(name: "web", instances: 6,
                                   entryPoints: [EntryPointSpec(name: "main", threads: 10, queueCapacity: 100, steps: [.cpu(.exponential(mean: 0.1))])],
                                   autoscaler: autoscaler)],
                               traffic: [TrafficSourceSpec(name: "t", target: "web", rate: 300)],
                               faults: faults)
        }
        let (_, honest) = simulate(model(misread: false))
        let (_, misread) = simulate(model(misread: true))
        // 300/s at 0.1 s keeps 30 threads busy: 5 or 6 instances at 60%, throughout.
        #expect(honest.series("web", "instancesUp").filter { $0.time >= 120 }.everyRow { $0.value >= 5 })
        // Seen as idle at the decision at 330 s, the farm drops to the minimum in one step...
        let up = misread.series("web", "instancesUp")
        #expect(up.filter { $0.time >= 360 && $0.time < 420 }.everyRow { $0.value == 2 }, "\(up)")
        let shrink = misread.events("autoscalerScaled").first { $0.time.seconds >= 300 }
        #expect(shrink?.detail.starts(with: "utilisation \(percent: 0) (misread: ") == true, "\(String(describing: shrink))")
        #expect(shrink?.detail.ends(with: "-> \(2) instances") == true, "\(String(describing: shrink))")
        // ...and back to 5 or more once the fault has ended, within a few decisions and lags.
        #expect(up.filter { $0.time >= 660 }.everyRow { $0.value >= 5 }, "\(up)")
        #expect(misread.count(of: "faultEnded") == 1)
    }

    @Test func `back pressure: a bounded queue answers overloaded at once, and the caller backs off instead of piling up`() {
        func model(queue: Int?) -> SystemModel {
            let retry = RetryPolicy(maximumAttempts: 3, backoff: .exponential(base: .milliseconds(200), multiplier: 2, cap: .seconds(2)),
                                    jitter: .full, retryOn: .refused)
            return SystemModel(name: "m", run: testRun(seconds: 120, interval: .seconds(10)),
                               services: [
                                   ServiceSpec(name: "front", instances: 1,
                                       entryPoints: [EntryPointSpec(name: "main", threads: 200, queueCapacity: 100, steps: [.call(0)])],
                                       dependencies: [DependencySpec(name: "back", target: .service(name: "back", entryPoint: nil), retry: retry)]),
                                   ServiceSpec(name: "back", instances: 1,
                                       entryPoints: [EntryPointSpec(name: "main", threads: 5, queueCapacity: queue, steps: [.cpu(.constant(0.05))])]),
                               ],
                               traffic: [TrafficSourceSpec(name: "t", target: "front", rate: 150)])
        }
        let (_, unbounded) = simulate(model(queue: nil))
        let (_, bounded) = simulate(model(queue: 20))
        // Without back pressure the callee queues whatever comes: every caller thread ends up
        // waiting in its queue (195 of 200), and each waits about two seconds for a 50 ms answer.
        #expect((unbounded.series("back", "queueLength").last?.value ?? 0) > 150)
        #expect((unbounded.series("back", "latencyP99").last?.value ?? 0) > 1.5)
        #expect((unbounded.series("front", "threadsBusy").last?.value ?? 0) > 199)
        // With it the callee stays at its capacity and its latency stays short, and the caller's
        // threads are not all tied up waiting.
        #expect(bounded.series("back", "queueLength").allSatisfy { $0.value <= 20 })
        #expect(bounded.series("back", "latencyP99").allSatisfy { $0.value < 0.3 })
        #expect((bounded.series("front", "threadsBusy").last?.value ?? 200) < 100)
        #expect((bounded.series("back", "goodput").last?.value ?? 0) > 950)  // the callee still does its 100 a second
    }
}
