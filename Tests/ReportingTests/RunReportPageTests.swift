import Foundation
import Reporting
import Testing

struct RunReportPageTests {
    /// A run's folder written by hand: a traffic source, a service with a pooled dependency, an
    /// endpoint, two intervals, a fault with an end, and an event whose detail needs quoting.
    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "faultline-report-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let run = """
            {"faultline": "0.1.0", "outputFormat": 1, "model": "handmade", "modelHash": "0000000000000000", "overrides": ["run.seed=3"],
             "effectiveModelHash": "1111111111111111", "seed": 18446744073709551615, "duration": 20.000000000, "warmup": 0.000000000,
             "endTime": 20.000000000, "complete": true, "stopReason": "endTime", "stoppedBy": null, "eventCount": 123,
             "fingerprint": "abcdef0123456789", "inFlightAtEnd": 0}
            """
        var series = "time,component,metric,value\n"
        for time in ["0.000000000", "10.000000000"] {
            series += "\(time),users,successRatio,0.5\n\(time),users,abandoned,0\n"
            series += "\(time),web,offered,100\n\(time),web,goodput,50\n\(time),web,errors,50\n\(time),web,instancesUp,2\n"
            series += "\(time),web,threadsInCall.db,4\n\(time),web,connectionsInUse.db,4\n\(time),web[0],up,1\n"
            series += "\(time),db,calls,40\n\(time),db,failed,3\n"
        }
        let events = """
            time,component,event,detail,cause
            0.000000000,handmade,runStarted,seed 3,
            2.500000000,db,faultStarted,slow for 5s,scheduled fault
            3.000000000,web[0],poolExhausted,"db: 0 in use, 4 leaked",faultStarted slow
            7.500000000,db,faultEnded,slow,faultStarted slow

            """
        let summary = "component,metric,value\nweb,offered,200\n"
        for (name, text) in [("run.json", run), ("series.csv", series), ("events.csv", events), ("summary.csv", summary)] {
            try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8)
        }
        return path
    }

    @Test func `a run's files are read back as written, quoted fields and large seeds included`() throws {
        let contents = try RunFolderContents.read(try Self.folder())
        #expect(contents.manifest["seed"] == "18446744073709551615")
        #expect(contents.overrides == ["run.seed=3"])
        #expect(contents.endTime == 20_000_000_000)
        #expect(contents.interval == 10_000_000_000)
        #expect(contents.events.map(\.detail.text).contains("db: 0 in use, 4 leaked"))
        let calls = try #require(contents.series("db", "calls"))
        #expect(calls.times == [0, 10_000_000_000] && calls.values == [40, 40])
    }

    @Test func `without the model the topology and panels come from the components the CSV names`() throws {
        let contents = try RunFolderContents.read(try Self.folder())
        let page = RunReportPage.html(RunReportPage.Inputs(contents: contents, model: nil, modelNote: "the model file is gone"))
        #expect(page.contains("data-note=\"model\">the model file is gone</p>"))
        #expect(page.contains("data-node=\"users\" data-kind=\"traffic\""))
        #expect(page.contains("data-node=\"web\" data-kind=\"service\""))
        #expect(page.contains("data-node=\"db\" data-kind=\"endpoint\""))
        #expect(!page.contains("data-node=\"web[0]\""))
        for kind in ["success", "throughput", "threads", "connections", "instances", "endpoint"] {
            #expect(page.contains("data-panel=\"\(kind)\""), "no \(kind) panel")
        }
        // The fault is shaded from its start to its end: 2.5 s to 7.5 s of 20 s over 1000 pixels.
        #expect(page.contains("<rect class=\"fault\" x=\"189\" y=\"8\" width=\"250\""))
    }

    @Test func `a narrative goes in a column beside the panels, and without one the panels take the width`() throws {
        let contents = try RunFolderContents.read(try Self.folder())
        let told = RunReportPage.html(RunReportPage.Inputs(contents: contents, model: nil,
                                                           narrative: ["0:03 web[0] pool db exhausted ← db slow at 0:02"]))
        #expect(told.contains("<div class=\"layout with-narrative\">"))
        #expect(told.contains("<aside class=\"narrative\" data-section=\"narrative\"><h2>The failure chain</h2><ol><li>0:03 web[0] pool db exhausted ← db slow at 0:02</li></ol></aside>"))
        let untold = RunReportPage.html(RunReportPage.Inputs(contents: contents, model: nil))
        #expect(untold.contains("<div class=\"layout\">"))
        #expect(!untold.contains("<aside"))
    }

    @Test func `a folder that is not a run's is refused with its name`() throws {
        let path = NSTemporaryDirectory() + "faultline-empty-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        #expect(throws: ReportError.self) { try RunFolderContents.read(path) }
        do {
            _ = try RunFolderContents.read(path)
        } catch {
            #expect(error.message.hasPrefix("\(path)/run.json: cannot be read"))
        }
    }
}
