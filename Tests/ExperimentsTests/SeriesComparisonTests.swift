import Experiments
import Foundation
import SimulationKernel
import Testing

struct SeriesComparisonTests {
    /// Writes a series.csv with a header and the given rows into a fresh folder.
    func series(_ rows: [String]) -> String {
        let folder = NSTemporaryDirectory() + "faultline-series-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/series.csv"
        FileManager.default.createFile(atPath: path, contents: Data((["time,component,metric,value"] + rows).map { $0 + "\n" }.joined().utf8))
        return path
    }

    @Test func `a metric's difference is relative to the largest value it reaches and starts where it first differs`() throws {
        let a = series(["0.000000000,web,offered,0", "60.000000000,web,offered,10", "120.000000000,web,offered,20", "180.000000000,web,offered,40"])
        let b = series(["0.000000000,web,offered,0", "60.000000000,web,offered,12", "120.000000000,web,offered,10", "180.000000000,web,offered,40"])
        let differences = try SeriesComparison.compare(a, b)
        let offered = try #require(differences.first { $0.component == "web" && $0.metric == "offered" })
        #expect(offered.largestRelativeDifference == 0.25)  // |20 − 10| / 40
        #expect(offered.largestAt == Instant(nanoseconds: 120_000_000_000))
        #expect(offered.valueA == 20 && offered.valueB == 10)
        #expect(offered.firstDifferentAt == Instant(nanoseconds: 60_000_000_000))
        #expect(offered.differentIntervals == 2)
    }

    @Test func `equal metrics are left out and a row only one run has differs fully`() throws {
        let a = series(["0.000000000,\"web[0]\",offered,3", "0.000000000,web,latencyMean,0.5"])
        let b = series(["0.000000000,\"web[0]\",offered,3"])
        let differences = try SeriesComparison.compare(a, b)
        #expect(differences.count == 1)
        let latency = try #require(differences.first)
        #expect(latency.metric == "latencyMean")
        #expect(latency.largestRelativeDifference == 1)
        #expect(latency.valueA == 0.5 && latency.valueB == nil)
        #expect(try SeriesComparison.compare(a, a).isEmpty)
    }

    @Test func `metrics are ordered by their largest difference, then by when they start to differ`() throws {
        let a = series(["0.000000000,x,m,10", "0.000000000,y,m,10", "60.000000000,z,m,10", "60.000000000,z,m2,10"])
        let b = series(["0.000000000,x,m,5", "0.000000000,y,m,9", "60.000000000,z,m,5", "60.000000000,z,m2,10"])
        let order = try SeriesComparison.compare(a, b).map { $0.component + "." + $0.metric }
        #expect(order == ["x.m", "z.m", "y.m"])
    }

    @Test func `a file that is not a series.csv is named with its line`() throws {
        let bad = series(["0.000000000,web,offered"])
        #expect(throws: RunDiffProblem.self) { try SeriesComparison.compare(bad, bad) }
        do {
            _ = try SeriesComparison.compare(bad, bad)
        } catch {
            #expect(error.message.hasPrefix("\(bad):2:1: error: not a row of series.csv"))
            #expect(error.kind == .malformed)
        }
    }
}
