import FailureChains
import SimulationKernel
import Testing

/// One instance's health check alone: probe tokens, counts in a row, and the thresholds.
struct HealthCheckTests {
    /// Ejects after 3 failures in a row, readmits after 2 successes in a row.
    static func makeCheck() -> HealthCheck {
        HealthCheck(spec: HealthCheckSpec(interval: .seconds(5), timeout: .seconds(1), unhealthyThreshold: 3, healthyThreshold: 2,
                                          kind: .shallow, entryPoint: 0))
    }

    /// Runs probes that succeed or fail, each ended once, and returns the verdicts.
    static func run(_ check: inout HealthCheck, _ results: [Bool]) -> [HealthCheck.Verdict] {
        results.map { success in
            let token = check.startProbe()
            return check.probeEnded(token: token, success: success)
        }
    }

    @Test func `failures in a row reach the unhealthy threshold, and a success starts the count again`() {
        var check = Self.makeCheck()
        let verdicts = Self.run(&check, [false, false, true, false, false, false, false])
        #expect(verdicts == [.counted, .counted, .counted, .counted, .counted,
                             .unhealthy(consecutive: 3, lastFailure: .timeout), .unhealthy(consecutive: 4, lastFailure: .timeout)])
    }

    @Test func `successes in a row reach the healthy threshold`() {
        var check = Self.makeCheck()
        let verdicts = Self.run(&check, [false, true, true, true])
        #expect(verdicts == [.counted, .counted, .healthy(consecutive: 2), .healthy(consecutive: 3)])
    }

    @Test func `the first end of a probe counts and the later ones are stale`() {
        var check = Self.makeCheck()
        let token = check.startProbe()
        let answer = check.probeEnded(token: token, success: true)
        let timeout = check.probeEnded(token: token, success: false)
        #expect(answer == .counted)
        #expect(timeout == .stale)
        #expect(check.consecutiveSuccesses == 1 && check.consecutiveFailures == 0)
    }

    @Test func `an end of an older probe is stale once a newer one started`() {
        var check = Self.makeCheck()
        let old = check.startProbe()
        _ = check.startProbe()
        let late = check.probeEnded(token: old, success: true)
        #expect(late == .stale)
        #expect(check.consecutiveSuccesses == 0)
    }

    @Test func `an ejection names why the last probe failed`() {
        var check = Self.makeCheck()
        var verdicts: [HealthCheck.Verdict] = []
        for failure in [HealthCheck.Failure.refused, .busy, .answered(.timedOut)] {
            let token = check.startProbe()
            check.noteFailure(failure, token: token)
            check.noteFailure(.refused, token: token &- 1)  // about an older probe: ignored
            verdicts.append(check.probeEnded(token: token, success: false))
        }
        #expect(verdicts == [.counted, .counted, .unhealthy(consecutive: 3, lastFailure: .answered(.timedOut))])
    }

    @Test func `a probe counts as timed out until it is answered`() {
        var check = Self.makeCheck()
        let first = check.startProbe()
        check.noteFailure(.busy, token: first)
        #expect(check.lastFailure == .busy)
        _ = check.startProbe()
        #expect(check.lastFailure == .timeout)
    }

    @Test func `resetting forgets the counts in a row`() {
        var check = Self.makeCheck()
        _ = Self.run(&check, [false, false])
        check.resetCounts()
        let verdicts = Self.run(&check, [false, false])
        #expect(verdicts == [.counted, .counted])
    }

    @Test func `without a health check no threshold is ever reached`() {
        var check = HealthCheck(spec: nil)
        let verdicts = Self.run(&check, Array(repeating: false, count: 10) + Array(repeating: true, count: 10))
        #expect(verdicts.allSatisfy { $0 == .counted })
        #expect(verdicts.count == 20)
    }
}
