import SimulationKernel

/// A service: a farm of identical instances behind a round-robin load balancer.
///
/// Each instance has a pool of worker threads and a FIFO queue of requests waiting for a thread.
/// A request that finds the queue full is refused at once and counted.
public struct ServiceSpec: Sendable, Equatable {
    /// The service's name; instances are named `name[0]`, `name[1]`, ...
    public var name: String
    /// How many instances the farm has.
    public var instances: Int
    /// Worker threads per instance.
    public var threads: Int
    /// How many requests may wait for a thread per instance; nil means unbounded.
    public var queueCapacity: Int?
    /// The time a request holds its thread, in seconds.
    public var serviceTime: Distribution

    /// Creates a service.
    public init(name: String, instances: Int, threads: Int, queueCapacity: Int?, serviceTime: Distribution) {
        self.name = name
        self.instances = instances
        self.threads = threads
        self.queueCapacity = queueCapacity
        self.serviceTime = serviceTime
    }

    /// The stable name of one instance: `web[2]`.
    public func instanceName(_ index: Int) -> String { "\(name)[\(index)]" }
}
