import Foundation

/// A file written through a buffer to a temporary name, and renamed into place only when complete.
///
/// Until `commit()` succeeds the data lives in `.NAME.partial` beside the final path, so a crash or
/// Ctrl-C never leaves a half-written file under the real name. `discard()` removes the partial file.
public final class OutputFile {
    /// Where the file ends up.
    public let path: String
    /// Where it is written meanwhile.
    public let partialPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private let bufferLimit = 1 << 16

    /// Creates the partial file, replacing any left from an earlier run.
    ///
    /// - Parameter path: The final path of the file.
    /// - Throws: `OutputError` when the file cannot be created.
    public init(path: String) throws(OutputError) {
        self.path = path
        let url = URL(fileURLWithPath: path)
        partialPath = url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".partial").path
        descriptor = open(partialPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if descriptor < 0 { throw OutputError(path: partialPath, reason: String(cString: strerror(errno))) }
        buffer.reserveCapacity(bufferLimit)
    }

    deinit {
        if descriptor >= 0 {
            Foundation.close(descriptor)
            unlink(partialPath)
        }
    }

    /// Appends text to the file.
    public func write(_ text: String) throws(OutputError) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= bufferLimit { try flush() }
    }

    private func flush() throws(OutputError) {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { bytes in
                Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw OutputError(path: partialPath, reason: String(cString: strerror(errno)))
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and closes the partial file, without renaming it yet.
    public func close() throws(OutputError) {
        guard descriptor >= 0 else { return }
        try flush()
        let result = Foundation.close(descriptor)
        descriptor = -1
        if result != 0 { throw OutputError(path: partialPath, reason: String(cString: strerror(errno))) }
    }

    /// Closes the file if needed and renames it to its final path.
    public func commit() throws(OutputError) {
        try close()
        if rename(partialPath, path) != 0 {
            throw OutputError(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Closes and removes the partial file.
    public func discard() {
        if descriptor >= 0 {
            Foundation.close(descriptor)
            descriptor = -1
        }
        unlink(partialPath)
    }
}

/// A file could not be written.
public struct OutputError: Error, CustomStringConvertible {
    /// The file concerned.
    public var path: String
    /// What the system said.
    public var reason: String

    /// Creates an error.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "cannot write \(path): \(reason)" }
}
