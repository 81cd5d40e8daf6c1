import FailureChains
import ModelFormat
import SimulationKernel
import Testing

/// Services: the simple form and entry points, steps, dependencies and pools, balancer and health
/// check, lifecycle and heap.
struct ServiceFormatTests {
    /// A model whose only service, `web`, has the given members from line 2, column 26, and an
    /// endpoint `db`.
    static func model(service: String) -> String {
        """
        {faultline: 1, name: "m",
        services: [{name: "web", \(service)}],
        endpoints: [{name: "db", latency: "5ms"}]}
        """
    }

    static func service(_ members: String) throws -> ServiceSpec? {
        try loadModel(model(service: members)).services.first
    }

    // MARK: Entry points and steps

    @Test func `the simple form is one entry point named main whose requests do cpu work`() throws {
        let service = try Self.service(#"instances: 3, threads: 8, queue: 20, serviceTime: "10ms""#)
        #expect(service == ServiceSpec(name: "web", instances: 3, entryPoints: [
            EntryPointSpec(name: "main", threads: 8, queueCapacity: 20, steps: [.cpu(.constant(0.01))]),
        ]))
    }

    @Test func `entry points are read with their threads, queues and steps in order`() throws {
        let service = try Self.service("""
            entryPoints: [
              {name: "ejb", threads: 25, queue: "unbounded", steps: [{cpu: {exponential: "30ms"}}, {call: "db"}, {session: true}]},
              {name: "http", threads: 10, queue: 100, steps: [{cpu: "2ms"}, {call: "cache"}]}],
            dependencies: [{name: "cache", endpoint: "db"}, {name: "db", endpoint: "db"}],
            heap: {size: "1GB"}
            """)
        #expect(service?.entryPoints == [
            EntryPointSpec(name: "ejb", threads: 25, queueCapacity: nil, steps: [.cpu(.exponential(mean: 0.03)), .call(1), .session]),
            EntryPointSpec(name: "http", threads: 10, queueCapacity: 100, steps: [.cpu(.constant(0.002)), .call(0)]),
        ])
    }

    @Test(arguments: [
        (#"{name: "a", threads: 1, steps: [{cpu: "1ms"}]}"#, EntryPointSpec(name: "a", threads: 1, queueCapacity: nil, steps: [.cpu(.constant(0.001))])),
        (#"{name: "a", threads: 2, queue: 0, steps: [{cpu: "1ms"}]}"#, EntryPointSpec(name: "a", threads: 2, queueCapacity: 0, steps: [.cpu(.constant(0.001))])),
    ])
    func `an entry point's queue is unbounded unless given`(entryPoint: String, expected: EntryPointSpec) throws {
        #expect(try Self.service("entryPoints: [\(entryPoint)]")?.entryPoints == [expected])
    }

    // MARK: Dependencies

    @Test func `a dependency on an endpoint has no pool and no timeouts by default`() throws {
        let service = try Self.service(#"threads: 1, serviceTime: "1ms", dependencies: [{name: "db", endpoint: "db"}]"#)
        #expect(service?.dependencies == [DependencySpec(name: "db", target: .endpoint(name: "db"))])
    }

    @Test func `a pooled dependency reads its pool and timeouts`() throws {
        let service = try Self.service("""
            threads: 1, serviceTime: "1ms", dependencies: [{name: "db", endpoint: "db",
              pool: {size: 40, checkoutTimeout: "500ms", leakOnError: true}, connectTimeout: "1s", readTimeout: "10s"}]
            """)
        #expect(service?.dependencies == [DependencySpec(
            name: "db", target: .endpoint(name: "db"), pool: PoolSpec(size: 40, checkoutTimeout: .milliseconds(500), leakOnError: true),
            connectTimeout: .seconds(1), readTimeout: .seconds(10))])
    }

    @Test(arguments: [
        (#"pool: {size: 1}"#, PoolSpec(size: 1, checkoutTimeout: nil, leakOnError: false)),
        (#"pool: {size: 2, checkoutTimeout: "none", leakOnError: false}"#, PoolSpec(size: 2, checkoutTimeout: nil, leakOnError: false)),
        (#"pool: {size: 3, checkoutTimeout: "0s"}"#, PoolSpec(size: 3, checkoutTimeout: .zero, leakOnError: false)),
    ])
    func `a pool waits forever and never leaks unless told`(pool: String, expected: PoolSpec) throws {
        let service = try Self.service(#"threads: 1, serviceTime: "1ms", dependencies: [{name: "db", endpoint: "db", \#(pool)}]"#)
        #expect(service?.dependencies.first?.pool == expected)
    }

    @Test func `none means no timeout`() throws {
        let service = try Self.service(#"threads: 1, serviceTime: "1ms", dependencies: [{name: "db", endpoint: "db", connectTimeout: "none", readTimeout: "none"}]"#)
        #expect(service?.dependencies.first?.connectTimeout == nil)
        #expect(service?.dependencies.first?.readTimeout == nil)
    }

    @Test func `a dependency on a service names the service and optionally its entry point`() throws {
        let model = try loadModel("""
            {faultline: 1, name: "m", services: [
              {name: "front", threads: 1, serviceTime: "1ms",
               dependencies: [{name: "a", service: "back"}, {name: "b", service: "back", entryPoint: "ejb"}]},
              {name: "back", entryPoints: [{name: "http", threads: 1, steps: [{cpu: "1ms"}]}, {name: "ejb", threads: 1, steps: [{cpu: "1ms"}]}]}]}
            """)
        #expect(model.services.first?.dependencies == [
            DependencySpec(name: "a", target: .service(name: "back", entryPoint: nil)),
            DependencySpec(name: "b", target: .service(name: "back", entryPoint: "ejb")),
        ])
    }

    @Test func `a dependency's entry point must exist on its service`() {
        let text = """
            {faultline: 1, name: "m", services: [
              {name: "front", threads: 1, serviceTime: "1ms", dependencies: [{name: "a", service: "back", entryPoint: "ejbb"}]},
              {name: "back", entryPoints: [{name: "ejb", threads: 1, steps: [{cpu: "1ms"}]}]},
              {name: "simple", threads: 1, serviceTime: "1ms", dependencies: [{name: "a", service: "front", entryPoint: "http"}]}]}
            """
        #expect(modelErrors(text) == [
            #"m.json5:2:107: error: services[0].dependencies[0].entryPoint: no entry point of 'back' is named "ejbb"; did you mean 'ejb'?"#,
            #"m.json5:4:109: error: services[2].dependencies[0].entryPoint: no entry point of 'front' is named "http""#,
        ])
    }

    // MARK: Balancer

    @Test func `a service without a balancer is round robin without health checks`() throws {
        #expect(try Self.service(#"threads: 1, serviceTime: "1ms""#)?.balancer == BalancerSpec(strategy: .roundRobin, healthCheck: nil))
    }

    @Test(arguments: BalancerSpec.Strategy.allCases)
    func `every strategy is read by its name`(strategy: BalancerSpec.Strategy) throws {
        let service = try Self.service(#"threads: 1, serviceTime: "1ms", balancer: {strategy: "\#(strategy.rawValue)"}"#)
        #expect(service?.balancer == BalancerSpec(strategy: strategy))
    }

    @Test func `a health check has documented defaults and probes the first entry point`() throws {
        let service = try Self.service(#"threads: 1, serviceTime: "1ms", balancer: {healthCheck: {}}"#)
        #expect(service?.balancer.healthCheck == HealthCheckSpec(
            interval: .seconds(10), timeout: .seconds(2), unhealthyThreshold: 3, healthyThreshold: 2, kind: .shallow, entryPoint: 0))
    }

    @Test func `a health check reads every key and finds its entry point by name`() throws {
        let service = try Self.service("""
            entryPoints: [{name: "ejb", threads: 1, steps: [{cpu: "1ms"}]}, {name: "http", threads: 1, steps: [{cpu: "1ms"}]}],
            balancer: {strategy: "powerOfTwo", healthCheck: {interval: "5s", timeout: "500ms", unhealthyThreshold: 4,
                                                             healthyThreshold: 1, kind: "deep", entryPoint: "http"}}
            """)
        #expect(service?.balancer == BalancerSpec(strategy: .powerOfTwo, healthCheck: HealthCheckSpec(
            interval: .seconds(5), timeout: .milliseconds(500), unhealthyThreshold: 4, healthyThreshold: 1, kind: .deep, entryPoint: 1)))
    }

    // MARK: Lifecycle and heap

    @Test func `a service without a lifecycle starts at once and restarts after 30 seconds`() throws {
        #expect(try Self.service(#"threads: 1, serviceTime: "1ms""#)?.lifecycle == LifecycleSpec(
            startupTime: .zero, restartDelay: .seconds(30), warmupTime: .zero, warmupSlowdown: 1, resetsConnectionsOnCrash: true))
    }

    @Test(arguments: [
        (#"{startupTime: "2m", restartDelay: "1m", warmupTime: "5m", warmupSlowdown: 3, resetsConnectionsOnCrash: false}"#,
         LifecycleSpec(startupTime: .seconds(120), restartDelay: .seconds(60), warmupTime: .seconds(300), warmupSlowdown: 3,
                       resetsConnectionsOnCrash: false)),
        (#"{restartDelay: "never"}"#, LifecycleSpec(restartDelay: nil)),
        (#"{restartDelay: "0s", warmupSlowdown: 1.5}"#, LifecycleSpec(restartDelay: .zero, warmupSlowdown: 1.5)),
    ])
    func `a lifecycle reads every key, and never means no restart`(lifecycle: String, expected: LifecycleSpec) throws {
        #expect(try Self.service(#"threads: 1, serviceTime: "1ms", lifecycle: \#(lifecycle)"#)?.lifecycle == expected)
    }

    @Test func `a service has no heap unless it declares one`() throws {
        #expect(try Self.service(#"threads: 1, serviceTime: "1ms""#)?.heap == nil)
    }

    @Test(arguments: [
        (#"{size: "512MB"}"#,
         HeapSpec(size: 512_000_000, baseline: 0, sessionSize: 0, sessionTimeout: .seconds(1_800), gcThreshold: 0.7, gcMaximumShare: 0.95)),
        (#"{size: "1GiB", baseline: "200MiB", sessionSize: "64KB", sessionTimeout: "10m", gcThreshold: 0.8, gcMaximumShare: 0}"#,
         HeapSpec(size: 1 << 30, baseline: 200 << 20, sessionSize: 64_000, sessionTimeout: .seconds(600), gcThreshold: 0.8, gcMaximumShare: 0)),
    ])
    func `a heap reads its sizes, session timeout and gc settings`(heap: String, expected: HeapSpec) throws {
        #expect(try Self.service(#"threads: 1, serviceTime: "1ms", heap: \#(heap)"#)?.heap == expected)
    }

    @Test func `a service's work does not slow with load unless it declares a scalability law`() throws {
        #expect(try Self.service(#"threads: 1, serviceTime: "1ms""#)?.scalability == nil)
        #expect(try Self.service(#"threads: 1, serviceTime: "1ms", scalability: {contention: 0.05, coherency: 0.001}"#)?.scalability
            == ScalabilitySpec(contention: 0.05, coherency: 0.001))
        #expect(try Self.service(#"threads: 1, serviceTime: "1ms", scalability: {coherency: 0.02}"#)?.scalability
            == ScalabilitySpec(contention: 0, coherency: 0.02))
    }

    @Test func `a scalability law's coefficients lie between 0 and 1 and its keys are checked`() {
        #expect(modelErrors(Self.model(service: #"threads: 1, serviceTime: "1ms", scalability: {contention: 1.5}"#)) == [
            #"m.json5:2:84: error: services[0].scalability.contention: must be between 0 and 1, found 1.5"#,
        ])
        #expect(modelErrors(Self.model(service: #"threads: 1, serviceTime: "1ms", scalability: {coherence: 0.1}"#)).first?
            .hasSuffix("unknown key 'coherence'; did you mean 'coherency'?") == true)
    }

    // MARK: Errors

    @Test(arguments: [
        (#"threads: 4, entryPoints: [{name: "http", threads: 4, steps: [{cpu: "1ms"}, {call: "db"}]}], dependencies: [{name: "db", endpoint: "db"}]"#,
         #"m.json5:2:35: error: services[0].threads: give either 'entryPoints' or 'threads', 'queue' and 'serviceTime', not both"#),
        (#"entryPoints: []"#,
         #"m.json5:2:39: error: services[0].entryPoints: a service needs at least one entry point"#),
        (#"entryPoints: [{name: "http", threads: 4, steps: []}]"#,
         #"m.json5:2:74: error: services[0].entryPoints[0].steps: an entry point needs at least one step"#),
        (#"entryPoints: [{name: "http", threads: 4, queue: -1, steps: [{cpu: "1ms"}]}]"#,
         #"m.json5:2:74: error: services[0].entryPoints[0].queue: must be between 0 and 10000000, found -1"#),
        (#"entryPoints: [{name: "http", threads: 0, steps: [{cpu: "1ms"}]}]"#,
         #"m.json5:2:64: error: services[0].entryPoints[0].threads: must be between 1 and 100000, found 0"#),
        (#"entryPoints: [{name: "a", threads: 1, steps: [{cpu: "1ms"}]}, {name: "a", threads: 1, steps: [{cpu: "1ms"}]}]"#,
         #"m.json5:2:95: error: services[0].entryPoints[1].name: name "a" is already used at line 2"#),
        (#"entryPoints: [{name: "http", threads: 4, steps: [{cpu: "1ms"}, {call: "dbb"}]}], dependencies: [{name: "db", endpoint: "db"}]"#,
         #"m.json5:2:96: error: services[0].entryPoints[0].steps[1].call: no dependency of this service is named "dbb"; did you mean 'db'?"#),
        (#"entryPoints: [{name: "http", threads: 4, steps: [{call: "db"}]}]"#,
         #"m.json5:2:82: error: services[0].entryPoints[0].steps[0].call: no dependency of this service is named "db""#),
        (#"entryPoints: [{name: "http", threads: 4, steps: [{session: true}]}]"#,
         #"m.json5:2:85: error: services[0].entryPoints[0].steps[0].session: a session step needs a heap; give the service a 'heap'"#),
        (#"entryPoints: [{name: "http", threads: 4, steps: [{session: false}]}], heap: {size: "1GB"}"#,
         #"m.json5:2:85: error: services[0].entryPoints[0].steps[0].session: must be true; leave the step out for no session"#),
        (#"entryPoints: [{name: "http", threads: 4, steps: [{cpu: "1ms", call: "db"}]}]"#,
         #"m.json5:2:75: error: services[0].entryPoints[0].steps[0]: a step has exactly one key (cpu, call, session, choose, lock), found 2 keys"#),
        (#"entryPoints: [{name: "http", threads: 4, steps: [{cpuu: "1ms"}]}]"#,
         #"m.json5:2:76: error: services[0].entryPoints[0].steps[0]: unknown step 'cpuu'; did you mean 'cpu'?; known: cpu, call, session, choose, lock"#),
        (#"entryPoints: [{name: "http", threads: 4, steps: ["1ms"]}]"#,
         #"m.json5:2:75: error: services[0].entryPoints[0].steps[0]: expected a step such as { cpu: "5ms" }, { call: "db" } or { session: true }, found a string"#),
        (#"threads: 4, serviceTime: "1ms", dependencies: [{name: "db", service: "web", endpoint: "db"}]"#,
         #"m.json5:2:112: error: services[0].dependencies[0].endpoint: give either 'service' or 'endpoint', not both"#),
        (#"threads: 4, serviceTime: "1ms", dependencies: [{name: "db"}]"#,
         #"m.json5:2:73: error: services[0].dependencies[0]: missing required key 'service' (or 'endpoint', or 'messageQueue')"#),
        (#"threads: 4, serviceTime: "1ms", dependencies: [{name: "db", service: "db"}]"#,
         #"m.json5:2:95: error: services[0].dependencies[0].service: needs a service; 'db' is an endpoint"#),
        (#"threads: 4, serviceTime: "1ms", dependencies: [{name: "db", endpoint: "dbb"}]"#,
         #"m.json5:2:96: error: services[0].dependencies[0].endpoint: no endpoint is named "dbb"; did you mean 'db'?"#),
        (#"threads: 4, serviceTime: "1ms", dependencies: [{name: "db", endpoint: "db", entryPoint: "main"}]"#,
         #"m.json5:2:114: error: services[0].dependencies[0].entryPoint: an endpoint has no entry points; 'entryPoint' is for a dependency on a service"#),
        (#"threads: 4, serviceTime: "1ms", dependencies: [{name: "db", endpoint: "db"}, {name: "db", endpoint: "db"}]"#,
         #"m.json5:2:110: error: services[0].dependencies[1].name: name "db" is already used at line 2"#),
        (#"threads: 4, serviceTime: "1ms", dependencies: [{name: "db", endpoint: "db", pool: {size: 0}}]"#,
         #"m.json5:2:115: error: services[0].dependencies[0].pool.size: must be between 1 and 100000, found 0"#),
        (#"threads: 4, serviceTime: "1ms", dependencies: [{name: "db", endpoint: "db", pool: {size: 100001}}]"#,
         #"m.json5:2:115: error: services[0].dependencies[0].pool.size: must be between 1 and 100000, found 100001"#),
        (#"threads: 4, serviceTime: "1ms", dependencies: [{name: "db", endpoint: "db", pool: {size: 5, checkoutTimeout: "nope"}}]"#,
         #"m.json5:2:135: error: services[0].dependencies[0].pool.checkoutTimeout: expected a duration such as "5s" or "none", found "nope""#),
        (#"threads: 4, serviceTime: "1ms", dependencies: [{name: "db", endpoint: "db", pool: {size: 5, leakOnError: "yes"}}]"#,
         #"m.json5:2:131: error: services[0].dependencies[0].pool.leakOnError: expected a boolean, found a string"#),
        (#"threads: 4, serviceTime: "1ms", dependencies: [{name: "db", endpoint: "db", readTimeout: "0s"}]"#,
         #"m.json5:2:115: error: services[0].dependencies[0].readTimeout: must be positive, found 0s"#),
        (#"threads: 4, serviceTime: "1ms", dependencies: [{name: "db", endpoint: "db", connectTimeout: 5}]"#,
         #"m.json5:2:118: error: services[0].dependencies[0].connectTimeout: expected a duration such as "5s", found the number 5 (add a unit: "5s")"#),
        (#"threads: 4, serviceTime: "1ms", balancer: {strategy: "leastOutstandng"}"#,
         #"m.json5:2:79: error: services[0].balancer.strategy: expected one of "roundRobin", "random", "leastOutstanding", "powerOfTwo", found "leastOutstandng"; did you mean 'leastOutstanding'?"#),
        (#"threads: 4, serviceTime: "1ms", balancer: {healthCheck: {timeout: "0s"}}"#,
         #"m.json5:2:92: error: services[0].balancer.healthCheck.timeout: must be positive, found 0s"#),
        (#"threads: 4, serviceTime: "1ms", balancer: {healthCheck: {interval: "0s"}}"#,
         #"m.json5:2:93: error: services[0].balancer.healthCheck.interval: must be positive, found 0s"#),
        (#"threads: 4, serviceTime: "1ms", balancer: {healthCheck: {unhealthyThreshold: 0}}"#,
         #"m.json5:2:103: error: services[0].balancer.healthCheck.unhealthyThreshold: must be between 1 and 1000, found 0"#),
        (#"threads: 4, serviceTime: "1ms", balancer: {healthCheck: {healthyThreshold: 0}}"#,
         #"m.json5:2:101: error: services[0].balancer.healthCheck.healthyThreshold: must be between 1 and 1000, found 0"#),
        (#"threads: 4, serviceTime: "1ms", balancer: {healthCheck: {kind: "deeep"}}"#,
         #"m.json5:2:89: error: services[0].balancer.healthCheck.kind: expected one of "shallow", "deep", found "deeep"; did you mean 'deep'?"#),
        (#"threads: 4, serviceTime: "1ms", balancer: {healthCheck: {entryPoint: "http"}}"#,
         #"m.json5:2:95: error: services[0].balancer.healthCheck.entryPoint: no entry point of this service is named "http""#),
        (#"threads: 4, serviceTime: "1ms", lifecycle: {restartDelay: "nevr"}"#,
         #"m.json5:2:84: error: services[0].lifecycle.restartDelay: expected a duration such as "5s" or "never", found "nevr""#),
        (#"threads: 4, serviceTime: "1ms", lifecycle: {startupTime: "-1s"}"#,
         #"m.json5:2:83: error: services[0].lifecycle.startupTime: durations cannot be negative, found "-1s""#),
        (#"threads: 4, serviceTime: "1ms", lifecycle: {warmupSlowdown: 0.5}"#,
         #"m.json5:2:86: error: services[0].lifecycle.warmupSlowdown: must be between 1 and 1000, found 0.5"#),
        (#"threads: 4, serviceTime: "1ms", heap: {baseline: "1GB"}"#,
         #"m.json5:2:64: error: services[0].heap: missing required key 'size'"#),
        (#"threads: 4, serviceTime: "1ms", heap: {size: "0B"}"#,
         #"m.json5:2:71: error: services[0].heap.size: must be positive, found 0B"#),
        (#"threads: 4, serviceTime: "1ms", heap: {size: "1GB", baseline: "1GB"}"#,
         #"m.json5:2:88: error: services[0].heap.baseline: must be less than the heap size (1GB), found 1GB"#),
        (#"threads: 4, serviceTime: "1ms", heap: {size: "1GB", sessionTimeout: "0s"}"#,
         #"m.json5:2:94: error: services[0].heap.sessionTimeout: must be positive, found 0s"#),
        (#"threads: 4, serviceTime: "1ms", heap: {size: "1GB", gcThreshold: 1}"#,
         #"m.json5:2:91: error: services[0].heap.gcThreshold: must be greater than 0 and less than 1, found 1"#),
        (#"threads: 4, serviceTime: "1ms", heap: {size: "1GB", gcMaximumShare: 1}"#,
         #"m.json5:2:94: error: services[0].heap.gcMaximumShare: must be at least 0 and less than 1, found 1"#),
        (#"threads: 4, serviceTime: "1ms", heap: {size: "1GB", sessionSize: "-1KB"}"#,
         #"m.json5:2:91: error: services[0].heap.sessionSize: sizes cannot be negative, found "-1KB""#),
    ])
    func `every problem of a service is located at its value`(service: String, expected: String) {
        #expect(modelErrors(Self.model(service: service)) == [expected])
    }

    @Test func `a transaction mix is read with its weights and branches`() throws {
        let service = try Self.service("""
            entryPoints: [{name: "page", threads: 4, steps: [{cpu: "2ms"}, {choose: [{weight: 99.5, steps: []}, {weight: 0.5, steps: [{call: "db"}]}]}]}],
            dependencies: [{name: "db", endpoint: "db"}]
            """)
        #expect(service?.entryPoints.first?.steps == [
            .cpu(.constant(0.002)),
            .choose([StepBranch(weight: 99.5, steps: []), StepBranch(weight: 0.5, steps: [.call(0)])]),
        ])
    }

    @Test func `a mix's branches are checked like any steps`() {
        let errors = modelErrors(Self.model(service: """
            entryPoints: [{name: "page", threads: 4, steps: [{choose: [{weight: 0, steps: [{call: "dbb"}]}]}]}],
            dependencies: [{name: "db", endpoint: "db"}]
            """))
        #expect(errors.contains { $0.contains("choose[0].weight: must be greater than 0 and at most 1000000000000, found 0") }, "\(errors)")
        #expect(errors.contains { $0.contains("no dependency of this service is named \"dbb\"; did you mean 'db'?") }, "\(errors)")
    }

    // MARK: Shared thread pools

    @Test func `entry points naming a shared pool are read with the pool, and give no threads of their own`() throws {
        let service = try Self.service("""
            threadPools: [{name: "workers", threads: 10, queue: 50, shedding: {maximumQueueLength: 40}}],
            entryPoints: [
              {name: "search", threadPool: "workers", steps: [{cpu: "20ms"}]},
              {name: "checkout", threadPool: "workers", failFast: true, steps: [{cpu: "10ms"}]},
              {name: "status", threads: 2, steps: [{cpu: "1ms"}]}]
            """)
        #expect(service?.threadPools == [ThreadPoolSpec(name: "workers", threads: 10, queueCapacity: 50,
                                                         shedding: LoadSheddingSpec(maximumQueueLength: 40))])
        #expect(service?.entryPoints.map(\.threadPool) == ["workers", "workers", nil])
        #expect(service?.entryPoints[1].failsFast == true)
        #expect(service?.threadsPerInstance == 12)
    }

    @Test func `a service without thread pools has none, and its entry points their own threads`() throws {
        let service = try Self.service(#"threads: 4, serviceTime: "1ms""#)
        #expect(service?.threadPools == [])
        #expect(service?.entryPoints.first?.threadPool == nil)
    }

    @Test(arguments: [
        (#"threadPools: [{name: "workers", threads: 4}], entryPoints: [{name: "a", threadPool: "workres", steps: [{cpu: "1ms"}]}]"#,
         #"m.json5:2:110: error: services[0].entryPoints[0].threadPool: no thread pool of this service is named "workres"; did you mean 'workers'?"#),
        (#"entryPoints: [{name: "a", threadPool: "workers", steps: [{cpu: "1ms"}]}]"#,
         #"m.json5:2:64: error: services[0].entryPoints[0].threadPool: no thread pool is named "workers"; declare it in the service's 'threadPools'"#),
        (#"threadPools: [{name: "workers", threads: 4}, {name: "spare", threads: 2}], entryPoints: [{name: "a", threadPool: "workers", steps: [{cpu: "1ms"}]}]"#,
         #"m.json5:2:78: error: services[0].threadPools[1].name: no entry point uses thread pool "spare"; give 'threadPool: "spare"' to one of 'a', or remove the pool"#),
        (#"threadPools: [{name: "workers", threads: 4}], entryPoints: [{name: "a", threadPool: "workers", threads: 2, steps: [{cpu: "1ms"}]}]"#,
         #"m.json5:2:130: error: services[0].entryPoints[0].threads: an entry point on a shared thread pool takes its threads, queue and shedding from the pool; leave out 'threads'"#),
        (#"threadPools: [{name: "a", threads: 4}], entryPoints: [{name: "a", threadPool: "a", steps: [{cpu: "1ms"}]}]"#,
         #"m.json5:2:47: error: services[0].threadPools[0].name: name "a" is also an entry point's; a thread pool needs a name of its own"#),
        (#"threadPools: [{name: "workers", threads: 0}], entryPoints: [{name: "a", threadPool: "workers", steps: [{cpu: "1ms"}]}]"#,
         #"m.json5:2:67: error: services[0].threadPools[0].threads: must be between 1 and 100000, found 0"#),
        (#"threadPools: [{name: "workers", threads: 4, treads: 2}], entryPoints: [{name: "a", threadPool: "workers", steps: [{cpu: "1ms"}]}]"#,
         #"m.json5:2:70: error: services[0].threadPools[0]: unknown key 'treads'; did you mean 'threads'?"#),
    ])
    func `every problem of a shared thread pool is located, with the closest name`(service: String, expected: String) {
        #expect(modelErrors(Self.model(service: service)) == [expected])
    }
}
