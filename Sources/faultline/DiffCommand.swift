import Experiments
import FailureChains
import Reporting
import SimulationKernel

/// `faultline diff`: where two runs part, event by event, and the metrics that differ most.
enum DiffCommand {
    static let help = """
        USAGE: faultline diff OUT_A OUT_B [--metrics N] [--no-replay]

        Finds the first event at which two runs diverge: first by the fingerprint checkpoints
        in their run.json (the first checkpoint that differs bounds the window), then by
        replaying both runs up to that window from the model file, overrides and seed that
        run.json names, stopping at the first event that differs. Prints both events with the
        state changes that led to them (from their causes, as in events.csv), then the metrics
        of series.csv that differ most: the largest relative difference of each component and
        metric, and the interval from which they differ. A relative model file path in run.json
        is taken from the current folder; a model file that changed since its run is refused.
        See docs/diff.md.

        OPTIONS:
          --metrics N    How many differing metrics to print (default: 10; 0 for none)
          --no-replay    Compare the checkpoints and files only, without replaying
          -h, --help     Show this help

        EXIT CODES: 0 the runs are identical, 1 they differ, 64 usage, 65 a run.json or
        series.csv that is not Faultline's, a model file changed since its run, or a replay
        that does not reproduce its run, 66 a folder or file that cannot be read.
        """

    static func main(arguments: [String]) throws -> ExitStatus {
        let parsed = try ParsedArguments(arguments, valueOptions: ["--metrics"], flagOptions: ["--no-replay"])
        if parsed.wantsHelp {
            Terminal.say(help)
            return .ok
        }
        guard parsed.positional.count == 2 else {
            throw UsageError(message: parsed.positional.count < 2
                ? "diff needs two run folders, such as 'faultline diff out/airline out/airline-b'; see 'faultline diff --help'"
                : "diff takes two run folders, found \(parsed.positional.count)")
        }
        var shown = 10
        if let text = parsed.options["--metrics"] {
            guard let count = Int(text), count >= 0 else { throw UsageError(message: "--metrics needs a non-negative integer, found '\(text)'") }
            shown = count
        }
        let diff: RunDiff
        do {
            diff = try RunDiff.compare(parsed.positional[0], parsed.positional[1], replays: !parsed.flags.contains("--no-replay"))
        } catch {
            Terminal.complain(error.message)
            switch error.kind {
            case .unreadable: return .noInput
            case .malformed, .modelChanged: return .badModel
            }
        }
        Terminal.say(text(diff, metrics: shown))
        return diff.isIdentical ? .ok : .expectationsFailed
    }

    /// The report of a comparison, as printed.
    static func text(_ diff: RunDiff, metrics shown: Int) -> String {
        // Times read by the first run's story clock (`run.clockStart`), as the timeline and
        // `explain` read them; from the start when it sets none.
        let story = StoryClock(start: diff.a.clockStart)
        func clock(_ time: Instant) -> String { story.precise(time) }
        func describe(_ change: StateChange) -> String { Self.describe(change, clock: story) }
        let (a, b) = (diff.a.folder, diff.b.folder)
        if diff.isIdentical {
            return "\(a) and \(b) are identical: \(count(diff.a.eventCount)) events, fingerprint \(diff.a.fingerprint.hexadecimalDigits), the same series, events and summary"
        }
        var lines: [String] = []
        if diff.haveSameEvents {
            lines.append("\(a) and \(b) ran the same \(count(diff.a.eventCount)) events (fingerprint \(diff.a.fingerprint.hexadecimalDigits)), but their output differs")
        } else {
            lines.append("\(a) and \(b) differ: \(count(diff.a.eventCount)) events (fingerprint \(diff.a.fingerprint.hexadecimalDigits)) and \(count(diff.b.eventCount)) (\(diff.b.fingerprint.hexadecimalDigits))")
            let agreed = diff.agreeThrough == 0 ? "no checkpoint agrees" : "checkpoints agree through event \(count(diff.agreeThrough))"
            let differ = diff.differBy.map { "; the runs differ by event \(count($0))" } ?? ""
            lines.append("  \(agreed)\(differ)")
            if let divergence = diff.divergence {
                lines.append("")
                lines.append("first different event: number \(count(divergence.number))")
                let width = max(a.count, b.count)
                for (folder, event, record) in [(a, divergence.a, diff.a), (b, divergence.b, diff.b)] {
                    let label = folder.paddedWithSpaces(toLength: width)
                    if let event {
                        lines.append("  \(label)  \(clock(event.event.time))  \(event.kindName)  \(event.component)")
                    } else {
                        lines.append("  \(label)  (none: the run ended after \(count(record.eventCount)) events, \(record.stopReason))")
                    }
                }
                for (folder, event) in [(a, divergence.a), (b, divergence.b)] {
                    guard let event else { continue }
                    lines.append("")
                    lines.append("in \(folder), \(event.kindName) at \(clock(event.event.time)) on \(event.component):")
                    if event.changes.isEmpty {
                        lines.append("  changed no state of its own")
                    }
                    for change in event.changes {
                        let chain = CauseChain.causes(of: change, madeBy: event)
                        lines.append("  made    " + describe(change) + chain.map { "  ← " + describe($0) }.joined())
                    }
                    let chain = CauseChain.leadingTo(event)
                    if chain.isEmpty {
                        lines.append("  before  no state change of \(event.concerned.joined(separator: " or ")) yet")
                    } else {
                        lines.append("  before  " + chain.map(describe).joined(separator: "  ← "))
                    }
                }
            } else if let problem = diff.replayProblem {
                lines.append("  (\(problem))")
            }
        }
        if !diff.differentFiles.isEmpty {
            lines.append("")
            lines.append("files that differ: " + ((diff.metrics.isEmpty ? [] : ["series.csv"]) + diff.differentFiles).joined(separator: ", "))
        }
        if shown > 0, !diff.metrics.isEmpty {
            lines.append("")
            lines.append("metrics that differ most (\(min(shown, diff.metrics.count)) of \(diff.metrics.count)):")
            var rows = [["component", "metric", "largest", "at", a, b, "differs from", "intervals"]]
            for metric in diff.metrics.prefix(shown) {
                rows.append([metric.component, metric.metric, percent(metric.largestRelativeDifference), clock(metric.largestAt),
                             metric.valueA.map(StudyTables.number) ?? "-", metric.valueB.map(StudyTables.number) ?? "-",
                             clock(metric.firstDifferentAt), String(metric.differentIntervals)])
            }
            let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                lines.append("  " + zip(row, widths).map { $0.paddedWithSpaces(toLength: $1) }.joined(separator: "  ")
                    .replacingTrailingSpaces())
            }
        }
        return lines.joined(separator: "\n")
    }

    static func describe(_ change: StateChange, clock: StoryClock) -> String {
        let detail = change.detail.isEmpty ? "" : " (\(change.detail.text))"
        return "\(clock.precise(change.time)) \(change.component) \(change.event)\(detail)"
    }



    static func count(_ value: UInt64) -> String { String(value) }

    static func percent(_ fraction: Double) -> String {
        let tenths = Int((fraction * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }
}

private extension String {
    func replacingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
