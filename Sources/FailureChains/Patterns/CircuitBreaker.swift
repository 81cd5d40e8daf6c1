import SimulationKernel

/// How a circuit breaker decides, as a model states it.
public struct CircuitBreakerSpec: Sendable, Equatable {
    /// The two published families of breakers.
    public enum Kind: Sendable, Equatable {
        /// Nygard's breaker (as pybreaker and Polly v7 implement it): it opens when `failureThreshold`
        /// calls in a row have failed, and lets one trial call through at or after `resetTimeout`.
        case consecutive(failureThreshold: Int, resetTimeout: Interval)
        /// resilience4j's breaker: failure and slow-call rates over a sliding window.
        case rate(RateBreakerSpec)
    }

    /// What a call rejected by an open breaker returns.
    public enum Fallback: Sendable, Equatable {
        /// An error, at once.
        case error
        /// A fallback answer (a cached value, a default) that costs this much CPU time, in seconds.
        case answer(cost: Distribution)
    }

    /// The decision rule.
    public var kind: Kind
    /// What a rejected call returns.
    public var fallback: Fallback

    /// Creates a breaker spec.
    public init(kind: Kind, fallback: Fallback = .error) {
        self.kind = kind
        self.fallback = fallback
    }
}

/// resilience4j's rate-based breaker parameters, with its defaults.
public struct RateBreakerSpec: Sendable, Equatable {
    /// How the sliding window counts.
    public enum Window: Sendable, Equatable {
        /// The last `calls` outcomes.
        case count(calls: Int)
        /// The outcomes of the last `seconds` whole seconds of simulated time.
        case time(seconds: Int)
    }

    public var window: Window
    /// No decision before this many calls are in the window (for a count window, at most its size).
    public var minimumCalls: Int
    /// Opens when the failure rate, in percent, is at least this.
    public var failureRateThreshold: Double
    /// Opens when the slow-call rate, in percent, is at least this.
    public var slowCallRateThreshold: Double
    /// A call taking longer than this (strictly) is slow, failed or not.
    public var slowCallDuration: Interval
    /// How long the breaker stays open; the first call strictly after it is admitted.
    public var waitInOpen: Interval
    /// How many trial calls half-open admits.
    public var permittedCallsInHalfOpen: Int

    /// Creates a rate breaker spec; the defaults are resilience4j's.
    public init(window: Window = .count(calls: 100), minimumCalls: Int = 100, failureRateThreshold: Double = 50,
                slowCallRateThreshold: Double = 100, slowCallDuration: Interval = .seconds(60), waitInOpen: Interval = .seconds(60),
                permittedCallsInHalfOpen: Int = 10) {
        self.window = window
        self.minimumCalls = minimumCalls
        self.failureRateThreshold = failureRateThreshold
        self.slowCallRateThreshold = slowCallRateThreshold
        self.slowCallDuration = slowCallDuration
        self.waitInOpen = waitInOpen
        self.permittedCallsInHalfOpen = permittedCallsInHalfOpen
    }
}

/// A circuit breaker's state machine, with time given by the caller.
///
/// Calls ask `permit(at:)` before they run and report with `record(_:permit:duration:at:)` when
/// they end (a timeout is recorded when it fires). Every transition starts a new epoch; an outcome
/// whose permit came from an earlier epoch is not recorded, so calls admitted before the breaker
/// opened cannot close it or open it again (pybreaker serialises calls, so it never meets them;
/// resilience4j records them into metrics that the next transition discards).
public struct CircuitBreaker: Sendable {
    /// The three states.
    public enum State: String, Sendable, Equatable {
        case closed, open, halfOpen
    }

    /// A call's outcome, as the breaker counts it.
    public enum Result: Sendable, Equatable {
        case success
        case failure
    }

    /// What `permit` hands a call: whether it may run, and the epoch to report back.
    public struct Permit: Sendable, Equatable {
        public var isGranted: Bool
        public var epoch: UInt32
    }

    public let spec: CircuitBreakerSpec
    public private(set) var state = State.closed
    /// When the breaker last opened.
    public private(set) var openedAt = Instant.zero
    private(set) var epoch: UInt32 = 0
    /// Consecutive failures (consecutive kind).
    private(set) var consecutiveFailures = 0
    /// Whether the half-open trial (consecutive kind) is out.
    private var isTrialOut = false
    /// Half-open permits left (rate kind).
    private var permitsLeft = 0
    /// Outcomes in the window (rate kind): (failed, slow) for a count window; per-second buckets for a time window.
    private var ring: [(failed: Bool, slow: Bool)] = []
    private var ringNext = 0
    private var buckets: [(second: Int64, calls: Int, failures: Int, slow: Int)] = []

    /// Creates a closed breaker.
    public init(spec: CircuitBreakerSpec) {
        self.spec = spec
    }

    /// Asks whether a call may run now; an open breaker whose wait is over turns half-open here.
    ///
    /// - Returns: The permit, granted or not; report its epoch with the outcome.
    public mutating func permit(at now: Instant) -> Permit {
        switch state {
        case .closed:
            return Permit(isGranted: true, epoch: epoch)
        case .open:
            switch spec.kind {
            case .consecutive(_, let resetTimeout):
                guard now >= openedAt + resetTimeout else { return Permit(isGranted: false, epoch: epoch) }
                transition(to: .halfOpen)
                isTrialOut = true
                return Permit(isGranted: true, epoch: epoch)
            case .rate(let rate):
                guard now > openedAt + rate.waitInOpen else { return Permit(isGranted: false, epoch: epoch) }
                transition(to: .halfOpen)
                permitsLeft = rate.permittedCallsInHalfOpen - 1
                return Permit(isGranted: true, epoch: epoch)
            }
        case .halfOpen:
            switch spec.kind {
            case .consecutive:
                if isTrialOut { return Permit(isGranted: false, epoch: epoch) }
                isTrialOut = true
                return Permit(isGranted: true, epoch: epoch)
            case .rate:
                guard permitsLeft > 0 else { return Permit(isGranted: false, epoch: epoch) }
                permitsLeft -= 1
                return Permit(isGranted: true, epoch: epoch)
            }
        }
    }

    /// Hands back a granted permit whose call will never report an outcome (it was stopped before
    /// it ran, or lost in a crash), so that a half-open breaker is not left waiting for it for ever
    /// (resilience4j's `releasePermission`).
    public mutating func release(_ permit: Permit) {
        guard permit.isGranted, permit.epoch == epoch, state == .halfOpen else { return }
        switch spec.kind {
        case .consecutive: isTrialOut = false
        case .rate: permitsLeft += 1
        }
    }

    /// Whether a call asking now would be rejected, without asking (and so without moving an open
    /// breaker whose wait is over to half-open). Fail fast uses it to refuse work up front.
    public func wouldReject(at now: Instant) -> Bool {
        switch (state, spec.kind) {
        case (.closed, _): return false
        case (.open, .consecutive(_, let resetTimeout)): return now < openedAt + resetTimeout
        case (.open, .rate(let rate)): return now <= openedAt + rate.waitInOpen
        case (.halfOpen, .consecutive): return isTrialOut
        case (.halfOpen, .rate): return permitsLeft <= 0
        }
    }

    /// Records the outcome of a call that ran under `permit`.
    ///
    /// - Parameters:
    ///   - result: Success or failure (a timeout is a failure).
    ///   - permit: The permit the call ran under.
    ///   - duration: How long the call took, for the slow-call rate.
    ///   - now: When the outcome is recorded: the trip and the reopening are stamped with it.
    /// - Returns: The new state when the outcome caused a transition.
    @discardableResult
    public mutating func record(_ result: Result, permit: Permit, duration: Interval, at now: Instant) -> State? {
        guard permit.isGranted, permit.epoch == epoch else { return nil }
        switch spec.kind {
        case .consecutive(let threshold, _):
            switch (state, result) {
            case (.closed, .success):
                consecutiveFailures = 0
            case (.closed, .failure):
                consecutiveFailures += 1
                if consecutiveFailures >= threshold { return open(at: now) }
            case (.halfOpen, .success):
                consecutiveFailures = 0
                transition(to: .closed)
                return .closed
            case (.halfOpen, .failure):
                return open(at: now)
            case (.open, _):
                break
            }
            return nil
        case .rate(let rate):
            let isSlow = duration > rate.slowCallDuration
            let isFailure = result == .failure
            switch state {
            case .closed:
                add(failed: isFailure, slow: isSlow, at: now, window: rate.window)
                let (calls, failures, slow) = windowCounts(at: now, window: rate.window)
                let minimum: Int
                if case .count(let size) = rate.window { minimum = min(rate.minimumCalls, size) } else { minimum = rate.minimumCalls }
                if calls >= minimum && exceeds(calls: calls, failures: failures, slow: slow, rate) { return open(at: now) }
            case .halfOpen:
                add(failed: isFailure, slow: isSlow, at: now, window: .count(calls: rate.permittedCallsInHalfOpen))
                let (calls, failures, slow) = windowCounts(at: now, window: .count(calls: rate.permittedCallsInHalfOpen))
                if calls >= min(rate.minimumCalls, rate.permittedCallsInHalfOpen) {
                    if exceeds(calls: calls, failures: failures, slow: slow, rate) { return open(at: now) }
                    transition(to: .closed)
                    return .closed
                }
            case .open:
                break
            }
            return nil
        }
    }

    private func exceeds(calls: Int, failures: Int, slow: Int, _ rate: RateBreakerSpec) -> Bool {
        let failureRate = 100 * Double(failures) / Double(calls)
        let slowRate = 100 * Double(slow) / Double(calls)
        return failureRate >= rate.failureRateThreshold || slowRate >= rate.slowCallRateThreshold
    }

    private mutating func open(at now: Instant) -> State {
        transition(to: .open)
        openedAt = now
        return .open
    }

    private mutating func transition(to newState: State) {
        state = newState
        epoch &+= 1
        isTrialOut = false
        ring.removeAll(keepingCapacity: true)
        ringNext = 0
        buckets.removeAll(keepingCapacity: true)
    }

    private mutating func add(failed: Bool, slow: Bool, at now: Instant, window: RateBreakerSpec.Window) {
        switch window {
        case .count(let size):
            if ring.count < size {
                ring.append((failed, slow))
            } else {
                ring[ringNext] = (failed, slow)
                ringNext = (ringNext + 1) % size
            }
        case .time:
            let second = now.nanoseconds / Interval.nanosecondsPerSecond
            if let last = buckets.last, last.second == second {
                buckets[buckets.count - 1].calls += 1
                buckets[buckets.count - 1].failures += failed ? 1 : 0
                buckets[buckets.count - 1].slow += slow ? 1 : 0
            } else {
                buckets.append((second, 1, failed ? 1 : 0, slow ? 1 : 0))
            }
        }
    }

    private mutating func windowCounts(at now: Instant, window: RateBreakerSpec.Window) -> (calls: Int, failures: Int, slow: Int) {
        switch window {
        case .count:
            return (ring.count, ring.filter(\.failed).count, ring.filter(\.slow).count)
        case .time(let seconds):
            let current = now.nanoseconds / Interval.nanosecondsPerSecond
            buckets.removeAll { $0.second <= current - Int64(seconds) }
            return buckets.reduce((0, 0, 0)) { ($0.0 + $1.calls, $0.1 + $1.failures, $0.2 + $1.slow) }
        }
    }
}
