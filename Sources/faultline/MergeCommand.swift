import Experiments
import Reporting

/// `faultline merge`: joins the shard folders of one study into the study's folder.
enum MergeCommand {
    static let help = """
        USAGE: faultline merge SHARD_DIR... [--out DIR]

        Joins the folders written by 'replicate', 'sweep' or 'compare' with --shard K/N into one
        study folder with the same study.csv, replications.csv, comparison.csv and study.json,
        byte for byte, as the study run in one process. Every shard 0/N to N-1/N must be given
        once, all of one study (the same study.json); a missing, duplicate, mismatched or damaged
        shard is named and nothing is written. See docs/scale-out.md.

        OPTIONS:
          --out DIR      Output folder (default: out/<model name>-<command>)
          -h, --help     Show this help

        EXIT CODES: 0 ok, 64 usage, 65 the shards do not make one whole study, 73/74 output
        cannot be created/written.
        """

    static func main(arguments: [String]) throws -> ExitStatus {
        let parsed = try ParsedArguments(arguments, valueOptions: ["--out"])
        if parsed.wantsHelp {
            Terminal.say(help)
            return .ok
        }
        guard !parsed.positional.isEmpty else { throw UsageError(message: "merge needs the shard folders; see 'faultline merge --help'") }
        let merged: StudyArchive.Merged
        do {
            merged = try StudyArchive.merge(parsed.positional)
        } catch {
            for problem in error.problems { Terminal.complain("faultline: error: \(problem)") }
            Terminal.complain("faultline: the shards do not make one whole study; nothing was written")
            return .badModel
        }
        let directory = parsed.options["--out"] ?? "out/\(StudyArchive.name(merged.manifest) ?? "study")-\(merged.layout.kind.rawValue)"
        if directory.isEmpty { throw UsageError(message: "--out needs a folder, found an empty name") }
        do {
            try StudyFolder.write(to: directory) { _ in StudyFiles.complete(merged.layout, merged.records, manifest: merged.manifest) }
        } catch let error as OutputError {
            Terminal.complain("faultline: error: \(error)")
            return ExitStatus(error)
        }
        Terminal.say(StudyReportText.text(merged.layout, merged.records))
        Terminal.say("merged \(parsed.positional.count) shards into \(directory)")
        return .ok
    }
}
