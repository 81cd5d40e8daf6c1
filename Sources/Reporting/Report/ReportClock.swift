import ModelFormat
import SimulationKernel

/// How the report writes a time of the run: as the wall clock of the story when `run.json` has a
/// `clockStart` (`"23:00"`), otherwise as hours, minutes and seconds from the start (`1:20:00`).
struct ReportClock: Sendable {
    /// Seconds after midnight at which the run starts, or nil for times from the start.
    var start: Int64?

    /// Reads `clockStart` as `run.clockStart` takes it (`ClockTime`); anything else gives times
    /// from the start.
    init(clockStart: String?) {
        start = clockStart.flatMap(ClockTime.parse).map { $0.nanoseconds / 1_000_000_000 }
    }

    /// Whether times are the story's wall clock.
    var isWallClock: Bool { start != nil }

    /// A time of the run, to the second: `23:00`, `01:20:08` (wall clock; seconds only when not
    /// zero), or `1:20:08`, `0:30:00` (from the start; `4:05` when `long` is false and the time
    /// is under an hour).
    func label(_ nanoseconds: Int64, long: Bool = false) -> String {
        let seconds = nanoseconds / 1_000_000_000
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        if let start {
            let wall = (start + seconds) % 86_400
            let text = two(wall / 3600) + ":" + two(wall / 60 % 60)
            return wall % 60 == 0 ? text : text + ":" + two(wall % 60)
        }
        if seconds >= 3600 || long { return "\(seconds / 3600):" + two(seconds / 60 % 60) + ":" + two(seconds % 60) }
        return "\(seconds / 60):" + two(seconds % 60)
    }

    /// A time with milliseconds, for tooltips: `01:20:08.954` or `1:20:08.954`, as the timeline
    /// and `explain` write it (`StoryClock.precise`).
    func preciseLabel(_ nanoseconds: Int64) -> String {
        StoryClock(start: start.map { .seconds($0) }).precise(Instant(nanoseconds: nanoseconds))
    }

    /// A span of time in words: `1h06m`, `14m`, `40s`.
    static func span(_ nanoseconds: Int64) -> String {
        let seconds = nanoseconds / 1_000_000_000
        if seconds >= 3600 {
            let minutes = seconds / 60 % 60
            return "\(seconds / 3600)h" + (minutes == 0 ? "" : (minutes < 10 ? "0" : "") + "\(minutes)m")
        }
        if seconds >= 60 { return "\(seconds / 60)m" + (seconds % 60 == 0 ? "" : "\(seconds % 60)s") }
        return "\(seconds)s"
    }
}
