import FailureChains
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import SimulationKernel

/// Where and how two runs differ: the first event at which their event sequences part, found by
/// their fingerprint checkpoints and then by replaying both, and the metrics that differ most.
public struct RunDiff: Sendable {
    /// What `run.json` of each run says.
    public var a: RunRecord
    public var b: RunRecord
    /// The checkpoints' verdict: the events up to `agreeThrough` have equal fingerprints in both
    /// runs, and the first event that differs is at most `differBy` (nil: no checkpoint differs).
    public var agreeThrough: UInt64
    public var differBy: UInt64?
    /// Whether both runs executed the same events (same count and fingerprint).
    public var haveSameEvents: Bool
    /// The first event that differs, from the replays; nil for runs with the same events, or when
    /// they could not be replayed (`replayProblem` says why).
    public var divergence: Divergence?
    /// Why the runs were not replayed, when they were not.
    public var replayProblem: String?
    /// The metrics of `series.csv` that differ, most different first.
    public var metrics: [MetricDifference]
    /// The output files whose bytes differ: `events.csv`, `summary.csv`.
    public var differentFiles: [String]

    /// Whether the runs are the same: the same events and the same output.
    public var isIdentical: Bool { haveSameEvents && metrics.isEmpty && differentFiles.isEmpty }

    /// The first place at which two runs' events differ.
    public struct Divergence: Sendable {
        /// The place of the first event that differs, from 1.
        public var number: UInt64
        /// Run A's event there; nil when A ended before it.
        public var a: DescribedEvent?
        /// Run B's event there; nil when B ended before it.
        public var b: DescribedEvent?
    }

    /// Compares two runs' output folders.
    ///
    /// - Parameters:
    ///   - folderA: The first run's output folder.
    ///   - folderB: The second's.
    ///   - replays: Whether to replay the runs to find the exact event (false: checkpoints only).
    /// - Throws: `RunDiffProblem` for a folder or file that cannot be read or is not Faultline's,
    ///   and for a model file that changed since its run.
    public static func compare(_ folderA: String, _ folderB: String, replays: Bool = true) throws(RunDiffProblem) -> RunDiff {
        let a = try RunRecord.read(folder: folderA)
        let b = try RunRecord.read(folder: folderB)
        let haveSameEvents = a.eventCount == b.eventCount && a.fingerprint == b.fingerprint
        let (agree, differ) = Self.window(a, b)
        let series = try SeriesComparison.compare(a.path(of: "series.csv"), b.path(of: "series.csv"))
        var differentFiles: [String] = []
        for name in ["events.csv", "summary.csv"] {
            let left = FileManager.default.contents(atPath: a.path(of: name))
            let right = FileManager.default.contents(atPath: b.path(of: name))
            guard let left else { throw RunDiffProblem(.unreadable, "\(a.path(of: name)): error: cannot read it") }
            guard let right else { throw RunDiffProblem(.unreadable, "\(b.path(of: name)): error: cannot read it") }
            if left != right { differentFiles.append(name) }
        }
        var diff = RunDiff(a: a, b: b, agreeThrough: agree, differBy: differ, haveSameEvents: haveSameEvents,
                           metrics: series, differentFiles: differentFiles)
        if !haveSameEvents {
            if replays {
                let modelA = try RunReplay.model(for: a)
                let modelB = try RunReplay.model(for: b)
                diff.divergence = try Self.divergence(a, modelA, b, modelB, after: agree, by: differ)
            } else {
                diff.replayProblem = "not replayed (--no-replay)"
            }
        }
        return diff
    }

    /// The events the checkpoints vouch for, and the event by which the runs surely differ.
    ///
    /// Checkpoints are compared where both runs have one (the multiples of the larger interval);
    /// the last equal one bounds the agreement, the first unequal one the difference. Without a
    /// differing checkpoint, the runs differ by the event after the shorter run's last (or at it,
    /// when their final fingerprints differ though their counts are equal).
    static func window(_ a: RunRecord, _ b: RunRecord) -> (agreeThrough: UInt64, differBy: UInt64?) {
        var agree: UInt64 = 0
        if let left = a.checkpoints, let right = b.checkpoints {
            let interval = max(left.interval, right.interval)
            var count = interval
            while let x = left.checkpoint(at: count), let y = right.checkpoint(at: count) {
                if x.fingerprint != y.fingerprint || x.time != y.time { return (agree, count) }
                agree = count
                count += interval
            }
        }
        let shorter = min(a.eventCount, b.eventCount)
        if a.eventCount == b.eventCount { return (agree, a.fingerprint == b.fingerprint ? nil : shorter) }
        return (agree, shorter + 1)
    }

    /// Replays both runs from the event after `agree`, A keeping its events up to `differ`, B
    /// stopping at its first event that differs from A's; then A again to that event.
    static func divergence(_ a: RunRecord, _ modelA: SystemModel, _ b: RunRecord, _ modelB: SystemModel,
                           after agree: UInt64, by differ: UInt64?) throws(RunDiffProblem) -> Divergence {
        let first = agree + 1
        // Without a differing checkpoint, the difference is by the event after the shorter run's last.
        let last = differ ?? (min(a.eventCount, b.eventCount) + 1)
        let window = RunReplay.events(of: modelA, from: first, through: last)
        try Self.confirm(a, replayed: window.fingerprintBefore, at: agree)
        let found = RunReplay.firstDifference(of: modelB, from: first, comparedWith: window.events)
        try Self.confirm(b, replayed: found.fingerprintBefore, at: agree)
        if let eventB = found.event {
            let eventA = RunReplay.describe(eventNumber: eventB.event.number, of: modelA)
            return Divergence(number: eventB.event.number, a: eventA, b: eventB)
        }
        // B matched every event A had from `first` on, and ended: A has one more.
        let number = found.executed + 1
        guard let eventA = RunReplay.describe(eventNumber: number, of: modelA) else {
            throw RunDiffProblem(.malformed, "\(a.path(of: "run.json")): error: replaying both runs gives the same events from \(first) through \(found.executed), though their run.json files differ; were they written by another version of Faultline?")
        }
        return Divergence(number: number, a: eventA, b: nil)
    }

    /// Checks that the replay of a run reproduces its record: the fingerprint before the window
    /// equals the run's checkpoint there.
    static func confirm(_ record: RunRecord, replayed: Fingerprint, at count: UInt64) throws(RunDiffProblem) {
        guard count > 0, let checkpoint = record.checkpoints?.checkpoint(at: count) else { return }
        if checkpoint.fingerprint != replayed {
            throw RunDiffProblem(.malformed, "\(record.path(of: "run.json")): error: replaying the run does not reproduce it: after event \(count) the fingerprint is \(replayed.hexadecimal), run.json says \(checkpoint.fingerprint.hexadecimal); was it written by another version of Faultline?")
        }
    }
}
