import SimulationKernel
import Testing

struct RingBufferTests {
    @Test func `elements leave in the order they came, across growth and wrap-around`() {
        var buffer = RingBuffer<Int>(capacity: 2)
        var expected: [Int] = []
        var next = 0
        var popped: [Int] = []
        for round in 0..<50 {
            for _ in 0..<(round % 7 + 1) {
                buffer.append(next)
                expected.append(next)
                next += 1
            }
            for _ in 0..<(round % 5) {
                if let value = buffer.popFirst() { popped.append(value) }
            }
        }
        while let value = buffer.popFirst() { popped.append(value) }
        #expect(popped == expected)
        #expect(buffer.isEmpty)
        #expect(buffer.popFirst() == nil)
    }

    @Test func `count and first follow the contents`() {
        var buffer = RingBuffer<String>()
        #expect(buffer.first == nil)
        buffer.append("a")
        buffer.append("b")
        #expect(buffer.count == 2)
        #expect(buffer.first == "a")
    }
}
