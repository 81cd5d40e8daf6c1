#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import Dispatch

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
        writeToStandardError(line + "\n")
    }

    /// Overwrites the current progress line on standard error.
    static func progress(_ line: String) {
        writeToStandardError("\r\u{1B}[2K" + line)
    }

    /// Clears the progress line.
    static func clearProgress() {
        writeToStandardError("\r\u{1B}[2K")
    }

    /// Writes all of `text` to standard error at once, unbuffered, as Foundation's
    /// `FileHandle.standardError.write` did.
    private static func writeToStandardError(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            offset += written
        }
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
