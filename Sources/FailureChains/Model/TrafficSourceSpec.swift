import SimulationKernel

/// How a rate changes over the run: points in time, each holding its rate until the next point
/// (a step) or reached by a straight line from the previous point (a ramp).
public struct RateProfile: Sendable, Equatable {
    /// How the rate gets to a point's value.
    public enum Shape: String, Sendable, Equatable, CaseIterable {
        /// The rate jumps to the point's value at the point's time.
        case step
        /// The rate moves in a straight line from the previous point's value to this one.
        case ramp
    }

    /// One point of the profile.
    public struct Point: Sendable, Equatable {
        /// When the point is reached.
        public var time: Interval
        /// The rate then, in requests per second.
        public var rate: Double
        /// How the rate gets there.
        public var shape: Shape

        /// Creates a point.
        public init(time: Interval, rate: Double, shape: Shape = .step) {
            self.time = time
            self.rate = rate
            self.shape = shape
        }
    }

    /// The points, strictly increasing in time, the first at zero. After the last the rate holds.
    public var points: [Point]

    /// Creates a profile from points.
    public init(points: [Point]) {
        self.points = points
    }

    /// A constant rate.
    public static func constant(_ rate: Double) -> RateProfile {
        RateProfile(points: [Point(time: .zero, rate: rate)])
    }

    /// A daily curve: the rate follows a cosine between `trough` and `peak` with a period of 24 h,
    /// highest at `peakAt` (time of day from the start of the run), as ramps between 96 points a day.
    ///
    /// - Parameters:
    ///   - trough: The lowest rate, per second.
    ///   - peak: The highest rate, per second.
    ///   - peakAt: The time of day of the peak.
    ///   - days: How many days of points to make.
    public static func daily(trough: Double, peak: Double, peakAt: Interval, days: Int) -> RateProfile {
        let day = Interval.seconds(86_400).nanoseconds
        let steps = 96
        var points: [Point] = []
        for index in 0...(steps * max(days, 1)) {
            // A day is a whole number of 15-minute steps, so this is exact and, unlike
            // index · day / steps, stays far from overflow for any number of days.
            let time = Int64(index) * (day / Int64(steps))
            let phase = Double((time - peakAt.nanoseconds) % day) / Double(day)
            let level = (1 + Trigonometry.cosineOfTurns(phase)) / 2
            points.append(Point(time: Interval(nanoseconds: time), rate: trough + (peak - trough) * level,
                                shape: index == 0 ? .step : .ramp))
        }
        return RateProfile(points: points)
    }

    /// The rate at a time, in requests per second.
    public func rate(at time: Interval) -> Double {
        var index = 0
        return rate(at: time, cursor: &index)
    }

    /// The rate at a time, for a caller that asks at times that never decrease: `index` keeps
    /// the point where the last search ended (start it at 0), so that a walk over every point
    /// costs O(points), not O(points²).
    public func rate(at time: Interval, cursor index: inout Int) -> Double {
        while index + 1 < points.count && points[index + 1].time <= time { index += 1 }
        guard index + 1 < points.count, points[index + 1].shape == .ramp else { return points[index].rate }
        let from = points[index], to = points[index + 1]
        let fraction = Double(time.nanoseconds - from.time.nanoseconds) / Double(to.time.nanoseconds - from.time.nanoseconds)
        return from.rate + (to.rate - from.rate) * fraction
    }
}

/// How the clients of a traffic source or user population behave.
public struct ClientBehaviour: Sendable, Equatable {
    /// The user gives up on a request not answered within this time (the server works on);
    /// nil waits for ever.
    public var clientTimeout: Interval?
    /// The user sends the same request again when no answer has come after this time.
    public var reloadAfter: Interval?
    /// The most requests one reloading user sends for one thing, the first included.
    public var maximumAttempts: Int
    /// Whether the client keeps the session cookie; a client that does not (a bot) starts a new
    /// session with every request, and the balancer cannot keep it on one instance.
    public var keepsCookies: Bool
    /// The client tries a request again after an answer that is an error (or its own timeout),
    /// with a dependency's retry policy: attempts, backoff, jitter, `retryOn` and a budget shared
    /// by the source's (or population's) clients; nil never retries.
    public var retry: RetryPolicy?

    /// Creates a behaviour; by default a patient client with cookies that never reloads or retries.
    public init(clientTimeout: Interval? = nil, reloadAfter: Interval? = nil, maximumAttempts: Int = 1, keepsCookies: Bool = true,
                retry: RetryPolicy? = nil) {
        self.clientTimeout = clientTimeout
        self.reloadAfter = reloadAfter
        self.maximumAttempts = maximumAttempts
        self.keepsCookies = keepsCookies
        self.retry = retry
    }

    /// Whether every request can be sent and forgotten: no timeout, no reload, no retry.
    public var isFireAndForget: Bool { clientTimeout == nil && reloadAfter == nil && retry == nil }
}

/// An open source of traffic: visits arrive at a rate, whatever happens to earlier ones.
///
/// A visit is one request, or a session of several separated by think times.
public struct TrafficSourceSpec: Sendable, Equatable {
    /// How inter-arrival times are drawn.
    public enum ArrivalProcess: String, Sendable, Equatable, CaseIterable {
        /// A (possibly non-homogeneous) Poisson process.
        case poisson
        /// Evenly spaced arrivals, 1/rate apart, the spacing restarting at each change of rate.
        case deterministic
    }

    /// The source's name.
    public var name: String
    /// The name of the service it sends requests to.
    public var target: String
    /// The entry point of the target it calls; nil means the first.
    public var entryPoint: String?
    /// The arrival process.
    public var arrivals: ArrivalProcess
    /// The rate of visits over time, per second.
    public var profile: RateProfile
    /// Requests per visit, each after a think time; 1 for single requests.
    public var requestsPerVisit: Int
    /// Think time between the requests of a visit, in seconds.
    public var thinkTime: Distribution
    /// How the clients behave.
    public var behaviour: ClientBehaviour

    /// Creates a source.
    public init(name: String, target: String, entryPoint: String? = nil, arrivals: ArrivalProcess = .poisson, profile: RateProfile,
                requestsPerVisit: Int = 1, thinkTime: Distribution = .constant(0), behaviour: ClientBehaviour = ClientBehaviour()) {
        self.name = name
        self.target = target
        self.entryPoint = entryPoint
        self.arrivals = arrivals
        self.profile = profile
        self.requestsPerVisit = requestsPerVisit
        self.thinkTime = thinkTime
        self.behaviour = behaviour
    }

    /// Creates a source of single requests at a constant rate, in requests per second.
    public init(name: String, target: String, arrivals: ArrivalProcess = .poisson, rate: Double) {
        self.init(name: name, target: target, arrivals: arrivals, profile: .constant(rate))
    }
}

/// A closed population: a fixed number of users, each sending one request, waiting for its
/// answer (or giving up), thinking, and sending the next.
public struct UserPopulationSpec: Sendable, Equatable {
    /// The population's name.
    public var name: String
    /// The name of the service the users call.
    public var target: String
    /// The entry point of the target they call; nil means the first.
    public var entryPoint: String?
    /// How many users there are.
    public var size: Int
    /// How long a user thinks between an answer and the next request, in seconds.
    public var thinkTime: Distribution
    /// Requests per session: after this many a user's session ends and the next request starts
    /// a new one; nil keeps one session for the whole run.
    public var requestsPerSession: Int?
    /// How the users behave.
    public var behaviour: ClientBehaviour

    /// Creates a population.
    public init(name: String, target: String, entryPoint: String? = nil, size: Int, thinkTime: Distribution,
                requestsPerSession: Int? = nil, behaviour: ClientBehaviour = ClientBehaviour()) {
        self.name = name
        self.target = target
        self.entryPoint = entryPoint
        self.size = size
        self.thinkTime = thinkTime
        self.requestsPerSession = requestsPerSession
        self.behaviour = behaviour
    }
}
