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

    /// Runs the replications and returns the confidence interval of a summary metric.
    func interval(_ file: String, metric: String, of component: String) throws -> ConfidenceInterval {
        let model = try TestFiles.model(TestFiles.beside("Theory/\(file)"))
        let results = Replications.run(model, count: Self.replications)
        let values = try results.map { result in
            guard let value = result.value(metric, of: component) else {
                throw TestFailure(message: "no \(metric) of \(component) in the summary")
            }
            return value
        }
        return ConfidenceInterval(observations: values, level: Self.level)
    }

    func expectAgreement(_ interval: ConfidenceInterval, analytic: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(interval.contains(analytic), "analytic \(analytic) outside \(interval)", sourceLocation: sourceLocation)
        #expect(interval.relativeHalfWidth(to: analytic) < 0.02, "interval \(interval) too wide to judge \(analytic)", sourceLocation: sourceLocation)
    }

    @Test func `M/M/1 mean wait matches rho over mu minus lambda`() throws {
        let analytic = QueueingTheory.mm1MeanWait(arrivalRate: 5, serviceRate: 10)
        expectAgreement(try interval("mm1.json5", metric: "waitMean", of: "server"), analytic: analytic)
    }

    @Test func `M/M/c probability of waiting matches Erlang C`() throws {
        let analytic = QueueingTheory.erlangC(servers: 4, offeredLoad: 3)
        expectAgreement(try interval("mmc.json5", metric: "waitProbability", of: "server"), analytic: analytic)
    }

    @Test func `M/M/c mean wait matches Erlang C over c mu minus lambda`() throws {
        let analytic = QueueingTheory.mmcMeanWait(servers: 4, arrivalRate: 3, serviceRate: 1)
        expectAgreement(try interval("mmc.json5", metric: "waitMean", of: "server"), analytic: analytic)
    }

    @Test func `M/M/c/K refuses the fraction of arrivals that find the system full`() throws {
        let analytic = QueueingTheory.mmckBlocking(servers: 3, waitingPlaces: 2, arrivalRate: 5, serviceRate: 2)
        expectAgreement(try interval("mmck.json5", metric: "refusedFraction", of: "server"), analytic: analytic)
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
        let analytic = QueueingTheory.finiteSource(users: 20, thinkTime: 2, servers: 2, serviceTime: 0.15)
        expectAgreement(try interval("finite-source.json5", metric: "responseTimeMean", of: "clerks"), analytic: analytic.responseTime)
        expectAgreement(try interval("finite-source.json5", metric: "throughput", of: "clerks"), analytic: analytic.throughput)
    }
}
