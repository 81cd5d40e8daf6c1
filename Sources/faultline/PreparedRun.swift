import Experiments
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import FailureChains
import ModelFormat
import Reporting
import SimulationKernel

/// What `run` and `check` share: the model file and the options `--seed`, `--out` and
/// `--duration`, the run itself, its report and the event limit.
struct PreparedRun {
    /// The options both commands take, each with a value.
    static let valueOptions: Set<String> = ["--seed", "--out", "--duration", "--variant"]
    /// The options both commands take any number of times.
    static let repeatableOptions: Set<String> = ["--set", "--metric"]
    /// The options without a value both commands take.
    static let flagOptions: Set<String> = ["--report"]
    /// The help lines of the options both commands take, for their `--help`.
    static let optionsHelp = """
          --variant NAME Run a variant of the model, one of its 'variants': the baseline with
                         the variant's changes and its own expectations; its name is
                         <model>-<variant>, such as airline-timeouts (see docs/model.md)
          --seed N       Seed of the run (default: the model's run.seed)
          --out DIR      Output directory (default: out/<model name>, out/<model>-<variant>)
          --duration T   Simulated time to run, such as "10m" (default: the model's run.duration)
          --set PATH=VALUE
                         Change the model without editing its file; repeatable, applied in
                         order. PATH names things by name: services.web.instances=6,
                         traffic.shoppers.profile[1].rate=1000/s, faults[0].duration=30s.
                         VALUE is read as in the file (a bare word is a string). Recorded in
                         run.json ("overrides", "effectiveModelHash"); cannot be combined with
                         --seed for run.seed, or --duration for run.duration. See docs/overrides.md
          --metric SEL   Also print a measure of the run, as the study commands take it:
                         COMPONENT.METRIC[@FROM..TO][:AGGREGATE], such as
                         'shoppers.successRatio@2m..3m:mean'; repeatable. See docs/experiments.md
          --report       Also write report.html into DIR: the run in pictures, one
                         self-contained page (see docs/report.md)
        """

    /// The model file as given.
    var path: String
    /// FNV-1a-64 of the model file's bytes.
    var fileHash: UInt64
    /// The `--set` arguments applied, in order.
    var overrides: [String]
    /// The variant run (`--variant`), or nil for the baseline.
    var variant: String?
    /// The hash of the file and its overrides, as `run.json`'s `effectiveModelHash`.
    var effectiveHash: UInt64
    /// The model with the options applied.
    var model: SystemModel
    /// The output directory.
    var directory: String
    /// The `--metric` selectors, checked, their open starts at the end of the warm-up.
    var measures: StudyMeasures
    /// Whether to write `report.html` too (`--report`).
    var writesReport = false

    /// Loads the one model file of `parsed` and applies its options.
    ///
    /// - Parameters:
    ///   - parsed: The command line, parsed with `valueOptions`.
    ///   - command: The command's name, for usage errors: `run`.
    /// - Returns: The prepared run.
    /// - Throws: `UsageError` for a wrong command line or option value; `CommandFailure` when the
    ///   model file cannot be read (66) or is invalid (65), its problems printed.
    static func prepare(_ parsed: ParsedArguments, command: String) throws -> PreparedRun {
        guard parsed.positional.count == 1, let path = parsed.positional.first else {
            throw UsageError(message: parsed.positional.isEmpty
                ? "\(command) needs a model file; see 'faultline \(command) --help'"
                : "\(command) takes one model file, found \(parsed.positional.count)")
        }
        let overrides = try parsed.overrides()
        try Self.refuseConflicts(overrides, parsed)
        let selectors = try Self.selectors(parsed)
        let variant = try Self.variant(parsed)
        let loaded: LoadedModel
        do {
            loaded = try ModelLoader.load(path: path, variant: variant, overrides: overrides, selectors: selectors)
        } catch {
            throw CommandFailure(status: Self.report(error, path: path))
        }
        var model = loaded.model
        try Self.applyRunOptions(parsed, to: &model)
        let directory = parsed.options["--out"] ?? "out/\(model.name)"
        guard !directory.isEmpty else { throw UsageError(message: "--out needs a folder, found an empty name") }
        return PreparedRun(path: path, fileHash: loaded.fileHash, overrides: loaded.overrides, variant: loaded.variant,
                           effectiveHash: loaded.effectiveHash, model: model, directory: directory, measures: StudyMeasures(selected: loaded.selected, warmup: model.run.warmup),
                           writesReport: parsed.flags.contains("--report"))
    }

    /// The `--variant` option's value, if given.
    ///
    /// - Throws: `UsageError` for an empty name.
    static func variant(_ parsed: ParsedArguments) throws(UsageError) -> String? {
        guard let name = parsed.options["--variant"] else { return nil }
        guard !name.isEmpty else { throw UsageError(message: "--variant needs the name of one of the model's variants, found an empty name") }
        return name
    }

    /// The `--metric` selectors; their shape errors printed, then `CommandFailure` (65).
    static func selectors(_ parsed: ParsedArguments) throws(CommandFailure) -> [MetricSelector] {
        var selectors: [MetricSelector] = []
        var malformed = 0
        for argument in parsed.repeated["--metric"] ?? [] {
            do {
                selectors.append(try MetricSelector(argument))
            } catch {
                Terminal.complain("--metric \(argument): error: \(error.message)")
                malformed += 1
            }
        }
        if malformed > 0 {
            Terminal.complain("faultline: \(malformed) malformed --metric argument\(malformed == 1 ? "" : "s")")
            throw CommandFailure(status: .badModel)
        }
        return selectors
    }

    /// Applies `--seed` and `--duration` to a model.
    ///
    /// - Throws: `UsageError` for a value that cannot be used.
    static func applyRunOptions(_ parsed: ParsedArguments, to model: inout SystemModel) throws {
        if let seedText = parsed.options["--seed"] {
            guard let seed = UInt64(seedText) else { throw UsageError(message: "--seed needs a non-negative integer, found '\(seedText)'") }
            model.run.seed = seed
        }
        if let durationText = parsed.options["--duration"] {
            let duration: Interval
            do {
                duration = try Units.duration(durationText)
            } catch {
                throw UsageError(message: "--duration: \(error.message)")
            }
            guard duration <= ModelLimits.runDuration else {
                throw UsageError(message: "--duration must be at most \(Units.format(ModelLimits.runDuration)), found '\(durationText)'")
            }
            guard duration > model.run.warmup else {
                throw UsageError(message: "--duration must be longer than the model's warm-up (\(Units.format(model.run.warmup))), found '\(durationText)'")
            }
            guard duration.nanoseconds / model.run.interval.nanoseconds <= ModelLimits.seriesIntervals else {
                throw UsageError(message: "--duration '\(durationText)' gives more than \(ModelLimits.seriesIntervals) series intervals of \(Units.format(model.run.interval))")
            }
            model.run.duration = duration
        }
    }

    /// Refuses `--seed` with an override of `run.seed` (or of `run` as a whole), and `--duration`
    /// with one of `run.duration`: which should win would be a guess.
    static func refuseConflicts(_ overrides: [Override], _ parsed: ParsedArguments) throws {
        for (option, key) in [("--seed", "seed"), ("--duration", "duration")] where parsed.options[option] != nil {
            if let override = overrides.first(where: { $0.pathText == "run.\(key)" || $0.pathText == "run" }) {
                throw UsageError(message: "\(option) and --set \(override.argument) both set run.\(key); give one of them")
            }
        }
    }

    /// Prints a model file's problems and returns the status they give: 66 for a file that cannot
    /// be read, 65 for an invalid one.
    static func report(_ error: ModelErrors, path: String) -> ExitStatus {
        // Problems in overrides name their argument; the count still names the file they apply to.
        if error.isUnreadableFile, let problem = error.errors.first {
            Terminal.complain("faultline: error: cannot read \(path): \(problem.message)")
            return .noInput
        }
        for problem in error.errors { Terminal.complain(problem.description) }
        Terminal.complain("faultline: \(error.errors.count) problem\(error.errors.count == 1 ? "" : "s") in \(path)")
        return .badModel
    }

    /// Runs the model, writes its files and prints the run report.
    ///
    /// SIGINT and SIGTERM are caught while it runs: the run stops at its next event, its files are
    /// written and marked incomplete, and the status is 130 or 143.
    ///
    /// - Parameter checksExpectations: Whether to evaluate the model's expectations too.
    /// - Returns: The outcome, if the run's files were written, and the exit status so far: `.ok`
    ///   for a complete run; `.badModel` for a run stopped by a limit, or `.interrupted` /
    ///   `.terminated` for one stopped by a signal (the outcome is still given); `.cannotCreate` or
    ///   `.ioError` when the files could not be written (no outcome).
    func execute(checksExpectations: Bool = false) -> (outcome: SingleRun.Outcome?, status: ExitStatus) {
        let meter = Terminal.showsProgress ? ProgressMeter(totalSeconds: model.run.duration.seconds) : nil
        let outcome: SingleRun.Outcome
        Signals.catchInterruptions()
        defer { Signals.restore() }
        do {
            outcome = try SingleRun.execute(model, modelHash: fileHash, overrides: overrides,
                                            effectiveModelHash: effectiveHash, modelFile: path, variant: variant, directory: directory,
                                            checksExpectations: checksExpectations, measuring: measures.selected,
                                            writesReport: writesReport) { time, events in
                meter?.update(simulated: time.seconds, events: events)
            }
        } catch {
            meter?.finish()
            Terminal.complain("faultline: error: \(error)")
            return (nil, ExitStatus(error))
        }
        meter?.finish()
        let result = outcome.result
        let stopped = result.outcome.endTime.description + "s"
        if result.outcome.stopReason == .interrupted {
            let name = outcome.manifest.stoppedBy ?? "a signal"
            Terminal.complain("faultline: interrupted by \(name) at simulated time \(stopped); wrote the run so far to \(directory) (run.json says \"complete\": false)")
            return (outcome, Signals.exitStatus(for: RunInterruption.requested ?? SIGINT))
        }
        if let number = RunInterruption.requested {
            // The signal came after the last event, while the files were written: they are complete.
            Terminal.complain("faultline: interrupted by \(RunManifest.signalName(number)) as the run ended; its files in \(directory) are complete")
            return (outcome, Signals.exitStatus(for: number))
        }
        Terminal.say(RunReport.text(model: model, result: result, stateChanges: outcome.stateChanges, directory: directory))
        if writesReport && !checksExpectations { Terminal.say("wrote \(directory)/\(ReportFile.name)") }
        if !measures.selected.isEmpty {
            Terminal.say("measured:")
            for (key, value) in zip(measures.keys, outcome.measured) {
                Terminal.say("  \(key.selectorText) = \(value.map(StudyTables.number) ?? "no rows in the window")")
            }
        }
        if let limit = result.limit {
            Terminal.complain("faultline: error: the run was stopped at simulated time \(stopped): \(result.limitDetail.text); the files in \(directory) describe a run cut short (run.json says \"complete\": false). Raise \(limit.key), or shorten run.duration, or find what grows without bound.")
            return (outcome, .badModel)
        }
        return (outcome, .ok)
    }
}
