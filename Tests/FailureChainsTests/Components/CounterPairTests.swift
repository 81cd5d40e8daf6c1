import FailureChains
import Testing

/// A counter pair counts every request in its interval half and, past the warm-up, in its total
/// half, whatever order its counts are stored in.
struct CounterPairTests {
    /// One request of each stage before the warm-up ends and two after: arrival, start after a
    /// wait, and an end of each kind of outcome.
    private func counted() -> CounterPair {
        var pair = CounterPair()
        for pastWarmup in [false, true, true] {
            pair.offer(pastWarmup: pastWarmup)
            pair.start(waited: 0, pastWarmup: pastWarmup)
            pair.offer(pastWarmup: pastWarmup)
            pair.start(waited: 40, pastWarmup: pastWarmup)
            pair.finish(.success, latency: 100, isWasted: false, pastWarmup: pastWarmup)
            pair.finish(.timedOut, latency: 300, isWasted: true, pastWarmup: pastWarmup)
            pair.count(.refused, pastWarmup: pastWarmup)
            pair.count(.lockTimeout, latency: 50, pastWarmup: pastWarmup)
            pair.count(.shed, latency: 70, pastWarmup: pastWarmup)
        }
        return pair
    }

    @Test func `the interval counts every request and the total only those past the warm-up`() {
        let pair = counted()
        for (half, times) in [(pair.interval, 3), (pair.total, 2)] {
            #expect(half.offered == Int64(2 * times))
            #expect(half.started == Int64(2 * times))
            #expect(half.waited == Int64(times))
            #expect(half.waitSum == Double(40 * times))
            // success, timedOut and lockTimeout are answered; refused and shed are not.
            #expect(half.completed == Int64(3 * times))
            #expect(half.goodput == Int64(times))
            #expect(half.wasted == Int64(times))
            #expect(half.latencySum == Double(450 * times))
            #expect(half.timedOut == Int64(times))
            #expect(half.refused == Int64(times))
            #expect(half.shed == Int64(times))
            #expect(half.failed == Int64(times))
            #expect(half.lockTimeouts == Int64(times))
        }
    }

    @Test func `the rarer counts go through update to the same halves`() {
        var pair = CounterPair()
        pair.update(pastWarmup: false) { $0.retries &+= 1 }
        pair.update(pastWarmup: true) { $0.retries &+= 2; $0.offered &+= 1 }
        #expect(pair.interval.retries == 3)
        #expect(pair.total.retries == 2)
        #expect(pair.interval.offered == 1)
        #expect(pair.total.offered == 1)
    }

    @Test func `storing a half keeps every count of it and leaves the other half alone`() {
        var pair = counted()
        let total = pair.total
        var interval = pair.interval
        interval.concurrencyLimited = 9
        interval.latencySum = 1.5
        pair.interval = interval
        #expect(pair.interval.concurrencyLimited == 9)
        #expect(pair.interval.latencySum == 1.5)
        #expect(pair.interval.offered == 6)
        #expect(pair.total.offered == total.offered && pair.total.latencySum == total.latencySum && pair.total.failed == total.failed)
        pair.interval = Counters()
        #expect(pair.interval.offered == 0 && pair.interval.refused == 0 && pair.interval.waitSum == 0)
        #expect(pair.total.completed == 6)
    }
}
