import SimulationKernel

/// A fault scheduled in a model: the trigger of a failure chain. Nothing else is scripted.
public struct FaultSpec: Sendable, Equatable {
    /// What goes wrong.
    public enum Kind: Sendable, Equatable {
        /// An endpoint answers `factor` times slower; on a service or an instance, its CPU work
        /// takes `factor` times as long.
        case slow(factor: Double)
        /// An endpoint answers with latencies drawn from another distribution.
        case latency(Distribution)
        /// An endpoint accepts connections and never answers; on a service or an instance, a CPU
        /// step that starts while the fault is in effect holds its thread until the fault ends.
        case hang
        /// An endpoint refuses connections at once.
        case refuse
        /// An endpoint answers with errors, at once or after its usual latency; on a service or an
        /// instance, a CPU step fails (with the fault's `probability`), at once or after its work.
        case error(afterLatency: Bool)
        /// An endpoint drops packets: a new connection hangs until its connect timeout, an open one until its read timeout.
        case blackhole
        /// An endpoint fails over: every open connection to it is left half-dead, and its next
        /// use fails after `staleDelay`. New connections are healthy.
        case failover(staleDelay: Interval)
        /// An instance crashes.
        case crash
        /// An instance or every instance of a service leaks memory, per request and per second.
        case leak(perRequest: Int64, perSecond: Int64)
        /// A traffic source sends `factor` times its rate.
        case spike(factor: Double)
        /// The autoscaler of a service sees `factor` times the farm's real utilisation (0: an idle
        /// farm), as one that reads a wrong metric or partial data does.
        case misread(factor: Double)
        /// Every cache of an instance, or of every instance of a service, is emptied.
        case flush
    }

    /// How long the use of a half-dead connection takes to fail after a failover, when a model does not say.
    public static let defaultStaleDelay = Interval.seconds(2)

    /// What the fault hits: an endpoint, a service, an instance (`cf[2]`) or a traffic source.
    public var target: String
    /// When it starts.
    public var start: Interval
    /// How long it lasts; nil means until the end of the run. Crashes and failovers are instants.
    public var duration: Interval?
    /// What goes wrong.
    public var kind: Kind
    /// For an `error` fault on a service or an instance: the share of CPU steps that fail,
    /// greater than 0 and at most 1. Every other fault hits everything it can.
    public var probability: Double = 1

    /// Creates a fault.
    public init(target: String, start: Interval, duration: Interval? = nil, kind: Kind) {
        self.target = target
        self.start = start
        self.duration = duration
        self.kind = kind
    }

    /// The fault's kind as a word, for `events.csv`.
    public var kindName: String {
        switch kind {
        case .slow: "slow"
        case .latency: "latency"
        case .hang: "hang"
        case .refuse: "refuse"
        case .error: "error"
        case .blackhole: "blackhole"
        case .failover: "failover"
        case .crash: "crash"
        case .leak: "leak"
        case .spike: "spike"
        case .misread: "misread"
        case .flush: "flush"
        }
    }
}
