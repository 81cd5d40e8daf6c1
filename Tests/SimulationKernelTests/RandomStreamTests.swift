import SimulationKernel
import Testing

struct RandomStreamTests {
    @Test func `splitMix64 matches the published vector from state zero`() {
        var state: UInt64 = 0
        #expect(RandomStream.splitMix64(&state) == 0xe220_a839_7b1d_cdaf)
        #expect(RandomStream.splitMix64(&state) == 0x6e78_9e6a_a1b9_65f4)
        #expect(RandomStream.splitMix64(&state) == 0x06c4_5d18_8009_454f)
    }

    @Test func `a stream key gives the same first values on every run`() {
        #expect(RandomStream.key(seed: 1, component: "web", purpose: "arrivals") == 0x936a_a75a_9980_4668)
        var stream = RandomStream(seed: 1, component: "web", purpose: "arrivals")
        let first = (0..<4).map { _ in stream.next() }
        // Cross-checked against an independent Python implementation of FNV-1a, SplitMix64 and xoshiro256**.
        #expect(first == [0xfb4d_f61a_ea42_647c, 0x3057_3c8e_392a_54d9, 0xc805_d076_f6e7_a56b, 0x9244_4623_e240_8ba0])
        var again = RandomStream(seed: 1, component: "web", purpose: "arrivals")
        #expect((0..<4).map { _ in again.next() } == first)
    }

    @Test func `the key hashes seed, component and purpose with FNV-1a`() {
        var hash = FNV1a64()
        hash.combine(littleEndian: 1)
        hash.combine("web")
        hash.combine(byte: 0)
        hash.combine("arrivals")
        #expect(RandomStream.key(seed: 1, component: "web", purpose: "arrivals") == hash.value)
        #expect(FNV1a64().value == 0xcbf2_9ce4_8422_2325)
        var a = FNV1a64()
        a.combine("a")
        #expect(a.value == 0xaf63_dc4c_8601_ec8c)  // published FNV-1a 64 test vector
    }

    @Test func `different components, purposes and seeds give different streams`() {
        func firstValues(_ seed: UInt64, _ component: String, _ purpose: String) -> [UInt64] {
            var stream = RandomStream(seed: seed, component: component, purpose: purpose)
            return (0..<4).map { _ in stream.next() }
        }
        let base = firstValues(1, "web", "arrivals")
        #expect(firstValues(1, "web[2]", "arrivals") != base)
        #expect(firstValues(1, "db", "arrivals") != base)
        #expect(firstValues(1, "web", "service") != base)
        #expect(firstValues(2, "web", "arrivals") != base)
        // The separator keeps ("ab", "c") and ("a", "bc") apart.
        #expect(firstValues(1, "ab", "c") != firstValues(1, "a", "bc"))
    }

    @Test func `unit doubles stay in their documented ranges`() {
        var stream = RandomStream(seed: 5, component: "unit", purpose: "range")
        for _ in 0..<100_000 {
            let u = stream.nextUnit()
            #expect(u >= 0 && u < 1)
            let v = stream.nextUnitExcludingZero()
            #expect(v > 0 && v <= 1)
            #expect(stream.next(below: 7) < 7)
        }
    }
}
