import FailureChains
import Foundation
import SimulationKernel

/// Streams a run's observations into `series.csv` and `events.csv`, then writes `summary.csv` and
/// `run.json`, all under temporary names until `commit` renames them together.
public final class CSVRunWriter: ObservationSink {
    /// The output directory.
    public let directory: String
    private let series: OutputFile
    private let events: OutputFile
    private var firstError: OutputError?
    /// Every state change, kept for the terminal timeline (they are few).
    public private(set) var stateChanges: [StateChange] = []

    /// Creates the directory if needed and opens the streamed files.
    ///
    /// - Throws: `OutputError` when the directory or a file cannot be created.
    public init(directory: String) throws(OutputError) {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            let reason = (error as NSError).userInfo[NSUnderlyingErrorKey].map { "\($0)" } ?? error.localizedDescription
            throw OutputError(path: directory, reason: "cannot create the directory (\(reason))")
        }
        series = try OutputFile(path: directory + "/series.csv")
        events = try OutputFile(path: directory + "/events.csv")
        try series.write("time,component,metric,value\n")
        try events.write("time,component,event,detail,cause\n")
    }

    public func intervalEnded(start: Instant, rows: [MetricRow]) {
        let time = start.description
        var text = ""
        for row in rows {
            text += time + "," + CSVText.field(row.component) + "," + row.metric + "," + CSVText.value(row.value) + "\n"
        }
        record { () throws(OutputError) in try series.write(text) }
    }

    public func stateChanged(_ change: StateChange) {
        stateChanges.append(change)
        let line = change.time.description + "," + CSVText.field(change.component) + "," + change.event + ","
            + CSVText.field(change.detail) + "," + CSVText.field(change.cause) + "\n"
        record { () throws(OutputError) in try events.write(line) }
    }

    private func record(_ body: () throws(OutputError) -> Void) {
        guard firstError == nil else { return }
        do { try body() } catch { firstError = error }
    }

    /// Writes `summary.csv` and `run.json`, then renames all four files into place.
    ///
    /// `run.json` is renamed last: its presence marks a complete output directory.
    public func commit(summary: [MetricRow], manifest: RunManifest) throws(OutputError) {
        if let firstError { throw firstError }
        let summaryFile = try OutputFile(path: directory + "/summary.csv")
        var text = "component,metric,value\n"
        for row in summary {
            text += CSVText.field(row.component) + "," + row.metric + "," + CSVText.value(row.value) + "\n"
        }
        try summaryFile.write(text)
        let manifestFile = try OutputFile(path: directory + "/run.json")
        try manifestFile.write(manifest.json)
        // An older run.json goes first, so that no moment shows new files beside an old manifest.
        unlink(directory + "/run.json")
        try series.commit()
        try events.commit()
        try summaryFile.commit()
        try manifestFile.commit()
    }

    /// Removes the partial files of a run that will not complete.
    public func discard() {
        series.discard()
        events.discard()
    }
}
