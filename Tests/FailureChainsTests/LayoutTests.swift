import FailureChains
import SimulationKernel
import Testing

/// The per-instance records are padded to whole cache lines and keep their hot fields first, so
/// that a farm of thousands of instances misses as few lines a request as it can (bench/README.md).
struct LayoutTests {
    @Test func `a table's storage starts on a 64-byte cache line, however it grows`() {
        let table = Table<UInt8>(capacity: 3)
        for value in 0..<200 { table.append(UInt8(value)) }
        #expect(Int(bitPattern: table.pointer(at: 0)) % 64 == 0)
        let records = Table<(Int64, Int32)>()
        records.append((1, 2))
        #expect(Int(bitPattern: records.pointer(at: 0)) % 64 == 0)
        #expect(records[0] == (1, 2))
    }

    @Test func `an instance's record is whole cache lines, with its hot parts each starting a line`() {
        #expect(HotLayout.instanceStride % 64 == 0)
        // The ids and flags fill the first line; the counters then take six lines: what an arrival
        // counts, in the interval and the total, the second line of the record; what a request's
        // end counts the third; the rest after them.
        #expect(HotLayout.instanceCounters == 64)
        #expect(HotLayout.counterPairStride == 384)
        #expect(HotLayout.counterEndStage == 64)
        #expect(HotLayout.counterOthers == 128)
        #expect(HotLayout.instanceLatency % 64 == 0)
        #expect(HotLayout.instanceLifecycle % 64 == 0)
        #expect(HotLayout.instanceWork % 64 == 0)
    }

    @Test func `a thread pool is two lines with its levels and time integrals in the first`() {
        #expect(HotLayout.threadPoolStride == 128)
        #expect(HotLayout.threadPoolQueueArea + 16 <= 64)
    }

    @Test func `an entry point's state is one line and a connection pool two`() {
        #expect(HotLayout.entryStride == 64)
        // The table holds pools, no longer optional ones (a slot without a pool holds
        // `ConnectionPool.absent`): the same 128 bytes, the optional having had no tag byte.
        #expect(HotLayout.poolStride == 128)
        // A checkout and a check-in that does not wait touch only the pool's first line.
        #expect(HotLayout.poolHotFieldsEnd <= 64)
    }

    @Test func `a dependency's state is whole lines with what an ordinary call touches in the first`() {
        #expect(HotLayout.dependencyStride == 384)
        // The calls and attempts counted in the interval and the total, then the bulkhead's
        // capacity, calls in flight and time-weighted level: what a call without a bulkhead
        // limit reads and changes, in the record's first line.
        #expect(HotLayout.dependencyHotFieldsEnd <= 64)
    }

    @Test func `a client's owner takes the five bytes its number and user flag took`() {
        #expect(HotLayout.clientRemaining == 8)
        #expect(HotLayout.clientStride == 72)
    }
}
