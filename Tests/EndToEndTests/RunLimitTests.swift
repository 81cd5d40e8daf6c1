import FailureChains
import Foundation
import ModelFormat
import Reporting
import SimulationKernel
import Testing

/// Runaway models: each limit of `run` stops a run that grows without bound, names itself and the
/// key that raises it, and marks the run incomplete; what a model allocates up front is checked
/// before it runs.
struct RunLimitTests {
    /// One thread serving 1 s requests fed 1000/s into an unbounded queue: the queue grows by about
    /// 1000 requests a second for as long as the run lasts.
    static func runaway(_ runKeys: String = "", duration: String = "1h", client: String = "") -> String {
        """
        {
          faultline: 1,
          name: "runaway",
          run: { duration: "\(duration)", interval: "10s"\(runKeys.isEmpty ? "" : ", " + runKeys) },
          services: [{ name: "web", instances: 1, threads: 1, serviceTime: { constant: "1s" } }],
          traffic: [{ name: "load", target: "web", rate: "1000/s"\(client) }],
        }
        """
    }

    func load(_ text: String) throws -> SystemModel {
        try ModelLoader.load(bytes: Array(text.utf8), file: "limits.json5").model
    }

    func problems(_ text: String) -> [String] {
        do {
            _ = try ModelLoader.load(bytes: Array(text.utf8), file: "limits.json5")
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func `an unbounded queue is stopped by the live-request limit, named with its key`() throws {
        let model = try load(Self.runaway("maximumLiveRequests: 5000"))
        let sink = RecordingSinkForLimits()
        let result = ChainSimulation(model: model, sink: sink).run()
        #expect(result.outcome.stopReason == .limitReached)
        #expect(result.limit == .liveRequests)
        #expect(!result.outcome.stopReason.isComplete)
        #expect(result.limitDetail.text == "5001 requests alive at once, more than run.maximumLiveRequests allows (5000)")
        // About five seconds of arrivals at 1000/s, not the hour the model asks for.
        #expect(result.outcome.endTime.seconds > 4 && result.outcome.endTime.seconds < 6)
        #expect(sink.changes.last?.event == "runEnded")
        #expect(sink.changes.last?.detail.text.hasPrefix("5001 requests alive at once") == true)
    }

    @Test func `a live-request limit below the first checkpoint is enforced too`() throws {
        let model = try load(Self.runaway("maximumLiveRequests: 100"))
        let result = ChainSimulation(model: model, sink: DiscardingSink()).run()
        #expect(result.limit == .liveRequests)
        #expect(result.limitDetail.text == "101 requests alive at once, more than run.maximumLiveRequests allows (100)")
    }

    @Test func `sessions that grow within one long interval are caught by the memory limit`() throws {
        // Bots start a session with every request; sessions live an hour; one interval is the
        // whole run, so only the periodic check can see the table grow.
        let text = """
            {
              faultline: 1,
              name: "sessions",
              run: { duration: "2h", interval: "2h", maximumMemory: "20MB" },
              services: [{
                name: "web", instances: 1,
                heap: { size: "16TiB", sessionSize: "1KB", sessionTimeout: "1h" },
                entryPoints: [{ name: "main", threads: 100, steps: [{ session: true }, { cpu: { constant: "1ms" } }] }],
              }],
              traffic: [{ name: "bots", target: "web", rate: "1000/s", cookies: false }],
            }
            """
        let model = try load(text)
        let result = ChainSimulation(model: model, sink: DiscardingSink()).run()
        #expect(result.limit == .memory)
        #expect(result.outcome.endTime.seconds < 3_600)
    }

    @Test func `a run may last at most 100 years, so that time always moves`() {
        let found = problems(Self.runaway(duration: "9223372036854775807ns"))
        #expect(found.count == 1 && found[0].contains("run.duration: must be greater than 0s and at most 36500d"))
    }

    @Test func `the memory estimate stops a run whose tables outgrow run.maximumMemory`() throws {
        let model = try load(Self.runaway(#"maximumMemory: "2MB""#))
        let result = ChainSimulation(model: model, sink: DiscardingSink()).run()
        #expect(result.limit == .memory)
        #expect(result.limitDetail.text.hasPrefix("the simulator's memory reached about "))
        #expect(result.limitDetail.text.hasSuffix("MiB, more than run.maximumMemory allows (1 MiB)"))
        #expect(result.outcome.endTime.seconds < 60)
    }

    @Test func `the pending-event limit stops a run whose future-event list grows without bound`() throws {
        // Each request of a client with a timeout keeps a timer pending while it waits in the queue.
        let model = try load(Self.runaway("maximumPendingEvents: 10000", client: #", clientTimeout: "1h""#))
        let result = ChainSimulation(model: model, sink: DiscardingSink()).run()
        #expect(result.outcome.stopReason == .pendingEventLimit)
        #expect(result.limit == .pendingEvents)
        #expect(result.limitDetail.text.hasSuffix("events pending at once, more than run.maximumPendingEvents allows (10000)"))
        #expect(result.outcome.endTime.seconds > 9 && result.outcome.endTime.seconds < 11)
    }

    @Test func `a series that would pass its row limit is stopped at the first interval`() throws {
        let model = try load(Self.runaway("maximumSeriesRows: 1000", duration: "1h"))
        let sink = RecordingSinkForLimits()
        let result = ChainSimulation(model: model, sink: sink).run()
        #expect(result.limit == .seriesRows)
        #expect(result.outcome.endTime.seconds <= 10)
        #expect(result.limitDetail.text.hasPrefix("the run would write about "))
        #expect(result.limitDetail.text.hasSuffix("rows of series.csv, more than run.maximumSeriesRows allows (1000); lengthen run.interval"))
        #expect(sink.rowCount <= 1000)
    }

    @Test func `a series within its limit runs to the end`() throws {
        let model = try load(Self.runaway("maximumSeriesRows: 100000", duration: "1m"))
        let result = ChainSimulation(model: model, sink: DiscardingSink()).run()
        #expect(result.outcome.stopReason == .endTime)
        #expect(result.limit == nil)
        #expect(result.outcome.stopReason.isComplete)
    }

    @Test func `a model that opens more pooled connections than the limit is refused before it runs`() {
        let text = """
            {
              faultline: 1,
              name: "pools",
              services: [{
                name: "web", instances: 10000, threads: 1, serviceTime: { constant: "1ms" },
                dependencies: [{ name: "db", endpoint: "db", pool: { size: 100000 } }],
                entryPoints: [{ name: "main", threads: 1, steps: [{ call: "db" }] }],
              }],
              endpoints: [{ name: "db", latency: { constant: "1ms" } }],
            }
            """
        let found = problems(text)
        #expect(found.contains { $0.contains("error: services: the model opens 1000000000 pooled connections") && $0.contains("more than run.maximumConnections allows (10000000)") })
    }

    @Test func `the limits are read from run, and bounded`() throws {
        let model = try load(Self.runaway(#"maximumPendingEvents: 7, maximumLiveRequests: 8, maximumConnections: 9, maximumSeriesRows: 10, maximumMemory: "2GB""#))
        #expect(model.run.limits == RunLimits(pendingEvents: 7, liveRequests: 8, connections: 9, seriesRows: 10, memoryBytes: 2_000_000_000))
        let found = problems(Self.runaway("maximumLiveRequests: 0"))
        #expect(found.count == 1 && found[0].contains("run.maximumLiveRequests: must be between 1 and 1000000000, found 0"))
    }

    @Test func `every gallery model runs within the default limits`() throws {
        for file in GoldenFileTests.models {
            let model = try TestFiles.model("models/" + file)
            #expect(ChainSimulation.connectionCount(of: model) <= RunLimits.defaults.connections, "\(file)")
            #expect(ChainSimulation.assemblyMemory(of: model) <= RunLimits.defaults.memoryBytes, "\(file)")
        }
    }
}

/// Keeps the state changes and counts the series rows of a run.
final class RecordingSinkForLimits: ObservationSink {
    var changes: [StateChange] = []
    var rowCount = 0

    func intervalEnded(start: Instant, rows: [MetricRow]) { rowCount += rows.count }
    func stateChanged(_ change: StateChange) { changes.append(change) }
}
