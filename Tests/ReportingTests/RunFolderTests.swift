import FailureChains
import Reporting
import SimulationKernel
import Testing

struct RunFolderTests {
    @Test func `events.csv reads back with exact times and quoted fields`() throws {
        let csv = "time,component,event,detail,cause\n"
            + "12241.617031542,cf[3],poolExhausted,\"db: 0 in use, 40 leaked\",connectionsLeaked 40 of 40\n"
            + "1.5,m,runEnded,\"a \"\"quoted\"\" word\",\n"
        let changes = try RunFolder.events(csv: csv)
        #expect(changes == [
            StateChange(time: Instant(nanoseconds: 12_241_617_031_542), component: "cf[3]", event: "poolExhausted",
                        detail: "db: 0 in use, 40 leaked", cause: "connectionsLeaked 40 of 40"),
            StateChange(time: Instant(nanoseconds: 1_500_000_000), component: "m", event: "runEnded", detail: "a \"quoted\" word", cause: ""),
        ])
    }

    @Test(arguments: [
        ("time,component,event\n", "line 1: expected the header time,component,event,detail,cause"),
        ("time,component,event,detail,cause\n-1,m,runStarted,,\n", "line 2: expected a time in seconds, found \"-1\""),
        ("time,component,event,detail,cause\n1.0000000001,m,runStarted,,\n", "line 2: expected a time in seconds, found \"1.0000000001\""),
        ("time,component,event,detail,cause\n1,m,runStarted\n", "line 2: expected 5 fields, found 3"),
    ])
    func `a malformed events.csv is reported with its line`(csv: String, reason: String) {
        #expect(throws: RunFolder.ReadError(path: "events.csv", reason: reason)) { try RunFolder.events(csv: csv) }
    }
}
