import FailureChains
import Testing

/// Admission control alone, driven with explicit times in nanoseconds.
struct AdmissionTests {
    static let second: Int64 = 1_000_000_000

    @Test func `a full bucket lets its burst through at once and refuses the next`() {
        var admission = Admission(spec: AdmissionSpec(rate: 10, burst: 3), keys: 1)
        let decisions = (0..<4).map { _ in admission.admit(key: 0, at: 5 * Self.second) }
        #expect(decisions == [.admitted, .admitted, .admitted, .rateLimited])
        #expect(admission.tokens(key: 0, at: 5 * Self.second) == 0)
    }

    @Test func `the bucket refills one token per interval, exactly at the nanosecond`() {
        var admission = Admission(spec: AdmissionSpec(rate: 10, burst: 1), keys: 1)
        let interval = Self.second / 10
        #expect(admission.tokenInterval == interval)
        #expect(admission.admit(key: 0, at: 0) == .admitted)
        #expect(admission.admit(key: 0, at: interval - 1) == .rateLimited)
        #expect(admission.admit(key: 0, at: interval) == .admitted)
        #expect(admission.admit(key: 0, at: 2 * interval - 1) == .rateLimited)
        #expect(admission.admit(key: 0, at: 2 * interval) == .admitted)
    }

    @Test func `a refused request takes no token`() {
        var admission = Admission(spec: AdmissionSpec(rate: 1, burst: 2), keys: 1)
        #expect(admission.admit(key: 0, at: 0) == .admitted)
        #expect(admission.admit(key: 0, at: 0) == .admitted)
        for _ in 0..<100 { #expect(admission.admit(key: 0, at: Self.second / 2) == .rateLimited) }
        // One token back after one second, as if the refused requests had never come.
        #expect(admission.tokens(key: 0, at: Self.second) == 1)
        #expect(admission.admit(key: 0, at: Self.second) == .admitted)
        #expect(admission.admit(key: 0, at: Self.second) == .rateLimited)
    }

    @Test func `a quiet spell fills the bucket up to its burst and no further`() {
        var admission = Admission(spec: AdmissionSpec(rate: 100, burst: 5), keys: 1)
        for _ in 0..<5 { _ = admission.admit(key: 0, at: 0) }
        #expect(admission.tokens(key: 0, at: 0) == 0)
        #expect(admission.tokens(key: 0, at: Self.second / 100) == 1)
        #expect(admission.tokens(key: 0, at: 3 * Self.second / 100 - 1) == 2)
        #expect(admission.tokens(key: 0, at: 3 * Self.second / 100) == 3)
        #expect(admission.tokens(key: 0, at: 3600 * Self.second) == 5)
        let decisions = (0..<6).map { _ in admission.admit(key: 0, at: 3600 * Self.second) }
        #expect(decisions == [.admitted, .admitted, .admitted, .admitted, .admitted, .rateLimited])
    }

    @Test func `over a long run the bucket admits its rate and its burst, no more`() {
        var admission = Admission(spec: AdmissionSpec(rate: 20, burst: 4), keys: 1)
        // An arrival every millisecond from 0 to 9 999 ms: the burst of 4 at 0 to 3 ms, then one
        // each 50 ms from 50 ms to 9 950 ms (199), never more than burst + rate · time.
        var admitted: [Int64] = []
        for millisecond in Int64(0)..<10_000 where admission.admit(key: 0, at: millisecond * 1_000_000) == .admitted { admitted.append(millisecond) }
        #expect(admitted.count == 4 + 199)
        #expect(Array(admitted.prefix(6)) == [0, 1, 2, 3, 50, 100])
        #expect(admitted.last == 9_950)
    }

    @Test func `a rate whose interval is not a whole number of nanoseconds is rounded to the nearest`() {
        #expect(Admission.tokenInterval(rate: 3) == 333_333_333)
        #expect(Admission.tokenInterval(rate: 1.5) == 666_666_667)
        #expect(Admission.tokenInterval(rate: 1e9) == 1)
        #expect(Admission.tokenInterval(rate: 0.001) == 1_000_000_000_000)
    }

    @Test func `the concurrency limit counts requests admitted and not yet answered`() {
        var admission = Admission(spec: AdmissionSpec(concurrency: 2), keys: 1)
        #expect(admission.admit(key: 0, at: 0) == .admitted)
        #expect(admission.admit(key: 0, at: 0) == .admitted)
        #expect(admission.admit(key: 0, at: 0) == .concurrencyLimited)
        #expect(admission.inFlight == [2])
        admission.leave(key: 0)
        #expect(admission.admit(key: 0, at: 1) == .admitted)
        #expect(admission.tokens(key: 0, at: 1) == nil, "no rate limit, no bucket")
    }

    @Test func `a request over the concurrency limit takes no token, and an empty bucket is reported first`() {
        var admission = Admission(spec: AdmissionSpec(rate: 1, burst: 2, concurrency: 1), keys: 1)
        #expect(admission.admit(key: 0, at: 0) == .admitted)
        #expect(admission.admit(key: 0, at: 0) == .concurrencyLimited)
        #expect(admission.tokens(key: 0, at: 0) == 1)
        admission.leave(key: 0)
        #expect(admission.admit(key: 0, at: 0) == .admitted)
        #expect(admission.admit(key: 0, at: 0) == .rateLimited, "both limits reached: the bucket speaks")
    }

    @Test func `each key has a bucket and a concurrency count of its own`() {
        var admission = Admission(spec: AdmissionSpec(rate: 1, burst: 1, concurrency: 5, perSource: true), keys: 3)
        #expect(admission.isPerSource)
        #expect(admission.admit(key: 0, at: 0) == .admitted)
        #expect(admission.admit(key: 0, at: 0) == .rateLimited)
        #expect(admission.admit(key: 2, at: 0) == .admitted, "another source's bucket is still full")
        #expect(admission.inFlight == [1, 0, 1])
    }

    @Test func `the default burst is one second of the rate, rounded up`() {
        #expect(AdmissionSpec(rate: 20).burst == 20)
        #expect(AdmissionSpec(rate: 2.5).burst == 3)
        #expect(AdmissionSpec(rate: 0.5).burst == 1)
        #expect(AdmissionSpec(concurrency: 3).burst == 1)
    }
}
