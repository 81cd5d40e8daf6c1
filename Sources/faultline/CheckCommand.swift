import Experiments
import SimulationKernel

/// `faultline check`: runs one model, writes its output files, and evaluates the model's
/// expectations; exits 1 when one fails.
enum CheckCommand {
    static let help = """
        USAGE: faultline check MODEL [--seed N] [--out DIR] [--duration T]

        Runs MODEL as 'faultline run' does, writing series.csv, events.csv, summary.csv and run.json
        into DIR (default: out/<model name>/), then evaluates the expectations of its 'expect' list
        and prints one line for each:
          ✓ web latencyP99 below 2s (measured 0.412)
          ✗ models/x.json5:40:5: expectation failed: cf instanceCrashed count == 0 (measured 2)
        and a closing line 'N passed, M failed'. A model without expectations is run and reported,
        and checks as passing. See docs/expectations.md.

        OPTIONS:
          --seed N       Seed of the run (default: the model's run.seed)
          --out DIR      Output directory (default: out/<model name>)
          --duration T   Simulated time to run, such as "10m" (default: the model's run.duration)
          -h, --help     Show this help

        EXIT CODES: 0 every expectation holds, 1 at least one failed, 64 usage, 65 invalid model
        or a run stopped by its event limit (expectations not evaluated), 70 internal error.
        """

    static func main(arguments: [String]) throws -> ExitStatus {
        let parsed = try ParsedArguments(arguments, valueOptions: PreparedRun.valueOptions)
        if parsed.wantsHelp {
            Terminal.say(help)
            return .ok
        }
        let run = try PreparedRun.prepare(parsed, command: "check")
        let (outcome, status) = run.execute(checksExpectations: true)
        guard status == .ok, let outcome else { return status }
        if run.model.expectations.isEmpty {
            Terminal.say("\(run.path): no expectations to check (add an 'expect' list to the model)")
            return .ok
        }
        let results = outcome.expectationResults
        for result in results {
            Terminal.say((result.passed ? "✓ " : "✗ ") + result.message)
        }
        let failed = results.count { !$0.passed }
        Terminal.say("\(results.count - failed) passed, \(failed) failed")
        return failed == 0 ? .ok : .expectationsFailed
    }
}
