import Experiments
import FailureChains
import Foundation
import ModelFormat
import Reporting
import SimulationKernel
import Testing

/// `faultline diff`: the checkpoints in run.json, the replay to the first different event, and the
/// command's answers and exit codes.
struct RunDiffTests {
    static let airline = TestFiles.inRepository("models/airline.json5")

    /// Runs the executable's `run` on a model with overrides into a fresh folder.
    func run(_ model: String, _ overrides: [String] = [], seed: UInt64? = nil) throws -> String {
        let out = TestFiles.temporaryDirectory() + "/run"
        let result = try Faultline.run(["run", model, "--out", out] + overrides.flatMap { ["--set", $0] } + (seed.map { ["--seed", String($0)] } ?? []))
        #expect(result.status == 0, "\(result.standardError)")
        return out
    }

    /// Every event of a run, replayed from its run.json.
    func trace(of folder: String) throws -> (record: RunRecord, events: [ReplayedEvent]) {
        let record = try RunRecord.read(folder: folder)
        let events = RunReplay.events(of: try RunReplay.model(for: record), from: 1, through: .max).events
        return (record, events)
    }

    @Test func `a run compared with itself is identical and exits 0`() throws {
        let folder = try run(Self.airline)
        let again = try run(Self.airline)
        for other in [folder, again] {
            let result = try Faultline.run(["diff", folder, other])
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardOutput.hasPrefix("\(folder) and \(other) are identical: 581372 events, fingerprint 3794d1e4fcb5254d"))
        }
    }

    @Test(arguments: ["services.cf.dependencies.db.pool.size=41", "traffic.kiosks.profile[2].rate=13/s", "run.seed=3"])
    func `the first different event of the airline and a variant is the first where their full traces differ`(override: String) throws {
        let folderA = try run(Self.airline)
        let folderB = try run(Self.airline, [override])
        let diff = try RunDiff.compare(folderA, folderB)
        #expect(!diff.isIdentical)
        let divergence = try #require(diff.divergence)
        let (recordA, traceA) = try trace(of: folderA)
        let (recordB, traceB) = try trace(of: folderB)
        // The traces are the runs': their fingerprints are those run.json records.
        for (record, trace) in [(recordA, traceA), (recordB, traceB)] {
            var fingerprint = Fingerprint()
            for event in trace { fingerprint.record(time: event.time, kind: event.kind, component: event.component) }
            #expect(fingerprint.value == record.fingerprint)
            #expect(UInt64(trace.count) == record.eventCount)
        }
        let first = try #require(traceA.indices.first { $0 >= traceB.count || !traceA[$0].matches(traceB[$0]) })
        #expect(divergence.number == UInt64(first + 1))
        #expect(divergence.a?.event == traceA[first])
        #expect(divergence.b?.event == traceB[first])
        #expect(divergence.number > diff.agreeThrough)
        let differBy = try #require(diff.differBy)
        #expect(divergence.number <= differBy)
        // The CLI says the same, and exits 1.
        let result = try Faultline.run(["diff", folderA, folderB])
        #expect(result.status == 1, "\(result.standardError)")
        #expect(result.standardOutput.contains("first different event: number \(divergence.number)\n"))
        #expect(result.standardOutput.contains("metrics that differ most"))
        // Times read by the airline's story clock (run.clockStart 23:00), as in explain.
        let time = StoryClock(start: try #require(recordA.clockStart)).precise(traceA[first].time)
        #expect(recordA.clockStart == .seconds(23 * 3600))
        #expect(result.standardOutput.contains("  \(time)  "), "\(result.standardOutput)")
    }

    @Test func `the checkpoints in run.json are the fingerprints of the replayed trace every interval events`() throws {
        let folder = try run(Self.airline)
        let (record, trace) = try trace(of: folder)
        let checkpoints = try #require(record.checkpoints)
        #expect(checkpoints.interval == 32_768)
        #expect(checkpoints.entries.count == 17)
        var fingerprint = Fingerprint()
        for (index, event) in trace.enumerated() {
            fingerprint.record(time: event.time, kind: event.kind, component: event.component)
            if let checkpoint = checkpoints.checkpoint(at: UInt64(index + 1)) {
                #expect(checkpoint.fingerprint == fingerprint)
                #expect(checkpoint.time == event.time)
            }
        }
        let again = try RunRecord.read(folder: try run(Self.airline))
        #expect(again.checkpoints == checkpoints)
    }

    @Test func `the metrics that differ most are named with the interval they start to differ from`() throws {
        let folderA = try run(Self.airline)
        let folderB = try run(Self.airline, ["services.cf.dependencies.db.pool.size=41"])
        let diff = try RunDiff.compare(folderA, folderB)
        let idle = try #require(diff.metrics.first { $0.component == "cf" && $0.metric == "connectionsIdle.db" })
        #expect(idle.firstDifferentAt == .zero)
        // A few idle connections more, in pools that hold 160 or 164 together: a small difference.
        #expect(idle.largestRelativeDifference > 0 && idle.largestRelativeDifference < 0.1)
        #expect(diff.metrics.first?.largestRelativeDifference == 1)
        #expect(zip(diff.metrics, diff.metrics.dropFirst()).allSatisfy { $0.largestRelativeDifference >= $1.largestRelativeDifference })
    }

    @Test func `a model file changed since its run is refused with exit 65`() throws {
        let model = TestFiles.temporaryFile(named: "tiny.json5", CommandLineTests.tinyModel)
        let folderA = try run(model)
        let folderB = try run(model, ["services.web.instances=3"])
        try (CommandLineTests.tinyModel + "\n// edited\n").write(toFile: model, atomically: true, encoding: .utf8)
        let result = try Faultline.run(["diff", folderA, folderB])
        #expect(result.status == 65)
        #expect(result.standardError.hasPrefix("\(model): error: the model file changed since the run in \(folderA)"))
        #expect(result.standardOutput.isEmpty)
    }

    @Test func `runs of a model with and without an override differ at their first different event`() throws {
        let model = TestFiles.temporaryFile(named: "tiny.json5", CommandLineTests.tinyModel)
        let result = try Faultline.run(["diff", try run(model), try run(model, ["services.web.instances=3"])])
        #expect(result.status == 1, "\(result.standardError)")
        #expect(result.standardOutput.contains("first different event: number "))
    }

    @Test func `runs with seeds beyond Int64 are read and replayed`() throws {
        let model = TestFiles.temporaryFile(named: "tiny.json5", CommandLineTests.tinyModel)
        let folder = try run(model, seed: .max)
        #expect(try RunRecord.read(folder: folder).seed == UInt64.max)
        #expect(try Faultline.run(["diff", folder, try run(model, seed: .max)]).status == 0)
        let result = try Faultline.run(["diff", folder, try run(model, ["services.web.instances=3"], seed: .max)])
        #expect(result.status == 1, "\(result.standardError)")
        #expect(result.standardOutput.contains("first different event: number "))
    }

    @Test func `bad input is a usage error, an unreadable folder or a malformed run.json`() throws {
        let folder = try run(TestFiles.temporaryFile(named: "tiny.json5", CommandLineTests.tinyModel))
        let missing = TestFiles.temporaryDirectory() + "/none"
        #expect(try Faultline.run(["diff", folder]).status == 64)
        #expect(try Faultline.run(["diff", folder, folder, folder]).status == 64)
        #expect(try Faultline.run(["diff", folder, folder, "--metrics", "-1"]).status == 64)
        let absent = try Faultline.run(["diff", folder, missing])
        #expect(absent.status == 66)
        #expect(absent.errorLines == ["\(missing): error: no such folder"])
        let broken = TestFiles.temporaryDirectory()
        for name in ["series.csv", "events.csv", "summary.csv"] {
            try FileManager.default.copyItem(atPath: folder + "/" + name, toPath: broken + "/" + name)
        }
        let lines = try String(contentsOfFile: folder + "/run.json", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let edited = lines.map { $0.hasPrefix(#"  "eventCount": "#) ? #"  "eventCount": "many","# : String($0) }
        #expect(edited != lines.map(String.init))
        try edited.joined(separator: "\n").write(toFile: broken + "/run.json", atomically: true, encoding: .utf8)
        let malformed = try Faultline.run(["diff", folder, broken])
        #expect(malformed.status == 65)
        #expect(malformed.standardError.hasPrefix("\(broken)/run.json:15:17: error: eventCount: must be a non-negative integer, found a string"),
                "\(malformed.standardError)")
    }

    @Test func `diff has help`() throws {
        let result = try Faultline.run(["diff", "--help"])
        #expect(result.status == 0)
        #expect(result.standardOutput.hasPrefix("USAGE: faultline diff OUT_A OUT_B"))
        #expect(try Faultline.run(["help", "diff"]).standardOutput == result.standardOutput)
    }
}
