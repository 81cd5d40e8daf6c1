import FailureChains
import ModelFormat
import Reporting

/// Makes a run's `report.html`: reads the run's files back, lists the model's expectations with
/// how they fared, and writes the page.
public enum RunReportMaker {
    /// Writes `report.html` into a run's folder.
    ///
    /// - Parameters:
    ///   - folder: The folder holding the run's four files (its private folder during a run).
    ///   - model: The model as it ran, or nil when it cannot be had (`modelNote` says why).
    ///   - modelNote: Why the model is missing, for the page.
    ///   - results: How the expectations fared, if known; nil evaluates them from the files.
    ///   - expectations: The model's expectations.
    ///   - narrative: The failure chain in words, for the column beside the panels; nil tells it
    ///     from the folder's events.csv, as `faultline explain` does (`ChainNarrative`).
    /// - Returns: The path written.
    /// - Throws: `OutputError` when the files cannot be read back or the page cannot be written.
    @discardableResult
    public static func write(into folder: String, model: SystemModel?, modelNote: String? = nil, results: [ExpectationResult]?,
                             expectations: [Expectation], narrative: [String]? = nil) throws(OutputError) -> String {
        let contents: RunFolderContents
        do {
            contents = try RunFolderContents.read(folder)
        } catch {
            throw OutputError(.write, path: folder + "/" + ReportFile.name, reason: error.message)
        }
        let complete = contents.manifest["complete"] == "true"
        let evaluated = results ?? (complete ? RunFolderExpectations.evaluate(expectations, contents: contents) : nil)
        let lines: [ReportExpectation]
        if let evaluated {
            lines = evaluated.map { ReportExpectation(text: $0.expectation.text, passed: $0.passed, measured: $0.measured,
                                                      note: $0.measured == nil ? "no data in the window" : "") }
        } else {
            lines = expectations.map { ReportExpectation(text: $0.text, passed: nil, measured: nil, note: "not evaluated: the run was cut short") }
        }
        // The events were read with the other files; the narrative is told from them, as explain tells it.
        let told = narrative ?? ChainNarrative(events: contents.events,
                                               clockStart: contents.manifest["clockStart"].flatMap(ClockTime.parse)).lines()
        let page = RunReportPage.html(RunReportPage.Inputs(contents: contents, model: model, modelNote: modelNote,
                                                           expectations: lines, narrative: told.isEmpty ? nil : told))
        return try ReportFile.write(page, into: folder)
    }
}
