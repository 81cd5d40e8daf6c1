import FailureChains
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import SimulationKernel

/// Streams a run's observations into `series.csv` and `events.csv`, then writes `summary.csv` and
/// `run.json`, all into a private folder that `commit` puts in place of the output folder as a whole.
public final class CSVRunWriter: ObservationSink {
    /// The output folder, as given.
    public var directory: String { folder.target }
    private let folder: RunDirectory
    private let series: OutputFile
    private let events: OutputFile
    private var firstError: OutputError?
    /// Every state change, kept for the terminal timeline (they are few).
    public private(set) var stateChanges: [StateChange] = []

    /// Checks the output folder, makes the run's private folder beside it and opens the streamed
    /// files there.
    ///
    /// - Throws: `OutputError` when the folder or a file cannot be created, or when `directory` is a
    ///   file or a folder of other files (see `RunDirectory`).
    public init(directory: String) throws(OutputError) {
        let folder = try RunDirectory(target: directory)
        self.folder = folder
        do {
            series = try OutputFile(path: folder.path(of: "series.csv"))
            events = try OutputFile(path: folder.path(of: "events.csv"))
            try series.write("time,component,metric,value\n")
            try events.write("time,component,event,detail,cause\n")
        } catch {
            folder.abandon()
            throw folder.naming(error)
        }
    }

    public func intervalEnded(start: Instant, rows: [MetricRow]) {
        // Bytes appended in place: a farm's interval has hundreds of thousands of rows, and a string
        // made for each field and row cost more than the run.
        let time = Array(start.description.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(rows.count * (time.count + 32))
        for row in rows {
            bytes.append(contentsOf: time)
            bytes.append(UInt8(ascii: ","))
            CSVText.appendMetricRow(row, to: &bytes)
        }
        record { () throws(OutputError) in try series.write(bytes: bytes) }
    }

    public func stateChanged(_ change: StateChange) {
        stateChanges.append(change)
        let line = change.time.description + "," + CSVText.field(change.component) + "," + change.event + ","
            + CSVText.field(change.detail.text) + "," + CSVText.field(change.cause.text) + "\n"
        record { () throws(OutputError) in try events.write(line) }
    }

    private func record(_ body: () throws(OutputError) -> Void) {
        guard firstError == nil else { return }
        do { try body() } catch { firstError = error }
    }

    /// Writes `summary.csv` and `run.json`, forces all four files to the disk, and publishes the
    /// run's folder in place of the output folder, as a whole.
    ///
    /// - Parameters:
    ///   - summary: The rows of `summary.csv`.
    ///   - manifest: What `run.json` says.
    ///   - beforePublishing: Called with the private folder's path once the four files are in it,
    ///     to add more (`report.html`) before the folder is published.
    public func commit(summary: [MetricRow], manifest: RunManifest,
                       beforePublishing: ((String) throws(OutputError) -> Void)? = nil) throws(OutputError) {
        do {
            try writeAndPublish(summary: summary, manifest: manifest, beforePublishing: beforePublishing)
        } catch {
            throw folder.naming(error)
        }
    }

    private func writeAndPublish(summary: [MetricRow], manifest: RunManifest,
                                 beforePublishing: ((String) throws(OutputError) -> Void)?) throws(OutputError) {
        if let firstError { throw firstError }
        var bytes = Array("component,metric,value\n".utf8)
        bytes.reserveCapacity(summary.count * 40)
        for row in summary {
            CSVText.appendMetricRow(row, to: &bytes)
        }
        try series.commit()
        try events.commit()
        try OutputFile.write(bytes: bytes, to: folder.path(of: "summary.csv"))
        try OutputFile.write(manifest.json, to: folder.path(of: "run.json"))
        try beforePublishing?(folder.privatePath)
        try folder.publish()
    }

    /// Removes the run's private folder; the output folder is left as it was.
    public func discard() {
        series.discard()
        events.discard()
        folder.abandon()
    }
}
