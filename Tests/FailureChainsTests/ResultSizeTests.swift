import FailureChains
import ModelFormat
import SimulationKernel
import Testing

/// Result sizes inside a run: the rows a call returns, their time and heap at the caller, growth and limit.
struct ResultSizeTests {
    /// `web` calls `db` (a constant 10 ms) once, `at` milliseconds after the start (at least 1,000);
    /// the dependency's `result` is `result`.
    static func run(result: String, at: Int = 1500, dependency extra: String = "", heap: String = #"{ size: "100MB", baseline: "10MB" }"#,
                    seconds: Int = 5) throws -> RecordingSink {
        let text = """
        {
          faultline: 1, name: "results",
          run: { duration: "\(seconds)s", seed: 5, interval: "100ms" },
          endpoints: [{ name: "db", latency: { constant: "10ms" } }],
          services: [{
            name: "web", heap: \(heap),
            entryPoints: [{ name: "main", threads: 10, steps: [{ call: "db" }] }],
            dependencies: [{ name: "db", endpoint: "db", result: \(result)\(extra) }],
          }],
          traffic: [{ name: "calls", target: "web", arrivals: "deterministic", profile: [{ at: "0s", rate: "0/s" }, { at: "\(at - 1000)ms", rate: "1/s" }, { at: "\(at + 500)ms", rate: "0/s" }] }],
        }
        """
        let model = try ModelLoader.load(bytes: Array(text.utf8), file: "results.json5").model
        return simulate(model).sink
    }

    @Test func `a result of R rows adds R times perRow to the request and R times bytesPerRow to the heap while it reads them`() throws {
        let sink = try Self.run(result: #"{ rows: 1000, perRow: "1ms", bytesPerRow: "1000B" }"#)
        // The call at 1.5 s answers at 1.51 s; 1,000 rows of 1 ms each are read until 2.51 s.
        let latency = sink.series("web", "latencyMean").filter { $0.value > 0 }
        #expect(latency.count == 1)
        #expect(abs((latency.first?.value ?? 0) - 1.010) < 1e-9)
        #expect(latency.first?.time == 2.5)
        let heap = sink.series("web", "heapUsed")
        // heapUsed is the level at the end of each interval (a row's time is its interval's start).
        #expect(heap.filter { $0.time >= 1.5 && $0.time < 2.45 }.everyRow { $0.value == 10_000_000 + 1_000_000 })
        #expect(heap.filter { $0.time >= 2.5 }.everyRow { $0.value == 10_000_000 })
        #expect(heap.filter { $0.time < 1.45 }.everyRow { $0.value == 10_000_000 })
        #expect(sink.series("web", "resultRows.db").reduce(0) { $0 + $1.value } == 1000)
        #expect(sink.series("web", "threadsOnCpu").filter { $0.time >= 1.6 && $0.time < 2.45 }.everyRow { $0.value == 1 })
    }

    @Test func `the data set grows from its first rows, and a limit caps the rows of a call`() throws {
        let grown = try Self.run(result: #"{ rows: 50, growth: "100/s", perRow: "1us" }"#, at: 2000)
        #expect(grown.series("web", "resultRows.db").reduce(0) { $0 + $1.value } == 250)
        let limited = try Self.run(result: #"{ rows: 50, growth: "100/s", limit: 120, perRow: "1us" }"#, at: 2000)
        #expect(limited.series("web", "resultRows.db").reduce(0) { $0 + $1.value } == 120)
        // A share returns that fraction of the rows, rounded down.
        let shared = try Self.run(result: #"{ rows: 50, growth: "100/s", share: 0.1, perRow: "1us" }"#, at: 2000)
        #expect(shared.series("web", "resultRows.db").reduce(0) { $0 + $1.value } == 25)
        // A purge every 1.5 s brings it back to its first rows: at 2 s it has grown for 0.5 s.
        let purged = try Self.run(result: #"{ rows: 50, growth: "100/s", purgeInterval: "1500ms", perRow: "1us" }"#, at: 2000)
        #expect(purged.series("web", "resultRows.db").reduce(0) { $0 + $1.value } == 100)
    }

    @Test func `a result the heap cannot hold runs the caller out of memory`() throws {
        let sink = try Self.run(result: #"{ rows: 100000, bytesPerRow: "1KB", perRow: "1us" }"#)
        #expect(sink.count(of: "outOfMemory", in: "web") == 1)
        #expect(sink.count(of: "instanceCrashed", in: "web") == 1)
        let limited = try Self.run(result: #"{ rows: 100000, limit: 1000, bytesPerRow: "1KB", perRow: "1us" }"#)
        #expect(limited.count(of: "outOfMemory", in: "web") == 0)
    }

    @Test func `the query time per row lengthens the call, and a read timeout cuts it before any row arrives`() throws {
        let slow = try Self.run(result: #"{ rows: 1000, queryPerRow: "1ms", bytesPerRow: "1KB" }"#)
        let latency = slow.series("web", "latencyMean").filter { $0.value > 0 }
        #expect(abs((latency.first?.value ?? 0) - 1.010) < 1e-9)
        let cut = try Self.run(result: #"{ rows: 1000, queryPerRow: "1ms", bytesPerRow: "1KB" }"#, dependency: #", readTimeout: "500ms""#)
        #expect(cut.series("web", "timedOut").reduce(0) { $0 + $1.value } == 1)
        #expect(cut.series("web", "resultRows.db").reduce(0) { $0 + $1.value } == 0)
        #expect(cut.series("web", "heapUsed").everyRow { $0.value == 10_000_000 })
    }

    @Test func `an instance that restarts keeps drawing its results' shares and calls on`() throws {
        // A restart rebuilt the dependency's state without its `resultShare` stream, and the next
        // call with a `share` trapped.
        let text = """
        {
          faultline: 1, name: "results-restart",
          run: { duration: "6s", seed: 5, interval: "1s" },
          endpoints: [{ name: "db", latency: { constant: "10ms" } }],
          services: [{
            name: "web", lifecycle: { restartDelay: "1s", startupTime: "0s" },
            entryPoints: [{ name: "main", threads: 10, steps: [{ call: "db" }] }],
            dependencies: [{ name: "db", endpoint: "db", result: { rows: 100, share: { uniform: [0.2, 0.8] }, perRow: "1us" } }],
          }],
          traffic: [{ name: "calls", target: "web", arrivals: "deterministic", rate: "10/s" }],
          faults: [{ at: "2s", target: "web[0]", kind: "crash" }],
        }
        """
        let model = try ModelLoader.load(bytes: Array(text.utf8), file: "results-restart.json5").model
        let sink = simulate(model).sink
        #expect(sink.count(of: "instanceCrashed", in: "web[0]") == 1)
        // Calls after the restart at 3 s return rows drawn from the share: 20 to 80 each.
        let after = sink.series("web", "resultRows.db").filter { $0.time >= 4 }
        #expect(!after.isEmpty)
        #expect(after.everyRow { $0.value >= 10 * 20 && $0.value <= 10 * 80 })
    }

    @Test func `the rows of the data set and of a call follow from its first rows, growth, purge, share and limit`() {
        let spec = ResultSpec(rows: 10, growthPerSecond: 2, purgeInterval: .seconds(60), limit: 50)
        #expect(spec.tableRows(at: 0) == 10)
        #expect(spec.tableRows(at: 30_000_000_000) == 70)
        #expect(spec.tableRows(at: 61_000_000_000) == 12)
        #expect(spec.resultRows(share: 1, at: 30_000_000_000) == 50)
        #expect(spec.resultRows(share: 0.5, at: 30_000_000_000) == 35)
        #expect(spec.resultRows(share: 2, at: 0) == 10)
        #expect(spec.resultRows(share: -1, at: 0) == 0)
    }
}
