import ModelFormat
import Reporting

/// The commands and their dispatch.
enum CommandLineTool {
    static let overview = """
        faultline — a deterministic simulator of failure chains in production software

        USAGE: faultline <command> [options]

        COMMANDS:
          run MODEL [--seed N] [--out DIR] [--duration T] [--set PATH=VALUE]... [--report] [--variant NAME]
                      Run a model (or one of its variants) and write series.csv, events.csv,
                      summary.csv, run.json
          check MODEL [--seed N] [--out DIR] [--duration T] [--set PATH=VALUE]... [--junit FILE] [--report] [--variant NAME]
                      Run a model as 'run' does and evaluate its expectations;
                      exit 1 if one fails
          validate MODEL... [--set PATH=VALUE]... [--metric SEL]... [--variant NAME]
                      Check model files without running them
          replicate MODEL -r R [--metric SEL]... [--precision P] [--jobs J] [--shard K/N]
                      R replications with confidence intervals: study.csv, replications.csv
          sweep MODEL --set PATH=V1,V2,... [--zip] -r R [--metric SEL]...
                      Every combination of the values, each point replicated, one study.csv
          compare MODEL --with 'PATH=V ...'... | --variants A,B | compare A.json5 B.json5 -r R [--metric SEL]...
                      Paired differences on common random numbers: comparison.csv
          tipping MODEL --load PATH=LOW..HIGH --trigger PATH=LOW..HIGH --recovered SEL
                      The smallest trigger after which the system does not come back, by load
          merge SHARD_DIR... [--out DIR]
                      Join the --shard K/N folders of a study into the study's folder
          diff OUT_A OUT_B [--metrics N]
                      The first event at which two runs diverge, and the metrics that
                      differ most; exit 1 if they differ
          explain OUT_DIR [--all]
                      Tell a run's failure chains in words, with how long each state lasted
          report DIR [--model FILE]
                      Write DIR/report.html: a run's or a study's folder in pictures
          models [DIR]
                      List the gallery: each model, its antipattern and its variants
          help [COMMAND]
                      Show help for a command

        OPTIONS:
          -h, --help  Show help
          --version   Show the version

        --variant NAME runs one of a model's variants (run, check, validate and the studies).
        --set PATH=VALUE changes the model without editing its file, in its own terms:
          --set services.web.instances=6 --set traffic.shoppers.profile[1].rate=1000/s
        (repeatable; see docs/overrides.md)

        Exit codes: 0 ok, 1 expectations failed, 64 usage, 65 bad model or override, or a run
        stopped by a limit, 66 model unreadable, 70 internal error, 73/74 output cannot be created/written,
        130/143 interrupted by SIGINT/SIGTERM.
        """

    static func main(arguments: [String]) -> ExitStatus {
        guard let command = arguments.first else {
            Terminal.complain(overview)
            return .usage
        }
        let rest = Array(arguments.dropFirst())
        do {
            switch command {
            case "run": return try RunCommand.main(arguments: rest)
            case "check": return try CheckCommand.main(arguments: rest)
            case "validate": return try ValidateCommand.main(arguments: rest)
            case "replicate": return try ReplicateCommand.main(arguments: rest)
            case "sweep": return try SweepCommand.main(arguments: rest)
            case "compare": return try CompareCommand.main(arguments: rest)
            case "merge": return try MergeCommand.main(arguments: rest)
            case "diff": return try DiffCommand.main(arguments: rest)
            case "explain": return try ExplainCommand.main(arguments: rest)
            case "report": return try ReportCommand.main(arguments: rest)
            case "tipping": return try TippingCommand.main(arguments: rest)
            case "models": return try ModelsCommand.main(arguments: rest)
            case "help", "-h", "--help":
                if let topic = rest.first {
                    switch topic {
                    case "run": Terminal.say(RunCommand.help)
                    case "check": Terminal.say(CheckCommand.help)
                    case "validate": Terminal.say(ValidateCommand.help)
                    case "replicate": Terminal.say(ReplicateCommand.help)
                    case "sweep": Terminal.say(SweepCommand.help)
                    case "compare": Terminal.say(CompareCommand.help)
                    case "merge": Terminal.say(MergeCommand.help)
                    case "diff": Terminal.say(DiffCommand.help)
                    case "explain": Terminal.say(ExplainCommand.help)
                    case "report": Terminal.say(ReportCommand.help)
                    case "tipping": Terminal.say(TippingCommand.help)
                    case "models": Terminal.say(ModelsCommand.help)
                    default: throw UsageError(message: "unknown command '\(topic)'")
                    }
                } else {
                    Terminal.say(overview)
                }
                return .ok
            case "--version":
                Terminal.say("faultline \(RunManifest.engineVersion)")
                return .ok
            default:
                throw UsageError(message: "unknown command '\(command)'; see 'faultline --help'")
            }
        } catch let failure as CommandFailure {
            return failure.status
        } catch let error as UsageError {
            Terminal.complain("faultline: error: \(error.message)")
            return .usage
        } catch {
            Terminal.complain("faultline: internal error: \(error)")
            return .internalError
        }
    }
}

/// Splits `--name value` options from positional arguments.
struct ParsedArguments {
    var positional: [String] = []
    var options: [String: String] = [:]
    /// The values of repeatable options, in command-line order: `["--set": ["run.seed=3", …]]`.
    var repeated: [String: [String]] = [:]
    var wantsHelp = false
    /// The options without a value that were given: `--keep-runs`.
    var flags: Set<String> = []

    /// The `--set PATH=VALUE` overrides, in order.
    ///
    /// - Throws: `UsageError` (64) for a `--set` without `=` or with nothing before it.
    func overrides() throws -> [Override] {
        try Self.overrides(repeated["--set"] ?? [])
    }

    /// `--set` arguments as overrides, in order.
    ///
    /// - Throws: `UsageError` (64) for an argument without `=` or with nothing before it.
    static func overrides(_ arguments: [String]) throws -> [Override] {
        try arguments.map { argument in
            guard let override = Override(argument) else {
                throw UsageError(message: "--set needs PATH=VALUE, such as 'services.web.instances=6', found '\(argument)'")
            }
            return override
        }
    }

    /// Parses arguments, accepting only the given option names (each of which takes a value).
    ///
    /// - Parameters:
    ///   - valueOptions: Options that may be given once.
    ///   - repeatableOptions: Options that may be given any number of times (`--set`).
    ///   - flagOptions: Options without a value (`--keep-runs`).
    ///   - aliases: Short names of options: `["-r": "--replications"]`.
    init(_ arguments: [String], valueOptions: Set<String>, repeatableOptions: Set<String> = [],
         flagOptions: Set<String> = [], aliases: [String: String] = [:]) throws {
        var index = 0
        while index < arguments.count {
            var argument = arguments[index]
            if let long = aliases[argument] { argument = long }
            if argument == "-h" || argument == "--help" {
                wantsHelp = true
            } else if flagOptions.contains(argument) {
                if flags.contains(argument) { throw UsageError(message: "option '\(argument)' given twice") }
                flags.insert(argument)
            } else if argument.hasPrefix("--") {
                var name = argument
                var value: String?
                if let equals = argument.firstIndex(of: "=") {
                    name = String(argument[..<equals])
                    value = String(argument[argument.index(after: equals)...])
                }
                guard valueOptions.contains(name) || repeatableOptions.contains(name) else {
                    throw UsageError(message: "unknown option '\(name)'")
                }
                if value == nil {
                    index += 1
                    guard index < arguments.count else { throw UsageError(message: "option '\(name)' needs a value") }
                    value = arguments[index]
                    if let next = value, next.hasPrefix("--") || next == "-h" {
                        throw UsageError(message: "option '\(name)' needs a value, found the option '\(next)'")
                    }
                }
                if repeatableOptions.contains(name) {
                    repeated[name, default: []].append(value ?? "")
                    index += 1
                    continue
                }
                if options[name] != nil { throw UsageError(message: "option '\(name)' given twice") }
                options[name] = value
            } else {
                positional.append(argument)
            }
            index += 1
        }
    }
}
