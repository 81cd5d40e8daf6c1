import FailureChains
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import ModelFormat
import SimulationKernel

/// Why two runs cannot be compared: a folder or file that cannot be read (66), a `run.json` that
/// is not one (65), or a model file that changed since the run (65).
public struct RunDiffProblem: Error, Sendable, CustomStringConvertible {
    /// What kind of problem it is, which decides the exit status.
    public enum Kind: Sendable {
        /// A folder, `run.json`, CSV or model file is missing or cannot be read.
        case unreadable
        /// A file holds something else than Faultline wrote.
        case malformed
        /// The model file's bytes are not those the run was made from.
        case modelChanged
    }

    /// What kind of problem it is.
    public var kind: Kind
    /// The message, starting with the file it is about.
    public var message: String

    /// Creates a problem.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

/// What `run.json` says about a run, as `faultline diff` reads it.
public struct RunRecord: Sendable {
    /// The run's output folder.
    public var folder: String
    /// The model's name.
    public var model: String
    /// The model file as the run was given it; nil when the run did not come from a file.
    public var modelFile: String?
    /// FNV-1a-64 of the model file's bytes.
    public var modelHash: UInt64
    /// The `--set` arguments, in order.
    public var overrides: [String]
    /// The variant of the model file that ran, or nil for its baseline.
    public var variant: String?
    /// The seed the run used.
    public var seed: UInt64
    /// The simulated time it was to run.
    public var duration: Interval
    /// When it stopped.
    public var endTime: Instant
    /// Why it stopped, as `run.json` spells it.
    public var stopReason: String
    /// The number of events it executed.
    public var eventCount: UInt64
    /// The fingerprint over all of them.
    public var fingerprint: UInt64
    /// The fingerprint every so many events; nil in a `run.json` written before checkpoints.
    public var checkpoints: FingerprintCheckpoints?
    /// The story clock's start (`run.clockStart`), or nil when the model sets none.
    public var clockStart: Interval? = nil

    /// The path of a file in the run's folder.
    public func path(of name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    /// Reads `run.json` in a run's output folder.
    ///
    /// - Parameter folder: The folder, as given.
    /// - Throws: `RunDiffProblem` (`.unreadable` or `.malformed`), located in the file.
    public static func read(folder: String) throws(RunDiffProblem) -> RunRecord {
        var entry = stat()
        guard stat(folder, &entry) == 0 else {
            throw RunDiffProblem(.unreadable, "\(folder): error: no such folder")
        }
        guard entry.st_mode & S_IFMT == S_IFDIR else {
            throw RunDiffProblem(.unreadable, "\(folder): error: not a folder; give a run's output folder (out/<model>)")
        }
        let file = folder.hasSuffix("/") ? folder + "run.json" : folder + "/run.json"
        guard let data = FileManager.default.contents(atPath: file) else {
            throw RunDiffProblem(.unreadable, "\(file): error: cannot read it; is \(folder) the output folder of a run?")
        }
        let root: JSON5Node
        do {
            root = try JSON5Parser.parse([UInt8](data), file: file)
        } catch {
            throw RunDiffProblem(.malformed, error.errors.first?.description ?? "\(file): error: not JSON")
        }
        let reader = ManifestReader(file: file)
        return try reader.record(folder: folder, root: root)
    }
}

/// Reads the keys of a `run.json`, each problem located by line, column and key.
private struct ManifestReader {
    var file: String

    func problem(_ node: JSON5Node, _ path: String, _ message: String) -> RunDiffProblem {
        RunDiffProblem(.malformed, ModelError(file: file, location: node.location, path: path, message: message).description)
    }

    /// A number as written, or the kind of the value found instead.
    static func found(_ node: JSON5Node) -> String {
        if case .number(let number) = node.value { return number.literal }
        return node.typeName
    }

    func members(_ node: JSON5Node, _ path: String) throws(RunDiffProblem) -> [String: JSON5Node] {
        guard case .object(let members) = node.value else { throw problem(node, path, "must be an object, found \(node.typeName)") }
        var result: [String: JSON5Node] = [:]
        for member in members { result[member.key] = member.value }
        return result
    }

    func required(_ members: [String: JSON5Node], _ key: String, in node: JSON5Node, _ path: String) throws(RunDiffProblem) -> JSON5Node {
        guard let value = members[key] else {
            throw problem(node, path.isEmpty ? key : path, "missing key '\(key)'; is this a run.json that Faultline wrote?")
        }
        return value
    }

    func string(_ node: JSON5Node, _ path: String) throws(RunDiffProblem) -> String {
        guard case .string(let text) = node.value else { throw problem(node, path, "must be a string, found \(node.typeName)") }
        return text
    }

    func hash(_ node: JSON5Node, _ path: String) throws(RunDiffProblem) -> UInt64 {
        let text = try string(node, path)
        guard text.count == 16, let value = UInt64(text, radix: 16) else {
            throw problem(node, path, "must be 16 hexadecimal digits, found '\(text)'")
        }
        return value
    }

    func count(_ node: JSON5Node, _ path: String) throws(RunDiffProblem) -> UInt64 {
        // Seeds run to 2^64 - 1, past what `integerValue` holds.
        guard case .number(let number) = node.value, let value = UInt64(number.literal) ?? number.integerValue.flatMap(UInt64.init(exactly:)) else {
            throw problem(node, path, "must be a non-negative integer, found \(Self.found(node))")
        }
        return value
    }

    func seconds(_ node: JSON5Node, _ path: String) throws(RunDiffProblem) -> Int64 {
        guard case .number(let number) = node.value, let value = number.truncated(toDecimalPlaces: 9), value >= 0 else {
            throw problem(node, path, "must be a non-negative number of seconds, found \(Self.found(node))")
        }
        return value
    }

    func record(folder: String, root: JSON5Node) throws(RunDiffProblem) -> RunRecord {
        let top = try members(root, "")
        func key(_ name: String) throws(RunDiffProblem) -> JSON5Node { try required(top, name, in: root, "") }
        var overrides: [String] = []
        if let node = top["overrides"] {
            guard case .array(let items) = node.value else { throw problem(node, "overrides", "must be an array, found \(node.typeName)") }
            for (index, item) in items.enumerated() { overrides.append(try string(item, "overrides[\(index)]")) }
        }
        var modelFile: String?
        if let node = top["modelFile"], node.value != .null { modelFile = try string(node, "modelFile") }
        var variant: String?
        if let node = top["variant"], node.value != .null { variant = try string(node, "variant") }
        var checkpoints: FingerprintCheckpoints?
        if let node = top["checkpoints"] { checkpoints = try readCheckpoints(node) }
        var clockStart: Interval?
        if let node = top["clockStart"] {
            let text = try string(node, "clockStart")
            guard let start = ClockTime.parse(text) else { throw problem(node, "clockStart", "must be a time of day HH:MM or HH:MM:SS, found '\(text)'") }
            clockStart = start
        }
        var record = RunRecord(
            folder: folder, model: try string(try key("model"), "model"), modelFile: modelFile,
            modelHash: try hash(try key("modelHash"), "modelHash"), overrides: overrides,
            seed: try count(try key("seed"), "seed"), duration: Interval(nanoseconds: try seconds(try key("duration"), "duration")),
            endTime: Instant(nanoseconds: try seconds(try key("endTime"), "endTime")),
            stopReason: try string(try key("stopReason"), "stopReason"),
            eventCount: try count(try key("eventCount"), "eventCount"),
            fingerprint: try hash(try key("fingerprint"), "fingerprint"), checkpoints: checkpoints)
        record.variant = variant
        record.clockStart = clockStart
        return record
    }

    func readCheckpoints(_ node: JSON5Node) throws(RunDiffProblem) -> FingerprintCheckpoints {
        let fields = try members(node, "checkpoints")
        let intervalNode = try required(fields, "interval", in: node, "checkpoints")
        let interval = try count(intervalNode, "checkpoints.interval")
        guard interval > 0, interval & (interval - 1) == 0 else {
            throw problem(intervalNode, "checkpoints.interval", "must be a power of two, found \(interval)")
        }
        let listNode = try required(fields, "entries", in: node, "checkpoints")
        guard case .array(let items) = listNode.value else {
            throw problem(listNode, "checkpoints.entries", "must be an array, found \(listNode.typeName)")
        }
        var entries: [FingerprintCheckpoints.Checkpoint] = []
        for (index, item) in items.enumerated() {
            let path = "checkpoints.entries[\(index)]"
            let entry = try members(item, path)
            let countNode = try required(entry, "eventCount", in: item, path)
            let eventCount = try count(countNode, path + ".eventCount")
            guard eventCount == interval * UInt64(index + 1) else {
                throw problem(countNode, path + ".eventCount", "must be \(interval * UInt64(index + 1)) (the interval times \(index + 1)), found \(eventCount)")
            }
            entries.append(FingerprintCheckpoints.Checkpoint(
                eventCount: eventCount,
                time: Instant(nanoseconds: try seconds(try required(entry, "time", in: item, path), path + ".time")),
                fingerprint: Fingerprint(value: try hash(try required(entry, "fingerprint", in: item, path), path + ".fingerprint"))))
        }
        return FingerprintCheckpoints(interval: interval, entries: entries)
    }
}
