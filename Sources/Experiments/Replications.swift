import Dispatch
import FailureChains
import SimulationKernel

/// Independent replications of one model, run in parallel, with results independent of the
/// number of threads.
public enum Replications {
    /// The seed of one replication: FNV-1a-64 over (base seed, "replication", point, replication).
    ///
    /// It depends only on these three numbers, never on how the work is split across threads,
    /// shards or machines.
    public static func seed(base: UInt64, point: Int = 0, replication: Int) -> UInt64 {
        var hash = FNV1a64()
        hash.combine(littleEndian: base)
        hash.combine("replication")
        hash.combine(littleEndian: UInt64(point))
        hash.combine(littleEndian: UInt64(replication))
        return hash.value
    }

    /// Runs `count` replications of a model, each with its own derived seed, and returns their
    /// results in replication order.
    ///
    /// - Parameters:
    ///   - model: The model; its `run.seed` is the base seed.
    ///   - count: How many replications.
    ///   - point: The sweep point these replications belong to (0 outside sweeps).
    public static func run(_ model: SystemModel, count: Int, point: Int = 0) -> [RunResult] {
        let results = ResultSlots(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { replication in
            var variant = model
            variant.run.seed = seed(base: model.run.seed, point: point, replication: replication)
            let result = ChainSimulation(model: variant, sink: DiscardingSink()).run()
            results.store(result, at: replication)
        }
        return results.values
    }
}

/// Slots that parallel workers fill by index.
private final class ResultSlots: @unchecked Sendable {
    private var slots: [RunResult?]
    private let lock = SerialLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ result: RunResult, at index: Int) {
        lock.withLock { slots[index] = result }
    }

    var values: [RunResult] { lock.withLock { slots.map { $0! } } }
}

/// A minimal lock over a semaphore.
private final class SerialLock: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 1)

    func withLock<T>(_ body: () -> T) -> T {
        semaphore.wait()
        defer { semaphore.signal() }
        return body()
    }
}
