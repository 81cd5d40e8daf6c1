import Reporting

/// `faultline explain`: a run's failure chains told in words, from its `events.csv`.
enum ExplainCommand {
    static let help = """
        USAGE: faultline explain OUT_DIR [--all]

        Tells the failure chains of the run whose files are in OUT_DIR (what 'run' wrote): from
        each trigger (a fault, a change of traffic, a state with no earlier cause) to its
        consequences, followed through the 'cause' column of events.csv, with how long each
        state lasted and its worst value. Instances that share a state are told together:
          02:24 cf[0..3] pool db exhausted (0 in use, 40 leaked) for 1h04m to 1h50m, until restarted
            ← cf[0..3] 160 connections to db leaked since 00:20 ← ... ← oracle failover at 00:20
        Times read as the model's run.clockStart says (time of day), else as time since the
        start. Without --all, triggers that led to nothing but themselves (other than faults)
        are left out. See docs/explain.md.

        EXIT CODES: 0 ok, 64 usage, 65 events.csv or run.json malformed, 66 not a run's folder.
        """

    static func main(arguments: [String]) throws -> ExitStatus {
        let parsed = try ParsedArguments(arguments, valueOptions: [], flagOptions: ["--all"])
        if parsed.wantsHelp {
            Terminal.say(help)
            return .ok
        }
        guard parsed.positional.count == 1, let path = parsed.positional.first else {
            throw UsageError(message: "explain needs one run's output folder, such as out/airline; see 'faultline explain --help'")
        }
        let folder: RunFolder
        do {
            folder = try RunFolder(path: path)
        } catch {
            Terminal.complain("faultline: error: \(error)")
            return error.reason.hasPrefix("no such file") || error.reason == "cannot be read" ? .noInput : .badModel
        }
        let narrative = ChainNarrative(events: folder.events, clockStart: folder.clockStart)
        let lines = narrative.lines(includingLoneTriggers: parsed.flags.contains("--all"))
        let clock = folder.clockStart.map { "times of day from \(StoryClock.timeOfDay($0)) (run.clockStart)" } ?? "times since the start of the run"
        Terminal.say("\(folder.model): \(narrative.chains.count) trigger\(narrative.chains.count == 1 ? "" : "s") in \(folder.events.count) state changes; \(clock)")
        for line in lines { Terminal.say(line) }
        return .ok
    }
}
