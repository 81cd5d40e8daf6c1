import Experiments
import FailureChains
import Foundation
import ModelFormat
import SimulationKernel
import Testing

/// The structural fuzzer of the semantic layer: valid models (the gallery, the benchmarks and
/// the queueing-theory models) with their values pushed to extremes — 0, −1, 2⁶³ − 1, 2⁶³,
/// 1e308, a nanosecond, 292 years, 2⁶³ − 1 bytes, a billion requests a nanosecond — in bare
/// numbers and in durations, sizes, rates and percentages alike. Each mutated model must be
/// refused with located errors, or run a short simulated time within its event limit without a
/// trap (which would kill the test process) or a hang.
///
/// By default each model gets 12 mutations, a few seconds in all. For a longer hunt set
/// `FAULTLINE_EXTREMES` to the mutations per model and `FAULTLINE_EXTREMES_SEED` to start
/// elsewhere; `FAULTLINE_EXTREMES_REPORT=1` prints what each model's mutations came to.
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

    /// The seed models: the gallery, the benchmarks and the queueing-theory models.
    static let models: [String] = {
        func files(_ folder: String, _ relative: String) -> [String] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: TestFiles.inRepository(relative))) ?? []
            return names.filter { $0.hasSuffix(".json5") }.sorted().map { relative + "/" + $0 }
        }
        return files("models", "models") + files("bench", "bench") + files("Theory", "Tests/EndToEndTests/Theory")
    }()

    static let environment = ProcessInfo.processInfo.environment
    static let mutationsPerModel = environment["FAULTLINE_EXTREMES"].flatMap { Int($0) } ?? 12
    static let seed = environment["FAULTLINE_EXTREMES_SEED"].flatMap { UInt64($0) } ?? 7

    /// Too big to build in a test process: instance slots, connections or users past these are
    /// left to the run-time limits (memory, connections) rather than built here.
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
        return mutated
    }

    @Test func `the fuzzer finds the numbers, durations, sizes and rates of its models, and nothing in comments or names`() throws {
        let kinds = try Set(Self.models.flatMap { file in
            Self.sites(in: try String(contentsOfFile: TestFiles.inRepository(file), encoding: .utf8)).map(\.kind)
        })
        #expect(kinds.isSuperset(of: [.number, .duration, .size, .rate]))
        let text = #"{a: 1e-5, // 7 "9s"\#n b: "250ms", c: 'x2', p99: "1GB" /* 3 */, d: "20/s", e: "5%", f: -0x1F}"#
        #expect(Self.sites(in: text).map { "\($0.kind):\(text[$0.range])" }
                == ["number:1e-5", "duration:250ms", "size:1GB", "rate:20/s", "percentage:5%", "number:-0x1F"])
    }

    @Test(arguments: models)
    func `models pushed to extremes are refused with located errors or run without a trap or a hang`(file: String) throws {
        let text = try String(contentsOfFile: TestFiles.inRepository(file), encoding: .utf8)
        let sites = Self.sites(in: text)
        try #require(!sites.isEmpty)
        var stream = RandomStream(seed: Self.seed, component: file, purpose: "extremes")
        var (refused, ran, tooLarge) = (0, 0, 0)
        var slowest = Duration.zero
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
            var outcome: RunOutcome?
            let elapsed = clock.measure { outcome = ChainSimulation(model: model, sink: DiscardingSink()).run().outcome }
            slowest = max(slowest, elapsed)
            #expect(outcome!.endTime <= Instant.zero + model.run.duration)
            #expect(outcome!.eventCount <= model.run.maximumEvents)
            #expect(elapsed < .seconds(30), "a run of 50,000 events took \(elapsed):\n\(mutated)")
            ran += 1
        }
        if Self.environment["FAULTLINE_EXTREMES_REPORT"] != nil {
            print("extremes \(file): \(Self.mutationsPerModel) models, \(refused) refused, \(ran) ran, \(tooLarge) too large to build; slowest run \(slowest)")
        }
        #expect(refused + ran + tooLarge == Self.mutationsPerModel)
    }
}
