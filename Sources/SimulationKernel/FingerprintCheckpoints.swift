/// The running fingerprint of a run every so many events, so that two runs can be compared part by
/// part: the first checkpoint at which they differ bounds where their event sequences part.
///
/// A checkpoint is taken after every `interval`-th event; `interval` is the smallest power of two,
/// at least `minimumInterval` (1,024), for which the run has at most `maximumCount` (32)
/// checkpoints. The run does not know its length in advance: it starts at 1,024, and when a 33rd
/// checkpoint is due it keeps every second one and doubles the interval. The list therefore depends
/// only on the event sequence (two runs of the same events have the same list), and stays short
/// however long the run: a 7-hour airline run of 581,372 events has 17, one every 32,768 events.
public struct FingerprintCheckpoints: Sendable, Equatable {
    /// One checkpoint: the fingerprint after the `eventCount`-th event, which ran at `time`.
    public struct Checkpoint: Sendable, Equatable {
        /// The number of events executed, the checkpoint's event included.
        public var eventCount: UInt64
        /// When that event ran.
        public var time: Instant
        /// The running fingerprint over the events so far.
        public var fingerprint: Fingerprint

        /// Creates a checkpoint.
        public init(eventCount: UInt64, time: Instant, fingerprint: Fingerprint) {
            self.eventCount = eventCount
            self.time = time
            self.fingerprint = fingerprint
        }
    }

    /// The smallest interval between checkpoints, in events; a multiple of 256, as the run loop
    /// looks every 256 events.
    public static let minimumInterval: UInt64 = 1024
    /// The most checkpoints a run keeps.
    public static let maximumCount = 32

    /// The number of events between checkpoints: a power of two.
    public private(set) var interval: UInt64 = FingerprintCheckpoints.minimumInterval
    /// The checkpoints, at every multiple of `interval` up to the run's event count.
    public private(set) var entries: [Checkpoint] = []

    /// Creates an empty list, for a run with no events yet.
    public init() {}

    /// Creates a list read back from a run's record.
    ///
    /// - Parameters:
    ///   - interval: The number of events between checkpoints.
    ///   - entries: The checkpoints, in order.
    public init(interval: UInt64, entries: [Checkpoint]) {
        self.interval = interval
        self.entries = entries
    }

    /// Whether a checkpoint is due after the `eventCount`-th event.
    @inlinable
    public func isDue(at eventCount: UInt64) -> Bool {
        eventCount & (interval &- 1) == 0
    }

    /// Records the checkpoint due after the `eventCount`-th event, thinning the list first when it
    /// is full.
    ///
    /// - Parameters:
    ///   - eventCount: The number of events executed; a multiple of `interval` (see `isDue`).
    ///   - time: When the last of them ran.
    ///   - fingerprint: The fingerprint so far.
    public mutating func record(eventCount: UInt64, time: Instant, fingerprint: Fingerprint) {
        if entries.count == Self.maximumCount {
            // Entries are at interval × 1, 2, 3, …: those at even multiples are at odd positions.
            entries = stride(from: 1, to: entries.count, by: 2).map { entries[$0] }
            interval &<<= 1
            if !isDue(at: eventCount) { return }
        }
        if entries.isEmpty { entries.reserveCapacity(Self.maximumCount) }
        entries.append(Checkpoint(eventCount: eventCount, time: time, fingerprint: fingerprint))
    }

    /// The checkpoint after the `eventCount`-th event, if the list has one there.
    public func checkpoint(at eventCount: UInt64) -> Checkpoint? {
        guard eventCount > 0, eventCount % interval == 0 else { return nil }
        let index = Int(eventCount / interval) - 1
        return index < entries.count ? entries[index] : nil
    }
}
