import FailureChains
import ModelFormat
import SimulationKernel
import Testing

/// Locks (`locks`, `lock` steps) and result sizes (a dependency's `result`).
struct LockAndResultFormatTests {
    /// A model with the given `locks` (line 2) and a service `web` whose only entry point has the
    /// given steps (line 3), a heap when `heap`, and a dependency `db` with `result` (line 4).
    static func model(locks: String = #"[{name: "item"}]"#, steps: String = #"[{lock: "item", hold: "2ms"}]"#,
                      result: String? = nil, heap: Bool = true, target: String = #"endpoint: "db""#) -> String {
        """
        {faultline: 1, name: "m", locks: \(locks),
        services: [{name: "web", \(heap ? #"heap: {size: "1GB"}, "# : "")entryPoints: [{name: "main", threads: 5, steps: \(steps)}],
        dependencies: [{name: "db", \(target)\(result.map { ", result: " + $0 } ?? "")}]},
        {name: "other", threads: 1, serviceTime: "1ms"}],
        endpoints: [{name: "db", latency: "5ms"}]}
        """
    }

    @Test func `a lock is read with its keys, hot set, timeout and what a timeout does`() throws {
        let model = try loadModel(Self.model(locks: #"[{name: "item", keys: 100, hot: {keys: 2, share: 0.9}, timeout: "50ms", onTimeout: "proceed"}]"#))
        #expect(model.locks == [LockSpec(name: "item", keys: 100, hotKeys: 2, hotShare: 0.9, timeout: .milliseconds(50), onTimeout: .proceed)])
        #expect(model.services[0].entryPoints[0].steps == [.lock("item", hold: .constant(0.002))])
        #expect(model.services[0].lockNames == ["item"])
    }

    @Test func `a lock defaults to one key waited for forever`() throws {
        let model = try loadModel(Self.model())
        #expect(model.locks == [LockSpec(name: "item")])
        #expect(model.locks[0].keys == 1 && model.locks[0].timeout == nil && model.locks[0].onTimeout == .fail)
    }

    @Test func `a lock step names a declared lock and needs a hold`() {
        #expect(modelErrors(Self.model(steps: #"[{lock: "itme", hold: "2ms"}]"#)).contains {
            $0.contains("services[0].entryPoints[0].steps[0].lock: no lock is named \"itme\"; did you mean 'item'?")
        })
        #expect(modelErrors(Self.model(steps: #"[{lock: "item"}]"#)).contains {
            $0.contains("services[0].entryPoints[0].steps[0]: missing required key 'hold'")
        })
        #expect(modelErrors(Self.model(steps: #"[{lock: "item", hold: "2ms", hlod: 1}]"#)).contains {
            $0.contains("unknown key 'hlod'")
        })
    }

    @Test func `a lock nobody takes, a hot set as large as the lock and a lone onTimeout are errors`() {
        #expect(modelErrors(Self.model(locks: #"[{name: "item"}, {name: "spare"}]"#)).contains {
            $0.contains("locks[1].name: no step takes lock \"spare\"")
        })
        #expect(modelErrors(Self.model(locks: #"[{name: "item", keys: 2, hot: {keys: 2, share: 0.5}}]"#)).contains {
            $0.contains("locks[0].hot.keys: must be fewer than the lock's keys (2), found 2")
        })
        #expect(modelErrors(Self.model(locks: #"[{name: "item", onTimeout: "proceed"}]"#)).contains {
            $0.contains("locks[0].onTimeout: 'onTimeout' says what a request does when its wait times out; give 'timeout' too")
        })
        #expect(modelErrors(Self.model(locks: #"[{name: "item", keys: 0}]"#)).contains { $0.contains("locks[0].keys:") })
        #expect(modelErrors(Self.model(locks: #"[{name: "web"}]"#, steps: #"[{lock: "web", hold: "2ms"}]"#)).contains {
            $0.contains("name") && $0.contains("web")
        })
    }

    @Test func `a result is read with its rows, growth, purge, share, limit and costs`() throws {
        let model = try loadModel(Self.model(locks: "[]", steps: #"[{call: "db"}]"#,
            result: #"{rows: 1000, growth: "3600/h", purgeInterval: "5m", share: {uniform: [0, 0.5]}, limit: 100, perRow: "10us", bytesPerRow: "1KB", queryPerRow: "2us"}"#))
        let result = try #require(model.services[0].dependencies[0].result)
        #expect(result.rows == 1000)
        #expect(abs(result.growthPerSecond - 1) < 1e-12)
        #expect(result.purgeInterval == .seconds(300))
        #expect(result.share == .uniform(lower: 0, upper: 0.5))
        #expect(result.limit == 100)
        #expect(abs(result.perRow - 1e-5) < 1e-15 && abs(result.queryPerRow - 2e-6) < 1e-15)
        #expect(result.bytesPerRow == 1000 || result.bytesPerRow == 1024)
        let fixed = try loadModel(Self.model(locks: "[]", steps: #"[{call: "db"}]"#, result: #"{rows: 5, share: 0.25}"#))
        #expect(fixed.services[0].dependencies[0].result == ResultSpec(rows: 5, share: .constant(0.25)))
    }

    @Test func `a result's heap bytes need a heap, its query time an endpoint, and its share a fraction`() {
        #expect(modelErrors(Self.model(locks: "[]", steps: #"[{call: "db"}]"#, result: #"{rows: 5, bytesPerRow: "1KB"}"#, heap: false)).contains {
            $0.contains("services[0].dependencies[0].result.bytesPerRow: rows held on the heap need a heap")
        })
        #expect(modelErrors(Self.model(locks: "[]", steps: #"[{call: "db"}]"#, result: #"{rows: 5, queryPerRow: "1ms"}"#, target: #"service: "other""#)).contains {
            $0.contains("services[0].dependencies[0].result.queryPerRow: 'queryPerRow' is the time an endpoint takes per row")
        })
        #expect(modelErrors(Self.model(locks: "[]", steps: #"[{call: "db"}]"#, result: #"{rows: 5, share: 1.5}"#)).contains {
            $0.contains("services[0].dependencies[0].result.share:")
        })
        #expect(modelErrors(Self.model(locks: "[]", steps: #"[{call: "db"}]"#, result: #"{share: 0.5}"#)).contains {
            $0.contains("services[0].dependencies[0].result: missing required key 'rows'")
        })
        #expect(modelErrors(Self.model(locks: "[]", steps: #"[{call: "db"}]"#, result: #"{rows: 5, limit: 0}"#)).contains {
            $0.contains("services[0].dependencies[0].result.limit:")
        })
    }
}
