import Experiments
import FailureChains
import Foundation
import ModelFormat
import SimulationKernel
import Testing

/// The structural fuzzer of the semantic layer: valid models (the gallery, the benchmarks and
/// the queueing-theory models) with their values pushed to extremes — 0, −1, 2⁶³ − 1, 2⁶³,
/// 1e308, a nanosecond, 292 years, 2⁶³ − 1 bytes, a billion requests a nanosecond — in bare
/// numbers and in durations, sizes, rates and percentages alike, and now and then a member or
/// element left out or written twice. Each mutated model must be refused with located errors,
/// or run a short simulated time within its event limit and have its expectations evaluated,
/// without a trap (which would kill the test process) or a hang.
///
/// By default each model gets 40 mutations, a few seconds in all. For a longer hunt set
/// `FAULTLINE_EXTREMES` to the mutations per model and `FAULTLINE_EXTREMES_SEED` to start
/// elsewhere; `FAULTLINE_EXTREMES_ONLY` keeps the seed models whose path contains it;
/// `FAULTLINE_EXTREMES_REPORT=1` prints what each model's mutations came to, and keeps the
/// slowest mutated model of each in the temporary directory.
struct ExtremeModelTests {
    /// What a value in a model's text is, and so what it may be replaced with.
    enum Kind: CaseIterable { case number, duration, size, rate, percentage }

    /// A value in a model's text: a bare number, or the inside of a string with a unit.
    struct Site {
        var range: Range<String.Index>
        var kind: Kind
    }

    static let extremes: [Kind: [String]] = [
        .number: ["0", "-1", "1", "2", "0.5", "1e-9", "1e-308", "0.999999", "10000", "100000", "1000000", "2147483648", "4294967296",
                  "9223372036854775807", "9223372036854775808", "-9223372036854775808", "1e308", "-1e308", "1e19"],
        .duration: ["0s", "1ns", "2ns", "1us", "1ms", "1h", "1d", "1000d", "100000d", "106751d", "9223372036854775807ns",
                    "9223372036854775808ns", "0.5ns"],
        .size: ["0B", "1B", "1MB", "16TiB", "17592186044416B", "17592186044417B", "1024TiB", "9000000TB", "8388607TiB",
                "9223372036854775807B", "9223372036854775808B"],
        .rate: ["0/s", "0.000001/d", "1/d", "1/s", "100000/s", "999999999/s", "1000000000/s", "1/ns", "1000000001/s",
                "1000000000/ns", "99999999999999999999/s"],
        .percentage: ["0%", "0.0000001%", "50%", "99.9999%", "100%", "100.0001%", "1000%"],
    ]

    /// The values of a model's text that mutations may replace: numbers outside strings and
    /// comments, and strings that read as a duration, size, rate or percentage.
    static func sites(in text: String) -> [Site] {
        var sites: [Site] = []
        var index = text.startIndex
        func peek(_ offset: Int) -> Character? {
            text.index(index, offsetBy: offset, limitedBy: text.endIndex).flatMap { $0 < text.endIndex ? text[$0] : nil }
        }
        while index < text.endIndex {
            let character = text[index]
            if character == "/" && peek(1) == "/" {
                while index < text.endIndex && text[index] != "\n" { index = text.index(after: index) }
            } else if character == "/" && peek(1) == "*" {
                index = text.index(index, offsetBy: 2)
                while index < text.endIndex && !(text[index] == "*" && peek(1) == "/") { index = text.index(after: index) }
                if index < text.endIndex { index = text.index(index, offsetBy: 2) }
            } else if character == "\"" || character == "'" {
                let start = text.index(after: index)
                var end = start
                while end < text.endIndex && text[end] != character {
                    end = text.index(after: end)
                    if text[text.index(before: end)] == "\\" && end < text.endIndex { end = text.index(after: end) }
                }
                let content = String(text[start..<min(end, text.endIndex)])
                if let kind = unitKind(of: content) { sites.append(Site(range: start..<end, kind: kind)) }
                index = end < text.endIndex ? text.index(after: end) : end
            } else if character.isLetter || character == "_" || character == "$" {
                while index < text.endIndex && (text[index].isLetter || text[index].isNumber || text[index] == "_" || text[index] == "$") {
                    index = text.index(after: index)
                }
            } else if character.isNumber || ((character == "-" || character == ".") && peek(1)?.isNumber == true) {
                let start = index
                index = text.index(after: index)
                while index < text.endIndex && (text[index].isHexDigit || "xX.+-".contains(text[index])) {
                    // A sign only right after an exponent.
                    if "+-".contains(text[index]) && !"eE".contains(text[text.index(before: index)]) { break }
                    index = text.index(after: index)
                }
                sites.append(Site(range: start..<index, kind: .number))
            } else {
                index = text.index(after: index)
            }
        }
        return sites
    }

    static func unitKind(of text: String) -> Kind? {
        if (try? Units.duration(text)) != nil { return .duration }
        if (try? Units.size(text)) != nil { return .size }
        if (try? Units.rate(text)) != nil { return .rate }
        if (try? Units.percentage(text)) != nil { return .percentage }
        return nil
    }

    /// A model that uses every kind of component, pattern, law and fault, so that mutations reach
    /// what the gallery leaves out (an autoscaler, sessions with purges, rate breakers, budgets,
    /// mixes, users, a daily curve, every fault kind).
    static let everything = """
        {
          faultline: 1,
          name: "everything",
          run: { duration: "10m", warmup: "30s", seed: 3, interval: "10s" },
          services: [
            { name: "front", instances: 3,
              entryPoints: [
                { name: "web", threads: 20, queue: 100, shedding: { maximumQueueLength: 50, maximumQueueAge: "2s" }, failFast: true,
                  steps: [{ cpu: { lognormal: { median: "5ms", p99: "50ms" } } }, { session: true },
                          { choose: [{ weight: 0.9, steps: [{ call: "api" }] }, { weight: 0.1, steps: [{ call: "cache" }, { cpu: { pareto: { minimum: "1ms", shape: 1.5 } } }] }] }] },
                { name: "status", threads: 2, queue: 10, steps: [{ cpu: "1ms" }] },
              ],
              dependencies: [
                { name: "api", service: "api", readTimeout: "2s",
                  breaker: { kind: "rate", window: { seconds: 10 }, minimumCalls: 5, failureRateThreshold: "50%", slowCallRateThreshold: "80%",
                             slowCallDuration: "1s", waitInOpen: "5s", permittedCallsInHalfOpen: 3, fallback: { cost: "2ms" } },
                  retry: { maximumAttempts: 3, backoff: { exponential: { base: "100ms", multiplier: 2, cap: "1s" } }, jitter: "decorrelated",
                           retryOn: ["timeout", "refused"], budget: { tokenBucket: { maximumTokens: 10, tokenRatio: 0.1 } } },
                  bulkhead: { maximumConcurrentCalls: 15 } },
                { name: "cache", endpoint: "cache", connectTimeout: "100ms", readTimeout: "200ms",
                  pool: { size: 8, checkoutTimeout: "50ms", leakOnError: true },
                  breaker: { kind: "consecutive", failureThreshold: 5, resetTimeout: "10s" },
                  retry: { maximumAttempts: 2, backoff: { constant: "10ms" }, jitter: "full", budget: "aws" } },
              ],
              balancer: { strategy: "leastOutstanding",
                          healthCheck: { interval: "5s", timeout: "1s", unhealthyThreshold: 2, healthyThreshold: 2, kind: "deep", entryPoint: "status", busyThreshold: "90%" } },
              lifecycle: { startupTime: "20s", restartDelay: "5s", warmupTime: "30s", warmupSlowdown: 3, resetsConnectionsOnCrash: true,
                           supervisor: { maximumRestarts: 3, period: "5m" } },
              heap: { size: "512MB", baseline: "100MB", sessionSize: "200KB", sessionTimeout: "2m", purgeInterval: "30s", gcThreshold: 0.6, gcMaximumShare: 0.9 },
              autoscaler: { targetUtilisation: "60%", interval: "30s", provisioningLag: "20s", minimumInstances: 2, maximumInstances: 8, maximumChange: 2 } },
            { name: "api", instances: 2,
              entryPoints: [{ name: "main", threads: 10, queue: "unbounded",
                              steps: [{ cpu: { gamma: { shape: 2, mean: "20ms" } } }, { call: "db" }, { cpu: { erlang: { k: 3, mean: "3ms" } } }] }],
              dependencies: [{ name: "db", endpoint: "db", pool: { size: 10, checkoutTimeout: "none" }, readTimeout: "1s",
                               retry: { maximumAttempts: 2, backoff: "none", budget: { awsStandard: { capacity: 100, retryCost: 5, timeoutRetryCost: 10, noRetryIncrement: 1 } } } }],
              balancer: { strategy: "powerOfTwo" },
              lifecycle: { restartDelay: "never" } },
          ],
          endpoints: [
            { name: "db", latency: { boundedPareto: { lower: "2ms", upper: "2s", shape: 1.2 } }, errorProbability: 0.001 },
            { name: "cache", latency: { empirical: [[0, "100us"], [50, "1ms"], [99, "10ms"], [100, "50ms"]] } },
          ],
          traffic: [
            { name: "shoppers", target: "front", entryPoint: "web", arrivals: "poisson",
              profile: [{ at: "0s", rate: "20/s" }, { at: "2m", rate: "80/s", shape: "ramp" }, { at: "6m", rate: "30/s" }],
              visit: { requests: 3, thinkTime: { exponential: "5s" } }, clientTimeout: "10s", reload: { after: "3s", maximumAttempts: 2 } },
            { name: "bots", target: "front", arrivals: "deterministic", rate: "2/s", cookies: false },
            { name: "daily", target: "front", daily: { trough: "1/s", peak: "5/s", peakAt: "12h" } },
          ],
          users: [
            { name: "agents", target: "front", population: 50, thinkTime: { uniform: { lower: "1s", upper: "3s" } }, requestsPerSession: 10, clientTimeout: "20s" },
          ],
          faults: [
            { at: "1m", duration: "1m", target: "db", kind: "slow", factor: 5 },
            { at: "2m", duration: "30s", target: "cache", kind: "latency", latency: { normal: { mean: "50ms", standardDeviation: "20ms" } } },
            { at: "3m", duration: "20s", target: "db", kind: "hang" },
            { at: "3m30s", duration: "10s", target: "cache", kind: "refuse" },
            { at: "4m", duration: "20s", target: "db", kind: "error", afterLatency: true },
            { at: "4m30s", duration: "10s", target: "cache", kind: "blackhole" },
            { at: "5m", target: "db", kind: "failover", staleDelay: "1s" },
            { at: "5m30s", target: "front[1]", kind: "crash" },
            { at: "6m", duration: "2m", target: "api", kind: "leak", perRequest: "1KB", perSecond: "1MB" },
            { at: "7m", duration: "1m", target: "shoppers", kind: "spike", factor: 3 },
          ],
        }
        """

    /// The text of a seed model: a file of the repository, or `everything`.
    static func text(of model: String) throws -> String {
        model == "everything" ? everything : try String(contentsOfFile: TestFiles.inRepository(model), encoding: .utf8)
    }

    /// The seed models: the gallery, the benchmarks, the queueing-theory models and `everything`.
    static let models: [String] = {
        func files(_ folder: String, _ relative: String) -> [String] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: TestFiles.inRepository(relative))) ?? []
            return names.filter { $0.hasSuffix(".json5") }.sorted().map { relative + "/" + $0 }
        }
        return files("models", "models") + files("bench", "bench") + files("Theory", "Tests/EndToEndTests/Theory") + ["everything"]
    }()

    static let environment = ProcessInfo.processInfo.environment
    static let mutationsPerModel = environment["FAULTLINE_EXTREMES"].flatMap { Int($0) } ?? 40
    static let seed = environment["FAULTLINE_EXTREMES_SEED"].flatMap { UInt64($0) } ?? 7

    /// Too big to build in a test process: instance slots, connections or users past these are
    /// left to the run-time limits (memory, connections) rather than built here.
    static func instanceSlots(of model: SystemModel) -> Int {
        model.services.reduce(0) { $0 + max($1.instances, $1.autoscaler?.maximumInstances ?? 0) }
    }

    static func isTooLargeToBuild(_ model: SystemModel) -> Bool {
        var slots = 0, connections = 0
        for service in model.services {
            let count = max(service.instances, service.autoscaler?.maximumInstances ?? 0)
            slots += count
            connections += count * service.dependencies.reduce(0) { $0 + ($1.pool?.size ?? 0) }
        }
        return slots > 20_000 || connections > 2_000_000 || model.users.reduce(0) { $0 + $1.size } > 200_000
    }

    /// One mutated model's text: one to four values replaced, mostly by extremes of their kind.
    static func mutate(_ text: String, sites: [Site], using stream: inout RandomStream) -> String {
        var mutated = text
        let count = 1 + Int(stream.next(below: 4))
        let picks = Set((0..<count).map { _ in Int(stream.next(below: UInt64(sites.count))) }).sorted(by: >)
        for pick in picks {  // from the back, so earlier ranges stay valid
            // One time in ten, a value of another kind: a size where a duration belongs, say.
            let kind = stream.next(below: 10) == 0 ? Kind.allCases[Int(stream.next(below: UInt64(Kind.allCases.count)))] : sites[pick].kind
            let pool = extremes[kind]!
            mutated.replaceSubrange(sites[pick].range, with: pool[Int(stream.next(below: UInt64(pool.count)))])
        }
        // One time in four, a change of structure too: a whole line that is one member or element
        // (balanced, ending in a comma) is left out, or written twice: a key gone to its default,
        // a fault or profile point doubled, a duplicate key or name.
        if stream.next(below: 4) == 0 {
            var lines = mutated.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let whole = lines.indices.filter { index in
                let code = lines[index].components(separatedBy: "//")[0].trimmingCharacters(in: .whitespaces)
                let opened = code.filter { "{[".contains($0) }.count, closed = code.filter { "}]".contains($0) }.count
                return code.hasSuffix(",") && opened == closed && code.count > 1
            }
            if !whole.isEmpty {
                let line = whole[Int(stream.next(below: UInt64(whole.count)))]
                if stream.next(below: 2) == 0 { lines.remove(at: line) } else { lines.insert(lines[line], at: line) }
                mutated = lines.joined(separator: "\n")
            }
        }
        return mutated
    }

    @Test func `the fuzzer finds the numbers, durations, sizes and rates of its models, and nothing in comments or names`() throws {
        let kinds = try Set(Self.models.flatMap { file in
            Self.sites(in: try Self.text(of: file)).map(\.kind)
        })
        #expect(kinds == Set(Kind.allCases))
        #expect(try ModelLoader.load(bytes: Array(Self.everything.utf8), file: "everything").model.faults.count == 10)
        let text = #"{a: 1e-5, // 7 "9s"\#n b: "250ms", c: 'x2', p99: "1GB" /* 3 */, d: "20/s", e: "5%", f: -0x1F}"#
        #expect(Self.sites(in: text).map { "\($0.kind):\(text[$0.range])" }
                == ["number:1e-5", "duration:250ms", "size:1GB", "rate:20/s", "percentage:5%", "number:-0x1F"])
    }

    @Test(arguments: models.filter { environment["FAULTLINE_EXTREMES_ONLY"].map($0.contains) ?? true })
    func `models pushed to extremes are refused with located errors or run without a trap or a hang`(file: String) throws {
        let text = try Self.text(of: file)
        let sites = Self.sites(in: text)
        try #require(!sites.isEmpty)
        var stream = RandomStream(seed: Self.seed, component: file, purpose: "extremes")
        var (refused, ran, tooLarge) = (0, 0, 0)
        var slowest = Duration.zero, slowestText = ""
        let clock = ContinuousClock()
        for _ in 0..<Self.mutationsPerModel {
            let mutated = Self.mutate(text, sites: sites, using: &stream)
            let loaded: LoadedModel
            do {
                loaded = try ModelLoader.load(bytes: Array(mutated.utf8), file: file)
            } catch {
                // Refused: every problem must be located, on a line of the file.
                let lineCount = mutated.split(separator: "\n", omittingEmptySubsequences: false).count
                #expect(error.errors.allSatisfy { $0.location.line >= 1 && $0.location.line <= lineCount }, "\(error.errors)")
                // A decoder that gives up without saying why leaves only this fallback.
                #expect(!error.errors.contains { $0.message == "the model could not be read" }, "\(mutated)")
                refused += 1
                continue
            }
            var model = loaded.model
            if Self.isTooLargeToBuild(model) {
                tooLarge += 1
                continue
            }
            model.run.duration = min(model.run.duration, .seconds(60))
            model.run.warmup = min(model.run.warmup, .seconds(5))
            model.run.maximumEvents = 50_000
            // Every interval reports every instance: a run's series volume (intervals ×
            // instances) is the run-time row limit's to bound, so keep it small here.
            let rowsPerInterval = Int64(max(1, Self.instanceSlots(of: model)))
            let mostIntervals = max(1, 500_000 / rowsPerInterval)
            if model.run.duration.nanoseconds / model.run.interval.nanoseconds > mostIntervals {
                model.run.interval = Interval(nanoseconds: model.run.duration.nanoseconds / mostIntervals + 1)
            }
            var outcome: RunOutcome?
            let elapsed = clock.measure {
                // The model's expectations are evaluated too: their values are mutated as well.
                let recorder = SeriesRecorder(keepingWhat: model.expectations, forwardingTo: DiscardingSink())
                let result = ChainSimulation(model: model, sink: recorder).run()
                _ = ExpectationChecker.evaluate(model.expectations, summary: result.summary, recorder: recorder)
                outcome = result.outcome
            }
            if elapsed > slowest { (slowest, slowestText) = (elapsed, mutated) }
            #expect(outcome!.endTime <= Instant.zero + model.run.duration)
            #expect(outcome!.eventCount <= model.run.maximumEvents)
            #expect(elapsed < .seconds(30), "a run of 50,000 events took \(elapsed):\n\(mutated)")
            ran += 1
        }
        if Self.environment["FAULTLINE_EXTREMES_REPORT"] != nil {
            let slowestFile = NSTemporaryDirectory() + "faultline-extremes-slowest-" + file.replacingOccurrences(of: "/", with: "-")
            FileManager.default.createFile(atPath: slowestFile, contents: Data(slowestText.utf8))
            let line = "extremes \(file): \(Self.mutationsPerModel) models, \(refused) refused, \(ran) ran, \(tooLarge) too large to build; "
                + "slowest run \(slowest) (\(slowestFile))\n"
            FileHandle.standardError.write(Data(line.utf8))  // unbuffered, so a long hunt shows its progress
        }
        #expect(refused + ran + tooLarge == Self.mutationsPerModel)
    }
}
