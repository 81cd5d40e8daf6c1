import FailureChains
import Reporting
import SimulationKernel
import Testing

struct TimelineTests {
    /// Health checks eject the instances of a farm one after another: 5 of 6 admitted first, then
    /// none, then all back.
    var ejections: [StateChange] {
        var changes = [change(0, "shop", "runStarted", "seed 1")]
        for index in 0..<6 {
            let seconds = 100 + Double(index)
            changes.append(change(seconds, "web[\(index)]", "instanceEjected", "\(5 - index) of 6 admitted", cause: "healthCheckFailed 3x (timeout)"))
        }
        for index in 0..<6 {
            let seconds = 400 + Double(index) * 10
            changes.append(change(seconds, "web[\(index)]", "instanceReadmitted", "\(index + 1) of 6 admitted", cause: "healthCheckPassed 2x"))
        }
        changes.append(change(600, "shop", "runEnded", "end of run; 0 requests in flight cut off"))
        return changes
    }

    @Test func `a folded line says how long the state held and its worst detail`() throws {
        let entry = try #require(Timeline.entries(ejections).first)
        #expect(entry.event == "instanceEjected")
        #expect(entry.count == 6)
        #expect(entry.detail == "5 of 6 admitted")
        #expect(entry.worst == "0 of 6 admitted")
        #expect(entry.shortest == .seconds(300))
        #expect(entry.longest == .seconds(345))
        #expect(entry.end == Instant(nanoseconds: 450_000_000_000))
        #expect(Timeline.lines(ejections) == [
            "1:40.000  web instanceEjected ×6 (web[0..5], held 5m to 5m45s, until 7:30.000, readmitted): at worst 0 of 6 admitted  ← healthCheckFailed 3x (timeout)",
        ])
    }

    @Test func `a state a crash resets holds until the crash, and one never ended until the end of the run`() {
        let changes = [
            change(10, "cf[0]", "poolExhausted", "db: 0 in use, 40 leaked", cause: "connectionsLeaked 40 of 40"),
            change(20, "cf[1]", "poolExhausted", "db: 0 in use, 40 leaked", cause: "connectionsLeaked 40 of 40"),
            change(3610, "cf[0]", "instanceCrashed", "crashed by a fault; 5 requests lost, 0 sessions lost", cause: "faultStarted crash"),
            change(7200, "m", "runEnded", "end of run; 0 requests in flight cut off"),
        ]
        let lines = Timeline.lines(changes)
        #expect(lines.first == "0:10.000  cf poolExhausted ×2 (cf[0..1], held 1h00m to 1h59m, until 2:00:00.000, restarted or still at the end of the run): db: 0 in use, 40 leaked  ← connectionsLeaked 40 of 40")
    }

    @Test func `times read by the story clock`() {
        let lines = Timeline.lines([change(4800, "oracle", "faultStarted", "failover", cause: "scheduled fault")], clock: StoryClock(start: .seconds(23 * 3600)))
        #expect(lines == ["00:20:00.000  oracle faultStarted: failover  ← scheduled fault"])
    }

    @Test func `repeated points say when the last one was`() {
        let changes = (0..<3).map { change(60 + 900 * Double($0), "cf[\($0)]", "instanceRestarting", "up in 14m", cause: "instanceCrashed") }
        #expect(Timeline.lines(changes) == ["1:00.000  cf instanceRestarting ×3 (cf[0..2], last at 31:00.000): up in 14m  ← instanceCrashed"])
    }
}
