import SimulationKernel

/// An open source of traffic: requests arrive at a rate, whatever happens to earlier ones.
public struct TrafficSourceSpec: Sendable, Equatable {
    /// How inter-arrival times are drawn.
    public enum ArrivalProcess: String, Sendable, Equatable, CaseIterable {
        /// Exponential inter-arrival times: a Poisson process.
        case poisson
        /// Evenly spaced arrivals, exactly 1/rate apart.
        case deterministic
    }

    /// One step of a rate profile: from `start` on, requests arrive at `rate` per second.
    public struct RateStep: Sendable, Equatable {
        /// When this rate takes effect.
        public var start: Interval
        /// Requests per second from `start` until the next step.
        public var rate: Double

        /// Creates a step.
        public init(start: Interval, rate: Double) {
            self.start = start
            self.rate = rate
        }
    }

    /// The source's name.
    public var name: String
    /// The name of the service it sends requests to.
    public var target: String
    /// The arrival process.
    public var arrivals: ArrivalProcess
    /// The rate profile: steps sorted by start, the first starting at zero.
    public var steps: [RateStep]

    /// Creates a source with a rate profile.
    public init(name: String, target: String, arrivals: ArrivalProcess, steps: [RateStep]) {
        self.name = name
        self.target = target
        self.arrivals = arrivals
        self.steps = steps
    }

    /// Creates a source with a constant rate, in requests per second.
    public init(name: String, target: String, arrivals: ArrivalProcess = .poisson, rate: Double) {
        self.init(name: name, target: target, arrivals: arrivals, steps: [RateStep(start: .zero, rate: rate)])
    }
}

/// A closed population: a fixed number of users, each sending one request, waiting for its
/// answer (or refusal), thinking, and sending the next.
public struct UserPopulationSpec: Sendable, Equatable {
    /// The population's name.
    public var name: String
    /// The name of the service the users call.
    public var target: String
    /// How many users there are.
    public var size: Int
    /// How long a user thinks between an answer and the next request, in seconds.
    public var thinkTime: Distribution

    /// Creates a population.
    public init(name: String, target: String, size: Int, thinkTime: Distribution) {
        self.name = name
        self.target = target
        self.size = size
        self.thinkTime = thinkTime
    }
}
