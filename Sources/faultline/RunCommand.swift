import Experiments
import FailureChains
import ModelFormat
import Reporting
import SimulationKernel

/// `faultline run`: runs one model and writes its output files.
enum RunCommand {
    static let help = """
        USAGE: faultline run MODEL [--seed N] [--out DIR] [--duration T]

        Runs MODEL and writes series.csv, events.csv, summary.csv and run.json into DIR
        (default: out/<model name>/). Each file is written under a temporary name and renamed
        when the run is complete. The same model and seed give byte-identical files.

        OPTIONS:
          --seed N       Seed of the run (default: the model's run.seed)
          --out DIR      Output directory (default: out/<model name>)
          --duration T   Simulated time to run, such as "10m" (default: the model's run.duration)
          -h, --help     Show this help

        EXIT CODES: 0 ok, 64 usage, 65 invalid model or a run stopped by its event limit,
        70 internal error (such as an unwritable output directory).
        """

    static func main(arguments: [String]) throws -> ExitStatus {
        let parsed = try ParsedArguments(arguments, valueOptions: ["--seed", "--out", "--duration"])
        if parsed.wantsHelp {
            Terminal.say(help)
            return .ok
        }
        guard parsed.positional.count == 1, let path = parsed.positional.first else {
            throw UsageError(message: parsed.positional.isEmpty ? "run needs a model file; see 'faultline run --help'" : "run takes one model file, found \(parsed.positional.count)")
        }
        let loaded: LoadedModel
        do {
            loaded = try ModelLoader.load(path: path)
        } catch {
            for problem in error.errors { Terminal.complain(problem.description) }
            Terminal.complain("faultline: \(error.errors.count) problem\(error.errors.count == 1 ? "" : "s") in \(path)")
            return .badModel
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

        let meter = Terminal.showsProgress ? ProgressMeter(totalSeconds: model.run.duration.seconds) : nil
        let outcome: SingleRun.Outcome
        do {
            outcome = try SingleRun.execute(model, modelHash: loaded.fileHash, directory: directory) { time, events in
                meter?.update(simulated: time.seconds, events: events)
            }
        } catch {
            meter?.finish()
            Terminal.complain("faultline: error: \(error)")
            return .internalError
        }
        meter?.finish()
        Terminal.say(RunReport.text(model: model, result: outcome.result, stateChanges: outcome.stateChanges, directory: directory))
        if outcome.result.outcome.stopReason == .eventLimit {
            Terminal.complain("faultline: error: the run reached its event limit of \(model.run.maximumEvents) events at simulated time \(outcome.result.outcome.endTime)s and was stopped; the files in \(directory) describe a run cut short. Raise run.maximumEvents or shorten run.duration.")
            return .badModel
        }
        return .ok
    }
}
