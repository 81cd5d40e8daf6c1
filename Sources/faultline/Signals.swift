#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import SimulationKernel

/// SIGINT and SIGTERM during a run: the first asks the run to stop at its next event, so that its
/// files are written and marked incomplete; a second ends the process at once.
enum Signals {
    /// Catches SIGINT and SIGTERM until `restore()`. A signal the process was started with ignored
    /// (as a shell starts a background job's SIGINT, or `nohup`) stays ignored.
    static func catchInterruptions() {
        RunInterruption.reset()
        // A parent may have started the process with them blocked (some test runners do).
        var set = sigset_t()
        sigemptyset(&set)
        for number in [SIGINT, SIGTERM] where !isIgnored(number) {
            signal(number, interruptionHandler)
            sigaddset(&set, number)
        }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Back to the default handling: a signal ends the process (or stays ignored).
    static func restore() {
        for number in [SIGINT, SIGTERM] where !isIgnored(number) {
            signal(number, SIG_DFL)
        }
    }

    private static func isIgnored(_ number: Int32) -> Bool {
        var current = sigaction()
        guard sigaction(number, nil, &current) == 0 else { return false }
        let handler = current.__sigaction_handler.sa_handler.map { unsafeBitCast($0, to: Int.self) } ?? 0
        return handler == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    /// The exit status for a run stopped by a signal: 128 + its number.
    static func exitStatus(for signal: Int32) -> ExitStatus {
        signal == SIGTERM ? .terminated : .interrupted
    }
}

/// Runs in the signal's context: only async-signal-safe work (an atomic store, `write`, `_exit`).
private func interruptionHandler(_ number: Int32) {
    if RunInterruption.isRequested {
        let message: StaticString = "\nfaultline: stopped at once by a second signal; the output folder is left as it was\n"
        _ = write(STDERR_FILENO, message.utf8Start, message.utf8CodeUnitCount)
        _exit(128 + number)
    }
    RunInterruption.request(number)
}
