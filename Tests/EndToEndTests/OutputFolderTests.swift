import Foundation
import Testing

/// The output folder as a whole: concurrent runs into one folder, interrupted runs, a disk that
/// fills, folders that are not a run's. After any of these the folder holds the complete files of
/// exactly one run, or of none, or the earlier set untouched; and a run says what it did.
@Suite(.serialized)
struct OutputFolderTests {
    static let runFiles = ["events.csv", "run.json", "series.csv", "summary.csv"]

    /// A model that runs for a long time of the wall clock (tens of seconds), for signals.
    static let longModel = """
        {
          faultline: 1,
          name: "long",
          run: { duration: "200h", seed: 3, interval: "1m" },
          services: [{ name: "web", instances: 4, threads: 10, queue: 50, serviceTime: { exponential: "80ms" } }],
          traffic: [{ name: "load", target: "web", rate: "300/s" }],
        }
        """

    func contents(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    func bytes(_ path: String) -> Data? {
        FileManager.default.contents(atPath: path)
    }

    /// The files of a folder, by name.
    func files(_ directory: String) -> [String: Data] {
        var result: [String: Data] = [:]
        for name in contents(directory) { result[name] = bytes(directory + "/" + name) }
        return result
    }

    /// Starts the executable without waiting for it.
    func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = Faultline.executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test func `two runs into one folder leave the complete files of exactly one of them, over 20 trials`() throws {
        let model = TestFiles.inRepository("models/small-farm.json5")
        let base = TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        // What each seed writes alone.
        var reference: [String: [String: Data]] = [:]
        for seed in ["11", "22"] {
            let result = try Faultline.run(["run", model, "--seed", seed, "--out", base + "/alone-" + seed])
            #expect(result.status == 0)
            reference[seed] = files(base + "/alone-" + seed)
            #expect(reference[seed]?.keys.sorted() == Self.runFiles)
        }
        #expect(reference["11"]?["series.csv"] != reference["22"]?["series.csv"])
        let shared = base + "/same"
        for trial in 0..<20 {
            let first = try start(["run", model, "--seed", "11", "--out", shared])
            let second = try start(["run", model, "--seed", "22", "--out", shared])
            first.waitUntilExit()
            second.waitUntilExit()
            #expect(first.terminationStatus == 0, "trial \(trial): the run with seed 11 failed")
            #expect(second.terminationStatus == 0, "trial \(trial): the run with seed 22 failed")
            let found = files(shared)
            let matches = reference.values.filter { $0 == found }
            #expect(matches.count == 1, "trial \(trial): the folder holds \(found.keys.sorted()), not exactly one run's files")
            // No private folder is left beside it.
            #expect(contents(base).filter { $0.hasPrefix(".") } == [], "trial \(trial)")
        }
    }

    @Test func `a second run replaces the first as a whole`() throws {
        let model = TestFiles.inRepository("models/small-farm.json5")
        let out = TestFiles.temporaryDirectory() + "/out"
        #expect(try Faultline.run(["run", model, "--seed", "1", "--out", out]).status == 0)
        #expect(try Faultline.run(["run", model, "--seed", "2", "--out", out]).status == 0)
        #expect(contents(out) == Self.runFiles)
        #expect(try String(contentsOfFile: out + "/run.json", encoding: .utf8).contains(#""seed": 2,"#))
    }

    @Test func `a folder of other files is never replaced`() throws {
        let out = TestFiles.temporaryDirectory()
        FileManager.default.createFile(atPath: out + "/thesis.tex", contents: Data("precious".utf8))
        let result = try Faultline.run(["run", TestFiles.inRepository("models/small-farm.json5"), "--out", out])
        #expect(result.status == 73)
        #expect(result.errorLines == ["faultline: error: cannot create \(out): it holds 'thesis.tex', which a run did not write, and a run replaces its output folder as a whole; name a new or empty folder, or one an earlier run wrote"])
        #expect(contents(out) == ["thesis.tex"])
        #expect(contents(URL(fileURLWithPath: out).deletingLastPathComponent().path).filter { $0.hasPrefix("." + URL(fileURLWithPath: out).lastPathComponent) } == [])
    }

    @Test func `a folder with a run's files and others is never replaced, such as a checkout a run once wrote into`() throws {
        let model = TestFiles.inRepository("models/small-farm.json5")
        let out = TestFiles.temporaryDirectory() + "/out"
        #expect(try Faultline.run(["run", model, "--out", out]).status == 0)
        try FileManager.default.createDirectory(atPath: out + "/.git", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: out + "/plot.png", contents: Data("png".utf8))
        let before = files(out)
        let result = try Faultline.run(["run", model, "--seed", "9", "--out", out])
        #expect(result.status == 73)
        #expect(result.errorLines == ["faultline: error: cannot create \(out): it holds '.git', 'plot.png', which a run did not write, and a run replaces its output folder as a whole; name a new or empty folder, or one an earlier run wrote"])
        #expect(files(out) == before)
        #expect(FileManager.default.fileExists(atPath: out + "/.git"))
    }

    @Test func `a symbolic link as the output folder is refused, not replaced`() throws {
        let base = TestFiles.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: base + "/real", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: base + "/link", withDestinationPath: base + "/real")
        let result = try Faultline.run(["run", TestFiles.inRepository("models/small-farm.json5"), "--out", base + "/link"])
        #expect(result.status == 73)
        #expect(result.errorLines == ["faultline: error: cannot create \(base)/link: it is a symbolic link, which a run would replace; name the folder it points to"])
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: base + "/link") == base + "/real")
    }

    @Test(arguments: [".", "..", "/"])
    func `the current folder, its parent or the root are refused as output folders`(out: String) throws {
        let scratch = TestFiles.temporaryDirectory() + "/a/b"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let result = try Faultline.run(["run", TestFiles.inRepository("models/small-farm.json5"), "--out", out],
                                       in: scratch)
        #expect(result.status == 73)
        #expect(result.errorLines == ["faultline: error: cannot create \(out): name a folder of its own for the run's files (it is replaced as a whole)"])
    }

    @Test func `a run that cannot write its files exits 74, names the file, and leaves the earlier files untouched`() throws {
        let model = TestFiles.inRepository("models/small-farm.json5")
        let out = TestFiles.temporaryDirectory() + "/out"
        #expect(try Faultline.run(["run", model, "--seed", "5", "--out", out]).status == 0)
        let before = files(out)
        // A file-size limit of 64 KiB stands in for a full disk: series.csv needs more (the limit's
        // signal is ignored, so the write fails with EFBIG instead of killing the process).
        let result = try Faultline.runInShell("trap '' XFSZ; ulimit -f 64; exec \"$FAULTLINE\" run '\(model)' --seed 6 --out '\(out)'")
        #expect(result.status == 74)
        #expect(result.errorLines == ["faultline: error: cannot write \(out)/series.csv: the file is larger than this process may write"])
        #expect(files(out) == before)
        #expect(contents(URL(fileURLWithPath: out).deletingLastPathComponent().path) == ["out"])
    }

    @Test(arguments: [(SIGINT, Int32(130), "SIGINT"), (SIGTERM, Int32(143), "SIGTERM")])
    func `a signal stops the run, writes what exists marked incomplete, and exits 128 plus its number`(
        signal: Int32, status: Int32, name: String
    ) throws {
        let model = TestFiles.temporaryFile(named: "long.json5", Self.longModel)
        let out = TestFiles.temporaryDirectory() + "/out"
        let result = try Faultline.run(["run", model, "--out", out]) { process in
            usleep(700_000)  // well into the run, which would last about a minute
            kill(process.processIdentifier, signal)
        }
        #expect(result.exitedNormally)
        #expect(result.status == status)
        #expect(result.errorLines.count == 1)
        #expect(result.errorLines.first?.hasPrefix("faultline: interrupted by \(name) at simulated time ") == true)
        #expect(result.standardError.contains("wrote the run so far to \(out) (run.json says \"complete\": false)"))
        #expect(contents(out) == Self.runFiles)
        let manifest = try String(contentsOfFile: out + "/run.json", encoding: .utf8)
        #expect(manifest.contains(#""complete": false,"#))
        #expect(manifest.contains(#""stopReason": "interrupted","#))
        #expect(manifest.contains(#""stoppedBy": "\#(name)","#))
        let events = try String(contentsOfFile: out + "/events.csv", encoding: .utf8)
        #expect(events.contains(",long,runEnded,interrupted; run cut short with "))
        #expect(try String(contentsOfFile: out + "/summary.csv", encoding: .utf8).hasPrefix("component,metric,value\n"))
    }

    @Test func `a second signal ends the run at once and leaves the earlier files untouched`() throws {
        let model = TestFiles.temporaryFile(named: "long.json5", Self.longModel)
        let out = TestFiles.temporaryDirectory() + "/out"
        #expect(try Faultline.run(["run", model, "--duration", "1m", "--out", out]).status == 0)
        let before = files(out)
        // The two signals come close together, so the second one nearly always finds the first
        // still being handled and ends the process at once; if the run was faster, its files are
        // complete and marked incomplete. Either way no mixture is left.
        let result = try Faultline.run(["run", model, "--out", out]) { process in
            usleep(700_000)
            kill(process.processIdentifier, SIGINT)
            kill(process.processIdentifier, SIGINT)
        }
        #expect(result.status == 130 || (!result.exitedNormally && result.status == SIGINT))
        let after = files(out)
        #expect(after == before || after["run.json"].map { String(decoding: $0, as: UTF8.self).contains(#""complete": false"#) } == true)
        #expect(after.keys.sorted() == Self.runFiles)
    }

    @Test func `a complete run says so in run.json`() throws {
        let out = TestFiles.temporaryDirectory() + "/out"
        #expect(try Faultline.run(["run", TestFiles.inRepository("models/small-farm.json5"), "--out", out]).status == 0)
        let manifest = try String(contentsOfFile: out + "/run.json", encoding: .utf8)
        #expect(manifest.contains(#""complete": true,"#))
        #expect(manifest.contains(#""stoppedBy": null,"#))
    }
}
