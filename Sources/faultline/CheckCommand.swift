import Experiments
import Reporting
import SimulationKernel

/// `faultline check`: runs one model, writes its output files, and evaluates the model's
/// expectations; exits 1 when one fails.
enum CheckCommand {
    static let help = """
        USAGE: faultline check MODEL [--seed N] [--out DIR] [--duration T] [--set PATH=VALUE]... [--junit FILE] [--report] [--variant NAME]

        Runs MODEL as 'faultline run' does, writing series.csv, events.csv, summary.csv and run.json
        into DIR (default: out/<model name>/), then evaluates the expectations of its 'expect' list
        (a variant's own, with --variant) and prints one line for each:
          ✓ web latencyP99 below 2s (measured 0.412)
          ✗ models/x.json5:40:5: expectation failed: cf instanceCrashed count == 0 (measured 2)
        and a closing line 'N passed, M failed'. A model without expectations is run and reported,
        and checks as passing. See docs/expectations.md.

        OPTIONS:
        \(PreparedRun.optionsHelp)
          --junit FILE   Also write the results as JUnit XML, one test case per expectation
                         with its measured value, for a CI system to show
          -h, --help     Show this help

        EXIT CODES: 0 every expectation holds, 1 at least one failed, 64 usage (a --set without
        '=' too), 65 invalid model or override, or a run stopped by a limit (expectations not
        evaluated), 66 model file unreadable, 70 internal error, 73 output cannot be created,
        74 output cannot be written, 130/143 interrupted by SIGINT/SIGTERM.
        """

    static func main(arguments: [String]) throws -> ExitStatus {
        let parsed = try ParsedArguments(arguments, valueOptions: PreparedRun.valueOptions.union(["--junit"]),
                                     repeatableOptions: PreparedRun.repeatableOptions, flagOptions: PreparedRun.flagOptions)
        if parsed.wantsHelp {
            Terminal.say(help)
            return .ok
        }
        let junit = parsed.options["--junit"]
        if junit?.isEmpty == true { throw UsageError(message: "--junit needs a file name, found an empty name") }
        let run: PreparedRun
        do {
            run = try PreparedRun.prepare(parsed, command: "check")
        } catch let failure as CommandFailure {
            if let junit, let path = parsed.positional.first {
                let sets = (parsed.options["--variant"].map { " --variant \($0)" } ?? "") + (parsed.repeated["--set"] ?? []).map { " --set \"\($0)\"" }.joined()
                let reason = failure.status == .noInput ? "the model file cannot be read" : "the model is invalid; see the problems printed by 'faultline validate \(path)\(sets)'"
                let report = JUnitReport(suite: path, file: path, properties: [], cases: [
                    JUnitReport.Case(name: "the model is valid", location: "", verdict: .error, measured: nil, message: reason),
                ])
                return Self.write(report, to: junit) ?? failure.status
            }
            throw failure
        }
        let (outcome, status) = run.execute(checksExpectations: true)
        guard status == .ok, let outcome else {
            if run.writesReport, outcome != nil { Terminal.say("wrote \(run.directory)/\(ReportFile.name)") }
            if let junit {
                let why = outcome.map { outcome in
                    outcome.manifest.stoppedBy.map { "the run was cut short by \($0), so the expectation was not evaluated" }
                        ?? "the run was interrupted, so the expectation was not evaluated"
                } ?? "the run's files could not be written, so the expectation was not evaluated"
                let cases = run.model.expectations.map {
                    JUnitReport.Case(name: $0.text, location: $0.location, verdict: .error, measured: nil, message: why)
                }
                return Self.write(Self.report(run, outcome, cases), to: junit) ?? status
            }
            return status
        }
        let results = outcome.expectationResults
        if run.model.expectations.isEmpty {
            Terminal.say("\(run.path): no expectations to check (add an 'expect' list to the model)")
        }
        for result in results {
            Terminal.say((result.passed ? "✓ " : "✗ ") + result.message)
        }
        let failed = results.count { !$0.passed }
        if !results.isEmpty { Terminal.say("\(results.count - failed) passed, \(failed) failed") }
        if run.writesReport { Terminal.say("wrote \(run.directory)/\(ReportFile.name)") }
        if let junit {
            let cases = results.map { result in
                JUnitReport.Case(name: result.expectation.text, location: result.expectation.location,
                                 verdict: result.passed ? .passed : .failed, measured: result.measured, message: result.message)
            }
            if let writeFailure = Self.write(Self.report(run, outcome, cases), to: junit) { return writeFailure }
        }
        return failed == 0 ? .ok : .expectationsFailed
    }

    /// The JUnit report of a run.
    static func report(_ run: PreparedRun, _ outcome: SingleRun.Outcome?, _ cases: [JUnitReport.Case]) -> JUnitReport {
        var properties: [(name: String, value: String)] = [("model", run.model.name), ("seed", "\(run.model.run.seed)")]
        if let manifest = outcome?.manifest {
            properties += [("fingerprint", manifest.fingerprint), ("complete", "\(manifest.isComplete)"),
                           ("output", run.directory)]
        }
        return JUnitReport(suite: run.model.name, file: run.path, properties: properties, cases: cases)
    }

    /// Writes the JUnit file; returns the exit status of a failure to write it, after saying so.
    static func write(_ report: JUnitReport, to path: String) -> ExitStatus? {
        do {
            try OutputFile.write(report.xml, to: path, createsFolders: true)
            return nil
        } catch {
            Terminal.complain("faultline: error: \(error)")
            return ExitStatus(error)
        }
    }
}
