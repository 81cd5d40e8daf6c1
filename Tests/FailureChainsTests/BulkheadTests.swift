import FailureChains
import Testing

/// The bulkhead alone: a limit on calls in flight, with no queue.
struct BulkheadTests {
    @Test func `calls beyond the limit are rejected until one in flight leaves`() {
        var bulkhead = Bulkhead(limit: 2)
        let entered = (0..<3).map { _ in bulkhead.tryEnter(at: 0) }
        #expect(entered == [true, true, false])
        #expect(bulkhead.inFlight == 2)
        bulkhead.leave(at: 10)
        #expect(bulkhead.inFlight == 1)
        let again = bulkhead.tryEnter(at: 11)
        #expect(again)
        #expect(bulkhead.inFlight == 2)
    }

    @Test func `a limit of zero rejects every call`() {
        var bulkhead = Bulkhead(limit: 0)
        let entered = bulkhead.tryEnter(at: 0)
        #expect(!entered)
        #expect(bulkhead.inFlight == 0)
    }

    @Test func `without a limit the bulkhead only counts calls in flight`() {
        var bulkhead = Bulkhead(limit: nil)
        let entered = (0..<10_000).allSatisfy { _ in bulkhead.tryEnter(at: 0) }
        #expect(entered)
        #expect(bulkhead.inFlight == 10_000)
    }

    @Test func `the calls in flight are integrated over time`() {
        var bulkhead = Bulkhead(limit: 4, at: 1_000)
        _ = bulkhead.tryEnter(at: 1_000)
        _ = bulkhead.tryEnter(at: 1_500)
        bulkhead.leave(at: 2_000)
        #expect(bulkhead.inFlightArea(upTo: 3_000) == 500 + 1_000 + 1_000)
    }
}
