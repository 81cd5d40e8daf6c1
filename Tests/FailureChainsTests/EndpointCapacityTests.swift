import FailureChains
import ModelFormat
import SimulationKernel
import Testing

/// Endpoints with a capacity inside a run: the glue between the endpoint's slots and its callers'
/// timeouts and crashes.
struct EndpointCapacityTests {
    /// One caller with threads to spare calls `db` (two slots of 1 s, a queue of three) at 10 calls
    /// a second for 6 s, then stops; `extra` adds members to the dependency, `faults` to the model.
    static func run(dependency extra: String = "", faults: String = "[]") throws -> RecordingSink {
        let text = """
        {
          faultline: 1, name: "capacity",
          run: { duration: "20s", seed: 5, interval: "1s" },
          endpoints: [{ name: "db", latency: { constant: "1s" }, concurrency: 2, queue: 3 }],
          services: [{
            name: "web", lifecycle: { restartDelay: "1s", startupTime: "0s" },
            entryPoints: [{ name: "main", threads: 100, steps: [{ call: "db" }] }],
            dependencies: [{ name: "db", endpoint: "db"\(extra) }],
          }],
          traffic: [{ name: "calls", target: "web", arrivals: "deterministic", profile: [{ at: "0s", rate: "10/s" }, { at: "6s", rate: "0/s" }] }],
          faults: \(faults),
        }
        """
        let model = try ModelLoader.load(bytes: Array(text.utf8), file: "capacity.json5").model
        return simulate(model).sink
    }

    @Test func `calls beyond the slots and the queue are refused, and the endpoint drains when the calls stop`() throws {
        let sink = try Self.run()
        let refused = sink.series("db", "refused").reduce(0) { $0 + $1.value }
        #expect(refused > 30)
        #expect(sink.count(of: "capacityExhausted", in: "db") == 1)
        #expect(sink.count(of: "capacityRecovered", in: "db") == 1)
        let late = sink.series("db", "callsInService").filter { $0.time >= 10 } + sink.series("db", "callsQueued").filter { $0.time >= 10 }
        #expect(!late.isEmpty && late.allSatisfy { $0.value == 0 })
    }

    @Test func `a caller that crashes leaves the queue at once, and its calls in service keep their slots until done`() throws {
        let sink = try Self.run(faults: #"[{ at: "2500ms", target: "web", kind: "crash" }]"#)
        // The three queued calls leave with the crash: the queue, full before, is empty after it,
        // while the two calls in service go on until their second is over.
        let queued = sink.series("db", "callsQueued")
        #expect((queued.first { $0.time == 1 }?.value ?? 0) > 2.5)
        #expect((queued.first { $0.time == 2 }?.value ?? 3) < 2)
        let inService = sink.series("db", "callsInService")
        #expect((inService.first { $0.time == 2 }?.value ?? 0) > 1.99)
        // Restarted at 3.5 s, the caller calls again and is served: no slot or place leaked.
        let goodput = sink.series("db", "goodput").filter { $0.time >= 4 }.reduce(0) { $0 + $1.value }
        #expect(goodput >= 4)
        let late = sink.series("db", "callsInService").filter { $0.time >= 12 } + sink.series("db", "callsQueued").filter { $0.time >= 12 }
        #expect(!late.isEmpty && late.allSatisfy { $0.value == 0 })
    }

    @Test func `a caller's read timeout runs while its call waits for a slot`() throws {
        let sink = try Self.run(dependency: #", readTimeout: "1500ms""#)
        // Queued behind two 1 s calls, the third waiting call would get its slot after 2 s: it times out first.
        let timedOut = sink.series("db", "timedOut").reduce(0) { $0 + $1.value }
        #expect(timedOut > 0)
        let late = sink.series("db", "callsQueued").filter { $0.time >= 10 }
        #expect(!late.isEmpty && late.allSatisfy { $0.value == 0 })
    }
}
