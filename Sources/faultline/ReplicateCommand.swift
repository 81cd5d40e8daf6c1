import Experiments
import ModelFormat

/// `faultline replicate`: R independent replications of one model, with confidence intervals.
enum ReplicateCommand {
    static let help = """
        USAGE: faultline replicate MODEL -r R [--metric SEL]... [--level L] [--precision P] [options]

        Runs R replications of MODEL, each with its own seed derived from the base seed and the
        replication's index (FNV-1a-64 over (seed, "replication", 0, index): the same however the
        work is split), measures each (the warm-up left out), and writes into DIR:
          replications.csv  one row per replication and measure
          study.csv         per measure: n, mean, standard deviation and the confidence interval
          study.json        the model, overrides, seeds and settings the numbers come from
        and prints the intervals. The same model and options give the same bytes, for any --jobs.
        See docs/experiments.md.

        OPTIONS:
        \(StudyOptions.help)
          -h, --help     Show this help

        EXIT CODES: 0 ok, 1 --precision not reached, 64 usage, 65 invalid model, override or
        --metric, or a replication stopped by a limit, 66 model unreadable, 73/74 output cannot
        be created/written, 130/143 interrupted (nothing is written).
        """

    static func main(arguments: [String]) throws -> ExitStatus {
        let parsed = try ParsedArguments(arguments, valueOptions: StudyOptions.valueOptions, repeatableOptions: StudyOptions.repeatableOptions,
                                         flagOptions: StudyOptions.flagOptions, aliases: StudyOptions.aliases)
        if parsed.wantsHelp {
            Terminal.say(help)
            return .ok
        }
        guard parsed.positional.count == 1, let path = parsed.positional.first else {
            throw UsageError(message: parsed.positional.isEmpty ? "replicate needs a model file; see 'faultline replicate --help'"
                                                                : "replicate takes one model file, found \(parsed.positional.count)")
        }
        let options = try StudyOptions(parsed)
        var printed: Set<String> = []
        var failure: ExitStatus?
        let loaded = try StudyCommand.loadPoint(path: path, variant: try PreparedRun.variant(parsed), values: [], overrides: parsed.repeated["--set"] ?? [],
                                                selectors: options.selectors, parsed: parsed, printed: &printed, failure: &failure)
        guard let (point, selected) = loaded else {
            Terminal.complain("faultline: \(printed.count) problem\(printed.count == 1 ? "" : "s") in \(path)")
            return failure ?? .badModel
        }
        let plan = StudyPlan(kind: .replicate, parameters: [], points: [point],
                             replications: options.replications, measures: StudyMeasures(selected: selected, warmup: point.model.run.warmup),
                             metricArguments: options.selectors.map(\.argument), level: options.level,
                             precision: options.precision, maximumReplications: options.maximumReplications)
        return StudyCommand.execute(plan, options: options)
    }
}
