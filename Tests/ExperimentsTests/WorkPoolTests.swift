import Experiments
import Foundation
import Testing

/// The thread pool a study's replications run on: what it returns must not depend on the number
/// of threads or on the order in which the pieces finish.
struct WorkPoolTests {
    struct Failed: Error, Equatable {
        var index: Int
    }

    /// Watches the calls of `finished`: whether two ever overlapped, and the counts in call order.
    final class CallWatch: @unchecked Sendable {
        private let lock = NSLock()
        private var inside = 0
        private(set) var overlapped = false
        private(set) var counts: [Int] = []

        func enter(_ count: Int) {
            lock.lock()
            defer { lock.unlock() }
            inside += 1
            if inside > 1 { overlapped = true }
            counts.append(count)
        }

        func leave() {
            lock.lock()
            defer { lock.unlock() }
            inside -= 1
        }
    }

    @Test(arguments: [1, 2, 7])
    func `results come back in index order whatever the number of threads`(jobs: Int) throws {
        // Later indices take less time, so with several threads they finish first.
        let results = try WorkPool.map(count: 40, jobs: jobs) { index in
            usleep(UInt32((40 - index) * 100))
            return index * index
        }
        #expect(results == (0..<40).map { $0 * $0 })
    }

    @Test(arguments: [1, 2, 7])
    func `the error of the lowest failing index is thrown, not the first to happen`(jobs: Int) {
        // Index 3 fails late, index 9 at once: with several threads 9 fails first.
        let started = Locked<[Int]>()
        do {
            _ = try WorkPool.map(count: 20, jobs: jobs) { index in
                started.withLock { $0.append(index) }
                if index == 3 {
                    usleep(50_000)
                    throw Failed(index: 3)
                }
                if index == 9 { throw Failed(index: 9) }
                return index
            }
            Issue.record("no error was thrown")
        } catch {
            #expect(error as? Failed == Failed(index: 3))
        }
        // On one thread, nothing runs after the failure.
        if jobs == 1 { #expect(started.withLock { $0 } == [0, 1, 2, 3]) }
    }

    @Test(arguments: [1, 2, 7])
    func `finished is called one call at a time with the counts in order`(jobs: Int) throws {
        let watch = CallWatch()
        _ = try WorkPool.map(count: 100, jobs: jobs, finished: { count in
            watch.enter(count)
            usleep(200)
            watch.leave()
        }) { $0 }
        #expect(!watch.overlapped)
        #expect(watch.counts == Array(1...100))
    }

    @Test func `no pieces give no results`() throws {
        #expect(try WorkPool.map(count: 0, jobs: 4) { $0 }.isEmpty)
    }
}

/// A value under a lock, for the tests' bookkeeping across threads.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

extension Locked where Value == [Int] {
    convenience init() { self.init([]) }
}
