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

/// Request counts and sums of one component over a stretch of time.
///
/// The eight that every request updates come first, in one 64-byte cache line: with thousands of
/// instances their counters are out of the caches between two requests to one instance.
struct Counters {
    /// Requests that arrived (or, for traffic, logical requests sent).
    var offered: Int64 = 0
    /// Answered, successfully or not (not refused, not aborted).
    var completed: Int64 = 0
    /// Answered successfully.
    var goodput: Int64 = 0
    /// Requests that got a thread.
    var started: Int64 = 0
    /// Started requests that had to wait for their thread.
    var waited: Int64 = 0
    /// Answered after the sender had given up (a timeout, an abandoned client): wasted work.
    var wasted: Int64 = 0
    /// Sum of waits of started requests, in nanoseconds.
    var waitSum: Double = 0
    /// Sum of latencies of answered requests, in nanoseconds.
    var latencySum: Double = 0
    var refused: Int64 = 0
    var timedOut: Int64 = 0
    var failed: Int64 = 0
    var checkoutTimeouts: Int64 = 0
    /// Of the failed, those that timed out waiting for a lock.
    var lockTimeouts: Int64 = 0
    var aborted: Int64 = 0
    /// Answered with an error because a breaker rejected a call the request needed.
    var rejected: Int64 = 0
    /// Turned away by load shedding.
    var shed: Int64 = 0
    /// For traffic: requests the user gave up on.
    var abandoned: Int64 = 0
    /// For traffic: extra requests sent by reloading users.
    var reloads: Int64 = 0
    /// For traffic: retries sent by clients with a `retry` policy, after an error answer or their own timeout.
    var retries: Int64 = 0
    /// For a service: requests its admission control refused for want of a token, or of a place.
    var rateLimited: Int64 = 0
    var concurrencyLimited: Int64 = 0
    /// Pads the stride to 192 bytes, three cache lines: in a `CounterPair` that starts on a line
    /// the hot eight of `total` then start on one too (`LayoutTests` checks it).
    private var padding: (Int64, Int64, Int64) = (0, 0, 0)

    @inline(__always)
    mutating func count(_ outcome: Outcome) {
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

    mutating func add(_ other: Counters) {
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
    var errors: Int64 { refused + timedOut + failed + checkoutTimeouts + aborted + rejected + shed }
}

/// A pair of counters: the current series interval, and everything since the warm-up.
struct CounterPair {
    var interval = Counters()
    var total = Counters()

    @inline(__always)
    mutating func update(pastWarmup: Bool, _ body: (inout Counters) -> Void) {
        body(&interval)
        if pastWarmup { body(&total) }
    }

    // The hot path's updates as plain methods, without a closure: one arrival, one outcome, a
    // request that got its thread, one that ended.

    /// Counts an arrival (or a logical request sent).
    @inline(__always)
    mutating func offer(pastWarmup: Bool) {
        interval.offered &+= 1
        if pastWarmup { total.offered &+= 1 }
    }

    /// Counts how a request ended.
    @inline(__always)
    mutating func count(_ outcome: Outcome, pastWarmup: Bool) {
        interval.count(outcome)
        if pastWarmup { total.count(outcome) }
    }

    /// Counts how a request ended and, when it was answered, its latency in nanoseconds.
    @inline(__always)
    mutating func count(_ outcome: Outcome, latency: Int64, pastWarmup: Bool) {
        let isAnswered = outcome.isAnswered
        let latency = Double(latency)
        interval.count(outcome)
        if isAnswered { interval.latencySum += latency }
        if pastWarmup {
            total.count(outcome)
            if isAnswered { total.latencySum += latency }
        }
    }

    /// Counts a request that got its thread after waiting `waited` nanoseconds (0: at once).
    @inline(__always)
    mutating func start(waited: Int64, pastWarmup: Bool) {
        let wait = Double(waited)
        let didWait: Int64 = waited > 0 ? 1 : 0
        interval.started &+= 1
        interval.waitSum += wait
        interval.waited &+= didWait
        if pastWarmup {
            total.started &+= 1
            total.waitSum += wait
            total.waited &+= didWait
        }
    }

    /// Counts a request that ended on its instance: its outcome, its latency in nanoseconds, and
    /// whether nobody waited for its answer any more.
    @inline(__always)
    mutating func finish(_ outcome: Outcome, latency: Int64, isWasted: Bool, pastWarmup: Bool) {
        let latency = Double(latency)
        let wasted: Int64 = isWasted ? 1 : 0
        interval.count(outcome)
        interval.latencySum += latency
        interval.wasted &+= wasted
        if pastWarmup {
            total.count(outcome)
            total.latencySum += latency
            total.wasted &+= wasted
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
