import Experiments
import FailureChains
import Foundation
import ModelFormat
import SimulationKernel
import Testing

/// Bad input gets a clear error, never a crash: every gallery model, mutated at random, must
/// either be rejected with located errors or run (briefly) to its end.
///
/// Each model gets 60 mutations (up to three of its numbers replaced by odd values); set
/// `FAULTLINE_MUTATIONS` for a longer hunt (1,500 each ran clean: 22,500 models).
struct MutatedModelTests {
    /// The numbers in a model's text, as ranges, so mutations can replace them.
    static func numberRanges(in text: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var index = text.startIndex
        while index < text.endIndex {
            if text[index].isNumber {
                let start = index
                while index < text.endIndex && (text[index].isNumber || text[index] == ".") { index = text.index(after: index) }
                ranges.append(start..<index)
            } else {
                index = text.index(after: index)
            }
        }
        return ranges
    }

    static let replacements = ["0", "1", "2", "0.5", "3", "1000000", "99999999999", "-1", "0.0001", "64", "7"]

    @Test(arguments: GoldenFileTests.models)
    func `mutated models are rejected or run, and never crash`(file: String) throws {
        let text = try String(contentsOfFile: TestFiles.inRepository("models/" + file), encoding: .utf8)
        let numbers = Self.numberRanges(in: text)
        var stream = RandomStream(seed: 7, component: file, purpose: "mutations")
        var ran = 0
        for _ in 0..<(ProcessInfo.processInfo.environment["FAULTLINE_MUTATIONS"].flatMap { Int($0) } ?? 60) {
            var mutated = text
            // Replace up to three numbers, from the back so earlier ranges stay valid.
            let picks = (0..<3).map { _ in Int(stream.next(below: UInt64(numbers.count))) }.sorted(by: >)
            var used = Set<Int>()
            for pick in picks where used.insert(pick).inserted {
                let replacement = Self.replacements[Int(stream.next(below: UInt64(Self.replacements.count)))]
                mutated.replaceSubrange(numbers[pick], with: replacement)
            }
            guard let loaded = try? ModelLoader.load(bytes: Array(mutated.utf8), file: file) else { continue }
            var model = loaded.model
            model.run.duration = min(model.run.duration, .seconds(120))
            model.run.warmup = min(model.run.warmup, .seconds(10))
            model.run.maximumEvents = 300_000
            // Reaching the end is the test: a mutated model may well run no event at all
            // (a duration shortened to a fraction of a second, say).
            let result = ChainSimulation(model: model, sink: DiscardingSink()).run()
            #expect(result.outcome.endTime <= Instant.zero + model.run.duration)
            ran += 1
        }
        #expect(ran > 0, "no mutation of \(file) was valid")
    }
}
