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
        (["help", "run"], "USAGE: faultline run MODEL [--seed N] [--out DIR] [--duration T] [--set PATH=VALUE]..."),
        (["validate", "--help"], "USAGE: faultline validate MODEL... [--set PATH=VALUE]..."),
        (["check", "--help"], "USAGE: faultline check MODEL [--seed N] [--out DIR] [--duration T] [--set PATH=VALUE]... [--junit FILE]"),
        (["help", "check"], "USAGE: faultline check MODEL [--seed N] [--out DIR] [--duration T] [--set PATH=VALUE]... [--junit FILE]"),
        (["check", "m.json5", "-h"], "USAGE: faultline check MODEL [--seed N] [--out DIR] [--duration T] [--set PATH=VALUE]... [--junit FILE]"),
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
        (["check"], "faultline: error: check needs a model file; see 'faultline check --help'"),
        (["check", "a.json5", "b.json5"], "faultline: error: check takes one model file, found 2"),
        (["check", "m.json5", "--speed", "3"], "faultline: error: unknown option '--speed'"),
        (["check", "m.json5", "--out"], "faultline: error: option '--out' needs a value"),
        (["run", "m.json5", "--seed", "--out", "x"], "faultline: error: option '--seed' needs a value, found the option '--out'"),
        (["check", "m.json5", "--out", "--seed", "3"], "faultline: error: option '--out' needs a value, found the option '--seed'"),
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
        (["--out", ""], "faultline: error: --out needs a folder, found an empty name"),
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

    @Test(arguments: ["validate", "run", "check"])
    func `a missing model file exits 66 and says so`(command: String) throws {
        let path = TestFiles.temporaryDirectory() + "/absent.json5"
        let result = try Faultline.run([command, path])
        #expect(result.status == 66)
        #expect(result.errorLines == ["faultline: error: cannot read \(path): no such file"])
    }

    @Test func `a folder given as the model exits 66 and says it is a folder`() throws {
        let path = TestFiles.temporaryDirectory()
        let result = try Faultline.run(["run", path])
        #expect(result.status == 66)
        #expect(result.errorLines == ["faultline: error: cannot read \(path): it is a folder, not a model file"])
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
        #expect(result.standardError.contains("faultline: error: the run was stopped at simulated time "))
        #expect(result.standardError.contains(": 1000 events executed, the most run.maximumEvents allows;"))
        #expect(result.standardError.contains("Raise run.maximumEvents"))
        #expect(contents(out) == ["events.csv", "run.json", "series.csv", "summary.csv"])
        let manifest = try String(contentsOfFile: out + "/run.json", encoding: .utf8)
        #expect(manifest.contains(#""complete": false,"#))
        #expect(manifest.contains(#""stoppedBy": "run.maximumEvents","#))
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

    @Test func `an output folder under a file exits 73 and says a part of the path is a file`() throws {
        let blocker = TestFiles.temporaryFile(named: "plain-file", "not a directory")
        let result = try Faultline.run(["run", tinyModelFile(), "--out", blocker + "/out"])
        #expect(result.status == 73)
        #expect(result.errorLines == ["faultline: error: cannot create \(blocker): a part of the path is a file, not a folder"])
    }

    @Test func `an output folder that is a file exits 73 and says a file of that name exists`() throws {
        let blocker = TestFiles.temporaryFile(named: "x", "a file")
        let result = try Faultline.run(["run", tinyModelFile(), "--out", blocker])
        #expect(result.status == 73)
        #expect(result.errorLines == ["faultline: error: cannot create \(blocker): a file of that name exists"])
    }

    // MARK: check

    /// `tinyModel` with an `expect` list holding `expectations`, one a line from line 8, each
    /// starting at column 5.
    static func expectingModel(_ expectations: [String]) -> String {
        let lines = tinyModel.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        precondition(lines.count == 7 && lines[6] == "}")
        return (Array(lines.prefix(6)) + ["  expect: ["] + expectations.map { "    " + $0 + "," } + ["  ],", "}"]).joined(separator: "\n")
    }

    /// Expectations that hold for `tinyModel` whatever the engine's exact numbers.
    static let holdingExpectations = [
        #"{ component: "web", metric: "latencyP99", below: "1h" }"#,
        #"{ component: "web", metric: "completed", from: "10s", to: "40s", aggregate: "sum", atLeast: 1 }"#,
        #"{ component: "web", event: "instanceCrashed", count: 0 }"#,
    ]

    /// The lines of standard output that report an expectation.
    func expectationLines(_ result: CommandResult) -> [String] {
        result.standardOutput.split(separator: "\n").map(String.init).filter { $0.hasPrefix("✓ ") || $0.hasPrefix("✗ ") }
    }

    @Test func `check exits 0 when every expectation holds`() throws {
        let path = TestFiles.temporaryFile(named: "checked.json5", Self.expectingModel(Self.holdingExpectations))
        let out = TestFiles.temporaryDirectory() + "/out"
        let result = try Faultline.run(["check", path, "--out", out])
        #expect(result.status == 0)
        #expect(result.standardError == "")
        #expect(result.standardOutput.hasPrefix("tiny: seed 3, "))
        let lines = expectationLines(result)
        #expect(lines.count == 3)
        #expect(lines.count == 3 && lines[0].hasPrefix("✓ web latencyP99 below 1h (measured "))
        #expect(lines.count == 3 && lines[1].hasPrefix("✓ web completed sum from 10s to 40s at least 1 (measured "))
        #expect(lines.count == 3 && lines[2] == "✓ web instanceCrashed count == 0 (measured 0)")
        #expect(result.standardOutput.hasSuffix("\n3 passed, 0 failed\n"))
        #expect(contents(out) == ["events.csv", "run.json", "series.csv", "summary.csv"])
    }

    @Test func `check exits 1 and names each failed expectation with its location and measured value`() throws {
        let path = TestFiles.temporaryFile(named: "failing.json5", Self.expectingModel(Self.holdingExpectations + [
            #"{ component: "web", metric: "latencyP50", below: "1ns" }"#,
            #"{ component: "web", metric: "latencyP99", from: "2m", aggregate: "maximum", below: 1 }"#,
        ]))
        let result = try Faultline.run(["check", path, "--out", TestFiles.temporaryDirectory() + "/out"])
        #expect(result.status == 1)
        #expect(result.standardError == "")
        let lines = expectationLines(result)
        #expect(lines.count == 5)
        #expect(lines.prefix(3).allSatisfy { $0.hasPrefix("✓ ") })
        #expect(lines.count == 5 && lines[3].hasPrefix("✗ \(path):11:5: expectation failed: web latencyP50 below 1ns (measured "))
        #expect(lines.count == 5 && lines[4] == "✗ \(path):12:5: expectation failed: web latencyP99 maximum from 2m below 1 (no rows of latencyP99 for web in the window)")
        #expect(result.standardOutput.hasSuffix("\n3 passed, 2 failed\n"))
    }

    /// The issue's case: a misspelt component and event counted 0 events and passed.
    static let misspeltExpectation = #"{ component: "wbe", event: "instanceCrash", count: 0 }"#

    @Test func `validate rejects an expectation that names no component and no event of the model`() throws {
        let path = TestFiles.temporaryFile(named: "misspelt.json5", Self.expectingModel([Self.misspeltExpectation]))
        let result = try Faultline.run(["validate", path])
        #expect(result.status == 65)
        #expect(result.errorLines == [
            "\(path):8:18: error: expect[0].component: no component is named \"wbe\"; did you mean 'web'?",
            "\(path):8:32: error: expect[0].event: no event is named \"instanceCrash\"; did you mean 'instanceCrashed'?",
            "\(path): 2 problems",
        ])
    }

    @Test func `check refuses a misspelt expectation before running, and writes nothing`() throws {
        let path = TestFiles.temporaryFile(named: "misspelt.json5", Self.expectingModel(Self.holdingExpectations + [Self.misspeltExpectation]))
        let out = TestFiles.temporaryDirectory() + "/out"
        let result = try Faultline.run(["check", path, "--out", out])
        #expect(result.status == 65)
        #expect(result.standardOutput == "")
        #expect(result.errorLines.first == "\(path):11:18: error: expect[3].component: no component is named \"wbe\"; did you mean 'web'?")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func `check of a model without expectations runs it, says so and exits 0`() throws {
        let path = tinyModelFile()
        let out = TestFiles.temporaryDirectory() + "/out"
        let result = try Faultline.run(["check", path, "--out", out])
        #expect(result.status == 0)
        #expect(result.standardError == "")
        #expect(result.standardOutput.hasSuffix("\n\(path): no expectations to check (add an 'expect' list to the model)\n"))
        #expect(contents(out) == ["events.csv", "run.json", "series.csv", "summary.csv"])
    }

    @Test func `check writes the same files as run`() throws {
        let path = TestFiles.temporaryFile(named: "checked.json5", Self.expectingModel(Self.holdingExpectations))
        let base = TestFiles.temporaryDirectory()
        #expect(try Faultline.run(["run", path, "--seed", "5", "--out", base + "/run"]).status == 0)
        #expect(try Faultline.run(["check", path, "--seed", "5", "--out", base + "/check"]).status == 0)
        for file in ["series.csv", "events.csv", "summary.csv", "run.json"] {
            #expect(bytes(base + "/run/" + file) != nil)
            #expect(bytes(base + "/run/" + file) == bytes(base + "/check/" + file), "\(file) differs between run and check")
        }
    }

    @Test(arguments: [
        (["--seed", "abc"], "faultline: error: --seed needs a non-negative integer, found 'abc'"),
        (["--duration", "0s"], "faultline: error: --duration must be longer than the model's warm-up (0s), found '0s'"),
    ])
    func `a bad option value of check exits 64`(options: [String], message: String) throws {
        let path = TestFiles.temporaryFile(named: "checked.json5", Self.expectingModel(Self.holdingExpectations))
        let result = try Faultline.run(["check", path] + options)
        #expect(result.status == 64)
        #expect(result.errorLines == [message])
        #expect(result.standardOutput == "")
    }

    @Test func `check refuses a model with a wrong expectation, located, and exits 65`() throws {
        let path = TestFiles.temporaryFile(named: "bad.json5", Self.expectingModel([
            #"{ component: "web", metric: "latencyP99", below: "2s", above: "1s" }"#,
            #"{ component: "web", metric: "latencyP99", aggregate: "max", below: "2s" }"#,
        ]))
        let out = TestFiles.temporaryDirectory() + "/out"
        let result = try Faultline.run(["check", path, "--out", out])
        #expect(result.status == 65)
        #expect(result.standardOutput == "")
        #expect(result.errorLines == [
            "\(path):8:67: error: expect[0].above: an expectation has exactly one comparison (below, above, atMost, atLeast, equal); 'below' is already given",
            #"\#(path):9:58: error: expect[1].aggregate: must be one of mean, minimum, maximum, sum, first, last, found "max"; did you mean 'maximum'?"#,
            "faultline: 2 problems in \(path)",
        ])
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func `check of a run stopped by its event limit exits 65 without evaluating`() throws {
        let model = Self.expectingModel(Self.holdingExpectations).replacingOccurrences(
            of: #"interval: "10s""#, with: #"interval: "10s", maximumEvents: 1000"#)
        let path = TestFiles.temporaryFile(named: "limited.json5", model)
        let result = try Faultline.run(["check", path, "--out", TestFiles.temporaryDirectory() + "/out"])
        #expect(result.status == 65)
        #expect(result.standardError.contains(": 1000 events executed, the most run.maximumEvents allows;"))
        #expect(expectationLines(result) == [])
    }

    // MARK: The executable itself

    #if os(Linux)
    /// docs/scale-out.md: the binary copies to a node without a toolchain, whatever its glibc, because
    /// it is one static executable. Its ELF program headers name no interpreter (the dynamic loader)
    /// and hold no dynamic section, so it maps no shared library.
    @Test func `the executable on Linux is static: no program interpreter and no dynamic section`() throws {
        let executable = try #require(Faultline.executable, "no built faultline executable")
        let elf = try Data(contentsOf: executable)
        try #require(elf.count > 64 && elf.prefix(4) == Data([0x7f, 0x45, 0x4c, 0x46]), "not an ELF file")
        func integer(at offset: Int, bytes: Int) -> Int {
            (0..<bytes).reduce(0) { $0 | Int(elf[elf.startIndex + offset + $1]) << (8 * $1) }
        }
        let headerOffset = integer(at: 0x20, bytes: 8), headerSize = integer(at: 0x36, bytes: 2)
        let headerCount = integer(at: 0x38, bytes: 2)
        try #require(headerCount > 0 && headerOffset + headerCount * headerSize <= elf.count)
        let types = (0..<headerCount).map { integer(at: headerOffset + $0 * headerSize, bytes: 4) }
        let interpreter = 3, dynamic = 2, load = 1
        #expect(types.contains(load))
        #expect(!types.contains(interpreter), "\(executable.path) asks for a dynamic loader")
        #expect(!types.contains(dynamic), "\(executable.path) has a dynamic section")
    }
    #endif
}
