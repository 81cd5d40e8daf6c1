import Experiments
import Testing

/// The pieces of `faultline tipping`: its Wilson intervals, its axes, its recovery condition and
/// its search, on verdicts made up so the answer is known.
struct TippingSearchTests {
    /// Newcombe, "Two-sided confidence intervals for the single proportion: comparison of seven
    /// methods", Statistics in Medicine 17 (1998) 857–872, Table I, method 3 (Wilson's score
    /// interval without continuity correction), at 95%.
    @Test(arguments: [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)])
    func `the Wilson interval matches Newcombe's published values`(successes: Int, trials: Int, lower: Double, upper: Double) {
        let interval = WilsonInterval(successes: successes, trials: trials, level: 0.95)
        #expect(abs(interval.lower - lower) < 0.00006)
        #expect(abs(interval.upper - upper) < 0.00006)
        #expect(interval.estimate == Double(successes) / Double(trials))
    }

    @Test func `a range is interpolated in the unit its ends are written in`() throws {
        let durations = try TippingRange("faults[0].duration=1s..120s")
        #expect(durations.path == "faults[0].duration")
        #expect(durations.text(durations.value(at: 0.5)) == "60.5s")
        let minutes = try TippingRange("x=1m..10m")
        #expect(minutes.text(minutes.value(at: 0.5)) == "5.5m")
        let mixed = try TippingRange("x=30s..2m")
        #expect(mixed.text(mixed.value(at: 0.5)) == "75s")
        let rates = try TippingRange("traffic.users.rate=30/s..95/s")
        #expect(rates.text(rates.value(at: 0.5)) == "62.5/s")
        #expect(rates.override(rates.value(at: 1)) == "traffic.users.rate=95/s")
        let perMinute = try TippingRange("x=600/min..1200/min")
        #expect(perMinute.text(perMinute.value(at: 0.5)) == "900/min")
        let counts = try TippingRange("services.web.instances=2..7")
        #expect(counts.text(counts.value(at: 0.5)) == "5")
        #expect(counts.resolution == 1)
        let shares = try TippingRange("x=50%..90%")
        #expect(shares.text(shares.value(at: 0.25)) == "60%")
    }

    @Test(arguments: ["x", "x=1s", "=1s..2s", "x=2s..1s", "x=1s..5/s", "x=fast..2s", "x=1s.."])
    func `a malformed range is refused`(argument: String) {
        #expect(throws: TippingRangeError.self) { try TippingRange(argument) }
    }

    @Test func `the recovery condition reads a window relative to the trigger's end and a comparison`() throws {
        let criterion = try RecoveryCriterion("users.successRatio@+5m..+10m:mean>0.95")
        #expect(criterion.component == "users")
        #expect(criterion.metric == "successRatio")
        #expect(criterion.from.isRelative && criterion.to?.isRelative == true)
        #expect(criterion.from.resolved(triggerEnd: .seconds(60)) == .seconds(360))
        #expect(criterion.selector(from: .seconds(360), to: .seconds(660)) == "users.successRatio@6m..11m:mean")
        #expect(criterion.holds(0.96) && !criterion.holds(0.95) && !criterion.holds(nil))
        let atMost = try RecoveryCriterion("web.queueLength@10m..20m:maximum<=3")
        #expect(!atMost.from.isRelative && atMost.holds(3) && !atMost.holds(3.5))
        #expect(throws: TippingRangeError.self) { try RecoveryCriterion("users.successRatio@+5m..+10m:mean") }
        #expect(throws: TippingRangeError.self) { try RecoveryCriterion("users.successRatio:mean>0.9") }
        #expect(throws: TippingRangeError.self) { try RecoveryCriterion("users.successRatio@+5m..+1m:mean>0.9") }
    }

    /// Runs a search whose runs tip when the trigger is at least `threshold`, or, with `spread`,
    /// when it is at least `threshold + spread · (u − ½)` for u the replication's own uniform
    /// number (the same at every probe, as common random numbers are).
    static func search(threshold: Double, spread: Double = 0, precision: Double = 0.05) throws -> TippingSearch {
        let range = try TippingRange("faults[0].duration=1s..101s")
        var search = TippingSearch(range: range, settings: .init(replications: 20, maximumReplications: 80, precision: precision, level: 0.95))
        var rounds = 0
        while case let requests = search.nextRequests(), !requests.isEmpty {
            rounds += 1
            #expect(rounds < 200, "the search does not end")
            if rounds >= 200 { break }
            for request in requests {
                let verdicts = request.replications.map { replication -> TippingVerdict in
                    let u = Double((replication * 7919) % 1000) / 1000
                    return request.trigger >= threshold + spread * (u - 0.5) ? .metastable : .recovered
                }
                search.record(request, verdicts: verdicts)
            }
        }
        return search
    }

    @Test(arguments: [3.0, 37.0, 61.5, 99.0])
    func `a sharp threshold is found within the precision`(threshold: Double) throws {
        let result = try Self.search(threshold: threshold).result
        #expect(result.status == .threshold)
        let low = try #require(result.low), high = try #require(result.high), estimate = try #require(result.estimate)
        #expect(low < threshold && threshold <= high)
        #expect(high - low <= 5)
        #expect(abs(estimate - threshold) <= 5)
        #expect(result.precisionReached)
    }

    @Test func `a gradual threshold gets an interval that holds it, and more replications near it`() throws {
        let search = try Self.search(threshold: 50, spread: 30, precision: 0.02)
        let result = search.result
        let low = try #require(result.low), high = try #require(result.high)
        #expect(low < 50 && 50 < high)
        #expect(search.probes.contains { $0.runs > 20 })
        #expect(search.probes.allSatisfy { $0.runs <= 80 })
    }

    @Test func `a range that never tips, or always does, says so after its two ends`() throws {
        let recovers = try Self.search(threshold: 200)
        #expect(recovers.result.status == .recovers)
        #expect(recovers.probes.count == 2)
        let tips = try Self.search(threshold: 0)
        #expect(tips.result.status == .tips)
        #expect(tips.probes.count == 2)
    }

    @Test func `draining runs do not count as tipped`() throws {
        var probe = TippingProbe(trigger: 1, verdicts: Array(repeating: .draining, count: 15) + Array(repeating: .metastable, count: 5))
        #expect(!probe.tips)
        #expect(probe.count(.draining) == 15)
        probe.verdicts += Array(repeating: .metastable, count: 10)
        #expect(probe.tips)
        #expect(probe.recoveryInterval(level: 0.95).estimate == 0)
    }
}
