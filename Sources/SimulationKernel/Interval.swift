/// A span of simulated time, as an integer count of nanoseconds.
///
/// Named `Interval` so as not to shadow `Swift.Duration`.
@frozen
public struct Interval: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Length of the span in nanoseconds.
    public var nanoseconds: Int64

    /// Creates an interval of the given number of nanoseconds.
    @inlinable
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// The empty interval.
    public static let zero = Interval(nanoseconds: 0)

    /// The longest representable interval; used as "forever".
    public static let forever = Interval(nanoseconds: Int64.max)

    /// Nanoseconds in one second.
    public static let nanosecondsPerSecond: Int64 = 1_000_000_000

    /// An interval of whole seconds.
    @inlinable
    public static func seconds(_ seconds: Int64) -> Interval {
        Interval(nanoseconds: seconds * nanosecondsPerSecond)
    }

    /// An interval of whole milliseconds.
    @inlinable
    public static func milliseconds(_ milliseconds: Int64) -> Interval {
        Interval(nanoseconds: milliseconds * 1_000_000)
    }

    /// The interval nearest to a sampled number of seconds.
    ///
    /// Rounds half away from zero; saturates at `forever`; a negative or NaN sample becomes zero.
    ///
    /// - Parameter seconds: A length in seconds, typically drawn from a distribution.
    @inlinable @inline(__always)
    public static func sampled(seconds: Double) -> Interval {
        let ns = seconds * 1e9
        if !(ns > 0) { return .zero }
        if ns >= 9.2e18 { return .forever }
        return Interval(nanoseconds: Int64(ns + 0.5))
    }

    /// This interval in seconds, for sampling arithmetic and reporting.
    @inlinable
    public var seconds: Double { Double(nanoseconds) / 1e9 }

    @inlinable
    public static func < (lhs: Interval, rhs: Interval) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    @inlinable
    public static func + (lhs: Interval, rhs: Interval) -> Interval {
        let (sum, overflow) = lhs.nanoseconds.addingReportingOverflow(rhs.nanoseconds)
        return overflow ? .forever : Interval(nanoseconds: sum)
    }

    /// Seconds with nine decimals, exact and locale-free: `0.250000000`.
    public var description: String {
        let sign = nanoseconds < 0 ? "-" : ""
        let magnitude = nanoseconds.magnitude
        let whole = magnitude / 1_000_000_000
        let fraction = String(magnitude % 1_000_000_000)
        return sign + String(whole) + "." + String(repeating: "0", count: 9 - fraction.count) + fraction
    }
}
