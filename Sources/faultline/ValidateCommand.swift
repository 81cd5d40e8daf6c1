import ModelFormat

/// `faultline validate`: checks model files without running them.
enum ValidateCommand {
    static let help = """
        USAGE: faultline validate MODEL...

        Checks each model file and prints every problem found, compiler-style:
          models/x.json5:12:7: error: services[1].threads: must be positive, found -3

        EXIT CODES: 0 all valid, 64 usage, 65 at least one model is invalid, 66 a file cannot
        be read (and none is invalid).
        """

    static func main(arguments: [String]) throws -> ExitStatus {
        let parsed = try ParsedArguments(arguments, valueOptions: [])
        if parsed.wantsHelp {
            Terminal.say(help)
            return .ok
        }
        guard !parsed.positional.isEmpty else { throw UsageError(message: "validate needs at least one model file; see 'faultline validate --help'") }
        var status = ExitStatus.ok
        for path in parsed.positional {
            do {
                let loaded = try ModelLoader.load(path: path)
                Terminal.say("\(path): ok (model '\(loaded.model.name)')")
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
