import SimulationKernel

/// When and how a failed call is tried again.
///
/// Backoff and jitter follow the formulas of "Exponential Backoff and Jitter" (Brooker, AWS, 2015),
/// with n = 1 for the first retry: expo(n) = min(cap, base · multiplier^(n−1)); none: expo(n);
/// full: uniform(0, expo(n)); equal: expo(n)/2 + uniform(0, expo(n)/2); decorrelated:
/// min(cap, uniform(base, previous · 3)), the previous sleep starting at base.
public struct RetryPolicy: Sendable, Equatable {
    /// The delay before a retry, before jitter.
    public enum Backoff: Sendable, Equatable {
        /// Retry at once.
        case none
        /// Always the same delay.
        case constant(Interval)
        /// base · multiplier^(n−1), capped.
        case exponential(base: Interval, multiplier: Double, cap: Interval)
    }

    /// How the delay is randomised.
    public enum Jitter: String, Sendable, Equatable, CaseIterable {
        case none, full, equal, decorrelated
    }

    /// Which failed outcomes may be retried.
    public struct RetryableOutcomes: OptionSet, Sendable, Equatable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The call timed out.
        public static let timeout = RetryableOutcomes(rawValue: 1)
        /// The call failed with an error.
        public static let error = RetryableOutcomes(rawValue: 2)
        /// The connection was refused (or the callee's queue was full).
        public static let refused = RetryableOutcomes(rawValue: 4)
        /// Everything.
        public static let all: RetryableOutcomes = [.timeout, .error, .refused]
    }

    /// Attempts in all, the first included.
    public var maximumAttempts: Int
    public var backoff: Backoff
    public var jitter: Jitter
    public var retryOn: RetryableOutcomes
    /// A budget shared by all calls from one instance to one dependency, or nil for none.
    public var budget: RetryBudgetSpec?

    /// Creates a policy.
    public init(maximumAttempts: Int, backoff: Backoff = .none, jitter: Jitter = .none, retryOn: RetryableOutcomes = .all, budget: RetryBudgetSpec? = nil) {
        self.maximumAttempts = maximumAttempts
        self.backoff = backoff
        self.jitter = jitter
        self.retryOn = retryOn
        self.budget = budget
    }

    /// The delay before retry number `retry` (1 for the first), in seconds.
    ///
    /// - Parameters:
    ///   - retry: Which retry, from 1.
    ///   - previous: The previous delay, in seconds (decorrelated jitter); 0 before the first, meaning base.
    ///   - stream: Draws for the jitter.
    public func delay(beforeRetry retry: Int, previous: Double, using stream: inout RandomStream) -> Double {
        let base: Double, cap: Double, expo: Double
        switch backoff {
        case .none:
            return 0
        case .constant(let interval):
            base = interval.seconds
            cap = base
            expo = base
        case .exponential(let b, let multiplier, let c):
            base = b.seconds
            cap = c.seconds
            // Capped before multiplying on, so that a large retry number cannot overflow.
            var value = base
            var step = 1
            while step < retry && value < cap {
                value *= multiplier
                step += 1
            }
            expo = min(cap, value)
        }
        switch jitter {
        case .none: return expo
        case .full: return stream.nextUnit() * expo
        case .equal: return expo / 2 + stream.nextUnit() * expo / 2
        case .decorrelated:
            let upper = max(base, (previous > 0 ? previous : base) * 3)
            return min(cap, base + stream.nextUnit() * (upper - base))
        }
    }
}

/// A budget that stops retries when too many calls fail.
public enum RetryBudgetSpec: Sendable, Equatable {
    /// gRPC retry throttling: tokens start at `maximumTokens`; a failure takes 1, a success gives
    /// back `tokenRatioThousandths` / 1000; retries are sent only while tokens > maximumTokens / 2.
    /// Kept in thousandths, as gRPC's C core does: a ratio of 0.0125 is 12 thousandths.
    case tokenBucket(maximumTokens: Int, tokenRatioThousandths: Int)
    /// The AWS SDKs' standard retry quota: capacity 500; a retry costs 5 (10 after a timeout) and
    /// is not made if the quota lacks it; a success without retry gives back 1, a success after a
    /// retry refunds that retry's cost; never above capacity.
    case awsStandard(capacity: Int, retryCost: Int, timeoutRetryCost: Int, noRetryIncrement: Int)

    /// gRPC's example defaults: 10 tokens, ratio 0.1.
    public static let grpcDefault = RetryBudgetSpec.tokenBucket(maximumTokens: 10, tokenRatioThousandths: 100)
    /// The AWS SDKs' standard values.
    public static let awsDefault = RetryBudgetSpec.awsStandard(capacity: 500, retryCost: 5, timeoutRetryCost: 10, noRetryIncrement: 1)
}

/// The state of a retry budget.
public struct RetryBudget: Sendable, Equatable {
    public let spec: RetryBudgetSpec
    /// Tokens in thousandths (token bucket) or quota units (AWS).
    public private(set) var level: Int

    /// Creates a full budget.
    public init(spec: RetryBudgetSpec) {
        self.spec = spec
        switch spec {
        case .tokenBucket(let maximumTokens, _): level = maximumTokens * 1000
        case .awsStandard(let capacity, _, _, _): level = capacity
        }
    }

    /// Records the outcome of one attempt, and says whether a retry after it may be sent.
    ///
    /// For the token bucket, every attempt's outcome counts and the decision follows a failure. For
    /// the AWS quota, a retry takes its cost now if it may be made; a success refunds.
    ///
    /// - Parameters:
    ///   - failed: Whether the attempt failed.
    ///   - wasTimeout: Whether it failed by timing out (AWS charges more).
    ///   - hadRetried: Whether the call had already been retried (AWS refunds its last cost).
    ///   - lastCost: The cost taken for the last retry of this call, to refund on success.
    /// - Returns: Whether a retry may follow, and its cost (AWS) for a later refund.
    public mutating func recordAttempt(failed: Bool, wasTimeout: Bool, hadRetried: Bool, lastCost: Int) -> (retryAllowed: Bool, cost: Int) {
        switch spec {
        case .tokenBucket(let maximumTokens, let tokenRatioThousandths):
            let maximum = maximumTokens * 1000
            if failed {
                level = max(0, level - 1000)
                return (level > maximum / 2, 0)
            }
            level = min(maximum, level + tokenRatioThousandths)
            return (false, 0)
        case .awsStandard(let capacity, let retryCost, let timeoutRetryCost, let noRetryIncrement):
            if failed {
                let cost = wasTimeout ? timeoutRetryCost : retryCost
                guard level >= cost else { return (false, 0) }
                level -= cost
                return (true, cost)
            }
            level = min(capacity, level + (hadRetried ? lastCost : noRetryIncrement))
            return (false, 0)
        }
    }
}

extension RetryPolicy {
    /// Settles a budget for a failed attempt and says whether a retry follows: the policy must
    /// retry this kind of failure and have attempts left, and the budget, if any, must allow it.
    ///
    /// A token bucket (as gRPC's C core) takes a token only for a failure the policy retries, and
    /// then decides whether attempts are left or not; the AWS quota is charged only for a retry
    /// that is wanted. Used alike by a dependency's calls and by a client's requests.
    ///
    /// - Parameters:
    ///   - attempt: The attempt that failed, from 1.
    ///   - kind: How it failed: one of `.timeout`, `.error`, `.refused`.
    ///   - budget: The budget the attempt draws on, or nil for none.
    /// - Returns: Whether to retry, and, when the AWS quota was asked, what the retry cost (for a
    ///   refund after a later success); nil leaves the last cost as it was.
    public func decide(afterFailedAttempt attempt: Int, kind: RetryableOutcomes, budget: inout RetryBudget?) -> (retry: Bool, cost: Int?) {
        let wanted = attempt < maximumAttempts && retryOn.contains(kind)
        guard budget != nil else { return (wanted, nil) }
        let wasTimeout = kind == .timeout
        if case .tokenBucket = budget!.spec {
            guard retryOn.contains(kind) else { return (false, nil) }
            let allowed = budget!.recordAttempt(failed: true, wasTimeout: wasTimeout, hadRetried: attempt > 1, lastCost: 0).retryAllowed
            return (allowed && wanted, nil)
        }
        guard wanted else { return (false, nil) }
        let decision = budget!.recordAttempt(failed: true, wasTimeout: wasTimeout, hadRetried: attempt > 1, lastCost: 0)
        return (decision.retryAllowed, decision.cost)
    }

    /// Settles a budget for a successful attempt: the token bucket gains its ratio, the AWS quota
    /// refunds the last retry's cost (or gains its increment when the call was not retried).
    ///
    /// - Parameters:
    ///   - attempt: The attempt that succeeded, from 1.
    ///   - lastCost: What the last retry of the call cost the AWS quota.
    ///   - budget: The budget, or nil for none.
    public static func settleSuccess(ofAttempt attempt: Int, lastCost: Int, budget: inout RetryBudget?) {
        guard budget != nil else { return }
        _ = budget!.recordAttempt(failed: false, wasTimeout: false, hadRetried: attempt > 1, lastCost: lastCost)
    }
}
