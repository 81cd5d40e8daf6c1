import FailureChains
import Foundation
import SimulationKernel

/// A model read from a file: the model, and the hash of the file's bytes for `run.json`.
public struct LoadedModel: Sendable {
    /// The validated model.
    public var model: SystemModel
    /// FNV-1a-64 of the file's bytes.
    public var fileHash: UInt64
    /// The file as given.
    public var file: String
}

/// Reads, parses and validates model files, reporting every problem at once.
public enum ModelLoader {
    /// The newest model format version this build reads.
    public static let newestVersion = 1

    /// Loads a model file.
    ///
    /// - Parameters:
    ///   - path: The file, as the user gave it; errors name it this way.
    ///   - limits: Size and nesting limits for the reader.
    /// - Throws: `ModelErrors` with every problem found, each located by line and column.
    public static func load(path: String, limits: ReaderLimits = .standard) throws(ModelErrors) -> LoadedModel {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? Int, size > limits.maximumBytes {
            throw ModelErrors([ModelError(file: path, location: .start,
                message: "file is \(size) bytes, more than the limit of \(limits.maximumBytes) bytes")])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            var isFolder: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
            let reason = !exists ? "no such file" : isFolder.boolValue ? "it is a folder, not a model file"
                : access(path, R_OK) != 0 ? "permission denied" : "the file cannot be read"
            throw ModelErrors([ModelError(file: path, location: .start, message: reason)], isUnreadableFile: true)
        }
        return try load(bytes: [UInt8](data), file: path, limits: limits)
    }

    /// Loads a model from bytes, naming `file` in errors.
    ///
    /// - Throws: `ModelErrors` with every problem found.
    public static func load(bytes: [UInt8], file: String, limits: ReaderLimits = .standard) throws(ModelErrors) -> LoadedModel {
        let root = try JSON5Parser.parse(bytes, file: file, limits: limits)
        let diagnostics = Diagnostics(file: file)
        let model = ModelDecoder(diagnostics: diagnostics).decode(root)
        try diagnostics.throwIfAny()
        guard let model else {
            throw ModelErrors([ModelError(file: file, location: .start, message: "the model could not be read")])
        }
        var hash = FNV1a64()
        hash.combine(bytes: bytes)
        return LoadedModel(model: model, fileHash: hash.value, file: file)
    }
}
