import FailureChains
import SimulationKernel
import Testing

/// The steady-state chain: logs fill an instance's disk, its requests fail, and a rotation with
/// retention keeps the disk from filling.
struct DiskChainTests {
    /// One instance, 10 requests a second; a 1 MB disk half full, 100 B a request and 1 kB a
    /// second, so 2 kB a second in all: 450 kB to the 95% point in 225 s.
    static func model(rotation: DiskRotationSpec? = nil, restart: Bool = false) -> SystemModel {
        var service = ServiceSpec(name: "app", instances: 1,
                                  entryPoints: [EntryPointSpec(name: "main", threads: 10, queueCapacity: 10, steps: [.cpu(.constant(0.001))])])
        service.disk = DiskSpec(size: 1_000_000, baseline: 500_000, perRequest: 100, perSecond: 1_000,
                                failAtMillionths: 950_000, rotation: rotation)
        return SystemModel(name: "m", run: testRun(seconds: 600, interval: .seconds(10)), services: [service],
                           traffic: [TrafficSourceSpec(name: "t", target: "app", arrivals: .deterministic, rate: 10)])
    }

    @Test func `logs fill the disk, and from then on every request fails`() {
        let (_, sink) = simulate(Self.model())
        let full = sink.events("diskFull", of: "app[0]")
        #expect(full.count == 1)
        // 2 kB a second fill 450 kB in 225 s.
        let at = full.first?.time.seconds ?? 0
        #expect(at > 220 && at < 230)
        #expect(sink.series("app", "goodput").filter { $0.time >= 240 }.everyRow { $0.value == 0 })
        #expect(sink.series("app", "failed").filter { $0.time >= 240 }.everyRow { $0.value == 100 })
        #expect(sink.series("app", "disksFull").filter { $0.time >= 240 }.everyRow { $0.value == 1 })
        #expect(sink.series("app", "goodput").filter { $0.time >= 10 && $0.time < 220 }.everyRow { $0.value == 100 })
        // A full disk stops growing just past the fail point.
        #expect(sink.series("app[0]", "diskUsed").allSatisfy { $0.value < 0.951 })
    }

    @Test func `rotation with retention keeps the disk below its fail point`() {
        // Every minute, keeping 2 files of about 120 kB: at most 500 kB + 3 × 120 kB = 86%.
        let (_, sink) = simulate(Self.model(rotation: DiskRotationSpec(every: .seconds(60), keep: 2)))
        #expect(sink.count(of: "diskFull") == 0)
        #expect(sink.series("app", "failed").allSatisfy { $0.value == 0 })
        #expect(sink.series("app[0]", "diskUsed").allSatisfy { $0.value <= 0.861 })
        #expect((sink.series("app[0]", "diskUsed").map(\.value).max() ?? 0) > 0.8)
    }

    @Test func `a rotation that frees a full disk ends the failures`() {
        // Every 5 minutes, keeping none: full at 225 s, freed at 300 s; full again 225 s later, freed at 600 s.
        let (_, sink) = simulate(Self.model(rotation: DiskRotationSpec(every: .seconds(300), keep: 0)))
        let full = sink.events("diskFull").map(\.time.seconds)
        #expect(full.count == 2)
        #expect(full.allSatisfy { ($0 > 220 && $0 < 230) || ($0 > 520 && $0 < 530) }, "\(full)")
        let recovered = sink.events("diskRecovered")
        #expect(recovered.map(\.time.seconds) == [300, 600])
        #expect(sink.series("app", "goodput").filter { $0.time >= 310 && $0.time < 500 }.everyRow { $0.value == 100 })
    }

    @Test func `a crash frees nothing on the disk, and a down instance does not grow it`() {
        // No traffic, 1 kB a second; down from 100 s to 160 s (restart after 10 s, up 50 s later).
        var model = Self.model()
        model.traffic = []
        model.services[0].lifecycle = LifecycleSpec(startupTime: .seconds(50), restartDelay: .seconds(10))
        model.faults = [FaultSpec(target: "app[0]", start: .seconds(100), kind: .crash)]
        let (_, sink) = simulate(model)
        let used = sink.series("app[0]", "diskUsed")
        func share(at time: Double) -> Double { used.first { $0.time == time }?.value ?? -1 }
        // The interval starting at 90 s ends at 100 s with 100 kB written; at 150 s still 100 kB;
        // at 200 s, 40 s after the instance came back, 140 kB.
        #expect(share(at: 90) == 0.6)
        #expect(share(at: 140) == 0.6)
        #expect(share(at: 190) == 0.64)
    }

    @Test func `health probes write no logs`() {
        var model = Self.model()
        model.traffic = []
        model.services[0].disk?.perSecond = 0
        model.services[0].balancer = BalancerSpec(healthCheck: HealthCheckSpec(interval: .seconds(1), timeout: .seconds(1), unhealthyThreshold: 2,
                                                                                 healthyThreshold: 2, kind: .deep, entryPoint: 0))
        let (_, sink) = simulate(model)
        #expect(sink.series("app[0]", "diskUsed").everyRow { $0.value == 0.5 })
    }

    @Test func `a model without a disk reports no disk metrics`() {
        var model = Self.model()
        model.services[0].disk = nil
        let (_, sink) = simulate(model)
        #expect(!sink.intervals.contains { $0.rows.contains { $0.metric.hasPrefix("disk") } })
    }
}
