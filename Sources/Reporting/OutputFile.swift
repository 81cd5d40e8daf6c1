#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// A file written through a buffer to a private temporary name, and renamed into place only when
/// complete and on disk.
///
/// Until `commit()` succeeds the data lives in `.NAME.XXXXXX`, a name made by `mkstemp` beside the
/// final path, so neither a crash nor a second process writing the same file ever leaves a
/// half-written or interleaved file under the real name. `commit()` flushes the buffer, `fsync`s the
/// file, closes it and renames it; `discard()` removes the temporary file.
public final class OutputFile {
    /// Where the file ends up.
    public let path: String
    /// Where it is written meanwhile.
    public let partialPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private let bufferLimit = 1 << 16

    /// Creates the temporary file, with a name no other process uses.
    ///
    /// - Parameter path: The final path of the file; its folder must exist.
    /// - Throws: `OutputError` when the file cannot be created.
    public init(path: String) throws(OutputError) {
        self.path = path
        let url = URL(fileURLWithPath: path)
        var template = Array(url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".XXXXXX").path.utf8CString)
        descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        partialPath = String(cString: template)
        if descriptor < 0 { throw OutputError(.create, path: path, errno: errno) }
        fchmod(descriptor, 0o666 & ~RunDirectory.fileCreationMask)
        buffer.reserveCapacity(bufferLimit)
    }

    deinit {
        if descriptor >= 0 {
            systemClose(descriptor)
            unlink(partialPath)
        }
    }

    /// Appends text to the file.
    public func write(_ text: String) throws(OutputError) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= bufferLimit { try flush() }
    }

    /// Appends UTF-8 bytes to the file.
    public func write(bytes: [UInt8]) throws(OutputError) {
        if buffer.isEmpty && bytes.count >= bufferLimit {
            // A large block goes to the file as it is, not through the buffer.
            try writeAll(bytes)
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= bufferLimit { try flush() }
    }

    private func flush() throws(OutputError) {
        try writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: [UInt8]) throws(OutputError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { bytes in
                systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw OutputError(.write, path: path, errno: errno)
            }
            offset += written
        }
    }

    /// Writes what is buffered, forces it to the disk and closes the file, without renaming it yet.
    public func close() throws(OutputError) {
        guard descriptor >= 0 else { return }
        try flush()
        if fsync(descriptor) != 0 { throw OutputError(.write, path: path, errno: errno) }
        let result = systemClose(descriptor)
        descriptor = -1
        if result != 0 { throw OutputError(.write, path: path, errno: errno) }
    }

    /// Closes the file if needed and renames it to its final path.
    public func commit() throws(OutputError) {
        try close()
        if rename(partialPath, path) != 0 {
            throw OutputError(.write, path: path, errno: errno)
        }
    }

    /// Closes and removes the temporary file.
    public func discard() {
        if descriptor >= 0 {
            systemClose(descriptor)
            descriptor = -1
        }
        unlink(partialPath)
    }

    /// Writes a whole file at once: to a private temporary name, forced to disk, then renamed.
    ///
    /// - Parameters:
    ///   - text: The file's contents.
    ///   - path: Where the file goes.
    ///   - createsFolders: Whether to make the folders above it that are missing.
    /// - Throws: `OutputError`; nothing is left under `path` then.
    public static func write(_ text: String, to path: String, createsFolders: Bool = false) throws(OutputError) {
        try write(bytes: Array(text.utf8), to: path, createsFolders: createsFolders)
    }

    /// Writes a whole file of UTF-8 bytes at once, as `write(_:to:createsFolders:)` writes text.
    public static func write(bytes: [UInt8], to path: String, createsFolders: Bool = false) throws(OutputError) {
        if createsFolders { try RunDirectory.makeFolders(URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let file = try OutputFile(path: path)
        do {
            try file.write(bytes: bytes)
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }
}

#if canImport(Glibc)
private func systemClose(_ descriptor: Int32) -> Int32 { Glibc.close(descriptor) }
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { Glibc.write(descriptor, bytes, count) }
#else
private func systemClose(_ descriptor: Int32) -> Int32 { Foundation.close(descriptor) }
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { Foundation.write(descriptor, bytes, count) }
#endif
