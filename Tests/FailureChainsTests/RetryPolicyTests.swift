import FailureChains
import SimulationKernel
import Testing

struct RetryPolicyTests {
    @Test func `exponential backoff doubles from its base up to its cap`() {
        let policy = RetryPolicy(maximumAttempts: 10, backoff: .exponential(base: .milliseconds(100), multiplier: 2, cap: .seconds(1)))
        var stream = RandomStream(seed: 1, component: "retry", purpose: "test")
        let delays = (1...6).map { policy.delay(beforeRetry: $0, previous: 0.1, using: &stream) }
        #expect(delays == [0.1, 0.2, 0.4, 0.8, 1, 1])
        #expect(policy.delay(beforeRetry: 1_000_000, previous: 0.1, using: &stream) == 1)  // no overflow
    }

    @Test(arguments: RetryPolicy.Jitter.allCases)
    func `each jitter stays within its published range`(jitter: RetryPolicy.Jitter) {
        let policy = RetryPolicy(maximumAttempts: 10, backoff: .exponential(base: .milliseconds(100), multiplier: 2, cap: .seconds(2)), jitter: jitter)
        var stream = RandomStream(seed: 2, component: "retry", purpose: jitter.rawValue)
        var previous = 0.1
        for retry in 1...8 {
            let expo = min(2, 0.1 * Double(1 << (retry - 1)))
            let delay = policy.delay(beforeRetry: retry, previous: previous, using: &stream)
            switch jitter {
            case .none: #expect(delay == expo)
            case .full: #expect(delay >= 0 && delay <= expo)
            case .equal: #expect(delay >= expo / 2 && delay <= expo)
            case .decorrelated: #expect(delay >= 0.1 && delay <= min(2, max(0.1, previous * 3)))
            }
            previous = delay
        }
    }

    @Test func `full jitter averages half the exponential delay`() {
        let policy = RetryPolicy(maximumAttempts: 10, backoff: .constant(.seconds(1)), jitter: .full)
        var stream = RandomStream(seed: 3, component: "retry", purpose: "mean")
        let count = 100_000
        let mean = (0..<count).reduce(0.0) { sum, _ in sum + policy.delay(beforeRetry: 1, previous: 1, using: &stream) } / Double(count)
        #expect(abs(mean - 0.5) < 5 * (1 / 12.0).squareRoot() / Double(count).squareRoot())
    }

    /// gRPC C-core's test vector (reliability.md §3.2): 10 tokens, ratio 0.1.
    @Test func `the token bucket follows gRPC's reference vector`() {
        var budget = RetryBudget(spec: .grpcDefault)
        let allowed = (0..<6).map { _ in budget.recordAttempt(failed: true, wasTimeout: false, hadRetried: false, lastCost: 0).retryAllowed }
        #expect(allowed == [true, true, true, true, false, false])
        budget = RetryBudget(spec: .grpcDefault)
        for _ in 0..<10 { _ = budget.recordAttempt(failed: true, wasTimeout: false, hadRetried: false, lastCost: 0) }
        #expect(budget.level == 0)
        for _ in 0..<60 { _ = budget.recordAttempt(failed: false, wasTimeout: false, hadRetried: false, lastCost: 0) }
        #expect(budget.level == 6000)
        #expect(budget.recordAttempt(failed: true, wasTimeout: false, hadRetried: false, lastCost: 0).retryAllowed == false)  // 5.000
        for _ in 0..<11 { _ = budget.recordAttempt(failed: false, wasTimeout: false, hadRetried: false, lastCost: 0) }
        #expect(budget.recordAttempt(failed: true, wasTimeout: false, hadRetried: false, lastCost: 0).retryAllowed == true)   // 5.100
    }

    @Test func `a token bucket gives back its ratio in thousandths for each success`() {
        var budget = RetryBudget(spec: .tokenBucket(maximumTokens: 10, tokenRatioThousandths: 12))
        for _ in 0..<10 { _ = budget.recordAttempt(failed: true, wasTimeout: false, hadRetried: false, lastCost: 0) }
        #expect(budget.level == 0)
        let levels = (0..<3).map { _ in
            _ = budget.recordAttempt(failed: false, wasTimeout: false, hadRetried: false, lastCost: 0)
            return budget.level
        }
        #expect(levels == [12, 24, 36])
    }

    @Test func `the AWS quota allows at most 100 retries from full, 50 after timeouts`() {
        var budget = RetryBudget(spec: .awsDefault)
        var retries = 0
        while budget.recordAttempt(failed: true, wasTimeout: false, hadRetried: false, lastCost: 0).retryAllowed { retries += 1 }
        #expect(retries == 100)
        budget = RetryBudget(spec: .awsDefault)
        retries = 0
        while budget.recordAttempt(failed: true, wasTimeout: true, hadRetried: false, lastCost: 0).retryAllowed { retries += 1 }
        #expect(retries == 50)
        // A success after a retry refunds its cost; one without retries gives back 1, never above 500.
        _ = budget.recordAttempt(failed: false, wasTimeout: false, hadRetried: true, lastCost: 10)
        #expect(budget.level == 10)
        budget = RetryBudget(spec: .awsDefault)
        _ = budget.recordAttempt(failed: false, wasTimeout: false, hadRetried: false, lastCost: 0)
        #expect(budget.level == 500)
    }

    /// With a sustained failure ratio f, gRPC throttling lets retries through only while the bucket
    /// stays above half: the drift per call is −f + (1 − f)·ratio, which is negative exactly when
    /// f > ratio / (1 + ratio) = 0.1 / 1.1 ≈ 9.09%. Every k-th call fails, so the ratio is exactly 1/k.
    @Test(arguments: [5, 8, 10, 12, 15, 30])
    func `gRPC throttling stops retries above a failure ratio of 0.1 over 1.1`(every k: Int) {
        var budget = RetryBudget(spec: .grpcDefault)
        var allowedLate = 0
        var failuresLate = 0
        for call in 1...20_000 {
            let failed = call % k == 0
            let allowed = budget.recordAttempt(failed: failed, wasTimeout: false, hadRetried: false, lastCost: 0).retryAllowed
            if call > 10_000 && failed {
                failuresLate += 1
                if allowed { allowedLate += 1 }
            }
        }
        let ratio = 1 / Double(k)
        if ratio < 0.1 / 1.1 {
            #expect(allowedLate == failuresLate, "f = \(ratio): \(allowedLate) of \(failuresLate) failures may retry")
        } else {
            #expect(allowedLate == 0, "f = \(ratio): \(allowedLate) of \(failuresLate) failures may retry")
        }
    }

    @Test(arguments: [0.03, 0.2])
    func `with random failures far from the threshold throttling is all or nothing`(failureRatio: Double) {
        var budget = RetryBudget(spec: .grpcDefault)
        var stream = RandomStream(seed: 4, component: "throttle", purpose: "random")
        var allowed = 0
        var failures = 0
        for call in 0..<100_000 {
            let failed = stream.nextUnit() < failureRatio
            let mayRetry = budget.recordAttempt(failed: failed, wasTimeout: false, hadRetried: false, lastCost: 0).retryAllowed
            if call >= 50_000 && failed {
                failures += 1
                if mayRetry { allowed += 1 }
            }
        }
        let share = Double(allowed) / Double(failures)
        #expect(failureRatio < 0.1 / 1.1 ? share > 0.95 : share < 0.05, "f = \(failureRatio): share \(share)")
    }
}

/// The decision after an attempt, shared by a dependency's calls and a client's requests.
struct RetryDecisionTests {
    @Test func `a failure is retried while attempts are left and retryOn names it`() {
        let policy = RetryPolicy(maximumAttempts: 3, retryOn: [.error, .refused])
        var budget: RetryBudget? = nil
        #expect(policy.decide(afterFailedAttempt: 1, kind: .error, budget: &budget) == (true, nil))
        #expect(policy.decide(afterFailedAttempt: 2, kind: .refused, budget: &budget) == (true, nil))
        #expect(policy.decide(afterFailedAttempt: 3, kind: .error, budget: &budget) == (false, nil))
        #expect(policy.decide(afterFailedAttempt: 1, kind: .timeout, budget: &budget) == (false, nil))
    }

    @Test func `a token bucket takes a token for every failure retryOn names, attempts left or not`() {
        let policy = RetryPolicy(maximumAttempts: 2, retryOn: [.error], budget: .grpcDefault)
        var budget: RetryBudget? = RetryBudget(spec: .grpcDefault)
        #expect(policy.decide(afterFailedAttempt: 2, kind: .error, budget: &budget) == (false, nil))
        #expect(budget?.level == 9_000)
        #expect(policy.decide(afterFailedAttempt: 1, kind: .timeout, budget: &budget) == (false, nil))
        #expect(budget?.level == 9_000, "a failure retryOn does not name counts neither way")
        #expect(policy.decide(afterFailedAttempt: 1, kind: .error, budget: &budget) == (true, nil))
        RetryPolicy.settleSuccess(ofAttempt: 2, lastCost: 0, budget: &budget)
        #expect(budget?.level == 8_100)
    }

    @Test func `the AWS quota is charged only for a retry that is wanted, and refunded after a success`() {
        let policy = RetryPolicy(maximumAttempts: 3, budget: .awsDefault)
        var budget: RetryBudget? = RetryBudget(spec: .awsDefault)
        #expect(policy.decide(afterFailedAttempt: 3, kind: .error, budget: &budget) == (false, nil))
        #expect(budget?.level == 500)
        #expect(policy.decide(afterFailedAttempt: 1, kind: .timeout, budget: &budget) == (true, 10))
        #expect(budget?.level == 490)
        RetryPolicy.settleSuccess(ofAttempt: 2, lastCost: 10, budget: &budget)
        #expect(budget?.level == 500)
    }
}
