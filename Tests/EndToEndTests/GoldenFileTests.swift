import Experiments
import Foundation
import ModelFormat
import Testing

/// Every model in `models/` runs, and its files equal the golden copies in `Golden/<model>/`.
///
/// `RECORD_GOLDEN=1 swift test --filter GoldenFileTests` (or `make golden`) rewrites the golden
/// files and fails, so that a rewrite is never mistaken for a pass; review the diff, then commit.
struct GoldenFileTests {
    static let models: [String] = {
        let folder = TestFiles.inRepository("models")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".json5") }.sorted()
    }()
    static let comparedFiles = ["series.csv", "events.csv", "summary.csv", "run.json"]

    @Test func `the gallery has models`() {
        #expect(!Self.models.isEmpty)
    }

    @Test(arguments: models)
    func `each model's output equals its golden files`(file: String) throws {
        let path = TestFiles.inRepository("models/" + file)
        let loaded = try ModelLoader.load(path: path)
        let directory = TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try SingleRun.execute(loaded.model, modelHash: loaded.fileHash, directory: directory)
        let golden = TestFiles.beside("Golden/" + loaded.model.name)
        let recording = ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1"
        for name in Self.comparedFiles {
            let produced = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
            let goldenPath = golden + "/" + name
            if recording {
                try FileManager.default.createDirectory(atPath: golden, withIntermediateDirectories: true)
                try produced.write(to: URL(fileURLWithPath: goldenPath))
                Issue.record("recorded \(goldenPath); unset RECORD_GOLDEN and run again")
                continue
            }
            guard let expected = FileManager.default.contents(atPath: goldenPath) else {
                Issue.record("no golden file \(goldenPath); run `make golden`")
                continue
            }
            #expect(produced == expected, "\(file): \(name) differs from \(goldenPath)")
        }
    }
}
