import FailureChains
import ModelFormat
import SimulationKernel
import Testing

/// The model's expectation, not Swift Testing's.
typealias Expectation = FailureChains.Expectation

struct ExpectationDecoderTests {
    /// Decodes the elements of a JSON5 array as the `expect` list of `m.json5`, returning the
    /// expectations read and every error as a compiler-style line.
    static func decode(_ source: String) throws -> (expectations: [Expectation], errors: [String]) {
        let root = try JSON5Parser.parse(Array(source.utf8), file: "m.json5")
        let diagnostics = Diagnostics(file: "m.json5")
        let elements = ValueReader(root, path: "expect", diagnostics: diagnostics).array() ?? []
        let expectations = ExpectationDecoder.decode(elements, file: "m.json5")
        do {
            try diagnostics.throwIfAny()
            return (expectations, [])
        } catch {
            return (expectations, error.errors.map(\.description))
        }
    }

    /// The one expectation of `[object]`, with no error.
    static func expectation(_ object: String) throws -> Expectation? {
        let (expectations, errors) = try decode("[" + object + "]")
        #expect(errors == [])
        #expect(expectations.count == 1)
        return expectations.first
    }

    /// The errors of `[object]`.
    static func errors(_ object: String) throws -> [String] {
        try decode("[" + object + "]").errors
    }

    // MARK: The three forms

    @Test func `a series expectation with a window and an aggregate`() throws {
        let expectation = try Self.expectation(
            #"{ component: "kiosks", metric: "successRatio", from: "2h35m", to: "5h30m", aggregate: "maximum", below: 0.1 }"#)
        #expect(expectation == Expectation(
            subject: .series(component: "kiosks", metric: "successRatio", from: Interval(nanoseconds: 9_300_000_000_000),
                             to: Interval(nanoseconds: 19_800_000_000_000), aggregate: .maximum),
            comparison: .below(0.1),
            text: "kiosks successRatio maximum from 2h35m to 5h30m below 0.1",
            location: "m.json5:1:2"))
    }

    @Test func `a window alone makes a series expectation, aggregated by the mean`() throws {
        let expectation = try Self.expectation(#"{component: "web", metric: "goodput", from: "10m", atLeast: 50}"#)
        #expect(expectation?.subject == .series(component: "web", metric: "goodput", from: .seconds(600), to: nil, aggregate: .mean))
        #expect(expectation?.comparison == .atLeast(50))
        #expect(expectation?.text == "web goodput mean from 10m at least 50")
    }

    @Test func `an aggregate alone makes a series expectation over the whole run`() throws {
        let expectation = try Self.expectation(#"{component: "web[2]", metric: "queueLength", aggregate: "last", equal: 0}"#)
        #expect(expectation?.subject == .series(component: "web[2]", metric: "queueLength", from: nil, to: nil, aggregate: .last))
        #expect(expectation?.comparison == .equal(0))
        #expect(expectation?.text == "web[2] queueLength last == 0")
    }

    @Test(arguments: Expectation.Aggregate.allCases)
    func `each aggregate is read by its name`(aggregate: Expectation.Aggregate) throws {
        let expectation = try Self.expectation(#"{component: "web", metric: "m", aggregate: "\#(aggregate.rawValue)", above: 1}"#)
        #expect(expectation?.subject == .series(component: "web", metric: "m", from: nil, to: nil, aggregate: aggregate))
    }

    @Test func `a summary expectation has no window and no aggregate`() throws {
        let expectation = try Self.expectation(#"{ component: "web", metric: "latencyP99", below: "2s" }"#)
        #expect(expectation == Expectation(subject: .summary(component: "web", metric: "latencyP99"), comparison: .below(2),
                                           text: "web latencyP99 below 2s", location: "m.json5:1:2"))
    }

    @Test func `an events expectation counts, with count meaning equal`() throws {
        let expectation = try Self.expectation(#"{ component: "cf", event: "instanceCrashed", count: 0 }"#)
        #expect(expectation == Expectation(subject: .events(component: "cf", event: "instanceCrashed", from: nil, to: nil),
                                           comparison: .equal(0), text: "cf instanceCrashed count == 0", location: "m.json5:1:2"))
    }

    @Test func `an events expectation may have a window and any comparison`() throws {
        let expectation = try Self.expectation(#"{component: "cf", event: "instanceCrashed", from: "1h", to: "2h", atMost: 2}"#)
        #expect(expectation?.subject == .events(component: "cf", event: "instanceCrashed", from: .seconds(3600), to: .seconds(7200)))
        #expect(expectation?.comparison == .atMost(2))
        #expect(expectation?.text == "cf instanceCrashed count from 1h to 2h at most 2")
    }

    @Test(arguments: [
        ("below: 0.25", Expectation.Comparison.below(0.25), "below 0.25"),
        ("above: 3", .above(3), "above 3"),
        ("atMost: -1.5", .atMost(-1.5), "at most -1.5"),
        ("atLeast: 0x10", .atLeast(16), "at least 16"),
        ("equal: 1e3", .equal(1000), "== 1000"),
        (#"below: "2s""#, .below(2), "below 2s"),
        (#"below: "1500ms""#, .below(1.5), "below 1.5s"),
        (#"above: "250ms""#, .above(0.25), "above 250ms"),
        (#"atLeast: "10%""#, .atLeast(0.1), "at least 10%"),
        (#"atMost: "99.5%""#, .atMost(0.995), "at most 99.5%"),
    ])
    func `a comparison value is a number, a duration in seconds or a percentage as a fraction`(
        text: String, comparison: Expectation.Comparison, rendering: String
    ) throws {
        let expectation = try Self.expectation(#"{component: "web", metric: "m", \#(text)}"#)
        #expect(expectation?.comparison == comparison)
        #expect(expectation?.text == "web m " + rendering)
    }

    @Test func `each expectation is located at its object, in file order`() throws {
        let (expectations, errors) = try Self.decode("""
            [
              {component: "web", metric: "latencyP99", below: "2s"},
                { component: "cf", event: "instanceCrashed", count: 0 },
            ]
            """)
        #expect(errors == [])
        #expect(expectations.map(\.location) == ["m.json5:2:3", "m.json5:3:5"])
    }

    @Test func `an empty list has no expectations`() throws {
        let (expectations, errors) = try Self.decode("[]")
        #expect(expectations == [])
        #expect(errors == [])
    }

    // MARK: Errors

    @Test(arguments: [
        // The shape.
        (#""web latencyP99 below 2s""#, ["m.json5:1:2: error: expect[0]: expected an object, found a string"]),
        // The subject.
        (#"{metric: "m", below: 1}"#, ["m.json5:1:2: error: expect[0]: missing required key 'component'"]),
        (#"{component: "", metric: "m", below: 1}"#, [#"m.json5:1:14: error: expect[0].component: must name a component, found """#]),
        (#"{component: 3, metric: "m", below: 1}"#, ["m.json5:1:14: error: expect[0].component: expected a string, found a number"]),
        (#"{component: "web", below: 1}"#,
         ["m.json5:1:2: error: expect[0]: missing required key 'metric' (or 'event', to count rows of events.csv)"]),
        (#"{component: "web", metric: "m", event: "e", below: 1}"#,
         ["m.json5:1:41: error: expect[0].event: an expectation is about a metric or an event, not both"]),
        (#"{component: "web", metric: "", below: 1}"#, [#"m.json5:1:29: error: expect[0].metric: must be a name, found """#]),
        (#"{component: "web", metric: 7, below: 1}"#, ["m.json5:1:29: error: expect[0].metric: expected a string, found a number"]),
        (#"{component: "web", event: "", count: 0}"#, [#"m.json5:1:28: error: expect[0].event: must be a name, found """#]),
        // Unknown keys.
        (#"{component: "web", metric: "m", belwo: 1}"#, [
            "m.json5:1:2: error: expect[0]: missing a comparison: one of below, above, atMost, atLeast, equal",
            "m.json5:1:34: error: expect[0]: unknown key 'belwo'; did you mean 'below'?",
        ]),
        (#"{component: "web", metric: "m", aggregat: "sum", below: 1}"#,
         ["m.json5:1:34: error: expect[0]: unknown key 'aggregat'; did you mean 'aggregate'?"]),
        (#"{component: "web", metric: "m", below: 1, colour: "red"}"#,
         ["m.json5:1:44: error: expect[0]: unknown key 'colour'"]),
        // The comparison.
        (#"{component: "web", metric: "m"}"#,
         ["m.json5:1:2: error: expect[0]: missing a comparison: one of below, above, atMost, atLeast, equal"]),
        (#"{component: "cf", event: "e"}"#,
         ["m.json5:1:2: error: expect[0]: missing a comparison: one of below, above, atMost, atLeast, equal, count"]),
        (#"{component: "web", metric: "m", below: 1, above: 0}"#,
         ["m.json5:1:51: error: expect[0].above: an expectation has exactly one comparison (below, above, atMost, atLeast, equal); 'below' is already given"]),
        (#"{component: "cf", event: "e", count: 0, atMost: 1, equal: 2}"#, [
            "m.json5:1:50: error: expect[0].atMost: an expectation has exactly one comparison (below, above, atMost, atLeast, equal, count); 'count' is already given",
            "m.json5:1:60: error: expect[0].equal: an expectation has exactly one comparison (below, above, atMost, atLeast, equal, count); 'count' is already given",
        ]),
        (#"{component: "web", metric: "m", count: 3}"#,
         ["m.json5:1:41: error: expect[0].count: 'count' compares a number of events; use 'equal' for a metric"]),
        // Comparison values of metrics.
        (#"{component: "web", metric: "m", below: "fast"}"#,
         [#"m.json5:1:41: error: expect[0].below: expected a number, a duration such as "2s" or a percentage such as "10%", found "fast""#]),
        (#"{component: "web", metric: "m", below: "2"}"#,
         [#"m.json5:1:41: error: expect[0].below: expected a number, a duration such as "2s" or a percentage such as "10%", found "2""#]),
        (#"{component: "web", metric: "m", below: "2x"}"#,
         [#"m.json5:1:41: error: expect[0].below: unknown duration unit "x" in "2x"; use ns, us, ms, s, m, h or d"#]),
        (#"{component: "web", metric: "m", below: "-2s"}"#,
         [#"m.json5:1:41: error: expect[0].below: durations cannot be negative, found "-2s""#]),
        (#"{component: "web", metric: "m", atLeast: "-5%"}"#,
         [#"m.json5:1:43: error: expect[0].atLeast: percentages cannot be negative, found "-5%""#]),
        (#"{component: "web", metric: "m", atLeast: "ten%"}"#,
         [#"m.json5:1:43: error: expect[0].atLeast: expected a percentage such as "99.9%", found "ten%""#]),
        (#"{component: "web", metric: "m", equal: true}"#,
         [#"m.json5:1:41: error: expect[0].equal: expected a number, a duration such as "2s" or a percentage such as "10%", found a boolean"#]),
        // Comparison values of events.
        (#"{component: "cf", event: "e", count: 1.5}"#, ["m.json5:1:39: error: expect[0].count: must be an integer, found 1.5"]),
        (#"{component: "cf", event: "e", count: -1}"#, ["m.json5:1:39: error: expect[0].count: must be at least 0, found -1"]),
        (#"{component: "cf", event: "e", count: "3"}"#, ["m.json5:1:39: error: expect[0].count: expected a number of events, found a string"]),
        (#"{component: "cf", event: "e", below: "2s"}"#, ["m.json5:1:39: error: expect[0].below: expected a number of events, found a string"]),
        (#"{component: "cf", event: "e", atMost: -2}"#, ["m.json5:1:40: error: expect[0].atMost: must be at least 0, found -2"]),
        // Windows.
        (#"{component: "web", metric: "m", from: "-1m", below: 1}"#,
         [#"m.json5:1:40: error: expect[0].from: durations cannot be negative, found "-1m""#]),
        (#"{component: "web", metric: "m", from: 60, below: 1}"#,
         [#"m.json5:1:40: error: expect[0].from: expected a duration such as "5s", found the number 60 (add a unit: "60s")"#]),
        (#"{component: "web", metric: "m", from: "2h", to: "1h", below: 1}"#,
         ["m.json5:1:50: error: expect[0].to: must be after from (2h), found 1h"]),
        (#"{component: "cf", event: "e", from: "1h", to: "1h", count: 0}"#,
         ["m.json5:1:48: error: expect[0].to: must be after from (1h), found 1h"]),
        // Aggregates.
        (#"{component: "web", metric: "m", aggregate: "maximun", below: 1}"#,
         [#"m.json5:1:45: error: expect[0].aggregate: must be one of mean, minimum, maximum, sum, first, last, found "maximun"; did you mean 'maximum'?"#]),
        (#"{component: "web", metric: "m", aggregate: "max", below: 1}"#,
         [#"m.json5:1:45: error: expect[0].aggregate: must be one of mean, minimum, maximum, sum, first, last, found "max"; did you mean 'maximum'?"#]),
        (#"{component: "web", metric: "m", aggregate: "Min", below: 1}"#,
         [#"m.json5:1:45: error: expect[0].aggregate: must be one of mean, minimum, maximum, sum, first, last, found "Min"; did you mean 'minimum'?"#]),
        (#"{component: "web", metric: "m", aggregate: "average", below: 1}"#,
         [#"m.json5:1:45: error: expect[0].aggregate: must be one of mean, minimum, maximum, sum, first, last, found "average"; did you mean 'mean'?"#]),
        (#"{component: "web", metric: "m", aggregate: "p99", below: 1}"#,
         [#"m.json5:1:45: error: expect[0].aggregate: must be one of mean, minimum, maximum, sum, first, last, found "p99""#]),
        (#"{component: "web", metric: "m", aggregate: 1, below: 1}"#,
         ["m.json5:1:45: error: expect[0].aggregate: expected a string, found a number"]),
        (#"{component: "cf", event: "e", aggregate: "sum", count: 0}"#,
         ["m.json5:1:43: error: expect[0].aggregate: events are counted, not aggregated; remove 'aggregate'"]),
    ])
    func `a wrong expectation is reported where it is wrong`(object: String, expected: [String]) throws {
        #expect(try Self.errors(object) == expected)
    }

    @Test func `every problem of every expectation is reported, and the good ones are kept`() throws {
        let (expectations, errors) = try Self.decode("""
            [
              {component: "web", metric: "latencyP99", below: "2s"},
              {component: "web", metric: "m", below: 1, above: 2},
              {component: "cf", event: "instanceCrashed", count: 0},
              {component: "cf", evnt: "instanceCrashed", count: 0},
            ]
            """)
        #expect(expectations.map(\.text) == ["web latencyP99 below 2s", "cf instanceCrashed count == 0"])
        #expect(errors == [
            "m.json5:3:52: error: expect[1].above: an expectation has exactly one comparison (below, above, atMost, atLeast, equal); 'below' is already given",
            "m.json5:5:3: error: expect[3]: missing required key 'metric' (or 'event', to count rows of events.csv)",
            "m.json5:5:21: error: expect[3]: unknown key 'evnt'; did you mean 'event'?",
        ])
    }
}
