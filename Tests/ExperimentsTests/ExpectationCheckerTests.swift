import Experiments
import FailureChains
import SimulationKernel
import Testing

/// The model's expectation, not Swift Testing's.
typealias Expectation = FailureChains.Expectation

/// A sink that remembers what reached it, to check that the recorder forwards everything.
final class CollectingSink: ObservationSink {
    var intervals: [(start: Instant, rows: [MetricRow])] = []
    var changes: [StateChange] = []
    func intervalEnded(start: Instant, rows: [MetricRow]) { intervals.append((start, rows)) }
    func stateChanged(_ change: StateChange) { changes.append(change) }
}

struct ExpectationCheckerTests {
    static func seconds(_ value: Int64) -> Instant { Instant(nanoseconds: value * 1_000_000_000) }

    static func series(_ component: String, _ metric: String, from: Int64? = nil, to: Int64? = nil,
                       _ aggregate: Expectation.Aggregate = .mean, _ comparison: Expectation.Comparison,
                       text: String = "TEXT") -> Expectation {
        Expectation(subject: .series(component: component, metric: metric, from: from.map(Interval.seconds),
                                     to: to.map(Interval.seconds), aggregate: aggregate),
                    comparison: comparison, text: text, location: "m.json5:3:5")
    }

    static func events(_ component: String, _ event: String, from: Int64? = nil, to: Int64? = nil,
                       _ comparison: Expectation.Comparison, text: String = "TEXT") -> Expectation {
        Expectation(subject: .events(component: component, event: event, from: from.map(Interval.seconds), to: to.map(Interval.seconds)),
                    comparison: comparison, text: text, location: "m.json5:4:5")
    }

    static func summary(_ component: String, _ metric: String, _ comparison: Expectation.Comparison, text: String = "TEXT") -> Expectation {
        Expectation(subject: .summary(component: component, metric: metric), comparison: comparison, text: text, location: "m.json5:5:5")
    }

    /// Feeds a recorder for `expectations` with `web` `m` = 4, 1, 7, 2 at t = 0, 10, 20, 30 s
    /// (and noise it must ignore), then evaluates.
    static func evaluate(_ expectations: [Expectation], summary: [MetricRow] = [],
                         changes: [StateChange] = []) -> [ExpectationResult] {
        let recorder = SeriesRecorder(keepingWhat: expectations, forwardingTo: DiscardingSink())
        for (index, value) in [4.0, 1, 7, 2].enumerated() {
            recorder.intervalEnded(start: seconds(Int64(index) * 10), rows: [
                MetricRow(component: "web", metric: "m", value: .real(value)),
                MetricRow(component: "web", metric: "other", value: .real(100)),
                MetricRow(component: "web[0]", metric: "m", value: .real(100)),
                MetricRow(component: "db", metric: "m", value: .count(100)),
            ])
        }
        for change in changes { recorder.stateChanged(change) }
        return ExpectationChecker.evaluate(expectations, summary: summary, recorder: recorder)
    }

    static func measured(_ expectation: Expectation, changes: [StateChange] = []) -> Double? {
        evaluate([expectation], changes: changes).first?.measured
    }

    // MARK: Series

    @Test(arguments: [
        (Expectation.Aggregate.mean, 3.5),
        (.minimum, 1),
        (.maximum, 7),
        (.sum, 14),
        (.first, 4),
        (.last, 2),
    ])
    func `each aggregate reduces the rows of the series`(aggregate: Expectation.Aggregate, expected: Double) {
        #expect(Self.measured(Self.series("web", "m", aggregate, .below(0))) == expected)
    }

    /// Windows (from, to) in seconds and the values of the rows they keep.
    static let windows: [(from: Int64?, to: Int64?, kept: [Double])] = [
        (nil, nil, [4, 1, 7, 2]),
        (10, nil, [1, 7, 2]),          // from is inclusive
        (11, nil, [7, 2]),
        (nil, 20, [4, 1]),             // to is exclusive
        (nil, 21, [4, 1, 7]),
        (10, 30, [1, 7]),
        (5, 15, [1]),
        (30, 40, [2]),
    ]

    @Test(arguments: windows)
    func `a window keeps the rows whose interval starts in from ≤ t < to`(from: Int64?, to: Int64?, kept: [Double]) {
        #expect(Self.measured(Self.series("web", "m", from: from, to: to, .sum, .below(0))) == kept.reduce(0, +))
        #expect(Self.measured(Self.series("web", "m", from: from, to: to, .first, .below(0))) == kept.first)
        #expect(Self.measured(Self.series("web", "m", from: from, to: to, .last, .below(0))) == kept.last)
    }

    @Test func `a series expectation that holds passes with the measured value`() {
        let result = Self.evaluate([Self.series("web", "m", .maximum, .below(7.5), text: "web m maximum below 7.5")])
        #expect(result == [ExpectationResult(
            expectation: Self.series("web", "m", .maximum, .below(7.5), text: "web m maximum below 7.5"),
            measured: 7, passed: true, message: "web m maximum below 7.5 (measured 7)")])
    }

    @Test func `a series expectation that does not hold fails with its location and the measured value`() {
        let result = Self.evaluate([Self.series("web", "m", from: 10, .mean, .atMost(3), text: "web m mean from 10s at most 3")])
        #expect(result.first?.passed == false)
        #expect(result.first?.measured == 10.0 / 3)
        #expect(result.first?.message == "m.json5:3:5: expectation failed: web m mean from 10s at most 3 (measured 3.333333)")
    }

    @Test(arguments: [
        (Expectation.Comparison.below(7), false), (.below(7.01), true),
        (.above(7), false), (.above(6.99), true),
        (.atMost(7), true), (.atMost(6.99), false),
        (.atLeast(7), true), (.atLeast(7.01), false),
        (.equal(7), true), (.equal(7.5), false),
    ])
    func `each comparison is strict or not as its name says`(comparison: Expectation.Comparison, passes: Bool) {
        #expect(Self.evaluate([Self.series("web", "m", .maximum, comparison)]).first?.passed == passes)
    }

    @Test(arguments: [
        (Self.series("web", "m", from: 40, .mean, .below(1), text: "T"), "m.json5:3:5: expectation failed: T (no rows of m for web in the window)"),
        (Self.series("web", "m", from: 12, to: 18, .mean, .below(1), text: "T"), "m.json5:3:5: expectation failed: T (no rows of m for web in the window)"),
        (Self.series("api", "m", .mean, .below(1), text: "T"), "m.json5:3:5: expectation failed: T (no rows of m for api in the window)"),
        (Self.series("web", "absent", .maximum, .atLeast(0), text: "T"), "m.json5:3:5: expectation failed: T (no rows of absent for web in the window)"),
    ])
    func `a series without rows in the window fails with no measured value`(expectation: Expectation, message: String) {
        #expect(Self.evaluate([expectation]) == [ExpectationResult(expectation: expectation, measured: nil, passed: false, message: message)])
    }

    @Test func `an instance series is kept apart from its service's`() {
        #expect(Self.measured(Self.series("web[0]", "m", .sum, .below(0))) == 400)
        #expect(Self.measured(Self.series("db", "m", .sum, .below(0))) == 400)
    }

    // MARK: Summary

    @Test func `a summary expectation reads the row of its component and metric`() {
        let summary = [
            MetricRow(component: "web", metric: "latencyP99", value: .real(2.5)),
            MetricRow(component: "api", metric: "latencyP99", value: .real(0.5)),
            MetricRow(component: "web", metric: "completed", value: .count(1200)),
        ]
        let results = Self.evaluate([
            Self.summary("web", "latencyP99", .below(2), text: "web latencyP99 below 2s"),
            Self.summary("api", "latencyP99", .below(2), text: "api latencyP99 below 2s"),
            Self.summary("web", "completed", .atLeast(1000), text: "web completed at least 1000"),
        ], summary: summary)
        #expect(results.map(\.measured) == [2.5, 0.5, 1200])
        #expect(results.map(\.passed) == [false, true, true])
        #expect(results.map(\.message) == [
            "m.json5:5:5: expectation failed: web latencyP99 below 2s (measured 2.5)",
            "api latencyP99 below 2s (measured 0.5)",
            "web completed at least 1000 (measured 1200)",
        ])
    }

    @Test func `a summary metric the run did not report fails`() {
        let expectation = Self.summary("web", "latencyP99", .below(2), text: "web latencyP99 below 2s")
        #expect(Self.evaluate([expectation], summary: [MetricRow(component: "api", metric: "latencyP99", value: .real(1))]) == [
            ExpectationResult(expectation: expectation, measured: nil, passed: false,
                              message: "m.json5:5:5: expectation failed: web latencyP99 below 2s (no such summary metric)"),
        ])
    }

    // MARK: Events

    static let changes = [
        StateChange(time: seconds(5), component: "cf", event: "instanceCrashed"),
        StateChange(time: seconds(10), component: "cf[0]", event: "instanceCrashed"),
        StateChange(time: seconds(20), component: "cf[12]", event: "instanceCrashed"),
        StateChange(time: seconds(25), component: "cf[1]", event: "instanceRestarting"),
        StateChange(time: seconds(30), component: "cfx[1]", event: "instanceCrashed"),
        StateChange(time: seconds(30), component: "cfx", event: "instanceCrashed"),
        StateChange(time: seconds(35), component: "db", event: "instanceCrashed"),
    ]

    @Test func `events of a component and of its instances are counted`() {
        #expect(Self.measured(Self.events("cf", "instanceCrashed", .equal(0)), changes: Self.changes) == 3)
        #expect(Self.measured(Self.events("cf", "instanceRestarting", .equal(0)), changes: Self.changes) == 1)
        #expect(Self.measured(Self.events("cfx", "instanceCrashed", .equal(0)), changes: Self.changes) == 2)
    }

    @Test func `an instance's events are its own`() {
        #expect(Self.measured(Self.events("cf[0]", "instanceCrashed", .equal(0)), changes: Self.changes) == 1)
        #expect(Self.measured(Self.events("cf[1]", "instanceCrashed", .equal(0)), changes: Self.changes) == 0)
    }

    @Test func `events are counted in from ≤ t < to`() {
        #expect(Self.measured(Self.events("cf", "instanceCrashed", from: 10, .equal(0)), changes: Self.changes) == 2)
        #expect(Self.measured(Self.events("cf", "instanceCrashed", to: 20, .equal(0)), changes: Self.changes) == 2)
        #expect(Self.measured(Self.events("cf", "instanceCrashed", from: 6, to: 20, .equal(0)), changes: Self.changes) == 1)
    }

    @Test func `no event at all counts zero, which passes a count of zero`() {
        let result = Self.evaluate([Self.events("cf", "instanceCrashed", .equal(0), text: "cf instanceCrashed count == 0")])
        #expect(result.first?.measured == 0)
        #expect(result.first?.passed == true)
        #expect(result.first?.message == "cf instanceCrashed count == 0 (measured 0)")
    }

    @Test func `too many events fail with the count`() {
        let results = Self.evaluate([Self.events("cf", "instanceCrashed", .equal(0), text: "cf instanceCrashed count == 0"),
                                     Self.events("cf", "instanceCrashed", .atMost(3), text: "cf instanceCrashed count at most 3")],
                                    changes: Self.changes)
        #expect(results.map(\.passed) == [false, true])
        #expect(results.first?.message == "m.json5:4:5: expectation failed: cf instanceCrashed count == 0 (measured 3)")
    }

    // MARK: The recorder

    @Test func `the recorder forwards every observation unchanged, kept or not`() {
        let next = CollectingSink()
        let recorder = SeriesRecorder(keepingWhat: [Self.series("web", "m", .mean, .below(1)),
                                                    Self.events("cf", "instanceCrashed", .equal(0))],
                                      forwardingTo: next)
        let rows = [MetricRow(component: "web", metric: "m", value: .real(1)), MetricRow(component: "db", metric: "x", value: .count(2))]
        recorder.intervalEnded(start: Self.seconds(10), rows: rows)
        for change in Self.changes { recorder.stateChanged(change) }
        #expect(next.intervals.map(\.start) == [Self.seconds(10)])
        #expect(next.intervals.first?.rows == rows)
        #expect(next.changes == Self.changes)
    }

    @Test func `the recorder keeps only what the expectations need`() {
        let recorder = SeriesRecorder(keepingWhat: [Self.series("web", "m", .mean, .below(1)),
                                                    Self.events("cf", "instanceCrashed", .equal(0)),
                                                    Self.summary("web", "other", .below(1))],
                                      forwardingTo: DiscardingSink())
        recorder.intervalEnded(start: Self.seconds(0), rows: [
            MetricRow(component: "web", metric: "m", value: .real(1)),
            MetricRow(component: "web", metric: "other", value: .real(2)),
            MetricRow(component: "web[1]", metric: "m", value: .real(3)),
        ])
        for change in Self.changes { recorder.stateChanged(change) }
        #expect(recorder.series(component: "web", metric: "m").map(\.value) == [1])
        #expect(recorder.series(component: "web", metric: "other").isEmpty)
        #expect(recorder.series(component: "web[1]", metric: "m").isEmpty)
        #expect(recorder.eventTimes(component: "cf", event: "instanceCrashed") == [Self.seconds(5), Self.seconds(10), Self.seconds(20)])
        #expect(recorder.eventTimes(component: "cf", event: "instanceRestarting").isEmpty)
        #expect(recorder.eventTimes(component: "db", event: "instanceCrashed").isEmpty)
    }

    @Test func `results come in the order of the expectations`() {
        let expectations = [
            Self.events("cf", "instanceCrashed", .equal(3), text: "a"),
            Self.series("web", "m", .minimum, .equal(1), text: "b"),
            Self.summary("web", "x", .equal(1), text: "c"),
        ]
        let results = Self.evaluate(expectations, changes: Self.changes)
        #expect(results.map(\.expectation.text) == ["a", "b", "c"])
        #expect(results.map(\.passed) == [true, true, false])
    }
}
