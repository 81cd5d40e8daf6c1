import Experiments
import FailureChains
import ModelFormat

/// `faultline compare`: a baseline and its variants on common random numbers, with the paired
/// difference of every measure.
enum CompareCommand {
    static let help = """
        USAGE: faultline compare MODEL --with 'PATH=V [PATH=V ...]' [--with ...] -r R [--metric SEL]... [options]
               faultline compare MODEL --variants A,B,... -r R [--metric SEL]... [options]
               faultline compare A.json5 B.json5 [C.json5 ...] -r R [--metric SEL]... [options]

        Runs the baseline (MODEL as it is, or its --variant, or the first file) and each variant
        (MODEL with the overrides of one --with, separated by spaces; each of the model's own
        variants named in --variants; or each further file) R times on the same
        seeds: replication r of every variant uses the same seed, so every random stream (named
        by component and purpose) draws the same numbers wherever the variants agree. The
        difference variant − baseline of each replication is then mostly the variants' doing, and
        its paired-t interval is narrower than the interval of two independent samples. DIR gets
        study.csv and replications.csv (a 'variant' column), comparison.csv (per variant and
        measure: the means, the paired difference and its interval, the unpaired interval's
        half-width, their width ratio and the share of variance pairing removed) and study.json.
        The seeds derive from the baseline's run.seed. --set applies to every variant.

          faultline compare models/airline.json5 --with 'services.kiosk.dependencies.cf.readTimeout=3s' \\
              -r 10 --metric 'kiosks.successRatio@3h30m..6h:mean'
          faultline compare models/airline.json5 --variants timeouts,breaker \\
              -r 10 --metric 'kiosks.successRatio@3h30m..6h:mean'

        OPTIONS:
          --with 'PATH=V ...'
                         A variant: the model with these overrides; repeatable
          --variants A,B,...
                         Variants of the model file's own 'variants' (docs/model.md), each
                         compared with the baseline; with --variant NAME, NAME is the baseline
        \(StudyOptions.help)
          -h, --help     Show this help

        EXIT CODES: as for 'faultline replicate'.
        """

    static func main(arguments: [String]) throws -> ExitStatus {
        let parsed = try ParsedArguments(arguments, valueOptions: StudyOptions.valueOptions.union(["--variants"]),
                                         repeatableOptions: StudyOptions.repeatableOptions.union(["--with"]),
                                         flagOptions: StudyOptions.flagOptions, aliases: StudyOptions.aliases)
        if parsed.wantsHelp {
            Terminal.say(help)
            return .ok
        }
        let withs = parsed.repeated["--with"] ?? []
        let files = parsed.positional
        let named = parsed.options["--variants"].map(StudyArguments.values) ?? []
        guard !files.isEmpty else { throw UsageError(message: "compare needs a model file; see 'faultline compare --help'") }
        if files.count == 1 && withs.isEmpty && named.isEmpty {
            throw UsageError(message: "compare needs a variant: --with 'PATH=VALUE ...', --variants A,B,... of the model's own, or a second model file")
        }
        if files.count > 1 && (!withs.isEmpty || !named.isEmpty) {
            throw UsageError(message: "compare takes variants as --with overrides or --variants of one model, or as model files, not both")
        }
        if let empty = named.firstIndex(where: { $0.isEmpty }) {
            throw UsageError(message: "--variants needs names separated by commas, such as 'timeouts,breaker'; name \(empty + 1) is empty")
        }
        let options = try StudyOptions(parsed)
        let common = parsed.repeated["--set"] ?? []
        let baselineVariant = try PreparedRun.variant(parsed)
        var variants: [(file: String, name: String, variant: String?, overrides: [String])] = []
        if files.count == 1 {
            variants.append((files[0], baselineVariant ?? "baseline", baselineVariant, common))
            for name in named { variants.append((files[0], name, name, common)) }
            for with in withs {
                let overrides = StudyArguments.overrides(with)
                guard !overrides.isEmpty else { throw UsageError(message: "--with needs one or more PATH=VALUE, found '\(with)'") }
                if let seed = overrides.first(where: { $0.hasPrefix("run.seed=") || $0.hasPrefix("run=") }) {
                    throw UsageError(message: "--with '\(with)': a variant cannot change run.seed ('\(seed)'): every variant runs on the baseline's seeds (common random numbers); to compare seeds, use 'faultline replicate'")
                }
                variants.append((files[0], overrides.joined(separator: " "), baselineVariant, common + overrides))
            }
        } else {
            for file in files { variants.append((file, file, baselineVariant, common)) }
        }
        if Set(variants.map(\.name)).count < variants.count {
            throw UsageError(message: "two variants are the same: \(variants.map(\.name).joined(separator: ", "))")
        }
        var points: [StudyPlan.Point] = []
        var selected: [Expectation] = []
        var printed: Set<String> = []
        var failure: ExitStatus?
        for variant in variants {
            if let loaded = try StudyCommand.loadPoint(path: variant.file, variant: variant.variant, values: [variant.name], overrides: variant.overrides,
                                                       selectors: options.selectors, parsed: parsed, printed: &printed, failure: &failure) {
                points.append(loaded.0)
                if points.count == 1 { selected = loaded.1 }
            }
        }
        if let failure {
            Terminal.complain("faultline: \(printed.count) problem\(printed.count == 1 ? "" : "s") in the variants")
            return failure
        }
        try StudyCommand.refuseMixedWarmups(points, options.selectors)
        // Common random numbers: every variant runs on the baseline's seeds.
        let seed = points[0].model.run.seed
        for index in points.indices { points[index].model.run.seed = seed }
        let plan = StudyPlan(kind: .compare, parameters: ["variant"], points: points,
                             replications: options.replications, measures: StudyMeasures(selected: selected, warmup: points[0].model.run.warmup),
                             metricArguments: options.selectors.map(\.argument), level: options.level,
                             precision: options.precision, maximumReplications: options.maximumReplications)
        if plan.replications < 2 { throw UsageError(message: "compare needs at least 2 replications for a paired interval (-r 2 or more)") }
        return StudyCommand.execute(plan, options: options)
    }
}
