/// Where a report goes and how it is written: `report.html` in the run's or the study's folder,
/// to a private name first and renamed when complete (`OutputFile`).
public enum ReportFile {
    /// The report's file name.
    public static let name = "report.html"

    /// Writes a page as `report.html` in a folder.
    ///
    /// - Parameters:
    ///   - html: The page.
    ///   - directory: The run's or study's folder (or its private folder, before it is published).
    /// - Returns: The path written.
    /// - Throws: `OutputError` when the file cannot be written; nothing is left under its name then.
    @discardableResult
    public static func write(_ html: String, into directory: String) throws(OutputError) -> String {
        let path = directory + "/" + name
        try OutputFile.write(html, to: path)
        return path
    }
}
