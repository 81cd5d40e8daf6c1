import Foundation

/// Writing to the terminal: results to standard output, diagnostics and progress to standard error.
enum Terminal {
    /// Whether standard error is a terminal, so progress may be shown there.
    static var showsProgress: Bool { isatty(STDERR_FILENO) == 1 }

    /// Writes a line of results to standard output.
    static func say(_ line: String) {
        print(line)
    }

    /// Writes a diagnostic line to standard error.
    static func complain(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Overwrites the current progress line on standard error.
    static func progress(_ line: String) {
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
    }

    /// Clears the progress line.
    static func clearProgress() {
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}

/// Shows a run's progress on a terminal once it has lasted a couple of seconds, at most a few
/// times a second; shows nothing when standard error is not a terminal.
final class ProgressMeter {
    private let start = DispatchTime.now().uptimeNanoseconds
    private var lastShown: UInt64 = 0
    private let total: Double
    private(set) var hasShown = false

    init(totalSeconds: Double) { total = totalSeconds }

    func update(simulated: Double, events: UInt64) {
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - start > 2_000_000_000, now - lastShown > 250_000_000 else { return }
        lastShown = now
        hasShown = true
        let percent = total > 0 ? Int(simulated / total * 100) : 0
        let rate = Double(events) / (Double(now - start) / 1e9)
        Terminal.progress("  simulated \(Int(simulated))s of \(Int(total))s (\(percent)%), \(events) events, \(Int(rate / 1000))k events/s")
    }

    func finish() {
        if hasShown { Terminal.clearProgress() }
    }
}
