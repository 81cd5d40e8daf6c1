/// A problem in a model file, located by file, line and column, and by the path of the field.
public struct ModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file as given on the command line: `models/retry-storm.json5`.
    public var file: String
    /// Line and column of the offending value.
    public var location: SourceLocation
    /// JSON path of the offending field (`services[2].timeout`); empty for syntax errors.
    public var path: String
    /// Lower-case, no trailing period: `must be positive, found -5ms`.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - file: The file as given by the user.
    ///   - location: Line and column of the offending text.
    ///   - path: JSON path of the offending field, or empty.
    ///   - message: Lower-case explanation without a trailing period.
    public init(file: String, location: SourceLocation, path: String = "", message: String) {
        self.file = file
        self.location = location
        self.path = path
        self.message = message
    }

    /// The compiler-style line: `models/x.json5:12:7: error: services[1].threads: must be positive, found -3`;
    /// for a problem in a `--set` override, the argument takes the place of file, line and column:
    /// `--set services.web.instances=-3: error: must be positive, found -3`.
    public var description: String {
        let place = location.isInOverride ? file : "\(file):\(location)"
        return path.isEmpty
            ? "\(place): error: \(message)"
            : "\(place): error: \(path): \(message)"
    }
}

/// Every problem found in a model file, in source order.
public struct ModelErrors: Error, Equatable, Sendable, CustomStringConvertible {
    /// The errors, sorted by line and column; errors at the same place keep the order they were found in.
    public let errors: [ModelError]
    /// Whether the file itself could not be read (missing, a folder, no permission): then the one
    /// error says why, and the command exits with 66 (`EX_NOINPUT`) rather than 65.
    public let isUnreadableFile: Bool

    /// Collects errors, sorting them by line and column.
    ///
    /// - Parameters:
    ///   - errors: The errors in the order they were found.
    ///   - isUnreadableFile: Whether the file could not be read at all.
    public init(_ errors: [ModelError], isUnreadableFile: Bool = false) {
        self.isUnreadableFile = isUnreadableFile
        self.errors = errors.enumerated()
            .sorted { ($0.element.location, $0.offset) < ($1.element.location, $1.offset) }
            .map(\.element)
    }

    /// One compiler-style line per error.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
