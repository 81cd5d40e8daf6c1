import FailureChains
import ModelFormat
import SimulationKernel
import Testing

/// Traffic sources and user populations: targets and entry points, rate profiles, daily curves,
/// visits and client behaviour.
struct TrafficFormatTests {
    /// A two-day model whose service `web` has entry points `http` and `api`, with an endpoint
    /// `db`; line 3 is `prefix` followed by `members` and the closing brackets.
    static func model(prefix: String, members: String, duration: String = "2d") -> String {
        """
        {faultline: 1, name: "m", run: {duration: "\(duration)"}, endpoints: [{name: "db", latency: "1ms"}],
        services: [{name: "web", entryPoints: [{name: "http", threads: 1, steps: [{cpu: "1ms"}]}, {name: "api", threads: 1, steps: [{cpu: "1ms"}]}]}],
        \(prefix)\(members)}]}
        """
    }

    /// A model with one traffic source `load` on `web`, its other members from line 3, column 41.
    static func model(traffic: String, duration: String = "2d") -> String {
        model(prefix: #"traffic: [{name: "load", target: "web", "#, members: traffic, duration: duration)
    }

    /// A model with one user population `people` on `web`, its other members from line 3, column 41.
    static func model(users: String) -> String {
        model(prefix: #"users: [{name: "people", target: "web", "#, members: users)
    }

    static func source(_ members: String, duration: String = "2d") throws -> TrafficSourceSpec? {
        try loadModel(model(traffic: members, duration: duration)).traffic.first
    }

    // MARK: Rates

    @Test func `a source with a rate has a constant profile, single requests and patient clients with cookies`() throws {
        #expect(try Self.source(#"rate: "20/s""#) == TrafficSourceSpec(
            name: "load", target: "web", entryPoint: nil, arrivals: .poisson, profile: .constant(20),
            requestsPerVisit: 1, thinkTime: .constant(0),
            behaviour: ClientBehaviour(clientTimeout: nil, reloadAfter: nil, maximumAttempts: 1, keepsCookies: true)))
    }

    @Test func `a profile reads steps and ramps`() throws {
        let source = try Self.source(#"profile: [{at: "0s", rate: "1/s"}, {at: "1h", rate: "1/s", shape: "step"}, {at: "2h", rate: "10/s", shape: "ramp"}]"#)
        #expect(source?.profile == RateProfile(points: [
            RateProfile.Point(time: .zero, rate: 1, shape: .step),
            RateProfile.Point(time: .seconds(3_600), rate: 1, shape: .step),
            RateProfile.Point(time: .seconds(7_200), rate: 10, shape: .ramp),
        ]))
    }

    @Test(arguments: [
        ("2d", 2),
        ("36h", 2),
        ("1d", 1),
        ("10m", 1),
        ("1d1ns", 2),
    ])
    func `a daily curve covers every day the run touches`(duration: String, days: Int) throws {
        let source = try Self.source(#"daily: {trough: "2/s", peak: "30/s", peakAt: "14h30m"}"#, duration: duration)
        #expect(source?.profile == RateProfile.daily(trough: 2, peak: 30, peakAt: .seconds(52_200), days: days))
    }

    @Test func `a flat daily curve is allowed`() throws {
        let source = try Self.source(#"daily: {trough: "5/s", peak: "5/s", peakAt: "0s"}"#)
        #expect(source?.profile == RateProfile.daily(trough: 5, peak: 5, peakAt: .zero, days: 2))
    }

    @Test func `a daily curve longer than the limit is refused`() {
        #expect(modelErrors(Self.model(traffic: #"daily: {trough: "1/s", peak: "2/s", peakAt: "1h"}"#, duration: "1001d")) == [
            "m.json5:3:48: error: traffic[0].daily: a daily curve covers at most 1000 days; run.duration (1001d) needs 1001",
        ])
    }

    // MARK: Visits, entry points and clients

    @Test func `a visit reads its requests and think time`() throws {
        let source = try Self.source(#"rate: "1/s", visit: {requests: 5, thinkTime: {exponential: "20s"}}"#)
        #expect(source?.requestsPerVisit == 5)
        #expect(source?.thinkTime == .exponential(mean: 20))
    }

    @Test func `a visit without a think time sends its requests back to back`() throws {
        let source = try Self.source(#"rate: "1/s", visit: {requests: 2}"#)
        #expect(source?.requestsPerVisit == 2)
        #expect(source?.thinkTime == .constant(0))
    }

    @Test func `a source may call a named entry point`() throws {
        #expect(try Self.source(#"rate: "1/s", entryPoint: "api""#)?.entryPoint == "api")
    }

    @Test(arguments: [
        (#"clientTimeout: "30s""#, ClientBehaviour(clientTimeout: .seconds(30))),
        (#"reload: {after: "8s", maximumAttempts: 3}"#, ClientBehaviour(reloadAfter: .seconds(8), maximumAttempts: 3)),
        ("cookies: false", ClientBehaviour(keepsCookies: false)),
        ("cookies: true", ClientBehaviour(keepsCookies: true)),
        (#"clientTimeout: "1m", reload: {after: "10s", maximumAttempts: 2}, cookies: false"#,
         ClientBehaviour(clientTimeout: .seconds(60), reloadAfter: .seconds(10), maximumAttempts: 2, keepsCookies: false)),
    ])
    func `client behaviour is read from the source`(members: String, expected: ClientBehaviour) throws {
        #expect(try Self.source(#"rate: "1/s", "# + members)?.behaviour == expected)
    }

    @Test func `a user population reads its entry point, sessions and client behaviour`() throws {
        let model = try loadModel(Self.model(users: """
            population: 50, thinkTime: {exponential: "10s"}, entryPoint: "api", requestsPerSession: 8,
            clientTimeout: "20s", reload: {after: "5s", maximumAttempts: 4}, cookies: false
            """))
        #expect(model.users == [UserPopulationSpec(
            name: "people", target: "web", entryPoint: "api", size: 50, thinkTime: .exponential(mean: 10), requestsPerSession: 8,
            behaviour: ClientBehaviour(clientTimeout: .seconds(20), reloadAfter: .seconds(5), maximumAttempts: 4, keepsCookies: false))])
    }

    @Test func `a user population keeps one session and patient clients by default`() throws {
        let model = try loadModel(Self.model(users: #"population: 5, thinkTime: "1s""#))
        #expect(model.users == [UserPopulationSpec(name: "people", target: "web", size: 5, thinkTime: .constant(1))])
    }

    // MARK: Errors

    @Test(arguments: [
        ("db", "m.json5:3:34: error: traffic[0].target: needs a service; 'db' is an endpoint"),
        ("people", "m.json5:3:34: error: traffic[0].target: needs a service; 'people' is a user population"),
        ("wbe", #"m.json5:3:34: error: traffic[0].target: no service is named "wbe"; did you mean 'web'?"#),
    ])
    func `a traffic target must be a service`(target: String, expected: String) {
        let text = Self.model(traffic: #"rate: "1/s""#).replacingOccurrences(of: #"target: "web""#, with: #"target: "\#(target)""#)
            .replacingOccurrences(of: "endpoints: [", with: #"users: [{name: "people", target: "web", population: 1, thinkTime: "1s"}], endpoints: ["#)
        #expect(modelErrors(text) == [expected])
    }

    @Test(arguments: [
        (#"profile: [{at: "0s", rate: "1/s", shape: "ramp"}]"#,
         #"m.json5:3:82: error: traffic[0].profile[0].shape: the first point must be a step; a ramp needs a point before it"#),
        (#"profile: [{at: "0s", rate: "1/s"}, {at: "1m", rate: "2/s", shape: "rmp"}]"#,
         #"m.json5:3:107: error: traffic[0].profile[1].shape: expected one of "step", "ramp", found "rmp"; did you mean 'ramp'?"#),
        (#"rate: "1/s", daily: {trough: "1/s", peak: "2/s", peakAt: "12h"}"#,
         #"m.json5:3:61: error: traffic[0].daily: give only one of 'rate', 'profile' and 'daily'"#),
        (#"daily: {trough: "5/s", peak: "2/s", peakAt: "12h"}"#,
         #"m.json5:3:70: error: traffic[0].daily.peak: must be at least the trough (5/s), found 2/s"#),
        (#"daily: {trough: "1/s", peak: "2/s", peakAt: "24h"}"#,
         #"m.json5:3:85: error: traffic[0].daily.peakAt: must be at least 0s and less than 1d, found 24h"#),
        (#"daily: {trough: "1/s", peak: "2/s"}"#,
         #"m.json5:3:48: error: traffic[0].daily: missing required key 'peakAt'"#),
        (#"daily: "1/s""#,
         #"m.json5:3:48: error: traffic[0].daily: expected an object, found a string"#),
        (#"rate: "1/s", arrivals: "poison""#,
         #"m.json5:3:64: error: traffic[0].arrivals: expected one of "poisson", "deterministic", found "poison"; did you mean 'poisson'?"#),
        (#"rate: "1/s", visit: {requests: 0}"#,
         #"m.json5:3:72: error: traffic[0].visit.requests: must be between 1 and 1000000, found 0"#),
        (#"rate: "1/s", visit: {thinkTime: "5s"}"#,
         #"m.json5:3:61: error: traffic[0].visit: missing required key 'requests'"#),
        (#"rate: "1/s", visit: {requests: 3, thinkTime: "-5s"}"#,
         #"m.json5:3:86: error: traffic[0].visit.thinkTime: durations cannot be negative, found "-5s""#),
        (#"rate: "1/s", clientTimeout: "0s""#,
         #"m.json5:3:69: error: traffic[0].clientTimeout: must be positive, found 0s"#),
        (#"rate: "1/s", reload: {after: "5s", maximumAttempts: 1}"#,
         #"m.json5:3:93: error: traffic[0].reload.maximumAttempts: must be between 2 and 1000, found 1"#),
        (#"rate: "1/s", reload: {maximumAttempts: 3}"#,
         #"m.json5:3:62: error: traffic[0].reload: missing required key 'after'"#),
        (#"rate: "1/s", reload: {after: "5s", maximumAttempts: 3, jitter: "1s"}"#,
         #"m.json5:3:96: error: traffic[0].reload: unknown key 'jitter'"#),
        (#"rate: "1/s", cookies: "no""#,
         #"m.json5:3:63: error: traffic[0].cookies: expected a boolean, found a string"#),
        (#"rate: "1/s", entryPoint: "htp""#,
         #"m.json5:3:66: error: traffic[0].entryPoint: no entry point of 'web' is named "htp"; did you mean 'http'?"#),
        (#"rate: "1/s", entryPoint: 1"#,
         #"m.json5:3:66: error: traffic[0].entryPoint: expected a string, found a number"#),
    ])
    func `every problem of a traffic source is located at its value`(traffic: String, expected: String) {
        #expect(modelErrors(Self.model(traffic: traffic)) == [expected])
    }

    @Test(arguments: [
        (#"population: 0, thinkTime: "1s""#,
         #"m.json5:3:53: error: users[0].population: must be between 1 and 1000000, found 0"#),
        (#"population: 5, thinkTime: "1s", requestsPerSession: 0"#,
         #"m.json5:3:93: error: users[0].requestsPerSession: must be between 1 and 1000000, found 0"#),
        (#"population: 5, thinkTime: "1s", entryPoint: "apii""#,
         #"m.json5:3:85: error: users[0].entryPoint: no entry point of 'web' is named "apii"; did you mean 'api'?"#),
        (#"population: 5, thinkTime: "1s", clientTimeout: "-1s""#,
         #"m.json5:3:88: error: users[0].clientTimeout: durations cannot be negative, found "-1s""#),
        (#"population: 5, thinkTime: "1s", reload: {after: "0s", maximumAttempts: 2}"#,
         #"m.json5:3:89: error: users[0].reload.after: must be positive, found 0s"#),
        (#"population: 5, thinkTime: "1s", cookies: 0"#,
         #"m.json5:3:82: error: users[0].cookies: expected a boolean, found a number"#),
        (#"population: 5"#,
         #"m.json5:3:9: error: users[0]: missing required key 'thinkTime'"#),
    ])
    func `every problem of a user population is located at its value`(users: String, expected: String) {
        #expect(modelErrors(Self.model(users: users)) == [expected])
    }
}
