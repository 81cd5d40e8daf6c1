/// Admission control at an entry point: a token bucket and a concurrency limit, each kept per key
/// (one key for all callers, or one per traffic source, user population and calling service).
///
/// The bucket is kept in integer nanoseconds, as the generic cell rate algorithm (ITU-T I.371)
/// keeps it, so that it is exact: a token every `tokenInterval` ns (1/rate, rounded to the nearest
/// nanosecond, at least 1), at most `burst` tokens. Each key keeps the time at which its bucket
/// would be full again if nothing more came (`fullAt`); a request at `now` finds
/// `burst − ⌈(fullAt − now) / tokenInterval⌉` tokens, and is admitted, taking one, when
/// `fullAt − now ≤ (burst − 1) · tokenInterval`; then `fullAt = max(fullAt, now) + tokenInterval`.
/// A bucket starts full.
///
/// The concurrency limit counts requests admitted and not yet answered: `admit` takes a place,
/// `leave` gives it back (when the request is answered, or at once if no instance took it).
public struct Admission: Sendable {
    /// What admission decided for one request.
    public enum Decision: Sendable, Equatable {
        /// Admitted: it took a token (with a rate limit) and a place (with a concurrency limit).
        case admitted
        /// Refused: the bucket was empty.
        case rateLimited
        /// Refused: as many requests as the limit allows were admitted and not yet answered.
        case concurrencyLimited
    }

    /// Nanoseconds between two tokens, or 0 for no rate limit.
    public let tokenInterval: Int64
    /// The bucket's size in tokens.
    public let burst: Int64
    /// The concurrency limit, or nil for none.
    public let concurrencyLimit: Int32?
    /// Whether each source has its own key.
    public let isPerSource: Bool
    /// When each key's bucket is full again, in nanoseconds.
    private var fullAt: [Int64]
    /// Requests of each key admitted and not yet answered.
    public private(set) var inFlight: [Int32]

    /// Creates admission control with full buckets and nothing in flight.
    ///
    /// - Parameters:
    ///   - spec: The limits.
    ///   - keys: How many keys: 1, or one per source, population and calling service with `perSource`.
    public init(spec: AdmissionSpec, keys: Int) {
        tokenInterval = spec.rate.map { Self.tokenInterval(rate: $0) } ?? 0
        burst = Int64(max(1, spec.burst))
        concurrencyLimit = spec.concurrency.map { Int32(clamping: $0) }
        isPerSource = spec.perSource
        fullAt = Array(repeating: Int64.min, count: max(1, keys))
        inFlight = Array(repeating: 0, count: max(1, keys))
    }

    /// Nanoseconds between two tokens at a rate per second: 1/rate rounded to the nearest
    /// nanosecond, and at least 1.
    public static func tokenInterval(rate: Double) -> Int64 {
        let nanoseconds = (1e9 / rate).rounded()
        guard nanoseconds.isFinite, nanoseconds < 9e18 else { return Int64.max / 4 }
        return max(1, Int64(nanoseconds))
    }

    /// Decides for a request of `key` arriving at `now`; an admitted request takes a token and a place.
    public mutating func admit(key: Int, at now: Int64) -> Decision {
        if tokenInterval > 0 {
            let tolerance = (burst - 1) * tokenInterval
            let full = fullAt[key]
            if full != Int64.min && full - now > tolerance { return .rateLimited }
            if let limit = concurrencyLimit, inFlight[key] >= limit { return .concurrencyLimited }
            fullAt[key] = (full == Int64.min || full < now ? now : full) + tokenInterval
        } else if let limit = concurrencyLimit, inFlight[key] >= limit {
            return .concurrencyLimited
        }
        inFlight[key] += 1
        return .admitted
    }

    /// An admitted request of `key` was answered (or no instance took it): its place is free.
    public mutating func leave(key: Int) {
        inFlight[key] -= 1
    }

    /// The tokens in `key`'s bucket at `now`: `burst` when full; nil without a rate limit.
    public func tokens(key: Int, at now: Int64) -> Int64? {
        guard tokenInterval > 0 else { return nil }
        let full = fullAt[key]
        guard full != Int64.min, full > now else { return burst }
        // Tokens missing: ⌈(fullAt − now) / tokenInterval⌉.
        let missing = (full - now + tokenInterval - 1) / tokenInterval
        return max(0, burst - missing)
    }
}
