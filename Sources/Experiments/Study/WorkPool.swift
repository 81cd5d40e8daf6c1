#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import Dispatch

/// Runs independent pieces of work on a fixed number of threads and returns their results in
/// index order, so what a caller does with them cannot depend on the number of threads or on the
/// order in which they finish.
public enum WorkPool {
    /// The number of cores this process may use: the default of `--jobs`.
    public static var availableCores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Calls `body` for every index in `0..<count` on up to `jobs` threads.
    ///
    /// - Parameters:
    ///   - count: How many pieces.
    ///   - jobs: At most this many run at once (1 runs them in order on the calling thread).
    ///   - finished: Called, one call at a time, after each piece, with the number finished so far.
    ///   - body: The work of one index.
    /// - Returns: The results, in index order.
    /// - Throws: When a piece throws, no new piece starts; the error of the lowest failing index is
    ///   rethrown once the running ones end, whatever the timing.
    public static func map<T: Sendable>(
        count: Int, jobs: Int, finished: (@Sendable (Int) -> Void)? = nil,
        _ body: @escaping @Sendable (Int) throws -> T
    ) throws -> [T] {
        let state = PoolState<T>(count: count)
        let threads = min(max(1, jobs), count)
        if threads <= 1 {
            for index in 0..<count {
                state.store(Result { try body(index) }, at: index)
                finished?(index + 1)
                if state.hasFailed { break }
            }
        } else {
            let group = DispatchGroup()
            for _ in 0..<threads {
                group.enter()
                // Each replication is one simulation on one thread; 8 MiB covers the deepest.
                SystemThread.start(stackSize: 8 << 20) {
                    while let index = state.next() {
                        state.store(Result { try body(index) }, at: index, reporting: finished)
                    }
                    group.leave()
                }
            }
            group.wait()
        }
        return try state.results()
    }
}

/// The shared state of one `WorkPool.map`: the next index and the results, under a lock.
private final class PoolState<T: Sendable>: @unchecked Sendable {
    private let lock = Lock()
    private var slots: [Result<T, any Error>?]
    private var nextIndex = 0
    private var done = 0
    private(set) var hasFailed = false

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    /// The next index to work on, or nil when all are handed out or one has failed.
    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard !hasFailed, nextIndex < slots.count else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }

    /// Stores a result and calls `finished` with how many are done, under the lock, so that its
    /// calls come one at a time and in order.
    func store(_ result: Result<T, any Error>, at index: Int, reporting finished: (@Sendable (Int) -> Void)? = nil) {
        lock.lock()
        defer { lock.unlock() }
        slots[index] = result
        if case .failure = result { hasFailed = true }
        done += 1
        finished?(done)
    }

    /// The results in order, or the error of the lowest index that failed.
    func results() throws -> [T] {
        lock.lock()
        defer { lock.unlock() }
        var values: [T] = []
        values.reserveCapacity(slots.count)
        for result in slots {
            switch result {
            case .success(let value)?: values.append(value)
            case .failure(let error)?: throw error
            case nil: break  // not started after a failure; the failure is found below or above
            }
        }
        return values
    }
}
