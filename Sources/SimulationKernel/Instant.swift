/// A point in simulated time, as an integer count of nanoseconds since the start of a run.
///
/// Simulated time never uses floating point: doubles appear only while sampling and reporting.
@frozen
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since the start of the run.
    public var nanoseconds: Int64

    /// Creates an instant the given number of nanoseconds after the start of the run.
    @inlinable
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// The start of every run.
    public static let zero = Instant(nanoseconds: 0)

    /// The latest representable instant; used as "never".
    public static let distantFuture = Instant(nanoseconds: Int64.max)

    /// This instant in seconds, for reporting.
    @inlinable
    public var seconds: Double { Double(nanoseconds) / 1e9 }

    @inlinable
    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// The instant `interval` after `instant`, saturating at `distantFuture`.
    @inlinable
    public static func + (instant: Instant, interval: Interval) -> Instant {
        let (sum, overflow) = instant.nanoseconds.addingReportingOverflow(interval.nanoseconds)
        return overflow ? .distantFuture : Instant(nanoseconds: sum)
    }

    /// The interval from `rhs` to `lhs`.
    @inlinable
    public static func - (lhs: Instant, rhs: Instant) -> Interval {
        Interval(nanoseconds: lhs.nanoseconds &- rhs.nanoseconds)
    }

    /// Seconds with nine decimals, exact: `12.500000000`.
    public var description: String { Interval(nanoseconds: nanoseconds).description }
}
