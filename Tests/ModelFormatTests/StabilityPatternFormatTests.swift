import FailureChains
import ModelFormat
import SimulationKernel
import Testing

/// The stability-pattern knobs beyond a dependency's breaker and retry: load shedding and fail
/// fast on entry points, bulkheads on dependencies, handshaking in health checks, supervisors,
/// periodic session purges, and autoscalers.
struct StabilityPatternFormatTests {
    /// The model of `ServiceFormatTests`: one service `web` with the given members from line 2,
    /// column 26, and an endpoint `db`.
    static func model(service: String) -> String { ServiceFormatTests.model(service: service) }

    static func service(_ members: String) throws -> ServiceSpec? { try ServiceFormatTests.service(members) }

    // MARK: Load shedding and fail fast

    @Test func `an entry point sheds nothing and does not fail fast unless told`() throws {
        let entryPoint = try Self.service(#"entryPoints: [{name: "http", threads: 2, steps: [{cpu: "1ms"}]}]"#)?.entryPoints.first
        #expect(entryPoint?.shedding == nil)
        #expect(entryPoint?.failsFast == false)
    }

    @Test(arguments: [
        (#"shedding: {maximumQueueLength: 50}"#, LoadSheddingSpec(maximumQueueLength: 50), false),
        (#"shedding: {maximumQueueLength: 0}"#, LoadSheddingSpec(maximumQueueLength: 0), false),
        (#"shedding: {maximumQueueAge: "2s"}"#, LoadSheddingSpec(maximumQueueAge: .seconds(2)), false),
        (#"shedding: {maximumQueueLength: 10, maximumQueueAge: "500ms"}, failFast: true"#,
         LoadSheddingSpec(maximumQueueLength: 10, maximumQueueAge: .milliseconds(500)), true),
        (#"failFast: false"#, nil, false),
    ])
    func `an entry point reads its shedding policy and fail fast`(members: String, shedding: LoadSheddingSpec?, failsFast: Bool) throws {
        let service = try Self.service(#"entryPoints: [{name: "http", threads: 2, steps: [{call: "db"}], \#(members)}], dependencies: [{name: "db", endpoint: "db"}]"#)
        #expect(service?.entryPoints == [EntryPointSpec(name: "http", threads: 2, queueCapacity: nil, steps: [.call(0)],
                                                        shedding: shedding, failsFast: failsFast)])
    }

    @Test func `the simple form puts shedding and fail fast on its main entry point`() throws {
        let service = try Self.service(#"threads: 8, queue: 20, serviceTime: "10ms", shedding: {maximumQueueAge: "1s"}, failFast: true"#)
        #expect(service?.entryPoints == [EntryPointSpec(name: "main", threads: 8, queueCapacity: 20, steps: [.cpu(.constant(0.01))],
                                                        shedding: LoadSheddingSpec(maximumQueueAge: .seconds(1)), failsFast: true)])
    }

    // MARK: Bulkheads

    @Test(arguments: [
        (#""#, nil),
        (#", bulkhead: {maximumConcurrentCalls: 1}"#, 1),
        (#", bulkhead: {maximumConcurrentCalls: 25}"#, 25),
    ] as [(String, Int?)])
    func `a dependency has a bulkhead only when given one`(members: String, expected: Int?) throws {
        let service = try Self.service(#"threads: 1, serviceTime: "1ms", dependencies: [{name: "db", endpoint: "db"\#(members)}]"#)
        #expect(service?.dependencies.first?.maximumConcurrentCalls == expected)
    }

    // MARK: Handshaking

    @Test(arguments: [
        (#"{}"#, nil),
        (#"{busyThreshold: "90%"}"#, 0.9),
        (#"{busyThreshold: "100%"}"#, 1),
        (#"{busyThreshold: "12.5%"}"#, 0.125),
        (#"{busyThreshold: 0.75}"#, 0.75),
        (#"{busyThreshold: 1}"#, 1),
    ] as [(String, Double?)])
    func `a health check's busy threshold is a percentage or a fraction`(healthCheck: String, expected: Double?) throws {
        let service = try Self.service(#"threads: 1, serviceTime: "1ms", balancer: {healthCheck: \#(healthCheck)}"#)
        #expect(service?.balancer.healthCheck?.busyThreshold == expected)
    }

    // MARK: Supervisor and heap

    @Test func `a lifecycle has no supervisor unless given one`() throws {
        #expect(try Self.service(#"threads: 1, serviceTime: "1ms", lifecycle: {}"#)?.lifecycle.supervisor == nil)
    }

    @Test func `a supervisor is read with its restarts and period`() throws {
        let service = try Self.service(#"threads: 1, serviceTime: "1ms", lifecycle: {restartDelay: "5s", supervisor: {maximumRestarts: 3, period: "10m"}}"#)
        #expect(service?.lifecycle == LifecycleSpec(restartDelay: .seconds(5), supervisor: SupervisorSpec(maximumRestarts: 3, period: .seconds(600))))
    }

    @Test(arguments: [
        (#"{size: "1GB"}"#, HeapSpec(size: 1_000_000_000, baseline: 0, sessionSize: 0, sessionTimeout: .seconds(1_800))),
        (#"{size: "1GB", sessionTimeout: "never"}"#, HeapSpec(size: 1_000_000_000, baseline: 0, sessionSize: 0, sessionTimeout: .forever)),
        (#"{size: "1GB", sessionTimeout: "20m", purgeInterval: "5m"}"#,
         HeapSpec(size: 1_000_000_000, baseline: 0, sessionSize: 0, sessionTimeout: .seconds(1_200), purgeInterval: .seconds(300))),
    ])
    func `a heap purges sessions at their expiry unless given a purge interval, and never means they never expire`(heap: String, expected: HeapSpec) throws {
        #expect(try Self.service(#"threads: 1, serviceTime: "1ms", heap: \#(heap)"#)?.heap == expected)
    }

    // MARK: Autoscaler

    @Test func `a service has no autoscaler unless given one`() throws {
        #expect(try Self.service(#"threads: 1, serviceTime: "1ms""#)?.autoscaler == nil)
    }

    @Test(arguments: [
        (#"instances: 2, autoscaler: {targetUtilisation: "70%", maximumInstances: 8}"#,
         AutoscalerSpec(targetUtilisation: 0.7, interval: .seconds(60), provisioningLag: .zero, minimumInstances: 1, maximumInstances: 8, maximumChange: 1)),
        (#"instances: 4, autoscaler: {targetUtilisation: 0.5, interval: "30s", provisioningLag: "3m", minimumInstances: 2, maximumInstances: 20, maximumChange: 4}"#,
         AutoscalerSpec(targetUtilisation: 0.5, interval: .seconds(30), provisioningLag: .seconds(180), minimumInstances: 2, maximumInstances: 20, maximumChange: 4)),
        (#"autoscaler: {targetUtilisation: "100%", minimumInstances: 1, maximumInstances: 1}"#,
         AutoscalerSpec(targetUtilisation: 1, interval: .seconds(60), provisioningLag: .zero, minimumInstances: 1, maximumInstances: 1, maximumChange: 1)),
    ])
    func `an autoscaler is read with its documented defaults`(members: String, expected: AutoscalerSpec) throws {
        #expect(try Self.service(#"threads: 1, serviceTime: "1ms", \#(members)"#)?.autoscaler == expected)
    }

    @Test func `an autoscaler's maximum counts toward the instances of the model`() {
        let services = (0..<11).map { #"{name: "s\#($0)", threads: 1, serviceTime: "1ms", autoscaler: {targetUtilisation: "50%", maximumInstances: 10000}}"# }
        let text = #"{faultline: 1, name: "m", services: ["# + services.joined(separator: ", ") + "]}"
        #expect(modelErrors(text) == [
            "m.json5:1:38: error: services[0].instances: the model has 110000 instances in all (counting each autoscaler's maximumInstances), more than the limit of 100000",
        ])
    }

    @Test func `services whose autoscalers may reach the limit together, and no further, load`() throws {
        let services = (0..<10).map { #"{name: "s\#($0)", threads: 1, serviceTime: "1ms", autoscaler: {targetUtilisation: "50%", maximumInstances: 10000}}"# }
        let model = try loadModel(#"{faultline: 1, name: "m", services: ["# + services.joined(separator: ", ") + "]}")
        #expect(model.services.map { $0.autoscaler?.maximumInstances } == Array(repeating: 10000, count: 10))
    }

    // MARK: Errors

    @Test(arguments: [
        // Load shedding and fail fast.
        (#"threads: 2, serviceTime: "1ms", shedding: {}"#,
         #"m.json5:2:68: error: services[0].shedding: a shedding policy needs 'maximumQueueLength', 'maximumQueueAge' or both"#),
        (#"threads: 2, serviceTime: "1ms", shedding: {maximumQueueLenght: 5}"#,
         #"m.json5:2:69: error: services[0].shedding: unknown key 'maximumQueueLenght'; did you mean 'maximumQueueLength'?"#),
        (#"threads: 2, serviceTime: "1ms", shedding: {maximumQueueLength: -1}"#,
         #"m.json5:2:89: error: services[0].shedding.maximumQueueLength: must be between 0 and 10000000, found -1"#),
        (#"threads: 2, serviceTime: "1ms", shedding: {maximumQueueAge: "0s"}"#,
         #"m.json5:2:86: error: services[0].shedding.maximumQueueAge: must be positive, found 0s"#),
        (#"threads: 2, serviceTime: "1ms", shedding: {maximumQueueAge: 5}"#,
         #"m.json5:2:86: error: services[0].shedding.maximumQueueAge: expected a duration such as "5s", found the number 5 (add a unit: "5s")"#),
        (#"threads: 2, serviceTime: "1ms", shedding: true"#,
         #"m.json5:2:68: error: services[0].shedding: expected an object, found a boolean"#),
        (#"threads: 2, serviceTime: "1ms", failFast: "yes""#,
         #"m.json5:2:68: error: services[0].failFast: expected a boolean, found a string"#),
        (#"entryPoints: [{name: "http", threads: 4, steps: [{cpu: "1ms"}]}], shedding: {maximumQueueLength: 5}"#,
         #"m.json5:2:102: error: services[0].shedding: a service with 'entryPoints' gives 'shedding' on each entry point"#),
        (#"entryPoints: [{name: "http", threads: 4, steps: [{cpu: "1ms"}]}], failFast: true"#,
         #"m.json5:2:102: error: services[0].failFast: a service with 'entryPoints' gives 'failFast' on each entry point"#),
        (#"entryPoints: [{name: "http", threads: 4, steps: [{cpu: "1ms"}], shedding: {maximumQueueAge: "-1s"}}]"#,
         #"m.json5:2:118: error: services[0].entryPoints[0].shedding.maximumQueueAge: durations cannot be negative, found "-1s""#),
        (#"entryPoints: [{name: "http", threads: 4, steps: [{cpu: "1ms"}], failFast: 1}]"#,
         #"m.json5:2:100: error: services[0].entryPoints[0].failFast: expected a boolean, found a number"#),
        // Bulkheads.
        (#"threads: 4, serviceTime: "1ms", dependencies: [{name: "db", endpoint: "db", bulkhead: {maximumConcurrentCalls: 0}}]"#,
         #"m.json5:2:137: error: services[0].dependencies[0].bulkhead.maximumConcurrentCalls: must be between 1 and 100000, found 0"#),
        (#"threads: 4, serviceTime: "1ms", dependencies: [{name: "db", endpoint: "db", bulkhead: {maximumConcurrentCalls: 100001}}]"#,
         #"m.json5:2:137: error: services[0].dependencies[0].bulkhead.maximumConcurrentCalls: must be between 1 and 100000, found 100001"#),
        (#"threads: 4, serviceTime: "1ms", dependencies: [{name: "db", endpoint: "db", bulkhead: {}}]"#,
         #"m.json5:2:112: error: services[0].dependencies[0].bulkhead: missing required key 'maximumConcurrentCalls'"#),
        (#"threads: 4, serviceTime: "1ms", dependencies: [{name: "db", endpoint: "db", bulkhead: 5}]"#,
         #"m.json5:2:112: error: services[0].dependencies[0].bulkhead: expected an object, found a number"#),
        // Handshaking.
        (#"threads: 4, serviceTime: "1ms", balancer: {healthCheck: {busyThreshold: "0%"}}"#,
         #"m.json5:2:98: error: services[0].balancer.healthCheck.busyThreshold: must be greater than 0% and at most 100%, found 0%"#),
        (#"threads: 4, serviceTime: "1ms", balancer: {healthCheck: {busyThreshold: "101%"}}"#,
         #"m.json5:2:98: error: services[0].balancer.healthCheck.busyThreshold: must be greater than 0% and at most 100%, found 101%"#),
        (#"threads: 4, serviceTime: "1ms", balancer: {healthCheck: {busyThreshold: 0}}"#,
         #"m.json5:2:98: error: services[0].balancer.healthCheck.busyThreshold: must be greater than 0 and at most 1, found 0"#),
        (#"threads: 4, serviceTime: "1ms", balancer: {healthCheck: {busyThreshold: 90}}"#,
         #"m.json5:2:98: error: services[0].balancer.healthCheck.busyThreshold: must be greater than 0 and at most 1, found 90 (for a percentage, write "90%")"#),
        (#"threads: 4, serviceTime: "1ms", balancer: {healthCheck: {busyThreshold: "90"}}"#,
         #"m.json5:2:98: error: services[0].balancer.healthCheck.busyThreshold: expected a percentage such as "99.9%", found "90" (add a unit: "90%")"#),
        (#"threads: 4, serviceTime: "1ms", balancer: {healthCheck: {busyThreshold: true}}"#,
         #"m.json5:2:98: error: services[0].balancer.healthCheck.busyThreshold: expected a percentage such as "90%" or a number such as 0.9, found a boolean"#),
        // Supervisor.
        (#"threads: 4, serviceTime: "1ms", lifecycle: {supervisor: {period: "1m"}}"#,
         #"m.json5:2:82: error: services[0].lifecycle.supervisor: missing required key 'maximumRestarts'"#),
        (#"threads: 4, serviceTime: "1ms", lifecycle: {supervisor: {maximumRestarts: 3}}"#,
         #"m.json5:2:82: error: services[0].lifecycle.supervisor: missing required key 'period'"#),
        (#"threads: 4, serviceTime: "1ms", lifecycle: {supervisor: {maximumRestarts: 0, period: "1m"}}"#,
         #"m.json5:2:100: error: services[0].lifecycle.supervisor.maximumRestarts: must be at least 1, found 0"#),
        (#"threads: 4, serviceTime: "1ms", lifecycle: {supervisor: {maximumRestarts: 3, period: "0s"}}"#,
         #"m.json5:2:111: error: services[0].lifecycle.supervisor.period: must be positive, found 0s"#),
        (#"threads: 4, serviceTime: "1ms", lifecycle: {restartDelay: "never", supervisor: {maximumRestarts: 3, period: "1m"}}"#,
         #"m.json5:2:105: error: services[0].lifecycle.supervisor: a supervisor restarts crashed instances, but 'restartDelay' is "never"; give a delay or leave the supervisor out"#),
        // Heap.
        (#"threads: 4, serviceTime: "1ms", heap: {size: "1GB", purgeInterval: "0s"}"#,
         #"m.json5:2:93: error: services[0].heap.purgeInterval: must be positive, found 0s"#),
        (#"threads: 4, serviceTime: "1ms", heap: {size: "1GB", sessionTimeout: "nevr"}"#,
         #"m.json5:2:94: error: services[0].heap.sessionTimeout: expected a duration such as "5s" or "never", found "nevr""#),
        // Autoscaler.
        (#"threads: 4, serviceTime: "1ms", autoscaler: {maximumInstances: 4}"#,
         #"m.json5:2:70: error: services[0].autoscaler: missing required key 'targetUtilisation'"#),
        (#"threads: 4, serviceTime: "1ms", autoscaler: {targetUtilisation: "70%"}"#,
         #"m.json5:2:70: error: services[0].autoscaler: missing required key 'maximumInstances'"#),
        (#"threads: 4, serviceTime: "1ms", autoscaler: {targetUtilisation: 1.5, maximumInstances: 4}"#,
         #"m.json5:2:90: error: services[0].autoscaler.targetUtilisation: must be greater than 0 and at most 1, found 1.5"#),
        (#"threads: 4, serviceTime: "1ms", autoscaler: {targetUtilisation: "0%", maximumInstances: 4}"#,
         #"m.json5:2:90: error: services[0].autoscaler.targetUtilisation: must be greater than 0% and at most 100%, found 0%"#),
        (#"threads: 4, serviceTime: "1ms", autoscaler: {targetUtilisation: "70%", interval: "0s", maximumInstances: 4}"#,
         #"m.json5:2:107: error: services[0].autoscaler.interval: must be at least 1s, found 0s"#),
        (#"threads: 4, serviceTime: "1ms", autoscaler: {targetUtilisation: "70%", provisioningLag: "-1s", maximumInstances: 4}"#,
         #"m.json5:2:114: error: services[0].autoscaler.provisioningLag: durations cannot be negative, found "-1s""#),
        (#"threads: 4, serviceTime: "1ms", autoscaler: {targetUtilisation: "70%", minimumInstances: 0, maximumInstances: 4}"#,
         #"m.json5:2:115: error: services[0].autoscaler.minimumInstances: must be between 1 and 10000, found 0"#),
        (#"threads: 4, serviceTime: "1ms", autoscaler: {targetUtilisation: "70%", maximumInstances: 10001}"#,
         #"m.json5:2:115: error: services[0].autoscaler.maximumInstances: must be between 1 and 10000, found 10001"#),
        (#"threads: 4, serviceTime: "1ms", autoscaler: {targetUtilisation: "70%", maximumInstances: 4, maximumChange: 0}"#,
         #"m.json5:2:133: error: services[0].autoscaler.maximumChange: must be between 1 and 10000, found 0"#),
        (#"instances: 2, threads: 4, serviceTime: "1ms", autoscaler: {targetUtilisation: "70%", minimumInstances: 3, maximumInstances: 4}"#,
         #"m.json5:2:129: error: services[0].autoscaler.minimumInstances: must be at most the service's instances (2), found 3"#),
        (#"threads: 4, serviceTime: "1ms", autoscaler: {targetUtilisation: "70%", minimumInstances: 2, maximumInstances: 4}"#,
         #"m.json5:2:115: error: services[0].autoscaler.minimumInstances: must be at most the service's instances (1), found 2"#),
        (#"instances: 5, threads: 4, serviceTime: "1ms", autoscaler: {targetUtilisation: "70%", maximumInstances: 4}"#,
         #"m.json5:2:129: error: services[0].autoscaler.maximumInstances: must be at least the service's instances (5), found 4"#),
        (#"instances: 5, threads: 4, serviceTime: "1ms", autoscaler: {targetUtilisation: "70%", minimumInstances: 5, maximumInstances: 4}"#,
         #"m.json5:2:150: error: services[0].autoscaler.maximumInstances: must be at least minimumInstances (5), found 4"#),
        (#"instances: 0, threads: 4, serviceTime: "1ms", autoscaler: {targetUtilisation: "70%", minimumInstances: 2, maximumInstances: 4}"#,
         #"m.json5:2:37: error: services[0].instances: must be between 1 and 10000, found 0"#),
        (#"threads: 4, serviceTime: "1ms", autoscaler: {targetUtilisation: "70%", maximumInstances: 4, cooldown: "1m"}"#,
         #"m.json5:2:118: error: services[0].autoscaler: unknown key 'cooldown'"#),
    ])
    func `every problem of a stability pattern is located at its value`(service: String, expected: String) {
        #expect(modelErrors(Self.model(service: service)) == [expected])
    }

    @Test func `a fault may name an instance the autoscaler can start`() throws {
        let model = try loadModel("""
            {faultline: 1, name: "m",
            services: [{name: "web", instances: 2, threads: 4, serviceTime: "1ms",
                        autoscaler: {targetUtilisation: "60%", maximumInstances: 6}}],
            faults: [{at: "1m", target: "web[5]", kind: "crash"}]}
            """)
        #expect(model.faults.first?.target == "web[5]")
    }
}
