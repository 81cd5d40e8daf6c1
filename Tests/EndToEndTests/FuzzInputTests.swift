import FailureChains
import Foundation
import ModelFormat
import SimulationKernel
import Testing

/// The fuzzer's hand-written seeds (`Tests/Fuzz/seeds/`) and every crash it found
/// (`Tests/Fuzz/crashes/`), replayed as the fuzz target does: each input is either rejected with
/// located errors or runs its first 20,000 events to a clean end. See docs/fuzzing.md.
struct FuzzInputTests {
    /// Every file of the two folders, as `seeds/NAME` or `crashes/NAME`.
    static let inputs: [String] = ["seeds", "crashes"].flatMap { folder in
        let names = (try? FileManager.default.contentsOfDirectory(atPath: TestFiles.inRepository("Tests/Fuzz/" + folder))) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { folder + "/" + $0 }
    }

    /// What the fuzz target does with one input; nil when the model was rejected.
    static func replay(_ input: String) throws -> RunOutcome? {
        let path = TestFiles.inRepository("Tests/Fuzz/" + input)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let loaded: LoadedModel
        do {
            loaded = try ModelLoader.load(bytes: bytes, file: input)
        } catch {
            #expect(!error.errors.isEmpty)
            for problem in error.errors {
                #expect(problem.location.line >= 1 && problem.location.column >= 1, "\(problem)")
                #expect(!problem.message.isEmpty, "\(problem)")
            }
            return nil
        }
        var model = loaded.model
        model.run.maximumEvents = 20_000
        let outcome = ChainSimulation(model: model, sink: DiscardingSink()).run().outcome
        #expect(outcome.endTime <= Instant.zero + model.run.duration)
        return outcome
    }

    @Test func `the fuzzer has seeds`() {
        #expect(Self.inputs.filter { $0.hasPrefix("seeds/") }.count >= 5)
    }

    /// Among them the inputs that trapped (arithmetic overflow on huge sizes, issue 7 item 3) or
    /// hung inside one event (arrivals thinned at rates the engine cannot honour, item 4) before
    /// validation bounded sizes and rates.
    @Test(arguments: inputs)
    func `every fuzz seed and found crash is rejected with located errors or runs cleanly`(input: String) throws {
        _ = try Self.replay(input)
    }
}
