/// The time axis every panel of a run's report shares: where a time of the run is drawn, and the
/// ticks with their labels.
struct TimeAxis: Sendable {
    /// The end of the run, in nanoseconds; the axis spans [0, end].
    var end: Int64
    /// How times are written.
    var clock: ReportClock
    /// The x of the plot's left edge, in pixels.
    var left: Double = 64
    /// The plot's width, in pixels: one column per pixel.
    var width: Int = 1000
    /// The width of a whole panel, margins included.
    var totalWidth: Double { left + Double(width) + 28 }

    /// The x of a time.
    func x(_ nanoseconds: Int64) -> Double {
        guard end > 0 else { return left }
        return left + Double(width) * Double(min(max(nanoseconds, 0), end)) / Double(end)
    }

    /// Tick times: a round step (1 s … 1 day) that gives between 6 and 14 ticks, from 0; on a wall
    /// clock, aligned to whole steps of the clock (23:00, 00:00, ...).
    var ticks: [Int64] {
        let second: Int64 = 1_000_000_000
        let steps: [Int64] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400].map { $0 * second }
        let step: Int64 = steps.first(where: { end / $0 <= 14 }) ?? steps[steps.count - 1]
        var first: Int64 = 0
        if let start = clock.start {
            let offset = (start * second) % step
            first = offset == 0 ? 0 : step - offset
        }
        return Array(stride(from: first, through: end, by: Int(step)))
    }
}
