import FailureChains
import SimulationKernel
import Testing

/// The autoscaler keeps its running instances in a list and its parked ones in a heap; the
/// documented order must hold across waves of growth and shrinking.
struct AutoscalerParkingTests {
    @Test func `the autoscaler always starts the lowest-numbered waiting instance, across growth, shrinking and growth again`() {
        let autoscaler = AutoscalerSpec(targetUtilisation: 0.6, interval: .seconds(30), provisioningLag: .zero,
                                        minimumInstances: 1, maximumInstances: 6, maximumChange: 6)
        let profile = RateProfile(points: [.init(time: .zero, rate: 300), .init(time: .seconds(300), rate: 5), .init(time: .seconds(900), rate: 300)])
        let model = SystemModel(name: "m", run: testRun(seconds: 1200, interval: .seconds(30)),
                                services: [ServiceSpec(name: "web", instances: 1,
                                    entryPoints: [EntryPointSpec(name: "main", threads: 10, queueCapacity: 1000, steps: [.cpu(.exponential(mean: 0.1))])],
                                    autoscaler: autoscaler)],
                                traffic: [TrafficSourceSpec(name: "t", target: "web", profile: profile)])
        let (_, sink) = simulate(model)
        let index = { (change: StateChange) in Int(change.component.dropFirst(4).dropLast())! }
        // Replay the events: each instance started must be the lowest-numbered one waiting then.
        var waiting: Set<Int> = [1, 2, 3, 4, 5]
        var started = 0
        for change in sink.changes where change.event == "instanceProvisioned" || change.event == "instanceParked" {
            if change.event == "instanceParked" {
                waiting.insert(index(change))
            } else {
                #expect(index(change) == waiting.min(), "at \(change.time): started \(change.component), waiting \(waiting.sorted())")
                waiting.remove(index(change))
                started += 1
            }
        }
        // The load grew, shrank and grew again: instances were parked and started again.
        let parked = sink.events("instanceParked")
        #expect(Set(parked.filter { $0.time.seconds >= 300 && $0.time.seconds < 900 }.map(index)) == [1, 2, 3, 4, 5])
        #expect(sink.events("instanceProvisioned").contains { $0.time.seconds >= 900 })
        #expect(started > 5)
    }
}
