import SimulationKernel

/// An instance's own CPU work: the stream its base times are drawn from, and how many times its
/// base time a piece of work takes now.
///
/// Garbage collection takes a share of the CPU (from the heap's occupancy, which the heap knows)
/// and warm-up slows work by a factor until an instant (which the lifecycle sets); both arrive as
/// arguments, so the stretch is a function of the instance's state and `now` alone.
public struct ServiceWork: Sendable {
    /// Draws the base times of the instance's CPU work and of its fallback answers.
    public var stream: RandomStream
    /// How many times slower CPU work is while warming up.
    public let warmupSlowdown: Double

    /// Creates the work of one instance of a service.
    ///
    /// - Parameters:
    ///   - name: The instance's name (`cf[2]`), which keys its random stream.
    ///   - spec: The instance's service.
    ///   - seed: The run's seed.
    public init(name: String, spec: ServiceSpec, seed: UInt64) {
        stream = RandomStream(seed: seed, component: name, purpose: "serviceTime")
        warmupSlowdown = spec.lifecycle.warmupSlowdown
    }

    /// How many times its base time CPU work takes when it starts now.
    ///
    /// - Parameters:
    ///   - gcShare: The share of CPU time garbage collection takes, at least 0 and less than 1;
    ///     work takes 1 / (1 − share) times as long.
    ///   - warmUntil: The instant (in nanoseconds) until which the instance warms up.
    ///   - now: The current instant, in nanoseconds.
    /// - Returns: The factor, at least 1.
    @inline(__always)
    public func stretch(gcShare: Double, warmUntil: Int64, at now: Int64) -> Double {
        var stretch = 1.0
        if gcShare > 0 { stretch /= (1 - gcShare) }
        if now < warmUntil { stretch *= warmupSlowdown }
        return stretch
    }
}
