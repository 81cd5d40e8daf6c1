import FailureChains
import ModelFormat
import SimulationKernel
import Testing

/// Checks across the whole model: unique names, call cycles, and every problem collected.
struct ModelChecksTests {
    // MARK: Names

    @Test func `names are unique across services, endpoints, traffic and users`() {
        let text = """
            {faultline: 1, name: "m",
            services: [{name: "web", threads: 1, serviceTime: "1ms"}],
            endpoints: [{name: "web", latency: "1ms"}, {name: "db", latency: "1ms"}],
            traffic: [{name: "db", target: "web", rate: "1/s"}],
            users: [{name: "db", target: "web", population: 1, thinkTime: "1s"}]}
            """
        #expect(modelErrors(text) == [
            #"m.json5:3:20: error: endpoints[0].name: name "web" is already used at line 2"#,
            #"m.json5:4:18: error: traffic[0].name: name "db" is already used at line 3"#,
            #"m.json5:5:16: error: users[0].name: name "db" is already used at line 3"#,
        ])
    }

    @Test func `no component may take the model's own name`() {
        let text = """
            {faultline: 1, name: "m", services: [{name: "web", threads: 1, serviceTime: "1ms"}],
            endpoints: [{name: "m", latency: "1ms"}]}
            """
        #expect(modelErrors(text) == [
            #"m.json5:2:20: error: endpoints[0].name: name "m" is the model's own name; components need names of their own"#,
        ])
    }

    @Test func `an endpoint needs a name and a latency`() {
        #expect(modelErrors(#"{faultline: 1, name: "m", services: [{name: "web", threads: 1, serviceTime: "1ms"}], endpoints: [{name: "9db"}]}"#) == [
            "m.json5:1:98: error: endpoints[0]: missing required key 'latency'",
            #"m.json5:1:105: error: endpoints[0].name: must be a name of 1 to 64 letters, digits, '_', '-' or '.', starting with a letter, found "9db""#,
        ])
    }

    @Test func `endpoints are read in file order`() throws {
        let model = try loadModel("""
            {faultline: 1, name: "m", services: [{name: "web", threads: 1, serviceTime: "1ms"}],
            endpoints: [{name: "db", latency: {exponential: "50ms"}}, {name: "cache", latency: "1ms"}]}
            """)
        #expect(model.endpoints == [EndpointSpec(name: "db", latency: .exponential(mean: 0.05)), EndpointSpec(name: "cache", latency: .constant(0.001))])
    }

    // MARK: Call cycles

    @Test func `a cycle of three services is reported once with its path`() {
        let text = """
            {faultline: 1, name: "m", services: [
              {name: "a", threads: 1, serviceTime: "1ms", dependencies: [{name: "next", service: "b"}]},
              {name: "b", threads: 1, serviceTime: "1ms", dependencies: [{name: "next", service: "c"}]},
              {name: "c", threads: 1, serviceTime: "1ms", dependencies: [{name: "db", endpoint: "db"}, {name: "back", service: "a"}]}],
            endpoints: [{name: "db", latency: "1ms"}]}
            """
        #expect(modelErrors(text) == [
            "m.json5:4:116: error: services[2].dependencies[1].service: calls form a cycle: a -> b -> c -> a",
        ])
    }

    @Test func `a cycle entered from outside is reported from where it starts`() {
        let text = """
            {faultline: 1, name: "m", services: [
              {name: "x", threads: 1, serviceTime: "1ms", dependencies: [{name: "b", service: "b"}]},
              {name: "b", threads: 1, serviceTime: "1ms", dependencies: [{name: "c", service: "c"}]},
              {name: "c", threads: 1, serviceTime: "1ms", dependencies: [{name: "b", service: "b"}]}]}
            """
        #expect(modelErrors(text) == [
            "m.json5:4:83: error: services[2].dependencies[0].service: calls form a cycle: b -> c -> b",
        ])
    }

    @Test func `a service calling itself is a cycle`() {
        let text = #"{faultline: 1, name: "m", services: [{name: "a", threads: 1, serviceTime: "1ms", dependencies: [{name: "self", service: "a"}]}]}"#
        #expect(modelErrors(text) == [
            "m.json5:1:121: error: services[0].dependencies[0].service: calls form a cycle: a -> a",
        ])
    }

    @Test func `calls that share a service without a cycle are valid`() throws {
        let model = try loadModel("""
            {faultline: 1, name: "m", services: [
              {name: "a", threads: 1, serviceTime: "1ms", dependencies: [{name: "b", service: "b"}, {name: "c", service: "c"}]},
              {name: "b", threads: 1, serviceTime: "1ms", dependencies: [{name: "c", service: "c"}]},
              {name: "c", threads: 1, serviceTime: "1ms"}]}
            """)
        #expect(model.services.map(\.dependencies.count) == [2, 1, 0])
    }

    @Test func `a cycle through services with other problems is still reported`() {
        let text = """
            {faultline: 1, name: "m", services: [
              {name: "a", threads: 0, serviceTime: "1ms", dependencies: [{name: "b", service: "b"}]},
              {name: "b", threads: 1, serviceTime: "1ms", dependencies: [{name: "a", service: "a", readTimeout: 5}]}]}
            """
        #expect(modelErrors(text) == [
            "m.json5:2:24: error: services[0].threads: must be between 1 and 100000, found 0",
            "m.json5:3:83: error: services[1].dependencies[0].service: calls form a cycle: a -> b -> a",
            #"m.json5:3:101: error: services[1].dependencies[0].readTimeout: expected a duration such as "5s", found the number 5 (add a unit: "5s")"#,
        ])
    }

    // MARK: The expect key

    @Test func `the expect key is known`() throws {
        let model = try loadModel(#"{faultline: 1, name: "m", services: [{name: "web", threads: 1, serviceTime: "1ms"}], expect: []}"#)
        #expect(model.expectations.isEmpty)
    }

    // MARK: Every problem at once

    @Test func `problems in every section are collected and sorted`() {
        let text = """
            {faultline: 1, name: "m",
            services: [{name: "web", entryPoints: [{name: "http", threads: 1, steps: [{call: "cache"}]}],
                        dependencies: [{name: "db", endpoint: "oracle", pool: {size: 0}}]}],
            endpoints: [{name: "db", latency: "-1ms"}],
            traffic: [{name: "load", target: "web", entryPoint: "htp", rate: "1/s", cookies: "no"}],
            users: [{name: "people", target: "wbe", population: 1, thinkTime: "1s"}],
            faults: [{at: "1m", target: "web", kind: "refuse"}]}
            """
        #expect(modelErrors(text) == [
            #"m.json5:2:82: error: services[0].entryPoints[0].steps[0].call: no dependency of this service is named "cache""#,
            #"m.json5:3:51: error: services[0].dependencies[0].endpoint: no endpoint is named "oracle""#,
            "m.json5:3:74: error: services[0].dependencies[0].pool.size: must be between 1 and 100000, found 0",
            #"m.json5:4:35: error: endpoints[0].latency: durations cannot be negative, found "-1ms""#,
            #"m.json5:5:53: error: traffic[0].entryPoint: no entry point of 'web' is named "htp"; did you mean 'http'?"#,
            "m.json5:5:82: error: traffic[0].cookies: expected a boolean, found a string",
            #"m.json5:6:34: error: users[0].target: no service is named "wbe"; did you mean 'web'?"#,
            "m.json5:7:29: error: faults[0].target: fault 'refuse' needs an endpoint; 'web' is a service",
        ])
    }
}
