import ModelFormat

/// `faultline validate`: checks model files without running them.
enum ValidateCommand {
    static let help = """
        USAGE: faultline validate MODEL... [--set PATH=VALUE]... [--metric SEL]... [--variant NAME]

        Checks each model file and prints every problem found, compiler-style:
          models/x.json5:12:7: error: services[1].threads: must be positive, found -3
        A model with 'variants' is checked as its baseline and as each of its variants (or,
        with --variant NAME, as that variant only); a problem a variant makes is located in
        the variant:
          models/x.json5:143:9: error: variants.timeouts.set: services.kiosk.dependencies has no element named 'cff'; did you mean 'cf'?

        With --set (repeatable), checks each model with the overrides applied, as 'run' would
        use them; a problem in an override names the argument:
          --set services.web.instancs=6: error: unknown key 'instancs'; did you mean 'instances'?
        See docs/overrides.md. With --metric (repeatable), also checks each selector against the
        model, as 'replicate' and the other study commands would (docs/experiments.md).

        EXIT CODES: 0 all valid, 64 usage (a --set without '=' too), 65 at least one model (or
        override) is invalid, 66 a file cannot be read (and none is invalid).
        """

    static func main(arguments: [String]) throws -> ExitStatus {
        let parsed = try ParsedArguments(arguments, valueOptions: ["--variant"], repeatableOptions: ["--set", "--metric"])
        if parsed.wantsHelp {
            Terminal.say(help)
            return .ok
        }
        guard !parsed.positional.isEmpty else { throw UsageError(message: "validate needs at least one model file; see 'faultline validate --help'") }
        let overrides = try parsed.overrides()
        let selectors = try PreparedRun.selectors(parsed)
        let variant = try PreparedRun.variant(parsed)
        var status = ExitStatus.ok
        for path in parsed.positional {
            do {
                let loaded = try ModelLoader.load(path: path, variant: variant, overrides: overrides, selectors: selectors)
                // The baseline is valid: each variant is checked as it would run.
                var problems: [ModelError] = []
                if variant == nil {
                    for other in loaded.variants {
                        do {
                            _ = try ModelLoader.load(path: path, variant: other.name, overrides: overrides, selectors: selectors)
                        } catch {
                            problems += error.errors
                        }
                    }
                }
                if problems.isEmpty {
                    let names = loaded.variants.map(\.name)
                    Terminal.say("\(path): ok (model '\(loaded.model.name)'\(variant == nil && !names.isEmpty ? ", variants \(names.joined(separator: ", "))" : ""))")
                    continue
                }
                for problem in problems { Terminal.complain(problem.description) }
                Terminal.complain("\(path): \(problems.count) problem\(problems.count == 1 ? "" : "s") in its variants")
                status = .badModel
            } catch {
                if error.isUnreadableFile, let problem = error.errors.first {
                    Terminal.complain("faultline: error: cannot read \(path): \(problem.message)")
                    if status == .ok { status = .noInput }
                    continue
                }
                for problem in error.errors { Terminal.complain(problem.description) }
                Terminal.complain("\(path): \(error.errors.count) problem\(error.errors.count == 1 ? "" : "s")")
                status = .badModel
            }
        }
        return status
    }
}
