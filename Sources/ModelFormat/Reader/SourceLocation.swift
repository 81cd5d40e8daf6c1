/// A position in a model file: a 1-based line and a 1-based column.
///
/// Columns count Unicode scalars, not bytes, so a tab or an `é` is one column. Lines end at LF, CR,
/// CR LF, U+2028 and U+2029, as in JSON5.
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The line, starting at 1.
    public var line: Int
    /// The column in Unicode scalars, starting at 1.
    public var column: Int

    /// Creates a location from a 1-based line and column.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The first position of a file.
    public static let start = SourceLocation(line: 1, column: 1)

    /// Orders locations by line, then column.
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    /// The location as `line:column`, for example `12:7`.
    public var description: String { "\(line):\(column)" }
}
