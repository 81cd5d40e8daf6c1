import FailureChains
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import ModelFormat
import SimulationKernel

/// A run's output folder read back: its state changes (`events.csv`) and its story clock
/// (`run.json`), for `faultline explain` and the report.
public struct RunFolder: Sendable {
    /// The model's name, from `run.json`.
    public var model: String
    /// `run.clockStart`, from `run.json`; nil when the model has none.
    public var clockStart: Interval?
    /// The rows of `events.csv`, in order.
    public var events: [StateChange]

    /// A folder that cannot be read as a run's output: which file, and why.
    public struct ReadError: Error, CustomStringConvertible, Equatable {
        /// The file concerned.
        public var path: String
        /// Why, as a phrase.
        public var reason: String
        /// `out/airline/events.csv: line 3: expected 5 fields, found 4`.
        public var description: String { "\(path): \(reason)" }

        /// Creates an error.
        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    /// Reads a run's folder.
    ///
    /// - Parameter path: The folder `faultline run` wrote.
    /// - Throws: `ReadError` when `events.csv` or `run.json` is missing or malformed.
    public init(path: String) throws(ReadError) {
        let manifestPath = path + "/run.json"
        let eventsPath = path + "/events.csv"
        let manifest = try Self.contents(manifestPath)
        guard let object = ManifestJSON.object(manifest) else {
            throw ReadError(path: manifestPath, reason: "not a run's run.json (expected a JSON object)")
        }
        model = object["model"] as? String ?? ""
        if let text = object["clockStart"] as? String {
            guard let time = ClockTime.parse(text) else {
                throw ReadError(path: manifestPath, reason: "clockStart: expected \"HH:MM\" or \"HH:MM:SS\", found \"\(text)\"")
            }
            clockStart = time
        }
        events = try Self.events(csv: try Self.contents(eventsPath), path: eventsPath)
    }

    private static func contents(_ path: String) throws(ReadError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(path: path, reason: FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file (is this a run's output folder?)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ReadError(path: path, reason: "not UTF-8 text") }
        return text
    }

    /// The rows of an `events.csv` text.
    ///
    /// - Parameters:
    ///   - csv: The file's text, header included.
    ///   - path: The file's path, for errors.
    /// - Throws: `ReadError` for a wrong header, a row without five fields or a time that is not
    ///   seconds with up to nine decimals.
    public static func events(csv: String, path: String = "events.csv") throws(ReadError) -> [StateChange] {
        var rows = CSVRowIterator(csv)
        guard let header = rows.next(), header == ["time", "component", "event", "detail", "cause"] else {
            throw ReadError(path: path, reason: "line 1: expected the header time,component,event,detail,cause")
        }
        var changes: [StateChange] = []
        var line = 1
        while let fields = rows.next() {
            line += 1
            if fields == [""] { continue }
            guard fields.count == 5 else { throw ReadError(path: path, reason: "line \(line): expected 5 fields, found \(fields.count)") }
            guard let time = nanoseconds(fields[0]) else {
                throw ReadError(path: path, reason: "line \(line): expected a time in seconds, found \"\(fields[0])\"")
            }
            changes.append(StateChange(time: Instant(nanoseconds: time), component: fields[1], event: fields[2], detail: EventText(fields[3]), cause: EventText(fields[4])))
        }
        return changes
    }

    /// Seconds written with up to nine decimals (`12241.617031542`), as exact nanoseconds.
    static func nanoseconds(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int64(parts[0]), whole >= 0, whole < Int64.max / 1_000_000_000 else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard !digits.isEmpty, digits.count <= 9, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let value = Int64(digits) else { return nil }
            fraction = value
            for _ in digits.count..<9 { fraction *= 10 }
        }
        return whole * 1_000_000_000 + fraction
    }
}

/// The records of a CSV text: fields split at commas, quoted fields with doubled quotes inside.
struct CSVRowIterator: IteratorProtocol {
    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    mutating func next() -> [String]? {
        guard position < scalars.count else { return nil }
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var isQuoted = false
        while position < scalars.count {
            let scalar = scalars[position]
            position += 1
            if isQuoted {
                if scalar == "\"" {
                    if position < scalars.count && scalars[position] == "\"" {
                        field.append("\"")
                        position += 1
                    } else {
                        isQuoted = false
                    }
                } else {
                    field.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"": isQuoted = true
            case ",":
                fields.append(String(field))
                field = String.UnicodeScalarView()
            case "\n":
                fields.append(String(field))
                return fields
            case "\r": continue
            default: field.append(scalar)
            }
        }
        fields.append(String(field))
        return fields
    }
}
