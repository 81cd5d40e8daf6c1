import Experiments
import FailureChains
import ModelFormat
import Reporting
import SimulationKernel

/// What `run` and `check` share: the model file and the options `--seed`, `--out` and
/// `--duration`, the run itself, its report and the event limit.
struct PreparedRun {
    /// The options both commands take, each with a value.
    static let valueOptions: Set<String> = ["--seed", "--out", "--duration"]

    /// The model file as given.
    var path: String
    /// FNV-1a-64 of the model file's bytes.
    var fileHash: UInt64
    /// The model with the options applied.
    var model: SystemModel
    /// The output directory.
    var directory: String

    /// Loads the one model file of `parsed` and applies its options.
    ///
    /// - Parameters:
    ///   - parsed: The command line, parsed with `valueOptions`.
    ///   - command: The command's name, for usage errors: `run`.
    /// - Returns: The prepared run, or `nil` when the model is bad (its problems have been printed).
    /// - Throws: `UsageError` for a wrong command line or option value.
    static func prepare(_ parsed: ParsedArguments, command: String) throws -> PreparedRun? {
        guard parsed.positional.count == 1, let path = parsed.positional.first else {
            throw UsageError(message: parsed.positional.isEmpty
                ? "\(command) needs a model file; see 'faultline \(command) --help'"
                : "\(command) takes one model file, found \(parsed.positional.count)")
        }
        let loaded: LoadedModel
        do {
            loaded = try ModelLoader.load(path: path)
        } catch {
            for problem in error.errors { Terminal.complain(problem.description) }
            Terminal.complain("faultline: \(error.errors.count) problem\(error.errors.count == 1 ? "" : "s") in \(path)")
            return nil
        }
        var model = loaded.model
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
            guard duration > model.run.warmup else {
                throw UsageError(message: "--duration must be longer than the model's warm-up (\(Units.format(model.run.warmup))), found '\(durationText)'")
            }
            guard duration.nanoseconds / model.run.interval.nanoseconds <= 10_000_000 else {
                throw UsageError(message: "--duration '\(durationText)' gives more than 10000000 series intervals of \(Units.format(model.run.interval))")
            }
            model.run.duration = duration
        }
        let directory = parsed.options["--out"] ?? "out/\(model.name)"
        return PreparedRun(path: path, fileHash: loaded.fileHash, model: model, directory: directory)
    }

    /// Runs the model, writes its files and prints the run report.
    ///
    /// - Parameter checksExpectations: Whether to evaluate the model's expectations too.
    /// - Returns: The outcome, if the run completed and its files were written, and the exit status
    ///   so far: `.ok`, `.badModel` for a run stopped by its event limit (the outcome is still
    ///   given), or `.internalError` when the files could not be written (no outcome).
    func execute(checksExpectations: Bool = false) -> (outcome: SingleRun.Outcome?, status: ExitStatus) {
        let meter = Terminal.showsProgress ? ProgressMeter(totalSeconds: model.run.duration.seconds) : nil
        let outcome: SingleRun.Outcome
        do {
            outcome = try SingleRun.execute(model, modelHash: fileHash, directory: directory,
                                            checksExpectations: checksExpectations) { time, events in
                meter?.update(simulated: time.seconds, events: events)
            }
        } catch {
            meter?.finish()
            Terminal.complain("faultline: error: \(error)")
            return (nil, .internalError)
        }
        meter?.finish()
        Terminal.say(RunReport.text(model: model, result: outcome.result, stateChanges: outcome.stateChanges, directory: directory))
        if outcome.result.outcome.stopReason == .eventLimit {
            Terminal.complain("faultline: error: the run reached its event limit of \(model.run.maximumEvents) events at simulated time \(outcome.result.outcome.endTime)s and was stopped; the files in \(directory) describe a run cut short. Raise run.maximumEvents or shorten run.duration.")
            return (outcome, .badModel)
        }
        return (outcome, .ok)
    }
}
