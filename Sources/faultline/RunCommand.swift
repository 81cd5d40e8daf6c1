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
        let parsed = try ParsedArguments(arguments, valueOptions: PreparedRun.valueOptions)
        if parsed.wantsHelp {
            Terminal.say(help)
            return .ok
        }
        let run = try PreparedRun.prepare(parsed, command: "run")
        return run.execute().status
    }
}
