import Foundation
import Testing

/// `faultline explain` on real runs, through the executable.
struct ExplainCommandTests {
    /// The airline's run folder, written once by `faultline run`.
    static let airline: String = {
        let out = TestFiles.temporaryDirectory() + "/airline"
        _ = try? Faultline.run(["run", TestFiles.inRepository("models/airline.json5"), "--out", out])
        return out
    }()

    @Test func `explain tells the airline's chapter-2 chain with durations, on the story clock`() throws {
        let result = try Faultline.run(["explain", Self.airline])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "airline: 5 triggers in 209 state changes; times of day from 23:00 (run.clockStart)")
        // failover → leaks → pool exhausted → threads blocked at checkout → kiosks' threads blocked → restarts
        #expect(lines.contains("00:20 oracle failover"))
        let leak = try #require(lines.first { $0.contains("connections to db leaked") })
        #expect(leak.hasPrefix("  00:20 cf[0..3] 160 connections to db leaked (40 of 40 each) for 3h09m to 3h54m, until restarted (03:30 to 04:15)"))
        #expect(leak.hasSuffix("← oracle failover at 00:20"))
        let pool = try #require(lines.first { $0.contains("pool db exhausted (") })
        #expect(pool.hasPrefix("  02:24 cf[0..3] pool db exhausted (0 in use, 40 leaked) for 1h04m to 1h50m, until restarted (03:30 to 04:15) ← cf[0..3] 160 connections to db leaked since 00:20 ←"))
        let threads = try #require(lines.first { $0.contains("cf[0..3].ejb all 25 threads busy") })
        #expect(threads.hasPrefix("  02:27 cf[0..3].ejb all 25 threads busy (25 at checkout of db) for 1h02m to 1h47m, until restarted (03:30 to 04:15) ← cf[0..3] pool db exhausted since 02:24 ←"))
        let kiosks = try #require(lines.first { $0.contains("kiosk[0..1] all 40 threads busy") })
        #expect(kiosks.hasPrefix("  02:27 kiosk[0..1] all 40 threads busy (40 in calls to cf) for 2h47m, until restarted at 05:15 ← cf[0..3].ejb all threads busy since 02:27 ←"))
        #expect(kiosks.hasSuffix("← oracle failover at 00:20"))
        #expect(lines.contains("03:30 cf[0..3] crash (03:30 to 04:15)"))
        #expect(lines.contains("05:15 kiosk crash"))
        // The order of the story: each consequence after its cause.
        let order = [leak, pool, threads, kiosks].map { lines.firstIndex(of: $0) ?? -1 }
        #expect(order == order.sorted() && !order.contains(-1))
    }

    @Test func `explain of a folder without a run's files says so and exits 66`() throws {
        let result = try Faultline.run(["explain", TestFiles.temporaryDirectory()])
        #expect(result.status == 66)
        #expect(result.standardError.contains("run.json: no such file (is this a run's output folder?)"))
    }

    @Test func `explain of a malformed events.csv names the line and exits 65`() throws {
        let folder = TestFiles.temporaryDirectory()
        try Data(#"{"model": "m"}"#.utf8).write(to: URL(fileURLWithPath: folder + "/run.json"))
        try Data("time,component,event,detail,cause\n1.5,m,runStarted,seed 1\n".utf8).write(to: URL(fileURLWithPath: folder + "/events.csv"))
        let result = try Faultline.run(["explain", folder])
        #expect(result.status == 65)
        #expect(result.standardError == "faultline: error: \(folder)/events.csv: line 2: expected 5 fields, found 4\n")
    }

    @Test func `explain needs exactly one folder`() throws {
        #expect(try Faultline.run(["explain"]).status == 64)
        #expect(try Faultline.run(["explain", "a", "b"]).status == 64)
    }

    @Test func `run.json records the clock start only for a model that sets it`() throws {
        let manifest = try String(contentsOfFile: Self.airline + "/run.json", encoding: .utf8)
        #expect(manifest.contains("  \"warmup\": 0.000000000,\n  \"clockStart\": \"23:00\",\n  \"endTime\": 25200.000000000,\n"))
        let out = TestFiles.temporaryDirectory() + "/cascade"
        _ = try Faultline.run(["run", TestFiles.inRepository("models/cascade.json5"), "--out", out])
        #expect(!(try String(contentsOfFile: out + "/run.json", encoding: .utf8)).contains("clockStart"))
    }

    @Test func `the terminal timeline of the airline reads the story clock and says how long the pools stayed exhausted`() throws {
        let out = TestFiles.temporaryDirectory() + "/airline"
        let result = try Faultline.run(["run", TestFiles.inRepository("models/airline.json5"), "--out", out])
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.contains("timeline (209 state changes in events.csv, times of day from 23:00):"))
        #expect(lines.contains("  02:24:01.617  cf poolExhausted ×4 (cf[0..3], held 1h04m to 1h50m, until 04:15:00.000, restarted): db: 0 in use, 40 leaked  ← connectionsLeaked 40 of 40"))
        #expect(lines.contains { $0.hasPrefix("  00:20:08.954  cf connectionLeaked ×160 (cf[0..3], held 3h09m to 3h54m, until 04:15:00.000, restarted): at worst db: 40 of 40 leaked") })
    }
}
