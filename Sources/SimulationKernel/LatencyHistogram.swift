/// A histogram of non-negative integer values (typically latencies in nanoseconds) with a
/// bounded relative error, in the style of HdrHistogram.
///
/// Values below 128 have a bucket each. Above, each power-of-two range [2^e, 2^(e+1)) is split
/// into 64 equal sub-buckets, so a bucket is at most 1/64 of its lower bound wide and its
/// midpoint is within 1/128 (0.78 %) of every value in it. The bucket index comes from the
/// leading-zero count of the value: recording is O(1) and uses no floating point.
///
/// The bucket array is allocated on the first `record` and grows only as far as the largest
/// value needs (at most 3,712 counts, 29 KiB), so an empty histogram owns no storage. Two
/// histograms merged equal one that recorded both sets of values, whatever the order.
public struct LatencyHistogram: Sendable, Equatable {
    /// The number of buckets needed for values up to `Int64.max`.
    public static let bucketCount = 3712

    /// Counts per bucket; empty until the first value is recorded.
    @usableFromInline var buckets: [Int64] = []
    @usableFromInline var totalCount: Int64 = 0
    @usableFromInline var minimum: Int64 = .max
    @usableFromInline var maximum: Int64 = 0
    /// The exact sum of all values recorded, as a 128-bit unsigned integer.
    @usableFromInline var sumHigh: UInt64 = 0
    @usableFromInline var sumLow: UInt64 = 0

    /// Creates an empty histogram, which owns no storage.
    public init() {}

    /// The index of the bucket that holds a value.
    ///
    /// - Parameter value: A non-negative value.
    /// - Returns: The value itself below 128; above, 64 · (e − 6) + ⌊value / 2^(e−6)⌋, where
    ///   e = ⌊log₂ value⌋.
    @inlinable
    public static func bucketIndex(of value: Int64) -> Int {
        let magnitude = UInt64(truncatingIfNeeded: value)
        if magnitude < 128 { return Int(magnitude) }
        let shift = 57 - magnitude.leadingZeroBitCount  // ⌊log₂ value⌋ − 6
        return shift * 64 + Int(magnitude >> UInt64(shift))
    }

    /// The smallest value and the width of a bucket.
    ///
    /// - Parameter index: A bucket index in `0..<bucketCount`.
    /// - Returns: The bucket's smallest value and the number of values it covers.
    @inlinable
    public static func bucketRange(ofIndex index: Int) -> (lower: Int64, width: Int64) {
        if index < 128 { return (Int64(index), 1) }
        let shift = index / 64 - 1
        let top = Int64(index - shift * 64)
        return (top << Int64(shift), Int64(1) << Int64(shift))
    }

    /// The number of values recorded.
    @inlinable public var count: Int64 { totalCount }

    /// Whether no value has been recorded.
    @inlinable public var isEmpty: Bool { totalCount == 0 }

    /// The smallest value recorded, exactly; 0 when empty.
    @inlinable public var min: Int64 { totalCount == 0 ? 0 : minimum }

    /// The largest value recorded, exactly; 0 when empty.
    @inlinable public var max: Int64 { maximum }

    /// The mean of the values recorded, from their exact sum; 0 when empty.
    public var mean: Double {
        guard totalCount > 0 else { return 0 }
        return (Double(sumHigh) * 0x1p64 + Double(sumLow)) / Double(totalCount)
    }

    /// Records one value.
    ///
    /// - Parameter value: The value, typically nanoseconds; must not be negative.
    /// - Complexity: O(1), amortized over the growth of the bucket array.
    @inlinable
    public mutating func record(_ value: Int64) {
        record(value, count: 1)
    }

    /// Records a value several times.
    ///
    /// - Parameters:
    ///   - value: The value, typically nanoseconds; must not be negative.
    ///   - count: How many times to record it; must not be negative.
    /// - Complexity: O(1), amortized over the growth of the bucket array.
    @inlinable
    public mutating func record(_ value: Int64, count: Int64) {
        precondition(value >= 0, "a histogram value must not be negative, found \(value)")
        precondition(count >= 0, "a histogram count must not be negative, found \(count)")
        if count == 0 { return }
        let index = LatencyHistogram.bucketIndex(of: value)
        if index >= buckets.count { growBuckets(toInclude: index) }
        buckets[index] += count
        totalCount += count
        if value < minimum { minimum = value }
        if value > maximum { maximum = value }
        addToSum(UInt64(value).multipliedFullWidth(by: UInt64(count)))
    }

    @inlinable
    mutating func addToSum(_ product: (high: UInt64, low: UInt64)) {
        let (low, carry) = sumLow.addingReportingOverflow(product.low)
        sumLow = low
        sumHigh = sumHigh &+ product.high &+ (carry ? 1 : 0)
    }

    @usableFromInline
    mutating func growBuckets(toInclude index: Int) {
        // Grow to the end of the power-of-two range holding `index`, or double, whichever is more.
        let needed = (index / 64 + 1) * 64
        let newCount = Swift.min(LatencyHistogram.bucketCount, Swift.max(needed, 2 * buckets.count))
        buckets.append(contentsOf: repeatElement(0, count: newCount - buckets.count))
    }

    /// The value at a percentile: the midpoint of the bucket holding the value of rank
    /// ⌈p · count / 100⌉ (at least 1), clamped to the observed minimum and maximum.
    ///
    /// The result is within 1/128 of the exact value of that rank among the recorded values, and
    /// exact below 128. `percentile(0)` is the minimum and `percentile(100)` the maximum.
    ///
    /// - Parameter p: The percentile, in 0...100; values outside are clamped.
    /// - Returns: The value, in the unit recorded; 0 when empty.
    /// - Complexity: O(*b*), where *b* ≤ 3,712 is the number of buckets in use.
    public func percentile(_ p: Double) -> Int64 {
        guard totalCount > 0 else { return 0 }
        let clamped = p.isNaN ? 0 : Swift.min(Swift.max(p, 0), 100)
        let rank = Swift.min(totalCount, Swift.max(1, Int64((clamped * Double(totalCount) / 100).rounded(.up))))
        if rank == 1 { return minimum }
        if rank == totalCount { return maximum }
        var cumulative: Int64 = 0
        for index in buckets.indices {
            cumulative += buckets[index]
            if cumulative >= rank {
                let (lower, width) = LatencyHistogram.bucketRange(ofIndex: index)
                let midpoint = lower + width / 2
                return Swift.min(Swift.max(midpoint, minimum), maximum)
            }
        }
        return maximum  // unreachable when the counts are consistent
    }

    /// Adds every value recorded in another histogram to this one.
    ///
    /// - Parameter other: The histogram to merge.
    /// - Complexity: O(*b*), where *b* is the number of buckets `other` uses.
    public mutating func merge(_ other: LatencyHistogram) {
        guard other.totalCount > 0 else { return }
        let last = LatencyHistogram.bucketIndex(of: other.maximum)
        if last >= buckets.count { growBuckets(toInclude: last) }
        for index in 0...last { buckets[index] += other.buckets[index] }
        totalCount += other.totalCount
        if other.minimum < minimum { minimum = other.minimum }
        if other.maximum > maximum { maximum = other.maximum }
        addToSum((other.sumHigh, 0))
        addToSum((0, other.sumLow))
    }

    /// Forgets every value, keeping the bucket storage for reuse.
    ///
    /// - Complexity: O(1) when already empty; otherwise O(*b*), where *b* is the number of
    ///   buckets in use.
    public mutating func reset() {
        guard totalCount > 0 else { return }
        let last = LatencyHistogram.bucketIndex(of: maximum)
        for index in 0...last { buckets[index] = 0 }
        totalCount = 0
        minimum = .max
        maximum = 0
        sumHigh = 0
        sumLow = 0
    }

    /// Whether two histograms hold the same values, whatever storage each has allocated.
    public static func == (lhs: LatencyHistogram, rhs: LatencyHistogram) -> Bool {
        guard lhs.totalCount == rhs.totalCount, lhs.minimum == rhs.minimum, lhs.maximum == rhs.maximum,
            lhs.sumHigh == rhs.sumHigh, lhs.sumLow == rhs.sumLow
        else { return false }
        guard lhs.totalCount > 0 else { return true }
        let last = bucketIndex(of: lhs.maximum)
        for index in 0...last where lhs.buckets[index] != rhs.buckets[index] { return false }
        return true
    }
}
