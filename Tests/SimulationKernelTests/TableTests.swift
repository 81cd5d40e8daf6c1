import SimulationKernel
import Testing

/// `Table`: elements in one line-aligned allocation, appended in order, grown by doubling or reserved.
struct TableTests {
    @Test func `a reserved table takes that many appends without moving its elements`() {
        let table = Table<Int>(capacity: 2)
        table.append(7)
        table.reserveCapacity(1000)
        #expect(table.reservedBytes == 1000 * MemoryLayout<Int>.stride)
        #expect(Array(table) == [7])
        let first = table.pointer(at: 0)
        for value in 1..<1000 { table.append(value) }
        #expect(table.pointer(at: 0) == first)
        #expect(table.count == 1000 && table[0] == 7 && table[999] == 999)
        #expect(table.reservedBytes == 1000 * MemoryLayout<Int>.stride)
    }

    @Test func `reserving less than the capacity changes nothing`() {
        let table = Table<Int>(capacity: 64)
        table.append(1)
        let first = table.pointer(at: 0)
        table.reserveCapacity(10)
        #expect(table.reservedBytes == 64 * MemoryLayout<Int>.stride)
        #expect(table.pointer(at: 0) == first)
    }

    @Test func `a full table doubles and keeps its elements in order`() {
        let table = Table<String>(capacity: 3)
        for value in 0..<7 { table.append(String(value)) }
        #expect(Array(table) == ["0", "1", "2", "3", "4", "5", "6"])
        #expect(table.reservedBytes == 12 * MemoryLayout<String>.stride)
    }
}
