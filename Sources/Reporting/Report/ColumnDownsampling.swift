/// Thins a series to what a chart of a given width can show: per pixel column, its smallest and
/// its largest value, in the order they occur, so a spike one interval long survives however long
/// the run.
public enum ColumnDownsampling {
    /// A point of a chart: x in pixels, y in the series' unit.
    public struct Point: Equatable, Sendable {
        public var x: Double
        public var y: Double

        /// Creates a point.
        public init(x: Double, y: Double) {
            self.x = x
            self.y = y
        }
    }

    /// The points to draw for a series.
    ///
    /// A series with at most two points per column is returned as it is. Otherwise each column
    /// keeps its minimum and its maximum (one point when they are equal), in time order, at the
    /// column's centre.
    ///
    /// - Parameters:
    ///   - points: The series' points in order of increasing x.
    ///   - width: The chart's width in pixels: the number of columns.
    ///   - origin: The x of the chart's left edge.
    /// - Returns: At most two points per column.
    public static func minimumAndMaximum(_ points: [Point], width: Int, origin: Double = 0) -> [Point] {
        guard width > 0, points.count > 2 * width else { return points }
        var result: [Point] = []
        result.reserveCapacity(2 * width)
        var column = Int.min
        var lowest = Point(x: 0, y: 0), highest = Point(x: 0, y: 0)
        var lowestIndex = 0, highestIndex = 0
        func flush() {
            guard column != Int.min else { return }
            let x = origin + Double(column) + 0.5
            if lowestIndex == highestIndex || lowest.y == highest.y {
                result.append(Point(x: x, y: lowest.y))
            } else if lowestIndex < highestIndex {
                result.append(Point(x: x, y: lowest.y))
                result.append(Point(x: x, y: highest.y))
            } else {
                result.append(Point(x: x, y: highest.y))
                result.append(Point(x: x, y: lowest.y))
            }
        }
        for (index, point) in points.enumerated() {
            let pointColumn = min(width - 1, max(0, Int((point.x - origin).rounded(.down))))
            if pointColumn != column {
                flush()
                column = pointColumn
                lowest = point; highest = point
                lowestIndex = index; highestIndex = index
                continue
            }
            if point.y < lowest.y { lowest = point; lowestIndex = index }
            if point.y > highest.y { highest = point; highestIndex = index }
        }
        flush()
        return result
    }
}
