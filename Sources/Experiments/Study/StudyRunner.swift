import FailureChains
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import Reporting
import SimulationKernel

/// What one replication of one point measured.
public struct ReplicationRecord: Sendable, Equatable {
    /// The point's position in the plan.
    public var point: Int
    /// The replication's index, from 0.
    public var replication: Int
    /// Its seed (`StudyPlan.seed(point:replication:)`).
    public var seed: UInt64
    /// The measured values, in the order of the measures (or of the run's summary rows).
    public var values: [MeasuredValue]

    /// Creates a record.
    public init(point: Int, replication: Int, seed: UInt64, values: [MeasuredValue]) {
        self.point = point
        self.replication = replication
        self.seed = seed
        self.values = values
    }
}

/// Why a study did not finish.
public enum StudyFailure: Error, Sendable, CustomStringConvertible {
    /// A replication was stopped by a limit of `run`: its numbers would describe a run cut short.
    case stopped(point: Int, replication: Int, seed: UInt64, detail: String, limitKey: String)
    /// SIGINT or SIGTERM arrived.
    case interrupted
    /// A kept run's files could not be written.
    case output(OutputError)

    public var description: String {
        switch self {
        case .stopped(let point, let replication, let seed, let detail, let limitKey):
            "replication \(replication) of point \(point) (seed \(seed)) was stopped by a limit: \(detail); raise \(limitKey), or run it alone with 'faultline run MODEL --seed \(seed)' to see what grows"
        case .interrupted: "interrupted"
        case .output(let error): "\(error)"
        }
    }
}

/// How a study's replications went.
public struct StudyOutcome: Sendable {
    /// Every record, ordered by point, then replication.
    public var records: [ReplicationRecord]
    /// Replications per point in the records.
    public var replications: Int
    /// With `--precision`: what decided the number of replications.
    public var stopping: SequentialStopping.Decision?
}

/// Runs the replications of a study on a number of threads, with the same results for any number.
public enum StudyRunner {
    /// Runs the plan, or the slice of it a shard holds.
    ///
    /// - Parameters:
    ///   - plan: The study.
    ///   - shard: The slice to run, or nil for all of it.
    ///   - jobs: Replications run at once.
    ///   - keepingRunsIn: A folder to write each replication's run files into
    ///     (`runs/<replication>` for `replicate`, `runs/<point>/<replication>` otherwise), or nil.
    ///   - progress: Called with (replications done, replications planned so far).
    /// - Throws: `StudyFailure`.
    public static func run(_ plan: StudyPlan, shard: StudyShard? = nil, jobs: Int, keepingRunsIn: String? = nil,
                           progress: (@Sendable (Int, Int) -> Void)? = nil) throws(StudyFailure) -> StudyOutcome {
        if let precision = plan.precision {
            precondition(shard == nil, "a study with a precision cannot be split: how many replications it needs is decided as it goes")
            return try runSequentially(plan, precision: precision, jobs: jobs, keepingRunsIn: keepingRunsIn, progress: progress)
        }
        var tasks: [(point: Int, replication: Int)] = []
        for point in plan.points.indices {
            for replication in 0..<plan.replications
            where shard?.holds(point: point, replication: replication, replications: plan.replications) ?? true {
                tasks.append((point, replication))
            }
        }
        let records = try runTasks(tasks, of: plan, jobs: jobs, keepingRunsIn: keepingRunsIn, done: 0, planned: tasks.count, progress: progress)
        return StudyOutcome(records: records, replications: plan.replications, stopping: nil)
    }

    /// Adds replications in batches until `SequentialStopping` says every measure is precise
    /// enough or the maximum is reached; the records kept are those up to where it stopped.
    static func runSequentially(_ plan: StudyPlan, precision: Double, jobs: Int, keepingRunsIn: String?,
                                progress: (@Sendable (Int, Int) -> Void)?) throws(StudyFailure) -> StudyOutcome {
        var records: [ReplicationRecord] = []
        var have = 0
        var target = plan.replications
        var decision: SequentialStopping.Decision?
        while decision == nil {
            var tasks: [(point: Int, replication: Int)] = []
            for point in plan.points.indices {
                for replication in have..<target { tasks.append((point, replication)) }
            }
            records += try runTasks(tasks, of: plan, jobs: jobs, keepingRunsIn: keepingRunsIn,
                                    done: have * plan.points.count, planned: target * plan.points.count, progress: progress)
            records.sort { ($0.point, $0.replication) < ($1.point, $1.replication) }
            decision = SequentialStopping.decide(records, points: plan.points.count, first: plan.replications,
                                                  upTo: target, maximum: plan.maximumReplications, precision: precision, level: plan.level)
            have = target
            // The next batch: half again as many, at least one per job, never past the maximum.
            target = min(plan.maximumReplications, have + max(jobs, have / 2))
        }
        let decided = decision!
        let kept = records.filter { $0.replication < decided.replications }
        // The last batch may have run past the stop, by as many as its size, which depends on
        // --jobs: those runs are no part of the study, so their folders go too.
        if let root = keepingRunsIn {
            for point in plan.points.indices {
                for replication in decided.replications..<have {
                    let folder = runFolder(root, of: plan, point: point, replication: replication)
                    do {
                        try FileManager.default.removeItem(atPath: folder)
                    } catch {
                        throw .output(OutputError(.write, path: folder, reason: "\(error)"))
                    }
                }
            }
        }
        return StudyOutcome(records: kept, replications: decided.replications, stopping: decided)
    }

    static func runTasks(_ tasks: [(point: Int, replication: Int)], of plan: StudyPlan, jobs: Int, keepingRunsIn: String?,
                         done: Int, planned: Int, progress: (@Sendable (Int, Int) -> Void)?) throws(StudyFailure) -> [ReplicationRecord] {
        do {
            return try WorkPool.map(count: tasks.count, jobs: jobs, finished: { progress?(done + $0, planned) }) { index in
                let (point, replication) = tasks[index]
                let folder = keepingRunsIn.map { runFolder($0, of: plan, point: point, replication: replication) }
                return try runOne(plan, point: point, replication: replication, keepingIn: folder)
            }
        } catch let failure as StudyFailure {
            throw failure
        } catch {
            throw .output(error as? OutputError ?? OutputError(.write, path: keepingRunsIn ?? "", reason: "\(error)"))
        }
    }

    /// Where a replication's run files are kept: `runs/<replication>` for `replicate`,
    /// `runs/<point>/<replication>` otherwise.
    static func runFolder(_ root: String, of plan: StudyPlan, point: Int, replication: Int) -> String {
        plan.kind == .replicate ? "\(root)/runs/\(replication)" : "\(root)/runs/\(point)/\(replication)"
    }

    /// Runs one replication of one point and measures it.
    public static func runOne(_ plan: StudyPlan, point: Int, replication: Int, keepingIn folder: String? = nil) throws(StudyFailure) -> ReplicationRecord {
        let spec = plan.points[point]
        var model = spec.model
        let seed = plan.seed(point: point, replication: replication)
        model.run.seed = seed
        model.expectations = plan.measures.selected
        let result: RunResult
        var measured: [Double?]
        if let folder {
            let outcome: SingleRun.Outcome
            do {
                outcome = try SingleRun.execute(model, modelHash: spec.fileHash, overrides: spec.overrides,
                                                effectiveModelHash: spec.effectiveHash, modelFile: spec.file, variant: spec.variant, directory: folder, checksExpectations: true)
            } catch {
                throw .output(error)
            }
            result = outcome.result
            measured = outcome.expectationResults.map(\.measured)
        } else {
            let recorder = model.expectations.isEmpty ? nil : SeriesRecorder(keepingWhat: model.expectations, forwardingTo: DiscardingSink())
            result = ChainSimulation(model: model, sink: recorder ?? DiscardingSink()).run()
            measured = recorder.map { ExpectationChecker.evaluate(model.expectations, summary: result.summary, recorder: $0).map(\.measured) } ?? []
        }
        if result.outcome.stopReason == .interrupted || RunInterruption.isRequested { throw .interrupted }
        if let limit = result.limit {
            throw .stopped(point: point, replication: replication, seed: seed, detail: result.limitDetail.text, limitKey: limit.key)
        }
        if measured.count < plan.measures.selected.count {
            measured += Array(repeating: nil, count: plan.measures.selected.count - measured.count)
        }
        return ReplicationRecord(point: point, replication: replication, seed: seed,
                                 values: plan.measures.values(summary: result.summary, measured: measured))
    }
}
