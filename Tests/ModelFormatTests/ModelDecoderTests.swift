import FailureChains
import Foundation
import ModelFormat
import SimulationKernel
import Testing

struct ModelDecoderTests {
    /// A valid three-line model whose parts can be replaced.
    ///
    /// Replacements start at fixed columns, so expected errors can be located by counting from
    /// there: `run` at 1:33, `service` at 2:26, `target` at 3:34 (inside the quotes) and
    /// `traffic` at 3:41 when `target` is `web`.
    static func model(run: String = #"duration: "1m""#, service: String = #"threads: 4, serviceTime: "10ms""#,
                      target: String = "web", traffic: String = #"rate: "5/s""#) -> String {
        """
        {faultline: 1, name: "m", run: {\(run)},
        services: [{name: "web", \(service)}],
        traffic: [{name: "load", target: "\(target)", \(traffic)}]}
        """
    }

    @Test func `the base model decodes to the system model it describes`() throws {
        let model = try loadModel(Self.model())
        let run = RunSettings(duration: .seconds(60), warmup: .zero, seed: 1, interval: .seconds(10),
                              maximumEvents: 1_000_000_000, endAfterCompletions: nil)
        #expect(model == SystemModel(
            name: "m", run: run,
            services: [ServiceSpec(name: "web", instances: 1, threads: 4, queueCapacity: nil, serviceTime: .constant(0.01))],
            traffic: [TrafficSourceSpec(name: "load", target: "web", rate: 5)]))
    }

    @Test func `every run setting is read`() throws {
        let model = try loadModel(Self.model(
            run: #"duration: "2m", warmup: "15s", seed: 7, interval: "500ms", maximumEvents: 1000, endAfterCompletions: 20"#))
        #expect(model.run == RunSettings(duration: .seconds(120), warmup: .seconds(15), seed: 7, interval: .milliseconds(500),
                                         maximumEvents: 1000, endAfterCompletions: 20))
    }

    // MARK: Version

    @Test func `a missing faultline version is the only problem reported`() {
        #expect(modelErrors(#"{name: "m", services: [], colour: 1}"#) == [
            "m.json5:1:1: error: missing required key 'faultline'",
        ])
    }

    @Test(arguments: [2, 0])
    func `an unsupported version names the newest supported one`(version: Int) {
        #expect(modelErrors(#"{faultline: \#(version), name: "m"}"#) == [
            "m.json5:1:13: error: faultline: unsupported model version \(version); newest supported is 1",
        ])
    }

    @Test func `a version that is not an integer is reported`() {
        #expect(modelErrors(#"{faultline: "1", name: "m"}"#) == [
            "m.json5:1:13: error: faultline: expected an integer, found a string",
        ])
    }

    // MARK: Unknown keys

    @Test(arguments: [
        (model(service: #"threds: 4, serviceTime: "10ms""#), [
            "m.json5:2:12: error: services[0]: missing required key 'threads'",
            "m.json5:2:26: error: services[0]: unknown key 'threds'; did you mean 'threads'?",
        ]),
        (model(run: #"duration: "1m", warmpu: "1s""#), [
            "m.json5:1:49: error: run: unknown key 'warmpu'; did you mean 'warmup'?",
        ]),
        (model(traffic: #"rate: "5/s", arivals: "poisson""#), [
            "m.json5:3:54: error: traffic[0]: unknown key 'arivals'; did you mean 'arrivals'?",
        ]),
        (#"{faultline: 1, name: "m", sevices: []}"#, [
            "m.json5:1:1: error: missing required key 'services'",
            "m.json5:1:27: error: unknown key 'sevices'; did you mean 'services'?",
        ]),
        (model(service: #"threads: 4, serviceTime: "10ms", colour: "red""#), [
            "m.json5:2:59: error: services[0]: unknown key 'colour'",
        ]),
    ])
    func `an unknown key suggests the closest known one`(text: String, expected: [String]) {
        #expect(modelErrors(text) == expected)
    }

    // MARK: Names and references

    @Test(arguments: [
        ("wbe", #"m.json5:3:34: error: traffic[0].target: no service is named "wbe"; did you mean 'web'?"#),
        ("database", #"m.json5:3:34: error: traffic[0].target: no service is named "database""#),
    ])
    func `a traffic target naming no service is reported with the closest name`(target: String, expected: String) {
        #expect(modelErrors(Self.model(target: target)) == [expected])
    }

    @Test func `a user population naming no service is reported`() {
        let text = """
            {faultline: 1, name: "m", services: [{name: "web", threads: 1, serviceTime: "1ms"}],
            users: [{name: "people", target: "wen", population: 10, thinkTime: "1s"}]}
            """
        #expect(modelErrors(text) == [
            #"m.json5:2:34: error: users[0].target: no service is named "wen"; did you mean 'web'?"#,
        ])
    }

    @Test func `a target naming a service with other problems is not reported`() {
        #expect(modelErrors(Self.model(service: #"threads: 0, serviceTime: "10ms""#)) == [
            "m.json5:2:35: error: services[0].threads: must be between 1 and 100000, found 0",
        ])
    }

    @Test func `names are unique across services, traffic and users`() {
        let text = """
            {faultline: 1, name: "m",
            services: [{name: "web", threads: 1, serviceTime: "1ms"},
                       {name: "web", threads: 1, serviceTime: "1ms"}],
            traffic: [{name: "web", target: "web", rate: "1/s"}],
            users: [{name: "web", target: "web", population: 1, thinkTime: "1s"}]}
            """
        #expect(modelErrors(text) == [
            #"m.json5:3:19: error: services[1].name: name "web" is already used at line 2"#,
            #"m.json5:4:18: error: traffic[0].name: name "web" is already used at line 2"#,
            #"m.json5:5:16: error: users[0].name: name "web" is already used at line 2"#,
        ])
    }

    @Test func `a duplicate name points at the line of the first name, not of its brace`() {
        let text = """
            {faultline: 1, name: "m", services: [
              {
                name: "web", threads: 1, serviceTime: "1ms"
              },
              {name: "web", threads: 1, serviceTime: "1ms"}]}
            """
        #expect(modelErrors(text) == [
            #"m.json5:5:10: error: services[1].name: name "web" is already used at line 3"#,
        ])
    }

    @Test func `a bad model name does not hide problems with references`() {
        #expect(modelErrors(Self.model(target: "wbe").replacingOccurrences(of: #"name: "m""#, with: #"name: "9m""#)) == [
            #"m.json5:1:22: error: name: must be a name of 1 to 64 letters, digits, '_', '-' or '.', starting with a letter, found "9m""#,
            #"m.json5:3:34: error: traffic[0].target: no service is named "wbe"; did you mean 'web'?"#,
        ])
    }

    // MARK: Capacities

    @Test(arguments: [
        (#"threads: 0, serviceTime: "10ms""#, "m.json5:2:35: error: services[0].threads: must be between 1 and 100000, found 0"),
        (#"threads: -3, serviceTime: "10ms""#, "m.json5:2:35: error: services[0].threads: must be between 1 and 100000, found -3"),
        (#"threads: 100001, serviceTime: "10ms""#, "m.json5:2:35: error: services[0].threads: must be between 1 and 100000, found 100001"),
        (#"threads: 1.5, serviceTime: "10ms""#, "m.json5:2:35: error: services[0].threads: must be an integer, found 1.5"),
        (#"instances: 0, threads: 4, serviceTime: "10ms""#, "m.json5:2:37: error: services[0].instances: must be between 1 and 10000, found 0"),
        (#"instances: -2, threads: 4, serviceTime: "10ms""#, "m.json5:2:37: error: services[0].instances: must be between 1 and 10000, found -2"),
        (#"instances: 10001, threads: 4, serviceTime: "10ms""#, "m.json5:2:37: error: services[0].instances: must be between 1 and 10000, found 10001"),
    ])
    func `threads and instances must be positive and within their limits`(service: String, expected: String) {
        #expect(modelErrors(Self.model(service: service)) == [expected])
    }

    @Test func `instances of all services together stay within the limit`() {
        let services = (0..<11).map { #"{name: "s\#($0)", instances: 10000, threads: 1, serviceTime: "1ms"}"# }
        let text = #"{faultline: 1, name: "m", services: ["# + services.joined(separator: ", ") + "]}"
        #expect(modelErrors(text) == [
            "m.json5:1:62: error: services[0].instances: the model has 110000 instances in all, more than the limit of 100000",
        ])
    }

    @Test(arguments: [
        (#"queue: "unbounded", "#, nil),
        ("queue: 50, ", 50),
        ("queue: 0, ", 0),
        ("", nil),
    ] as [(String, Int?)])
    func `a queue is a number of places or unbounded`(queue: String, capacity: Int?) throws {
        let model = try loadModel(Self.model(service: queue + #"threads: 4, serviceTime: "10ms""#))
        #expect(model.services.first?.entryPoints.first?.queueCapacity == capacity)
    }

    @Test(arguments: [
        (#"queue: "lots""#, #"m.json5:2:33: error: services[0].queue: expected a number of waiting places or "unbounded", found "lots""#),
        ("queue: -1", "m.json5:2:33: error: services[0].queue: must be between 0 and 10000000, found -1"),
        ("queue: 2.5", "m.json5:2:33: error: services[0].queue: must be an integer, found 2.5"),
    ])
    func `a bad queue is reported`(queue: String, expected: String) {
        #expect(modelErrors(Self.model(service: queue + #", threads: 4, serviceTime: "10ms""#)) == [expected])
    }

    // MARK: Durations and rates

    @Test(arguments: [
        (#"duration: "-5s""#, #"m.json5:1:43: error: run.duration: durations cannot be negative, found "-5s""#),
        (#"duration: "0s""#, "m.json5:1:43: error: run.duration: must be greater than 0s and at most 36500d, found 0s"),
        ("duration: 60", #"m.json5:1:43: error: run.duration: expected a duration such as "5s", found the number 60 (add a unit: "60s")"#),
        (#"duration: "60""#, #"m.json5:1:43: error: run.duration: expected a duration such as "250ms", "2m" or "1h30m", found "60" (add a unit: "60s")"#),
        (#"duration: "1m", warmup: "1m""#, "m.json5:1:57: error: run.warmup: must be shorter than run.duration (1m), found 1m"),
        (#"duration: "1m", warmup: "90s""#, "m.json5:1:57: error: run.warmup: must be shorter than run.duration (1m), found 1m30s"),
        (#"duration: "1m", warmup: "-1s""#, #"m.json5:1:57: error: run.warmup: durations cannot be negative, found "-1s""#),
        (#"duration: "-1m", warmup: "11m""#, #"m.json5:1:43: error: run.duration: durations cannot be negative, found "-1m""#),
        (#"duration: 1, interval: "1ns""#, #"m.json5:1:43: error: run.duration: expected a duration such as "5s", found the number 1 (add a unit: "1s")"#),
    ])
    func `run durations must be positive, carry a unit and leave time after the warm-up`(run: String, expected: String) {
        #expect(modelErrors(Self.model(run: run)) == [expected])
    }

    @Test(arguments: [
        (#"rate: "20""#, #"m.json5:3:47: error: traffic[0].rate: expected a rate such as "20/s", "1200/min" or "3.5/h", found "20" (add a unit: "20/s")"#),
        ("rate: 20", #"m.json5:3:47: error: traffic[0].rate: expected a rate such as "5/s", found the number 20 (add a unit: "20/s")"#),
        (#"rate: "-5/s""#, #"m.json5:3:47: error: traffic[0].rate: rates cannot be negative, found "-5/s""#),
    ])
    func `a rate needs a unit and must not be negative`(traffic: String, expected: String) {
        #expect(modelErrors(Self.model(traffic: traffic)) == [expected])
    }

    @Test func `a rate is read in events per second`() throws {
        let model = try loadModel(Self.model(traffic: #"rate: "1200/min", arrivals: "deterministic""#))
        #expect(model.traffic == [TrafficSourceSpec(name: "load", target: "web", arrivals: .deterministic, rate: 20)])
    }

    // MARK: Profiles

    @Test func `a profile is read as points, steps by default`() throws {
        let model = try loadModel(Self.model(traffic: #"profile: [{at: "0s", rate: "5/s"}, {at: "1m", rate: "10/s"}]"#))
        #expect(model.traffic.first?.profile == RateProfile(points: [
            RateProfile.Point(time: .zero, rate: 5, shape: .step),
            RateProfile.Point(time: .seconds(60), rate: 10, shape: .step),
        ]))
    }

    @Test(arguments: [
        (#"profile: [{at: "10s", rate: "5/s"}]"#,
         #"m.json5:3:56: error: traffic[0].profile[0].at: the first point must be at "0s", found "10s""#),
        (#"profile: [{at: "0s", rate: "5/s"}, {at: "2m", rate: "9/s"}, {at: "1m", rate: "1/s"}]"#,
         #"m.json5:3:106: error: traffic[0].profile[2].at: points must be in increasing time order; this one is not after "2m""#),
        (#"profile: [{at: "0s", rate: "5/s"}, {at: "2m", rate: "9/s"}, {at: "2m", rate: "1/s"}]"#,
         #"m.json5:3:106: error: traffic[0].profile[2].at: points must be in increasing time order; this one is not after "2m""#),
        ("profile: []", "m.json5:3:50: error: traffic[0].profile: a profile needs at least one point"),
        (#"rate: "5/s", profile: [{at: "0s", rate: "5/s"}]"#,
         "m.json5:3:63: error: traffic[0].profile: give only one of 'rate', 'profile' and 'daily'"),
        (#"arrivals: "poisson""#,
         "m.json5:3:11: error: traffic[0]: missing required key 'rate' (or 'profile' or 'daily')"),
    ])
    func `a profile starts at zero, goes forward in time and excludes a rate`(traffic: String, expected: String) {
        #expect(modelErrors(Self.model(traffic: traffic)) == [expected])
    }

    // MARK: Several problems

    @Test func `every problem of a file is reported, sorted by position`() {
        let text = """
            {faultline: 1, name: "m", colour: "red",
            run: {duration: "1m", warmup: "2m"},
            services: [{name: "web", threads: 0, serviceTime: "10ms"}],
            traffic: [{name: "load", target: "wbe", rate: "5"}]}
            """
        #expect(modelErrors(text) == [
            "m.json5:1:27: error: unknown key 'colour'",
            "m.json5:2:31: error: run.warmup: must be shorter than run.duration (1m), found 2m",
            "m.json5:3:35: error: services[0].threads: must be between 1 and 100000, found 0",
            #"m.json5:4:34: error: traffic[0].target: no service is named "wbe"; did you mean 'web'?"#,
            #"m.json5:4:47: error: traffic[0].rate: expected a rate such as "20/s", "1200/min" or "3.5/h", found "5" (add a unit: "5/s")"#,
        ])
    }

    // MARK: Model files of the repository

    /// Every `.json5` file in `models/`, `Tests/EndToEndTests/Theory/` and `bench/`, found from this file's path.
    static let repositoryModels: [String] = {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return ["models", "Tests/EndToEndTests/Theory", "bench"].flatMap { folder in
            let directory = repository.appendingPathComponent(folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            return names.filter { $0.hasSuffix(".json5") }.sorted().map { directory.appendingPathComponent($0).path }
        }
    }()

    @Test func `the repository has model files to check`() {
        #expect(Self.repositoryModels.contains { $0.hasSuffix("models/small-farm.json5") })
        #expect(Self.repositoryModels.contains { $0.hasSuffix("Theory/mm1.json5") })
        #expect(Self.repositoryModels.contains { $0.hasSuffix("bench/wide.json5") })
    }

    @Test(arguments: repositoryModels)
    func `every model file of the repository loads without errors`(path: String) {
        do {
            _ = try ModelLoader.load(path: path)
        } catch {
            Issue.record("\(error.description)")
        }
    }
}
