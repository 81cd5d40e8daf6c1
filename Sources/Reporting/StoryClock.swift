import SimulationKernel

/// How times of a run read to people: as time since the start (`3:24:01.617`), or, with
/// `run.clockStart`, as the time of day of the story (`02:24:01.617`, as in the book).
///
/// Only what people read uses it (the timeline, `explain`, the report); the CSV files keep
/// seconds from the start.
public struct StoryClock: Sendable, Equatable {
    /// The time of day at which the run starts, as time since midnight; nil for time since the start.
    public var start: Interval?

    /// Creates a clock.
    ///
    /// - Parameter start: The time of day at which the run starts (`run.clockStart`), or nil.
    public init(start: Interval?) {
        self.start = start
    }

    /// The clock that reads time since the start.
    public static let sinceStart = StoryClock(start: nil)

    private static let day: Int64 = 86_400

    /// A time of the run to the millisecond: `2:05:07.250` and `4:03.100` since the start; with a
    /// clock start, the time of day `01:05:07.250` (which starts again at `00:00` after midnight).
    public func precise(_ time: Instant) -> String {
        let milliseconds = time.nanoseconds / 1_000_000
        let fraction = String(milliseconds % 1000)
        let tail = "." + String(repeating: "0", count: 3 - fraction.count) + fraction
        guard let start else {
            let seconds = milliseconds / 1000
            if seconds >= 3600 { return "\(seconds / 3600):" + Self.two(seconds / 60 % 60) + ":" + Self.two(seconds % 60) + tail }
            return "\(seconds / 60):" + Self.two(seconds % 60) + tail
        }
        let seconds = start.nanoseconds / 1_000_000_000 + milliseconds / 1000
        return Self.hoursMinutes(seconds) + ":" + Self.two(seconds % 60) + tail
    }

    /// A time of the run to the minute: `3:24` (hours and minutes since the start), or with a clock
    /// start the time of day `02:24`.
    public func minutes(_ time: Instant) -> String {
        let seconds = time.nanoseconds / 1_000_000_000
        guard let start else { return "\(seconds / 3600):" + Self.two(seconds / 60 % 60) }
        let clock = start.nanoseconds / 1_000_000_000 + seconds
        return Self.hoursMinutes(clock)
    }

    /// A time of day as `run.clockStart` and `run.json` write it: `"23:00"`, or `"23:00:15"` when
    /// it has seconds.
    public static func timeOfDay(_ sinceMidnight: Interval) -> String {
        let seconds = sinceMidnight.nanoseconds / 1_000_000_000
        let text = hoursMinutes(seconds)
        return seconds % 60 == 0 ? text : text + ":" + two(seconds % 60)
    }

    /// A span as people say it: `1h06m`, `14m`, `2m05s`, `40s`, `1.5s`, `250ms`, `2d3h`.
    public static func span(_ interval: Interval) -> String {
        let nanoseconds = max(0, interval.nanoseconds)
        if nanoseconds < 1_000_000_000 { return "\(nanoseconds / 1_000_000)ms" }
        let seconds = nanoseconds / 1_000_000_000
        if seconds < 10 {
            let tenths = nanoseconds / 100_000_000
            return tenths % 10 == 0 ? "\(seconds)s" : "\(seconds).\(tenths % 10)s"
        }
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds / 60)m" + two(seconds % 60) + "s" }
        if seconds < day { return "\(seconds / 3600)h" + two(seconds / 60 % 60) + "m" }
        return "\(seconds / day)d\(seconds / 3600 % 24)h"
    }

    private static func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }

    private static func hoursMinutes(_ seconds: Int64) -> String {
        two(seconds / 3600 % 24) + ":" + two(seconds / 60 % 60)
    }
}
