/// Collects every problem found while reading one model file.
///
/// Schema code reports through `ObjectReader` and `ValueReader` and keeps going, so a user sees
/// every problem at once; at the end, `throwIfAny()` turns them into `ModelErrors`.
public final class Diagnostics {
    /// The file as given by the user, used in every error.
    public let file: String
    /// The errors reported so far, in the order they were reported.
    public private(set) var errors: [ModelError] = []

    /// Creates an empty collection for a file.
    ///
    /// - Parameter file: The file as given by the user: `models/retry-storm.json5`.
    public init(file: String) { self.file = file }

    /// The `--set` arguments whose values were spliced into the model, in command-line order; an
    /// error located in the k-th (`SourceLocation.source` k) is named `--set ARGUMENT`.
    public var overrideArguments: [String] = []

    /// The `--metric` selectors read as elements of `expect`, in command-line order; an error
    /// located in source `overrideArguments.count + k` is named `--metric ARGUMENT` of the k-th.
    public var selectorArguments: [String] = []

    /// The `--variant` asked for, if any; an error located in the source after the selectors'
    /// is named `--variant NAME`.
    public var variantArgument: String?

    /// The argument a location in an override or a selector names: `--set services.web.instances=-3`.
    func argument(of location: SourceLocation) -> String? {
        guard location.isInOverride else { return nil }
        if location.source <= overrideArguments.count { return "--set \(overrideArguments[location.source - 1])" }
        let selector = location.source - overrideArguments.count
        if selector <= selectorArguments.count { return "--metric \(selectorArguments[selector - 1])" }
        if selector == selectorArguments.count + 1, let variantArgument { return "--variant \(variantArgument)" }
        return nil
    }

    /// Whether any error has been reported.
    public var hasErrors: Bool { !errors.isEmpty }

    /// Reports a problem.
    ///
    /// - Parameters:
    ///   - message: Lower-case, no trailing period: `must be positive, found -3`.
    ///   - location: Where the offending value starts.
    ///   - path: The JSON path of the field: `services[1].threads`.
    ///
    /// A problem in an override is named by its `--set` argument; at the place the override's path
    /// names (line 0), the JSON path is left out, as the argument already says it.
    public func error(_ message: String, at location: SourceLocation, path: String) {
        if let argument = argument(of: location) {
            errors.append(ModelError(file: argument, location: location, path: location.line == 0 ? "" : path, message: message))
        } else {
            errors.append(ModelError(file: file, location: location, path: path, message: message))
        }
    }

    /// Reports a problem already made into an error.
    func report(_ error: ModelError) { errors.append(error) }

    /// Where a location is, for a message: `models/x.json5:40:5`, or `--set ARGUMENT` for a
    /// location in an override.
    ///
    /// - Parameter file: The file to name for a location in the file (default: `file`).
    public func place(of location: SourceLocation, file: String? = nil) -> String {
        if let argument = argument(of: location) { return argument }
        return "\(file ?? self.file):\(location)"
    }

    /// Throws every reported error, sorted by location, if there is any.
    ///
    /// - Throws: `ModelErrors` holding every reported error.
    public func throwIfAny() throws(ModelErrors) {
        if hasErrors { throw ModelErrors(errors) }
    }
}
