import FailureChains
import Foundation
import ModelFormat
import SimulationKernel
import Testing

/// Valid-looking models that once killed the process with `arithmetic overflow` (issue 7, item 3),
/// and models at the limits that now keep them out: a validated model never traps.
struct OverflowRegressionTests {
    /// The models of the report, each of which trapped in `touchSession` or `leak`.
    static let trappingModels: [(name: String, text: String, errors: [String])] = [
        ("huge heap and sessions", """
            {faultline: 1, name: "m", run: {duration: "10s"},
             services: [{name: "web", heap: {size: "9000000TB", sessionSize: "5000000TB"},
               entryPoints: [{name: "main", threads: 4, steps: [{session: true}, {cpu: "1ms"}]}]}],
             traffic: [{name: "t", target: "web", rate: "10/s"}]}
            """, [
                #"2:40: error: services[0].heap.size: size is too large, found "9000000TB"; the largest is 16TiB"#,
                #"2:66: error: services[0].heap.sessionSize: size is too large, found "5000000TB"; the largest is 16TiB"#,
            ]),
        ("a leak of 2^63 - 1 bytes a request", """
            {faultline: 1, name: "m", run: {duration: "10s"},
             services: [{name: "web", heap: {size: "1GB", baseline: "1MB"}, threads: 4, serviceTime: "1ms"}],
             traffic: [{name: "t", target: "web", rate: "10/s"}],
             faults: [{at: "1s", target: "web", kind: "leak", perRequest: "9223372036854775807B"}]}
            """, [
                #"4:63: error: faults[0].perRequest: size is too large, found "9223372036854775807B"; the largest is 16TiB"#,
            ]),
        ("a baseline near a huge heap with a leak a second", """
            {faultline: 1, name: "m", run: {duration: "10s"},
             services: [{name: "web", heap: {size: "9223372036854775807B", baseline: "9223372036854775000B"}, threads: 4, serviceTime: "1ms"}],
             traffic: [{name: "t", target: "web", rate: "10/s"}],
             faults: [{at: "1s", target: "web", kind: "leak", perSecond: "1MB"}]}
            """, [
                #"2:40: error: services[0].heap.size: size is too large, found "9223372036854775807B"; the largest is 16TiB"#,
                #"2:74: error: services[0].heap.baseline: size is too large, found "9223372036854775000B"; the largest is 16TiB"#,
            ]),
    ]

    @Test(arguments: trappingModels.map(\.name))
    func `a model that trapped on overflow is refused with located errors instead`(name: String) throws {
        let (_, text, errors) = try #require(Self.trappingModels.first { $0.name == name })
        let path = TestFiles.temporaryFile(named: "m.json5", text)
        let result = try Faultline.run(["run", path, "--out", TestFiles.temporaryDirectory() + "/out"])
        #expect(result.exitedNormally, "the process was killed: \(result.standardError.prefix(300))")
        #expect(result.status == 65)
        #expect(result.errorLines == errors.map { path + ":" + $0 } + ["faultline: \(errors.count) problem\(errors.count == 1 ? "" : "s") in \(path)"])
    }

    /// Keeps the rows of one metric of one component.
    final class MetricSink: ObservationSink {
        let component: String, metric: String
        var values: [Double] = []
        var events: [String] = []
        init(component: String, metric: String) { (self.component, self.metric) = (component, metric) }
        func intervalEnded(start: Instant, rows: [MetricRow]) {
            values += rows.filter { $0.component == component && $0.metric == metric }.map(\.value.doubleValue)
        }
        func stateChanged(_ change: StateChange) { events.append(change.event) }
    }

    @Test func `heaps, sessions and leaks at the size limit, on every instance the model may have, run without overflow`() throws {
        let limit = "\(ModelLimits.largestSize)B"
        let leak = #"{at: "1s", target: "web", kind: "leak", perRequest: "\#(limit)", perSecond: "\#(limit)"}"#
        let model = try ModelLoader.load(bytes: Array("""
            {faultline: 1, name: "m", run: {duration: "5s", interval: "1s"},
             services: [{name: "web", instances: \(ModelLimits.instancesPerService),
               heap: {size: "\(limit)", baseline: "\(ModelLimits.largestSize - 1)B", sessionSize: "\(limit)", sessionTimeout: "never"},
               entryPoints: [{name: "main", threads: 4, steps: [{session: true}, {cpu: "1ms"}]}], lifecycle: {restartDelay: "0s"}}],
             traffic: [{name: "t", target: "web", rate: "20000/s"}],
             faults: [\(Array(repeating: leak, count: 100).joined(separator: ", "))]}
            """.utf8), file: "m.json5").model
        let sink = MetricSink(component: "web", metric: "heapUsed")
        let result = ChainSimulation(model: model, sink: sink).run()
        #expect(result.outcome.endTime == Instant.zero + model.run.duration)
        #expect(sink.events.contains("outOfMemory"))
        // Every instance up holds at most its heap, and no sum wrapped round to a negative.
        #expect(sink.values.count == 5)
        #expect(sink.values.allSatisfy { $0 >= 0 && $0 <= Double(ModelLimits.instancesPerService) * Double(ModelLimits.largestSize) })
        #expect(sink.values.first == Double(ModelLimits.instancesPerService) * Double(ModelLimits.largestSize - 1))
    }

    @Test func `an autoscaler aiming at a vanishing utilisation scales to its maximum instead of trapping`() throws {
        let model = try ModelLoader.load(bytes: Array("""
            {faultline: 1, name: "m", run: {duration: "2m", interval: "10s"},
             services: [{name: "web", instances: 1, threads: 4, serviceTime: "10ms",
               autoscaler: {targetUtilisation: 1e-300, maximumInstances: 5, maximumChange: 10, interval: "10s"}}],
             traffic: [{name: "t", target: "web", rate: "100/s"}]}
            """.utf8), file: "m.json5").model
        let sink = MetricSink(component: "web", metric: "instancesUp")
        _ = ChainSimulation(model: model, sink: sink).run()
        #expect(sink.values.first == 1)
        #expect(sink.values.last == 5)
    }

    @Test func `an autoscaler's decision costs the instances running, not its maximum`() throws {
        // Ten minutes of decisions once a second, one instance running of a possible 10,000:
        // scanning every possible instance at each decision once cost 10,000 visits a decision
        // (a day of them took seconds); each decision now looks at the one running instance. The
        // engine counts the instances its decisions look at: the work, not the time it takes.
        func visits(maximum: Int) throws -> Int {
            let model = try ModelLoader.load(bytes: Array("""
                {faultline: 1, name: "m", run: {duration: "10m", interval: "1m"},
                 services: [{name: "web", instances: 1, threads: 4, serviceTime: "1ms",
                   autoscaler: {targetUtilisation: "50%", minimumInstances: 1, maximumInstances: \(maximum), interval: "1s"}}],
                 traffic: [{name: "t", target: "web", rate: "1/s"}]}
                """.utf8), file: "m.json5").model
            let simulation = ChainSimulation(model: model, sink: DiscardingSink())
            _ = simulation.run()
            return simulation.autoscalerInstancesVisited(service: "web")
        }
        let small = try visits(maximum: 1)
        let large = try visits(maximum: ModelLimits.instancesPerService)
        // One decision a second for 600 s, each looking at the one instance that runs.
        #expect(small == 600, "maximum 1: \(small) instances visited")
        #expect(large == small, "maximum 1: \(small) instances visited; maximum 10000: \(large)")
    }
}
