/// `faultline run`: runs one model and writes its output files.
enum RunCommand {
    static let help = """
        USAGE: faultline run MODEL [--seed N] [--out DIR] [--duration T] [--set PATH=VALUE]... [--report] [--variant NAME]

        Runs MODEL and writes series.csv, events.csv, summary.csv and run.json into DIR
        (default: out/<model name>/; for a variant, out/<model>-<variant>/). The files are written into a private folder beside DIR and
        put in place of DIR as a whole when the run ends, so DIR always holds one run's complete
        files; DIR must be new, empty or an earlier run's folder. The same model and seed give
        byte-identical files. Ctrl-C (SIGINT) or SIGTERM stops the run at its next event and
        writes what it has, marked "complete": false in run.json; a second signal ends it at once.

        OPTIONS:
        \(PreparedRun.optionsHelp)
          -h, --help     Show this help

        EXIT CODES: 0 ok, 64 usage (a --set without '=' too), 65 invalid model or override, or a
        run stopped by a limit of run (its files are written, marked incomplete), 66 model file
        unreadable, 70 internal error, 73 output cannot be created, 74 output cannot be written
        (a full disk), 130/143 interrupted by SIGINT/SIGTERM.
        """

    static func main(arguments: [String]) throws -> ExitStatus {
        let parsed = try ParsedArguments(arguments, valueOptions: PreparedRun.valueOptions,
                                     repeatableOptions: PreparedRun.repeatableOptions, flagOptions: PreparedRun.flagOptions)
        if parsed.wantsHelp {
            Terminal.say(help)
            return .ok
        }
        let run = try PreparedRun.prepare(parsed, command: "run")
        return run.execute().status
    }
}
