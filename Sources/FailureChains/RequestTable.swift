import SimulationKernel

/// Live requests, stored in one table and reused by index, so no request allocates.
struct RequestTable {
    /// One request in flight.
    struct Record {
        /// When it arrived at its service, in nanoseconds.
        var arrival: Int64
        /// When it got a thread, in nanoseconds; valid once started.
        var serviceStart: Int64
        /// The index of the instance that holds it.
        var instance: Int32
        /// Who sent it: a user index (≥ 0) or an open source as `-(source + 1)`.
        var origin: Int32
    }

    private let records = Table<Record>(capacity: 1024)
    private let free = Table<Int32>(capacity: 1024)

    /// The number of requests in flight.
    private(set) var liveCount = 0

    /// Stores a new request and returns its index.
    @inline(__always)
    mutating func insert(_ record: Record) -> Int32 {
        liveCount &+= 1
        if let index = free.popLast() {
            records[Int(index)] = record
            return index
        }
        return Int32(records.append(record))
    }

    /// Releases a finished request's slot for reuse.
    @inline(__always)
    mutating func remove(_ index: Int32) {
        liveCount &-= 1
        free.append(index)
    }

    subscript(index: Int32) -> Record {
        @inline(__always) _read { yield records[Int(index)] }
        @inline(__always) nonmutating _modify { yield &records[Int(index)] }
    }
}
