import Experiments
import FailureChains
import Foundation
import ModelFormat
import Testing

/// Two variants of a design, on the same seed, draw the same random numbers wherever the design
/// is the same: their outputs differ only where the design differs.
struct CommonRandomNumbersTests {
    /// The rows of `series.csv` for one component and metric.
    func rows(_ name: String, component: String, metric: String) throws -> [Substring] {
        let loaded = try GalleryRun.named(name).load()
        let directory = TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try SingleRun.execute(loaded.model, modelHash: loaded.fileHash, directory: directory)
        let text = try String(contentsOfFile: directory + "/series.csv", encoding: .utf8)
        return text.split(separator: "\n").filter { $0.contains("," + component + "," + metric + ",") }
    }

    @Test(arguments: [
        ("airline", "airline-timeouts", "kiosks"),
        ("airline", "airline-breaker", "callers"),
        ("airline-surge", "airline-surge-bulkhead", "partners"),
        ("retry-storm", "retry-storm-budget", "shoppers"),
    ])
    func `variants see the same traffic`(baseline: String, variant: String, source: String) throws {
        let before = try rows(baseline, component: source, metric: "offered")
        let after = try rows(variant, component: source, metric: "offered")
        #expect(!before.isEmpty)
        #expect(before == after)
    }

    @Test func `the design change shows where it acts`() throws {
        let before = try rows("airline", component: "kiosk", metric: "threadsBusy")
        let after = try rows("airline-timeouts", component: "kiosk", metric: "threadsBusy")
        #expect(before != after)
    }
}
