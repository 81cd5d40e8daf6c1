#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// The HTML page of a `faultline tipping` folder: the chart of the vulnerable region (the
/// folder's `tipping.svg`, inline), the threshold of each load (`tipping.csv`) and the probes
/// (`probes.csv`) as tables. One self-contained file, as a run's report.
public enum TippingReportPage {
    /// Reads a tipping folder and writes its `report.html`.
    ///
    /// - Returns: The path written.
    /// - Throws: `ReportError` when the folder's files cannot be read; `OutputError` when the page
    ///   cannot be written.
    public static func write(_ directory: String) throws -> String {
        try ReportFile.write(try html(directory), into: directory)
    }

    /// The page of a tipping folder.
    public static func html(_ directory: String) throws(ReportError) -> String {
        func text(_ name: String) throws(ReportError) -> String {
            guard let data = FileManager.default.contents(atPath: directory + "/" + name), let text = String(data: data, encoding: .utf8) else {
                throw ReportError(message: "\(directory)/\(name): cannot be read")
            }
            return text
        }
        let manifest = ManifestJSON.object(try text("tipping.json")) ?? [:]
        let name = manifest["name"] as? String ?? (manifest["model"] as? String ?? "")
        var chart = try text("tipping.svg")
        if chart.hasPrefix("<?xml"), let end = chart.firstRange(of: "?>") { chart = String(chart[end.upperBound...]) }
        var body: [String] = []
        body.append("<header class=\"run\" data-section=\"header\"><h1>\(HTMLText.escape(name)) — where it tips</h1><div class=\"facts\">"
            + ["load", "trigger", "recovered"].compactMap { key in
                (manifest[key] as? String).map { "<span>\(key) <b>\(HTMLText.escape($0))</b></span>" }
            }.joined() + "</div></header>")
        body.append("<div class=\"layout\"><main class=\"panels\">")
        body.append("<section class=\"panel\" data-panel=\"tipping-chart\"><h2>The vulnerable region</h2>\(chart)</section>")
        body.append(table("tipping-thresholds", "The threshold at each load (tipping.csv)", CSVRows.parse(try text("tipping.csv"))))
        body.append(table("tipping-probes", "Every probe (probes.csv)", CSVRows.parse(try text("probes.csv"))))
        body.append("</main></div>")
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            + "<title>\(HTMLText.escape(name)) tipping — Faultline report</title>\n<style>\n\(ReportStyle.css)\n</style>\n</head>\n"
            + "<body data-report=\"tipping\">\n" + body.joined(separator: "\n")
            + "\n<script>document.body.dataset.script = \"ready\";</script>\n</body>\n</html>\n"
    }

    /// A CSV file's rows as an HTML table, the first row as its header.
    static func table(_ id: String, _ title: String, _ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        let head = "<tr>" + header.map { "<th>\(HTMLText.escape($0))</th>" }.joined() + "</tr>"
        let cells = rows.dropFirst().map { "<tr>" + $0.map { "<td>\(HTMLText.escape($0))</td>" }.joined() + "</tr>" }.joined()
        return "<section class=\"panel\" data-panel=\"\(id)\"><h2>\(HTMLText.escape(title))</h2><table class=\"study\">\(head)\(cells)</table></section>"
    }
}
