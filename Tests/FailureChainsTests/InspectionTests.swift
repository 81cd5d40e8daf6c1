import FailureChains
import ModelFormat
import SimulationKernel
import Testing

/// `ChainSimulation.inspect()`: what is in flight, and what crashes lost unanswered.
struct InspectionTests {
    private func simulation(_ text: String) throws -> ChainSimulation {
        let model = try ModelLoader.load(bytes: Array(text.utf8), file: "inspection.json5").model
        return ChainSimulation(model: model, sink: DiscardingSink())
    }

    /// One thread busy for 10 s; a request every second from 1 s, so at 5 s one runs and four wait.
    private func farm(lifecycle: String = "{}", faults: String = "[]") -> String {
        """
        { faultline: 1, name: "inspection", run: { duration: "5s", interval: "1s" },
          services: [{ name: "web", instances: 1, lifecycle: \(lifecycle),
                       entryPoints: [{ name: "main", threads: 1, steps: [{ call: "db" }] }],
                       dependencies: [{ name: "db", endpoint: "db" }] }],
          endpoints: [{ name: "db", latency: "10s" }],
          traffic: [{ name: "shoppers", target: "web", arrivals: "deterministic", rate: "1/s" }],
          faults: \(faults) }
        """
    }

    @Test func `requests queued or holding a thread are in flight at their instance, service, source and endpoint`() throws {
        let simulation = try simulation(farm())
        _ = simulation.run()
        let inspection = simulation.inspect()
        #expect(inspection.inFlight["web[0]"] == 5)
        #expect(inspection.inFlight["web"] == 5)
        #expect(inspection.inFlight["shoppers"] == 5)
        #expect(inspection.inFlight["db"] == 1)
        #expect(inspection.lostInCrashes["shoppers"] == 0)
        #expect(inspection.problems == [])
    }

    @Test func `a crash that resets no connections loses fire-and-forget requests unanswered`() throws {
        let simulation = try simulation(farm(lifecycle: "{ restartDelay: \"never\", resetsConnectionsOnCrash: false }",
                                             faults: "[{ at: \"3500ms\", target: \"web\", kind: \"crash\" }]"))
        _ = simulation.run()
        let inspection = simulation.inspect()
        #expect(inspection.lostInCrashes["shoppers"] == 3)  // the requests of 1 s, 2 s and 3 s
        #expect(inspection.lostInCrashes["db"] == 1)  // the call of the one holding the thread
        #expect(inspection.inFlight["shoppers"] == 0)
        #expect(inspection.inFlight["db"] == 0)
        #expect(inspection.problems == [])
    }

    @Test func `a crash that resets connections answers its senders, so nothing is lost but the endpoint's call`() throws {
        let simulation = try simulation(farm(lifecycle: "{ restartDelay: \"never\" }", faults: "[{ at: \"3500ms\", target: \"web\", kind: \"crash\" }]"))
        _ = simulation.run()
        let inspection = simulation.inspect()
        #expect(inspection.lostInCrashes["shoppers"] == 0)
        #expect(inspection.lostInCrashes["db"] == 1)
    }

    @Test func `assembly reserves each per-instance table at the size it fills`() throws {
        // 37 instances and 45 autoscaler slots of two services, with pools, dependencies, locks and disks.
        let tables = try simulation("""
            { faultline: 1, name: "tables", run: { duration: "1s" },
              services: [
                { name: "web", instances: 37, disk: { size: "1GB", perRequest: "1KB" },
                  threadPools: [{ name: "shared", threads: 2 }],
                  entryPoints: [{ name: "a", threads: 3, steps: [{ call: "db" }] },
                                { name: "b", threadPool: "shared", steps: [{ lock: "row", hold: "1ms" }] }],
                  dependencies: [{ name: "db", endpoint: "db", pool: { size: 4 } }] },
                { name: "api", instances: 5, threads: 2, serviceTime: "1ms",
                  autoscaler: { targetUtilisation: "70%", interval: "1m", minimumInstances: 5, maximumInstances: 45 } }],
              locks: [{ name: "row" }],
              endpoints: [{ name: "db", latency: "1ms" }],
              traffic: [{ name: "t", target: "web", rate: "1/s" }] }
            """)
        #expect(tables.instanceTablesSlack == 0)
    }
}

/// The invariant sink must notice a broken invariant, or the sweep proves nothing: each case
/// doctors one row of a correct run on its way to the sink.
struct InvariantSinkTests {
    /// A sink that changes one metric of one component in every interval, then hands the rows on.
    private final class TamperingSink: ObservationSink {
        let target: InvariantSink
        let component: String, metric: String
        let change: (MetricValue) -> MetricValue

        init(target: InvariantSink, component: String, metric: String, change: @escaping (MetricValue) -> MetricValue) {
            self.target = target
            self.component = component
            self.metric = metric
            self.change = change
        }

        func intervalEnded(start: Instant, rows: [MetricRow]) {
            target.intervalEnded(start: start, rows: rows.map { row in
                var row = row
                if row.component == component && row.metric == metric { row.value = change(row.value) }
                return row
            })
        }

        func stateChanged(_ change: StateChange) { target.stateChanged(change) }
    }

    private static let model = """
        { faultline: 1, name: "tampered", run: { duration: "20s", interval: "2s" },
          services: [{ name: "web", instances: 2, heap: { size: "10MB", sessionSize: "100kB" },
                       entryPoints: [{ name: "main", threads: 4, queue: 10, steps: [{ session: true }, { cpu: "5ms" }, { call: "db" }] }],
                       dependencies: [{ name: "db", endpoint: "db", pool: { size: 3 }, retry: { maximumAttempts: 2 }, breaker: {} }] }],
          endpoints: [{ name: "db", latency: { exponential: "20ms" } }],
          traffic: [{ name: "shoppers", target: "web", rate: "40/s" }] }
        """

    private func violations(component: String, metric: String, change: @escaping (MetricValue) -> MetricValue) throws -> [String] {
        let model = try ModelLoader.load(bytes: Array(Self.model.utf8), file: "tampered.json5").model
        let sink = InvariantSink(model: model)
        let simulation = ChainSimulation(model: model, sink: TamperingSink(target: sink, component: component, metric: metric, change: change))
        sink.simulation = simulation
        _ = simulation.run()
        return sink.violations
    }

    @Test func `an untouched run breaks no invariant`() throws {
        #expect(try violations(component: "", metric: "", change: { $0 }) == [])
    }

    static let tampering: [(component: String, metric: String, change: Int64, expected: String)] = [
        ("web[0]", "offered", 1, "offered"),
        ("web", "completed", -1, "completed"),
        ("web[1]", "goodput", 1, "completed"),
        ("web", "errors", 1, "errors"),
        ("shoppers", "offered", 1, "offered"),
        ("db", "calls", 1, "calls"),
        ("web[0]", "connectionsIdle.db", -1, "idle"),
        ("web", "connectionsInUse.db", 1, "in use"),
        ("web[0]", "breakerOpen.db", 2, "open"),
        ("web[1]", "up", 1, "up"),
        ("web", "instancesUp", 1, "instancesUp"),
        ("web[0]", "heapUsed", 10_000_000, "heapUsed"),
        ("web[0]", "callAttempts.db", 1000, "callAttempts"),
        ("web[1]", "rejectedByBreaker.db", 1000, "rejected"),
        ("web", "wasted", 1000, "wasted"),
        ("shoppers", "refused", -1000, "negative"),
    ]

    @Test(arguments: tampering)
    func `a doctored count is reported`(component: String, metric: String, change: Int64, expected: String) throws {
        let found = try violations(component: component, metric: metric) { value in
            if case .count(let count) = value { return .count(count + change) }
            return value
        }
        #expect(found.contains { $0.contains(component + ":") && $0.contains(expected) }, "\(found)")
    }

    static let levels: [(metric: String, factor: Double, expected: String)] = [
        ("threadsBusy", 100, "threadsBusy"),
        ("queueLength", 1000, "queueLength"),
        ("threadsOnCpu", 1.5, "threadsOnCpu"),
        ("latencyP50", 1000, "percentiles"),
        ("gcShare", 1e9, "gcShare"),
    ]

    @Test(arguments: levels)
    func `a doctored level is reported`(metric: String, factor: Double, expected: String) throws {
        let found = try violations(component: "web", metric: metric) { value in
            if case .real(let real) = value { return .real(real == 0 ? factor : real * factor) }
            return value
        }
        #expect(found.contains { $0.contains(expected) }, "\(found)")
    }
}
