#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// A file or folder could not be made or written: what, which, and why, in words a user reads.
public struct OutputError: Error, CustomStringConvertible, Equatable {
    /// What was being done when it failed.
    public enum Action: String, Sendable {
        /// Making a file or a folder: the output cannot be created (`EX_CANTCREAT`).
        case create
        /// Writing, flushing or moving a file that was made: an input/output error (`EX_IOERR`).
        case write
    }

    /// What was being done.
    public var action: Action
    /// The file or folder concerned.
    public var path: String
    /// Why, as a phrase: `a file of that name exists`.
    public var reason: String

    /// Creates an error.
    public init(_ action: Action, path: String, reason: String) {
        self.action = action
        self.path = path
        self.reason = reason
    }

    /// Creates an error from the `errno` a system call left.
    public init(_ action: Action, path: String, errno code: Int32) {
        self.init(action, path: path, reason: SystemError.phrase(for: code))
    }

    public var description: String { "cannot \(action.rawValue) \(path): \(reason)" }
}

/// Plain words for the system's error numbers.
enum SystemError {
    /// A short phrase for an `errno` value, in the words of the situations users meet.
    static func phrase(for code: Int32) -> String {
        switch code {
        case EEXIST: return "a file of that name exists"
        case ENOTDIR: return "a part of the path is a file, not a folder"
        case EISDIR: return "it is a folder"
        case EACCES, EPERM: return "permission denied"
        case ENOENT: return "no such file or folder"
        case ENOSPC: return "no space left on the device"
        case EDQUOT: return "the disk quota is exhausted"
        case EFBIG: return "the file is larger than this process may write"
        case EROFS: return "the file system is read-only"
        case ENAMETOOLONG: return "the name is too long"
        case ENOTEMPTY: return "the folder is not empty"
        case EIO: return "an input/output error"
        default: return String(cString: strerror(code)).lowercased()
        }
    }
}
