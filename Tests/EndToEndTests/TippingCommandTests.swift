import Foundation
import Testing

/// `faultline tipping` through the built executable: its files, its bytes for any --jobs, its
/// refusals.
struct TippingCommandTests {
    static let model = TestFiles.beside("Theory/mmc-retry.json5")
    static let axes = ["--load", "traffic.users.rate=380/s..440/s", "--points", "2", "--trigger", "faults[0].duration=1s..12s",
                       "--recovered", "users.successRatio@+15s..+30s:mean>0.9", "-r", "8", "--precision", "20%"]
    let base = TestFiles.temporaryDirectory()

    func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    func files(_ folder: String) -> [String: Data] {
        var files: [String: Data] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            files[name] = FileManager.default.contents(atPath: folder + "/" + name)
        }
        return files
    }

    @Test func `a map writes its tables and chart, the same bytes for any number of jobs`() throws {
        let one = try Faultline.run(["tipping", Self.model] + Self.axes + ["--jobs", "1", "--out", base + "/one"])
        #expect(one.status == 0, "\(one.standardError)")
        let two = try Faultline.run(["tipping", Self.model] + Self.axes + ["--jobs", "2", "--out", base + "/two"])
        #expect(two.status == 0, "\(two.standardError)")
        let written = files(base + "/one")
        #expect(written.keys.sorted() == ["probes.csv", "tipping.csv", "tipping.json", "tipping.svg"])
        #expect(files(base + "/two") == written)
        let tipping = try text(base + "/one/tipping.csv").split(separator: "\n")
        #expect(tipping.first == "load,status,threshold,thresholdLow,thresholdHigh,precisionReached,probes,runs,recovered,draining,metastable")
        #expect(tipping.count == 3)
        #expect(tipping[1].hasPrefix("380/s,threshold,"))
        #expect(tipping[2].hasPrefix("440/s,threshold,"))
        let probes = try text(base + "/one/probes.csv").split(separator: "\n")
        #expect(probes.first == "load,trigger,runs,recovered,draining,metastable,level,tipProbability,tipLow,tipHigh,recoveryProbability,recoveryLow,recoveryHigh")
        #expect(probes.contains { $0.hasPrefix("380/s,1s,8,8,0,0,") })
        #expect(probes.contains { $0.hasPrefix("440/s,12s,8,0,0,8,") })
        let svg = try text(base + "/one/tipping.svg")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("<polygon") && svg.contains("<circle"))
        #expect(one.standardOutput.contains("380/s"))
        #expect(one.standardOutput.contains("wrote \(base)/one/tipping.csv"))
    }

    @Test(arguments: [
        (["--trigger", "faults[0].duration=1s..12s", "--recovered", "users.successRatio@+15s..+30s:mean>0.9"], "tipping needs --load"),
        (["--load", "traffic.users.rate=400/s", "--trigger", "faults[0].duration=1s..12s", "--recovered", "users.successRatio@+15s..+30s:mean>0.9"], "--load: expected LOW..HIGH"),
        (["--load", "traffic.users.rate=380/s..440/s", "--trigger", "faults[0].duration=1s..12s", "--recovered", "users.successRatio@+15s..+30s:mean"], "--recovered: expected a selector and a comparison"),
        (["--load", "traffic.users.rate=380/s..440/s", "--trigger", "faults[0].duration=1s..12s", "--recovered", "users.successRatio@+15s..+16s:mean>0.9"], "too short to see the backlog's trend"),
        (["--load", "traffic.users.rate=380/s..440/s", "--trigger", "faults[0].duration=1s..12s", "--recovered", "users.successRatio@+15s..+30s:mean>0.9", "--watch", "servr"], "no service is named 'servr'"),
    ])
    func `a map that cannot be made as asked is refused with a usage error`(arguments: [String], message: String) throws {
        let result = try Faultline.run(["tipping", Self.model] + arguments + ["--out", base + "/refused"])
        #expect(result.status == 64, "\(result.standardError)")
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: base + "/refused"))
    }

    @Test func `a wrong metric in the recovery condition is reported as a model's problem`() throws {
        let result = try Faultline.run(["tipping", Self.model, "--load", "traffic.users.rate=380/s..440/s", "--trigger", "faults[0].duration=1s..12s",
                                        "--recovered", "users.successRatoi@+15s..+30s:mean>0.9", "--out", base + "/refused"])
        #expect(result.status == 65, "\(result.standardError)")
        #expect(result.standardError.contains("did you mean 'successRatio'?"), "\(result.standardError)")
    }

    @Test func `tipping has its help`() throws {
        for arguments in [["tipping", "--help"], ["help", "tipping"]] {
            let result = try Faultline.run(arguments)
            #expect(result.status == 0)
            #expect(result.standardOutput.hasPrefix("USAGE: faultline tipping "))
        }
        let overview = try Faultline.run(["--help"])
        #expect(overview.standardOutput.contains("tipping MODEL --load"))
    }

    @Test func `a load of whole numbers is mapped once at each value, however many points are asked for`() throws {
        let result = try Faultline.run(["tipping", Self.model, "--load", "services.server.threads=5..6", "--points", "5",
                                        "--trigger", "faults[0].duration=1s..2s", "--recovered", "users.successRatio@+15s..+30s:mean>0.9",
                                        "-r", "2", "--out", base + "/threads"])
        #expect(result.status == 0, "\(result.standardError)")
        let rows = try text(base + "/threads/tipping.csv").split(separator: "\n").dropFirst().map { $0.split(separator: ",").first.map(String.init) }
        #expect(rows == ["5", "6"])
    }
}
