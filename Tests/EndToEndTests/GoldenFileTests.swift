import Experiments
import Foundation
import ModelFormat
import SimulationKernel
import Testing

/// Every model in `models/` runs, and its files equal the golden copies in `Golden/<model>/`.
///
/// `events.csv`, `summary.csv` and `run.json` are kept whole, so a change shows in review;
/// `series.csv`, which runs to megabytes, is kept as its FNV-1a-64 hash (`series.csv.fnv1a64`),
/// and `run.json`'s fingerprint pins the event sequence.
///
/// `RECORD_GOLDEN=1 swift test --filter GoldenFileTests` (or `make golden`) rewrites the golden
/// files and fails, so that a rewrite is never mistaken for a pass; review the diff, then commit.
struct GoldenFileTests {
    static let models: [String] = {
        let folder = TestFiles.inRepository("models")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".json5") }.sorted()
    }()
    static let comparedFiles = ["events.csv", "summary.csv", "run.json"]
    static let hashedFiles = ["series.csv"]

    @Test func `the gallery has models`() {
        #expect(!Self.models.isEmpty)
    }

    @Test(arguments: models)
    func `each model's output equals its golden files`(file: String) throws {
        let path = TestFiles.inRepository("models/" + file)
        let loaded = try ModelLoader.load(path: path)
        let directory = TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try SingleRun.execute(loaded.model, modelHash: loaded.fileHash, modelFile: "models/" + file, directory: directory)
        let golden = TestFiles.beside("Golden/" + loaded.model.name)
        let recording = ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1"
        var files: [(name: String, produced: Data)] = []
        for name in Self.comparedFiles {
            files.append((name, try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))))
        }
        for name in Self.hashedFiles {
            var hash = FNV1a64()
            hash.combine(bytes: try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
            let hex = String(hash.value, radix: 16)
            files.append((name + ".fnv1a64", Data((String(repeating: "0", count: 16 - hex.count) + hex + "\n").utf8)))
        }
        for (name, produced) in files {
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
