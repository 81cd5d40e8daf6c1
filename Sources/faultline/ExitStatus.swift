import Reporting

/// The process exit codes: `DESIGN.md`'s, and the BSD `sysexits.h` codes for files.
enum ExitStatus: Int32 {
    /// Everything worked.
    case ok = 0
    /// The model ran, and at least one of its expectations failed.
    case expectationsFailed = 1
    /// The command line was wrong (`EX_USAGE`).
    case usage = 64
    /// The model file is invalid, or the model ran away into a limit (`EX_DATAERR`).
    case badModel = 65
    /// A model file is missing or cannot be read (`EX_NOINPUT`).
    case noInput = 66
    /// Something went wrong inside Faultline (`EX_SOFTWARE`).
    case internalError = 70
    /// An output file or folder cannot be created (`EX_CANTCREAT`).
    case cannotCreate = 73
    /// An output file could not be written, flushed or moved into place (`EX_IOERR`), such as on a
    /// full disk.
    case ioError = 74
    /// The run was stopped by SIGINT (128 + 2, as a shell reports it).
    case interrupted = 130
    /// The run was stopped by SIGTERM (128 + 15).
    case terminated = 143
}

extension ExitStatus {
    /// The status for an output that could not be made (73) or written (74).
    init(_ error: OutputError) {
        self = error.action == .create ? .cannotCreate : .ioError
    }
}

/// A wrong command line, reported with the command's usage line.
struct UsageError: Error {
    var message: String
}

/// A command that failed after saying why: the status to exit with.
struct CommandFailure: Error {
    var status: ExitStatus
}
