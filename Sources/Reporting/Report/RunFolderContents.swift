import FailureChains
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import SimulationKernel

/// A run's output folder read back: `run.json`, `series.csv`, `events.csv` and `summary.csv`, as
/// the report draws them.
public struct RunFolderContents: Sendable {
    /// One series: a component's metric over the run, one point per interval that has a row.
    public struct Series: Sendable {
        /// The start of each interval with a row, in nanoseconds from the start of the run.
        public var times: [Int64] = []
        /// The row's value for each of those intervals.
        public var values: [Double] = []
    }

    /// The folder, as given.
    public var directory: String
    /// `run.json`'s keys and their values as text (numbers as written, `true`/`false`); lists are
    /// left out (`overrides` has its own).
    public var manifest: [String: String]
    /// `run.json`'s `overrides`.
    public var overrides: [String] = []
    /// Each (component, metric) of `series.csv`, keyed `component` + "\u{1}" + `metric`.
    public var series: [String: Series]
    /// The components of `series.csv`, in order of first appearance.
    public var components: [String]
    /// The rows of `events.csv`, in order.
    public var events: [StateChange]
    /// The rows of `summary.csv`, in order.
    public var summary: [MetricRow]
    /// The length of one series interval, in nanoseconds (the smallest step between two rows).
    public var interval: Int64
    /// The end of the run, in nanoseconds (`run.json`'s `endTime`).
    public var endTime: Int64

    /// The model's name, from `run.json`.
    public var modelName: String { manifest["model"] ?? "" }

    /// The series of a component's metric, if `series.csv` has it.
    public func series(_ component: String, _ metric: String) -> Series? {
        series[component + "\u{1}" + metric]
    }

    /// The summary value of a component's metric, if `summary.csv` has it.
    public func summaryValue(_ component: String, _ metric: String) -> Double? {
        summary.first { $0.component == component && $0.metric == metric }?.value.doubleValue
    }

    /// Reads a run's folder.
    ///
    /// - Parameter directory: The folder `faultline run` wrote.
    /// - Throws: `ReportError` when a file is missing or cannot be read.
    public static func read(_ directory: String) throws(ReportError) -> RunFolderContents {
        func text(_ name: String) throws(ReportError) -> String {
            guard let data = FileManager.default.contents(atPath: directory + "/" + name),
                  let text = String(data: data, encoding: .utf8) else {
                throw ReportError(message: "\(directory)/\(name): cannot be read; is \(directory) a run's folder (written by 'faultline run')?")
            }
            return text
        }
        let manifestText = try text("run.json")
        guard let object = ManifestJSON.object(manifestText) else {
            throw ReportError(message: "\(directory)/run.json: is not a JSON object")
        }
        var manifest: [String: String] = [:]
        var overrides: [String] = []
        for (key, value) in object {
            switch value {
            case let text as String: manifest[key] = text
            case let flag as Bool where key == "complete": manifest[key] = flag ? "true" : "false"
            case let flag as Bool: manifest[key] = flag ? "1" : "0"
            case let number as ManifestNumber: manifest[key] = number.description
            case let list as [Any] where key == "overrides": overrides = list.compactMap { $0 as? String }
            default: break
            }
        }
        var contents = RunFolderContents(directory: directory, manifest: manifest, series: [:], components: [], events: [],
                                         summary: [], interval: 0, endTime: 0)
        contents.overrides = overrides
        contents.endTime = Self.endTime(manifestText) ?? 0
        var seen: Set<String> = []
        var previousTime: Int64 = -1
        var smallestStep = Int64.max
        for (index, row) in CSVRows.parse(try text("series.csv")).enumerated() where index > 0 {
            guard row.count == 4, let time = Self.nanoseconds(row[0]), let value = Double(row[3]) else {
                throw ReportError(message: "\(directory)/series.csv:\(index + 1): not a row of time,component,metric,value")
            }
            if time > previousTime {
                if previousTime >= 0 { smallestStep = min(smallestStep, time - previousTime) }
                previousTime = time
            }
            if seen.insert(row[1]).inserted { contents.components.append(row[1]) }
            let key = row[1] + "\u{1}" + row[2]
            contents.series[key, default: Series()].times.append(time)
            contents.series[key, default: Series()].values.append(value)
        }
        contents.interval = smallestStep == .max ? max(contents.endTime, 1) : smallestStep
        for (index, row) in CSVRows.parse(try text("events.csv")).enumerated() where index > 0 {
            guard row.count == 5, let time = Self.nanoseconds(row[0]) else {
                throw ReportError(message: "\(directory)/events.csv:\(index + 1): not a row of time,component,event,detail,cause")
            }
            contents.events.append(StateChange(time: Instant(nanoseconds: time), component: row[1], event: row[2], detail: EventText(row[3]), cause: EventText(row[4])))
        }
        for (index, row) in CSVRows.parse(try text("summary.csv")).enumerated() where index > 0 {
            guard row.count == 3, let value = Double(row[2]) else {
                throw ReportError(message: "\(directory)/summary.csv:\(index + 1): not a row of component,metric,value")
            }
            let isCount = !row[2].contains(".") && !row[2].contains("e") && Int64(row[2]) != nil
            contents.summary.append(MetricRow(component: row[0], metric: row[1], value: isCount ? .count(Int64(row[2])!) : .real(value)))
        }
        return contents
    }

    /// `endTime` as `run.json` writes it, read from the text so no digit is lost to a double.
    static func endTime(_ text: String) -> Int64? {
        guard let key = text.firstRange(of: "\"endTime\":") else { return nil }
        let rest = text[key.upperBound...].drop { $0 == " " }
        return nanoseconds(String(rest.prefix { $0.isNumber || $0 == "." }))
    }

    /// Seconds written with up to nine decimals (`4800.000000000`) as nanoseconds, exactly.
    public static func nanoseconds(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int64(parts[0]), whole >= 0 else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            fraction = (Int64(digits) ?? 0) * Int64(pow(10, Double(9 - digits.count)))
        }
        let (product, overflow) = whole.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? nil : product + fraction
    }
}

/// A report that cannot be made: what is missing or wrong, in words a user reads.
public struct ReportError: Error, CustomStringConvertible, Sendable {
    /// The message: `out/x/run.json: cannot be read; ...`.
    public var message: String

    /// Creates an error.
    public init(message: String) { self.message = message }

    public var description: String { message }
}
