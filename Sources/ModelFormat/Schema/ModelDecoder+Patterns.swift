import FailureChains
import SimulationKernel

/// The stability patterns of a dependency: its circuit breaker and its retry policy.
extension ModelDecoder {
    /// `breaker: { kind: "consecutive", failureThreshold, resetTimeout, fallback }` or
    /// `{ kind: "rate", window: { calls } | { seconds }, minimumCalls, failureRateThreshold,
    /// slowCallRateThreshold, slowCallDuration, waitInOpen, permittedCallsInHalfOpen, fallback }`.
    func decodeBreaker(_ object: ObjectReader) -> CircuitBreakerSpec? {
        let kindName = choice(object, "kind", default: BreakerKindName.consecutive)
        let fallback = decodeFallback(object)
        var kind: CircuitBreakerSpec.Kind?
        switch kindName {
        case .consecutive?:
            let threshold = object.integer("failureThreshold", bounds: Bounds(1...1_000_000)) ?? 5
            let reset = object.duration("resetTimeout", bounds: .greaterThan(.zero)) ?? .seconds(60)
            kind = .consecutive(failureThreshold: threshold, resetTimeout: reset)
        case .rate?:
            let defaults = RateBreakerSpec()
            var window = defaults.window
            if let windowObject = object.object("window") {
                let calls = windowObject.integer("calls", bounds: Bounds(1...1_000_000))
                let seconds = windowObject.integer("seconds", bounds: Bounds(1...86_400))
                switch (calls, seconds) {
                case (let calls?, nil): window = .count(calls: calls)
                case (nil, let seconds?): window = .time(seconds: seconds)
                case (_?, _?): windowObject.error("give either 'calls' or 'seconds', not both", key: "seconds")
                case (nil, nil):
                    if !windowObject.contains("calls") && !windowObject.contains("seconds") {
                        windowObject.error("a window needs 'calls' (a count window) or 'seconds' (a time window)")
                    }
                }
                windowObject.finish()
            }
            let rate = RateBreakerSpec(
                window: window,
                minimumCalls: object.integer("minimumCalls", bounds: Bounds(1...1_000_000)) ?? defaults.minimumCalls,
                failureRateThreshold: object.percentage("failureRateThreshold", bounds: Bounds(lower: 0, isLowerInclusive: false, upper: 100)) ?? defaults.failureRateThreshold,
                slowCallRateThreshold: object.percentage("slowCallRateThreshold", bounds: Bounds(lower: 0, isLowerInclusive: false, upper: 100)) ?? defaults.slowCallRateThreshold,
                slowCallDuration: object.duration("slowCallDuration", bounds: .greaterThan(.zero)) ?? defaults.slowCallDuration,
                waitInOpen: object.duration("waitInOpen", bounds: .greaterThan(.zero)) ?? defaults.waitInOpen,
                permittedCallsInHalfOpen: object.integer("permittedCallsInHalfOpen", bounds: Bounds(1...1_000_000)) ?? defaults.permittedCallsInHalfOpen)
            kind = .rate(rate)
        case nil:
            break
        }
        object.finish()
        guard let kind, let fallback else { return nil }
        return CircuitBreakerSpec(kind: kind, fallback: fallback)
    }

    /// `fallback: "error"` (the default) or `fallback: { cost: DISTRIBUTION }`.
    private func decodeFallback(_ object: ObjectReader) -> CircuitBreakerSpec.Fallback? {
        guard let value = object.value("fallback") else { return .error }
        if case .string(let text) = value.node.value {
            if text == "error" { return .error }
            value.error("expected \"error\" or an answer such as { cost: \"1ms\" }, found \"\(text)\"")
            return nil
        }
        guard let answer = value.object() else { return nil }
        let cost = answer.value("cost", required: true).flatMap { DistributionDecoder.decode($0) }
        answer.finish()
        return cost.map { .answer(cost: $0) }
    }

    /// `retry: { maximumAttempts, backoff, jitter, retryOn, budget }`.
    func decodeRetry(_ object: ObjectReader) -> RetryPolicy? {
        let attempts = object.integer("maximumAttempts", bounds: Bounds(1...100), required: true)
        let backoff = decodeBackoff(object)
        let jitter = choice(object, "jitter", default: RetryPolicy.Jitter.none)
        var retryOn = RetryPolicy.RetryableOutcomes.all
        var isValid = true
        if let list = object.array("retryOn") {
            retryOn = []
            for element in list {
                guard let word = element.string() else { isValid = false; continue }
                switch word {
                case "timeout": retryOn.insert(.timeout)
                case "error": retryOn.insert(.error)
                case "refused": retryOn.insert(.refused)
                default:
                    let suggestion = NearestName.closest(to: word, among: ["timeout", "error", "refused"]).map { "; did you mean '\($0)'?" } ?? ""
                    element.error("expected \"timeout\", \"error\" or \"refused\", found \"\(word)\"\(suggestion)")
                    isValid = false
                }
            }
        }
        let budget = decodeBudget(object)
        object.finish()
        guard let attempts, let backoff, let jitter, let budget, isValid else { return nil }
        return RetryPolicy(maximumAttempts: attempts, backoff: backoff, jitter: jitter, retryOn: retryOn, budget: budget)
    }

    /// `backoff: "none"`, `{ constant: DURATION }` or `{ exponential: { base, multiplier, cap } }`.
    private func decodeBackoff(_ object: ObjectReader) -> RetryPolicy.Backoff? {
        guard let value = object.value("backoff") else { return RetryPolicy.Backoff.none }
        if case .string(let text) = value.node.value {
            if text == "none" { return RetryPolicy.Backoff.none }
            value.error("expected \"none\", { constant: \"100ms\" } or { exponential: { base: \"100ms\", multiplier: 2, cap: \"10s\" } }, found \"\(text)\"")
            return nil
        }
        guard let backoff = value.object() else { return nil }
        defer { backoff.finish() }
        if backoff.contains("constant") {
            return backoff.duration("constant", bounds: .atLeast(.zero)).map { .constant($0) }
        }
        guard let exponential = backoff.object("exponential") else {
            backoff.error("a backoff is { constant: DURATION } or { exponential: { base, multiplier, cap } }")
            return nil
        }
        let base = exponential.duration("base", bounds: .greaterThan(.zero), required: true)
        let multiplier = exponential.number("multiplier", bounds: Bounds(lower: 1, upper: 100)) ?? 2
        let cap = exponential.duration("cap", bounds: .greaterThan(.zero), required: true)
        exponential.finish()
        guard let base, let cap else { return nil }
        if cap < base {
            exponential.error("must be at least the base (\(Units.format(base))), found \(Units.format(cap))", key: "cap")
            return nil
        }
        return .exponential(base: base, multiplier: multiplier, cap: cap)
    }

    /// A token bucket's `tokenRatio` in thousandths of a token, from the digits as written: like
    /// gRPC's C core, the digits beyond the third decimal are dropped (0.0125 is 12), and a ratio
    /// that leaves no thousandths is an error. Reading the digits, not the nearest double, keeps
    /// 1.005 at 1005 (its double is 1.00499…).
    private func tokenRatioThousandths(_ value: ValueReader, maximumTokens: Int) -> Int? {
        guard value.number(bounds: Bounds(lower: 0, isLowerInclusive: false, upper: Double(maximumTokens))) != nil,
              case .number(let number) = value.node.value,
              let thousandths = number.truncated(toDecimalPlaces: 3) else { return nil }
        guard thousandths > 0 else {
            value.error("must be at least 0.001, found \(number.literal) (tokens are counted in thousandths, "
                        + "and the digits beyond the third decimal are dropped, as gRPC does)")
            return nil
        }
        return Int(thousandths)
    }

    /// `budget: "none"` (the default), `"grpc"`, `"aws"`, `{ tokenBucket: { maximumTokens, tokenRatio } }`
    /// or `{ awsStandard: { capacity, retryCost, timeoutRetryCost, noRetryIncrement } }`.
    private func decodeBudget(_ object: ObjectReader) -> RetryBudgetSpec?? {
        guard let value = object.value("budget") else { return .some(nil) }
        if case .string(let text) = value.node.value {
            switch text {
            case "none": return .some(nil)
            case "grpc": return .some(.grpcDefault)
            case "aws": return .some(.awsDefault)
            default:
                value.error("expected \"none\", \"grpc\", \"aws\", { tokenBucket: {...} } or { awsStandard: {...} }, found \"\(text)\"")
                return nil
            }
        }
        guard let budget = value.object() else { return nil }
        defer { budget.finish() }
        if let bucket = budget.object("tokenBucket") {
            let tokens = bucket.integer("maximumTokens", bounds: Bounds(1...1000)) ?? 10
            let ratio = bucket.value("tokenRatio").flatMap { tokenRatioThousandths($0, maximumTokens: tokens) } ?? 100
            bucket.finish()
            return .some(.tokenBucket(maximumTokens: tokens, tokenRatioThousandths: ratio))
        }
        if let aws = budget.object("awsStandard") {
            let spec = RetryBudgetSpec.awsStandard(
                capacity: aws.integer("capacity", bounds: Bounds(1...1_000_000)) ?? 500,
                retryCost: aws.integer("retryCost", bounds: Bounds(1...1_000_000)) ?? 5,
                timeoutRetryCost: aws.integer("timeoutRetryCost", bounds: Bounds(1...1_000_000)) ?? 10,
                noRetryIncrement: aws.integer("noRetryIncrement", bounds: Bounds(0...1_000_000)) ?? 1)
            aws.finish()
            return .some(spec)
        }
        budget.error("a budget is \"grpc\", \"aws\", { tokenBucket: {...} } or { awsStandard: {...} }")
        return nil
    }
}

/// The stability patterns of entry points, services and lifecycles: load shedding, bulkheads,
/// handshaking's threshold, supervisors and autoscalers.
extension ModelDecoder {
    /// `shedding: { maximumQueueLength, maximumQueueAge }`, at least one of the two, on an entry
    /// point (or a service in the simple form).
    ///
    /// - Returns: `.some(nil)` when the key is absent, the policy, or nil after reporting.
    func decodeShedding(_ parent: ObjectReader) -> LoadSheddingSpec?? {
        guard parent.contains("shedding") else { return .some(nil) }
        guard let object = parent.object("shedding") else { return nil }
        let length = object.integer("maximumQueueLength", bounds: Bounds(0...ModelLimits.queueCapacity))
        let age = object.duration("maximumQueueAge", bounds: .positive)
        let hasLength = object.contains("maximumQueueLength"), hasAge = object.contains("maximumQueueAge")
        // With other keys, those are reported as unknown (with a suggestion) instead.
        if !hasLength && !hasAge && object.members.isEmpty {
            object.error("a shedding policy needs 'maximumQueueLength', 'maximumQueueAge' or both")
        }
        object.finish()
        guard hasLength || hasAge, !hasLength || length != nil, !hasAge || age != nil else { return nil }
        return .some(LoadSheddingSpec(maximumQueueLength: length, maximumQueueAge: age))
    }

    /// `admission: { rate, burst, concurrency, perSource }` on an entry point (or a service of the
    /// simple form); `.some(nil)` without one, nil after an error.
    func decodeAdmission(_ parent: ObjectReader) -> AdmissionSpec?? {
        guard parent.contains("admission") else { return .some(nil) }
        guard let object = parent.object("admission") else { return nil }
        let rate = object.rate("rate", bounds: Bounds(lower: ModelLimits.lowestAdmissionRate, upper: ModelLimits.highestRate))
        let burst = object.integer("burst", bounds: Bounds(1...ModelLimits.admissionBurst))
        let concurrency = object.integer("concurrency", bounds: Bounds(1...ModelLimits.queueCapacity))
        let perSource = object.value("perSource").map { $0.bool() } ?? .some(false)
        let hasRate = object.contains("rate"), hasConcurrency = object.contains("concurrency")
        // With other keys, those are reported as unknown (with a suggestion) instead; a lone
        // burst gets its own error below.
        if !hasRate && !hasConcurrency && !object.contains("burst") && (object.members.isEmpty || object.contains("perSource")) {
            object.error("admission control needs 'rate', 'concurrency' or both")
        }
        if object.contains("burst") && !hasRate {
            object.error("a burst is the size of the rate limit's bucket; give 'rate' too, or leave 'burst' out", key: "burst")
        }
        object.finish()
        guard hasRate || hasConcurrency, !hasRate || rate != nil, !hasConcurrency || concurrency != nil,
              object.node("burst") == nil || (burst != nil && hasRate), let perSource else { return nil }
        return .some(AdmissionSpec(rate: rate, burst: burst, concurrency: concurrency, perSource: perSource))
    }

    /// `bulkhead: { maximumConcurrentCalls }` on a dependency: the limit.
    func decodeBulkhead(_ object: ObjectReader) -> Int? {
        let limit = object.integer("maximumConcurrentCalls", bounds: Bounds(1...ModelLimits.threadsPerInstance), required: true)
        object.finish()
        return limit
    }

    /// `cache: { keys, zipf | hotSet: { keys, requests }, capacity, ttl, ttlJitter, refreshAhead,
    /// singleFlight, staleOnError }` on a dependency.
    func decodeCache(_ object: ObjectReader) -> CacheSpec? {
        let keys = object.integer("keys", bounds: Bounds(1...ModelLimits.cacheKeys), required: true)
        let capacity = object.integer("capacity", bounds: Bounds(1...ModelLimits.cacheEntries), required: true)
        let ttl = object.duration("ttl", bounds: .positive, required: true)
        let jitter = object.value("ttlJitter").map { $0.duration(bounds: .atLeast(.zero)) } ?? .some(.zero)
        let refreshAhead: Interval?? = object.value("refreshAhead").map { $0.duration(bounds: .positive) } ?? .some(nil)
        let singleFlight = object.value("singleFlight").map { $0.bool() } ?? .some(false)
        let staleOnError = object.value("staleOnError").map { $0.bool() } ?? .some(false)
        var popularity: CacheSpec.Popularity? = .uniform
        let hasZipf = object.contains("zipf"), hasHotSet = object.contains("hotSet")
        if hasZipf && hasHotSet {
            object.error("give either 'zipf' or 'hotSet', not both", key: "hotSet")
            popularity = nil
        } else if hasZipf {
            popularity = object.number("zipf", bounds: Bounds(lower: 0, isLowerInclusive: false, upper: 10)).map { .zipf(exponent: $0) }
        } else if let hot = object.object("hotSet") {
            let share = Bounds<Double>(lower: 0, isLowerInclusive: false, upper: 100, isUpperInclusive: false)
            let hotKeys = hot.percentage("keys", bounds: share, required: true)
            let hotRequests = hot.percentage("requests", bounds: share, required: true)
            hot.finish()
            popularity = nil
            if let hotKeys, let hotRequests { popularity = .hotSet(keyShare: hotKeys / 100, requestShare: hotRequests / 100) }
        } else if hasHotSet {
            popularity = nil
        }
        if let ttl, let refresh = refreshAhead ?? nil, refresh >= ttl {
            object.error("must be shorter than 'ttl' (\(Units.format(ttl))), found \(Units.format(refresh))", key: "refreshAhead")
            return nil
        }
        object.finish()
        guard let keys, let capacity, let ttl, let jitter, let refreshAhead, let singleFlight, let staleOnError, let popularity else { return nil }
        return CacheSpec(keys: keys, popularity: popularity, capacity: capacity, ttl: ttl, ttlJitter: jitter, refreshAhead: refreshAhead,
                         singleFlight: singleFlight, staleOnError: staleOnError)
    }

    /// `supervisor: { maximumRestarts, period }` in a lifecycle, both required.
    func decodeSupervisor(_ object: ObjectReader) -> SupervisorSpec? {
        let restarts = object.integer("maximumRestarts", bounds: .atLeast(1), required: true)
        let period = object.duration("period", bounds: .positive, required: true)
        object.finish()
        guard let restarts, let period else { return nil }
        return SupervisorSpec(maximumRestarts: restarts, period: period)
    }

    /// `autoscaler: { targetUtilisation, interval, provisioningLag, minimumInstances,
    /// maximumInstances, maximumChange }` on a service.
    ///
    /// - Parameter instances: The service's `instances`, or nil when it was reported as wrong
    ///   (then it is not compared with the bounds).
    func decodeAutoscaler(_ object: ObjectReader, instances: Int?) -> AutoscalerSpec? {
        let target = object.value("targetUtilisation", required: true).flatMap(fraction)
        let interval = object.duration("interval", bounds: .atLeast(ModelLimits.shortestAutoscalerInterval)) ?? ModelDefaults.autoscalerInterval
        let lag = object.duration("provisioningLag", bounds: .atLeast(.zero)) ?? .zero
        let counts = Bounds(1...ModelLimits.instancesPerService)
        let minimumValue = object.integer("minimumInstances", bounds: counts)
        let minimum = minimumValue ?? 1
        let maximum = object.integer("maximumInstances", bounds: counts, required: true)
        let change = object.integer("maximumChange", bounds: Bounds(1...ModelLimits.instancesPerService)) ?? 1
        var isValid = true
        if let instances, minimumValue != nil, instances < minimum {
            object.error("must be at most the service's instances (\(instances)), found \(minimum)", key: "minimumInstances")
            isValid = false
        }
        if let maximum {
            if minimumValue != nil, maximum < minimum {
                object.error("must be at least minimumInstances (\(minimum)), found \(maximum)", key: "maximumInstances")
                isValid = false
            } else if let instances, maximum < instances {
                object.error("must be at least the service's instances (\(instances)), found \(maximum)", key: "maximumInstances")
                isValid = false
            }
        }
        object.finish()
        guard let target, let maximum, isValid else { return nil }
        return AutoscalerSpec(targetUtilisation: target, interval: interval, provisioningLag: lag, minimumInstances: minimum,
                              maximumInstances: maximum, maximumChange: change)
    }

    /// A share in (0, 1]: a percentage string (`"90%"` is 0.9) or a number (`0.9`).
    func fraction(_ value: ValueReader) -> Double? {
        switch value.node.value {
        case .string:
            return value.percentage(bounds: Bounds(lower: 0, isLowerInclusive: false, upper: 100)).map { $0 / 100 }
        case .number(let number):
            let bounds = Bounds<Double>(lower: 0, isLowerInclusive: false, upper: 1)
            if bounds.contains(number.doubleValue) { return number.doubleValue }
            // A whole 90 was most likely meant as a percentage.
            let isPercentLike = number.doubleValue > 1 && number.doubleValue <= 100 && number.doubleValue.rounded() == number.doubleValue
            let hint = isPercentLike ? " (for a percentage, write \"\(number.literal)%\")" : ""
            value.error("\(bounds.requirement { ValueReader.format($0) }), found \(number.literal)\(hint)")
            return nil
        default:
            value.error("expected a percentage such as \"90%\" or a number such as 0.9, found \(value.node.typeName)")
            return nil
        }
    }
}

/// The words of `breaker.kind`.
enum BreakerKindName: String, CaseIterable {
    case consecutive, rate
}
