import Foundation
import SimulationKernel
import Testing

/// `--set PATH=VALUE` on `run`, `check` and `validate`, through the built executable.
extension CommandLineTests {
    @Test func `--set changes the run as editing the file would`() throws {
        let base = TestFiles.temporaryDirectory()
        let model = tinyModelFile()
        let edited = TestFiles.temporaryFile(named: "tiny.json5", Self.tinyModel.replacingOccurrences(of: "instances: 2", with: "instances: 1"))
        #expect(try String(contentsOfFile: edited, encoding: .utf8) != Self.tinyModel)
        for (name, arguments) in [("plain", [model]), ("set", [model, "--set", "services.web.instances=1"]), ("edited", [edited])] {
            let result = try Faultline.run(["run"] + arguments + ["--out", base + "/" + name])
            #expect(result.status == 0, "\(name): \(result.standardError)")
        }
        for file in ["series.csv", "events.csv", "summary.csv"] {
            #expect(bytes(base + "/set/" + file) != nil)
            #expect(bytes(base + "/set/" + file) == bytes(base + "/edited/" + file), "\(file) differs from the edited file's")
        }
        #expect(bytes(base + "/set/series.csv") != bytes(base + "/plain/series.csv"))
    }

    @Test func `run.json records the overrides in order and the hash of the file with them`() throws {
        let model = tinyModelFile()
        let base = TestFiles.temporaryDirectory()
        let overrides = ["services.web.instances=3", #"services.web.serviceTime={exponential: "40ms"}"#, "run.seed=11"]
        let result = try Faultline.run(["run", model, "--out", base + "/set"] + overrides.flatMap { ["--set", $0] })
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try Faultline.run(["run", model, "--out", base + "/plain"]).status == 0)
        let manifest = try String(contentsOfFile: base + "/set/run.json", encoding: .utf8)
        let plain = try String(contentsOfFile: base + "/plain/run.json", encoding: .utf8)
        var hash = FNV1a64()
        hash.combine(bytes: Array(Self.tinyModel.utf8))
        let fileHash = String(format: "%016llx", hash.value)
        for override in overrides {
            hash.combine(byte: 0)
            hash.combine(bytes: Array(override.utf8))
        }
        #expect(manifest.contains(#""modelHash": "\#(fileHash)","#))
        #expect(manifest.contains(#"  "overrides": ["services.web.instances=3", "services.web.serviceTime={exponential: \"40ms\"}", "run.seed=11"],"# + "\n"))
        #expect(manifest.contains(#""effectiveModelHash": "\#(String(format: "%016llx", hash.value))","#))
        #expect(manifest.contains(#""seed": 11,"#))
        #expect(plain.contains(#""overrides": [],"#))
        #expect(plain.contains(#""effectiveModelHash": "\#(fileHash)","#))
    }

    @Test(arguments: ["run", "check", "validate"])
    func `a bad override exits 65 and names its argument with the nearest key`(command: String) throws {
        let model = tinyModelFile()
        let out = TestFiles.temporaryDirectory() + "/out"
        let result = try Faultline.run([command, model, "--set", "services.web.instancs=6"] + (command == "validate" ? [] : ["--out", out]))
        #expect(result.status == 65)
        #expect(result.errorLines == [
            "--set services.web.instancs=6: error: unknown key 'instancs'; did you mean 'instances'?",
            command == "validate" ? "\(model): 1 problem" : "faultline: 1 problem in \(model)",
        ])
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func `every bad override is reported at once`() throws {
        let model = tinyModelFile()
        let result = try Faultline.run(["validate", model, "--set", "services.web.instances=-3", "--set", "traffic.lod.rate=1/s",
                                        "--set", "run.seed=2", "--set", "faults[0].at=1s"])
        #expect(result.status == 65)
        #expect(result.errorLines == [
            "--set services.web.instances=-3: error: must be between 1 and 10000, found -3",
            "--set traffic.lod.rate=1/s: error: traffic has no element named 'lod'; did you mean 'load'?",
            "--set faults[0].at=1s: error: faults is not in the model, so it has no element [0] to set",
            "\(model): 3 problems",
        ])
    }

    @Test func `validate checks a model with its overrides without running it`() throws {
        let model = tinyModelFile()
        let result = try Faultline.run(["validate", model, "--set", "services.web.instances=6", "--set=traffic.load.rate=40/s"])
        #expect(result.status == 0)
        #expect(result.standardOutput == "\(model): ok (model 'tiny')\n")
    }

    @Test(arguments: [
        (["run", "m.json5", "--set", "services.web.instances"], "faultline: error: --set needs PATH=VALUE, such as 'services.web.instances=6', found 'services.web.instances'"),
        (["check", "m.json5", "--set", "=6"], "faultline: error: --set needs PATH=VALUE, such as 'services.web.instances=6', found '=6'"),
        (["validate", "m.json5", "--set", "run.seed"], "faultline: error: --set needs PATH=VALUE, such as 'services.web.instances=6', found 'run.seed'"),
        (["run", "m.json5", "--set"], "faultline: error: option '--set' needs a value"),
        (["run", "m.json5", "--seed", "3", "--set", "run.seed=4"], "faultline: error: --seed and --set run.seed=4 both set run.seed; give one of them"),
        (["check", "m.json5", "--set", "run={seed: 4}", "--seed", "3"], "faultline: error: --seed and --set run={seed: 4} both set run.seed; give one of them"),
        (["run", "m.json5", "--duration", "30s", "--set", "run.duration=20s"], "faultline: error: --duration and --set run.duration=20s both set run.duration; give one of them"),
    ])
    func `a malformed --set is a usage error`(arguments: [String], message: String) throws {
        let result = try Faultline.run(arguments)
        #expect(result.status == 64)
        #expect(result.errorLines == [message])
    }

    @Test func `check runs the model with its overrides`() throws {
        let out = TestFiles.temporaryDirectory() + "/out"
        let result = try Faultline.run(["check", tinyModelFile(), "--out", out, "--set", "run.seed=5"])
        #expect(result.status == 0)
        #expect(try String(contentsOfFile: out + "/run.json", encoding: .utf8).contains(#""overrides": ["run.seed=5"],"#))
        #expect(try String(contentsOfFile: out + "/run.json", encoding: .utf8).contains(#""seed": 5,"#))
    }
}
