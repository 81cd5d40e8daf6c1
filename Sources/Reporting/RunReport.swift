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
        let header = ["service", "offered", "goodput", "errors", "p50", "p99", "utilisation"]
        var table: [[String]] = [header]
        for service in model.services {
            func value(_ metric: String) -> Double { result.value(metric, of: service.name) ?? 0 }
            table.append([
                service.name,
                String(Int64(value("offered"))),
                String(Int64(value("goodput"))),
                String(Int64(value("refused") + value("timedOut") + value("failed") + value("checkoutTimeouts") + value("aborted"))),
                milliseconds(value("latencyP50")),
                milliseconds(value("latencyP99")),
                NumberText.decimal((value("utilisation") * 1000).rounded() / 10) + "%",
            ])
        }
        lines.append(contentsOf: alignedTable(table))
        let account = Timeline.lines(stateChanges, clock: StoryClock(start: model.run.clockStart))
        if !account.isEmpty {
            let clock = model.run.clockStart.map { ", times of day from \(StoryClock.timeOfDay($0))" } ?? ""
            lines.append("timeline (\(stateChanges.count) state changes in events.csv\(clock)):")
            lines.append(contentsOf: account.map { "  " + $0 })
        }
        lines.append("wrote \(directory)/series.csv, events.csv, summary.csv, run.json")
        return lines.joined(separator: "\n")
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
