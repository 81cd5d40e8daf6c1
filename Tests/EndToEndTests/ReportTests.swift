import Foundation
import Reporting
import Testing

/// `faultline report`, `run --report` and `check --report`, through the executable.
struct ReportTests {
    /// The airline's folder with its report, made once: `check --report` of the 7-hour run.
    static let airline: Result<(folder: String, seconds: Double), TestFailure> = {
        let folder = TestFiles.temporaryDirectory() + "/airline"
        let started = Date()
        guard let result = try? Faultline.run(["check", "--report", TestFiles.inRepository("models/airline.json5"), "--out", folder]) else {
            return .failure(TestFailure(message: "could not run faultline"))
        }
        guard result.status == 0 else { return .failure(TestFailure(message: "check --report exited \(result.status): \(result.standardError)")) }
        return .success((folder, Date().timeIntervalSince(started)))
    }()

    static func airlineFolder() throws -> String { try airline.get().folder }

    static func page(_ folder: String) throws -> String {
        try String(contentsOfFile: folder + "/report.html", encoding: .utf8)
    }

    @Test func `check --report writes report.html beside the run's files and says where`() throws {
        let folder = try Self.airlineFolder()
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(names == ["events.csv", "report.html", "run.json", "series.csv", "summary.csv"])
        let out = TestFiles.temporaryDirectory() + "/out"
        let result = try Faultline.run(["run", "--report", TestFiles.inRepository("models/small-farm.json5"), "--out", out])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("wrote \(out)/report.html\n"))
        #expect(FileManager.default.fileExists(atPath: out + "/report.html"))
    }

    @Test func `the airline's report stays under 5 MB and is made in seconds`() throws {
        let (folder, seconds) = try Self.airline.get()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: folder + "/report.html")[.size] as? Int)
        #expect(size < 5_000_000)
        #expect(seconds < 30)
    }

    @Test func `a long run's series are thinned to two points a pixel column`() throws {
        let out = TestFiles.temporaryDirectory() + "/long"
        let result = try Faultline.run(["run", "--report", TestFiles.inRepository("models/small-farm.json5"),
                                        "--set", "run.interval=1s", "--duration", "1h", "--out", out])
        #expect(result.status == 0, "\(result.standardError)")
        let contents = try RunFolderContents.read(out)
        let offered = try #require(contents.series("web", "offered"))
        #expect(offered.times.count == 3600)
        let page = try Self.page(out)
        let lines = page.components(separatedBy: "<path class=\"line").dropFirst().compactMap { $0.components(separatedBy: " d=\"").dropFirst().first?.components(separatedBy: "\"").first }
        #expect(!lines.isEmpty)
        // The plot is 1000 pixels wide: at most two points a column.
        for line in lines { #expect(line.count { $0 == "L" || $0 == "M" } <= 2000) }
        #expect(page.utf8.count < 1_000_000)
    }

    @Test func `the report loads nothing from elsewhere`() throws {
        let page = try Self.page(try Self.airlineFolder())
        for pattern in ["http://", "https://", "src=", "<link", "@import", "url(http", "@font-face"] {
            #expect(!page.contains(pattern), "the page holds \(pattern)")
        }
        // The one url( of the page is the topology's arrow head, inside the page.
        #expect(page.components(separatedBy: "url(").dropFirst().allSatisfy { $0.hasPrefix("#") })
    }

    @Test func `the header lists every expectation with its mark and measured value`() throws {
        let page = try Self.page(try Self.airlineFolder())
        #expect(page.components(separatedBy: "<li data-passed=\"true\">").count - 1 == 6)
        #expect(page.contains("✓</span> cf connectionsLeaked.db maximum from 3h to 4h30m == 160 (measured 160)"))
        #expect(page.contains("fingerprint <b>3794d1e4fcb5254d</b>"))
        #expect(page.contains("<b>581372</b> events"))
    }

    @Test func `the topology is drawn from the model with its patterns and worst states`() throws {
        let page = try Self.page(try Self.airlineFolder())
        for node in ["kiosks", "callers", "kiosk", "ivr", "cf", "oracle"] {
            #expect(page.contains("data-node=\"\(node)\""), "no node \(node)")
        }
        #expect(page.contains(">pool 40, leaks on error</tspan>"))
        #expect(page.contains(">timeout 10s</tspan>"))
        #expect(page.contains("data-node=\"cf\" data-kind=\"service\" data-state=\"2\"><title>cf: worst state: poolExhausted at 02:24:01 (cf[3])"))
    }

    @Test func `faults are shaded and events carry their causes`() throws {
        let page = try Self.page(try Self.airlineFolder())
        #expect(page.contains(">oracle failover</text>"))
        // The first exhausted pool, with the last leak before it (its cause is spelled
        // `connectionsLeaked 40 of 40`, the event `connectionLeaked`), and why that leaked.
        let tip = try #require(page.components(separatedBy: "data-tip=\"").first { $0.hasPrefix("02:24:01.617 cf[3] poolExhausted") })
        #expect(tip.contains("\n  ← 02:2"))
        #expect(tip.contains(" cf[3] connectionLeaked: db: 40 of 40 leaked\n  ← call failed: connectionsStale on oracle\n"))
        let failover = try #require(page.components(separatedBy: "data-tip=\"").first { $0.hasPrefix("00:20:00.000 oracle") })
        #expect(failover.hasPrefix("00:20:00.000 oracle faultStarted: failover\n  ← scheduled fault"))
    }

    @Test func `faultline report writes the page run --report wrote, and replaces it whole`() throws {
        let folder = try Self.airlineFolder()
        let copy = TestFiles.temporaryDirectory() + "/airline"
        try FileManager.default.copyItem(atPath: folder, toPath: copy)
        let original = try Self.page(copy)
        try "stale".write(toFile: copy + "/report.html", atomically: false, encoding: .utf8)
        let result = try Faultline.run(["report", copy, "--model", TestFiles.inRepository("models/airline.json5")])
        #expect(result.status == 0)
        #expect(result.standardOutput == "wrote \(copy)/report.html\n")
        #expect(try Self.page(copy) == original)
        #expect(try FileManager.default.contentsOfDirectory(atPath: copy).filter { $0.hasPrefix(".") }.isEmpty)
    }

    @Test func `faultline report finds the gallery's model by the run's model name`() throws {
        let copy = TestFiles.temporaryDirectory() + "/airline"
        try FileManager.default.copyItem(atPath: try Self.airlineFolder(), toPath: copy)
        let result = try Faultline.run(["report", copy], in: TestFiles.repository.path)
        #expect(result.status == 0)
        #expect(!(try Self.page(copy)).contains("data-note=\"model\""))
    }

    @Test func `a model file that changed since the run is named, and the topology comes from the CSV`() throws {
        let copy = TestFiles.temporaryDirectory() + "/airline"
        try FileManager.default.copyItem(atPath: try Self.airlineFolder(), toPath: copy)
        let changed = TestFiles.temporaryFile(named: "airline.json5",
            try String(contentsOfFile: TestFiles.inRepository("models/airline.json5"), encoding: .utf8) + "\n// edited\n")
        let result = try Faultline.run(["report", copy, "--model", changed])
        #expect(result.status == 0)
        let page = try Self.page(copy)
        #expect(page.contains("data-note=\"model\">The model file \(changed) has changed since the run"))
        for node in ["kiosks", "callers", "kiosk", "ivr", "cf", "oracle"] {
            #expect(page.contains("data-node=\"\(node)\""), "no node \(node)")
        }
        #expect(page.contains("data-panel=\"connections\""))
        let gone = try Faultline.run(["report", copy, "--model", changed + ".missing"])
        #expect(gone.status == 0)
        #expect(try Self.page(copy).contains("The model file \(changed).missing is gone"))
    }

    @Test func `a run's folder with a report is replaced by the next run`() throws {
        let out = TestFiles.temporaryDirectory() + "/out"
        let model = TestFiles.inRepository("models/small-farm.json5")
        #expect(try Faultline.run(["run", "--report", model, "--out", out]).status == 0)
        let again = try Faultline.run(["run", model, "--out", out, "--seed", "9"])
        #expect(again.status == 0, "\(again.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == ["events.csv", "run.json", "series.csv", "summary.csv"])
    }

    @Test func `times read as the story's wall clock when run.json has a clockStart`() throws {
        // The airline sets run.clockStart: "23:00".
        let page = try Self.page(try Self.airlineFolder())
        #expect(page.contains("simulated <b>23:00 to 06:00 (7h)</b>"))
        #expect(page.contains(">00:30</text>"))
        #expect(page.contains("data-tip=\"00:20:00.000 oracle faultStarted: failover"))
        // Without it, times count from the start.
        let copy = TestFiles.temporaryDirectory() + "/airline"
        try FileManager.default.copyItem(atPath: try Self.airlineFolder(), toPath: copy)
        let manifest = try String(contentsOfFile: copy + "/run.json", encoding: .utf8)
        #expect(manifest.contains("  \"clockStart\": \"23:00\",\n"))
        try manifest.replacingOccurrences(of: "  \"clockStart\": \"23:00\",\n", with: "")
            .write(toFile: copy + "/run.json", atomically: true, encoding: .utf8)
        #expect(try Faultline.run(["report", copy, "--model", TestFiles.inRepository("models/airline.json5")]).status == 0)
        let fromStart = try Self.page(copy)
        #expect(!fromStart.contains(">00:30</text>"))
        #expect(fromStart.contains("data-tip=\"1:20:00.000 oracle faultStarted: failover"))
    }

    @Test func `a tipping map's report shows its chart and its tables`() throws {
        let folder = TestFiles.temporaryDirectory()
        let files = [
            "tipping.json": #"{"study": "tipping", "name": "storm", "load": "traffic.t.rate=1/s..2/s", "trigger": "faults[0].duration=1s..9s", "recovered": "t.successRatio@+1m..+2m:mean>0.9"}"#,
            "tipping.csv": "load,threshold,low,high\n1/s,,,\n2/s,4.5,4,5\n",
            "probes.csv": "load,trigger,replications,metastable\n2/s,4,10,2\n",
            "tipping.svg": #"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="4" data-probe="2/s 4s"/></svg>"#,
        ]
        for (name, text) in files { try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8) }
        let result = try Faultline.run(["report", folder])
        #expect(result.status == 0, "\(result.standardError)")
        let page = try String(contentsOfFile: folder + "/report.html", encoding: .utf8)
        #expect(page.contains("<h1>storm — where it tips</h1>"))
        #expect(page.contains("data-panel=\"tipping-chart\"") && page.contains("data-probe=\"2/s 4s\""))
        #expect(page.contains("data-panel=\"tipping-thresholds\"") && page.contains("<td>4.5</td>"))
        #expect(page.contains("data-panel=\"tipping-probes\"") && page.contains("<th>metastable</th>"))
    }

    @Test func `report refuses a folder that is neither a run's nor a study's`() throws {
        let folder = TestFiles.temporaryDirectory()
        let result = try Faultline.run(["report", folder])
        #expect(result.status == 66)
        #expect(result.standardError == "faultline: error: \(folder): not a run's folder (no run.json), a study's (no study.json) nor a tipping map's (no tipping.json)\n")
        #expect(try Faultline.run(["report"]).status == 64)
    }

    // MARK: Studies

    @Test func `a sweep's report draws each measure against its parameter with interval bars`() throws {
        let out = TestFiles.temporaryDirectory() + "/sweep"
        let sweep = try Faultline.run(["sweep", TestFiles.inRepository("models/small-farm.json5"), "--set", "services.web.instances=2,3,4",
                                       "-r", "3", "--metric", "shoppers.successRatio@2m..3m:mean", "--metric", "web.latencyP99@1m..:mean", "--out", out])
        #expect(sweep.status == 0, "\(sweep.standardError)")
        let result = try Faultline.run(["report", out])
        #expect(result.status == 0)
        let page = try Self.page(out)
        for measure in ["shoppers.successRatio@2m..3m:mean", "web.latencyP99@1m..end:mean"] {
            let chart = try #require(page.components(separatedBy: "data-measure=\"\(measure)\"").dropFirst().first, "no chart of \(measure)")
            let svg = try #require(chart.components(separatedBy: "</svg>").first)
            #expect(svg.components(separatedBy: "class=\"ci-mean\"").count - 1 == 3)
            #expect(svg.components(separatedBy: "class=\"ci\"").count - 1 == 3)
            for value in ["2", "3", "4"] { #expect(svg.contains("class=\"xlabel\"") && svg.contains(">\(value)</text>")) }
            #expect(svg.contains(">services.web.instances</text>"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).contains("report.html"))
        // The study's folder, report included, can be replaced by the next study.
        let again = try Faultline.run(["replicate", TestFiles.inRepository("models/small-farm.json5"), "-r", "2",
                                       "--metric", "shoppers.successRatio@2m..3m:mean", "--out", out])
        #expect(again.status == 0, "\(again.standardError)")
    }

    @Test func `a compare's report draws the paired differences with their intervals`() throws {
        let out = TestFiles.temporaryDirectory() + "/compare"
        let compare = try Faultline.run(["compare", TestFiles.inRepository("models/small-farm.json5"), "--with", "services.web.instances=3",
                                         "--with", "services.web.instances=4", "-r", "3", "--metric", "shoppers.successRatio@2m..3m:mean", "--out", out])
        #expect(compare.status == 0, "\(compare.standardError)")
        #expect(try Faultline.run(["report", out]).status == 0)
        let page = try Self.page(out)
        let chart = try #require(page.components(separatedBy: "data-chart=\"compare\" data-measure=\"shoppers.successRatio@2m..3m:mean\"").dropFirst().first)
        let svg = try #require(chart.components(separatedBy: "</svg>").first)
        #expect(svg.components(separatedBy: "<circle class=\"ci-mean").count - 1 == 2)
        #expect(svg.contains("class=\"zero\""))
        // The intervals that leave out zero are marked, as comparison.csv has them.
        let comparison = try String(contentsOfFile: out + "/comparison.csv", encoding: .utf8)
        let rows = comparison.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let excluding = rows.count { Double(String($0[12]))! > 0 || Double(String($0[13]))! < 0 }
        #expect(excluding > 0)
        #expect(svg.components(separatedBy: "class=\"ci excludes-zero\"").count - 1 == excluding)
    }
}
