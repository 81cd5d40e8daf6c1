#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// The HTML page of a study's report: for `sweep`, each measure against the parameter with its
/// confidence intervals; for `compare`, the paired differences with their intervals; for
/// `replicate`, the intervals as a table. One self-contained file, as a run's report.
public enum StudyReportPage {
    /// At most this many charts; the rest is left to the CSV files, and the page says so.
    static let chartLimit = 60

    /// Reads a study's folder and writes its `report.html`.
    ///
    /// - Returns: The path written.
    /// - Throws: `ReportError` when the folder's files cannot be read; `OutputError` when the page
    ///   cannot be written.
    public static func write(_ directory: String) throws -> String {
        try ReportFile.write(try html(directory), into: directory)
    }

    /// The page of a study's folder.
    public static func html(_ directory: String) throws(ReportError) -> String {
        guard let data = FileManager.default.contents(atPath: directory + "/study.json"),
              let manifest = ManifestJSON.object(bytes: Array(data)) else {
            throw ReportError(message: "\(directory)/study.json: cannot be read")
        }
        let kind = manifest["study"] as? String ?? ""
        let name = manifest["name"] as? String ?? ""
        let parameters = manifest["parameters"] as? [String] ?? []
        var body: [String] = []
        var facts = ["study <b>\(HTMLText.escape(kind))</b>", "model <b>\(HTMLText.escape(manifest["model"] as? String ?? ""))</b>",
                     "<b>\(manifest["replications"].map { "\($0)" } ?? "?")</b> replications a point",
                     "confidence level <b>\(manifest["level"].map { "\($0)" } ?? "?")</b>"]
        if !parameters.isEmpty { facts.append("parameters <b>\(HTMLText.escape(parameters.joined(separator: ", ")))</b>") }
        body.append("<header class=\"run\" data-section=\"header\"><h1>\(HTMLText.escape(name)) — \(HTMLText.escape(kind))</h1><div class=\"facts\">"
            + facts.map { "<span>\($0)</span>" }.joined() + "</div></header>")
        body.append("<div class=\"layout\"><main class=\"panels\">")
        let study = try StudyTable(directory + "/study.csv")
        switch kind {
        case "sweep": body.append(StudyCharts.sweep(study, parameters: parameters))
        case "compare": body.append(StudyCharts.compare(try StudyTable(directory + "/comparison.csv")))
        default: body.append(StudyCharts.table(study))
        }
        body.append("</main></div>")
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            + "<title>\(HTMLText.escape(name)) \(HTMLText.escape(kind)) — Faultline report</title>\n<style>\n\(ReportStyle.css)\n</style>\n</head>\n"
            + "<body data-report=\"\(HTMLText.escape(kind))\">\n" + body.joined(separator: "\n")
            + "\n<script>document.body.dataset.script = \"ready\";</script>\n</body>\n</html>\n"
    }
}
