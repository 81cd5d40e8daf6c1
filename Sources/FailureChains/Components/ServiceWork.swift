import SimulationKernel

/// An instance's own CPU work: the stream its base times are drawn from, and how many times its
/// base time a piece of work takes now.
///
/// Garbage collection takes a share of the CPU (from the heap's occupancy, which the heap knows)
/// and warm-up slows work by a factor until an instant (which the lifecycle sets); both arrive as
/// arguments, so the stretch is a function of the instance's state and `now` alone.
///
/// With a `ScalabilitySpec`, work is load dependent: a step started while N of the instance's
/// threads are busy (its own included) takes 1 + σ(N − 1) + κN(N − 1) times as long. N is read once,
/// when the step starts, and the step's length is fixed then: a simplification of processor
/// sharing, under which a step would speed up and slow down as other threads come and go.
public struct ServiceWork: Sendable {
    /// Draws the base times of the instance's CPU work and of its fallback answers.
    public var stream: RandomStream
    /// How many times slower CPU work is while warming up.
    public let warmupSlowdown: Double
    /// How work slows as busy threads rise, or nil when it does not.
    public let scalability: ScalabilitySpec?

    /// Creates the work of one instance of a service.
    ///
    /// - Parameters:
    ///   - name: The instance's name (`cf[2]`), which keys its random stream.
    ///   - spec: The instance's service.
    ///   - seed: The run's seed.
    public init(name: String, spec: ServiceSpec, seed: UInt64) {
        stream = RandomStream(seed: seed, component: name, purpose: "serviceTime")
        warmupSlowdown = spec.lifecycle.warmupSlowdown
        scalability = spec.scalability
    }

    /// Whether the stretch depends on the busy threads, so that the caller must count them.
    @inline(__always)
    public var isLoadDependent: Bool { scalability != nil }

    /// How many times its base time CPU work takes when it starts now.
    ///
    /// - Parameters:
    ///   - gcShare: The share of CPU time garbage collection takes, at least 0 and less than 1;
    ///     work takes 1 / (1 − share) times as long.
    ///   - warmUntil: The instant (in nanoseconds) until which the instance warms up.
    ///   - busyThreads: The instance's busy threads, the one starting the work included; read only
    ///     when `isLoadDependent`.
    ///   - now: The current instant, in nanoseconds.
    /// - Returns: The factor, at least 1.
    @inline(__always)
    public func stretch(gcShare: Double, warmUntil: Int64, busyThreads: Int32 = 1, at now: Int64) -> Double {
        var stretch = 1.0
        if gcShare > 0 { stretch /= (1 - gcShare) }
        if now < warmUntil { stretch *= warmupSlowdown }
        if let scalability { stretch *= scalability.slowdown(busyThreads: max(busyThreads, 1)) }
        return stretch
    }
}
