import FailureChains
import ModelFormat
import SimulationKernel
import Testing

/// The stability patterns of a dependency in the model format: breakers and retries.
struct PatternFormatTests {
    /// A model whose service `web` calls endpoint `db` through a dependency with these members,
    /// written on line 3 from column 47.
    static func model(dependency: String) -> String {
        """
        {faultline: 1, name: "m",
        services: [{name: "web", entryPoints: [{name: "main", threads: 2, steps: [{call: "db"}]}],
          dependencies: [{name: "db", endpoint: "db", \(dependency)}]}],
        endpoints: [{name: "db", latency: "5ms", errorProbability: 0.25}]}
        """
    }

    static func dependency(_ members: String) throws -> DependencySpec? {
        try loadModel(model(dependency: members)).services.first?.dependencies.first
    }

    @Test func `a consecutive breaker is read with its threshold, reset timeout and fallback`() throws {
        let dependency = try Self.dependency(#"breaker: {kind: "consecutive", failureThreshold: 10, resetTimeout: "30s", fallback: {cost: "1ms"}}"#)
        #expect(dependency?.breaker == CircuitBreakerSpec(kind: .consecutive(failureThreshold: 10, resetTimeout: .seconds(30)),
                                                          fallback: .answer(cost: .constant(0.001))))
    }

    @Test func `a breaker without a kind is Nygard's, with pybreaker's defaults`() throws {
        let dependency = try Self.dependency("breaker: {}")
        #expect(dependency?.breaker == CircuitBreakerSpec(kind: .consecutive(failureThreshold: 5, resetTimeout: .seconds(60))))
    }

    @Test func `a rate breaker is read with resilience4j's parameters and defaults`() throws {
        let dependency = try Self.dependency(#"breaker: {kind: "rate", window: {seconds: 30}, minimumCalls: 20, failureRateThreshold: "25%", waitInOpen: "5s"}"#)
        #expect(dependency?.breaker == CircuitBreakerSpec(kind: .rate(RateBreakerSpec(
            window: .time(seconds: 30), minimumCalls: 20, failureRateThreshold: 25, waitInOpen: .seconds(5)))))
    }

    @Test func `a retry policy is read with its backoff, jitter, outcomes and budget`() throws {
        let dependency = try Self.dependency(#"retry: {maximumAttempts: 3, backoff: {exponential: {base: "100ms", cap: "2s"}}, jitter: "full", retryOn: ["timeout"], budget: "grpc"}"#)
        #expect(dependency?.retry == RetryPolicy(maximumAttempts: 3, backoff: .exponential(base: .milliseconds(100), multiplier: 2, cap: .seconds(2)),
                                                 jitter: .full, retryOn: .timeout, budget: .grpcDefault))
    }

    /// gRPC's C core keeps the first three decimal digits of the configured ratio, truncating.
    @Test(arguments: [("0.0125", 12), ("1.005", 1005), ("0.1", 100), ("1e-1", 100), ("2", 2000), ("0.0019", 1)])
    func `a token ratio is kept in thousandths from its digits, truncated`(ratio: String, thousandths: Int) throws {
        let dependency = try Self.dependency("retry: {maximumAttempts: 2, budget: {tokenBucket: {maximumTokens: 10, tokenRatio: \(ratio)}}}")
        #expect(dependency?.retry?.budget == .tokenBucket(maximumTokens: 10, tokenRatioThousandths: thousandths))
    }

    @Test func `a token bucket without a ratio gives back a tenth of a token`() throws {
        let dependency = try Self.dependency("retry: {maximumAttempts: 2, budget: {tokenBucket: {maximumTokens: 4}}}")
        #expect(dependency?.retry?.budget == .tokenBucket(maximumTokens: 4, tokenRatioThousandths: 100))
    }

    @Test func `an endpoint's error probability is read`() throws {
        #expect(try loadModel(Self.model(dependency: "")).endpoints.first?.errorProbability == 0.25)
    }

    @Test(arguments: [
        (#"breaker: {kind: "leaky"}"#, #"m.json5:3:63: error: services[0].dependencies[0].breaker.kind: expected one of "consecutive", "rate", found "leaky""#),
        (#"breaker: {failureTreshold: 3}"#, #"m.json5:3:57: error: services[0].dependencies[0].breaker: unknown key 'failureTreshold'; did you mean 'failureThreshold'?"#),
        (#"retry: {maximumAttempts: 0}"#, #"m.json5:3:72: error: services[0].dependencies[0].retry.maximumAttempts: must be between 1 and 100, found 0"#),
        (#"retry: {maximumAttempts: 2, retryOn: ["timout"]}"#, #"m.json5:3:85: error: services[0].dependencies[0].retry.retryOn[0]: expected "timeout", "error" or "refused", found "timout"; did you mean 'timeout'?"#),
        (#"retry: {maximumAttempts: 2, budget: {tokenBucket: {tokenRatio: 0.0005}}}"#, #"m.json5:3:110: error: services[0].dependencies[0].retry.budget.tokenBucket.tokenRatio: must be at least 0.001, found 0.0005 (tokens are counted in thousandths, and the digits beyond the third decimal are dropped, as gRPC does)"#),
        (#"retry: {maximumAttempts: 2, budget: {tokenBucket: {tokenRatio: 0}}}"#, #"m.json5:3:110: error: services[0].dependencies[0].retry.budget.tokenBucket.tokenRatio: must be greater than 0 and at most 10, found 0"#),
        (#"retry: {maximumAttempts: 2, budget: {tokenBucket: {maximumTokens: 2, tokenRatio: 2.5}}}"#, #"m.json5:3:128: error: services[0].dependencies[0].retry.budget.tokenBucket.tokenRatio: must be greater than 0 and at most 2, found 2.5"#),
        (#"retry: {maximumAttempts: 2, budget: "gprc"}"#, #"m.json5:3:83: error: services[0].dependencies[0].retry.budget: expected "none", "grpc", "aws", { tokenBucket: {...} } or { awsStandard: {...} }, found "gprc""#),
    ])
    func `bad patterns are reported where they are written`(dependency: String, expected: String) {
        #expect(modelErrors(Self.model(dependency: dependency)) == [expected])
    }
}
