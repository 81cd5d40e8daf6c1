import Experiments
import FailureChains
import ModelFormat

/// `faultline sweep`: a grid of overrides, each point replicated, in one `study.csv`.
enum SweepCommand {
    static let help = """
        USAGE: faultline sweep MODEL --set PATH=V1,V2,... [--set ...] [--zip] -r R [--metric SEL]... [options]

        Each --set with several values (split at commas outside brackets and quotes) is a
        parameter; a --set with one value applies to every point. The points are every
        combination of the parameters' values, the first parameter varying slowest, or with
        --zip the first values together, then the second ones, and so on (the lists must then be
        equally long). Each point is replicated as 'faultline replicate' does, with the same
        seeds at every point (common random numbers), and DIR gets one study.csv and one
        replications.csv with a 'point' column and a column per parameter, and study.json.

          faultline sweep models/small-farm.json5 --set services.web.instances=2,3,4,6 -r 20 \\
              --metric 'shoppers.successRatio@2m..3m:mean'

        OPTIONS:
          --zip          Pair the parameters' lists instead of taking every combination
        \(StudyOptions.help)
          -h, --help     Show this help

        EXIT CODES: as for 'faultline replicate'; a point whose overrides make an invalid model
        is reported as such (65).
        """

    static func main(arguments: [String]) throws -> ExitStatus {
        let parsed = try ParsedArguments(arguments, valueOptions: StudyOptions.valueOptions, repeatableOptions: StudyOptions.repeatableOptions,
                                         flagOptions: StudyOptions.flagOptions.union(["--zip"]), aliases: StudyOptions.aliases)
        if parsed.wantsHelp {
            Terminal.say(help)
            return .ok
        }
        guard parsed.positional.count == 1, let path = parsed.positional.first else {
            throw UsageError(message: parsed.positional.isEmpty ? "sweep needs a model file; see 'faultline sweep --help'"
                                                                : "sweep takes one model file, found \(parsed.positional.count)")
        }
        let options = try StudyOptions(parsed)
        // Each --set, split into its values: a parameter when there are several.
        var sets: [(path: String, values: [String])] = []
        for argument in parsed.repeated["--set"] ?? [] {
            guard let override = Override(argument) else {
                throw UsageError(message: "--set needs PATH=VALUE or PATH=V1,V2,..., such as 'services.web.instances=2,4,6', found '\(argument)'")
            }
            let values = StudyArguments.values(override.valueText)
            if values.count > 1, let empty = values.firstIndex(where: { $0.isEmpty }) {
                throw UsageError(message: "--set \(argument): value \(empty + 1) of the list is empty")
            }
            sets.append((override.pathText, values))
        }
        let parameters = sets.filter { $0.values.count > 1 }
        guard !parameters.isEmpty else {
            throw UsageError(message: "sweep needs at least one --set PATH=V1,V2,... with several values; for one model, use 'faultline replicate'")
        }
        let zips = parsed.flags.contains("--zip")
        if zips, Set(parameters.map(\.values.count)).count > 1 {
            throw UsageError(message: "--zip pairs lists of one length; found \(parameters.map { "\($0.path) (\($0.values.count))" }.joined(separator: ", "))")
        }
        let combinations = zips ? (0..<parameters[0].values.count).map { index in parameters.map { $0.values[index] } }
                                : grid(parameters.map(\.values))
        guard combinations.count <= 100_000 else { throw UsageError(message: "the sweep has \(combinations.count) points, more than 100000") }
        let variant = try PreparedRun.variant(parsed)
        var points: [StudyPlan.Point] = []
        var selected: [Expectation] = []
        var printed: Set<String> = []
        var failure: ExitStatus?
        for combination in combinations {
            var chosen = zip(parameters.map(\.path), combination).makeIterator()
            var next = chosen.next()
            var overrides: [String] = []
            for set in sets {
                if set.values.count > 1, let (path, value) = next, path == set.path {
                    overrides.append("\(path)=\(value)")
                    next = chosen.next()
                } else {
                    overrides.append("\(set.path)=\(set.values[0])")
                }
            }
            if let loaded = try StudyCommand.loadPoint(path: path, variant: variant, values: combination, overrides: overrides, selectors: options.selectors,
                                                       parsed: parsed, printed: &printed, failure: &failure) {
                points.append(loaded.0)
                if points.count == 1 { selected = loaded.1 }
            }
        }
        if let failure {
            Terminal.complain("faultline: \(printed.count) problem\(printed.count == 1 ? "" : "s") in \(path) at some points of the sweep")
            return failure
        }
        try StudyCommand.refuseMixedWarmups(points, options.selectors)
        let first = points[0].model
        let plan = StudyPlan(kind: .sweep, parameters: parameters.map(\.path), points: points,
                             replications: options.replications, measures: StudyMeasures(selected: selected, warmup: first.run.warmup),
                             metricArguments: options.selectors.map(\.argument), level: options.level,
                             precision: options.precision, maximumReplications: options.maximumReplications)
        return StudyCommand.execute(plan, options: options)
    }

    /// Every combination, the first list varying slowest.
    static func grid(_ lists: [[String]]) -> [[String]] {
        lists.reduce([[]]) { partial, values in partial.flatMap { prefix in values.map { prefix + [$0] } } }
    }
}
