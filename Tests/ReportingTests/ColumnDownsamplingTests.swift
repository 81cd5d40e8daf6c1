import Reporting
import Testing

struct ColumnDownsamplingTests {
    typealias Point = ColumnDownsampling.Point

    /// A flat series of `count` points over `width` pixels, with `value` at `index`.
    static func flat(_ count: Int, width: Int, spike value: Double, at index: Int) -> [Point] {
        (0..<count).map { Point(x: Double(width) * Double($0) / Double(count), y: $0 == index ? value : 1) }
    }

    @Test(arguments: [0, 1, 4_999, 31_337, 99_999])
    func `a one-interval spike survives downsampling`(index: Int) {
        let drawn = ColumnDownsampling.minimumAndMaximum(Self.flat(100_000, width: 1000, spike: 50, at: index), width: 1000)
        #expect(drawn.count <= 2000)
        #expect(drawn.map(\.y).max() == 50)
        #expect(drawn.filter { $0.y == 50 }.count == 1)
    }

    @Test func `a one-interval dip survives downsampling too`() {
        let drawn = ColumnDownsampling.minimumAndMaximum(Self.flat(50_000, width: 800, spike: -3, at: 12_345), width: 800)
        #expect(drawn.map(\.y).min() == -3)
    }

    @Test func `a series with at most two points a column is drawn as it is`() {
        let points = Self.flat(2000, width: 1000, spike: 7, at: 3)
        #expect(ColumnDownsampling.minimumAndMaximum(points, width: 1000) == points)
    }

    @Test func `each column keeps its extremes in the order they occur, at its centre`() {
        // Column 0 holds 5, 9, 2 (the maximum before the minimum); column 1 holds 4, 1, 8; column 2 holds 6.
        let values: [(Double, Double)] = [(0.1, 5), (0.4, 9), (0.8, 2), (1.1, 4), (1.5, 1), (1.9, 8), (2.2, 6)]
        let points = values.map { Point(x: $0.0, y: $0.1) }
        let drawn = ColumnDownsampling.minimumAndMaximum(points, width: 3)
        #expect(drawn == [Point(x: 0.5, y: 9), Point(x: 0.5, y: 2), Point(x: 1.5, y: 1), Point(x: 1.5, y: 8), Point(x: 2.5, y: 6)])
    }

    @Test func `a column whose values are all equal gives one point`() {
        let points = (0..<30).map { Point(x: Double($0) / 10, y: 4) }
        #expect(ColumnDownsampling.minimumAndMaximum(points, width: 3) == [Point(x: 0.5, y: 4), Point(x: 1.5, y: 4), Point(x: 2.5, y: 4)])
    }
}
