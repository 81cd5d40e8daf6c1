import Experiments
import Testing

/// The intervals and paired differences of a study against a published worked example.
///
/// The data: Student's sleep data (W. S. Gosset, "The probable error of a mean", *Biometrika* 6
/// (1908) 1–25, from Cushny and Peebles 1905): the extra hours of sleep of 10 patients under each
/// of two drugs, the classic paired-t example, shipped with R as `datasets::sleep`. The published
/// results are R's `t.test` on it, the example of R's `?t.test` and of many textbooks:
///
///     t.test(extra ~ group, data = sleep, paired = TRUE)
///       t = -4.0621, df = 9, p-value = 0.002833
///       95 percent confidence interval: -2.4598858 -0.7001142
///       mean difference -1.58
///     t.test(extra ~ group, data = sleep)           # Welch
///       t = -1.8608, df = 17.776, p-value = 0.07939
///       95 percent confidence interval: -3.3654832  0.2054832
///       means 0.75 and 2.33
///
/// R takes group 1 − group 2; here drug 1 is the baseline and the difference is variant −
/// baseline, so the signs turn over.
struct StudyStatisticsTests {
    static let drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    static let drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    static let key = StudyMetricKey(component: "patient", metric: "extraSleep", window: "0s..end", aggregate: "summary")

    /// The records of a two-point study whose replication r measured `baseline[r]` and
    /// `variant[r]` (nil: no value in that replication).
    static func records(baseline: [Double?], variant: [Double?]) -> [ReplicationRecord] {
        [baseline, variant].enumerated().flatMap { point, values in
            values.enumerated().map { replication, value in
                ReplicationRecord(point: point, replication: replication, seed: UInt64(replication),
                                  values: [MeasuredValue(key: key, value: value)])
            }
        }
    }

    static func difference(baseline: [Double?] = drug1, variant: [Double?] = drug2) throws -> PairedDifference {
        let differences = PairedDifference.differences(records(baseline: baseline, variant: variant), points: 2, level: 0.95)
        try #require(differences.count == 1)
        return differences[0]
    }

    @Test func `the paired interval is the published one`() throws {
        let difference = try Self.difference()
        #expect(difference.variant == 1)
        #expect(difference.key == Self.key)
        #expect(difference.count == 10)
        #expect(abs(difference.baselineMean - 0.75) < 1e-12)
        #expect(abs(difference.variantMean - 2.33) < 1e-12)
        #expect(abs(difference.paired.mean - 1.58) < 1e-12)
        #expect(abs(difference.paired.lower - 0.7001142) < 1e-7)
        #expect(abs(difference.paired.upper - 2.4598858) < 1e-7)
        // t = mean / (s / √n) = 4.0621.
        let t = difference.paired.mean / (difference.differenceStandardDeviation / 10.0.squareRoot())
        #expect(abs(t - 4.0621) < 1e-4)
    }

    @Test func `a confidence interval of the differences is the published paired interval`() {
        let interval = ConfidenceInterval(observations: zip(Self.drug2, Self.drug1).map { $0 - $1 }, level: 0.95)
        #expect(interval.count == 10)
        #expect(abs(interval.lower - 0.7001142) < 1e-7)
        #expect(abs(interval.upper - 2.4598858) < 1e-7)
        #expect(interval.contains(1.58) && !interval.contains(0))
    }

    @Test func `the unpaired half-width is Welch's published interval, on its degrees of freedom`() throws {
        let difference = try Self.difference()
        #expect(abs(difference.unpairedHalfWidth - (3.3654832 + 0.2054832) / 2) < 1e-7)
        // The degrees of freedom the half-width was made with: the df at which t(0.975, df) times
        // the standard error gives it, found by bisection on the distribution function.
        func variance(_ values: [Double]) -> Double {
            let mean = values.reduce(0, +) / Double(values.count)
            return values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)
        }
        let standardError = (variance(Self.drug1) / 10 + variance(Self.drug2) / 10).squareRoot()
        let t = difference.unpairedHalfWidth / standardError
        var low = 1.0, high = 1000.0
        for _ in 0..<100 {
            let middle = (low + high) / 2
            // More degrees of freedom, a thinner tail: the CDF at t grows with df.
            if StudentT.cdf(t, degreesOfFreedom: middle) < 0.975 { low = middle } else { high = middle }
        }
        #expect(abs(low - 17.776) < 0.0005, "Welch df \(low), published 17.776")
        // Welch's t statistic, as published.
        #expect(abs(difference.paired.mean / standardError - 1.8608) < 1e-4)
    }

    @Test func `the variance removed by pairing follows from the two variances and the paired one`() throws {
        let difference = try Self.difference()
        // R: sd(drug 1) = 1.789010, sd(drug 2) = 2.002249, sd(differences) = 1.229995.
        #expect(abs(difference.differenceStandardDeviation - 1.229995) < 1e-6)
        let varianceA: Double = 1.789010 * 1.789010, varianceB: Double = 2.002249 * 2.002249
        let varianceD: Double = 1.229995 * 1.229995
        let varianceReduction = try #require(difference.varianceReduction)
        #expect(abs(varianceReduction - (1 - varianceD / (varianceA + varianceB))) < 1e-5)
        let pairedWidth: Double = 2.4598858 - 0.7001142, unpairedWidth: Double = 3.3654832 + 0.2054832
        let widthRatio = try #require(difference.widthRatio)
        #expect(abs(widthRatio - pairedWidth / unpairedWidth) < 1e-7)
    }

    @Test func `a replication without a value at either point leaves its pair out`() throws {
        var baseline: [Double?] = Self.drug1, variant: [Double?] = Self.drug2
        baseline[3] = nil
        variant[7] = nil
        let withGaps = try Self.difference(baseline: baseline, variant: variant)
        let kept = Array(Set(0..<10).subtracting([3, 7])).sorted()
        let without = try Self.difference(baseline: kept.map { Self.drug1[$0] }, variant: kept.map { Self.drug2[$0] })
        #expect(withGaps.count == 8)
        #expect(withGaps == without)
    }

    @Test func `a measure with fewer than two pairs gets no difference`() {
        let records = Self.records(baseline: [1, nil, 3], variant: [nil, 2, 4])
        #expect(PairedDifference.differences(records, points: 2, level: 0.95).isEmpty)
    }

    @Test func `each point's interval is Student's over its replications`() throws {
        let intervals = StudyStatistics.intervals(Self.records(baseline: Self.drug1, variant: Self.drug2), points: 2, level: 0.95)
        try #require(intervals.count == 2)
        for (point, data) in [Self.drug1, Self.drug2].enumerated() {
            let row = intervals[point]
            #expect(row.point == point && row.key == Self.key && row.count == 10)
            #expect(row.interval == ConfidenceInterval(observations: data, level: 0.95))
        }
        // R: t.test(sleep$extra[1:10]): 95 percent confidence interval -0.5297804  2.0297804.
        #expect(abs(try #require(intervals[0].interval).lower + 0.5297804) < 1e-7)
        #expect(abs(try #require(intervals[0].interval).upper - 2.0297804) < 1e-7)
        #expect(abs(try #require(intervals[0].standardDeviation) - 1.789010) < 1e-6)
    }
}
