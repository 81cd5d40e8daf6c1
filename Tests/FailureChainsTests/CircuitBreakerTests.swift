import FailureChains
import SimulationKernel
import Testing

/// The breaker's exact semantics, transition by transition, on scripted calls.
struct CircuitBreakerTests {
    static func at(_ seconds: Double) -> Instant { Instant(nanoseconds: Int64((seconds * 1e9).rounded())) }

    /// Runs a script of calls (start, end, result) in time order of their events, returning what
    /// happened to each: "rejected", or the state after its outcome was recorded.
    static func run(_ breaker: inout CircuitBreaker, _ calls: [(start: Double, end: Double, result: CircuitBreaker.Result)]) -> [String] {
        var log: [String] = []
        for call in calls {
            let permit = breaker.permit(at: at(call.start))
            guard permit.isGranted else {
                log.append("rejected")
                continue
            }
            breaker.record(call.result, permit: permit, duration: at(call.end) - at(call.start), at: at(call.end))
            log.append(breaker.state.rawValue)
        }
        return log
    }

    /// pybreaker's reference trace (reliability.md §2.1): fail_max 3, reset_timeout 10 s.
    @Test func `the consecutive breaker follows pybreaker's reference trace`() {
        var breaker = CircuitBreaker(spec: CircuitBreakerSpec(kind: .consecutive(failureThreshold: 3, resetTimeout: .seconds(10))))
        let log = Self.run(&breaker, [
            (1, 1, .success), (2, 2, .failure), (4, 4, .failure),
            (6, 6, .failure),            // the third failure in a row trips it, stamped 6
            (7, 7, .success),            // rejected, without running
            (15.999999, 15.999999, .success),  // still rejected, just before 6 + 10
            (16, 16, .failure),          // exactly at 16: the trial; it fails: open again, stamped 16
            (20, 20, .success),          // rejected
            (26, 26, .success),          // the trial at 16 + 10 succeeds: closed
            (27, 27, .failure),
            (28, 28, .success),          // a success resets the count
            (29, 29, .failure), (30, 30, .failure),
            (31, 31, .failure),          // trips, stamped 31
            (41, 43, .failure),          // trial from 41, fails when recorded at 43: open, stamped 43
            (52, 52, .success),          // rejected: before 43 + 10
            (53, 53.5, .success),        // trial: closes
            (54, 54, .failure),
        ])
        #expect(log == [
            "closed", "closed", "closed",
            "open",
            "rejected", "rejected",
            "open",
            "rejected",
            "closed",
            "closed", "closed", "closed", "closed",
            "open",
            "open",
            "rejected",
            "closed",
            "closed",
        ])
        #expect(breaker.openedAt == Self.at(43))
    }

    @Test func `while the trial is out every other call fails fast`() {
        var breaker = CircuitBreaker(spec: CircuitBreakerSpec(kind: .consecutive(failureThreshold: 1, resetTimeout: .seconds(5))))
        let first = breaker.permit(at: Self.at(0))
        breaker.record(.failure, permit: first, duration: .zero, at: Self.at(0))
        let trial = breaker.permit(at: Self.at(5))
        #expect(trial.isGranted)
        #expect(breaker.state == .halfOpen)
        #expect(!breaker.permit(at: Self.at(5.5)).isGranted)
        #expect(!breaker.permit(at: Self.at(100)).isGranted)  // the trial hangs: half-open stays
        breaker.record(.success, permit: trial, duration: .seconds(96), at: Self.at(101))
        #expect(breaker.state == .closed)
    }

    @Test func `outcomes of calls admitted before the breaker opened are not counted`() {
        var breaker = CircuitBreaker(spec: CircuitBreakerSpec(kind: .consecutive(failureThreshold: 2, resetTimeout: .seconds(5))))
        let slow = breaker.permit(at: Self.at(0))          // admitted while closed
        let a = breaker.permit(at: Self.at(1))
        breaker.record(.failure, permit: a, duration: .zero, at: Self.at(1))
        let b = breaker.permit(at: Self.at(2))
        breaker.record(.failure, permit: b, duration: .zero, at: Self.at(2))
        #expect(breaker.state == .open)
        #expect(breaker.record(.success, permit: slow, duration: .seconds(3), at: Self.at(3)) == nil)
        #expect(breaker.state == .open)
    }

    @Test func `a timeout is a failure recorded when it fires`() {
        var breaker = CircuitBreaker(spec: CircuitBreakerSpec(kind: .consecutive(failureThreshold: 1, resetTimeout: .seconds(10))))
        let call = breaker.permit(at: Self.at(0))
        breaker.record(.failure, permit: call, duration: .seconds(2), at: Self.at(2))  // the read timeout fired at 2
        #expect(breaker.openedAt == Self.at(2))
        #expect(!breaker.permit(at: Self.at(11.9)).isGranted)
        #expect(breaker.permit(at: Self.at(12)).isGranted)
    }

    @Test func `the rate breaker opens at the failure-rate threshold once it has the minimum number of calls`() {
        let spec = RateBreakerSpec(window: .count(calls: 10), minimumCalls: 5, failureRateThreshold: 50, waitInOpen: .seconds(10), permittedCallsInHalfOpen: 2)
        var breaker = CircuitBreaker(spec: CircuitBreakerSpec(kind: .rate(spec)))
        // Four failures: below the minimum of 5 calls, no decision.
        let log = Self.run(&breaker, [(1, 1, .failure), (2, 2, .failure), (3, 3, .failure), (4, 4, .failure),
                                      (5, 5, .success)])  // 4 of 5 failed: 80% ≥ 50%: open at 5
        #expect(log == ["closed", "closed", "closed", "closed", "open"])
        #expect(!breaker.permit(at: Self.at(15)).isGranted)   // exactly at 5 + 10: rejected (strictly after)
        let first = breaker.permit(at: Self.at(15.001))
        #expect(first.isGranted && breaker.state == .halfOpen)
        let second = breaker.permit(at: Self.at(15.002))
        #expect(second.isGranted)
        #expect(!breaker.permit(at: Self.at(15.003)).isGranted)  // only 2 permitted
        breaker.record(.success, permit: first, duration: .zero, at: Self.at(15.1))
        #expect(breaker.state == .halfOpen)
        breaker.record(.failure, permit: second, duration: .zero, at: Self.at(15.2))  // 1 of 2 failed: 50% ≥ 50%
        #expect(breaker.state == .open)
    }

    @Test func `the rate breaker counts calls slower than the threshold as slow`() {
        let spec = RateBreakerSpec(window: .count(calls: 4), minimumCalls: 4, failureRateThreshold: 100,
                                   slowCallRateThreshold: 50, slowCallDuration: .seconds(1), waitInOpen: .seconds(10))
        var breaker = CircuitBreaker(spec: CircuitBreakerSpec(kind: .rate(spec)))
        let log = Self.run(&breaker, [(0, 1, .success), (2, 3.5, .success), (4, 4.2, .success), (5, 6.001, .success)])
        // Exactly 1 s is not slow; 1.5 s and 1.001 s are: 2 of 4 = 50%.
        #expect(log == ["closed", "closed", "closed", "open"])
    }

    @Test func `the time-based window forgets outcomes older than its seconds`() {
        let spec = RateBreakerSpec(window: .time(seconds: 5), minimumCalls: 3, failureRateThreshold: 60, waitInOpen: .seconds(10))
        var breaker = CircuitBreaker(spec: CircuitBreakerSpec(kind: .rate(spec)))
        let log = Self.run(&breaker, [(0, 0, .failure), (1, 1, .failure), (7, 7, .success), (7.5, 7.5, .success),
                                      (8, 8, .failure)])  // the failures at 0 and 1 have left the window: 1 of 3
        #expect(log == ["closed", "closed", "closed", "closed", "closed"])
    }

    @Test func `a permit handed back lets the next call be the trial`() {
        var breaker = CircuitBreaker(spec: CircuitBreakerSpec(kind: .consecutive(failureThreshold: 1, resetTimeout: .seconds(5))))
        let first = breaker.permit(at: Self.at(0))
        breaker.record(.failure, permit: first, duration: .zero, at: Self.at(0))
        let trial = breaker.permit(at: Self.at(5))
        #expect(trial.isGranted && !breaker.permit(at: Self.at(5.1)).isGranted)
        breaker.release(trial)  // the trial was stopped before it ran
        let next = breaker.permit(at: Self.at(5.2))
        #expect(next.isGranted && breaker.state == .halfOpen)
        breaker.record(.success, permit: next, duration: .zero, at: Self.at(5.3))
        #expect(breaker.state == .closed)
    }
}
