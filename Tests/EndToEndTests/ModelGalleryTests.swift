import Experiments
import FailureChains
import Foundation
import ModelFormat
import Testing

/// Every model of the gallery, and every variant of each, runs, and its own expectations hold.
struct ModelGalleryTests {
    @Test(arguments: GalleryRun.all)
    func `each model's and variant's expectations hold`(run: GalleryRun) throws {
        let file = run.testDescription
        let loaded = try run.load()
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
