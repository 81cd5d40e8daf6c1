import SimulationKernel
import Testing

/// The value of rank ⌈p · n / 100⌉ (at least 1) among sorted values, as the histogram defines it.
func exactPercentile(_ p: Double, sorted: [Int64]) -> Int64 {
    let n = Int64(sorted.count)
    let rank = min(n, max(1, Int64((p * Double(n) / 100).rounded(.up))))
    return sorted[Int(rank - 1)]
}

/// Latencies in nanoseconds from a lognormal law with median 10 ms and p99 1 s.
func randomLatencies(count: Int, seed: UInt64) -> [Int64] {
    var stream = RandomStream(seed: seed, component: "histogram", purpose: "latencies")
    let law = Distribution.lognormal(median: 0.010, p99: 1)
    return (0..<count).map { _ in Interval.sampled(seconds: law.sample(using: &stream)).nanoseconds }
}

struct LatencyHistogramTests {
    @Test(arguments: 0..<6 as Range<UInt64>)
    func `percentiles are within one percent of the exact quantiles`(seed: UInt64) {
        let values = randomLatencies(count: 100_000, seed: seed)
        var histogram = LatencyHistogram()
        for value in values { histogram.record(value) }
        let sorted = values.sorted()
        for p in [0, 1, 50, 90, 95, 99, 99.9, 99.99, 100] {
            let exact = exactPercentile(p, sorted: sorted)
            let reported = histogram.percentile(p)
            #expect((reported - exact).magnitude * 128 <= exact.magnitude, "p\(p): \(reported) vs \(exact)")
        }
        #expect(histogram.percentile(0) == sorted.first)
        #expect(histogram.percentile(100) == sorted.last)
        #expect(histogram.count == 100_000)
        #expect(histogram.mean == Double(values.reduce(0, +)) / 100_000)
    }

    @Test func `every bucket maps back to itself and buckets tile the values`() {
        var expectedLower: Int64 = 0
        for index in 0..<LatencyHistogram.bucketCount {
            let (lower, width) = LatencyHistogram.bucketRange(ofIndex: index)
            #expect(lower == expectedLower)
            #expect(LatencyHistogram.bucketIndex(of: lower) == index)
            #expect(LatencyHistogram.bucketIndex(of: lower + (width - 1)) == index)
            #expect(width == 1 || width * 64 <= lower)
            expectedLower = lower &+ width
        }
        #expect(expectedLower == Int64.min)  // the last bucket ends at Int64.max
        #expect(LatencyHistogram.bucketIndex(of: .max) == LatencyHistogram.bucketCount - 1)
    }

    @Test func `small values are exact`() {
        var histogram = LatencyHistogram()
        for value in 0..<128 as Range<Int64> { histogram.record(value) }
        for p in stride(from: 1.0, through: 100, by: 1) {
            #expect(histogram.percentile(p) == exactPercentile(p, sorted: Array(0..<128)))
        }
    }

    @Test func `merging equals recording the union`() {
        let first = randomLatencies(count: 20_000, seed: 10)
        let second = randomLatencies(count: 5_000, seed: 11).map { $0 * 1000 }
        var a = LatencyHistogram()
        var b = LatencyHistogram()
        var union = LatencyHistogram()
        for value in first { a.record(value); union.record(value) }
        for value in second { b.record(value); union.record(value) }
        var ab = a
        ab.merge(b)
        var ba = b
        ba.merge(a)
        #expect(ab == union)
        #expect(ba == union)
        for p in [50.0, 99, 99.9] { #expect(ab.percentile(p) == union.percentile(p)) }
        #expect(ab.mean == union.mean)
        var empty = LatencyHistogram()
        empty.merge(a)
        #expect(empty == a)
        a.merge(LatencyHistogram())
        #expect(empty == a)
    }

    @Test func `an empty histogram reports zeros`() {
        let histogram = LatencyHistogram()
        #expect(histogram.count == 0)
        #expect(histogram.isEmpty)
        #expect(histogram.percentile(50) == 0)
        #expect(histogram.min == 0)
        #expect(histogram.max == 0)
        #expect(histogram.mean == 0)
    }

    @Test func `a single value is every percentile`() {
        var histogram = LatencyHistogram()
        histogram.record(123_456_789)
        for p in [0, 0.1, 50, 99.9, 100] { #expect(histogram.percentile(p) == 123_456_789) }
        #expect(histogram.mean == 123_456_789)
        #expect(histogram.min == 123_456_789 && histogram.max == 123_456_789)
    }

    @Test func `huge values keep an exact sum`() {
        var histogram = LatencyHistogram()
        let huge = Int64.max / 2
        histogram.record(huge, count: 3)
        histogram.record(.max)
        #expect(histogram.count == 4)
        #expect(histogram.mean == (3 * Double(huge) + Double(Int64.max)) / 4)
        #expect(histogram.percentile(50) == huge || (histogram.percentile(50) - huge).magnitude * 128 <= huge)
        #expect(histogram.percentile(100) == .max)
        #expect(histogram.max == .max)
    }

    @Test func `recording values one at a time equals recording each with a count of one`() {
        var single = LatencyHistogram()
        var counted = LatencyHistogram()
        // Sparse, then dense (more than 128 buckets), and sums past 2^64 (the carry into the high word).
        let values = randomLatencies(count: 5_000, seed: 11) + [Int64.max, Int64.max / 3, 0, Int64.max]
        for value in values {
            single.record(value)
            counted.record(value, count: 1)
        }
        #expect(single.isDense)
        #expect(single == counted)
        #expect(single.count == counted.count && single.mean == counted.mean)
        #expect(single.min == 0 && single.max == .max)
    }

    @Test func `counts weigh values`() {
        var weighted = LatencyHistogram()
        var repeated = LatencyHistogram()
        weighted.record(1_000, count: 3)
        weighted.record(5_000_000, count: 0)
        for _ in 0..<3 { repeated.record(1_000) }
        #expect(weighted == repeated)
    }

    @Test func `reset empties the histogram and allows reuse`() {
        var histogram = LatencyHistogram()
        for value in randomLatencies(count: 1_000, seed: 3) { histogram.record(value) }
        histogram.reset()
        #expect(histogram == LatencyHistogram())
        #expect(histogram.percentile(99) == 0)
        histogram.record(42)
        var fresh = LatencyHistogram()
        fresh.record(42)
        #expect(histogram == fresh)
        #expect(histogram.percentile(99) == 42)
    }

    // The compact forms (sparse list, dense window) against one plain array of every bucket.

    @Test(arguments: [1, 10, 100, 127, 128, 129, 1_000, 50_000])
    func `percentiles equal those of one array of every bucket on random data`(count: Int) {
        let values = randomLatencies(count: count, seed: UInt64(count))
        var histogram = LatencyHistogram()
        var reference = DenseReference()
        for value in values {
            histogram.record(value)
            reference.record(value)
        }
        for p in stride(from: 0.0, through: 100.0, by: 0.5) + [99.9, 99.99, 99.999] {
            #expect(histogram.percentile(p) == reference.percentile(p), "p\(p) with \(count) values")
        }
        #expect(histogram.count == Int64(count))
    }

    @Test func `a histogram stays sparse up to its limit of buckets and then turns dense`() {
        var histogram = LatencyHistogram()
        #expect(histogram.storedBucketCount == 0)
        for index in 0..<LatencyHistogram.sparseLimit {
            histogram.record(Int64(index), count: 2)  // below 128: a bucket each
        }
        #expect(!histogram.isDense)
        #expect(histogram.storedBucketCount == LatencyHistogram.sparseLimit)
        histogram.record(7)  // a bucket already held
        #expect(!histogram.isDense)
        histogram.record(1_000_000)
        #expect(!histogram.isDense)  // staged: the buckets are counted when the entries are folded
        histogram.consolidate()
        #expect(histogram.isDense)
        var reference = DenseReference()
        for index in 0..<LatencyHistogram.sparseLimit { reference.record(Int64(index), count: 2) }
        reference.record(7)
        reference.record(1_000_000)
        for p in [0.0, 1, 25, 50, 75, 99, 100] { #expect(histogram.percentile(p) == reference.percentile(p)) }
    }

    @Test func `a dense window covers only the ranges in use and grows on both sides`() {
        var histogram = LatencyHistogram()
        for value in randomLatencies(count: 10_000, seed: 9) where value > 1_000_000 && value < 100_000_000 {
            histogram.record(value)
        }
        #expect(histogram.isDense)
        // 1 ms to 100 ms: about 7 power-of-two ranges of 64 buckets, not the 3,712 of all values.
        #expect(histogram.storedBucketCount <= 12 * 64)
        histogram.record(3)
        histogram.record(Int64.max)
        #expect(histogram.percentile(0) == 3)
        #expect(histogram.percentile(100) == Int64.max)
        #expect(histogram.storedBucketCount <= LatencyHistogram.bucketCount)
    }

    @Test(arguments: [(3, 5), (3, 5_000), (5_000, 3), (20_000, 20_000), (0, 300), (300, 0)])
    func `merging sparse and dense histograms equals recording the union`(sizes: (Int, Int)) {
        let left = randomLatencies(count: sizes.0, seed: 11)
        let right = randomLatencies(count: sizes.1, seed: 12).map { $0 * 3 }
        var a = LatencyHistogram()
        var b = LatencyHistogram()
        var union = LatencyHistogram()
        var reference = DenseReference()
        for value in left { a.record(value); union.record(value); reference.record(value) }
        for value in right { b.record(value); union.record(value); reference.record(value) }
        var ab = a
        ab.merge(b)
        var ba = b
        ba.merge(a)
        #expect(ab == union)
        #expect(ba == union)
        for p in [0.0, 10, 50, 90, 99, 99.9, 100] {
            #expect(ab.percentile(p) == reference.percentile(p))
            #expect(ba.percentile(p) == reference.percentile(p))
        }
    }

    @Test func `empty histograms merge to nothing and equal each other in any form`() {
        var empty = LatencyHistogram()
        empty.merge(LatencyHistogram())
        #expect(empty == LatencyHistogram())
        #expect(empty.storedBucketCount == 0)
        var dense = LatencyHistogram()
        for value in randomLatencies(count: 5_000, seed: 4) { dense.record(value) }
        #expect(dense.isDense)
        dense.reset()
        #expect(dense == LatencyHistogram())
        var sparse = LatencyHistogram()
        sparse.record(1_000)
        sparse.merge(dense)
        #expect(!sparse.isDense)
        dense.merge(sparse)
        #expect(dense == sparse)
        #expect(dense.percentile(50) == 1_000 && sparse.percentile(50) == 1_000)
    }

    @Test func `a sparse count too large for its entry turns the histogram dense and stays exact`() {
        var histogram = LatencyHistogram()
        histogram.record(500, count: 1 << 51)
        histogram.record(500, count: 1 << 51)
        histogram.record(900, count: 1)
        #expect(histogram.percentile(50) == 500 - 500 % 4 + 2)  // two entries of one bucket, not yet folded
        histogram.consolidate()
        #expect(histogram.isDense)
        #expect(histogram.count == (1 << 52) + 1)
        #expect(histogram.percentile(50) == 500 - 500 % 4 + 2)
        #expect(histogram.percentile(100) == 900)
    }
}

/// The sparse form's stages (values staged inline, entries in the order recorded, entries folded
/// one per bucket) and their transitions, against one plain array of every bucket.
struct LatencyHistogramFormTests {
    /// Values in `buckets` distinct buckets (below 128 a value is its bucket), `rounds` times each.
    static func values(buckets: Int, rounds: Int) -> [Int64] {
        (0..<rounds).flatMap { _ in (0..<Int64(buckets)).map { ($0 * 37) % Int64(buckets) } }
    }

    static func expectSameResults(_ histogram: LatencyHistogram, _ reference: DenseReference, _ note: String = "") {
        #expect(histogram.count == reference.total, "\(note)")
        for p in stride(from: 0.0, through: 100.0, by: 2.5) + [99.9] {
            #expect(histogram.percentile(p) == reference.percentile(p), "p\(p) \(note)")
        }
    }

    @Test func `the inline part of a histogram is one cache line`() {
        #expect(MemoryLayout<LatencyHistogram>.size <= 64)
        #expect(MemoryLayout<LatencyHistogram>.stride == 64)
    }

    @Test func `the first values are staged inline and the next one moves them all to the storage`() {
        var histogram = LatencyHistogram()
        var reference = DenseReference()
        for value in 0..<Int64(LatencyHistogram.stagedLimit) {
            histogram.record(1_000 * value)
            reference.record(1_000 * value)
            #expect(histogram.stagedValueCount == Int(value) + 1)
            Self.expectSameResults(histogram, reference, "staged \(value + 1)")
        }
        #expect(histogram.storedBucketCount == LatencyHistogram.stagedLimit)
        histogram.record(5_000)  // the bucket of a staged value: a second entry of it
        reference.record(5_000)
        #expect(histogram.stagedValueCount == 0)
        #expect(histogram.storedBucketCount == LatencyHistogram.stagedLimit + 1)
        #expect(!histogram.isDense)
        Self.expectSameResults(histogram, reference, "moved")
        histogram.record(7)
        #expect(histogram.stagedValueCount == 1)
        reference.record(7)
        Self.expectSameResults(histogram, reference, "staged again")
    }

    @Test func `a full storage is folded one entry per bucket and stays sparse up to the limit of buckets`() {
        var histogram = LatencyHistogram()
        var reference = DenseReference()
        // Exactly `sparseLimit` buckets, recorded until the storage has been folded several times.
        for value in Self.values(buckets: LatencyHistogram.sparseLimit, rounds: 5) {
            histogram.record(value)
            reference.record(value)
            #expect(histogram.storedBucketCount - histogram.stagedValueCount <= LatencyHistogram.sparseCapacity)
        }
        #expect(!histogram.isDense)
        Self.expectSameResults(histogram, reference, "128 buckets")
        histogram.consolidate()
        #expect(histogram.storedBucketCount == LatencyHistogram.sparseLimit)
        #expect(!histogram.isDense)
        Self.expectSameResults(histogram, reference, "folded")
        histogram.record(10_000)  // a 129th bucket: sparse until the next fold
        reference.record(10_000)
        #expect(!histogram.isDense)
        Self.expectSameResults(histogram, reference, "129 buckets unfolded")
        histogram.consolidate()
        #expect(histogram.isDense)
        Self.expectSameResults(histogram, reference, "129 buckets dense")
    }

    @Test func `the fold that finds more buckets than the limit turns the histogram dense`() {
        var histogram = LatencyHistogram()
        var reference = DenseReference()
        for value in Self.values(buckets: LatencyHistogram.sparseLimit + 1, rounds: 3) {
            histogram.record(value)
            reference.record(value)
        }
        // 387 values: the storage filled at 256 entries and was folded into 129 buckets.
        #expect(histogram.isDense)
        Self.expectSameResults(histogram, reference)
    }

    /// The same values in every form: staged, entries in order, folded, dense.
    static func forms(of values: [Int64]) -> [(String, LatencyHistogram)] {
        var recorded = LatencyHistogram()
        var counted = LatencyHistogram()
        for value in values { recorded.record(value); counted.record(value, count: 1) }
        var folded = recorded
        folded.consolidate()
        var dense = LatencyHistogram()
        for value in randomLatencies(count: 2_000, seed: 5) { dense.record(value) }
        dense.reset()
        dense.merge(recorded)
        return [("recorded", recorded), ("counted", counted), ("folded", folded), ("dense", dense)]
    }

    @Test(arguments: [3, 6, 7, 50, 300])
    func `histograms of the same values are equal in every form`(count: Int) {
        let values = randomLatencies(count: count, seed: UInt64(count))
        let forms = Self.forms(of: values)
        #expect(forms[3].1.isDense)
        if count <= LatencyHistogram.stagedLimit { #expect(forms[0].1.stagedValueCount == count && forms[0].1.storedBucketCount == count) }
        var reference = DenseReference()
        for value in values { reference.record(value) }
        for (name, histogram) in forms {
            #expect(histogram == forms[0].1, "\(name)")
            Self.expectSameResults(histogram, reference, name)
        }
    }

    @Test func `histograms of different buckets with the same count, sum, minimum and maximum differ in every form`() {
        let left = Self.forms(of: [0, 4, 4, 8])
        let right = Self.forms(of: [0, 3, 5, 8])
        for (leftName, a) in left {
            for (rightName, b) in right { #expect(a != b, "\(leftName) vs \(rightName)") }
        }
    }

    @Test func `merging histograms of mixed forms equals recording the union`() {
        let left = randomLatencies(count: 40, seed: 21)
        let right = randomLatencies(count: 40, seed: 22).map { $0 * 7 }
        var reference = DenseReference()
        var union = LatencyHistogram()
        for value in left + right { reference.record(value); union.record(value) }
        for (leftName, a) in Self.forms(of: left) {
            for (rightName, b) in Self.forms(of: right) {
                var ab = a
                ab.merge(b)
                var ba = b
                ba.merge(a)
                #expect(ab == union, "\(leftName) + \(rightName)")
                #expect(ba == union, "\(rightName) + \(leftName)")
                #expect(ab.mean == union.mean && ba.mean == union.mean)
                Self.expectSameResults(ab, reference, "\(leftName) + \(rightName)")
                Self.expectSameResults(ba, reference, "\(rightName) + \(leftName)")
            }
        }
    }

    @Test func `merging many sparse histograms folds them and turns dense past the limit`() {
        var total = LatencyHistogram()
        var reference = DenseReference()
        for seed in 0..<80 as Range<UInt64> {
            var part = LatencyHistogram()
            for value in randomLatencies(count: 9, seed: 100 + seed) { part.record(value); reference.record(value) }
            total.merge(part)
            #expect(total.isDense || total.storedBucketCount - total.stagedValueCount <= LatencyHistogram.sparseCapacity)
        }
        total.consolidate()
        #expect(total.isDense)
        Self.expectSameResults(total, reference)
    }

    @Test func `reset empties a sparse histogram in any stage and keeps it sparse`() {
        for count in [2, 6, 7, 100, 255] {
            var histogram = LatencyHistogram()
            for value in randomLatencies(count: count, seed: 8) { histogram.record(value) }
            histogram.reset()
            #expect(histogram == LatencyHistogram())
            #expect(histogram.storedBucketCount == 0 && histogram.stagedValueCount == 0 && !histogram.isDense)
            histogram.record(64)
            var fresh = LatencyHistogram()
            fresh.record(64)
            #expect(histogram == fresh)
            #expect(histogram.percentile(50) == 64)
        }
    }
}

/// The plain form: one count per bucket of all values, as the histogram was first written.
struct DenseReference {
    var buckets = [Int64](repeating: 0, count: LatencyHistogram.bucketCount)
    var total: Int64 = 0
    var minimum = Int64.max
    var maximum: Int64 = 0

    mutating func record(_ value: Int64, count: Int64 = 1) {
        buckets[LatencyHistogram.bucketIndex(of: value)] += count
        total += count
        minimum = min(minimum, value)
        maximum = max(maximum, value)
    }

    func percentile(_ p: Double) -> Int64 {
        guard total > 0 else { return 0 }
        let rank = min(total, max(1, Int64((p * Double(total) / 100).rounded(.up))))
        if rank == 1 { return minimum }
        if rank == total { return maximum }
        var cumulative: Int64 = 0
        for index in buckets.indices {
            cumulative += buckets[index]
            if cumulative >= rank {
                let (lower, width) = LatencyHistogram.bucketRange(ofIndex: index)
                return min(max(lower + width / 2, minimum), maximum)
            }
        }
        return maximum
    }
}
