/// Count, mean, variance, minimum and maximum of a stream of values, in one pass and O(1) memory.
///
/// Uses Welford's update, which stays accurate when the mean is large compared with the spread,
/// and Chan, Golub and LeVeque's formula to merge two summaries (for replications or shards).
public struct RunningMoments: Sendable, Equatable {
    @usableFromInline var storedCount: Int = 0
    @usableFromInline var storedMean: Double = 0
    /// The sum of squared deviations from the mean.
    @usableFromInline var sumOfSquaredDeviations: Double = 0
    @usableFromInline var storedMin: Double = .infinity
    @usableFromInline var storedMax: Double = -.infinity

    /// The number of values added.
    @inlinable public var count: Int { storedCount }

    /// The mean of the values; 0 when there are none.
    @inlinable public var mean: Double { storedMean }

    /// The smallest value added; `+infinity` when there are none.
    @inlinable public var min: Double { storedMin }

    /// The largest value added; `-infinity` when there are none.
    @inlinable public var max: Double { storedMax }

    /// Creates an empty summary.
    public init() {}

    /// The sample variance, with n − 1 in the denominator; 0 for fewer than two values.
    public var variance: Double {
        count > 1 ? sumOfSquaredDeviations / Double(count - 1) : 0
    }

    /// The sample standard deviation: the square root of `variance`.
    public var standardDeviation: Double { variance.squareRoot() }

    /// Adds one value.
    ///
    /// - Parameter x: The value; should be finite.
    /// - Complexity: O(1).
    @inlinable
    public mutating func add(_ x: Double) {
        storedCount += 1
        let delta = x - storedMean
        storedMean += delta / Double(storedCount)
        sumOfSquaredDeviations += delta * (x - storedMean)
        if x < storedMin { storedMin = x }
        if x > storedMax { storedMax = x }
    }

    /// Adds every value summarized by another summary, as if they had been added one by one.
    ///
    /// - Parameter other: The summary to merge into this one.
    /// - Complexity: O(1).
    public mutating func merge(_ other: RunningMoments) {
        guard other.storedCount > 0 else { return }
        guard storedCount > 0 else {
            self = other
            return
        }
        let n = storedCount + other.storedCount
        let delta = other.storedMean - storedMean
        let otherWeight = Double(other.storedCount) / Double(n)
        storedMean += delta * otherWeight
        sumOfSquaredDeviations += other.sumOfSquaredDeviations + delta * delta * Double(storedCount) * otherWeight
        storedCount = n
        if other.storedMin < storedMin { storedMin = other.storedMin }
        if other.storedMax > storedMax { storedMax = other.storedMax }
    }
}
