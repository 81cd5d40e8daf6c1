import FailureChains
import SimulationKernel

/// The compact account of a run printed on the terminal: what ran, what each service did, and
/// where the files are.
public enum RunReport {
    /// The report's text.
    ///
    /// - Parameters:
    ///   - model: The model that ran.
    ///   - result: Its result.
    ///   - stateChanges: The state changes it recorded, in order.
    ///   - directory: Where its files were written.
    public static func text(model: SystemModel, result: RunResult, stateChanges: [StateChange], directory: String) -> String {
        var lines: [String] = []
        let outcome = result.outcome
        lines.append("\(model.name): seed \(model.run.seed), \(outcome.eventCount) events to t=\(NumberText.decimal(outcome.endTime.seconds))s (\(outcome.stopReason.rawValue)), fingerprint \(outcome.fingerprint.hexadecimal)")
        if model.run.warmup > .zero {
            lines.append("summary from t=\(NumberText.decimal(model.run.warmup.seconds))s (warm-up left out)")
        }
        let header = ["service", "offered", "completed", "refused", "p50", "p99", "utilisation"]
        var table: [[String]] = [header]
        for service in model.services {
            func value(_ metric: String) -> Double { result.value(metric, of: service.name) ?? 0 }
            table.append([
                service.name,
                String(Int64(value("offered"))),
                String(Int64(value("completed"))),
                String(Int64(value("refused"))),
                milliseconds(value("latencyP50")),
                milliseconds(value("latencyP99")),
                NumberText.decimal((value("utilisation") * 1000).rounded() / 10) + "%",
            ])
        }
        lines.append(contentsOf: alignedTable(table))
        let notable = stateChanges.filter { !["runStarted", "runEnded", "warmupEnded"].contains($0.event) }
        if !notable.isEmpty {
            lines.append("timeline (\(notable.count) state changes; all in events.csv):")
            for change in notable.prefix(12) {
                lines.append("  \(clock(change.time))  \(change.component) \(change.event) \(change.detail)")
            }
            if notable.count > 12 { lines.append("  ...") }
        }
        lines.append("wrote \(directory)/series.csv, events.csv, summary.csv, run.json")
        return lines.joined(separator: "\n")
    }

    /// A time of the run as hours, minutes and seconds: `2:05:07.250`, `4:03.100`.
    static func clock(_ time: Instant) -> String {
        let milliseconds = time.nanoseconds / 1_000_000
        let seconds = milliseconds / 1000
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let fraction = String(milliseconds % 1000)
        let tail = two(seconds % 60) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction
        if seconds >= 3600 { return "\(seconds / 3600):" + two(seconds / 60 % 60) + ":" + tail }
        return "\(seconds / 60):" + tail
    }

    private static func milliseconds(_ seconds: Double) -> String {
        NumberText.decimal((seconds * 10_000).rounded() / 10) + "ms"
    }

    /// Rows padded into columns: the first left-aligned, the others right-aligned.
    static func alignedTable(_ rows: [[String]]) -> [String] {
        guard let columns = rows.first?.count else { return [] }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            var line = "  "
            for (index, cell) in row.enumerated() {
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                line += index == 0 ? cell + padding : "  " + padding + cell
            }
            return line
        }
    }
}
