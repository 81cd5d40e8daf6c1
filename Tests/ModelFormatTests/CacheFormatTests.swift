import FailureChains
import ModelFormat
import SimulationKernel
import Testing

/// A dependency's `cache` and the `flush` fault, as the model format reads them.
struct CacheFormatTests {
    static func dependencies(_ cache: String) -> String {
        #"threads: 4, serviceTime: "1ms", dependencies: [{name: "db", endpoint: "db", cache: \#(cache)}]"#
    }

    @Test func `a cache takes its defaults: uniform keys, no jitter, no refresh, no single-flight, no stale answers`() throws {
        let service = try ServiceFormatTests.service(Self.dependencies(#"{keys: 100, capacity: 10, ttl: "1m"}"#))
        let cache = try #require(service?.dependencies.first?.cache)
        #expect(cache == CacheSpec(keys: 100, popularity: .uniform, capacity: 10, ttl: .seconds(60)))
        #expect(cache.ttlJitter == .zero && cache.refreshAhead == nil && !cache.singleFlight && !cache.staleOnError)
    }

    @Test func `a dependency without a cache has none`() throws {
        let service = try ServiceFormatTests.service(#"threads: 4, serviceTime: "1ms", dependencies: [{name: "db", endpoint: "db"}]"#)
        #expect(service?.dependencies.first?.cache == nil)
    }

    @Test func `every key of a cache is read`() throws {
        let text = #"{keys: 5000, zipf: 1.1, capacity: 500, ttl: "10m", ttlJitter: "1m", refreshAhead: "30s", singleFlight: true, staleOnError: true}"#
        let cache = try #require(try ServiceFormatTests.service(Self.dependencies(text))?.dependencies.first?.cache)
        #expect(cache == CacheSpec(keys: 5000, popularity: .zipf(exponent: 1.1), capacity: 500, ttl: .seconds(600), ttlJitter: .seconds(60),
                                   refreshAhead: .seconds(30), singleFlight: true, staleOnError: true))
    }

    @Test func `a hot set is read as shares`() throws {
        let text = #"{keys: 1000, hotSet: {keys: "20%", requests: "80%"}, capacity: 10, ttl: "1m"}"#
        let cache = try #require(try ServiceFormatTests.service(Self.dependencies(text))?.dependencies.first?.cache)
        #expect(cache.popularity == .hotSet(keyShare: 0.2, requestShare: 0.8))
    }

    @Test(arguments: [
        (#"{capacity: 10, ttl: "1m"}"#, "services[0].dependencies[0].cache: missing required key 'keys'"),
        (#"{keys: 10, ttl: "1m"}"#, "services[0].dependencies[0].cache: missing required key 'capacity'"),
        (#"{keys: 10, capacity: 10}"#, "services[0].dependencies[0].cache: missing required key 'ttl'"),
        (#"{keys: 0, capacity: 10, ttl: "1m"}"#, "services[0].dependencies[0].cache.keys: must be between 1 and 10000000, found 0"),
        (#"{keys: 10, capacity: 1000001, ttl: "1m"}"#, "services[0].dependencies[0].cache.capacity: must be between 1 and 1000000, found 1000001"),
        (#"{keys: 10, capacity: 10, ttl: "0s"}"#, "services[0].dependencies[0].cache.ttl: must be positive, found 0s"),
        (#"{keys: 10, capacity: 10, ttl: "1m", ttlJitter: "-1s"}"#, #"services[0].dependencies[0].cache.ttlJitter: durations cannot be negative, found "-1s""#),
        (#"{keys: 10, capacity: 10, ttl: "1m", refreshAhead: "1m"}"#, "services[0].dependencies[0].cache.refreshAhead: must be shorter than 'ttl' (1m), found 1m"),
        (#"{keys: 10, capacity: 10, ttl: "1m", zipf: 0}"#, "services[0].dependencies[0].cache.zipf: must be greater than 0 and at most 10, found 0"),
        (#"{keys: 10, capacity: 10, ttl: "1m", zipf: 1, hotSet: {keys: "1%", requests: "50%"}}"#,
         "services[0].dependencies[0].cache.hotSet: give either 'zipf' or 'hotSet', not both"),
        (#"{keys: 10, capacity: 10, ttl: "1m", hotSet: {keys: "20%"}}"#, "services[0].dependencies[0].cache.hotSet: missing required key 'requests'"),
        (#"{keys: 10, capacity: 10, ttl: "1m", hotSet: {keys: "100%", requests: "50%"}}"#,
         "services[0].dependencies[0].cache.hotSet.keys: must be greater than 0% and less than 100%, found 100%"),
        (#"{keys: 10, capacity: 10, ttl: "1m", singleFlight: "yes"}"#, "services[0].dependencies[0].cache.singleFlight: expected a boolean, found a string"),
        (#"{keys: 10, capacity: 10, ttl: "1m", singleflight: true}"#,
         "services[0].dependencies[0].cache: unknown key 'singleflight'; did you mean 'singleFlight'?"),
    ] as [(String, String)])
    func `a bad cache is a located error`(cache: String, message: String) {
        let errors = modelErrors(StabilityPatternFormatTests.model(service: Self.dependencies(cache)))
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("m.json5:2:") == true)
        #expect(errors.first?.hasSuffix(": error: " + message) == true, "\(errors)")
    }

    @Test func `a flush fault hits a service or an instance, at an instant`() throws {
        func model(_ fault: String) -> String {
            """
            {faultline: 1, name: "m",
            services: [{name: "web", instances: 2, threads: 4, serviceTime: "1ms"}],
            endpoints: [{name: "db", latency: "5ms"}],
            faults: [\(fault)]}
            """
        }
        #expect(modelErrors(model(#"{at: "1m", target: "web", kind: "flush"}"#)).isEmpty)
        #expect(modelErrors(model(#"{at: "1m", target: "web[1]", kind: "flush"}"#)).isEmpty)
        #expect(modelErrors(model(#"{at: "1m", target: "db", kind: "flush"}"#)).first?.hasSuffix(
            "error: faults[0].target: fault 'flush' needs a service or an instance; 'db' is an endpoint") == true)
        #expect(modelErrors(model(#"{at: "1m", duration: "1s", target: "web", kind: "flush"}"#)).first?.hasSuffix(
            "error: faults[0].duration: a 'flush' fault happens at an instant and takes no duration") == true)
        let loaded = try ModelLoader.load(bytes: Array(model(#"{at: "1m", target: "web", kind: "flush"}"#).utf8), file: "m.json5")
        #expect(loaded.model.faults.first?.kind == .flush)
    }
}
