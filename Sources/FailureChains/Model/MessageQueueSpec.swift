import SimulationKernel

/// A message queue between services (decoupling middleware): producers reach it through a
/// dependency that names it (`messageQueue`), and the threads of one entry point of a consuming
/// service take its messages, one a thread, oldest first.
///
/// A producer's call returns once its message is enqueued (after `enqueueLatency`), so the
/// consumer's slowness shows as depth, not as the producer's latency.
public struct MessageQueueSpec: Sendable, Equatable {
    /// What a producer gets when the queue holds `capacity` messages.
    public enum FullPolicy: String, Sendable, Equatable, CaseIterable {
        /// The new message is refused: the producer's call fails at once (`refused`).
        case reject
        /// The oldest waiting message is dropped (counted) to make room for the new one.
        case dropOldest
        /// The producer's thread waits for room, first come first served, up to `blockTimeout`;
        /// then its call times out.
        case block
    }

    /// The queue's name, unique among the model's components.
    public var name: String
    /// The most messages waiting at once (in-flight messages, taken by a consumer, do not count).
    public var capacity: Int
    /// What a producer gets when the queue is full.
    public var whenFull: FullPolicy
    /// With `block`, how long a producer waits for room; nil waits as long as it takes.
    public var blockTimeout: Interval?
    /// How long a message may wait: one whose age reaches it is not delivered but expires
    /// (a dead letter); nil keeps messages until they are taken.
    public var timeToLive: Interval?
    /// How many times a message is handed to a consumer: a message whose consumer fails (its
    /// request ends other than in success, or its instance crashes) goes back to the head of the
    /// queue until it has been delivered this many times, then it is dead-lettered. 1 dead-letters
    /// at the first failure.
    public var maximumDeliveries: Int
    /// The time a producer's call takes to enqueue a message, before its thread goes on.
    public var enqueueLatency: Interval
    /// The consuming service.
    public var consumer: String
    /// The consuming service's entry point whose threads take the messages; nil for its first.
    public var entryPoint: String?

    /// The default of `maximumDeliveries`: a failed message is dead-lettered at once.
    public static let defaultMaximumDeliveries = 1

    /// Creates a message queue.
    public init(name: String, capacity: Int, whenFull: FullPolicy = .reject, blockTimeout: Interval? = nil,
                timeToLive: Interval? = nil, maximumDeliveries: Int = defaultMaximumDeliveries, enqueueLatency: Interval = .zero,
                consumer: String, entryPoint: String? = nil) {
        self.name = name
        self.capacity = capacity
        self.whenFull = whenFull
        self.blockTimeout = blockTimeout
        self.timeToLive = timeToLive
        self.maximumDeliveries = maximumDeliveries
        self.enqueueLatency = enqueueLatency
        self.consumer = consumer
        self.entryPoint = entryPoint
    }
}
