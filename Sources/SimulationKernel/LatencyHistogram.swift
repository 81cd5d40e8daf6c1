/// A histogram of non-negative integer values (typically latencies in nanoseconds) with a
/// bounded relative error, in the style of HdrHistogram.
///
/// Values below 128 have a bucket each. Above, each power-of-two range [2^e, 2^(e+1)) is split
/// into 64 equal sub-buckets, so a bucket is at most 1/64 of its lower bound wide and its
/// midpoint is within 1/128 (0.78 %) of every value in it. The bucket index comes from the
/// leading-zero count of the value: recording is O(1) and uses no floating point.
///
/// Storage is compact, for the many small histograms of a large farm (one per instance), and a
/// value recorded into a small histogram touches as few cache lines as it can:
/// - an empty histogram owns no storage;
/// - the first values of a sparse histogram are staged inline, up to `stagedLimit` bucket
///   indices of 2 bytes in the histogram's own 64-byte line (the line its count, minimum,
///   maximum and sum are in, which every value touches anyway);
/// - when the staging is full its indices go together to the sparse storage: a heap array of
///   (bucket, count) entries of 8 bytes in the order recorded, a bucket possibly in several
///   entries (so a value touches the array's header and its tail, once every seven values, and
///   neither searches nor shifts it). When it holds `sparseCapacity` entries (or on
///   `consolidate()`) the entries are folded: sorted and combined, one per bucket. A read of a
///   histogram not folded (percentiles, equality) folds a copy;
/// - past `sparseLimit` distinct buckets at a fold the histogram turns dense, a window of counts
///   over only the power-of-two ranges between its smallest and largest bucket, grown on either
///   side as values need (at most 3,712 counts, 29 KiB); a value in the window is one increment.
///
/// Which form a histogram has changes no result: counts, percentiles, merging and equality are
/// those of one array of every bucket. Two histograms merged equal one that recorded both sets of
/// values, whatever the order.
public struct LatencyHistogram: Sendable, Equatable {
    /// The number of buckets needed for values up to `Int64.max`.
    public static let bucketCount = 3712

    /// The most distinct buckets a fold keeps in the sparse form; past it the histogram turns dense.
    public static let sparseLimit = 128

    /// The most entries the sparse storage holds before they are folded, one per bucket.
    public static let sparseCapacity = 2 * sparseLimit

    /// The most values a sparse histogram stages inline before they go to its storage.
    public static let stagedLimit = Int(stagedSlots)

    /// `stagedLimit`, as the inlined `record` reads it (a constant, not a global).
    @usableFromInline static var stagedSlots: UInt8 { 6 }

    /// Dense form: counts of buckets `base ..< base + storage.count` (both multiples of 64).
    /// Sparse form: entries `index << 52 | count`, in the order recorded, a bucket possibly in
    /// several; sorted with one per bucket after a fold (until the next entry).
    @usableFromInline var storage: [UInt64] = []
    @usableFromInline var totalCount: Int64 = 0
    @usableFromInline var minimum: Int64 = .max
    @usableFromInline var maximum: Int64 = 0
    /// The exact sum of all values recorded, as a 128-bit unsigned integer.
    @usableFromInline var sumHigh: UInt64 = 0
    @usableFromInline var sumLow: UInt64 = 0
    /// Dense form: the first bucket of the window. Sparse form: `sparseBase`, above every bucket
    /// index, so that `record`'s test for the window fails without reading the storage's header.
    @usableFromInline var base: UInt16 = 4096
    /// Sparse form: the bucket indices of the last values recorded, `stagedCount` of them, each
    /// counted once and not yet in `storage`. Always empty in the dense form.
    @usableFromInline var staged: (UInt16, UInt16, UInt16, UInt16, UInt16, UInt16) = (0, 0, 0, 0, 0, 0)
    @usableFromInline var stagedCount: UInt8 = 0
    /// Sparse form: whether `storage` is folded (sorted, one entry per bucket, at most
    /// `sparseLimit` entries), as it is when empty and after `consolidate()`.
    @usableFromInline var storageIsFolded = true

    /// `base` of a sparse histogram.
    @usableFromInline static var sparseBase: UInt16 { 4096 }

    /// Creates an empty histogram, which owns no storage.
    public init() {}

    /// Whether the histogram holds its counts in the dense form (for tests of the storage).
    public var isDense: Bool { base != LatencyHistogram.sparseBase }

    /// The number of bucket counts the histogram stores: the dense window, or the sparse entries
    /// and staged values (several of them may be of one bucket until they are folded).
    public var storedBucketCount: Int { isDense ? storage.count : storage.count + Int(stagedCount) }

    /// The number of values staged inline (for tests of the storage).
    public var stagedValueCount: Int { Int(stagedCount) }

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
    /// - Complexity: O(1), amortized over the growth of the dense window and over the folds of
    ///   the sparse entries (O(*k*) for *k* ≤ `sparseCapacity` entries, at least `sparseCapacity`
    ///   − `sparseLimit` values apart).
    @inlinable @inline(__always)
    public mutating func record(_ value: Int64) {
        // `record(value, count: 1)` without the count's checks and the 128-bit product: the
        // engine records one latency per answered request.
        precondition(value >= 0, "a histogram value must not be negative, found \(value)")
        let index = LatencyHistogram.bucketIndex(of: value)
        let offset = index &- Int(base)
        if offset >= 0 && offset < storage.count {
            // No bucket exceeds `totalCount`, which traps before any count could wrap.
            storage[offset] &+= 1
        } else if stagedCount < LatencyHistogram.stagedSlots && base == LatencyHistogram.sparseBase {
            stage(index)
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

    /// Stages a bucket index inline (sparse form, `stagedCount < stagedLimit`).
    @inlinable @inline(__always)
    mutating func stage(_ index: Int) {
        let byteOffset = 2 &* Int(stagedCount)
        withUnsafeMutableBytes(of: &staged) {
            $0.storeBytes(of: UInt16(truncatingIfNeeded: index), toByteOffset: byteOffset, as: UInt16.self)
        }
        stagedCount &+= 1
    }

    /// The bucket index staged at a place, in `0..<stagedCount`.
    @usableFromInline
    func stagedIndex(_ place: Int) -> Int {
        Int(withUnsafeBytes(of: staged) { $0.load(fromByteOffset: 2 * place, as: UInt16.self) })
    }

    /// Records a value several times.
    ///
    /// - Parameters:
    ///   - value: The value, typically nanoseconds; must not be negative.
    ///   - count: How many times to record it; must not be negative.
    /// - Complexity: O(1), amortized over the growth of the dense window and over the folds of
    ///   the sparse entries.
    @inlinable
    public mutating func record(_ value: Int64, count: Int64) {
        precondition(value >= 0, "a histogram value must not be negative, found \(value)")
        precondition(count >= 0, "a histogram count must not be negative, found \(count)")
        if count == 0 { return }
        let index = LatencyHistogram.bucketIndex(of: value)
        let offset = index &- Int(base)
        if offset >= 0 && offset < storage.count {
            storage[offset] &+= UInt64(count)
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

    /// Adds to a bucket outside the dense window, or to a sparse histogram whose staging is
    /// full or with a count other than one: the slow path.
    @usableFromInline
    mutating func addToBucket(_ index: Int, _ count: Int64) {
        if !isDense && UInt64(count) <= LatencyHistogram.sparseCountMask {
            if storage.count + Int(stagedCount) + 1 > LatencyHistogram.sparseCapacity { consolidate() }
            if !isDense {
                appendEntry(index, count)
                return
            }
        }
        if !isDense { makeDense(including: index) }
        growWindow(toInclude: index)
        storage[index - Int(base)] &+= UInt64(count)
    }

    /// Appends the staged values and an entry to the sparse storage, in one growth at most.
    mutating func appendEntry(_ index: Int, _ count: Int64) {
        let needed = storage.count + Int(stagedCount) + 1
        if needed > storage.capacity {
            storage.reserveCapacity(Swift.min(LatencyHistogram.sparseCapacity, Swift.max(needed, 2 * storage.capacity, 28)))
        }
        for place in 0..<Int(stagedCount) {
            storage.append(UInt64(stagedIndex(place)) << LatencyHistogram.sparseShift | 1)
        }
        stagedCount = 0
        storage.append(UInt64(index) << LatencyHistogram.sparseShift | UInt64(count))
        storageIsFolded = false
    }

    /// Folds a sparse histogram's staged values and entries into sorted entries, one per bucket;
    /// past `sparseLimit` buckets (or a count too large for an entry) it turns dense. Changes no
    /// result, only the storage: later reads need no sorting.
    ///
    /// - Complexity: O(*k*), where *k* ≤ `sparseCapacity` is the number of entries: no comparison
    ///   sort, a bit per bucket in use gives each bucket its place.
    public mutating func consolidate() {
        guard !isDense else { return }
        if stagedCount > 0 {
            storage.reserveCapacity(storage.count + Int(stagedCount))
            for place in 0..<Int(stagedCount) { storage.append(UInt64(stagedIndex(place)) << LatencyHistogram.sparseShift | 1) }
            stagedCount = 0
            storageIsFolded = false
        }
        if storageIsFolded { return }
        let shift = LatencyHistogram.sparseShift
        let mask = LatencyHistogram.sparseCountMask
        let words = LatencyHistogram.bucketCount / 64  // 58 words of 64 bits: one bit a bucket
        // The buckets in use, and before each word the number of buckets in use below it: a
        // bucket's place among the folded entries is that number plus the bits below its own.
        let folded: Bool = withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 * words) { table in
            let bits = UnsafeMutableBufferPointer(rebasing: table[0..<words])
            let below = UnsafeMutableBufferPointer(rebasing: table[words..<(2 * words)])
            bits.initialize(repeating: 0)
            var first = words
            var last = 0
            for entry in storage {
                let index = Int(entry >> shift)
                bits[index >> 6] |= 1 << UInt64(index & 63)
                first = Swift.min(first, index >> 6)
                last = Swift.max(last, index >> 6)
            }
            var buckets = 0
            for word in first...last {
                below[word] = UInt64(buckets)
                buckets += bits[word].nonzeroBitCount
            }
            guard buckets <= LatencyHistogram.sparseLimit else { return false }
            return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: buckets) { counts in
                counts.initialize(repeating: 0)
                for entry in storage {
                    let index = Int(entry >> shift)
                    let word = index >> 6
                    let place = Int(below[word]) &+ (bits[word] & ((1 << UInt64(index & 63)) &- 1)).nonzeroBitCount
                    counts[place] &+= entry & mask  // at most `totalCount`: no overflow
                }
                // A count too large for an entry: dense, from the storage as it is.
                for place in 0..<buckets where counts[place] > mask { return false }
                // The entries in bucket order, written over the first `buckets` of the storage.
                var place = 0
                for word in first...last {
                    var remaining = bits[word]
                    while remaining != 0 {
                        storage[place] = UInt64(word << 6 | remaining.trailingZeroBitCount) << shift | counts[place]
                        remaining &= remaining &- 1
                        place += 1
                    }
                }
                storage.removeLast(storage.count - buckets)
                return true
            }
        }
        if folded { storageIsFolded = true } else { makeDense(including: Int(storage[0] >> shift)) }
    }

    /// Turns a sparse histogram dense, with a window over its entries, its staged values and `index`.
    @usableFromInline
    mutating func makeDense(including index: Int) {
        var low = index
        var high = index
        for entry in storage {
            let bucket = Int(entry >> LatencyHistogram.sparseShift)
            low = Swift.min(low, bucket)
            high = Swift.max(high, bucket)
        }
        for place in 0..<Int(stagedCount) {
            low = Swift.min(low, stagedIndex(place))
            high = Swift.max(high, stagedIndex(place))
        }
        let newBase = low / 64 * 64
        let end = Swift.min(LatencyHistogram.bucketCount, (high / 64 + 1) * 64)
        var counts = [UInt64](repeating: 0, count: end - newBase)
        for entry in storage {
            counts[Int(entry >> LatencyHistogram.sparseShift) - newBase] += entry & LatencyHistogram.sparseCountMask
        }
        for place in 0..<Int(stagedCount) { counts[stagedIndex(place) - newBase] += 1 }
        storage = counts
        base = UInt16(newBase)
        stagedCount = 0
    }

    /// Grows the dense window to include a bucket: to the end of its power-of-two range, or by
    /// the window's size on that side, whichever is more (so growth is amortized O(1)).
    @usableFromInline
    mutating func growWindow(toInclude index: Int) {
        let size = storage.count
        let first = Int(base)
        if index < first {
            let newBase = Swift.max(0, Swift.min(index / 64 * 64, first - size))
            storage.insert(contentsOf: repeatElement(0, count: first - newBase), at: 0)
            base = UInt16(newBase)
        } else if index >= first + size {
            let newEnd = Swift.min(LatencyHistogram.bucketCount, Swift.max((index / 64 + 1) * 64, first + 2 * size))
            storage.append(contentsOf: repeatElement(0, count: newEnd - first - size))
        }
    }

    /// Whether the histogram is dense or folded: then `forEachBucket` can read it as it is.
    var isReadable: Bool { isDense || (stagedCount == 0 && storageIsFolded) }

    /// The histogram itself when dense or folded, else a folded copy.
    func readable() -> LatencyHistogram {
        if isReadable { return self }
        var copy = self
        copy.consolidate()
        return copy
    }

    /// Calls `body` with each bucket index and count in use, in increasing index order, until it
    /// returns false; the histogram must be dense or folded (`isReadable`). Buckets of count 0 may
    /// be included.
    @inline(__always)
    func forEachBucket(_ body: (Int, Int64) -> Bool) {
        if isDense {
            for offset in storage.indices where !body(Int(base) + offset, Int64(bitPattern: storage[offset])) { return }
        } else {
            for entry in storage
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
        readable().forEachBucket { index, count in
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
    /// - Complexity: O(*b*), where *b* is the number of buckets (or sparse entries) `other` uses.
    public mutating func merge(_ other: LatencyHistogram) {
        guard other.totalCount > 0 else { return }
        if other.isDense {
            let first = LatencyHistogram.bucketIndex(of: other.minimum)
            let last = LatencyHistogram.bucketIndex(of: other.maximum)
            if !isDense { makeDense(including: first) }
            growWindow(toInclude: first)
            growWindow(toInclude: last)
            let shift = Int(other.base) - Int(base)
            for offset in (first - Int(other.base))...(last - Int(other.base)) { storage[offset + shift] += other.storage[offset] }
        } else {
            for entry in other.storage {
                add(Int(entry >> LatencyHistogram.sparseShift), Int64(entry & LatencyHistogram.sparseCountMask))
            }
            for place in 0..<Int(other.stagedCount) { add(other.stagedIndex(place), 1) }
        }
        totalCount += other.totalCount
        if other.minimum < minimum { minimum = other.minimum }
        if other.maximum > maximum { maximum = other.maximum }
        addToSum((other.sumHigh, 0))
        addToSum((0, other.sumLow))
    }

    /// Adds a count to a bucket: in the dense window at once, else by the slow path.
    @inline(__always)
    mutating func add(_ index: Int, _ count: Int64) {
        let offset = index &- Int(base)
        if offset >= 0 && offset < storage.count { storage[offset] += UInt64(count) } else { addToBucket(index, count) }
    }

    /// Forgets every value, keeping the storage for reuse (and the form: a dense histogram stays
    /// dense, a sparse one keeps its entries' capacity).
    ///
    /// - Complexity: O(1) when already empty or sparse; otherwise O(*b*), where *b* is the number
    ///   of buckets in use.
    public mutating func reset() {
        guard totalCount > 0 else { return }
        if isDense {
            let first = LatencyHistogram.bucketIndex(of: minimum) - Int(base)
            let last = LatencyHistogram.bucketIndex(of: maximum) - Int(base)
            for offset in first...last { storage[offset] = 0 }
        } else {
            storage.removeAll(keepingCapacity: true)
            stagedCount = 0
            storageIsFolded = true
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
        readable().forEachBucket { index, count in
            if count != 0 { list.append(Int64(index)); list.append(count) }
            return true
        }
        return list
    }
}
