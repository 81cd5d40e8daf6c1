import Experiments
import FailureChains
import Testing

/// Load-dependent service time against the Universal Scalability Law, through a model file
/// (`Theory/usl.json5`): a closed population that never thinks holds the concurrency fixed, so each
/// CPU step starts with N threads busy and takes 1 + σ(N − 1) + κN(N − 1) times its base time.
///
/// As in `QueueingTheoryTests`, one value per independent replication feeds a 99.9% Student-t
/// interval, which must hold the analytic value and be narrow enough to mean something.
struct ScalabilityLawTests {
    static let level = 0.999

    static func model(users: Int? = nil, contention: Double = 0.1, coherency: Double = 0.01) throws -> SystemModel {
        var model = try TestFiles.model(TestFiles.beside("Theory/usl.json5"))
        model.services[0].scalability = ScalabilitySpec(contention: contention, coherency: coherency)
        if let users { model.users[0].size = users }
        return model
    }

    static func interval(_ results: [RunResult], metric: String) throws -> ConfidenceInterval {
        let values = try results.map { result in
            guard let value = result.value(metric, of: "server") else { throw TestFailure(message: "no \(metric) of server in the summary") }
            return value
        }
        return ConfidenceInterval(observations: values, level: level)
    }

    @Test func `the mean service time at a fixed concurrency is the base time stretched by the law`() throws {
        let law = ScalabilitySpec(contention: 0.1, coherency: 0.01)
        let results = Replications.run(try Self.model(), count: 30)
        let analytic = 0.010 * law.slowdown(busyThreads: 8)
        let latency = try Self.interval(results, metric: "latencyMean")
        #expect(latency.contains(analytic), "analytic \(analytic) outside \(latency)")
        #expect(latency.relativeHalfWidth(to: analytic) < 0.02, "interval \(latency) too wide to judge \(analytic)")
        let throughput = try Self.interval(results, metric: "throughput")
        let analyticThroughput = law.throughput(busyThreads: 8) / 0.010
        #expect(throughput.contains(analyticThroughput), "analytic \(analyticThroughput) outside \(throughput)")
    }

    @Test func `without contention or coherency the service time does not depend on the concurrency`() throws {
        let results = Replications.run(try Self.model(contention: 0, coherency: 0), count: 30)
        let latency = try Self.interval(results, metric: "latencyMean")
        #expect(latency.contains(0.010), "0.010 outside \(latency)")
    }

    @Test func `a closed loop's throughput peaks at the concurrency the law says`() throws {
        // σ = 0, κ = 0.01: N* = √((1 − σ) / κ) = 10, where X(N) is 0.5% above its neighbours.
        let law = ScalabilitySpec(contention: 0, coherency: 0.01)
        let peak = try #require(law.peakConcurrency)
        var measured: [(users: Int, throughput: ConfidenceInterval)] = []
        for users in 1...20 {
            let results = Replications.run(try Self.model(users: users, contention: 0, coherency: 0.01), count: 10, point: users)
            let throughput = try Self.interval(results, metric: "throughput")
            let analytic = law.throughput(busyThreads: Int32(users)) / 0.010
            #expect(throughput.contains(analytic), "\(users) users: analytic \(analytic) outside \(throughput)")
            measured.append((users, throughput))
        }
        let best = try #require(measured.max { $0.throughput.mean < $1.throughput.mean })
        #expect(abs(Double(best.users) - peak) <= 1, "throughput peaks at \(best.users) users, the law says \(peak)")
        // Past the peak more users get less done: at 20, a fifth less than at 10.
        #expect(measured[19].throughput.mean < 0.85 * measured[9].throughput.mean)
    }
}
