import Experiments
import Foundation
import ModelFormat
import SimulationKernel
import Testing

/// Every model in `models/`, and every variant of each, runs, and its files equal the golden
/// copies in `Golden/<model>/` (`Golden/<model>-<variant>/` for a variant).
///
/// `events.csv`, `summary.csv` and `run.json` are kept whole, so a change shows in review;
/// `series.csv`, which runs to megabytes, is kept as its FNV-1a-64 hash (`series.csv.fnv1a64`) and
/// the hashes of its blocks of lines (`series.csv.blocks`), and `run.json`'s fingerprint pins the
/// event sequence.
///
/// A `series.csv` that differs names its first differing rows: each run that matches leaves its
/// `series.csv` in `.build/golden-series/<model>.csv`, so that after a change the test prints the
/// first rows that differ (line number, expected, actual); without that copy (a fresh checkout) it
/// prints the first block of lines that differs and the actual rows of it.
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
    /// The lines of a block of `series.csv.blocks`.
    static let blockLines = 1000

    @Test func `the gallery has models`() {
        #expect(!Self.models.isEmpty)
    }

    @Test func `the gallery has variants, each with its own golden folder`() {
        let variants = GalleryRun.all.filter { $0.variant != nil }
        #expect(!variants.isEmpty)
        #expect(Set(GalleryRun.all.map(\.name)).count == GalleryRun.all.count, "two runs share a name: \(GalleryRun.all.map(\.name))")
    }

    @Test func `every golden folder belongs to a model or a variant`() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: TestFiles.beside("Golden")).filter { !$0.hasPrefix(".") }
        let names = Set(GalleryRun.all.map(\.name))
        for folder in folders {
            #expect(names.contains(folder), "Golden/\(folder) is left over: no model or variant runs as '\(folder)'")
        }
    }

    @Test(arguments: GalleryRun.all)
    func `each model's and variant's output equals its golden files`(run: GalleryRun) throws {
        let file = run.testDescription
        let loaded = try run.load()
        let directory = TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try SingleRun.execute(loaded.model, modelHash: loaded.fileHash, effectiveModelHash: loaded.effectiveHash,
                                  modelFile: "models/" + run.file, variant: run.variant, directory: directory)
        let golden = TestFiles.beside("Golden/" + loaded.model.name)
        let recording = ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1"
        var files: [(name: String, produced: Data)] = []
        for name in Self.comparedFiles {
            files.append((name, try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))))
        }
        let series = try Data(contentsOf: URL(fileURLWithPath: directory + "/series.csv"))
        files.append(("series.csv.fnv1a64", Data((Self.hex(series) + "\n").utf8)))
        files.append(("series.csv.blocks", Self.blocks(of: series)))
        let cached = TestFiles.inRepository(".build/golden-series/" + loaded.model.name + ".csv")
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
            switch name {
            case "series.csv.fnv1a64" where produced == expected:
                Self.keep(series, at: cached)
            case "series.csv.fnv1a64":
                let difference = Self.seriesDifference(series, expectedHash: String(decoding: expected, as: UTF8.self),
                                                       blocks: FileManager.default.contents(atPath: golden + "/series.csv.blocks"), cached: cached)
                Issue.record(Comment(rawValue: "\(file): series.csv differs from \(goldenPath)\n" + difference))
            case "series.csv.blocks":
                // A differing series.csv is reported above; here the blocks must belong to the golden hash.
                let goldenHash = String(decoding: FileManager.default.contents(atPath: golden + "/series.csv.fnv1a64") ?? Data(), as: UTF8.self)
                if Self.firstLine(of: expected) != goldenHash.trimmingCharacters(in: .newlines) || (produced != expected && Self.firstLine(of: expected) == Self.hex(series)) {
                    Issue.record("\(file): \(goldenPath) does not belong to series.csv.fnv1a64 (stale after a merge?); re-record with RECORD_GOLDEN=1")
                }
            default:
                #expect(produced == expected, "\(file): \(name) differs from \(goldenPath)")
            }
        }
    }

    /// A file's FNV-1a-64 hash in 16 hexadecimal digits.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var hash = FNV1a64()
        hash.combine(bytes: bytes)
        let hex = String(hash.value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The lines of a file, without their line feeds.
    static func lines(of data: Data) -> [Data] {
        data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Data($0) }
    }

    /// `series.csv.blocks`: the whole file's hash, then one line per block of `blockLines` lines,
    /// `<first line number> <hash>`.
    static func blocks(of series: Data) -> Data {
        let lines = lines(of: series)
        var text = hex(series) + "\n"
        for start in stride(from: 0, to: lines.count, by: blockLines) {
            let block = lines[start..<min(start + blockLines, lines.count)]
            text += "\(start + 1) " + hex(block.joined(separator: [UInt8(ascii: "\n")])) + "\n"
        }
        return Data(text.utf8)
    }

    static func firstLine(of data: Data) -> String {
        String(decoding: data.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    }

    /// Keeps a `series.csv` that matched its golden hash, for the next mismatch to compare with.
    static func keep(_ series: Data, at path: String) {
        if FileManager.default.contents(atPath: path) == series { return }
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? series.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// The first rows in which a produced `series.csv` differs from the golden one.
    ///
    /// - Parameters:
    ///   - produced: The run's `series.csv`.
    ///   - expectedHash: The golden `series.csv.fnv1a64`.
    ///   - blocks: The golden `series.csv.blocks`, if there is one.
    ///   - cached: Where a copy of the golden `series.csv` is kept, if a run left one.
    static func seriesDifference(_ produced: Data, expectedHash: String, blocks: Data?, cached: String, rows: Int = 5) -> String {
        let expectedHash = expectedHash.trimmingCharacters(in: .whitespacesAndNewlines)
        var text = "hashes: expected \(expectedHash), actual \(hex(produced))\n"
        let actual = lines(of: produced)
        if let copy = FileManager.default.contents(atPath: cached), hex(copy) == expectedHash {
            let expected = lines(of: copy)
            text += "lines: expected \(expected.count), actual \(actual.count)\n"
            let first = (0..<min(expected.count, actual.count)).first { expected[$0] != actual[$0] } ?? min(expected.count, actual.count)
            var shown = 0
            for index in first..<max(expected.count, actual.count) where shown < rows {
                let wanted = index < expected.count ? String(decoding: expected[index], as: UTF8.self) : "(no line)"
                let got = index < actual.count ? String(decoding: actual[index], as: UTF8.self) : "(no line)"
                if wanted == got { continue }
                text += "line \(index + 1):\n  expected: \(wanted)\n  actual:   \(got)\n"
                shown += 1
            }
            return text
        }
        text += "no copy of the expected series.csv in \(cached) (a run that matches the golden hash leaves one)\n"
        guard let blocks, firstLine(of: blocks) == expectedHash else {
            return text + "no series.csv.blocks for this hash; re-record with RECORD_GOLDEN=1 to have one"
        }
        let wanted = lines(of: blocks).dropFirst().compactMap { line -> (start: Int, hash: String)? in
            let parts = line.split(separator: UInt8(ascii: " "))
            guard parts.count == 2, let start = Int(String(decoding: parts[0], as: UTF8.self)) else { return nil }
            return (start, String(decoding: parts[1], as: UTF8.self))
        }
        for (index, block) in wanted.enumerated() {
            let lower = block.start - 1
            let upper = index + 1 < wanted.count ? wanted[index + 1].start - 1 : max(actual.count, lower + blockLines)
            let slice = lower < actual.count ? actual[lower..<min(upper, actual.count)] : []
            if hex(slice.joined(separator: [UInt8(ascii: "\n")])) == block.hash { continue }
            text += "the first differing block is lines \(block.start)-\(upper) (actual: \(actual.count) lines); its first actual rows:\n"
            for (index, line) in zip(slice.indices, slice.prefix(rows)) { text += "line \(index + 1): " + String(decoding: line, as: UTF8.self) + "\n" }
            return text
        }
        return text + "every block of lines matches; the lines beyond them differ (actual \(actual.count) lines)"
    }
}
