import Experiments
import FailureChains
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import ModelFormat
import Reporting
import SimulationKernel

/// `faultline report`: writes `report.html` into a run's or a study's folder.
enum ReportCommand {
    static let help = """
        USAGE: faultline report DIR [--model FILE]

        Writes DIR/report.html, one self-contained page (inline SVG, CSS and script; nothing is
        loaded from elsewhere) that can be opened from disk or from a CI artefact:
          - for a run's folder (run.json): the header with every expectation, the topology, and
            per component panels on one time axis, fault windows shaded, events marked with their
            causes;
          - for a study's folder (study.json): for 'sweep', each metric against its parameter with
            its confidence interval; for 'compare', the paired differences with their intervals;
            for 'replicate', the intervals;
          - for a tipping map's folder (tipping.json): the chart of the vulnerable region and the
            thresholds and probes as tables.
        The topology and the limits come from the model file: FILE, or the 'modelFile' run.json
        names, or models/<model name>.json5; it is reloaded with the run's overrides and used
        only if its hash is the one in run.json; otherwise the report says so and draws the
        components the CSV files name. The page replaces DIR/report.html as a whole.
        See docs/report.md.

        OPTIONS:
          --model FILE   The model file the run was made from
          -h, --help     Show this help

        EXIT CODES: 0 ok, 64 usage, 66 DIR is not a run's or a study's folder, 73/74 the page
        cannot be created/written.
        """

    static func main(arguments: [String]) throws -> ExitStatus {
        let parsed = try ParsedArguments(arguments, valueOptions: ["--model"])
        if parsed.wantsHelp {
            Terminal.say(help)
            return .ok
        }
        guard parsed.positional.count == 1, var directory = parsed.positional.first else {
            throw UsageError(message: parsed.positional.isEmpty ? "report needs a run's or a study's folder; see 'faultline report --help'"
                                                                : "report takes one folder, found \(parsed.positional.count)")
        }
        while directory.count > 1 && directory.hasSuffix("/") { directory.removeLast() }
        let fileManager = FileManager.default
        do {
            let path: String
            if fileManager.fileExists(atPath: directory + "/tipping.json") {
                path = try TippingReportPage.write(directory)
            } else if fileManager.fileExists(atPath: directory + "/study.json") {
                path = try StudyReportPage.write(directory)
            } else if fileManager.fileExists(atPath: directory + "/run.json") {
                path = try runReport(directory, modelOption: parsed.options["--model"])
            } else {
                Terminal.complain("faultline: error: \(directory): not a run's folder (no run.json), a study's (no study.json) nor a tipping map's (no tipping.json)")
                return .noInput
            }
            Terminal.say("wrote \(path)")
            return .ok
        } catch let error as ReportError {
            Terminal.complain("faultline: error: \(error.message)")
            return .noInput
        } catch let error as OutputError {
            Terminal.complain("faultline: error: \(error)")
            return ExitStatus(error)
        }
    }

    /// Writes a run's report, with its model when it can be had as it ran.
    static func runReport(_ directory: String, modelOption: String?) throws -> String {
        let contents = try RunFolderContents.read(directory)
        let (model, note) = model(for: contents, option: modelOption)
        return try RunReportMaker.write(into: directory, model: model, modelNote: note, results: nil,
                                        expectations: model?.expectations ?? [])
    }

    /// The run's model, reloaded with its overrides, or nil and why not.
    static func model(for contents: RunFolderContents, option: String?) -> (SystemModel?, String?) {
        let fallback = "the topology is drawn from the components the CSV files name, without the model's limits"
        let named = option ?? contents.manifest["modelFile"]
        let candidate = named ?? "models/\(contents.modelName).json5"
        guard FileManager.default.fileExists(atPath: candidate) else {
            if let named { return (nil, "The model file \(named) is gone; \(fallback).") }
            return (nil, "run.json does not name its model file and \(candidate) does not exist (give it with --model FILE); \(fallback); the expectations are not listed.")
        }
        var overrides: [Override] = []
        for argument in contents.overrides {
            guard let override = Override(argument) else { return (nil, "run.json's override '\(argument)' cannot be read; \(fallback).") }
            overrides.append(override)
        }
        let loaded: LoadedModel
        do {
            loaded = try ModelLoader.load(path: candidate, variant: contents.manifest["variant"], overrides: overrides)
        } catch {
            return (nil, "The model file \(candidate) no longer loads (\(error.errors.first?.description ?? "invalid")); \(fallback).")
        }
        let recorded = contents.manifest["modelHash"] ?? ""
        guard loaded.fileHash.hexadecimalDigits == recorded else {
            return (nil, "The model file \(candidate) has changed since the run (its hash is \(loaded.fileHash.hexadecimalDigits), run.json says \(recorded)); \(fallback); the expectations are not listed.")
        }
        var model = loaded.model
        if let seed = contents.manifest["seed"].flatMap(UInt64.init) { model.run.seed = seed }
        if let duration = contents.manifest["duration"].flatMap(RunFolderContents.nanoseconds) { model.run.duration = Interval(nanoseconds: duration) }
        return (model, nil)
    }
}
