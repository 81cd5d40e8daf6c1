import Experiments
import FailureChains
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import Dispatch
import ModelFormat
import Reporting
import SimulationKernel

/// What `replicate`, `sweep` and `compare` share once their points are known: running the study,
/// writing its folder and printing its results.
enum StudyCommand {
    /// Loads one point: the model file with its overrides and the selectors, and the run options.
    ///
    /// - Returns: The point and its checked selectors, or nil after printing the model's problems
    ///   (`failures` counts them, so every point's problems are printed before giving up).
    static func loadPoint(path: String, variant: String?, values: [String], overrides: [String], selectors: [MetricSelector],
                          parsed: ParsedArguments, printed: inout Set<String>, failure: inout ExitStatus?) throws -> (StudyPlan.Point, [Expectation])? {
        let parsedOverrides = try ParsedArguments.overrides(overrides)
        try PreparedRun.refuseConflicts(parsedOverrides, parsed)
        let loaded: LoadedModel
        do {
            loaded = try ModelLoader.load(path: path, variant: variant, overrides: parsedOverrides, selectors: selectors)
        } catch {
            if error.isUnreadableFile {
                if printed.insert("unreadable \(path)").inserted, let problem = error.errors.first {
                    Terminal.complain("faultline: error: cannot read \(path): \(problem.message)")
                }
                failure = .noInput
            } else {
                // The same problem at several points (a wrong --metric) is printed once.
                for problem in error.errors where printed.insert(problem.description).inserted { Terminal.complain(problem.description) }
                if failure == nil { failure = .badModel }
            }
            return nil
        }
        var model = loaded.model
        try PreparedRun.applyRunOptions(parsed, to: &model)
        var point = StudyPlan.Point(values: values, model: model, overrides: loaded.overrides, effectiveHash: loaded.effectiveHash,
                                    file: path, fileHash: loaded.fileHash)
        point.variant = loaded.variant
        return (point, loaded.selected)
    }

    /// Refuses points whose warm-ups differ when a selector's window starts at the warm-up: which
    /// point's would be meant is a guess.
    static func refuseMixedWarmups(_ points: [StudyPlan.Point], _ selectors: [MetricSelector]) throws {
        let warmups = Set(points.map(\.model.run.warmup))
        guard warmups.count > 1, let open = selectors.first(where: { $0.from == nil && ($0.hasWindow || $0.aggregate != nil) }) else { return }
        throw UsageError(message: "--metric \(open.argument): the window starts at the warm-up, but the points' warm-ups differ (\(warmups.sorted().map(Units.format).joined(separator: ", "))); give the window a start, such as @\(Units.format(warmups.max()!))..")
    }

    /// Prints why a study (or a tipping map, `what`) did not finish, and gives the exit status.
    static func report(_ failure: StudyFailure, directory: String, what: String) -> ExitStatus {
        switch failure {
        case .interrupted:
            let number = RunInterruption.requested ?? SIGINT
            Terminal.complain("faultline: interrupted by \(RunManifest.signalName(number)); \(what) was stopped and nothing was written to \(directory)")
            return Signals.exitStatus(for: number)
        case .stopped:
            Terminal.complain("faultline: error: \(failure); nothing was written to \(directory)")
            return .badModel
        case .output(let error):
            Terminal.complain("faultline: error: \(error)")
            return ExitStatus(error)
        }
    }

    /// Runs a plan and writes its folder (or its shard's), printing progress and results.
    static func execute(_ plan: StudyPlan, options: StudyOptions) -> ExitStatus {
        let name = plan.points[0].model.name
        let directory = options.out ?? "out/\(name)-\(plan.kind.rawValue)" + (options.shard.map { "-shard-\($0.index)-of-\($0.count)" } ?? "")
        let meter = Terminal.showsProgress ? StudyProgress(points: plan.points.count) : nil
        Signals.catchInterruptions()
        defer { Signals.restore() }
        var outcome: StudyOutcome?
        var progress: (@Sendable (Int, Int) -> Void)?
        if let meter { progress = { done, planned in meter.update(done: done, planned: planned) } }
        func fill(_ privatePath: String) throws -> [(name: String, text: String)] {
            let done = try StudyRunner.run(plan, shard: options.shard, jobs: options.jobs,
                                           keepingRunsIn: options.keepsRuns ? privatePath : nil, progress: progress)
            outcome = done
            let manifest = StudyTables.manifestJSON(plan, replications: done.replications, stopping: done.stopping)
            if let shard = options.shard { return StudyFiles.shard(plan.layout, shard, done.records, manifest: manifest) }
            return StudyFiles.complete(plan.layout, done.records, manifest: manifest)
        }
        do {
            try StudyFolder.write(to: directory, fill: fill)
        } catch let failure as StudyFailure {
            meter?.finish()
            return report(failure, directory: directory, what: "the study")
        } catch let error as OutputError {
            meter?.finish()
            Terminal.complain("faultline: error: \(error)")
            return ExitStatus(error)
        } catch {
            meter?.finish()
            Terminal.complain("faultline: internal error: \(error)")
            return .internalError
        }
        meter?.finish()
        guard let outcome else { return .internalError }
        if let shard = options.shard {
            Terminal.say("shard \(shard.index)/\(shard.count): \(Set(outcome.records.map { "\($0.point)/\($0.replication)" }).count) replications written to \(directory); join the shards with 'faultline merge'")
            return .ok
        }
        Terminal.say(StudyReportText.text(plan.layout, outcome.records, directory: directory))
        var status = ExitStatus.ok
        if let stopping = outcome.stopping, let precision = plan.precision {
            let text = StudyReportText.stoppingText(stopping, precision: precision, layout: plan.layout)
            if stopping.reached { Terminal.say(text) } else { Terminal.complain(text); status = .expectationsFailed }
        }
        Terminal.say("wrote \(directory)/study.csv, replications.csv\(plan.kind == .compare ? ", comparison.csv" : "") and study.json")
        return status
    }
}

/// Shows a study's progress on a terminal: replications done, and the time left.
final class StudyProgress: @unchecked Sendable {
    private let points: Int
    private let start = DispatchTime.now().uptimeNanoseconds
    private let lock = Lock()
    private var lastShown: UInt64 = 0
    private var hasShown = false

    init(points: Int) { self.points = points }

    func update(done: Int, planned: Int) {
        lock.lock()
        defer { lock.unlock() }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - start > 1_000_000_000, now - lastShown > 250_000_000 || done == planned else { return }
        lastShown = now
        hasShown = true
        let elapsed = Double(now - start) / 1e9
        let left = done > 0 ? elapsed / Double(done) * Double(planned - done) : 0
        // Replications are handed out point by point, so the points behind the count are done.
        let perPoint = max(1, planned / max(1, points))
        let pointsText = points > 1 ? " (\(min(points, done / perPoint)) of \(points) points done)" : ""
        Terminal.progress("  replications \(done) of \(planned)\(pointsText), about \(Int(left.rounded(.up)))s left")
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if hasShown { Terminal.clearProgress() }
    }
}
