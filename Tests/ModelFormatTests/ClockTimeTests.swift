import FailureChains
import Foundation
import ModelFormat
import SimulationKernel
import Testing

struct ClockTimeTests {
    @Test(arguments: [("23:00", Int64(82_800)), ("00:00", 0), ("06:30:15", 23_415), ("23:59:59", 86_399)])
    func `a time of day reads as time since midnight`(text: String, seconds: Int64) {
        #expect(ClockTime.parse(text) == .seconds(seconds))
    }

    @Test(arguments: ["24:00", "23:60", "12:00:60", "7:00", "07:0", "07", "07:00:00:00", "", "ab:cd", "-1:00", "+1:00", "07:00:"])
    func `anything else is not a time of day`(text: String) {
        #expect(ClockTime.parse(text) == nil)
    }

    @Test func `run.clockStart is read as the time of day the run starts at`() throws {
        let model = try loadModel(ModelDecoderTests.model(run: #"clockStart: "23:00""#))
        #expect(model.run.clockStart == .seconds(82_800))
        #expect(try loadModel(ModelDecoderTests.model()).run.clockStart == nil)
    }

    @Test func `a run.clockStart that is not a time of day is reported where it is written`() {
        // `run`'s contents start at 1:33.
        #expect(modelErrors(ModelDecoderTests.model(run: #"clockStart: "25:00""#)) == [
            #"m.json5:1:45: error: run.clockStart: expected a time of day "HH:MM" or "HH:MM:SS" from "00:00" to "23:59:59", found "25:00""#,
        ])
        #expect(modelErrors(ModelDecoderTests.model(run: "clockStart: 2300")) == [
            "m.json5:1:45: error: run.clockStart: expected a string, found a number",
        ])
    }

    @Test func `every airline model starts its clock at 23:00, as its comments tell the story`() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("models")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("airline") && $0.hasSuffix(".json5") }
        try #require(names.count >= 2)
        for name in names {
            let model = try ModelLoader.load(path: folder.appendingPathComponent(name).path).model
            #expect(model.run.clockStart == .seconds(23 * 3600), "\(name)")
        }
    }
}
