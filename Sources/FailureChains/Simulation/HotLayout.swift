/// The memory layout the hot path relies on, for `LayoutTests`: the per-instance records whose
/// hot fields come first, padded to whole 64-byte cache lines (every `Table` starts on a line).
///
/// With thousands of instances each record is out of the caches between two of its requests, so
/// each further line a request touches is a miss; a field added to one of these records must
/// keep its padding right (the test says which stride moved).
package enum HotLayout {
    /// An instance: its stride, and where its counters, interval histogram, lifecycle and work start.
    package static var instanceStride: Int { MemoryLayout<InstanceRuntime>.stride }
    package static var instanceCounters: Int { MemoryLayout<InstanceRuntime>.offset(of: \.counters)! }
    package static var instanceLatency: Int { MemoryLayout<InstanceRuntime>.offset(of: \.intervalLatency)! }
    package static var instanceLifecycle: Int { MemoryLayout<InstanceRuntime>.offset(of: \.lifecycle)! }
    package static var instanceWork: Int { MemoryLayout<InstanceRuntime>.offset(of: \.work)! }
    /// A counter pair, where the counts of a request's end start (those of an arrival start it),
    /// and where its other counters start.
    package static var counterPairStride: Int { MemoryLayout<CounterPair>.stride }
    package static var counterEndStage: Int { CounterPair.endStageOffset }
    package static var counterOthers: Int { CounterPair.othersOffset }
    /// A thread pool, and where its time integrals start.
    package static var threadPoolStride: Int { MemoryLayout<ThreadPool>.stride }
    package static var threadPoolQueueArea: Int { MemoryLayout<ThreadPool>.offset(of: \.queueArea)! }
    /// An entry point's state, and a connection pool (as `connectionPools` holds them).
    package static var entryStride: Int { MemoryLayout<EntryRuntime>.stride }
    package static var poolStride: Int { MemoryLayout<ConnectionPool>.stride }
    /// Where a connection pool's fields that a checkout and a check-in touch end.
    package static var poolHotFieldsEnd: Int { ConnectionPool.hotFieldsEnd }
    /// An instance's state for one dependency (`dependencyStates`), and where the fields an
    /// ordinary call touches end (its counts of calls and attempts, its bulkhead's level).
    package static var dependencyStride: Int { MemoryLayout<DependencyRuntime>.stride }
    package static var dependencyHotFieldsEnd: Int { DependencyRuntime.hotFieldsEnd }
    /// A client (`clients`), and where the fields after its owner start.
    package static var clientStride: Int { MemoryLayout<ClientRecord>.stride }
    package static var clientRemaining: Int { MemoryLayout<ClientRecord>.offset(of: \.remaining)! }
}
