/// The limits that stop a run which grows without bound, each raised by a key of `run`.
///
/// A model can validate and still run away: an unbounded queue fed faster than it drains, a million
/// sessions, timers that multiply. Each limit below stops such a run with a message that names the
/// limit and its key; the files written so far are kept and marked incomplete. The connection and
/// memory limits are also checked before the run, against what the model allocates at assembly.
/// The defaults, documented in `docs/model.md`, let every realistic model through.
public struct RunLimits: Sendable, Equatable {
    /// Events pending in the future-event list at once (`run.maximumPendingEvents`).
    public var pendingEvents: Int
    /// Requests alive at once, queued or in service, calls included (`run.maximumLiveRequests`).
    public var liveRequests: Int
    /// Pooled connections of all instances together (`run.maximumConnections`).
    public var connections: Int
    /// Rows of `series.csv` (`run.maximumSeriesRows`).
    public var seriesRows: Int
    /// The simulator's own memory, in bytes, as `MemoryEstimate` counts it (`run.maximumMemory`).
    public var memoryBytes: Int64

    /// The documented defaults.
    public static let defaults = RunLimits(
        pendingEvents: 20_000_000, liveRequests: 10_000_000, connections: 10_000_000,
        seriesRows: 100_000_000, memoryBytes: 8 << 30)

    /// Creates limits.
    public init(pendingEvents: Int, liveRequests: Int, connections: Int, seriesRows: Int, memoryBytes: Int64) {
        self.pendingEvents = pendingEvents
        self.liveRequests = liveRequests
        self.connections = connections
        self.seriesRows = seriesRows
        self.memoryBytes = memoryBytes
    }
}

/// A limit that stopped a run.
public enum RunLimit: String, Sendable, CaseIterable {
    case events, pendingEvents, liveRequests, seriesRows, memory

    /// The key of `run` that raises it.
    public var key: String {
        switch self {
        case .events: "run.maximumEvents"
        case .pendingEvents: "run.maximumPendingEvents"
        case .liveRequests: "run.maximumLiveRequests"
        case .seriesRows: "run.maximumSeriesRows"
        case .memory: "run.maximumMemory"
        }
    }
}
