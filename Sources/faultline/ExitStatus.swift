/// The process exit codes, as `DESIGN.md` fixes them.
enum ExitStatus: Int32 {
    /// Everything worked.
    case ok = 0
    /// The model ran, and at least one of its expectations failed.
    case expectationsFailed = 1
    /// The command line was wrong (`EX_USAGE`).
    case usage = 64
    /// The model file is invalid, or the model ran away into a limit (`EX_DATAERR`).
    case badModel = 65
    /// Something went wrong inside Faultline or while writing files (`EX_SOFTWARE`).
    case internalError = 70
}

/// A wrong command line, reported with the command's usage line.
struct UsageError: Error {
    var message: String
}
