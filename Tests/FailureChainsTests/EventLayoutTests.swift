import FailureChains
import Testing

/// The event is stored in the event queue's heap once per pending event: its two levels (the
/// owner, then the owner's kind) must pack into the bytes the flat enum took.
struct EventLayoutTests {
    @Test func `an event packs its owner and kind into the nine bytes of the flat enum it was`() {
        // 32-bit payloads (8 bytes) and one byte holding both tags; a Bool in any payload would
        // take that byte's spare bits and push the outer tag into a tenth byte.
        #expect(MemoryLayout<ChainSimulation.Event>.size == 9)
        #expect(MemoryLayout<ChainSimulation.Event>.stride == 12)
    }

    @Test func `every fingerprint kind keeps its name`() {
        #expect(ChainSimulation.eventKindNames.count == 39)
        #expect(ChainSimulation.eventKindName(12) == "probeEnded")
        #expect(ChainSimulation.eventKindName(27) == "endpointWorkDone")
        #expect(ChainSimulation.eventKindName(28) == "clientRetryDue")
        #expect(ChainSimulation.eventKindName(29) == "cacheAnswered")
        #expect(ChainSimulation.eventKindName(30) == "cacheFailed")
        #expect(ChainSimulation.eventKindName(31) == "messageDeliveryDue")
        #expect(ChainSimulation.eventKindName(32) == "messageExpiryDue")
        #expect(ChainSimulation.eventKindName(33) == "blockTimedOut")
        #expect(ChainSimulation.eventKindName(34) == "lockTimedOut")
        #expect(ChainSimulation.eventKindName(35) == "lockHoldEnded")
        #expect(ChainSimulation.eventKindName(36) == "resultRead")
        #expect(ChainSimulation.eventKindName(37) == "diskRotationDue")
        #expect(ChainSimulation.eventKindName(38) == "diskFillDue")
    }
}
