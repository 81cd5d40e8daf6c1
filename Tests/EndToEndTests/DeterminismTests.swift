import Experiments
import FailureChains
import Foundation
import ModelFormat
import SimulationKernel
import Testing

/// The determinism contract: the same model and seed give the same bytes; streams are independent.
struct DeterminismTests {
    static let outputFiles = ["series.csv", "events.csv", "summary.csv", "run.json"]

    func runFiles(_ model: SystemModel) throws -> [String: Data] {
        let directory = TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try SingleRun.execute(model, modelHash: 7, directory: directory)
        var files: [String: Data] = [:]
        for name in Self.outputFiles {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { !Self.outputFiles.contains($0) }
        #expect(leftovers.isEmpty, "unexpected files \(leftovers)")
        return files
    }

    func smallFarm() throws -> SystemModel {
        var model = try TestFiles.model(TestFiles.inRepository("models/small-farm.json5"))
        model.run.duration = .seconds(150)
        return model
    }

    @Test func `the same model and seed give byte-identical files`() throws {
        let model = try smallFarm()
        let first = try runFiles(model)
        let second = try runFiles(model)
        for name in Self.outputFiles {
            #expect(first[name] == second[name], "\(name) differs between two runs")
            #expect((first[name]?.count ?? 0) > 0)
        }
    }

    @Test func `another seed gives different files`() throws {
        var model = try smallFarm()
        let first = try runFiles(model)
        model.run.seed += 1
        let second = try runFiles(model)
        #expect(first["series.csv"] != second["series.csv"])
        #expect(first["run.json"] != second["run.json"])
    }

    @Test func `an unrelated second service leaves the first service's rows unchanged`() throws {
        let model = try smallFarm()
        var extended = model
        extended.services.append(ServiceSpec(name: "search", instances: 2, threads: 4, queueCapacity: 10,
                                             serviceTime: .exponential(mean: 0.05)))
        extended.traffic.append(TrafficSourceSpec(name: "searchers", target: "search", rate: 50))
        let alone = try runFiles(model)
        let together = try runFiles(extended)
        func rows(_ data: Data?, of prefix: String) -> [Substring] {
            String(decoding: data ?? Data(), as: UTF8.self).split(separator: "\n").filter {
                let component = $0.split(separator: ",", omittingEmptySubsequences: false).dropFirst().first ?? ""
                return component == prefix || component.hasPrefix(prefix + "[") || component == "shoppers"
            }
        }
        let before = rows(alone["series.csv"], of: "web")
        let after = rows(together["series.csv"], of: "web")
        #expect(!before.isEmpty)
        #expect(before == after)
        #expect(rows(together["series.csv"], of: "search").count > 0)
    }

    @Test func `replications give the same results whatever the scheduling of threads`() throws {
        var model = try smallFarm()
        model.run.duration = .seconds(60)
        let parallel = Replications.run(model, count: 4)
        for (index, result) in parallel.enumerated() {
            var single = model
            single.run.seed = Replications.seed(base: model.run.seed, replication: index)
            let sequential = ChainSimulation(model: single, sink: DiscardingSink()).run()
            #expect(sequential.outcome.fingerprint == result.outcome.fingerprint)
            #expect(sequential.summary == result.summary)
        }
    }
}

/// A replay (`faultline diff`) is shown every event before it runs and asks for the event's
/// fingerprint numbers first; a plain run has them from the handler, in the same dispatch. Both
/// must name every event alike, or `diff` would call every run.json written by another version.
struct ReplayFingerprintTests {
    /// Shows every event and lets it run, counting them.
    struct Shown: RunObserver {
        var count: UInt64 = 0
        mutating func willHandle(_ event: ChainSimulation.Event, number: UInt64, time: Instant, kind: UInt32, component: UInt32,
                                 of model: ChainSimulation) -> RunObserverDecision {
            count += 1
            return .handle
        }
    }

    /// Ten gallery runs that together have 26 of the 39 kinds of event, in 3.7M events (the
    /// gallery's 93 runs have 221M). The kinds they leave out (reloads, client retries, failed CPU
    /// steps, cache answers, leaks, purges, disks, autoscaling, endpoint work) are named by the same
    /// functions as the others of their enum, and the golden files check every run's plain fingerprint.
    static let runs = ["cascade-breaker", "chain-reaction-restart", "scaling-effects-qa", "blocked-threads-lock-timeout",
                       "test-harness-hardened", "bots-session-timeout", "small-farm", "unbounded-result-set",
                       "scaling-effects-timeout", "decoupling-middleware-queue"]

    @Test(arguments: runs)
    func `a replay of a gallery run has its golden fingerprint and event count`(name: String) throws {
        let run = try GalleryRun.named(name)
        let loaded = try run.load()
        let golden = try Data(contentsOf: URL(fileURLWithPath: TestFiles.beside("Golden/" + run.name + "/run.json")))
        let manifest = try #require(try JSONSerialization.jsonObject(with: golden) as? [String: Any])
        var observer = Shown()
        let outcome = ChainSimulation(model: loaded.model, sink: DiscardingSink()).replay(observing: &observer)
        #expect(outcome.fingerprint.hexadecimal == manifest["fingerprint"] as? String, "\(name)")
        #expect(outcome.eventCount == (manifest["eventCount"] as? NSNumber)?.uint64Value, "\(name)")
        #expect(observer.count == outcome.eventCount)
    }
}
