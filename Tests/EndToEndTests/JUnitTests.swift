import Foundation
import FoundationXML
import Reporting
import Testing

/// `faultline check --junit FILE`: a CI system shows each expectation as a test case, a failed
/// one as a failed test, with its measured value.
struct JUnitTests {
    func document(_ path: String) throws -> XMLDocument {
        try XMLDocument(contentsOf: URL(fileURLWithPath: path))
    }

    func strings(_ document: XMLDocument, _ xpath: String) throws -> [String] {
        try document.nodes(forXPath: xpath).map { $0.stringValue ?? "" }
    }

    @Test func `check --junit writes one test case per expectation, a failure for each that fails, with the measured value`() throws {
        let path = TestFiles.temporaryFile(named: "checked.json5", CommandLineTests.expectingModel(CommandLineTests.holdingExpectations + [
            #"{ component: "web", metric: "completed", aggregate: "sum", below: 1 }"#,
        ]))
        let junit = TestFiles.temporaryDirectory() + "/reports/junit.xml"
        let result = try Faultline.run(["check", path, "--out", TestFiles.temporaryDirectory() + "/out", "--junit", junit])
        #expect(result.status == 1)
        let xml = try document(junit)
        #expect(try strings(xml, "/testsuites/@tests") == ["4"])
        #expect(try strings(xml, "/testsuites/@failures") == ["1"])
        #expect(try strings(xml, "/testsuites/testsuite/@name") == ["tiny"])
        #expect(try strings(xml, "//testcase/@name") == [
            "web latencyP99 below 1h", "web completed sum from 10s to 40s at least 1",
            "web instanceCrashed count == 0", "web completed sum below 1",
        ])
        #expect(try strings(xml, "//testcase/@line") == ["8", "9", "10", "11"])
        #expect(try strings(xml, "//testcase/@file") == [path, path, path, path])
        #expect(try strings(xml, "//testcase[3]/system-out") == ["measured 0"])
        let failure = try strings(xml, "//testcase[4]/failure/@message")
        #expect(failure.count == 1 && failure[0].hasPrefix("\(path):11:5: expectation failed: web completed sum below 1 (measured "))
        #expect(try strings(xml, "//property[@name='seed']/@value") == ["3"])
        #expect(try strings(xml, "//property[@name='complete']/@value") == ["true"])
    }

    @Test func `the same check writes the same JUnit file`() throws {
        let path = TestFiles.temporaryFile(named: "checked.json5", CommandLineTests.expectingModel(CommandLineTests.holdingExpectations))
        let base = TestFiles.temporaryDirectory()
        for name in ["a", "b"] {
            #expect(try Faultline.run(["check", path, "--out", base + "/out-" + name, "--junit", base + "/" + name + ".xml"]).status == 0)
        }
        let first = FileManager.default.contents(atPath: base + "/a.xml")
        #expect(first != nil)
        #expect(first == FileManager.default.contents(atPath: base + "/b.xml").map { Data(String(decoding: $0, as: UTF8.self).replacingOccurrences(of: "out-b", with: "out-a").utf8) })
    }

    @Test func `a run cut short writes every expectation as an error, not evaluated`() throws {
        let model = CommandLineTests.expectingModel(CommandLineTests.holdingExpectations).replacingOccurrences(
            of: #"interval: "10s""#, with: #"interval: "10s", maximumEvents: 1000"#)
        let path = TestFiles.temporaryFile(named: "limited.json5", model)
        let junit = TestFiles.temporaryDirectory() + "/junit.xml"
        let result = try Faultline.run(["check", path, "--out", TestFiles.temporaryDirectory() + "/out", "--junit", junit])
        #expect(result.status == 65)
        let xml = try document(junit)
        #expect(try strings(xml, "/testsuites/@errors") == ["3"])
        #expect(try strings(xml, "//testcase/error/@message") == Array(repeating: "the run was cut short by run.maximumEvents, so the expectation was not evaluated", count: 3))
    }

    @Test func `an invalid model writes one error test case saying so`() throws {
        let path = TestFiles.temporaryFile(named: "bad.json5", CommandLineTests.tinyModel.replacingOccurrences(of: "threads: 2", with: "threads: 0"))
        let junit = TestFiles.temporaryDirectory() + "/junit.xml"
        let result = try Faultline.run(["check", path, "--junit", junit])
        #expect(result.status == 65)
        let xml = try document(junit)
        #expect(try strings(xml, "//testcase/@name") == ["the model is valid"])
        #expect(try strings(xml, "//testcase/error/@message") == ["the model is invalid; see the problems printed by 'faultline validate \(path)'"])
    }

    @Test func `an invalid override writes the error test case with the override to validate`() throws {
        let path = TestFiles.temporaryFile(named: "tiny.json5", CommandLineTests.tinyModel)
        let junit = TestFiles.temporaryDirectory() + "/junit.xml"
        let result = try Faultline.run(["check", path, "--junit", junit, "--set", "services.web.threads=0"])
        #expect(result.status == 65)
        let xml = try document(junit)
        #expect(try strings(xml, "//testcase/error/@message") == ["the model is invalid; see the problems printed by 'faultline validate \(path) --set \"services.web.threads=0\"'"])
    }

    @Test func `text that XML reserves is escaped`() throws {
        let report = JUnitReport(suite: "m", file: "m.json5", properties: [("why", "x\u{1}y")], cases: [
            JUnitReport.Case(name: #"a < b & "c" > d"#, location: "m.json5:3:4", verdict: .failed, measured: 2.5, message: "line\nbreak"),
        ])
        let xml = try XMLDocument(xmlString: report.xml)
        #expect(try strings(xml, "//testcase/@name") == [#"a < b & "c" > d"#])
        #expect(try strings(xml, "//failure/@message") == ["line\nbreak"])
        #expect(try strings(xml, "//property/@value") == ["x?y"])
        #expect(try strings(xml, "//system-out") == ["measured 2.5"])
    }
}
