import Experiments
import Foundation
import Testing

/// `--precision`: replications are added in batches until every measure's relative half-width is
/// at most the precision. Checked against the plain study of as many replications as the maximum,
/// whose first n records are the records a sequential study of n replications has (the seeds
/// depend on the replication's index only).
struct SequentialStoppingTests {
    static let metrics = ["server.waitMean", "server.utilisation"]
    /// Short runs (200 s after a 10 s warm-up), so that the mean wait needs tens of replications
    /// to reach a few percent while the utilisation needs only a few.
    static let runs = ["run.duration=210s", "run.warmup=10s", "run.interval=10s"]
    static let first = 3
    static let maximum = 60

    static func plan(precision: Double?) throws -> StudyPlan {
        try TheoryStudy.replicate(runs, metrics: metrics, replications: precision == nil ? maximum : first,
                                  precision: precision, maximum: precision == nil ? nil : maximum)
    }

    /// The plain study of `maximum` replications.
    static let plain: Result<StudyOutcome, any Error> = Result { try StudyRunner.run(try plan(precision: nil), jobs: WorkPool.availableCores) }

    /// The intervals of the first n replications of the plain study.
    static func intervals(upTo n: Int) throws -> [MetricInterval] {
        StudyStatistics.intervals(try plain.get().records.filter { $0.replication < n }, points: 1, level: 0.95)
    }

    /// The first n from `first` at which every measure is precise, or nil.
    static func firstPrecise(_ precision: Double) throws -> Int? {
        try (first...maximum).first { n in try intervals(upTo: n).allSatisfy { ($0.relativeHalfWidth ?? .infinity) <= precision } }
    }

    /// Runs the sequential study and returns it with the largest number of replications per point
    /// that its batches planned.
    static func sequential(_ precision: Double, jobs: Int) throws -> (outcome: StudyOutcome, planned: Int) {
        let planned = Locked<Int>(0)
        let outcome = try StudyRunner.run(try plan(precision: precision), jobs: jobs) { _, total in
            planned.withLock { $0 = max($0, total) }
        }
        return (outcome, planned.withLock { $0 })
    }

    @Test(arguments: [1, 2, 7])
    func `the study stops at the first count where every measure is precise, whatever the batches`(jobs: Int) throws {
        let precision = 0.05
        let expected = try #require(try Self.firstPrecise(precision))
        let (outcome, planned) = try Self.sequential(precision, jobs: jobs)
        let stopping = try #require(outcome.stopping)
        #expect(stopping.reached)
        #expect(stopping.replications == expected && outcome.replications == expected)
        // The records kept are the plain study's first ones, and no more.
        #expect(outcome.records == (try Self.plain.get().records.filter { $0.replication < expected }))
        // The stop fell inside a batch: more replications ran than were kept.
        #expect(planned > expected, "the last batch ended at \(planned), the stop is at \(expected)")
    }

    @Test(arguments: [1, 7])
    func `the runs kept are those of the replications kept, whatever the batches`(jobs: Int) throws {
        let root = TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let outcome = try StudyRunner.run(try Self.plan(precision: 0.05), jobs: jobs, keepingRunsIn: root)
        let folders = try FileManager.default.contentsOfDirectory(atPath: root + "/runs").compactMap(Int.init).sorted()
        #expect(folders == Array(0..<outcome.replications))
    }

    /// Every count is looked at after every batch: done naively, by recomputing every interval
    /// from the records of each count, this was O(n² × measures) and took 22 s for what the
    /// replications themselves do in 0.3 s.
    @Test func `looking at every count costs little beside the replications`() throws {
        // Every summary metric (about 60) of 1000 replications of 20 s.
        let runs = ["run.duration=20s", "run.warmup=1s", "run.interval=1s"]
        let plain = try TheoryStudy.replicate(runs, metrics: [], replications: 1000)
        let sequential = try TheoryStudy.replicate(runs, metrics: [], replications: 10, precision: 0.0001, maximum: 1000)
        let clock = ContinuousClock()
        var outcome: StudyOutcome?
        let plainTime = try clock.measure { _ = try StudyRunner.run(plain, jobs: WorkPool.availableCores) }
        let sequentialTime = try clock.measure { outcome = try StudyRunner.run(sequential, jobs: WorkPool.availableCores) }
        #expect(outcome?.stopping?.reached == false && outcome?.replications == 1000)
        #expect(sequentialTime < plainTime * 4 + .seconds(3), "sequential \(sequentialTime), plain \(plainTime)")
    }

    @Test func `the measure that was the last to become precise is named as the one that decided`() throws {
        let precision = 0.05
        let n = try #require(try Self.firstPrecise(precision))
        let (outcome, _) = try Self.sequential(precision, jobs: 2)
        let decided = try #require(outcome.stopping?.decidedBy)
        #expect(decided.point == 0)
        #expect(decided.key.metric == "waitMean")
        // It was not precise one replication earlier, and its relative half-width at the stop is reported.
        let before = try #require(try Self.intervals(upTo: n - 1).first { $0.key == decided.key })
        #expect(try #require(before.relativeHalfWidth) > precision)
        let at = try #require(try Self.intervals(upTo: n).first { $0.key == decided.key })
        #expect(decided.relativeHalfWidth == at.relativeHalfWidth)
        #expect(decided.relativeHalfWidth <= precision)
    }

    @Test func `a first batch precise enough stops there without naming a measure`() throws {
        let precision = 0.5
        #expect(try Self.firstPrecise(precision) == Self.first)
        let (outcome, _) = try Self.sequential(precision, jobs: 2)
        let stopping = try #require(outcome.stopping)
        #expect(stopping.reached && stopping.replications == Self.first)
        #expect(stopping.decidedBy == nil)
        #expect(outcome.records.count == Self.first)
    }

    @Test func `a precision not reached stops at the maximum and lists the measures that missed it`() throws {
        let precision = 0.03
        #expect(try Self.firstPrecise(precision) == nil)
        let (outcome, _) = try Self.sequential(precision, jobs: 2)
        let stopping = try #require(outcome.stopping)
        #expect(!stopping.reached)
        #expect(stopping.replications == Self.maximum && outcome.records.count == Self.maximum)
        let missed = try Self.intervals(upTo: Self.maximum).filter { ($0.relativeHalfWidth ?? .infinity) > precision }
        #expect(!missed.isEmpty)
        #expect(stopping.unmet.map(\.key) == missed.map(\.key))
        #expect(stopping.unmet.map(\.relativeHalfWidth) == missed.map(\.relativeHalfWidth))
        // The utilisation reached it; only the mean wait is listed.
        #expect(stopping.unmet.map(\.key.metric) == ["waitMean"])
    }
}

/// A value under a lock, for the tests' bookkeeping across threads.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
