import FailureChains
import ModelFormat
import SimulationKernel
import Testing

/// Locks inside a run: the glue between the `lock` steps, the `Lock` and the threads that wait.
struct LockChainTests {
    /// `web` (two instances, threads to spare) takes lock `item` (hold `hold`) for each of 200
    /// requests a second for 10 s, then nothing; `lock` adds members to the lock, `faults` to the model.
    static func run(lock: String = "", hold: String = #"{ constant: "10ms" }"#, rate: String = "200/s", faults: String = "[]") throws -> RecordingSink {
        let text = """
        {
          faultline: 1, name: "locks",
          run: { duration: "20s", seed: 5, interval: "1s" },
          locks: [{ name: "item"\(lock) }],
          services: [{
            name: "web", instances: 2, lifecycle: { restartDelay: "1s", startupTime: "0s" },
            entryPoints: [{ name: "main", threads: 2000, steps: [{ lock: "item", hold: \(hold) }, { cpu: "1ms" }] }],
          }],
          traffic: [{ name: "calls", target: "web", arrivals: "deterministic", profile: [{ at: "0s", rate: "\(rate)" }, { at: "10s", rate: "0/s" }] }],
          faults: \(faults),
        }
        """
        let model = try ModelLoader.load(bytes: Array(text.utf8), file: "locks.json5").model
        return simulate(model).sink
    }

    @Test func `a global lock caps the throughput at one over the hold time`() throws {
        let sink = try Self.run()
        // 200 requests a second offered, 10 ms holds: one lock lets 100 a second through.
        let acquired = sink.series("item", "lockAcquired").filter { $0.time >= 2 && $0.time < 10 }
        #expect(acquired.everyRow { $0.value == 100 })
        #expect(sink.series("item", "lockHeld").filter { $0.time >= 1 && $0.time < 10 }.everyRow { $0.value > 0.999 })
        #expect(sink.series("item", "lockQueueLength").filter { $0.time == 9 }.everyRow { $0.value > 800 })
        // The waiting threads show in the instances' thread metrics, and the chain names the lock.
        #expect(sink.series("web", "threadsAtLock.item").filter { $0.time == 9 }.everyRow { $0.value > 800 })
        #expect(sink.series("web", "threadsHoldingLock.item").filter { $0.time == 9 }.everyRow { $0.value > 0.99 && $0.value < 1.01 })
        #expect(sink.count(of: "lockContended", in: "item") == 1)
    }

    @Test func `per-key locks do not cap the throughput`() throws {
        let sink = try Self.run(lock: ", keys: 1000")
        let acquired = sink.series("item", "lockAcquired").filter { $0.time >= 1 && $0.time < 10 }
        #expect(acquired.everyRow { $0.value == 200 })
        #expect(sink.series("item", "lockHeld").filter { $0.time >= 1 && $0.time < 10 }.everyRow { $0.value > 1.99 && $0.value < 2.01 })
        #expect(sink.count(of: "lockContended", in: "item") == 0)
    }

    @Test func `a hot set of one key behaves as a global lock for its share`() throws {
        // 90 % of 200 a second on one key: 180 a second for a key that lets 100 through.
        let sink = try Self.run(lock: ", keys: 1000, hot: { keys: 1, share: 0.9 }")
        #expect(sink.count(of: "lockContended", in: "item") == 1)
        let acquired = sink.series("item", "lockAcquired").filter { $0.time >= 2 && $0.time < 10 }
        #expect(acquired.everyRow { $0.value > 100 && $0.value < 130 })
    }

    @Test func `an acquire timeout fails the waiting request with its own outcome`() throws {
        let sink = try Self.run(lock: #", timeout: "50ms""#)
        let timeouts = sink.series("web", "lockTimeouts").reduce(0) { $0 + $1.value }
        let lockTimeouts = sink.series("item", "lockTimeouts").reduce(0) { $0 + $1.value }
        let failed = sink.series("web", "failed").reduce(0) { $0 + $1.value }
        #expect(timeouts > 500)
        #expect(timeouts == lockTimeouts)
        #expect(failed == timeouts)  // counted among the failed too
        // Nobody waits longer than the timeout: the queue stays short.
        #expect(sink.series("item", "lockQueueLength").everyRow { $0.value < 10 })
        #expect(sink.series("calls", "failed").reduce(0) { $0 + $1.value } == timeouts)
    }

    @Test func `an acquire timeout that proceeds goes on without the lock`() throws {
        let sink = try Self.run(lock: #", timeout: "50ms", onTimeout: "proceed""#)
        #expect(sink.series("item", "lockTimeouts").reduce(0) { $0 + $1.value } > 500)
        #expect(sink.series("web", "failed").reduce(0) { $0 + $1.value } == 0)
        let offered = sink.series("web", "offered").reduce(0) { $0 + $1.value }
        #expect(offered > 1990)
        #expect(sink.series("web", "goodput").reduce(0) { $0 + $1.value } == offered)
    }

    @Test func `a crash withdraws its waiting requests, and the hold of a crashed request still ends`() throws {
        let sink = try Self.run(faults: #"[{ at: "5s", target: "web[0]", kind: "crash" }]"#)
        // Long after the traffic stopped, nobody holds or waits: no key and no place leaked.
        #expect(sink.series("item", "lockHeld").filter { $0.time >= 18 }.everyRow { $0.value == 0 })
        #expect(sink.series("item", "lockQueueLength").filter { $0.time >= 18 }.everyRow { $0.value == 0 })
        #expect(sink.count(of: "lockRecovered", in: "item") == 1)
    }
}
