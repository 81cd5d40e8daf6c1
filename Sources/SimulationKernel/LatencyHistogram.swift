/// A histogram of non-negative integer values (typically latencies in nanoseconds) with a
/// bounded relative error, in the style of HdrHistogram.
///
/// Values below 128 have a bucket each. Above, each power-of-two range [2^e, 2^(e+1)) is split
/// into 64 equal sub-buckets, so a bucket is at most 1/64 of its lower bound wide and its
/// midpoint is within 1/128 (0.78 %) of every value in it. The bucket index comes from the
/// leading-zero count of the value: recording is O(1) and uses no floating point.
///
/// Storage is compact, for the many small histograms of a large farm (one per instance): an
/// empty histogram owns none; the first values go to a sparse, sorted list of (bucket, count)
/// entries (at most `sparseLimit` of them, 8 bytes each); past that the histogram turns dense,
/// a window of counts over only the power-of-two ranges between its smallest and largest
/// bucket, grown on either side as values need (at most 3,712 counts, 29 KiB). Which form a
/// histogram has changes no result: counts, percentiles, merging and equality are those of one
/// array of every bucket. Two histograms merged equal one that recorded both sets of values,
/// whatever the order.
public struct LatencyHistogram: Sendable, Equatable {
    /// The number of buckets needed for values up to `Int64.max`.
    public static let bucketCount = 3712

    /// The most distinct buckets held in the sparse form before the histogram turns dense.
    public static let sparseLimit = 128

    /// Dense form: counts of buckets `base ..< base + buckets.count` (both multiples of 64);
    /// empty while the histogram is sparse.
    @usableFromInline var buckets: [Int64] = []
    @usableFromInline var base: Int = 0
    /// Sparse form: `index << 52 | count` per bucket in use, sorted by index; unused when dense.
    @usableFromInline var sparse: [UInt64] = []
    @usableFromInline var totalCount: Int64 = 0
    @usableFromInline var minimum: Int64 = .max
    @usableFromInline var maximum: Int64 = 0
    /// The exact sum of all values recorded, as a 128-bit unsigned integer.
    @usableFromInline var sumHigh: UInt64 = 0
    @usableFromInline var sumLow: UInt64 = 0

    /// Creates an empty histogram, which owns no storage.
    public init() {}

    /// Whether the histogram holds its counts in the dense form (for tests of the storage).
    public var isDense: Bool { !buckets.isEmpty }

    /// The number of bucket counts the histogram stores (sparse entries or dense window).
    public var storedBucketCount: Int { isDense ? buckets.count : sparse.count }

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
    /// - Complexity: O(1), amortized over the growth of the dense window; in the sparse form
    ///   O(log *k*) to find the bucket and O(*k*) to insert a new one, *k* ≤ `sparseLimit`.
    @inlinable @inline(__always)
    public mutating func record(_ value: Int64) {
        // `record(value, count: 1)` without the count's checks and the 128-bit product: the
        // engine records one latency per answered request.
        precondition(value >= 0, "a histogram value must not be negative, found \(value)")
        let index = LatencyHistogram.bucketIndex(of: value)
        let offset = index &- base
        if offset >= 0 && offset < buckets.count {
            buckets[offset] += 1
        } else {
            addToBucket(index, 1)
        }
        totalCount += 1
        if value < minimum { minimum = value }
        if value > maximum { maximum = value }
        let (low, carry) = sumLow.addingReportingOverflow(UInt64(value))
        sumLow = low
        if carry { sumHigh &+= 1 }
    }

    /// Records a value several times.
    ///
    /// - Parameters:
    ///   - value: The value, typically nanoseconds; must not be negative.
    ///   - count: How many times to record it; must not be negative.
    /// - Complexity: O(1), amortized over the growth of the dense window; in the sparse form
    ///   O(log *k*) to find the bucket and O(*k*) to insert a new one, *k* ≤ `sparseLimit`.
    @inlinable
    public mutating func record(_ value: Int64, count: Int64) {
        precondition(value >= 0, "a histogram value must not be negative, found \(value)")
        precondition(count >= 0, "a histogram count must not be negative, found \(count)")
        if count == 0 { return }
        let index = LatencyHistogram.bucketIndex(of: value)
        let offset = index &- base
        if offset >= 0 && offset < buckets.count {
            buckets[offset] += count
        } else {
            addToBucket(index, count)
        }
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

    static let sparseShift: UInt64 = 52
    static let sparseCountMask: UInt64 = (1 << 52) - 1

    /// Adds to a bucket outside the dense window (or to a sparse histogram): the slow path.
    @usableFromInline
    mutating func addToBucket(_ index: Int, _ count: Int64) {
        if isDense {
            growWindow(toInclude: index)
            buckets[index - base] += count
            return
        }
        // Binary search for the first entry whose index is not below `index`.
        var low = 0
        var high = sparse.count
        while low < high {
            let middle = (low + high) / 2
            if Int(sparse[middle] >> LatencyHistogram.sparseShift) < index { low = middle + 1 } else { high = middle }
        }
        if low < sparse.count && Int(sparse[low] >> LatencyHistogram.sparseShift) == index {
            let sum = (sparse[low] & LatencyHistogram.sparseCountMask) + UInt64(count)
            if sum <= LatencyHistogram.sparseCountMask {
                sparse[low] = UInt64(index) << LatencyHistogram.sparseShift | sum
                return
            }
        } else if sparse.count < LatencyHistogram.sparseLimit && UInt64(count) <= LatencyHistogram.sparseCountMask {
            sparse.insert(UInt64(index) << LatencyHistogram.sparseShift | UInt64(count), at: low)
            return
        }
        makeDense(including: index)
        buckets[index - base] += count
    }

    /// Turns a sparse histogram dense, with a window over its entries and `index`.
    @usableFromInline
    mutating func makeDense(including index: Int) {
        var low = index
        var high = index
        if let first = sparse.first, let last = sparse.last {
            low = Swift.min(low, Int(first >> LatencyHistogram.sparseShift))
            high = Swift.max(high, Int(last >> LatencyHistogram.sparseShift))
        }
        base = low / 64 * 64
        let end = Swift.min(LatencyHistogram.bucketCount, (high / 64 + 1) * 64)
        buckets = Array(repeating: 0, count: end - base)
        for entry in sparse {
            buckets[Int(entry >> LatencyHistogram.sparseShift) - base] += Int64(entry & LatencyHistogram.sparseCountMask)
        }
        sparse = []
    }

    /// Grows the dense window to include a bucket: to the end of its power-of-two range, or by
    /// the window's size on that side, whichever is more (so growth is amortized O(1)).
    @usableFromInline
    mutating func growWindow(toInclude index: Int) {
        let size = buckets.count
        if index < base {
            let newBase = Swift.max(0, Swift.min(index / 64 * 64, base - size))
            buckets.insert(contentsOf: repeatElement(0, count: base - newBase), at: 0)
            base = newBase
        } else if index >= base + size {
            let newEnd = Swift.min(LatencyHistogram.bucketCount, Swift.max((index / 64 + 1) * 64, base + 2 * size))
            buckets.append(contentsOf: repeatElement(0, count: newEnd - base - size))
        }
    }

    /// Calls `body` with each bucket index and count in use, in increasing index order, until it
    /// returns false. Buckets of count 0 may be included.
    @inline(__always)
    func forEachBucket(_ body: (Int, Int64) -> Bool) {
        if isDense {
            for offset in buckets.indices where !body(base + offset, buckets[offset]) { return }
        } else {
            for entry in sparse
            where !body(Int(entry >> LatencyHistogram.sparseShift), Int64(entry & LatencyHistogram.sparseCountMask)) {
                return
            }
        }
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
        var found = -1
        forEachBucket { index, count in
            cumulative += count
            if cumulative >= rank { found = index; return false }
            return true
        }
        if found >= 0 {
            let (lower, width) = LatencyHistogram.bucketRange(ofIndex: found)
            let midpoint = lower + width / 2
            return Swift.min(Swift.max(midpoint, minimum), maximum)
        }
        return maximum  // unreachable when the counts are consistent
    }

    /// Adds every value recorded in another histogram to this one.
    ///
    /// - Parameter other: The histogram to merge.
    /// - Complexity: O(*b*), where *b* is the number of buckets `other` uses.
    public mutating func merge(_ other: LatencyHistogram) {
        guard other.totalCount > 0 else { return }
        if other.isDense {
            let first = LatencyHistogram.bucketIndex(of: other.minimum)
            let last = LatencyHistogram.bucketIndex(of: other.maximum)
            if !isDense { makeDense(including: first) }
            growWindow(toInclude: first)
            growWindow(toInclude: last)
            for index in first...last { buckets[index - base] += other.buckets[index - other.base] }
        } else {
            for entry in other.sparse {
                let index = Int(entry >> LatencyHistogram.sparseShift)
                let count = Int64(entry & LatencyHistogram.sparseCountMask)
                let offset = index - base
                if offset >= 0 && offset < buckets.count { buckets[offset] += count } else { addToBucket(index, count) }
            }
        }
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
        if isDense {
            let first = LatencyHistogram.bucketIndex(of: minimum) - base
            let last = LatencyHistogram.bucketIndex(of: maximum) - base
            for offset in first...last { buckets[offset] = 0 }
        } else {
            sparse.removeAll(keepingCapacity: true)
        }
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
        return lhs.nonZeroBuckets() == rhs.nonZeroBuckets()
    }

    /// The buckets of non-zero count, as (index, count) in increasing index order.
    func nonZeroBuckets() -> [Int64] {
        var list: [Int64] = []
        forEachBucket { index, count in
            if count != 0 { list.append(Int64(index)); list.append(count) }
            return true
        }
        return list
    }
}
