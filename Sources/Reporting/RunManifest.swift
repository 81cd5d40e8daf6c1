import FailureChains
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import SimulationKernel

/// The description of one run, written as `run.json`.
public struct RunManifest: Sendable, Equatable {
    /// The version of Faultline that ran it.
    public static let engineVersion = "0.1.0"
    /// The version of the output format (columns and meanings of the files).
    public static let outputFormat = 1

    public var model: String
    /// The variant of the model file that ran (`--variant`), or nil for its baseline; written
    /// after `model` only when there is one.
    public var variant: String?
    /// FNV-1a-64 of the model file's bytes, as 16 hexadecimal digits.
    public var modelHash: String
    /// The `--set` arguments applied to the model, in command-line order.
    public var overrides: [String]
    /// The hash of the model as run: FNV-1a-64 of the file's bytes followed, for each override in
    /// order, by a 0 byte and the argument's UTF-8 text; equal to `modelHash` without overrides.
    public var effectiveModelHash: String
    public var seed: UInt64
    public var duration: Interval
    public var warmup: Interval
    /// `run.clockStart`, the time of day at which the run starts, or nil.
    public var clockStart: Interval?
    public var endTime: Instant
    public var stopReason: StopReason
    public var eventCount: UInt64
    public var fingerprint: String
    public var inFlightAtEnd: Int
    /// Whether the run went as far as it was meant to (its end time, its planned stop, or until
    /// nothing was left to do); false for a run cut short by a limit or a signal.
    public var isComplete: Bool
    /// What cut the run short: a limit's key (`run.maximumLiveRequests`) or a signal (`SIGINT`);
    /// nil for a complete run.
    public var stoppedBy: String?

    // What `faultline diff` needs to find where two runs part: written last in run.json.
    /// The model file as the run was given it (relative to the folder it was started in), so that
    /// the run can be replayed; nil for a model that did not come from a file.
    public var modelFile: String?
    /// The running fingerprint every `checkpoints.interval` events.
    public var checkpoints: FingerprintCheckpoints

    /// Creates a manifest from a run's model, file hash, overrides and result.
    public init(model: SystemModel, modelHash: UInt64, overrides: [String] = [], effectiveModelHash: UInt64? = nil,
                modelFile: String? = nil, variant: String? = nil, result: RunResult) {
        self.model = model.name
        self.variant = variant
        self.modelHash = modelHash.hexadecimalDigits
        self.overrides = overrides
        self.effectiveModelHash = (effectiveModelHash ?? modelHash).hexadecimalDigits
        seed = model.run.seed
        duration = model.run.duration
        warmup = model.run.warmup
        clockStart = model.run.clockStart
        endTime = result.outcome.endTime
        stopReason = result.outcome.stopReason
        eventCount = result.outcome.eventCount
        fingerprint = result.outcome.fingerprint.hexadecimal
        inFlightAtEnd = result.inFlightAtEnd
        isComplete = result.outcome.stopReason.isComplete
        if result.outcome.stopReason == .interrupted {
            stoppedBy = RunInterruption.requested.map(Self.signalName) ?? "interruption"
        } else {
            stoppedBy = result.limit?.key
        }
        self.modelFile = modelFile
        checkpoints = result.outcome.checkpoints
    }

    /// The name of a signal the executable catches, or its number.
    public static func signalName(_ number: Int32) -> String {
        switch number {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case SIGHUP: "SIGHUP"
        default: "signal \(number)"
        }
    }

    /// The manifest as JSON, keys in a fixed order, times in seconds with nine decimals.
    public var json: String {
        """
        {
          "faultline": "\(RunManifest.engineVersion)",
          "outputFormat": \(RunManifest.outputFormat),
          "model": \(jsonString(model)),\(variant.map { "\n  \"variant\": \(jsonString($0))," } ?? "")
          "modelHash": "\(modelHash)",
          "overrides": [\(overrides.map(jsonString).joined(separator: ", "))],
          "effectiveModelHash": "\(effectiveModelHash)",
          "seed": \(seed),
          "duration": \(duration.description),
          "warmup": \(warmup.description),\(clockStart.map { "\n  \"clockStart\": \"\(StoryClock.timeOfDay($0))\"," } ?? "")
          "endTime": \(endTime.description),
          "complete": \(isComplete),
          "stopReason": "\(stopReason.rawValue)",
          "stoppedBy": \(stoppedBy.map(jsonString) ?? "null"),
          "eventCount": \(eventCount),
          "fingerprint": "\(fingerprint)",
          "inFlightAtEnd": \(inFlightAtEnd),
        \(replayFields)
        }

        """
    }

    /// The keys `faultline diff` reads to replay the run, last in run.json: `modelFile` and
    /// `checkpoints` (`interval`, then one `{eventCount, time, fingerprint}` a line).
    var replayFields: String {
        let entries = checkpoints.entries.map {
            "    {\"eventCount\": \($0.eventCount), \"time\": \($0.time.description), \"fingerprint\": \"\($0.fingerprint.hexadecimal)\"}"
        }
        let list = entries.isEmpty ? "[]" : "[\n" + entries.joined(separator: ",\n") + "\n  ]"
        return """
          "modelFile": \(modelFile.map(jsonString) ?? "null"),
          "checkpoints": {"interval": \(checkpoints.interval), "entries": \(list)}
        """
    }
}

/// A JSON string literal with the escapes JSON requires.
public func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        default:
            if scalar.value < 0x20 {
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }
    return result + "\""
}
