import FailureChains
import ModelFormat
import SimulationKernel
import Testing

/// Faults: every kind with its keys, and targets of the right sort.
struct FaultFormatTests {
    /// A model with a service `cf` of three instances, a service `solo` of one, an endpoint `db`,
    /// a traffic source `load` and a population `people`; the one fault's members start at line 6, column 11.
    static func model(fault: String) -> String {
        """
        {faultline: 1, name: "m",
        services: [{name: "cf", instances: 3, threads: 1, serviceTime: "1ms"}, {name: "solo", threads: 1, serviceTime: "1ms"}],
        endpoints: [{name: "db", latency: "1ms"}],
        traffic: [{name: "load", target: "cf", rate: "1/s"}],
        users: [{name: "people", target: "cf", population: 1, thinkTime: "1s"}],
        faults: [{\(fault)}]}
        """
    }

    /// The same model with an autoscaler on `cf`.
    static func autoscaledModel(fault: String) -> String {
        model(fault: fault).replacingOccurrences(of: #"{name: "cf", instances: 3, threads: 1, serviceTime: "1ms"}"#,
            with: #"{name: "cf", instances: 3, threads: 1, serviceTime: "1ms", autoscaler: {targetUtilisation: 0.5, maximumInstances: 5}}"#)
    }

    @Test func `a misread fault on an autoscaled service is read with its factor`() throws {
        let faults = try loadModel(Self.autoscaledModel(fault: #"at: "1m", duration: "5m", target: "cf", kind: "misread", factor: 0"#)).faults
        #expect(faults == [FaultSpec(target: "cf", start: .seconds(60), duration: .seconds(300), kind: .misread(factor: 0))])
    }

    @Test(arguments: [
        (#"at: "1m", target: "solo", kind: "misread", factor: 0"#,
         #"m.json5:6:29: error: faults[0].target: fault 'misread' needs a service with an autoscaler; 'solo' has none"#),
        (#"at: "1m", target: "cf[1]", kind: "misread", factor: 0"#,
         #"m.json5:6:29: error: faults[0].target: fault 'misread' needs a service with an autoscaler; 'cf[1]' is an instance (a misread is the autoscaler's, which sees the whole farm)"#),
        (#"at: "1m", target: "db", kind: "misread", factor: 0"#,
         #"m.json5:6:29: error: faults[0].target: fault 'misread' needs a service with an autoscaler; 'db' is an endpoint"#),
        (#"at: "1m", target: "cf", kind: "misread", factor: -1"#,
         #"m.json5:6:60: error: faults[0].factor: must be between 0 and 1000000, found -1"#),
        (#"at: "1m", target: "cf", kind: "misread""#,
         #"m.json5:6:10: error: faults[0]: missing required key 'factor'"#),
    ])
    func `a misread fault needs a service with an autoscaler and a factor`(fault: String, message: String) {
        #expect(modelErrors(Self.autoscaledModel(fault: fault)) == [message])
    }

    @Test(arguments: [
        (#"at: "1m", target: "db", kind: "slow", factor: 3"#, FaultSpec(target: "db", start: .seconds(60), kind: .slow(factor: 3))),
        (#"at: "1m", duration: "5m", target: "db", kind: "latency", latency: {exponential: "2s"}"#,
         FaultSpec(target: "db", start: .seconds(60), duration: .seconds(300), kind: .latency(.exponential(mean: 2)))),
        (#"at: "0s", duration: "1s", target: "db", kind: "hang""#, FaultSpec(target: "db", start: .zero, duration: .seconds(1), kind: .hang)),
        (#"at: "2m", target: "db", kind: "refuse""#, FaultSpec(target: "db", start: .seconds(120), kind: .refuse)),
        (#"at: "2m", target: "db", kind: "blackhole""#, FaultSpec(target: "db", start: .seconds(120), kind: .blackhole)),
        (#"at: "2m", target: "db", kind: "error""#, FaultSpec(target: "db", start: .seconds(120), kind: .error(afterLatency: false))),
        (#"at: "2m", target: "db", kind: "error", afterLatency: true"#, FaultSpec(target: "db", start: .seconds(120), kind: .error(afterLatency: true))),
        (#"at: "1h20m", target: "db", kind: "failover""#, FaultSpec(target: "db", start: .seconds(4_800), kind: .failover(staleDelay: .seconds(2)))),
        (#"at: "1h20m", target: "db", kind: "failover", staleDelay: "500ms""#,
         FaultSpec(target: "db", start: .seconds(4_800), kind: .failover(staleDelay: .milliseconds(500)))),
        (#"at: "4h30m", target: "cf[2]", kind: "crash""#, FaultSpec(target: "cf[2]", start: .seconds(16_200), kind: .crash)),
        (#"at: "4h30m", target: "cf", kind: "crash""#, FaultSpec(target: "cf", start: .seconds(16_200), kind: .crash)),
        (#"at: "1m", target: "solo[0]", kind: "crash""#, FaultSpec(target: "solo[0]", start: .seconds(60), kind: .crash)),
        (#"at: "1m", target: "cf", kind: "leak", perRequest: "1KB""#, FaultSpec(target: "cf", start: .seconds(60), kind: .leak(perRequest: 1_000, perSecond: 0))),
        (#"at: "1m", target: "cf[0]", kind: "leak", perSecond: "1MiB""#,
         FaultSpec(target: "cf[0]", start: .seconds(60), kind: .leak(perRequest: 0, perSecond: 1 << 20))),
        (#"at: "1m", duration: "1h", target: "cf", kind: "leak", perRequest: "2KB", perSecond: "3KB""#,
         FaultSpec(target: "cf", start: .seconds(60), duration: .seconds(3_600), kind: .leak(perRequest: 2_000, perSecond: 3_000))),
        (#"at: "2m", duration: "10m", target: "load", kind: "spike", factor: 2.5"#,
         FaultSpec(target: "load", start: .seconds(120), duration: .seconds(600), kind: .spike(factor: 2.5))),
        (#"at: "2m", target: "load", kind: "spike", factor: 0.5"#, FaultSpec(target: "load", start: .seconds(120), kind: .spike(factor: 0.5))),
        (#"at: "1m", target: "cf", kind: "slow", factor: 3"#, FaultSpec(target: "cf", start: .seconds(60), kind: .slow(factor: 3))),
        (#"at: "1m", duration: "1m", target: "cf[1]", kind: "hang""#,
         FaultSpec(target: "cf[1]", start: .seconds(60), duration: .seconds(60), kind: .hang)),
        (#"at: "1m", target: "solo", kind: "error""#, FaultSpec(target: "solo", start: .seconds(60), kind: .error(afterLatency: false))),
    ])
    func `every fault kind is read with its own keys`(fault: String, expected: FaultSpec) throws {
        #expect(try loadModel(Self.model(fault: fault)).faults == [expected])
    }

    @Test func `an error fault on a service's work fails the share of its steps its probability says`() throws {
        let faults = try loadModel(Self.model(fault: #"at: "1m", target: "solo", kind: "error", afterLatency: true, probability: 0.25"#)).faults
        var expected = FaultSpec(target: "solo", start: .seconds(60), kind: .error(afterLatency: true))
        expected.probability = 0.25
        #expect(faults == [expected])
    }

    @Test func `faults keep their file order`() throws {
        let model = try loadModel(Self.model(fault: #"at: "5m", target: "db", kind: "hang"}, {at: "1m", target: "cf", kind: "crash""#))
        #expect(model.faults.map(\.kindName) == ["hang", "crash"])
    }

    @Test(arguments: [
        (#"at: "1m", target: "db", kind: "hng""#,
         #"m.json5:6:41: error: faults[0].kind: unknown fault kind 'hng'; did you mean 'hang'?; known: slow, latency, hang, refuse, error, blackhole, failover, crash, leak, spike, misread, flush"#),
        (#"at: "1m", target: "db", factor: 2"#,
         #"m.json5:6:10: error: faults[0]: missing required key 'kind'"#),
        (#"at: "1m", target: "db", kind: 3"#,
         #"m.json5:6:41: error: faults[0].kind: expected a string, found a number"#),
        (#"at: "1m", target: "cf", kind: "latency", latency: "1s""#,
         #"m.json5:6:29: error: faults[0].target: fault 'latency' needs an endpoint; 'cf' is a service"#),
        (#"at: "1m", target: "load", kind: "hang""#,
         #"m.json5:6:29: error: faults[0].target: fault 'hang' needs an endpoint, a service or an instance; 'load' is a traffic source"#),
        (#"at: "1m", target: "cf[3]", kind: "slow", factor: 2"#,
         #"m.json5:6:29: error: faults[0].target: no instance cf[3]; 'cf' has 3 instances, cf[0] to cf[2]"#),
        (#"at: "1m", target: "db", kind: "error", probability: 0.5"#,
         #"m.json5:6:63: error: faults[0].probability: 'probability' applies to an 'error' fault on a service or an instance; an endpoint's share of errors is its 'errorProbability'"#),
        (#"at: "1m", target: "cf", kind: "error", probability: 0"#,
         #"m.json5:6:63: error: faults[0].probability: must be greater than 0 and at most 1, found 0"#),
        (#"at: "1m", target: "cf", kind: "slow", factor: 2, probability: 0.5"#,
         #"m.json5:6:73: error: faults[0].probability: does not apply to a 'slow' fault"#),
        (#"at: "1m", target: "cf[1]", kind: "refuse""#,
         #"m.json5:6:29: error: faults[0].target: fault 'refuse' needs an endpoint; 'cf[1]' is an instance"#),
        (#"at: "1m", target: "load", kind: "blackhole""#,
         #"m.json5:6:29: error: faults[0].target: fault 'blackhole' needs an endpoint; 'load' is a traffic source"#),
        (#"at: "1m", target: "dbb", kind: "slow", factor: 2"#,
         #"m.json5:6:29: error: faults[0].target: no endpoint or service is named "dbb"; did you mean 'db'?"#),
        (#"at: "1m", target: "db", kind: "crash""#,
         #"m.json5:6:29: error: faults[0].target: fault 'crash' needs a service or an instance; 'db' is an endpoint"#),
        (#"at: "1m", target: "cf[3]", kind: "crash""#,
         #"m.json5:6:29: error: faults[0].target: no instance cf[3]; 'cf' has 3 instances, cf[0] to cf[2]"#),
        (#"at: "1m", target: "solo[1]", kind: "crash""#,
         #"m.json5:6:29: error: faults[0].target: no instance solo[1]; 'solo' has 1 instance, solo[0]"#),
        (#"at: "1m", target: "cff[0]", kind: "crash""#,
         #"m.json5:6:29: error: faults[0].target: no service is named "cff"; did you mean 'cf'?"#),
        (#"at: "1m", target: "load", kind: "leak", perSecond: "1MB""#,
         #"m.json5:6:29: error: faults[0].target: fault 'leak' needs a service or an instance; 'load' is a traffic source"#),
        (#"at: "1m", target: "people", kind: "spike", factor: 2"#,
         #"m.json5:6:29: error: faults[0].target: fault 'spike' needs a traffic source; 'people' is a user population"#),
        (#"at: "1m", target: "cf", kind: "spike", factor: 2"#,
         #"m.json5:6:29: error: faults[0].target: fault 'spike' needs a traffic source; 'cf' is a service"#),
        (#"at: "1m", target: "lod", kind: "spike", factor: 2"#,
         #"m.json5:6:29: error: faults[0].target: no traffic source is named "lod"; did you mean 'load'?"#),
        (#"at: "1m", duration: "1m", target: "cf", kind: "crash""#,
         #"m.json5:6:31: error: faults[0].duration: a 'crash' fault happens at an instant and takes no duration"#),
        (#"at: "1m", duration: "1m", target: "db", kind: "failover""#,
         #"m.json5:6:31: error: faults[0].duration: a 'failover' fault happens at an instant and takes no duration"#),
        (#"at: "1m", target: "db", kind: "hang", factor: 2"#,
         #"m.json5:6:57: error: faults[0].factor: does not apply to a 'hang' fault"#),
        (#"at: "1m", target: "cf", kind: "crash", staleDelay: "1s""#,
         #"m.json5:6:62: error: faults[0].staleDelay: does not apply to a 'crash' fault"#),
        (#"at: "1m", target: "db", kind: "slow", factor: 0"#,
         #"m.json5:6:57: error: faults[0].factor: must be positive, found 0"#),
        (#"at: "1m", target: "db", kind: "slow""#,
         #"m.json5:6:10: error: faults[0]: missing required key 'factor'"#),
        (#"at: "1m", target: "load", kind: "spike""#,
         #"m.json5:6:10: error: faults[0]: missing required key 'factor'"#),
        (#"at: "1m", target: "db", kind: "latency""#,
         #"m.json5:6:10: error: faults[0]: missing required key 'latency'"#),
        (#"at: "1m", target: "db", kind: "latency", latency: {exponential: "0s"}"#,
         #"m.json5:6:75: error: faults[0].latency.exponential: must be greater than 0s, found 0s"#),
        (#"at: "1m", target: "cf", kind: "leak""#,
         #"m.json5:6:10: error: faults[0]: a leak needs a non-zero 'perRequest' or 'perSecond'"#),
        (#"at: "1m", target: "cf", kind: "leak", perRequest: "0B", perSecond: "0MB""#,
         #"m.json5:6:10: error: faults[0]: a leak needs a non-zero 'perRequest' or 'perSecond'"#),
        (#"at: "1m", target: "cf", kind: "leak", perRequest: "1.5B""#,
         #"m.json5:6:61: error: faults[0].perRequest: "1.5B" is not a whole number of bytes"#),
        (#"at: "-1m", target: "db", kind: "hang""#,
         #"m.json5:6:15: error: faults[0].at: durations cannot be negative, found "-1m""#),
        (#"at: "1m", duration: "0s", target: "db", kind: "hang""#,
         #"m.json5:6:31: error: faults[0].duration: must be positive, found 0s"#),
        (#"target: "db", kind: "hang""#,
         #"m.json5:6:10: error: faults[0]: missing required key 'at'"#),
        (#"at: "1m", kind: "hang""#,
         #"m.json5:6:10: error: faults[0]: missing required key 'target'"#),
        (#"at: "1m", target: "db", kind: "error", afterLatency: "yes""#,
         #"m.json5:6:64: error: faults[0].afterLatency: expected a boolean, found a string"#),
        (#"at: "1m", target: "db", kind: "failover", staleDelay: "-2s""#,
         #"m.json5:6:65: error: faults[0].staleDelay: durations cannot be negative, found "-2s""#),
    ])
    func `every problem of a fault is located at its value`(fault: String, expected: String) {
        #expect(modelErrors(Self.model(fault: fault)) == [expected])
    }

    @Test func `a misspelt key of a kind is suggested`() {
        #expect(modelErrors(Self.model(fault: #"at: "1m", target: "db", kind: "slow", facter: 2"#)) == [
            "m.json5:6:10: error: faults[0]: missing required key 'factor'",
            "m.json5:6:49: error: faults[0]: unknown key 'facter'; did you mean 'factor'?",
        ])
    }

    @Test func `a fault of unknown kind reports no kind key as unknown`() {
        #expect(modelErrors(Self.model(fault: #"at: "1m", target: "db", kind: "slo", factor: 2, colour: 1"#)) == [
            "m.json5:6:41: error: faults[0].kind: unknown fault kind 'slo'; did you mean 'slow'?; known: slow, latency, hang, refuse, error, blackhole, failover, crash, leak, spike, misread, flush",
            "m.json5:6:59: error: faults[0]: unknown key 'colour'",
        ])
    }
}
