import FailureChains
import ModelFormat
import SimulationKernel
import Testing

/// Caches inside a run: a cold restart's miss storm at the backing dependency, single-flight's
/// one fill per key, stale answers when the dependency fails, and a flush.
struct CacheChainTests {
    /// One instance with threads to spare asks `db` (1 s a call) through a cache of ten keys, at
    /// 100 requests a second, for 20 s; it crashes at 10 s and is back at 11 s, cold.
    static func run(cache extra: String = "", faults: String = #"[{ at: "10s", target: "web", kind: "crash" }]"#,
                    ttl: String = "1h") throws -> RecordingSink {
        let text = """
        {
          faultline: 1, name: "cached",
          run: { duration: "20s", seed: 5, interval: "1s" },
          endpoints: [{ name: "db", latency: { constant: "1s" } }],
          services: [{
            name: "web", lifecycle: { restartDelay: "1s", startupTime: "0s" },
            entryPoints: [{ name: "main", threads: 1000, steps: [{ call: "db" }] }],
            dependencies: [{ name: "db", endpoint: "db", cache: { keys: 10, capacity: 10, ttl: "\(ttl)"\(extra) } }],
          }],
          traffic: [{ name: "calls", target: "web", arrivals: "deterministic", rate: "100/s" }],
          faults: \(faults),
        }
        """
        let model = try ModelLoader.load(bytes: Array(text.utf8), file: "cached.json5").model
        return simulate(model).sink
    }

    static func sum(_ values: [(time: Double, value: Double)], from start: Double, to end: Double) -> Double {
        values.filter { $0.time >= start && $0.time < end }.reduce(0) { $0 + $1.value }
    }

    @Test func `a cold cache after a restart sends every miss to the dependency`() throws {
        let sink = try Self.run()
        let calls = sink.series("db", "calls")
        // Cold at the start and again after the restart at 11 s: a second of misses, each a call.
        #expect(Self.sum(calls, from: 0, to: 2) >= 100)
        #expect(Self.sum(calls, from: 11, to: 13) >= 100)
        // Warm in between: every key is cached, and nothing reaches the dependency.
        #expect(Self.sum(calls, from: 3, to: 10) == 0)
        #expect(Self.sum(sink.series("web", "cacheHits.db"), from: 3, to: 10) == 700)
        #expect(Self.sum(sink.series("web", "cacheMisses.db"), from: 0, to: 20) == Self.sum(sink.series("web", "cacheFills.db"), from: 0, to: 20))
    }

    @Test func `with single-flight the dependency sees one fill per key at a time`() throws {
        let sink = try Self.run(cache: ", singleFlight: true")
        let calls = sink.series("db", "calls")
        // Ten keys: ten fills after the cold start, ten after the restart, each a second long.
        #expect(Self.sum(calls, from: 0, to: 10) == 10)
        #expect(Self.sum(calls, from: 10, to: 20) == 10)
        let coalesced = Self.sum(sink.series("web", "cacheCoalesced.db"), from: 0, to: 20)
        let misses = Self.sum(sink.series("web", "cacheMisses.db"), from: 0, to: 20)
        #expect(coalesced >= 180)
        #expect(misses == coalesced + 20)
        // The coalesced requests are answered when their fill lands: none fails.
        #expect(Self.sum(sink.series("calls", "failed"), from: 0, to: 20) == 0)
        #expect(Self.sum(sink.series("web", "goodput"), from: 0, to: 10) >= 900)
    }

    @Test func `a failed fill with stale on error answers from the expired entry`() throws {
        // Entries live 3 s; the database errors from 5 s to 8 s.
        let faults = #"[{ at: "5s", duration: "3s", target: "db", kind: "error" }]"#
        let stale = try Self.run(cache: ", staleOnError: true", faults: faults, ttl: "3s")
        let plain = try Self.run(faults: faults, ttl: "3s")
        #expect(Self.sum(stale.series("web", "cacheStale.db"), from: 5, to: 9) > 0)
        #expect(Self.sum(stale.series("calls", "failed"), from: 0, to: 20) == 0)
        #expect(Self.sum(plain.series("calls", "failed"), from: 5, to: 9) > 0)
        #expect(Self.sum(plain.series("web", "cacheStale.db"), from: 0, to: 20) == 0)
    }

    @Test func `a flush empties the cache and the misses come back`() throws {
        let sink = try Self.run(faults: #"[{ at: "5s", target: "web", kind: "flush" }]"#)
        let calls = sink.series("db", "calls")
        #expect(Self.sum(calls, from: 3, to: 5) == 0)
        #expect(Self.sum(calls, from: 5, to: 7) >= 100)
        #expect(sink.series("web", "cacheEntries.db").first { $0.time == 3 }?.value == 10)
        #expect(sink.series("web", "cacheEntries.db").first { $0.time == 4 }?.value == 0)
    }

    @Test func `an instance the autoscaler parks comes back with a cold cache`() throws {
        let text = """
        {
          faultline: 1, name: "scaled",
          run: { duration: "20m", seed: 5, interval: "30s" },
          endpoints: [{ name: "db", latency: { constant: "10ms" } }],
          services: [{
            name: "web", instances: 1,
            autoscaler: { targetUtilisation: "60%", interval: "30s", provisioningLag: "0s", maximumInstances: 6, maximumChange: 6 },
            entryPoints: [{ name: "main", threads: 10, queue: 1000, steps: [{ cpu: { exponential: "100ms" } }, { call: "db" }] }],
            dependencies: [{ name: "db", endpoint: "db", cache: { keys: 10, capacity: 10, ttl: "1h", singleFlight: true } }],
          }],
          traffic: [{ name: "t", target: "web", profile: [{ at: "0s", rate: "300/s" }, { at: "5m", rate: "5/s" }, { at: "15m", rate: "300/s" }] }],
        }
        """
        let sink = simulate(try ModelLoader.load(bytes: Array(text.utf8), file: "scaled.json5").model).sink
        // web[1] ran, was parked when the load fell, and ran again when it rose: each time it
        // started, its ten keys missed again, though they live for an hour.
        let parked = sink.events("instanceParked", of: "web[1]")
        let restarted = sink.events("instanceProvisioned", of: "web[1]").filter { $0.time.seconds >= 900 }
        #expect(!parked.isEmpty && !restarted.isEmpty)
        let fills = sink.series("web[1]", "cacheFills.db")
        #expect(Self.sum(fills, from: 0, to: 300) >= 10)
        #expect(Self.sum(fills, from: 900, to: 1200) >= 10)
    }

    @Test func `a flush of one instance empties its caches of each dependency and none of its neighbours'`() throws {
        // Three instances, each with a cache of two dependencies: web[1]'s are the second slot of
        // each dependency's run of caches, one instance on from the first.
        let text = """
        {
          faultline: 1, name: "neighbours",
          run: { duration: "10s", seed: 5, interval: "1s" },
          endpoints: [{ name: "db", latency: { constant: "100ms" } }, { name: "search", latency: { constant: "100ms" } }],
          services: [{
            name: "web", instances: 3,
            entryPoints: [{ name: "main", threads: 1000, steps: [{ call: "db" }, { call: "search" }] }],
            dependencies: [{ name: "db", endpoint: "db", cache: { keys: 10, capacity: 10, ttl: "1h" } },
                           { name: "search", endpoint: "search", cache: { keys: 10, capacity: 10, ttl: "1h" } }],
          }],
          traffic: [{ name: "calls", target: "web", arrivals: "deterministic", rate: "300/s" }],
          faults: [{ at: "5s", target: "web[1]", kind: "flush" }],
        }
        """
        let sink = simulate(try ModelLoader.load(bytes: Array(text.utf8), file: "neighbours.json5").model).sink
        for dependency in ["db", "search"] {
            // Each instance's keys are warm after its first seconds; the flush makes web[1]'s miss again.
            #expect(Self.sum(sink.series("web[1]", "cacheMisses.\(dependency)"), from: 5, to: 6) >= 10)
            for neighbour in ["web[0]", "web[2]"] {
                #expect(Self.sum(sink.series(neighbour, "cacheMisses.\(dependency)"), from: 3, to: 10) == 0)
                #expect(Self.sum(sink.series(neighbour, "cacheHits.\(dependency)"), from: 5, to: 6) >= 90)
            }
        }
    }
}
