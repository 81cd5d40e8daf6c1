import SimulationKernel

/// The interval of one measure at one point of a study, from its replications.
public struct MetricInterval: Sendable, Equatable {
    /// The point's position in the plan.
    public var point: Int
    /// What was measured.
    public var key: StudyMetricKey
    /// The replications with a value.
    public var count: Int
    /// Their mean (nil without any).
    public var mean: Double?
    /// Their sample standard deviation (nil below two).
    public var standardDeviation: Double?
    /// Student's t interval for the mean (nil below two).
    public var interval: ConfidenceInterval?

    /// The half-width relative to the mean: 0 for an interval of no width, infinity for a mean of
    /// 0 with some width; nil without an interval.
    public var relativeHalfWidth: Double? {
        guard let interval else { return nil }
        if interval.halfWidth == 0 { return 0 }
        return interval.mean == 0 ? .infinity : interval.halfWidth / abs(interval.mean)
    }
}

/// Intervals and paired differences from a study's records.
public enum StudyStatistics {
    /// The values of each measure at one point, measures in the order they first appear in
    /// replication order, values in replication order (replications without a value left out).
    public static func values(_ records: [ReplicationRecord], point: Int) -> [(key: StudyMetricKey, values: [Double])] {
        var order: [StudyMetricKey] = []
        var values: [StudyMetricKey: [Double]] = [:]
        for record in records where record.point == point {
            for measured in record.values {
                if values[measured.key] == nil {
                    order.append(measured.key)
                    values[measured.key] = []
                }
                if let value = measured.value { values[measured.key]!.append(value) }
            }
        }
        return order.map { ($0, values[$0]!) }
    }

    /// One interval per point and measure, points in order.
    ///
    /// - Parameter records: Ordered by point, then replication.
    public static func intervals(_ records: [ReplicationRecord], points: Int, level: Double) -> [MetricInterval] {
        (0..<points).flatMap { point in
            values(records, point: point).map { interval(of: $0.values, point: point, key: $0.key, level: level) }
        }
    }

    static func interval(of values: [Double], point: Int, key: StudyMetricKey, level: Double) -> MetricInterval {
        var moments = RunningMoments()
        for value in values { moments.add(value) }
        let enough = values.count >= 2
        return MetricInterval(point: point, key: key, count: values.count, mean: values.isEmpty ? nil : moments.mean,
                              standardDeviation: enough ? moments.standardDeviation : nil,
                              interval: enough ? ConfidenceInterval(observations: values, level: level) : nil)
    }
}

/// The difference of one measure between a variant and the baseline of a `compare` study,
/// replication by replication on the same seeds (common random numbers).
public struct PairedDifference: Sendable, Equatable {
    /// The variant's point (1 or more; the baseline is point 0).
    public var variant: Int
    /// What was measured.
    public var key: StudyMetricKey
    /// The baseline's mean over the pairs.
    public var baselineMean: Double
    /// The variant's mean over the pairs.
    public var variantMean: Double
    /// The pairs: replications where both have a value.
    public var count: Int
    /// The paired-t interval of variant − baseline.
    public var paired: ConfidenceInterval
    /// The sample standard deviation of the differences.
    public var differenceStandardDeviation: Double
    /// The half-width of Welch's interval for the same difference from the two samples taken as
    /// independent: what the interval would be without common random numbers.
    public var unpairedHalfWidth: Double
    /// The fraction of the variance of the difference that pairing removes:
    /// 1 − Var(D) / (Var(A) + Var(B)); nil when both variances are 0.
    public var varianceReduction: Double?

    /// The paired interval's width over the unpaired one's; nil when the unpaired has no width.
    public var widthRatio: Double? { unpairedHalfWidth > 0 ? paired.halfWidth / unpairedHalfWidth : nil }

    /// The differences of every variant against the baseline, for each measure the baseline has,
    /// in the baseline's order.
    ///
    /// - Parameter records: Ordered by point, then replication.
    /// - Returns: Nothing for a measure with fewer than two pairs.
    public static func differences(_ records: [ReplicationRecord], points: Int, level: Double) -> [PairedDifference] {
        let baseline = pairs(records, point: 0)
        var differences: [PairedDifference] = []
        for variant in 1..<max(1, points) {
            let other = pairs(records, point: variant)
            for (key, byReplication) in baseline.order.map({ ($0, baseline.values[$0]!) }) {
                guard let theirs = other.values[key] else { continue }
                var a: [Double] = [], b: [Double] = []
                for (replication, value) in byReplication.sorted(by: { $0.key < $1.key }) {
                    if let paired = theirs[replication] {
                        a.append(value)
                        b.append(paired)
                    }
                }
                guard a.count >= 2 else { continue }
                differences.append(Self(variant: variant, key: key, baseline: a, variant: b, level: level))
            }
        }
        return differences
    }

    init(variant: Int, key: StudyMetricKey, baseline a: [Double], variant b: [Double], level: Double) {
        self.variant = variant
        self.key = key
        var momentsA = RunningMoments(), momentsB = RunningMoments()
        for value in a { momentsA.add(value) }
        for value in b { momentsB.add(value) }
        let d = zip(b, a).map { $0 - $1 }
        baselineMean = momentsA.mean
        variantMean = momentsB.mean
        count = a.count
        paired = ConfidenceInterval(observations: d, level: level)
        var momentsD = RunningMoments()
        for value in d { momentsD.add(value) }
        differenceStandardDeviation = momentsD.standardDeviation
        let n = Double(a.count)
        let varianceA = momentsA.standardDeviation * momentsA.standardDeviation
        let varianceB = momentsB.standardDeviation * momentsB.standardDeviation
        let standardError = (varianceA / n + varianceB / n).squareRoot()
        if standardError > 0 {
            unpairedHalfWidth = StudentT.quantile(1 - (1 - level) / 2, degreesOfFreedom: Self.welchDegreesOfFreedom(varianceA, varianceB, n: n)) * standardError
        } else {
            unpairedHalfWidth = 0
        }
        let total = varianceA + varianceB
        varianceReduction = total > 0 ? 1 - momentsD.standardDeviation * momentsD.standardDeviation / total : nil
    }

    /// Welch–Satterthwaite degrees of freedom for two samples of n each.
    static func welchDegreesOfFreedom(_ varianceA: Double, _ varianceB: Double, n: Double) -> Double {
        let a = varianceA / n, b = varianceB / n
        let denominator = a * a / (n - 1) + b * b / (n - 1)
        return denominator > 0 ? (a + b) * (a + b) / denominator : n - 1
    }

    /// For one point: the measures in first-appearance order and each one's value by replication.
    static func pairs(_ records: [ReplicationRecord], point: Int) -> (order: [StudyMetricKey], values: [StudyMetricKey: [Int: Double]]) {
        var order: [StudyMetricKey] = []
        var values: [StudyMetricKey: [Int: Double]] = [:]
        for record in records where record.point == point {
            for measured in record.values {
                if values[measured.key] == nil {
                    order.append(measured.key)
                    values[measured.key] = [:]
                }
                if let value = measured.value { values[measured.key]![record.replication] = value }
            }
        }
        return (order, values)
    }
}

/// The sequential stopping rule of `--precision` (as JMT's): after each batch, the study stops at
/// the first number of replications n (from the first batch's) at which every measure of every
/// point has a relative half-width at most the precision, or at the maximum.
///
/// n is found by looking at every count in order, so it does not depend on the batch sizes, and so
/// neither on `--jobs`.
public enum SequentialStopping {
    /// Where a study stopped, and why.
    public struct Decision: Sendable, Equatable {
        /// Replications per point.
        public var replications: Int
        /// Whether every measure reached the precision.
        public var reached: Bool
        /// The measure that was the last to reach it (nil when the first batch was enough), with
        /// its point and relative half-width at the stop.
        public var decidedBy: (point: Int, key: StudyMetricKey, relativeHalfWidth: Double)?
        /// The measures that did not reach it, when the maximum stopped the study.
        public var unmet: [(point: Int, key: StudyMetricKey, relativeHalfWidth: Double?)]

        public static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.replications == rhs.replications && lhs.reached == rhs.reached
                && lhs.decidedBy?.point == rhs.decidedBy?.point && lhs.decidedBy?.key == rhs.decidedBy?.key
                && lhs.unmet.map(\.key) == rhs.unmet.map(\.key)
        }
    }

    /// The decision for records of replications `0..<upTo`, or nil to run more.
    static func decide(_ records: [ReplicationRecord], points: Int, first: Int, upTo: Int, maximum: Int,
                       precision: Double, level: Double) -> Decision? {
        var unmetBefore: [(point: Int, key: StudyMetricKey, relativeHalfWidth: Double?)] = []
        for n in max(2, first)...max(2, upTo) where n <= upTo {
            let kept = records.filter { $0.replication < n }
            let intervals = StudyStatistics.intervals(kept, points: points, level: level)
            let unmet = intervals.filter { !isPrecise($0, precision) }.map { ($0.point, $0.key, $0.relativeHalfWidth) }
            if unmet.isEmpty {
                // The last to get there: of those short of it one replication earlier, the furthest.
                let furthest = unmetBefore.max { ($0.relativeHalfWidth ?? .infinity) < ($1.relativeHalfWidth ?? .infinity) }
                let decided = furthest.flatMap { last in
                    intervals.first { $0.point == last.point && $0.key == last.key }.map { (last.point, last.key, $0.relativeHalfWidth ?? 0) }
                }
                return Decision(replications: n, reached: true, decidedBy: n > first ? decided : nil, unmet: [])
            }
            if n == maximum { return Decision(replications: n, reached: false, decidedBy: nil, unmet: unmet) }
            unmetBefore = unmet
        }
        return nil
    }

    static func isPrecise(_ interval: MetricInterval, _ precision: Double) -> Bool {
        guard let relative = interval.relativeHalfWidth else { return false }
        return relative <= precision
    }
}
