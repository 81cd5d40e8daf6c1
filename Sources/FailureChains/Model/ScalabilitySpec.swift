/// Work that slows as concurrency rises, by the Universal Scalability Law (Gunther).
///
/// With N threads busy on an instance, the instance completes X(N) = N / (1 + σ(N − 1) + κN(N − 1))
/// times the work one thread alone completes, so each piece of work takes 1 + σ(N − 1) + κN(N − 1)
/// times its base time. Contention σ is the share of the work that is serialised (a lock, a
/// single queue); coherency κ the cost of keeping each pair of threads in step (shared caches,
/// crosstalk). With κ > 0 throughput peaks at N* = √((1 − σ) / κ) and falls beyond it: more
/// threads then do less.
public struct ScalabilitySpec: Sendable, Equatable {
    /// Contention σ, at least 0 and at most 1.
    public var contention: Double
    /// Coherency κ, at least 0 and at most 1.
    public var coherency: Double

    /// Creates a law; both coefficients 0 is work that does not slow with load.
    public init(contention: Double = 0, coherency: Double = 0) {
        self.contention = contention
        self.coherency = coherency
    }

    /// How many times its base time work takes with `busyThreads` threads busy: 1 + σ(N − 1) + κN(N − 1).
    ///
    /// - Parameter busyThreads: N, at least 1.
    /// - Returns: The factor, at least 1.
    @inline(__always)
    public func slowdown(busyThreads: Int32) -> Double {
        let n = Double(busyThreads)
        return 1 + contention * (n - 1) + coherency * n * (n - 1)
    }

    /// The relative throughput X(N) / X(1) with N threads busy: N / slowdown(N).
    public func throughput(busyThreads: Int32) -> Double {
        Double(busyThreads) / slowdown(busyThreads: busyThreads)
    }

    /// The concurrency at which throughput peaks, √((1 − σ) / κ), or nil without coherency
    /// (throughput then rises with every thread, towards 1 / σ).
    public var peakConcurrency: Double? {
        coherency > 0 ? ((1 - contention) / coherency).squareRoot() : nil
    }
}
