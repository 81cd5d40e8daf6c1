import Foundation
import Testing

/// The built `faultline` executable, run as a subprocess: its output, its files and its exit codes.
struct CommandLineTests {
    /// A model that runs in a few milliseconds: one service under light Poisson traffic for a minute.
    static let tinyModel = """
        {
          faultline: 1,
          name: "tiny",
          run: { duration: "1m", seed: 3, interval: "10s" },
          services: [{ name: "web", instances: 2, threads: 2, queue: 5, serviceTime: { exponential: "50ms" } }],
          traffic: [{ name: "load", target: "web", rate: "20/s" }],
        }
        """

    /// Writes `tinyModel` to a fresh temporary directory.
    func tinyModelFile() -> String {
        TestFiles.temporaryFile(named: "tiny.json5", Self.tinyModel)
    }

    /// The sorted names in a directory, hidden ones included.
    func contents(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    func bytes(_ path: String) -> Data? {
        FileManager.default.contents(atPath: path)
    }

    // MARK: Help and usage

    @Test(arguments: [
        (["--help"], "USAGE: faultline <command> [options]"),
        (["-h"], "USAGE: faultline <command> [options]"),
        (["help"], "USAGE: faultline <command> [options]"),
        (["run", "--help"], "USAGE: faultline run MODEL [--seed N] [--out DIR] [--duration T]"),
        (["help", "run"], "USAGE: faultline run MODEL [--seed N] [--out DIR] [--duration T]"),
        (["validate", "--help"], "USAGE: faultline validate MODEL..."),
    ])
    func `help prints usage to standard output and succeeds`(arguments: [String], usage: String) throws {
        let result = try Faultline.run(arguments)
        #expect(result.status == 0)
        #expect(result.standardOutput.contains(usage))
        #expect(result.standardError == "")
    }

    @Test func `no arguments print the usage to standard error and exit 64`() throws {
        let result = try Faultline.run([])
        #expect(result.status == 64)
        #expect(result.standardOutput == "")
        #expect(result.standardError.contains("USAGE: faultline <command> [options]"))
    }

    @Test(arguments: [
        (["frobnicate"], "faultline: error: unknown command 'frobnicate'; see 'faultline --help'"),
        (["help", "frobnicate"], "faultline: error: unknown command 'frobnicate'"),
        (["run", "m.json5", "--speed", "3"], "faultline: error: unknown option '--speed'"),
        (["validate", "--seed", "1", "m.json5"], "faultline: error: unknown option '--seed'"),
        (["run"], "faultline: error: run needs a model file; see 'faultline run --help'"),
        (["run", "a.json5", "b.json5"], "faultline: error: run takes one model file, found 2"),
        (["run", "m.json5", "--seed"], "faultline: error: option '--seed' needs a value"),
        (["validate"], "faultline: error: validate needs at least one model file; see 'faultline validate --help'"),
    ])
    func `a wrong command line exits 64 with one error line`(arguments: [String], message: String) throws {
        let result = try Faultline.run(arguments)
        #expect(result.status == 64)
        #expect(result.errorLines == [message])
        #expect(result.standardOutput == "")
    }

    @Test(arguments: [
        (["--seed", "abc"], "faultline: error: --seed needs a non-negative integer, found 'abc'"),
        (["--seed", "-1"], "faultline: error: --seed needs a non-negative integer, found '-1'"),
        (["--duration", "30"], #"faultline: error: --duration: expected a duration such as "250ms", "2m" or "1h30m", found "30" (add a unit: "30s")"#),
        (["--duration", "0s"], "faultline: error: --duration must be longer than the model's warm-up (0s), found '0s'"),
    ])
    func `a bad option value of run exits 64`(options: [String], message: String) throws {
        let result = try Faultline.run(["run", tinyModelFile()] + options)
        #expect(result.status == 64)
        #expect(result.errorLines == [message])
    }

    // MARK: validate

    @Test func `validate accepts a valid model`() throws {
        let path = tinyModelFile()
        let result = try Faultline.run(["validate", path])
        #expect(result.status == 0)
        #expect(result.standardOutput == "\(path): ok (model 'tiny')\n")
        #expect(result.standardError == "")
    }

    @Test func `validate prints every located problem and exits 65`() throws {
        let path = TestFiles.temporaryFile(named: "bad.json5", """
            {faultline: 1, name: "bad",
            services: [{name: "web", threds: 4, serviceTime: "10ms"}],
            traffic: [{name: "load", target: "wbe", rate: "5"}]}
            """)
        let result = try Faultline.run(["validate", path])
        #expect(result.status == 65)
        #expect(result.standardOutput == "")
        #expect(result.errorLines == [
            "\(path):2:12: error: services[0]: missing required key 'threads'",
            "\(path):2:26: error: services[0]: unknown key 'threds'; did you mean 'threads'?",
            #"\#(path):3:34: error: traffic[0].target: no service is named "wbe"; did you mean 'web'?"#,
            #"\#(path):3:47: error: traffic[0].rate: expected a rate such as "20/s", "1200/min" or "3.5/h", found "5" (add a unit: "5/s")"#,
            "\(path): 4 problems",
        ])
    }

    @Test func `validate checks every file and fails if one is bad`() throws {
        let good = tinyModelFile()
        let bad = TestFiles.temporaryFile(named: "bad.json5", "{faultline: 2}")
        let result = try Faultline.run(["validate", good, bad])
        #expect(result.status == 65)
        #expect(result.standardOutput == "\(good): ok (model 'tiny')\n")
        #expect(result.errorLines == [
            "\(bad):1:13: error: faultline: unsupported model version 2; newest supported is 1",
            "\(bad): 1 problem",
        ])
    }

    @Test(arguments: [
        [0x7B, 0xF9, 0x3A, 0x20, 0x31, 0x7D],  // {\xF9: 1}
        [0x7B, 0x6E, 0x61, 0x6D, 0x65, 0x3A, 0x20, 0x22, 0xC3, 0x28, 0x22, 0x7D],  // {name: "\xC3("}
        [0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00],  // UTF-16 with a byte order mark
    ] as [[UInt8]])
    func `a file that is not UTF-8 is a bad model, not a crash`(bytes: [UInt8]) throws {
        let path = TestFiles.temporaryFile(named: "binary.json5", bytes: bytes)
        let result = try Faultline.run(["validate", path])
        #expect(result.exitedNormally)
        #expect(result.status == 65)
        let lines = result.errorLines
        #expect(lines.count >= 2)
        #expect(lines.dropLast().allSatisfy { $0.hasPrefix("\(path):1:") && $0.contains(": error: ") })
        #expect(lines.last?.hasPrefix("\(path): ") == true)
    }

    @Test(arguments: ["validate", "run"])
    func `a missing file is a bad model`(command: String) throws {
        let path = TestFiles.temporaryDirectory() + "/absent.json5"
        let result = try Faultline.run([command, path])
        #expect(result.status == 65)
        #expect(result.errorLines.first == "\(path):1:1: error: no such file")
    }

    // MARK: run

    @Test func `run writes exactly the four output files`() throws {
        let out = TestFiles.temporaryDirectory() + "/out"
        let result = try Faultline.run(["run", tinyModelFile(), "--out", out])
        #expect(result.status == 0)
        #expect(result.standardError == "")
        #expect(contents(out) == ["events.csv", "run.json", "series.csv", "summary.csv"])
        #expect(try String(contentsOfFile: out + "/series.csv", encoding: .utf8).hasPrefix("time,component,metric,value\n"))
        #expect(try String(contentsOfFile: out + "/events.csv", encoding: .utf8).hasPrefix("time,component,event,detail,cause\n"))
        #expect(try String(contentsOfFile: out + "/run.json", encoding: .utf8).contains(#""seed": 3,"#))
    }

    @Test func `the same seed gives byte-identical files and another seed other series`() throws {
        let model = tinyModelFile()
        let base = TestFiles.temporaryDirectory()
        for (name, seed) in [("first", "7"), ("second", "7"), ("other", "8")] {
            let result = try Faultline.run(["run", model, "--seed", seed, "--out", base + "/" + name])
            #expect(result.status == 0)
        }
        for file in ["series.csv", "events.csv", "summary.csv", "run.json"] {
            let first = bytes(base + "/first/" + file)
            #expect(first != nil)
            #expect(first == bytes(base + "/second/" + file), "\(file) differs between two runs with the same seed")
        }
        #expect(bytes(base + "/first/series.csv") != bytes(base + "/other/series.csv"))
        #expect(try String(contentsOfFile: base + "/other/run.json", encoding: .utf8).contains(#""seed": 8,"#))
    }

    @Test func `--duration shortens the run`() throws {
        let out = TestFiles.temporaryDirectory() + "/out"
        let result = try Faultline.run(["run", tinyModelFile(), "--duration", "30s", "--out", out])
        #expect(result.status == 0)
        let manifest = try String(contentsOfFile: out + "/run.json", encoding: .utf8)
        #expect(manifest.contains(#""duration": 30.000000000,"#))
        #expect(manifest.contains(#""endTime": 30.000000000,"#))
    }

    @Test func `a run that reaches its event limit exits 65 and names the limit`() throws {
        let model = TestFiles.temporaryFile(named: "limited.json5", Self.tinyModel.replacingOccurrences(
            of: #"interval: "10s""#, with: #"interval: "10s", maximumEvents: 1000"#))
        let out = TestFiles.temporaryDirectory() + "/out"
        let result = try Faultline.run(["run", model, "--out", out])
        #expect(result.status == 65)
        #expect(result.standardError.contains("faultline: error: the run reached its event limit of 1000 events"))
        #expect(result.standardError.contains("run.maximumEvents"))
        #expect(!contents(out).contains { $0.hasSuffix(".partial") })
    }

    @Test func `run refuses a bad model with its located problems and exits 65`() throws {
        let path = TestFiles.temporaryFile(named: "bad.json5", Self.tinyModel.replacingOccurrences(of: "threads: 2", with: "threads: 0"))
        let out = TestFiles.temporaryDirectory() + "/out"
        let result = try Faultline.run(["run", path, "--out", out])
        #expect(result.status == 65)
        #expect(result.errorLines == [
            "\(path):5:52: error: services[0].threads: must be between 1 and 100000, found 0",
            "faultline: 1 problem in \(path)",
        ])
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func `an output directory that cannot be made exits 70 with a message`() throws {
        let blocker = TestFiles.temporaryFile(named: "plain-file", "not a directory")
        let result = try Faultline.run(["run", tinyModelFile(), "--out", blocker + "/out"])
        #expect(result.status == 70)
        #expect(result.errorLines.count == 1)
        #expect(result.standardError.hasPrefix("faultline: error: "))
        #expect(result.standardError.contains(blocker))
    }
}
