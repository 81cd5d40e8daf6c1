import Experiments
import SimulationKernel
import Testing

/// How a tipping map's probe is set up: where its trigger ends, its window and run length.
struct TippingSetupTests {
    static func setup(_ model: String, trigger: String, recovered: String, constants: [String] = []) throws -> TippingSetup {
        TippingSetup(file: model, constants: constants, load: try TippingRange("traffic.shoppers.rate=300/s..400/s"),
                     trigger: try TippingRange(trigger), criterion: try RecoveryCriterion(recovered),
                     watch: [], seed: nil, replications: 2, level: 0.95)
    }

    static let retryStorm = TestFiles.inRepository("models/retry-storm.json5")

    @Test func `a crash ends when its instance is up again, and each run stops at the end of its window`() throws {
        let setup = try Self.setup(Self.retryStorm, trigger: "services.pricing.lifecycle.restartDelay=5s..2m",
                                   recovered: "shoppers.successRatio@+3m..+6m:mean>0.95",
                                   constants: ["services.pricing.lifecycle.startupTime=10s"])
        let probe = try setup.probe(load: 350, trigger: 60)
        // The crash at 5m, down for 60 s, starting up for 10 s.
        #expect(probe.triggerEnd == .seconds(370))
        #expect(probe.window.from == .seconds(550) && probe.window.to == .seconds(730))
        let point = try #require(probe.plan.points.first)
        #expect(point.model.run.duration == .seconds(730))
        #expect(point.overrides.suffix(3) == ["traffic.shoppers.rate=350/s", "services.pricing.lifecycle.restartDelay=60s", "run.duration=12m10s"])
        #expect(point.values == ["350/s", "60s"])
        // The recovery selector, then queue length and threads busy of each service over the
        // window's middle and last thirds.
        #expect(probe.plan.metricArguments.first == "shoppers.successRatio@9m10s..12m10s:mean")
        #expect(probe.plan.metricArguments.count == 1 + 2 * 2 * 2)
        #expect(probe.plan.metricArguments.contains("pricing.queueLength@11m10s..12m10s:mean"))
        #expect(probe.watched == 2)
    }

    @Test func `a verdict reads the recovery measure, then the backlog's middle and last thirds`() throws {
        let setup = try Self.setup(Self.retryStorm, trigger: "services.pricing.lifecycle.restartDelay=5s..2m",
                                   recovered: "shoppers.successRatio@+3m..+6m:mean>0.95")
        let probe = try setup.probe(load: 350, trigger: 60)
        func record(_ values: [Double?]) -> ReplicationRecord {
            ReplicationRecord(point: 0, replication: 0, seed: 1, values: values.map {
                MeasuredValue(key: StudyMetricKey(component: "c", metric: "m", window: "w", aggregate: "mean"), value: $0)
            })
        }
        #expect(probe.verdict(record([0.99, 100, 10, 50, 10, 100, 10, 50, 10])) == .recovered)
        #expect(probe.verdict(record([0.2, 100, 10, 50, 10, 100, 10, 50, 10])) == .metastable)  // flat
        #expect(probe.verdict(record([0.2, 100, 10, 50, 10, 120, 10, 50, 10])) == .metastable)  // growing
        #expect(probe.verdict(record([0.2, 100, 10, 50, 10, 90, 10, 50, 10])) == .draining)     // 170 → 160
        #expect(probe.verdict(record([0.2, 100, 10, 50, 10, 98, 10, 50, 10])) == .metastable)   // 1.2% is flat
        #expect(probe.verdict(record([nil, 0, 0, 0, 0, 0, 0, 0, 0])) == .metastable)             // no data, no backlog
    }

    @Test func `a relative window needs a trigger fault that ends`() throws {
        let setup = try Self.setup(Self.retryStorm, trigger: "services.storefront.instances=1..3",
                                   recovered: "shoppers.successRatio@+3m..+6m:mean>0.95",
                                   constants: ["services.pricing.lifecycle.restartDelay=never"])
        #expect {
            _ = try setup.probe(load: 350, trigger: 2)
        } throws: { error in
            guard case .usage(let message) = error as? TippingSetupError else { return false }
            return message.contains("never restarts")
        }
        // Absolute windows need no trigger fault.
        let absolute = try Self.setup(Self.retryStorm, trigger: "services.storefront.instances=1..3",
                                      recovered: "shoppers.successRatio@12m..15m:mean>0.95",
                                      constants: ["services.pricing.lifecycle.restartDelay=never"])
        #expect(try absolute.probe(load: 350, trigger: 2).plan.points[0].model.run.duration == .seconds(900))
    }
}
