import Experiments
import FailureChains
import ModelFormat
import Testing

/// Studies of the M/M/1 theory model (`Theory/mm1.json5`), built as the study commands build
/// them: the file loaded with `--set` overrides and `--metric` selectors, one point per variant.
enum TheoryStudy {
    static let file = TestFiles.beside("Theory/mm1.json5")

    /// The model with `overrides`, as one point of a study, and the measures of `metrics`.
    static func point(_ overrides: [String], metrics: [String], values: [String] = []) throws -> (point: StudyPlan.Point, measures: StudyMeasures) {
        let parsed = try overrides.map { try #require(Override($0)) }
        let loaded: LoadedModel
        do {
            loaded = try ModelLoader.load(path: file, overrides: parsed, selectors: try metrics.map { try MetricSelector($0) })
        } catch {
            throw TestFailure(message: "\(error)")
        }
        let point = StudyPlan.Point(values: values, model: loaded.model, overrides: loaded.overrides,
                                    effectiveHash: loaded.effectiveHash, file: file, fileHash: loaded.fileHash)
        return (point, StudyMeasures(selected: loaded.selected, warmup: loaded.model.run.warmup))
    }

    /// `faultline replicate mm1.json5 --set ... --metric ... -r R`, as a plan.
    static func replicate(_ overrides: [String], metrics: [String], replications: Int, seed: UInt64? = nil,
                          precision: Double? = nil, maximum: Int? = nil) throws -> StudyPlan {
        var (point, measures) = try point(overrides, metrics: metrics)
        if let seed { point.model.run.seed = seed }  // --seed
        return StudyPlan(kind: .replicate, parameters: [], points: [point], replications: replications, measures: measures,
                         metricArguments: metrics, level: 0.95, precision: precision, maximumReplications: maximum)
    }

    /// The service time override of a load ρ at λ = 5/s.
    static func serviceTime(load: Double) -> String {
        "services.server.serviceTime={exponential: \"\(Int((load / 5 * 1000).rounded()))ms\"}"
    }
}

/// Whether the intervals of a study are honest, measured: their coverage of known values over
/// many independent studies, and their power to see a small difference.
struct StudyIntervalTests {
    static let seedSets = 300
    static let replications = 10
    static let metrics = ["server.waitMean", "server.utilisation"]

    /// Each replication runs 2100 s with the first 100 s deleted. The queue starts empty; its
    /// relaxation time 1/(μ(1 − √ρ)²) is 1.2 s at ρ = 0.5 and 36 s at ρ = 0.9, so what is left of
    /// the initial bias after 100 s is far below the intervals' width. The per-run mean wait is
    /// a ratio (total wait over requests), biased by O(1/N) with N ≈ 10,000 requests a run.
    static let shortRuns = ["run.duration=2100s", "run.warmup=100s", "run.interval=100s"]

    /// The 95% intervals that `replicate` computes, for 300 studies of R = 10 replications each,
    /// seeds 1 to 300 (`--seed k`), against ρ/(μ − λ) and ρ. Over 300 honest 95% intervals the
    /// number that cover is Binomial(300, 0.95): 285 ± 3.8, so 95% ± 3% is ±2.4 standard
    /// deviations. Measured on this engine (misses below / above the value):
    ///   ρ = 0.5: mean wait 95.7% (8 / 5), utilisation 96.3% (4 / 7)
    ///   ρ = 0.9: mean wait 94.3% (16 / 1), utilisation 96.0% (6 / 6)
    /// The lopsided misses of the mean wait at ρ = 0.9 are the skew of the per-run mean (a run
    /// with a low mean also has a low spread, so its interval is short and misses low), not a
    /// bias: the grand mean of the 3,000 runs is within 0.05% of the analytic value.
    ///
    /// The check has teeth: at ρ = 0.9 with runs of 100 s after a 10 s warm-up, the mean wait's
    /// intervals cover in 66% of the studies (its per-run mean is 15% low: the queue has not
    /// filled), and with 1000 s runs still only in 89%.
    @Test(arguments: [0.5, 0.9])
    func `95% intervals of replicate cover the M/M/1 values in 95 ± 3% of 300 independent studies`(load: Double) throws {
        let serviceTime = 0.2 * load  // E[S] = ρ/λ at λ = 5/s
        let analytic = ["waitMean": QueueingTheory.mm1MeanWait(arrivalRate: 5, serviceRate: 1 / serviceTime), "utilisation": load]
        let coverage = try Self.coverage(Self.shortRuns + [TheoryStudy.serviceTime(load: load)], metrics: Self.metrics, analytic: analytic)
        for metric in analytic.keys.sorted() {
            let found = try #require(coverage[metric])
            #expect(abs(found.fraction - 0.95) <= 0.03, "at ρ = \(load), the intervals of \(metric) cover \(analytic[metric]!) \(found)")
        }
    }

    /// A `--metric` window's `mean` is the plain mean of the window's series rows. For a time
    /// average (`queueLength`, `threadsBusy`) every row weighs the same span, and the intervals
    /// cover as the summary's do. For a mean over requests (`latencyMean`; `successRatio` alike)
    /// a quiet interval weighs as much as a busy one, whose requests waited longer, so the window
    /// mean is low. Measured, with 10 s intervals: at ρ = 0.5 the mean latency is 1.8% low and
    /// its intervals cover 0.2 s in 54% of the studies (139 misses, all below); at ρ = 0.9, 3.2%
    /// low and 87%. With 100 s intervals: 0.2% low and 95% at ρ = 0.5, 1.2% low and 92% at 0.9.
    /// Weighting each row by its `completed` would make it the requests' mean over the window.
    @Test func `window means of series rows cover the M/M/1 values in 95 ± 3% of 300 independent studies`() throws {
        let runs = ["run.duration=2100s", "run.warmup=100s", "run.interval=10s"]
        let metrics = ["server.queueLength@100s..:mean", "server.threadsBusy@100s..:mean", "server.latencyMean@100s..:mean"]
        // ρ = 0.5: Lq = ρ²/(1 − ρ), the busy threads ρ, the latency 1/(μ − λ).
        let analytic = ["queueLength": 0.5, "threadsBusy": 0.5, "latencyMean": 0.2]
        let coverage = try Self.coverage(runs, metrics: metrics, analytic: analytic)
        for metric in ["queueLength", "threadsBusy"] {
            let found = try #require(coverage[metric])
            #expect(abs(found.fraction - 0.95) <= 0.03, "the window means of \(metric) cover \(analytic[metric]!) \(found)")
        }
        let latency = try #require(coverage["latencyMean"])
        withKnownIssue("a window's mean of per-interval latencies weighs quiet intervals as much as busy ones, and is low") {
            #expect(abs(latency.fraction - 0.95) <= 0.03, "the window means of latencyMean cover 0.2 s \(latency)")
        }
    }

    /// How often the intervals of one measure covered its value, and on which side they missed.
    struct Coverage: CustomStringConvertible {
        var covered = 0, below = 0, above = 0
        var fraction: Double { Double(covered) / Double(covered + below + above) }
        var description: String { "in \(fraction * 100)% of \(covered + below + above) studies (misses: \(below) below, \(above) above)" }
    }

    /// Runs 300 `replicate` studies of the theory model (seeds 1 to 300, R = 10) and counts, for
    /// each metric, how often its 95% interval holds the analytic value.
    static func coverage(_ overrides: [String], metrics: [String], analytic: [String: Double]) throws -> [String: Coverage] {
        let base = try TheoryStudy.replicate(overrides, metrics: metrics, replications: replications)
        var coverage: [String: Coverage] = [:]
        var seeds: Set<UInt64> = []
        for seed in 1...UInt64(seedSets) {
            var plan = base
            plan.points[0].model.run.seed = seed  // --seed
            let outcome = try StudyRunner.run(plan, jobs: WorkPool.availableCores)
            #expect(outcome.records.count == replications)
            seeds.formUnion(outcome.records.map(\.seed))
            let intervals = StudyStatistics.intervals(outcome.records, points: 1, level: 0.95)
            for (metric, value) in analytic {
                let row = try #require(intervals.first { $0.key.component == "server" && $0.key.metric == metric })
                let interval = try #require(row.interval)
                #expect(row.count == replications && interval.level == 0.95)
                if interval.contains(value) {
                    coverage[metric, default: Coverage()].covered += 1
                } else if interval.upper < value {
                    coverage[metric, default: Coverage()].below += 1
                } else {
                    coverage[metric, default: Coverage()].above += 1
                }
            }
        }
        // Independent studies: no seed is used twice.
        #expect(seeds.count == seedSets * replications)
        return coverage
    }

    /// `faultline compare mm1.json5 --with 'services.server.serviceTime={exponential: "102ms"}' -r 10`:
    /// ρ goes from 0.5 to 0.51, the mean wait from 0.1 s to 0.1062 s, the mean latency from 0.2 s
    /// to 0.2082 s. Measured: the paired intervals are +0.00605 ± 0.00035 s (wait), +0.00999 ±
    /// 0.00005 (utilisation), +0.00804 ± 0.00036 s (latency); their widths are 0.067, 0.015 and
    /// 0.065 of the unpaired (Welch) ones, and pairing removes 99.6%, 99.98% and 99.6% of the
    /// variance of the difference. Without common random numbers the wait's difference (±0.0053)
    /// would barely have been seen.
    @Test func `a server 2% slower is detected by the paired difference on common random numbers`() throws {
        let outcome = try StudyRunner.run(try Self.slowerServer(), jobs: WorkPool.availableCores)
        // Common random numbers: replication r of both variants ran on the same seed.
        for replication in 0..<Self.replications {
            let seeds = outcome.records.filter { $0.replication == replication }.map(\.seed)
            #expect(seeds.count == 2 && seeds[0] == seeds[1])
        }
        let differences = PairedDifference.differences(outcome.records, points: 2, level: 0.95)
        for metric in ["waitMean", "utilisation", "latencyMean"] {
            let difference = try #require(differences.first { $0.key.metric == metric })
            #expect(difference.variant == 1 && difference.count == Self.replications)
            #expect(difference.paired.lower > 0, "\(metric): the slower server is not seen: \(difference.paired)")
            // Pairing must do most of the work: independent samples would give a ratio near 1.
            let ratio = try #require(difference.widthRatio)
            #expect(ratio < 0.5, "\(metric): the paired interval is \(ratio) of the unpaired one")
            #expect(try #require(difference.varianceReduction) > 0.75)
        }
    }

    /// `compare mm1.json5 --with 'services.server.serviceTime={exponential: "102ms"}' --seed S`.
    static func slowerServer(seed: UInt64? = nil, metrics: [String] = ["server.waitMean", "server.utilisation", "server.latencyMean"]) throws -> StudyPlan {
        let slower = "services.server.serviceTime={exponential: \"102ms\"}"
        var baseline = try TheoryStudy.point(shortRuns, metrics: metrics, values: ["baseline"])
        var variant = try TheoryStudy.point(shortRuns + [slower], metrics: metrics, values: [slower])
        if let seed {
            baseline.point.model.run.seed = seed
            variant.point.model.run.seed = seed
        }
        return StudyPlan(kind: .compare, parameters: ["variant"], points: [baseline.point, variant.point],
                         replications: replications, measures: baseline.measures, metricArguments: metrics, level: 0.95)
    }

    /// The paired intervals of 300 such comparisons (seeds 1 to 300) against the analytic
    /// differences: ρS/(1 − ρ) at ρ = 0.51 less that at 0.5 for the wait, 0.01 for the
    /// utilisation. Common random numbers make the two samples nearly the same function of the
    /// draws; the difference's interval must still be honest. Measured: 95.7% (misses 11 below,
    /// 2 above) and 96.0% (6 / 6).
    @Test func `paired intervals of compare cover the analytic difference in 95 ± 3% of 300 independent studies`() throws {
        let analytic = ["waitMean": QueueingTheory.mm1MeanWait(arrivalRate: 5, serviceRate: 1 / 0.102)
                            - QueueingTheory.mm1MeanWait(arrivalRate: 5, serviceRate: 10),
                        "utilisation": 0.01]
        var covered: [String: Int] = [:]
        for seed in 1...UInt64(Self.seedSets) {
            let plan = try Self.slowerServer(seed: seed, metrics: Self.metrics)
            let outcome = try StudyRunner.run(plan, jobs: WorkPool.availableCores)
            let differences = PairedDifference.differences(outcome.records, points: 2, level: 0.95)
            for (metric, value) in analytic {
                let difference = try #require(differences.first { $0.key.metric == metric })
                #expect(difference.count == Self.replications)
                if difference.paired.contains(value) { covered[metric, default: 0] += 1 }
            }
        }
        for metric in analytic.keys.sorted() {
            let fraction = Double(covered[metric, default: 0]) / Double(Self.seedSets)
            #expect(abs(fraction - 0.95) <= 0.03,
                    "the paired intervals of \(metric) cover \(analytic[metric]!) in \(fraction * 100)% of \(Self.seedSets) studies")
        }
    }
}
