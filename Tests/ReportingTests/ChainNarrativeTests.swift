import FailureChains
import Reporting
import SimulationKernel
import Testing

struct ChainNarrativeTests {
    /// The airline in miniature: two instances, a failover, leaks, exhausted pools, blocked threads, a restart.
    let changes: [StateChange] = [
        change(0, "air", "runStarted", "seed 1"),
        change(60, "oracle", "faultStarted", "failover", cause: "scheduled fault"),
        change(60, "oracle", "connectionsStale", "6 pooled connections left half-dead", cause: "faultStarted failover"),
        change(70, "cf[0]", "connectionLeaked", "db: 1 of 3 leaked", cause: "call failed: connectionsStale on oracle"),
        change(75, "cf[1]", "connectionLeaked", "db: 1 of 3 leaked", cause: "call failed: connectionsStale on oracle"),
        change(80, "cf[0]", "connectionLeaked", "db: 3 of 3 leaked", cause: "call failed: connectionsStale on oracle"),
        change(85, "cf[1]", "connectionLeaked", "db: 3 of 3 leaked", cause: "call failed: connectionsStale on oracle"),
        change(90, "cf[0]", "poolExhausted", "db: 0 in use, 3 leaked", cause: "connectionsLeaked 3 of 3"),
        change(95, "cf[1]", "poolExhausted", "db: 0 in use, 3 leaked", cause: "connectionsLeaked 3 of 3"),
        change(150, "cf[0]", "threadsExhausted", "all 5 threads busy for 1m: 5 at checkout of db", cause: "poolExhausted db"),
        change(155, "cf[1]", "threadsExhausted", "all 5 threads busy for 1m: 5 at checkout of db", cause: "poolExhausted db"),
        change(1800, "cf[0]", "faultStarted", "crash", cause: "scheduled fault"),
        change(1800, "cf[0]", "instanceCrashed", "crashed by a fault; 9 requests lost, 0 sessions lost", cause: "faultStarted crash"),
        change(1820, "cf[0]", "instanceEjected", "1 of 2 admitted", cause: "healthCheckFailed 3x (refused)"),
        change(1860, "cf[0]", "instanceRestarting", "up in 1m", cause: "instanceCrashed"),
        change(1920, "cf[0]", "instanceUp", "", cause: "instanceRestarting"),
        change(1930, "cf[0]", "instanceReadmitted", "2 of 2 admitted", cause: "healthCheckPassed 2x"),
        change(3600, "air", "runEnded", "end of run; 0 requests in flight cut off"),
    ]

    @Test func `each trigger leads to its consequences through the causes`() throws {
        let narrative = ChainNarrative(events: changes, clockStart: nil)
        #expect(narrative.chains.map(\.trigger.text) == ["0:01 oracle failover", "0:30 cf[0] crash"])
        let failover = try #require(narrative.chains.first)
        #expect(failover.consequences.map(\.event) == ["connectionsStale", "connectionLeaked", "poolExhausted", "threadsExhausted"])
        // Each consequence names the one before it as its parent.
        let ids = [failover.trigger.id] + failover.consequences.map(\.id)
        #expect(failover.consequences.map(\.parent) == ids.dropLast().map { Optional($0) })
    }

    @Test func `instances that share a state are told together, with how long it held and its worst value`() throws {
        let narrative = ChainNarrative(events: changes, clockStart: nil)
        let steps = try #require(narrative.chains.first).consequences
        let leak = try #require(steps.first { $0.event == "connectionLeaked" })
        #expect(leak.subject == "cf[0..1]")
        #expect(leak.worst == "db: 3 of 3 leaked")
        #expect(leak.text == "0:01 cf[0..1] 6 connections to db leaked (3 of 3 each) for 28m50s to 58m45s, until restarted or still at the end of the run")
        let pool = try #require(steps.first { $0.event == "poolExhausted" })
        #expect(pool.shortest == .seconds(1710))
        #expect(pool.longest == .seconds(3505))
        #expect(pool.line == "0:01 cf[0..1] pool db exhausted (0 in use, 3 leaked) for 28m30s to 58m25s, until restarted or still at the end of the run"
            + " ← cf[0..1] 6 connections to db leaked since 0:01 ← oracle 6 pooled connections left half-dead at 0:01 ← oracle failover at 0:01")
    }

    @Test func `a crash ends what its instance held, and what follows from it is told under it`() throws {
        let narrative = ChainNarrative(events: changes, clockStart: nil)
        let crash = try #require(narrative.chains.last)
        #expect(crash.consequences.map(\.text) == [
            "0:30 cf[0] down (crashed by a fault; 9 requests lost, 0 sessions lost) for 2m, until up again at 0:32",
            "0:30 cf[0] ejected by the balancer (at worst 1 of 2 admitted) for 1m50s, until readmitted at 0:32",
            "0:31 cf[0] instanceRestarting: up in 1m",
        ])
        let threads = try #require(narrative.chains.first?.consequences.last)
        #expect(threads.end == Instant(nanoseconds: 3_600_000_000_000))
        #expect(threads.until == "until restarted or still at the end of the run")
    }

    @Test func `times read by the story clock`() throws {
        let narrative = ChainNarrative(events: changes, clockStart: .seconds(23 * 3600 + 59 * 60))
        #expect(narrative.chains.map(\.trigger.text) == ["00:00 oracle failover", "00:29 cf[0] crash"])
    }

    @Test func `lines leave out triggers that led to nothing unless asked`() {
        let lone = changes + [change(3000, "users", "rateChanged", "5/s -> 50/s")]
        let narrative = ChainNarrative(events: lone.sorted { $0.time < $1.time }, clockStart: nil)
        #expect(!narrative.lines().contains { $0.contains("rateChanged") || $0.contains("rate 5/s") })
        #expect(narrative.lines(includingLoneTriggers: true).contains("0:50 users rate 5/s -> 50/s"))
    }
}
