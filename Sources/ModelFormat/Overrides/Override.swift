/// One `--set PATH=VALUE` argument: a change to a model, written in the model's own terms.
///
/// The path walks the model's JSON5 tree from the top: `services.web.instances`,
/// `traffic.shoppers.profile[1].rate`, `services.cf.dependencies.db.pool.size`, `faults[0].duration`.
/// A key names a member of an object; in a list, a key names the element whose `name` is that
/// key (services, endpoints, traffic, users, entry points, dependencies), and `[i]` names the
/// element at 0-based index `i` (the only way into a list without names, such as `faults`).
///
/// The value is read as a JSON5 value, exactly as in a file: `6`, `"1000/s"`, `true`,
/// `{exponential: "50ms"}`. Text that is not a JSON5 value is taken as a string, so `1000/s`
/// and `50ms` need no quotes; text starting with `{`, `[`, `"` or `'` must be valid JSON5.
public struct Override: Sendable, Equatable {
    /// One step of a path.
    public enum Step: Sendable, Equatable {
        /// A key of an object, or the name of a list element.
        case key(String)
        /// The 0-based index of a list element.
        case index(Int)
    }

    /// The argument as given: `services.web.instances=6`.
    public let argument: String
    /// The text before the first `=`: `services.web.instances`.
    public let pathText: String
    /// The text after the first `=`: `6`.
    public let valueText: String

    /// Splits an argument at its first `=`.
    ///
    /// - Returns: `nil` when the argument has no `=` or nothing before it (a usage error).
    public init?(_ argument: String) {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else { return nil }
        self.argument = argument
        pathText = String(argument[..<equals])
        valueText = String(argument[argument.index(after: equals)...])
    }

    /// The most steps a path may have.
    static let maximumSteps = 64

    /// The path's steps, or what is wrong with it.
    public var steps: Result<[Step], OverridePathError> { Self.steps(of: pathText) }

    /// The steps of a path written as `--set` writes it (a variant's `set` keys too), or what is
    /// wrong with it.
    public static func steps(of pathText: String) -> Result<[Step], OverridePathError> {
        var steps: [Step] = []
        var name = ""
        var characters = Array(pathText)[...]
        var expectsName = true
        while let character = characters.popFirst() {
            switch character {
            case ".":
                if name.isEmpty, expectsName {
                    return .failure(OverridePathError(steps.isEmpty ? "the path must start with a name, found '.'" : "expected a name after '.', found '.'"))
                }
                if !name.isEmpty { steps.append(.key(name)); name = "" }
                expectsName = true
            case "[":
                if !name.isEmpty {
                    steps.append(.key(name)); name = ""
                } else if expectsName {
                    return .failure(OverridePathError(steps.isEmpty ? "the path must start with a name, found '['" : "expected a name after '.', found '['"))
                }
                guard let close = characters.firstIndex(of: "]") else {
                    return .failure(OverridePathError("the path has '[' without ']'"))
                }
                let inside = String(characters[..<close])
                characters = characters[characters.index(after: close)...]
                if let index = Int(inside), index >= 0, inside.allSatisfy(\.isASCII) {
                    steps.append(.index(index))
                } else if !inside.isEmpty, inside.allSatisfy({ $0.isASCII && $0.isNumber }) {
                    return .failure(OverridePathError("the index [\(inside)] is too large"))
                } else {
                    return .failure(OverridePathError("expected a non-negative index in '[…]', found '\(inside)'"))
                }
                if let next = characters.first, next != ".", next != "[" {
                    return .failure(OverridePathError("expected '.' or '[' after ']', found '\(next)'"))
                }
                expectsName = false
            case "]":
                return .failure(OverridePathError("the path has ']' without '['"))
            default:
                name.append(character)
                expectsName = false
            }
            if steps.count > Self.maximumSteps {
                return .failure(OverridePathError("the path has more than \(Self.maximumSteps) steps"))
            }
        }
        if !name.isEmpty {
            steps.append(.key(name))
        } else if expectsName {
            return .failure(OverridePathError("the path ends with '.'"))
        }
        return .success(steps)
    }
}

/// What is wrong with an override's path: `the path ends with '.'`.
public struct OverridePathError: Error, Equatable, Sendable {
    /// Lower-case, no trailing period.
    public var message: String

    init(_ message: String) { self.message = message }
}
