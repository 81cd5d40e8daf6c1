import Experiments
import Foundation
import Testing

/// `replicate`, `sweep`, `compare` and `merge`, through the built executable.
struct StudyCommandTests {
    /// One instance of two threads at 50 ms serves 40/s of the 60/s offered: about a third is
    /// refused; three instances serve it all.
    static let overloadedModel = """
        {
          faultline: 1,
          name: "overloaded",
          run: { duration: "1m", warmup: "10s", seed: 3, interval: "5s" },
          services: [{ name: "web", instances: 1, threads: 2, queue: 5, serviceTime: { exponential: "50ms" } }],
          traffic: [{ name: "load", target: "web", rate: "60/s" }],
        }
        """

    let model = TestFiles.temporaryFile(named: "overloaded.json5", Self.overloadedModel)
    let base = TestFiles.temporaryDirectory()

    func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    func rows(_ path: String) throws -> [[String: String]] {
        let lines = try text(path).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [] }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    func files(_ folder: String) -> [String: Data] {
        var files: [String: Data] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            files[name] = FileManager.default.contents(atPath: folder + "/" + name)
        }
        return files
    }

    func run(_ arguments: [String]) throws -> CommandResult {
        let result = try Faultline.run(arguments)
        #expect(result.exitedNormally, "faultline \(arguments.joined(separator: " ")) crashed")
        return result
    }

    static let successRatio = "load.successRatio@20s..50s:mean"

    // MARK: sweep

    @Test func `a sweep has a row per point and measure, with the parameter's value in its own column`() throws {
        let out = base + "/sweep"
        let result = try run(["sweep", model, "--set", "services.web.instances=1,3", "-r", "5", "--metric", Self.successRatio,
                              "--metric", "web.refused:sum", "--out", out])
        #expect(result.status == 0, "\(result.standardError)")
        let study = try rows(out + "/study.csv")
        #expect(study.map { $0["services.web.instances"] } == ["1", "1", "3", "3"])
        #expect(study.map { $0["point"] } == ["0", "0", "1", "1"])
        #expect(study.map { "\($0["component"]!).\($0["metric"]!)@\($0["window"]!):\($0["aggregate"]!)" }
                == [Self.successRatio, "web.refused@10s..end:sum", Self.successRatio, "web.refused@10s..end:sum"])
        #expect(study.allSatisfy { $0["n"] == "5" && $0["level"] == "0.95" })
        let one = try #require(Double(study[0]["mean"]!)), three = try #require(Double(study[2]["mean"]!))
        #expect(one > 0.5 && one < 0.8, "one instance serves about 40 of 60 requests a second, measured \(one)")
        #expect(three > 0.99)
        #expect(try rows(out + "/replications.csv").count == 2 * 5 * 2)
        #expect(result.standardOutput.contains("services.web.instances=1  \(Self.successRatio)"))
    }

    @Test func `a sweep takes every combination, or pairs the lists with --zip`() throws {
        let grid = try run(["sweep", model, "--set", "services.web.instances=1,2", "--set", "services.web.threads=2,3,4",
                            "-r", "2", "--metric", Self.successRatio, "--out", base + "/grid"])
        #expect(grid.status == 0, "\(grid.standardError)")
        let points = try rows(base + "/grid/study.csv").map { "\($0["services.web.instances"]!)/\($0["services.web.threads"]!)" }
        #expect(points == ["1/2", "1/3", "1/4", "2/2", "2/3", "2/4"])
        let zipped = try run(["sweep", model, "--set", "services.web.instances=1,2", "--set", "services.web.threads=2,3", "--zip",
                              "-r", "2", "--metric", Self.successRatio, "--out", base + "/zip"])
        #expect(zipped.status == 0, "\(zipped.standardError)")
        #expect(try rows(base + "/zip/study.csv").map { "\($0["services.web.instances"]!)/\($0["services.web.threads"]!)" } == ["1/2", "2/3"])
        let uneven = try run(["sweep", model, "--set", "services.web.instances=1,2", "--set", "services.web.threads=2,3,4", "--zip", "-r", "2"])
        #expect(uneven.status == 64)
        #expect(uneven.standardError.contains("--zip pairs lists of one length"))
    }

    @Test func `a sweep point whose value is invalid is reported as the file's problems are`() throws {
        let result = try run(["sweep", model, "--set", "services.web.instances=1,-2", "-r", "2", "--out", base + "/bad"])
        #expect(result.status == 65)
        #expect(result.standardError.contains("--set services.web.instances=-2: error:"), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: base + "/bad"))
    }

    // MARK: Same bytes however the work is split

    @Test func `a study's files are the same bytes for any number of jobs and for merged shards`() throws {
        let arguments = ["sweep", model, "--set", "services.web.instances=1,2,3", "-r", "4", "--metric", Self.successRatio]
        #expect(try run(arguments + ["--jobs", "1", "--out", base + "/one"]).status == 0)
        #expect(try run(arguments + ["--jobs", "3", "--out", base + "/three"]).status == 0)
        for shard in 0..<5 {
            let result = try run(arguments + ["--shard", "\(shard)/5", "--jobs", "2", "--out", base + "/shard\(shard)"])
            #expect(result.status == 0, "\(result.standardError)")
            #expect(files(base + "/shard\(shard)").keys.sorted() == ["replications.csv", "shard.json", "study.json"])
        }
        // Shards given in any order.
        let merge = try run(["merge"] + [3, 0, 4, 1, 2].map { base + "/shard\($0)" } + ["--out", base + "/merged"])
        #expect(merge.status == 0, "\(merge.standardError)")
        let single = files(base + "/one")
        #expect(single.keys.sorted() == ["replications.csv", "study.csv", "study.json"])
        #expect(files(base + "/three") == single)
        #expect(files(base + "/merged") == single)
    }

    @Test func `merge refuses a missing, a repeated or a foreign shard, names it, and writes nothing`() throws {
        let arguments = ["replicate", model, "-r", "4", "--metric", Self.successRatio]
        for shard in 0..<3 { #expect(try run(arguments + ["--shard", "\(shard)/3", "--out", base + "/s\(shard)"]).status == 0) }
        #expect(try run(arguments + ["--seed", "9", "--shard", "1/3", "--out", base + "/other"]).status == 0)
        let missing = try run(["merge", base + "/s0", base + "/s2", "--out", base + "/m"])
        #expect(missing.status == 65)
        #expect(missing.standardError.contains("missing shard 1/3 of 3"), "\(missing.standardError)")
        let twice = try run(["merge", base + "/s0", base + "/s1", base + "/s1", base + "/s2", "--out", base + "/m"])
        #expect(twice.status == 65)
        #expect(twice.standardError.contains("shard 1/3 is given twice"))
        // Given first, the foreign shard is still the one named: the study is the one most shards share.
        let foreign = try run(["merge", base + "/other", base + "/s0", base + "/s2", "--out", base + "/m"])
        #expect(foreign.status == 65)
        #expect(foreign.standardError.contains("\(base)/other: belongs to another study than \(base)/s0"), "\(foreign.standardError)")
        #expect(!foreign.standardError.contains("\(base)/s2: belongs"))
        #expect(foreign.standardError.contains("missing shard 1/3 of 3"))
        let notShard = try run(["merge", base + "/s0", base, "--out", base + "/m"])
        #expect(notShard.status == 65)
        #expect(notShard.standardError.contains("not a shard folder"))
        #expect(!FileManager.default.fileExists(atPath: base + "/m"))
    }

    @Test func `merge refuses a shard run with another --duration`() throws {
        let arguments = ["replicate", model, "-r", "2", "--metric", Self.successRatio]
        #expect(try run(arguments + ["--shard", "0/2", "--out", base + "/s0"]).status == 0)
        #expect(try run(arguments + ["--shard", "1/2", "--duration", "55s", "--out", base + "/s1"]).status == 0)
        let merge = try run(["merge", base + "/s0", base + "/s1", "--out", base + "/m"])
        #expect(merge.status == 65)
        #expect(merge.standardError.contains("belongs to another study"), "\(merge.standardError)")
        #expect(try text(base + "/s1/study.json").contains(#""duration": "55s", "warmup": "10s"}"#))
    }

    // MARK: replicate

    @Test func `replicate derives each seed from the base seed and the index, and measures what a run reports`() throws {
        let out = base + "/replicate"
        let result = try run(["replicate", model, "-r", "3", "--out", out])
        #expect(result.status == 0, "\(result.standardError)")
        let replications = try rows(out + "/replications.csv")
        let seeds = Set(replications.map { $0["seed"]! })
        #expect(seeds == Set((0..<3).map { String(Replications.seed(base: 3, point: 0, replication: $0)) }))
        // Replication 2, run on its own, writes the same summary rows.
        let seed = String(Replications.seed(base: 3, point: 0, replication: 2))
        #expect(try run(["run", model, "--seed", seed, "--out", base + "/alone"]).status == 0)
        let summary = try rows(base + "/alone/summary.csv")
        let measured = replications.filter { $0["replication"] == "2" }
        #expect(measured.count == summary.count)
        for (row, alone) in zip(measured, summary) {
            #expect(row["component"] == alone["component"] && row["metric"] == alone["metric"])
            #expect(row["aggregate"] == "summary" && row["window"] == "10s..end")
            // summary.csv rounds to 6 decimals (docs/output.md); the study keeps every digit.
            let value = try #require(Double(row["value"]!)), written = try #require(Double(alone["value"]!))
            #expect(abs(value - written) <= 5e-7, "\(alone["component"]!).\(alone["metric"]!): \(value) vs \(written)")
        }
    }

    @Test func `study.csv's interval is Student's t over the replications' values`() throws {
        let out = base + "/interval"
        #expect(try run(["replicate", model, "-r", "6", "--level", "90%", "--metric", Self.successRatio, "--out", out]).status == 0)
        let values = try rows(out + "/replications.csv").map { Double($0["value"]!)! }
        let interval = ConfidenceInterval(observations: values, level: 0.9)
        let row = try #require(try rows(out + "/study.csv").first)
        #expect(row["n"] == "6" && row["level"] == "0.9")
        #expect(Double(row["mean"]!) == interval.mean)
        #expect(Double(row["ciLow"]!) == interval.lower)
        #expect(Double(row["ciHigh"]!) == interval.upper)
        #expect(Double(row["relativeHalfWidth"]!) == interval.halfWidth / interval.mean)
    }

    @Test func `--precision adds replications until the interval is narrow enough, the same for any number of jobs`() throws {
        var outputs: [[String: Data]] = []
        for jobs in ["1", "2"] {
            let result = try run(["replicate", model, "-r", "3", "--precision", "1%", "--max-replications", "200",
                                  "--metric", Self.successRatio, "--jobs", jobs, "--out", base + "/p" + jobs])
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardOutput.contains("precision 1% reached after "), "\(result.standardOutput)")
            outputs.append(files(base + "/p" + jobs))
        }
        #expect(outputs[0] == outputs[1])
        let row = try #require(try rows(base + "/p1/study.csv").first)
        let n = try #require(Int(row["n"]!))
        #expect(n > 3 && Double(row["relativeHalfWidth"]!)! <= 0.01)
        // One fewer would not have been enough: the study stopped at the first n that was.
        let values = try rows(base + "/p1/replications.csv").map { Double($0["value"]!)! }
        let fewer = ConfidenceInterval(observations: Array(values.prefix(n - 1)), level: 0.95)
        #expect(fewer.halfWidth / fewer.mean > 0.01)
        let unreachable = try run(["replicate", model, "-r", "2", "--precision", "0.001%", "--max-replications", "4",
                                   "--metric", Self.successRatio, "--out", base + "/unreachable"])
        #expect(unreachable.status == 1)
        #expect(unreachable.standardError.contains("precision 0.001% not reached after 4 replications"), "\(unreachable.standardError)")
    }

    @Test func `--keep-runs keeps each replication's files, the same as a run with its seed`() throws {
        let out = base + "/kept"
        #expect(try run(["sweep", model, "--set", "services.web.instances=1,2", "-r", "2", "--keep-runs",
                         "--metric", Self.successRatio, "--out", out]).status == 0)
        let seed = String(Replications.seed(base: 3, point: 0, replication: 1))
        #expect(try run(["run", model, "--set", "services.web.instances=2", "--seed", seed, "--out", base + "/alone"]).status == 0)
        let kept = files(out + "/runs/1/1")
        #expect(kept.keys.sorted() == ["events.csv", "run.json", "series.csv", "summary.csv"])
        #expect(kept["series.csv"] == files(base + "/alone")["series.csv"])
        #expect(kept["events.csv"] == files(base + "/alone")["events.csv"])
    }

    // MARK: compare

    @Test func `compare pairs each variant with the baseline on the same seeds`() throws {
        let out = base + "/compare"
        let result = try run(["compare", model, "--with", "services.web.instances=2", "-r", "5",
                              "--metric", Self.successRatio, "--out", out])
        #expect(result.status == 0, "\(result.standardError)")
        let replications = try rows(out + "/replications.csv")
        let baseline = replications.filter { $0["variant"] == "baseline" }
        let variant = replications.filter { $0["variant"] == "services.web.instances=2" }
        #expect(baseline.map { $0["seed"]! } == variant.map { $0["seed"]! })
        let differences = zip(variant, baseline).map { Double($0["value"]!)! - Double($1["value"]!)! }
        let paired = ConfidenceInterval(observations: differences, level: 0.95)
        let row = try #require(try rows(out + "/comparison.csv").first)
        #expect(row["variant"] == "services.web.instances=2" && row["baseline"] == "baseline" && row["n"] == "5")
        #expect(Double(row["difference"]!) == paired.mean)
        #expect(Double(row["halfWidth"]!) == paired.halfWidth)
        #expect(paired.lower > 0, "a second instance raises the success ratio")
        #expect(result.standardOutput.contains("services.web.instances=2  \(Self.successRatio)  +"))
    }

    @Test func `compare takes two model files as baseline and variant`() throws {
        let other = TestFiles.temporaryFile(named: "two.json5", Self.overloadedModel.replacingOccurrences(of: "instances: 1", with: "instances: 2"))
        let result = try run(["compare", model, other, "-r", "3", "--metric", Self.successRatio, "--out", base + "/files"])
        #expect(result.status == 0, "\(result.standardError)")
        let row = try #require(try rows(base + "/files/comparison.csv").first)
        #expect(row["variant"] == other && row["baseline"] == model)
    }

    // MARK: --metric on run and validate

    @Test func `run --metric prints the measure a replication of the same seed records`() throws {
        let seed = String(Replications.seed(base: 3, point: 0, replication: 0))
        let alone = try run(["run", model, "--seed", seed, "--metric", Self.successRatio, "--metric", "web.refused:sum", "--out", base + "/alone"])
        #expect(alone.status == 0, "\(alone.standardError)")
        #expect(try run(["replicate", model, "-r", "2", "--metric", Self.successRatio, "--metric", "web.refused:sum", "--out", base + "/r"]).status == 0)
        for row in try rows(base + "/r/replications.csv") where row["replication"] == "0" {
            #expect(alone.standardOutput.contains("  \(row["component"]!).\(row["metric"]!)@\(row["window"]!):\(row["aggregate"]!) = \(row["value"]!)\n"),
                    "\(alone.standardOutput)")
        }
    }

    @Test func `validate checks --metric selectors against each model`() throws {
        let good = try run(["validate", model, "--metric", Self.successRatio])
        #expect(good.status == 0)
        let bad = try run(["validate", model, "--metric", "web.latencyP99@20s..30s:maximun"])
        #expect(bad.status == 65)
        #expect(bad.standardError.contains("--metric web.latencyP99@20s..30s:maximun: error: must be one of mean, minimum, maximum"), "\(bad.standardError)")
        #expect(bad.standardError.contains("did you mean 'maximum'?"))
    }

    // MARK: Bad input

    @Test func `a misspelt --metric is named by its argument with the nearest name`() throws {
        let result = try run(["replicate", model, "-r", "2", "--metric", "lod.successRatio@20s..50s:mean",
                              "--metric", "load.sucessRatio:mean", "--metric", "web.latencyP99@5s..20s:maximum", "--out", base + "/x"])
        #expect(result.status == 65)
        #expect(result.errorLines.contains(#"--metric lod.successRatio@20s..50s:mean: error: no component is named "lod"; did you mean 'load'?"#),
                "\(result.standardError)")
        #expect(result.standardError.contains("--metric load.sucessRatio:mean: error:"))
        #expect(result.standardError.contains("did you mean 'successRatio'?"))
        #expect(result.standardError.contains("--metric web.latencyP99@5s..20s:maximum: error: the window starts at 5s, inside the warm-up of 10s"))
        #expect(!FileManager.default.fileExists(atPath: base + "/x"))
    }

    @Test(arguments: [
        ["replicate", "M", "-r", "0"],
        ["replicate", "M", "--level", "100%"],
        ["replicate", "M", "--precision", "2%", "--shard", "0/2"],
        ["replicate", "M", "--shard", "2/2"],
        ["replicate", "M", "--jobs", "0"],
        ["replicate", "M", "--max-replications", "9"],
        ["compare", "M"],
        ["sweep", "M", "--set", "services.web.instances=2"],
        ["merge"],
        ["compare", "M", "--with", "run.seed=9"],
        ["sweep", "M", "--set", "run.warmup=5s,20s", "--metric", "web.refused:sum"],
    ])
    func `a study command with options it cannot use exits 64 and says why`(arguments: [String]) throws {
        let result = try run(arguments.map { $0 == "M" ? model : $0 })
        #expect(result.status == 64, "\(arguments): \(result.standardError)")
        #expect(result.standardError.hasPrefix("faultline: error: "))
    }

    @Test func `a malformed --metric exits 65 and shows the selector's shape`() throws {
        let result = try run(["replicate", model, "--metric", "successRatio", "--metric", "load.successRatio@20s:mean"])
        #expect(result.status == 65)
        #expect(result.standardError.contains("--metric successRatio: error: expected COMPONENT.METRIC"))
        #expect(result.standardError.contains("--metric load.successRatio@20s:mean: error: expected a window FROM..TO"))
    }

    @Test(arguments: ["replicate", "sweep", "compare", "merge"])
    func `each study command has its help`(command: String) throws {
        for arguments in [[command, "--help"], ["help", command]] {
            let result = try run(arguments)
            #expect(result.status == 0)
            #expect(result.standardOutput.hasPrefix("USAGE: faultline \(command) "))
        }
    }
}
