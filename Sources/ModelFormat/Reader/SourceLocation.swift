/// A position in a model file: a 1-based line and a 1-based column.
///
/// Columns count Unicode scalars, not bytes, so a tab or an `é` is one column. Lines end at LF, CR,
/// CR LF, U+2028 and U+2029, as in JSON5.
///
/// A location in a `--set` override's value (see `Override`) also names the override: `source` is
/// its 1-based position on the command line (0 for the model file), and line 0 marks the place
/// the override's path names (the key it sets and the value as a whole), as opposed to a place
/// inside an object or array written in the value.
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The line, starting at 1.
    public var line: Int
    /// The column in Unicode scalars, starting at 1.
    public var column: Int
    /// 0 for the model file; k for the k-th `--set` override on the command line.
    public var source: Int

    /// Creates a location from a 1-based line and column, in the model file or in an override.
    public init(line: Int, column: Int, source: Int = 0) {
        self.line = line
        self.column = column
        self.source = source
    }

    /// Whether the location is in a `--set` override rather than in the model file.
    public var isInOverride: Bool { source != 0 }

    /// The first position of a file.
    public static let start = SourceLocation(line: 1, column: 1)

    /// Orders locations by source (the file first, then the overrides in order), line, then column.
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.source, lhs.line, lhs.column) < (rhs.source, rhs.line, rhs.column)
    }

    /// The location as `line:column`, for example `12:7`.
    public var description: String { "\(line):\(column)" }
}
