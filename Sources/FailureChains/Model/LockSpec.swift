import SimulationKernel

/// A lock of the model: one global monitor, or a set of per-key locks (rows, items), shared by
/// every instance of every service whose steps take it, as a lock manager or a database's row
/// locks are.
///
/// A `lock` step draws a key (uniformly over `keys`, or with `hotShare` of the acquisitions on
/// the first `hotKeys` keys), waits first come first served while another request holds that key,
/// holds it for the step's `hold` time and releases it. A wait longer than `timeout` ends the step
/// without the lock: the request fails (`onTimeout: fail`, outcome `lockTimeout`) or goes on with
/// its next step (`proceed`, an optimistic fallback).
public struct LockSpec: Sendable, Equatable {
    /// What a request does when its wait for the lock times out.
    public enum TimeoutAction: String, Sendable, Equatable, CaseIterable {
        /// The request fails, with the outcome `lockTimeout`.
        case fail
        /// The request skips the hold and goes on with its next step.
        case proceed
    }

    /// The lock's name, a component of the output.
    public var name: String
    /// How many keys; 1 is a global monitor.
    public var keys: Int
    /// With `hotShare`: the first this many keys are hot. Nil draws every key alike.
    public var hotKeys: Int?
    /// The share of acquisitions that go to the hot keys, in [0, 1].
    public var hotShare: Double
    /// How long a request waits for its key; nil waits forever.
    public var timeout: Interval?
    /// What a request does when its wait times out.
    public var onTimeout: TimeoutAction

    /// Creates a lock; by default one key (a global monitor), waited for forever.
    public init(name: String, keys: Int = 1, hotKeys: Int? = nil, hotShare: Double = 0, timeout: Interval? = nil,
                onTimeout: TimeoutAction = .fail) {
        self.name = name
        self.keys = keys
        self.hotKeys = hotKeys
        self.hotShare = hotShare
        self.timeout = timeout
        self.onTimeout = onTimeout
    }
}

/// The size of a call's result, in rows of a data set that grows over time, and what the rows cost.
///
/// The data set holds `rows` at the start and grows by `growthPerSecond` (rows per second); with a
/// `purgeInterval` a purge job brings it back to `rows` at each multiple of it. A call returns
/// `share` of it (a fixed fraction, or one drawn per call; all of it by default), at most `limit`
/// rows. The other side takes `queryPerRow` seconds per row on top of its latency (the read
/// timeout cuts the whole). The caller then holds `bytesPerRow` bytes of heap per row while it
/// reads the rows, `perRow` seconds of CPU work each (stretched as CPU work is), and frees them.
public struct ResultSpec: Sendable, Equatable {
    /// Rows in the data set at time 0.
    public var rows: Int64
    /// Rows added per second.
    public var growthPerSecond: Double
    /// A purge brings the data set back to `rows` every this long; nil for never.
    public var purgeInterval: Interval?
    /// The share of the data set a call returns, in [0, 1] once drawn; nil for all of it.
    public var share: Distribution?
    /// At most this many rows per call (LIMIT, a page), or nil for no limit.
    public var limit: Int64?
    /// CPU seconds per row at the caller.
    public var perRow: Double
    /// Heap bytes per row at the caller, held while it reads them.
    public var bytesPerRow: Int64
    /// Seconds per row the called endpoint adds to its latency.
    public var queryPerRow: Double

    /// Creates a result size.
    public init(rows: Int64, growthPerSecond: Double = 0, purgeInterval: Interval? = nil, share: Distribution? = nil, limit: Int64? = nil,
                perRow: Double = 0, bytesPerRow: Int64 = 0, queryPerRow: Double = 0) {
        self.rows = rows
        self.growthPerSecond = growthPerSecond
        self.purgeInterval = purgeInterval
        self.share = share
        self.limit = limit
        self.perRow = perRow
        self.bytesPerRow = bytesPerRow
        self.queryPerRow = queryPerRow
    }

    /// The rows in the data set at an instant: `rows` plus the growth since the start or the last purge.
    ///
    /// - Parameter now: The instant, in nanoseconds.
    public func tableRows(at now: Int64) -> Int64 {
        var since = now
        if let purge = purgeInterval?.nanoseconds, purge > 0 { since = now % purge }
        let grown = (growthPerSecond * Double(since) / 1e9).rounded(.down)
        return rows &+ Int64(min(grown, 9.0e15))
    }

    /// The rows a call returns at an instant, given the share drawn (1 without a `share`).
    ///
    /// - Parameters:
    ///   - share: The share of the data set, clamped to [0, 1].
    ///   - now: The instant, in nanoseconds.
    public func resultRows(share: Double, at now: Int64) -> Int64 {
        let clamped = min(max(share, 0), 1)
        var rows = clamped >= 1 ? tableRows(at: now) : Int64((clamped * Double(tableRows(at: now))).rounded(.down))
        if let limit { rows = min(rows, limit) }
        return rows
    }
}
