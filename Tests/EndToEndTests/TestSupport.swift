import FailureChains
import Foundation
import ModelFormat
import Testing

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

/// What one run of the built `faultline` executable printed, and how it ended.
struct CommandResult {
    /// The exit code, or the signal number if the process was killed by a signal.
    var status: Int32
    /// Whether the process exited by itself rather than by a signal (a crash).
    var exitedNormally: Bool
    var standardOutput: String
    var standardError: String

    /// The lines of standard error, without the empty one after the last newline.
    var errorLines: [String] { standardError.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
}

/// Runs the `faultline` executable that the build put beside the test bundle.
enum Faultline {
    /// The executable: `FAULTLINE_EXECUTABLE` if set, else `faultline` in the test bundle's build
    /// products folder (SwiftPM puts the `.xctest` bundle and the executable products together, as
    /// in `.build/debug/`), else `.build/debug` or `.build/release` under the repository.
    static let executable: URL? = {
        var candidates: [URL] = []
        if let path = ProcessInfo.processInfo.environment["FAULTLINE_EXECUTABLE"] {
            candidates.append(URL(fileURLWithPath: path))
        }
        if let bundle = Bundle.main.executableURL {
            candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("faultline"))
        }
        candidates.append(contentsOf: Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent().appendingPathComponent("faultline") })
        for configuration in ["debug", "release"] {
            candidates.append(TestFiles.repository.appendingPathComponent(".build/\(configuration)/faultline"))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// Runs a `/bin/sh` script with `$FAULTLINE` naming the executable, and waits for it.
    static func runInShell(_ script: String) throws -> CommandResult {
        guard let executable else { throw TestFailure(message: "no built faultline executable; run 'swift build' first") }
        return try run(["-c", script], program: URL(fileURLWithPath: "/bin/sh"), environment: ["FAULTLINE": executable.path])
    }

    /// Runs the executable with arguments and waits for it.
    ///
    /// Output goes through files rather than pipes, so a chatty process cannot block on a full pipe.
    static func run(_ arguments: [String], program: URL? = nil, environment: [String: String] = [:],
                    in folder: String? = nil, whileRunning: ((Process) -> Void)? = nil) throws -> CommandResult {
        guard let executable = program ?? executable else {
            throw TestFailure(message: "no built faultline executable beside \(Bundle.main.executableURL?.path ?? "the tests"); run 'swift build' first")
        }
        let directory = TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outputPath = directory + "/stdout", errorPath = directory + "/stderr"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let error = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = error
        try process.run()
        whileRunning?(process)
        process.waitUntilExit()
        try output.close()
        try error.close()
        func text(_ path: String) -> String {
            String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
        }
        return CommandResult(status: process.terminationStatus, exitedNormally: process.terminationReason == .exit,
                             standardOutput: text(outputPath), standardError: text(errorPath))
    }
}

extension TestFiles {
    /// Writes text to a new file in a fresh temporary directory and returns its path.
    static func temporaryFile(named name: String, _ text: String) -> String {
        temporaryFile(named: name, bytes: Array(text.utf8))
    }

    /// Writes bytes to a new file in a fresh temporary directory and returns its path.
    static func temporaryFile(named name: String, bytes: [UInt8]) -> String {
        let path = temporaryDirectory() + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }
}

/// One run of the gallery: a model file of `models/`, as its baseline or as one of its variants.
struct GalleryRun: Sendable, CustomTestStringConvertible {
    /// The file's name in `models/`: `airline.json5`.
    var file: String
    /// The variant, or nil for the baseline.
    var variant: String?
    /// The name it runs under, which names its golden folder: `airline-timeouts`.
    var name: String

    var testDescription: String { variant.map { "\(file) --variant \($0)" } ?? file }

    /// The file's path.
    var path: String { TestFiles.inRepository("models/" + file) }

    /// Loads the model as this run takes it.
    func load() throws -> LoadedModel {
        try ModelLoader.load(path: path, variant: variant)
    }

    /// Every model of `models/` and every variant of each, in file order, each baseline before
    /// its variants; a file that does not load is listed as its baseline alone (its tests then fail).
    static let all: [GalleryRun] = {
        let folder = TestFiles.inRepository("models")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".json5") }.sorted()
        return names.flatMap { file -> [GalleryRun] in
            guard let loaded = try? ModelLoader.load(path: folder + "/" + file) else {
                return [GalleryRun(file: file, variant: nil, name: String(file.dropLast(".json5".count)))]
            }
            return [GalleryRun(file: file, variant: nil, name: loaded.model.name)]
                + loaded.variants.map { GalleryRun(file: file, variant: $0.name, name: ModelVariant.runName(model: loaded.model.name, variant: $0.name)) }
        }
    }()

    /// The run of that name: `airline-timeouts`.
    static func named(_ name: String) throws -> GalleryRun {
        guard let run = all.first(where: { $0.name == name }) else {
            throw TestFailure(message: "no model or variant in models/ runs as '\(name)'")
        }
        return run
    }
}
