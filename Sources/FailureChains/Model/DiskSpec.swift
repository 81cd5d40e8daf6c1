import SimulationKernel

/// The disk of one instance: what the instance writes to it (logs, data), when writes start to
/// fail, and how rotation frees space.
///
/// Bytes grow by `perRequest` for each request the instance serves to the end of its steps and by
/// `perSecond` while the instance is up; the disk survives crashes and restarts. Once the bytes used reach `failAt` of
/// `size` (the root reserve: Unix keeps 5 to 10% of a file system for root), the application's
/// writes fail: every request the instance serves to the end fails, until a rotation frees enough.
public struct DiskSpec: Sendable, Equatable {
    /// Size of the disk in bytes.
    public var size: Int64
    /// Bytes in use at the start that nothing frees (the system, the application, its data).
    public var baseline: Int64
    /// Bytes written (logged) for each request the instance serves to the end of its steps.
    public var perRequest: Int64
    /// Bytes written each second while the instance is up, whatever its load.
    public var perSecond: Int64
    /// The share of `size` at which writes fail, in millionths (950,000 is 95%), in (0, 1,000,000].
    public var failAtMillionths: Int64
    /// Periodic rotation with retention, or nil for logs that are never rotated.
    public var rotation: DiskRotationSpec?

    /// Creates a disk.
    public init(size: Int64, baseline: Int64 = 0, perRequest: Int64 = 0, perSecond: Int64 = 0,
                failAtMillionths: Int64 = DiskSpec.defaultFailAtMillionths, rotation: DiskRotationSpec? = nil) {
        self.size = size
        self.baseline = baseline
        self.perRequest = perRequest
        self.perSecond = perSecond
        self.failAtMillionths = failAtMillionths
        self.rotation = rotation
    }

    /// The share at which writes fail when a model does not say: 95%.
    public static let defaultFailAtMillionths: Int64 = 950_000

    /// The bytes used at which writes fail: ⌈size × failAt⌉, computed exactly.
    public var failBytes: Int64 {
        let product = size.multipliedFullWidth(by: failAtMillionths)
        let (quotient, remainder) = Int64(1_000_000).dividingFullWidth(product)
        return remainder > 0 ? quotient + 1 : quotient
    }
}

/// Log rotation with retention: every `every`, the current log file is closed and a new one
/// started; only the newest `keep` closed files stay on the disk, older ones are deleted (or
/// shipped off the host).
public struct DiskRotationSpec: Sendable, Equatable {
    /// Time between rotations, from the start of the run.
    public var every: Interval
    /// Closed files kept on the disk; 0 deletes (ships) each file as it is closed.
    public var keep: Int

    /// Creates a rotation policy.
    public init(every: Interval, keep: Int) {
        self.every = every
        self.keep = keep
    }
}
