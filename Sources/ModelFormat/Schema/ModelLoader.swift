import FailureChains
import Foundation
import SimulationKernel

/// A model read from a file: the model, and the hash of the file's bytes for `run.json`.
public struct LoadedModel: Sendable {
    /// The validated model, overrides applied.
    public var model: SystemModel
    /// FNV-1a-64 of the file's bytes.
    public var fileHash: UInt64
    /// The file as given.
    public var file: String
    /// The `--set` arguments applied, in order.
    public var overrides: [String] = []
    /// FNV-1a-64 of the file's bytes followed, for each override in order, by a 0 byte and the
    /// argument's UTF-8 text (`services.web.instances=6`); equal to `fileHash` without overrides.
    public var effectiveHash: UInt64
}

/// Reads, parses and validates model files, reporting every problem at once.
public enum ModelLoader {
    /// The newest model format version this build reads.
    public static let newestVersion = 1

    /// Loads a model file.
    ///
    /// - Parameters:
    ///   - path: The file, as the user gave it; errors name it this way.
    ///   - overrides: `--set PATH=VALUE` changes to apply, in order; their problems name the argument.
    ///   - limits: Size and nesting limits for the reader.
    /// - Throws: `ModelErrors` with every problem found, each located by line and column (or by
    ///   its `--set` argument).
    public static func load(path: String, overrides: [Override] = [], limits: ReaderLimits = .standard) throws(ModelErrors) -> LoadedModel {
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
        return try load(bytes: [UInt8](data), file: path, overrides: overrides, limits: limits)
    }

    /// Loads a model from bytes, naming `file` in errors.
    ///
    /// - Throws: `ModelErrors` with every problem found.
    public static func load(bytes: [UInt8], file: String, overrides: [Override] = [],
                            limits: ReaderLimits = .standard) throws(ModelErrors) -> LoadedModel {
        var root = try JSON5Parser.parse(bytes, file: file, limits: limits)
        let diagnostics = Diagnostics(file: file)
        if !overrides.isEmpty {
            root = OverrideSplicer.apply(overrides, to: root, diagnostics: diagnostics, limits: limits)
        }
        let model = ModelDecoder(diagnostics: diagnostics).decode(root)
        try diagnostics.throwIfAny()
        guard let model else {
            throw ModelErrors([ModelError(file: file, location: .start, message: "the model could not be read")])
        }
        var hash = FNV1a64()
        hash.combine(bytes: bytes)
        let fileHash = hash.value
        for override in overrides {
            hash.combine(byte: 0)
            hash.combine(bytes: Array(override.argument.utf8))
        }
        return LoadedModel(model: model, fileHash: fileHash, file: file,
                           overrides: overrides.map(\.argument), effectiveHash: hash.value)
    }
}
