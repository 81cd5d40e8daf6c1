import Foundation
import Testing

/// `--variant NAME` on the command line, `compare --variants` and `faultline models`, run as a
/// subprocess on a small model with variants.
struct VariantCommandLineTests {
    /// One service under light traffic, with two variants: more instances, and fewer threads.
    static let model = """
        {
          faultline: 1,
          name: "tiny",
          antipattern: "A farm too small for its traffic",
          run: { duration: "1m", seed: 3, interval: "10s" },
          services: [{ name: "web", instances: 1, threads: 2, queue: 5, serviceTime: { exponential: "50ms" } }],
          traffic: [{ name: "load", target: "web", rate: "60/s" }],
          expect: [{ component: "web", metric: "refused", aggregate: "sum", above: 0 }],
          variants: {
            wider: {
              description: "Four instances",
              set: { "services.web.instances": 4 },
              expect: [{ component: "web", metric: "refused", aggregate: "sum", atMost: 50 }],
            },
            narrow: {
              set: { "services.web.threads": 1 },
            },
          },
        }
        """

    /// A fresh folder holding the model as `models/tiny.json5`; returns the folder.
    func folderWithModel(_ text: String = Self.model) throws -> String {
        let folder = TestFiles.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: folder + "/models", withIntermediateDirectories: true)
        try text.write(toFile: folder + "/models/tiny.json5", atomically: true, encoding: .utf8)
        return folder
    }

    func text(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    @Test func `run --variant writes the variant's folder, named after the model and the variant`() throws {
        let folder = try folderWithModel()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try Faultline.run(["run", "models/tiny.json5", "--variant", "wider"], in: folder)
        #expect(result.status == 0, "\(result.standardError)")
        let manifest = text(folder + "/out/tiny-wider/run.json")
        #expect(manifest.contains("\"model\": \"tiny-wider\",\n  \"variant\": \"wider\","))
        #expect(text(folder + "/out/tiny-wider/events.csv").contains("0.000000000,tiny-wider,runStarted,seed 3,"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/out/tiny"))
    }

    @Test func `a baseline's run.json says no variant`() throws {
        let folder = try folderWithModel()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try Faultline.run(["run", "models/tiny.json5"], in: folder)
        #expect(result.status == 0, "\(result.standardError)")
        let manifest = text(folder + "/out/tiny/run.json")
        #expect(manifest.contains("\"model\": \"tiny\","))
        #expect(!manifest.contains("\"variant\""))
    }

    @Test func `check --variant evaluates the variant's own expectations`() throws {
        let folder = try folderWithModel()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let baseline = try Faultline.run(["check", "models/tiny.json5"], in: folder)
        #expect(baseline.status == 0, "\(baseline.standardOutput)\(baseline.standardError)")
        #expect(baseline.standardOutput.contains("web refused sum above 0"))
        let wider = try Faultline.run(["check", "models/tiny.json5", "--variant", "wider"], in: folder)
        #expect(wider.status == 0, "\(wider.standardOutput)\(wider.standardError)")
        #expect(wider.standardOutput.contains("web refused sum at most 50"))
        #expect(!wider.standardOutput.contains("web refused sum above 0"))
        #expect(wider.standardOutput.contains("1 passed, 0 failed"))
    }

    @Test func `an unknown variant is refused with the closest name and exit 65`() throws {
        let folder = try folderWithModel()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try Faultline.run(["run", "models/tiny.json5", "--variant", "wide"], in: folder)
        #expect(result.status == 65)
        #expect(result.errorLines.first == "--variant wide: error: models/tiny.json5 has no variant named 'wide'; did you mean 'wider'?")
        #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
    }

    @Test func `validate checks every variant and names them`() throws {
        let folder = try folderWithModel()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try Faultline.run(["validate", "models/tiny.json5"], in: folder)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == "models/tiny.json5: ok (model 'tiny', variants wider, narrow)\n")
    }

    @Test func `validate locates a variant's bad path in the file`() throws {
        let broken = Self.model.replacingOccurrences(of: #""services.web.threads": 1"#, with: #""services.wbe.threads": 1"#)
        let folder = try folderWithModel(broken)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try Faultline.run(["validate", "models/tiny.json5"], in: folder)
        #expect(result.status == 65)
        #expect(result.errorLines == [
            "models/tiny.json5:16:14: error: variants.narrow.set: services has no element named 'wbe'; did you mean 'web'?",
            "models/tiny.json5: 1 problem in its variants",
        ])
    }

    @Test func `replicate --variant studies the variant under its name`() throws {
        let folder = try folderWithModel()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try Faultline.run(["replicate", "models/tiny.json5", "--variant", "wider", "-r", "2", "--metric", "web.refused"], in: folder)
        #expect(result.status == 0, "\(result.standardError)")
        let manifest = text(folder + "/out/tiny-wider-replicate/study.json")
        #expect(manifest.contains("\"variant\": \"wider\""))
    }

    @Test func `compare --variants pairs each variant with the baseline`() throws {
        let folder = try folderWithModel()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try Faultline.run(["compare", "models/tiny.json5", "--variants", "wider,narrow", "-r", "3", "--metric", "web.refused", "--out", "out/c"], in: folder)
        #expect(result.status == 0, "\(result.standardError)")
        let comparison = text(folder + "/out/c/comparison.csv")
        #expect(comparison.split(separator: "\n").contains { $0.hasPrefix("wider,") })
        #expect(comparison.split(separator: "\n").contains { $0.hasPrefix("narrow,") })
        let manifest = text(folder + "/out/c/study.json")
        #expect(manifest.contains("\"variant\": \"wider\"") && manifest.contains("\"variant\": \"narrow\""))
    }

    @Test func `compare --variants refuses an unknown variant`() throws {
        let folder = try folderWithModel()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try Faultline.run(["compare", "models/tiny.json5", "--variants", "wider,narow", "-r", "2"], in: folder)
        #expect(result.status == 65)
        #expect(result.standardError.contains("--variant narow: error: models/tiny.json5 has no variant named 'narow'; did you mean 'narrow'?"))
    }

    @Test func `models lists each model with its antipattern and variants, aligned`() throws {
        let folder = try folderWithModel()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try """
            { faultline: 1, name: "plain", run: { duration: "1m" },
              services: [{ name: "web", instances: 1, threads: 2, serviceTime: "10ms" }] }
            """.write(toFile: folder + "/models/plain.json5", atomically: true, encoding: .utf8)
        let result = try Faultline.run(["models"], in: folder)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == """
            MODEL  ANTIPATTERN                       VARIANTS
            plain                                    -
            tiny   A farm too small for its traffic  wider, narrow

            """)
    }

    @Test func `models names an invalid model and exits 65`() throws {
        let folder = try folderWithModel(Self.model.replacingOccurrences(of: "instances: 1,", with: "instances: -1,"))
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try Faultline.run(["models", "models"], in: folder)
        #expect(result.status == 65)
        #expect(result.standardOutput.contains("tiny   (invalid: see 'faultline validate models/tiny.json5')"))
        #expect(result.standardError.contains("models/tiny.json5:"))
    }

    @Test func `models lists the gallery in the repository`() throws {
        let result = try Faultline.run(["models", TestFiles.inRepository("models")])
        #expect(result.status == 0, "\(result.standardError)")
        let airline = try #require(result.standardOutput.split(separator: "\n").first { $0.hasPrefix("airline ") })
        #expect(airline.hasSuffix("fixed, timeouts, checkout-timeout, breaker"))
    }

    @Test func `report reloads a variant's model and lists the variant's expectations`() throws {
        let folder = try folderWithModel()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try Faultline.run(["run", "models/tiny.json5", "--variant", "wider"], in: folder)
        #expect(run.status == 0, "\(run.standardError)")
        let report = try Faultline.run(["report", "out/tiny-wider"], in: folder)
        #expect(report.status == 0, "\(report.standardError)")
        let page = text(folder + "/out/tiny-wider/report.html")
        #expect(page.contains("web refused sum at most 50"))
        #expect(!page.contains("web refused sum above 0"))
        #expect(!page.contains("has changed since the run"))
    }

    @Test func `diff replays a variant's run as the variant`() throws {
        let folder = try folderWithModel()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The runs agree for more than a checkpoint interval, so diff replays both from their
        // model files and checks each replay against its checkpoints: a replay of the baseline
        // (two threads, not the variant's one) would not reproduce the run.
        for arguments in [["--variant", "narrow", "--duration", "20m", "--out", "out/a"], ["--variant", "narrow", "--duration", "21m", "--out", "out/b"]] {
            let run = try Faultline.run(["run", "models/tiny.json5"] + arguments, in: folder)
            #expect(run.status == 0, "\(run.standardError)")
        }
        let diff = try Faultline.run(["diff", "out/a", "out/b"], in: folder)
        #expect(diff.status == 1, "\(diff.standardOutput)\(diff.standardError)")
        #expect(diff.standardError == "")
        #expect(diff.standardOutput.contains("out/a and out/b differ"))
        #expect(diff.standardOutput.contains("checkpoints agree through event"))
    }

    @Test func `check --junit with a variant that does not load names the variant in its advice`() throws {
        let folder = try folderWithModel()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try Faultline.run(["check", "models/tiny.json5", "--variant", "wide", "--junit", "out/junit.xml"], in: folder)
        #expect(result.status == 65)
        #expect(text(folder + "/out/junit.xml").contains("faultline validate models/tiny.json5 --variant wide"))
    }
}
