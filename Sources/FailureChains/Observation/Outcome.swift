/// How a request ended, as its sender sees it.
package enum Outcome: UInt8 {
    /// Answered successfully.
    case success
    /// Refused on arrival: the accept queue was full, the instance down, or no instance admitted.
    case refused
    /// A call the request made timed out (connect or read), so it failed.
    case timedOut
    /// A call the request made failed with an error, or its own CPU work did (an `error` fault on
    /// its instance), so it failed.
    case failed
    /// The request waited longer than its checkout timeout for a pooled connection.
    case checkoutTimeout
    /// The instance crashed while the request was on it.
    case aborted
    /// Refused up front by a stability pattern: an open breaker (without fallback), a full
    /// bulkhead, or fail fast.
    case rejected
    /// Turned away by load shedding: the queue was too long, or the request waited too long.
    case shed
    /// The request waited longer than a lock's acquire timeout, so it failed: counted in
    /// `failed` and, for services and instances, in `lockTimeouts` too.
    case lockTimeout

    /// Whether the request was answered (and so counts in `completed`): not refused, aborted or shed.
    @inline(__always)
    var isAnswered: Bool { self != .refused && self != .aborted && self != .shed }
}

/// Request counts and sums of one component over a stretch of time: the current series
/// interval's, or the whole run's since the warm-up (`CounterPair`, which stores them).
package struct Counters {
    /// All zero.
    package init() {}

    /// Requests that arrived (or, for traffic, logical requests sent).
    package var offered: Int64 = 0
    /// Answered, successfully or not (not refused, not aborted).
    package var completed: Int64 = 0
    /// Answered successfully.
    package var goodput: Int64 = 0
    /// Requests that got a thread.
    package var started: Int64 = 0
    /// Started requests that had to wait for their thread.
    package var waited: Int64 = 0
    /// Answered after the sender had given up (a timeout, an abandoned client): wasted work.
    package var wasted: Int64 = 0
    /// Sum of waits of started requests, in nanoseconds.
    package var waitSum: Double = 0
    /// Sum of latencies of answered requests, in nanoseconds.
    package var latencySum: Double = 0
    package var refused: Int64 = 0
    package var timedOut: Int64 = 0
    package var failed: Int64 = 0
    package var checkoutTimeouts: Int64 = 0
    /// Of the failed, those that timed out waiting for a lock.
    package var lockTimeouts: Int64 = 0
    package var aborted: Int64 = 0
    /// Answered with an error because a breaker rejected a call the request needed.
    package var rejected: Int64 = 0
    /// Turned away by load shedding.
    package var shed: Int64 = 0
    /// For traffic: requests the user gave up on.
    package var abandoned: Int64 = 0
    /// For traffic: extra requests sent by reloading users.
    package var reloads: Int64 = 0
    /// For traffic: retries sent by clients with a `retry` policy, after an error answer or their own timeout.
    package var retries: Int64 = 0
    /// For a service: requests its admission control refused for want of a token, or of a place.
    package var rateLimited: Int64 = 0
    package var concurrencyLimited: Int64 = 0

    @inline(__always)
    package mutating func count(_ outcome: Outcome) {
        // Success, the common case, without the switch's jump.
        if outcome == .success {
            completed &+= 1
            goodput &+= 1
            return
        }
        switch outcome {
        case .success:
            completed &+= 1
            goodput &+= 1
        case .refused: refused &+= 1
        case .timedOut:
            completed &+= 1
            timedOut &+= 1
        case .failed:
            completed &+= 1
            failed &+= 1
        case .checkoutTimeout:
            completed &+= 1
            checkoutTimeouts &+= 1
        case .aborted: aborted &+= 1
        case .rejected:
            completed &+= 1
            rejected &+= 1
        case .shed: shed &+= 1
        case .lockTimeout:
            completed &+= 1
            failed &+= 1
            lockTimeouts &+= 1
        }
    }

    package mutating func add(_ other: Counters) {
        offered += other.offered
        completed += other.completed
        goodput += other.goodput
        refused += other.refused
        timedOut += other.timedOut
        failed += other.failed
        checkoutTimeouts += other.checkoutTimeouts
        lockTimeouts += other.lockTimeouts
        aborted += other.aborted
        rejected += other.rejected
        shed += other.shed
        wasted += other.wasted
        abandoned += other.abandoned
        reloads += other.reloads
        retries += other.retries
        rateLimited += other.rateLimited
        concurrencyLimited += other.concurrencyLimited
        started += other.started
        waited += other.waited
        waitSum += other.waitSum
        latencySum += other.latencySum
    }

    /// Errors of every kind the component returned or suffered.
    package var errors: Int64 { refused + timedOut + failed + checkoutTimeouts + aborted + rejected + shed }
}

/// One count of a `CounterPair`: the interval's and the total's, side by side.
struct Halves<Value> {
    var interval: Value
    var total: Value
}

/// The counters other than the eight that every request updates, of one half of a `CounterPair`.
struct OtherCounters {
    var refused: Int64 = 0
    var timedOut: Int64 = 0
    var failed: Int64 = 0
    var checkoutTimeouts: Int64 = 0
    var lockTimeouts: Int64 = 0
    var aborted: Int64 = 0
    var rejected: Int64 = 0
    var shed: Int64 = 0
    var abandoned: Int64 = 0
    var reloads: Int64 = 0
    var retries: Int64 = 0
    var rateLimited: Int64 = 0
    var concurrencyLimited: Int64 = 0

    /// Counts an outcome other than success in its own counter (`completed` is the pair's).
    @inline(__always)
    mutating func count(_ outcome: Outcome) {
        switch outcome {
        case .success: break
        case .refused: refused &+= 1
        case .timedOut: timedOut &+= 1
        case .failed: failed &+= 1
        case .checkoutTimeout: checkoutTimeouts &+= 1
        case .aborted: aborted &+= 1
        case .rejected: rejected &+= 1
        case .shed: shed &+= 1
        case .lockTimeout:
            failed &+= 1
            lockTimeouts &+= 1
        }
    }
}

/// A pair of counters: the current series interval (`interval`), and everything since the
/// warm-up (`total`).
///
/// Stored by the stage of a request that counts them rather than by half, so that with
/// thousands of instances (whose counters are out of the caches between two requests to one)
/// an arrival touches one 64-byte line and a request's end one more: line 0 holds what an
/// arrival and a thread's start count, line 1 what an end counts, each as [interval, total];
/// the other counters of both halves follow (`LayoutTests` checks the lines). The hot path counts
/// through the methods; `interval` and `total` assemble and store whole `Counters`.
package struct CounterPair {
    /// An empty pair.
    package init() {}

    // Line 0: an arrival and a thread's start.
    private var offered = Halves<Int64>(interval: 0, total: 0)
    private var started = Halves<Int64>(interval: 0, total: 0)
    private var waited = Halves<Int64>(interval: 0, total: 0)
    private var waitSum = Halves<Double>(interval: 0, total: 0)
    // Line 1: a request's end.
    private var completed = Halves<Int64>(interval: 0, total: 0)
    private var goodput = Halves<Int64>(interval: 0, total: 0)
    private var wasted = Halves<Int64>(interval: 0, total: 0)
    private var latencySum = Halves<Double>(interval: 0, total: 0)
    private var intervalOthers = OtherCounters()
    private var totalOthers = OtherCounters()
    /// Pads the stride to 384 bytes, six cache lines, so that what follows in a record keeps its line.
    private var padding: (Int64, Int64, Int64, Int64, Int64, Int64) = (0, 0, 0, 0, 0, 0)

    /// Where the counts of a request's end start, and where the other counters start (`HotLayout`).
    static var endStageOffset: Int { MemoryLayout<CounterPair>.offset(of: \CounterPair.completed)! }
    static var othersOffset: Int { MemoryLayout<CounterPair>.offset(of: \CounterPair.intervalOthers)! }

    /// The current series interval's counters.
    package var interval: Counters {
        get { counters(ofTotal: false, intervalOthers) }
        set { intervalOthers = store(newValue, asTotal: false) }
    }

    /// The counters since the warm-up.
    package var total: Counters {
        get { counters(ofTotal: true, totalOthers) }
        set { totalOthers = store(newValue, asTotal: true) }
    }

    private func counters(ofTotal isTotal: Bool, _ others: OtherCounters) -> Counters {
        var counters = Counters()
        counters.offered = isTotal ? offered.total : offered.interval
        counters.started = isTotal ? started.total : started.interval
        counters.waited = isTotal ? waited.total : waited.interval
        counters.waitSum = isTotal ? waitSum.total : waitSum.interval
        counters.completed = isTotal ? completed.total : completed.interval
        counters.goodput = isTotal ? goodput.total : goodput.interval
        counters.wasted = isTotal ? wasted.total : wasted.interval
        counters.latencySum = isTotal ? latencySum.total : latencySum.interval
        counters.refused = others.refused
        counters.timedOut = others.timedOut
        counters.failed = others.failed
        counters.checkoutTimeouts = others.checkoutTimeouts
        counters.lockTimeouts = others.lockTimeouts
        counters.aborted = others.aborted
        counters.rejected = others.rejected
        counters.shed = others.shed
        counters.abandoned = others.abandoned
        counters.reloads = others.reloads
        counters.retries = others.retries
        counters.rateLimited = others.rateLimited
        counters.concurrencyLimited = others.concurrencyLimited
        return counters
    }

    /// Stores the eight hot counts of one half and returns its others.
    private mutating func store(_ counters: Counters, asTotal isTotal: Bool) -> OtherCounters {
        if isTotal { offered.total = counters.offered } else { offered.interval = counters.offered }
        if isTotal { started.total = counters.started } else { started.interval = counters.started }
        if isTotal { waited.total = counters.waited } else { waited.interval = counters.waited }
        if isTotal { waitSum.total = counters.waitSum } else { waitSum.interval = counters.waitSum }
        if isTotal { completed.total = counters.completed } else { completed.interval = counters.completed }
        if isTotal { goodput.total = counters.goodput } else { goodput.interval = counters.goodput }
        if isTotal { wasted.total = counters.wasted } else { wasted.interval = counters.wasted }
        if isTotal { latencySum.total = counters.latencySum } else { latencySum.interval = counters.latencySum }
        var others = OtherCounters()
        others.refused = counters.refused
        others.timedOut = counters.timedOut
        others.failed = counters.failed
        others.checkoutTimeouts = counters.checkoutTimeouts
        others.lockTimeouts = counters.lockTimeouts
        others.aborted = counters.aborted
        others.rejected = counters.rejected
        others.shed = counters.shed
        others.abandoned = counters.abandoned
        others.reloads = counters.reloads
        others.retries = counters.retries
        others.rateLimited = counters.rateLimited
        others.concurrencyLimited = counters.concurrencyLimited
        return others
    }

    /// Applies a change to the interval's counters and, past the warm-up, to the total's: for
    /// the rarer counts (the hot ones have methods of their own).
    @inline(__always)
    package mutating func update(pastWarmup: Bool, _ body: (inout Counters) -> Void) {
        body(&interval)
        if pastWarmup { body(&total) }
    }

    // The hot path's updates: one arrival, one outcome, a request that got its thread, one that ended.

    /// Counts an arrival (or a logical request sent).
    @inline(__always)
    package mutating func offer(pastWarmup: Bool) {
        offered.interval &+= 1
        if pastWarmup { offered.total &+= 1 }
    }

    /// Counts how a request ended.
    @inline(__always)
    package mutating func count(_ outcome: Outcome, pastWarmup: Bool) {
        // Success, the common case, without the switch's jump.
        if outcome == .success {
            completed.interval &+= 1
            goodput.interval &+= 1
            if pastWarmup {
                completed.total &+= 1
                goodput.total &+= 1
            }
            return
        }
        if outcome.isAnswered {
            completed.interval &+= 1
            if pastWarmup { completed.total &+= 1 }
        }
        intervalOthers.count(outcome)
        if pastWarmup { totalOthers.count(outcome) }
    }

    /// Counts how a request ended and, when it was answered, its latency in nanoseconds.
    @inline(__always)
    package mutating func count(_ outcome: Outcome, latency: Int64, pastWarmup: Bool) {
        count(outcome, pastWarmup: pastWarmup)
        if outcome.isAnswered {
            let latency = Double(latency)
            latencySum.interval += latency
            if pastWarmup { latencySum.total += latency }
        }
    }

    /// Counts a request that got its thread after waiting `waited` nanoseconds (0: at once).
    @inline(__always)
    package mutating func start(waited: Int64, pastWarmup: Bool) {
        let wait = Double(waited)
        let didWait: Int64 = waited > 0 ? 1 : 0
        started.interval &+= 1
        waitSum.interval += wait
        self.waited.interval &+= didWait
        if pastWarmup {
            started.total &+= 1
            waitSum.total += wait
            self.waited.total &+= didWait
        }
    }

    /// Counts a request that ended on its instance: its outcome, its latency in nanoseconds, and
    /// whether nobody waited for its answer any more.
    @inline(__always)
    package mutating func finish(_ outcome: Outcome, latency: Int64, isWasted: Bool, pastWarmup: Bool) {
        let latency = Double(latency)
        let wasted: Int64 = isWasted ? 1 : 0
        count(outcome, pastWarmup: pastWarmup)
        latencySum.interval += latency
        self.wasted.interval &+= wasted
        if pastWarmup {
            latencySum.total += latency
            self.wasted.total &+= wasted
        }
    }
}

/// Time integrals of a level, for time-weighted averages: this interval and since the warm-up.
struct LevelArea {
    var interval: Double = 0
    var total: Double = 0

    @inline(__always)
    mutating func add(_ area: Double, pastWarmup: Bool) {
        interval += area
        if pastWarmup { total += area }
    }
}
