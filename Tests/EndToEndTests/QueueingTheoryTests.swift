import Experiments
import FailureChains
import Testing

/// The engine against queueing theory, through real model files (`Theory/*.json5`).
///
/// Each check runs independent replications with seeds derived from the model's seed, deletes a
/// fixed warm-up from each (the model's `run.warmup`), and takes one value per replication: the
/// replication means are independent, the customers within one run are not (each waits behind
/// the previous ones), so only the former may feed a confidence interval. The analytic value must
/// lie inside the 99.9% Student-t interval, and the interval's half-width must be under 2% of the
/// value, so that a pass means something. Fixed seeds keep the test deterministic.
struct QueueingTheoryTests {
    static let replications = 30
    static let level = 0.999

    /// Runs the replications of a theory model.
    func replicate(_ file: String) throws -> [RunResult] {
        Replications.run(try TestFiles.model(TestFiles.beside("Theory/\(file)")), count: Self.replications)
    }

    /// The confidence interval of a summary metric over replications.
    func interval(_ results: [RunResult], metric: String, of component: String) throws -> ConfidenceInterval {
        let values = try results.map { result in
            guard let value = result.value(metric, of: component) else {
                throw TestFailure(message: "no \(metric) of \(component) in the summary")
            }
            return value
        }
        return ConfidenceInterval(observations: values, level: Self.level)
    }

    /// The confidence interval of a summary metric over the replications of a theory model.
    func interval(_ file: String, metric: String, of component: String) throws -> ConfidenceInterval {
        try interval(try replicate(file), metric: metric, of: component)
    }

    func expectAgreement(_ interval: ConfidenceInterval, analytic: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(interval.contains(analytic), "analytic \(analytic) outside \(interval)", sourceLocation: sourceLocation)
        #expect(interval.relativeHalfWidth(to: analytic) < 0.02, "interval \(interval) too wide to judge \(analytic)", sourceLocation: sourceLocation)
    }

    @Test func `M/M/1 mean wait matches rho over mu minus lambda`() throws {
        let analytic = QueueingTheory.mm1MeanWait(arrivalRate: 5, serviceRate: 10)
        expectAgreement(try interval("mm1.json5", metric: "waitMean", of: "server"), analytic: analytic)
    }

    @Test func `M/M/c probability of waiting and mean wait match Erlang C`() throws {
        let results = try replicate("mmc.json5")
        let probability = QueueingTheory.erlangC(servers: 4, offeredLoad: 3)
        expectAgreement(try interval(results, metric: "waitProbability", of: "server"), analytic: probability)
        let wait = QueueingTheory.mmcMeanWait(servers: 4, arrivalRate: 3, serviceRate: 1)
        expectAgreement(try interval(results, metric: "waitMean", of: "server"), analytic: wait)
    }

    @Test func `M/M/c/K refuses the fraction of arrivals that find the system full`() throws {
        let analytic = QueueingTheory.mmckBlocking(servers: 3, waitingPlaces: 2, arrivalRate: 5, serviceRate: 2)
        expectAgreement(try interval("mmck.json5", metric: "refusedFraction", of: "server"), analytic: analytic)
    }

    @Test func `an endpoint with a capacity queues its calls as M/M/c`() throws {
        let results = try replicate("endpoint-mmc.json5")
        let wait = QueueingTheory.mmcMeanWait(servers: 4, arrivalRate: 3, serviceRate: 1)
        expectAgreement(try interval(results, metric: "callsQueuedMean", of: "db"), analytic: 3 * wait)
        expectAgreement(try interval(results, metric: "callsInServiceMean", of: "db"), analytic: 3)
        // The caller waits in the queue, then for the latency.
        expectAgreement(try interval(results, metric: "latencyMean", of: "caller"), analytic: wait + 1)
    }

    @Test func `an endpoint with a short queue refuses the M/M/c/K fraction of calls`() throws {
        let results = try replicate("endpoint-mmck.json5")
        let fractions = try results.map { result in
            guard let refused = result.value("refused", of: "db"), let calls = result.value("calls", of: "db"), calls > 0 else {
                throw TestFailure(message: "no refused or calls of db in the summary")
            }
            return refused / calls
        }
        let analytic = QueueingTheory.mmckBlocking(servers: 3, waitingPlaces: 2, arrivalRate: 5, serviceRate: 2)
        expectAgreement(ConfidenceInterval(observations: fractions, level: Self.level), analytic: analytic)
    }

    @Test func `a pool without a queue refuses the Erlang B fraction`() throws {
        let analytic = QueueingTheory.erlangB(servers: 5, offeredLoad: 4)
        expectAgreement(try interval("erlang-b.json5", metric: "refusedFraction", of: "pool"), analytic: analytic)
    }

    @Test func `Erlang B blocking does not depend on the service time law`() throws {
        let analytic = QueueingTheory.erlangB(servers: 5, offeredLoad: 4)
        expectAgreement(try interval("erlang-b-lognormal.json5", metric: "refusedFraction", of: "pool"), analytic: analytic)
    }

    @Test func `M/D/1 mean wait matches Pollaczek-Khinchine`() throws {
        let analytic = QueueingTheory.md1MeanWait(arrivalRate: 7, serviceTime: 0.1)
        expectAgreement(try interval("md1.json5", metric: "waitMean", of: "server"), analytic: analytic)
    }

    @Test func `a closed population's response time matches the finite-source model`() throws {
        let results = try replicate("finite-source.json5")
        let analytic = QueueingTheory.finiteSource(users: 20, thinkTime: 2, servers: 2, serviceTime: 0.15)
        expectAgreement(try interval(results, metric: "responseTimeMean", of: "clerks"), analytic: analytic.responseTime)
        expectAgreement(try interval(results, metric: "throughput", of: "clerks"), analytic: analytic.throughput)
    }
}

struct QueueingFormulaTests {
    /// Published values (M. Marzolla's Octave queueing toolbox test blocks; reliability.md §1).
    @Test func `the formulas reproduce published values`() {
        // M/M/2, λ = 9, μ = 5: W = 1.053 ⇒ Wq = W − 1/μ = 0.853.
        #expect(abs(QueueingTheory.mmcMeanWait(servers: 2, arrivalRate: 9, serviceRate: 5) - (1.053 - 0.2)) < 0.001)
        // M/M/4/6, λ = 50, μ = 10: P(block) = 0.293543.
        #expect(abs(QueueingTheory.mmckBlocking(servers: 4, waitingPlaces: 2, arrivalRate: 50, serviceRate: 10) - 0.293543) < 1e-6)
        // M/M/2/5, λ = 3, μ = 2: P(block) = 0.085113.
        #expect(abs(QueueingTheory.mmckBlocking(servers: 2, waitingPlaces: 3, arrivalRate: 3, serviceRate: 2) - 0.085113) < 1e-6)
        // Erlang B at K = c is M/M/c/c.
        #expect(abs(QueueingTheory.erlangB(servers: 5, offeredLoad: 4) - QueueingTheory.mmckBlocking(servers: 5, waitingPlaces: 0, arrivalRate: 4, serviceRate: 1)) < 1e-12)
        // M/D/1 waits half as long as M/M/1 at the same load.
        #expect(abs(QueueingTheory.md1MeanWait(arrivalRate: 0.5, serviceTime: 1) - QueueingTheory.mm1MeanWait(arrivalRate: 0.5, serviceRate: 1) / 2) < 1e-12)
    }

    @Test func `Student t quantiles match the tables`() {
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 10) - 2.228139) < 1e-5)
        #expect(abs(StudentT.quantile(0.9995, degreesOfFreedom: 29) - 3.659405) < 1e-5)
        #expect(abs(StudentT.quantile(0.995, degreesOfFreedom: 1) - 63.656741) < 1e-4)
        #expect(abs(StudentT.quantile(0.025, degreesOfFreedom: 5) + 2.570582) < 1e-5)
    }

    @Test func `replication seeds depend only on base, point and replication`() {
        #expect(Replications.seed(base: 1, replication: 0) == Replications.seed(base: 1, replication: 0))
        #expect(Replications.seed(base: 1, replication: 0) != Replications.seed(base: 1, replication: 1))
        #expect(Replications.seed(base: 1, point: 1, replication: 0) != Replications.seed(base: 1, point: 0, replication: 1))
        #expect(Replications.seed(base: 2, replication: 0) != Replications.seed(base: 1, replication: 0))
    }
}
