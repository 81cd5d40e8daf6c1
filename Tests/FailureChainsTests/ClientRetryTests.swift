import FailureChains
import SimulationKernel
import Testing

/// Client retries on traffic sources and user populations (`retry` beside `clientTimeout` and
/// `reload`), run through the engine.
struct ClientRetryTests {
    /// `web`, one instance of `threads` threads doing 10 ms of CPU work, with an `error` fault on
    /// its work for the whole run when `failing` (every request fails after its work).
    private func model(failing: Bool, traffic: [TrafficSourceSpec] = [], users: [UserPopulationSpec] = [],
                       threads: Int = 50, seconds: Int64 = 100) -> SystemModel {
        var fault = FaultSpec(target: "web", start: .zero, kind: .error(afterLatency: true))
        fault.probability = 1
        return SystemModel(name: "m", run: testRun(seconds: seconds, interval: .seconds(10)),
                           services: [ServiceSpec(name: "web", instances: 1, threads: threads, queueCapacity: 100, serviceTime: .constant(0.01))],
                           traffic: traffic, users: users, faults: failing ? [fault] : [])
    }

    private func source(_ retry: RetryPolicy?, rate: Double = 10, timeout: Interval? = nil) -> TrafficSourceSpec {
        TrafficSourceSpec(name: "t", target: "web", arrivals: .deterministic, profile: .constant(rate),
                          behaviour: ClientBehaviour(clientTimeout: timeout, retry: retry))
    }

    @Test func `clients that retry every error send k times the load to a failing service`() {
        let retry = RetryPolicy(maximumAttempts: 4, backoff: .constant(.milliseconds(100)))
        let (without, _) = simulate(model(failing: true, traffic: [source(nil)]))
        let (with, sink) = simulate(model(failing: true, traffic: [source(retry)]))
        let offered = try! #require(with.value("offered", of: "t"))
        #expect(without.value("offered", of: "web") == without.value("offered", of: "t"))
        // Each request is tried 4 times, 10 ms of work and 100 ms of backoff apart: 340 ms in all,
        // so the 4 requests sent in the last 340 ms are cut off by the end of the run.
        let served = with.value("offered", of: "web") ?? 0
        #expect(served <= 4 * offered && served >= 4 * offered - 12, "web offered \(served) for \(offered) requests")
        #expect(abs((with.value("retries", of: "t") ?? 0) - 3 * offered) <= 12)
        #expect(abs((with.value("retryAmplification", of: "t") ?? 0) - 4) < 0.01)
        // The client counts each logical request once, by its last try's outcome.
        #expect(abs((with.value("failed", of: "t") ?? 0) - offered) <= 4)
        #expect(sink.series("t", "retries").allSatisfy { $0.value > 0 })
    }

    @Test func `a client that succeeds sends no retry, and its model reads no random draw for one`() {
        let retry = RetryPolicy(maximumAttempts: 3, backoff: .constant(.milliseconds(100)), jitter: .full)
        let (plain, _) = simulate(model(failing: false, traffic: [source(nil)]))
        let (with, _) = simulate(model(failing: false, traffic: [source(retry)]))
        #expect(with.value("retries", of: "t") == 0)
        #expect(with.value("retryAmplification", of: "t") == 1)
        #expect(with.value("goodput", of: "web") == plain.value("goodput", of: "web"))
        #expect(plain.value("retries", of: "t") == nil, "a source without retry writes no retry rows")
    }

    @Test func `retries stop at the attempts the policy allows and only on the outcomes it names`() {
        let onTimeoutOnly = RetryPolicy(maximumAttempts: 5, backoff: .constant(.milliseconds(100)), retryOn: [.timeout])
        let (result, _) = simulate(model(failing: true, traffic: [source(onTimeoutOnly)]))
        #expect(result.value("retries", of: "t") == 0, "an error answer is not a timeout")
        #expect(result.value("offered", of: "web") == result.value("offered", of: "t"))
    }

    @Test func `a client timeout counts as timed out, and the timed-out try is abandoned by the retry`() {
        // 1 thread, 2 s of work, 0.5 s client timeout: every try times out; 3 tries, then the user gives up.
        let slow = SystemModel(name: "m", run: testRun(seconds: 100, interval: .seconds(100)),
                               services: [ServiceSpec(name: "web", instances: 1, threads: 100, queueCapacity: 100, serviceTime: .constant(2))],
                               traffic: [source(RetryPolicy(maximumAttempts: 3, backoff: .none), rate: 0.25, timeout: .milliseconds(500))])
        let (result, _) = simulate(slow)
        let offered = result.value("offered", of: "t") ?? 0
        #expect(abs((result.value("retries", of: "t") ?? 0) - 2 * offered) <= 2)
        #expect(abs((result.value("abandoned", of: "t") ?? 0) - offered) <= 1, "the last try's timeout ends the request")
        #expect(result.value("goodput", of: "t") == 0)
        // The server finished the earlier tries nobody waited for any more.
        #expect((result.value("wasted", of: "web") ?? 0) >= 2 * offered - 3)
    }

    @Test func `a retry budget caps what the clients of a source retry together`() {
        let unbounded = RetryPolicy(maximumAttempts: 4, backoff: .constant(.milliseconds(100)))
        var budgeted = unbounded
        budgeted.budget = .grpcDefault
        let (free, _) = simulate(model(failing: true, traffic: [source(unbounded)]))
        let (capped, _) = simulate(model(failing: true, traffic: [source(budgeted)]))
        // gRPC's bucket: 10 tokens, no retry below 5; every try fails, so after 5 failures no more.
        #expect(capped.value("retries", of: "t") == 4)
        #expect((free.value("retries", of: "t") ?? 0) > 100)
    }

    @Test func `users that retry errors keep their think time between requests, not between tries`() {
        let users = UserPopulationSpec(name: "u", target: "web", size: 10, thinkTime: .constant(1),
                                       behaviour: ClientBehaviour(retry: RetryPolicy(maximumAttempts: 3, backoff: .constant(.milliseconds(50)))))
        let (result, _) = simulate(model(failing: true, users: [users]))
        let offered = result.value("offered", of: "u") ?? 0
        // A cycle is 3 tries of 10 ms with two backoffs of 50 ms and a think time of 1 s.
        #expect(abs(offered - 10 * 100 / 1.13) < 20, "offered \(offered)")
        #expect(abs((result.value("retryAmplification", of: "u") ?? 0) - 3) < 0.01)
    }

    @Test func `jittered client retries are drawn, and drawn alike on every run`() {
        let jittered = RetryPolicy(maximumAttempts: 3, backoff: .constant(.milliseconds(100)), jitter: .full)
        var plain = jittered
        plain.jitter = .none
        let first = simulate(model(failing: true, traffic: [source(jittered)])).result
        let second = simulate(model(failing: true, traffic: [source(jittered)])).result
        #expect(first.outcome.fingerprint == second.outcome.fingerprint)
        #expect(simulate(model(failing: true, traffic: [source(plain)])).result.outcome.fingerprint != first.outcome.fingerprint)
        // Full jitter: a retry 0 to 100 ms after its failure, 50 ms on average, where the plain one waits 100 ms.
        #expect(abs((first.value("retryAmplification", of: "t") ?? 0) - 3) < 0.01)
    }
}
