import Experiments
import Foundation
import Testing

/// `faultline merge`'s reading of shard folders: the slices of one study join into the records
/// of the whole; anything else is refused, naming the folder.
struct StudyArchiveTests {
    static let replications = 5
    static let metrics = ["server.waitMean", "server.utilisation"]
    static let runs = ["run.duration=60s", "run.warmup=10s", "run.interval=10s"]

    static func plan(seed: UInt64? = nil) throws -> StudyPlan {
        try TheoryStudy.replicate(runs, metrics: metrics, replications: replications, seed: seed)
    }

    /// Runs shard `index` of `count` of the plan and writes its folder as `--shard` does.
    static func writeShard(_ plan: StudyPlan, _ index: Int, of count: Int, in root: String, named name: String? = nil) throws -> String {
        let shard = StudyShard(index: index, count: count)
        let outcome = try StudyRunner.run(plan, shard: shard, jobs: 1)
        let manifest = StudyTables.manifestJSON(plan, replications: outcome.replications, stopping: nil)
        let folder = root + "/" + (name ?? "shard-\(index)-of-\(count)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for file in StudyFiles.shard(plan.layout, shard, outcome.records, manifest: manifest) {
            try file.text.write(toFile: folder + "/" + file.name, atomically: false, encoding: .utf8)
        }
        return folder
    }

    /// The problems `merge` reports for `folders`, or a recorded issue if it merges them.
    static func problems(_ folders: [String], sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        do {
            _ = try StudyArchive.merge(folders)
            Issue.record("merged \(folders)", sourceLocation: sourceLocation)
            return []
        } catch {
            return error.problems
        }
    }

    @Test func `the shards merged in any order are the whole study`() throws {
        let root = TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let plan = try Self.plan()
        let shards = try (0..<3).map { try Self.writeShard(plan, $0, of: 3, in: root) }
        let whole = try StudyRunner.run(plan, jobs: 2)
        let merged = try StudyArchive.merge([shards[2], shards[0], shards[1]])
        #expect(merged.records == whole.records)
        #expect(merged.layout == plan.layout)
        #expect(merged.manifest == StudyTables.manifestJSON(plan, replications: Self.replications, stopping: nil))
    }

    @Test func `a missing shard is refused and named, with the command that makes it`() throws {
        let root = TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let plan = try Self.plan()
        let shards = try (0..<3).map { try Self.writeShard(plan, $0, of: 3, in: root) }
        let problems = Self.problems([shards[0], shards[2]])
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("missing shard 1/3 of 3; run each with --shard K/3, N staying 3") == true, "\(problems)")
        #expect(problems.first?.contains("sbatch --array=1 and --shard $SLURM_ARRAY_TASK_ID/3") == true)
    }

    @Test func `a shard given twice is refused, naming both folders`() throws {
        let root = TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let plan = try Self.plan()
        let shards = try (0..<2).map { try Self.writeShard(plan, $0, of: 2, in: root) }
        let copy = try Self.writeShard(plan, 1, of: 2, in: root, named: "copy")
        #expect(Self.problems(shards + [copy]) == ["\(copy): shard 1/2 is given twice (also \(shards[1]))"])
    }

    @Test func `a shard of another study is refused, naming it`() throws {
        let root = TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let plan = try Self.plan()
        let shards = try (0..<2).map { try Self.writeShard(plan, $0, of: 2, in: root) }
        let other = try Self.writeShard(try Self.plan(seed: 7), 1, of: 2, in: root, named: "other-seed")
        let problems = Self.problems([shards[0], other])
        #expect(problems.count == 2)
        #expect(problems.first?.hasPrefix("\(other): belongs to another study than \(shards[0])") == true, "\(problems)")
        // A foreign shard does not stand in for the slice it would have held.
        #expect(problems.last?.hasPrefix("missing shard 1/2 of 2") == true, "\(problems)")
    }

    @Test func `a shard of another split is refused, naming it`() throws {
        let root = TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let plan = try Self.plan()
        let shards = try (0..<2).map { try Self.writeShard(plan, $0, of: 2, in: root) }
        let third = try Self.writeShard(plan, 2, of: 3, in: root)
        let problems = Self.problems(shards + [third])
        #expect(problems == ["\(third): is shard 2/3, but \(shards[0]) is one of 2"])
    }

    @Test func `a folder that is not a shard, or not there, is refused`() throws {
        let root = TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let plan = try Self.plan()
        let shard = try Self.writeShard(plan, 0, of: 1, in: root)
        let empty = root + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let problems = Self.problems([shard, empty, root + "/nowhere"])
        #expect(problems.count == 2)
        #expect(problems.first?.hasPrefix("\(empty): not a shard folder") == true, "\(problems)")
        #expect(problems.last == "\(root)/nowhere: no such folder")
    }

    @Test func `a shard whose replications were cut short is refused`() throws {
        let root = TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let plan = try Self.plan()
        let shards = try (0..<2).map { try Self.writeShard(plan, $0, of: 2, in: root) }
        let path = shards[1] + "/replications.csv"
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        lines.removeSubrange(lines.count - 3..<lines.count - 1)  // the last replication's two rows
        try lines.joined(separator: "\n").write(toFile: path, atomically: false, encoding: .utf8)
        let problems = Self.problems(shards)
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("\(shards[1]): replications.csv does not hold the replications of shard 1/2") == true, "\(problems)")
    }
}
