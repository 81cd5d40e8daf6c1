import FailureChains
import Foundation
import ModelFormat

/// Paths of files beside the tests and in the repository, found from this file's path.
enum TestFiles {
    /// The repository's top folder.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A file under `Tests/EndToEndTests/`.
    static func beside(_ relative: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(relative).path
    }

    /// A file under the repository's top folder.
    static func inRepository(_ relative: String) -> String {
        repository.appendingPathComponent(relative).path
    }

    /// Loads a model file, failing the test with every problem if it does not load.
    static func model(_ path: String) throws -> SystemModel {
        do {
            return try ModelLoader.load(path: path).model
        } catch {
            throw TestFailure(message: error.description)
        }
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "faultline-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
