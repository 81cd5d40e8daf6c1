import Experiments
import FailureChains
import Foundation
import ModelFormat
import Testing

/// Every model of the gallery runs, and its own expectations hold.
struct ModelGalleryTests {
    @Test(arguments: GoldenFileTests.models)
    func `each model's expectations hold`(file: String) throws {
        let loaded = try ModelLoader.load(path: TestFiles.inRepository("models/" + file))
        #expect(!loaded.model.expectations.isEmpty, "\(file) states no expectations")
        let directory = TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try SingleRun.execute(loaded.model, modelHash: loaded.fileHash, directory: directory, checksExpectations: true)
        for result in outcome.expectationResults {
            #expect(result.passed, "\(result.message)")
        }
        #expect(outcome.expectationResults.count == loaded.model.expectations.count)
    }
}
