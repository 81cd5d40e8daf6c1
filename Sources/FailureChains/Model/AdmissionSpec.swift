/// Admission control at an entry point of a service: a rate limit (a token bucket) and a limit on
/// the requests admitted and not yet answered, for the service as a whole, before its balancer
/// picks an instance (an edge limiter, an API gateway). A request over either limit is refused at
/// once, without work.
public struct AdmissionSpec: Sendable, Equatable {
    /// Requests admitted per second in the long run (the bucket's refill rate), or nil for no rate limit.
    public var rate: Double?
    /// How many requests the bucket lets through at once after a quiet spell: its size in tokens.
    public var burst: Int
    /// Requests admitted and not yet answered (queued or at work on an instance), or nil for no limit.
    public var concurrency: Int?
    /// Whether each traffic source, user population and calling service has a bucket and a
    /// concurrency count of its own (both limits per source), rather than all sharing one.
    public var perSource: Bool

    /// Creates admission control; the burst defaults to one second of the rate, rounded up.
    public init(rate: Double? = nil, burst: Int? = nil, concurrency: Int? = nil, perSource: Bool = false) {
        self.rate = rate
        self.burst = burst ?? Self.defaultBurst(rate: rate)
        self.concurrency = concurrency
        self.perSource = perSource
    }

    /// One second of the rate, rounded up, and at least 1.
    public static func defaultBurst(rate: Double?) -> Int {
        guard let rate, rate.isFinite, rate > 1 else { return 1 }
        return Int(min(rate, 1e9).rounded(.up))
    }
}
