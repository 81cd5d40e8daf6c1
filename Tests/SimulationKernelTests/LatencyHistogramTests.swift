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
}
