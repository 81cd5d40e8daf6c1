import FailureChains
import Foundation
import Reporting
import SimulationKernel
import Testing

/// The spelling of the output files' fields and the way a run's folder is put in place.
struct OutputTextTests {
    @Test(arguments: [
        ("web[2]", "web[2]"),
        ("", ""),
        ("db: 0 in use, 40 leaked", "\"db: 0 in use, 40 leaked\""),
        ("a \"quoted\" word", "\"a \"\"quoted\"\" word\""),
        ("two\nlines", "\"two\nlines\""),
        ("carriage\rreturn", "\"carriage\rreturn\""),
        ("semi;colon and spaces", "semi;colon and spaces"),
    ])
    func `a CSV field is quoted, with doubled quotes, only when it holds a comma, a quote or a line break`(text: String, field: String) {
        #expect(CSVText.field(text) == field)
    }

    @Test func `a quoted CSV field reads back as the text it was written from`() throws {
        let detail = "a \"quoted\", comma"
        let csv = "time,component,event,detail,cause\n1,m,runEnded,\(CSVText.field(detail)),\(CSVText.field("x,y"))\n"
        let changes = try RunFolder.events(csv: csv)
        #expect(changes.map(\.detail.text) == [detail])
        #expect(changes.map(\.cause.text) == ["x,y"])
    }

    @Test func `fields and values appended as bytes spell what their strings spell`() {
        let fields = ["web[2]", "", "db: 0 in use, 40 leaked", "a \"quoted\" word", "two\nlines", "carriage\rreturn", "é, ü"]
        for text in fields {
            var bytes: [UInt8] = Array("x".utf8)
            CSVText.appendField(text, to: &bytes)
            #expect(bytes == Array(("x" + CSVText.field(text)).utf8))
        }
        let values: [MetricValue] = [.count(0), .count(-7), .count(.max), .count(.min), .real(0.25), .real(-3.5), .real(.nan), .real(1e20)]
        for value in values {
            var bytes: [UInt8] = []
            CSVText.appendValue(value, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == CSVText.value(value))
        }
    }

    @Test func `counts are written as integers and reals as decimals`() {
        #expect(CSVText.value(.count(40)) == "40")
        #expect(CSVText.value(.real(0.25)) == NumberText.decimal(0.25))
    }

    @Test func `a JSON string escapes quotes, backslashes and control characters`() throws {
        let text = "a \"b\" \\ c\n\r\t\u{01}é"
        #expect(jsonString(text) == #""a \"b\" \\ c\n\r\t\u0001é""#)
        let decoded = try JSONDecoder().decode(String.self, from: Data(jsonString(text).utf8))
        #expect(decoded == text)
    }

    @Test func `a run's folder appears only when it is published, and replaces the earlier one whole`() throws {
        let parent = NSTemporaryDirectory() + "faultline-reporting-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let target = parent + "/out"
        let first = try RunDirectory(target: target)
        try Data("first\n".utf8).write(to: URL(fileURLWithPath: first.path(of: "events.csv")))
        #expect(!FileManager.default.fileExists(atPath: target))
        try first.publish()
        #expect(try String(contentsOfFile: target + "/events.csv", encoding: .utf8) == "first\n")

        let second = try RunDirectory(target: target)
        try Data("second\n".utf8).write(to: URL(fileURLWithPath: second.path(of: "series.csv")))
        #expect(try String(contentsOfFile: target + "/events.csv", encoding: .utf8) == "first\n")
        try second.publish()
        #expect(try FileManager.default.contentsOfDirectory(atPath: target) == ["series.csv"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["out"])
    }

    @Test func `an abandoned run leaves the earlier folder untouched and no private folder behind`() throws {
        let parent = NSTemporaryDirectory() + "faultline-reporting-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let target = parent + "/out"
        let first = try RunDirectory(target: target)
        try Data("first\n".utf8).write(to: URL(fileURLWithPath: first.path(of: "events.csv")))
        try first.publish()
        let second = try RunDirectory(target: target)
        try Data("second\n".utf8).write(to: URL(fileURLWithPath: second.path(of: "events.csv")))
        second.abandon()
        #expect(try String(contentsOfFile: target + "/events.csv", encoding: .utf8) == "first\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["out"])
    }
}
