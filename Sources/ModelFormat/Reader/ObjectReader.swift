import SimulationKernel

/// Reads one JSON5 object for a schema, reporting every problem to `Diagnostics` instead of stopping.
///
/// Each accessor marks its key as known, reads the value if present and returns `nil` when the key
/// is absent or the value is wrong (after reporting why). Call `finish()` last: it reports every
/// key that no accessor asked for, suggesting the nearest known key.
///
///     guard let service = ObjectReader(node, path: "services[1]", diagnostics: diagnostics) else { return nil }
///     let name = service.string("name", required: true)
///     let threads = service.integer("threads", bounds: .positive) ?? 8
///     let timeout = service.duration("timeout", bounds: .positive) ?? .seconds(1)
///     service.finish()
public struct ObjectReader {
    /// The object.
    public let node: JSON5Node
    /// The object's JSON path: `services[1]`; empty for the top level.
    public let path: String
    /// Where problems are reported.
    public let diagnostics: Diagnostics
    /// The object's members in source order.
    public let members: [JSON5Member]
    private let indexByKey: [String: Int]
    private let askedKeys = AskedKeys()

    private final class AskedKeys {
        var inOrder: [String] = []
        var set: Set<String> = []

        func insert(_ key: String) {
            if set.insert(key).inserted { inOrder.append(key) }
        }
    }

    /// Wraps an object node; reports `expected an object, found …` and fails for any other value.
    ///
    /// - Parameters:
    ///   - node: The node to read.
    ///   - path: The node's JSON path, used in errors.
    ///   - diagnostics: Where problems are reported.
    public init?(_ node: JSON5Node, path: String, diagnostics: Diagnostics) {
        guard case .object(let members) = node.value else {
            diagnostics.error("expected an object, found \(node.typeName)", at: node.location, path: path)
            return nil
        }
        self.node = node
        self.path = path
        self.diagnostics = diagnostics
        self.members = members
        var indexByKey: [String: Int] = [:]
        for (index, member) in members.enumerated() where indexByKey[member.key] == nil {
            indexByKey[member.key] = index
        }
        self.indexByKey = indexByKey
    }

    /// The JSON path of a key of this object: `services[1].threads`.
    public func path(of key: String) -> String { JSONPath.appending(key: key, to: path) }

    /// Whether the object has a key; marks the key as known.
    public func contains(_ key: String) -> Bool {
        askedKeys.insert(key)
        return indexByKey[key] != nil
    }

    /// A reader for a key's value; marks the key as known.
    ///
    /// - Parameters:
    ///   - key: The key.
    ///   - required: Whether to report `missing required key 'key'` when it is absent.
    /// - Returns: The value's reader, or `nil` when the key is absent.
    public func value(_ key: String, required: Bool = false) -> ValueReader? {
        askedKeys.insert(key)
        guard let index = indexByKey[key] else {
            if required { diagnostics.error("missing required key '\(key)'", at: node.location, path: path) }
            return nil
        }
        return ValueReader(members[index].value, path: path(of: key), diagnostics: diagnostics)
    }

    /// A key's raw node; marks the key as known.
    public func node(_ key: String, required: Bool = false) -> JSON5Node? {
        value(key, required: required)?.node
    }

    /// A string value.
    public func string(_ key: String, required: Bool = false) -> String? {
        value(key, required: required)?.string()
    }

    /// A string value that must be present.
    public func requiredString(_ key: String) -> String? {
        string(key, required: true)
    }

    /// A Boolean value.
    public func bool(_ key: String, required: Bool = false) -> Bool? {
        value(key, required: required)?.bool()
    }

    /// An integer value within bounds.
    public func integer(_ key: String, bounds: Bounds<Int>? = nil, required: Bool = false) -> Int? {
        value(key, required: required)?.integer(bounds: bounds)
    }

    /// A finite number within bounds.
    public func number(_ key: String, bounds: Bounds<Double>? = nil, required: Bool = false) -> Double? {
        value(key, required: required)?.number(bounds: bounds)
    }

    /// A duration string such as `"250ms"` within bounds.
    public func duration(_ key: String, bounds: Bounds<Interval>? = nil, required: Bool = false) -> Interval? {
        value(key, required: required)?.duration(bounds: bounds)
    }

    /// A rate string such as `"20/s"`, in events per second, within bounds.
    public func rate(_ key: String, bounds: Bounds<Double>? = nil, required: Bool = false) -> Double? {
        value(key, required: required)?.rate(bounds: bounds)
    }

    /// A size string such as `"512MB"`, in bytes, within bounds.
    public func size(_ key: String, bounds: Bounds<Int64>? = nil, required: Bool = false) -> Int64? {
        value(key, required: required)?.size(bounds: bounds)
    }

    /// A percentage string such as `"99.9%"` (giving 99.9) within bounds.
    public func percentage(_ key: String, bounds: Bounds<Double>? = nil, required: Bool = false) -> Double? {
        value(key, required: required)?.percentage(bounds: bounds)
    }

    /// A nested object.
    public func object(_ key: String, required: Bool = false) -> ObjectReader? {
        value(key, required: required)?.object()
    }

    /// The elements of an array, each with its path (`services[1]`).
    public func array(_ key: String, required: Bool = false) -> [ValueReader]? {
        value(key, required: required)?.array()
    }

    /// The elements of an array of objects; elements that are not objects are reported and skipped.
    public func objects(_ key: String, required: Bool = false) -> [ObjectReader]? {
        array(key, required: required)?.compactMap { $0.object() }
    }

    /// Reports a problem with this object as a whole, at its opening brace.
    public func error(_ message: String) {
        diagnostics.error(message, at: node.location, path: path)
    }

    /// Reports a problem with a key's value, at the value, or at the object if the key is absent.
    public func error(_ message: String, key: String) {
        if let index = indexByKey[key] {
            diagnostics.error(message, at: members[index].value.location, path: path(of: key))
        } else {
            diagnostics.error(message, at: node.location, path: path(of: key))
        }
    }

    /// Reports every key that no accessor asked for, suggesting the nearest asked-for key.
    ///
    /// A key is suggested when its edit distance (Damerau–Levenshtein, optimal string alignment)
    /// is at most `max(2, length / 3)`; on a tie, the key asked for first wins.
    public func finish() {
        for member in members where !askedKeys.set.contains(member.key) {
            var message = "unknown key '\(member.key)'"
            if let suggestion = nearestKey(to: member.key) { message += "; did you mean '\(suggestion)'?" }
            diagnostics.error(message, at: member.keyLocation, path: path)
        }
    }

    /// The asked-for key nearest to `key`, as `NearestName.closest(to:among:)` picks it.
    func nearestKey(to key: String) -> String? {
        NearestName.closest(to: key, among: askedKeys.inOrder)
    }
}

/// Reads one JSON5 value for a schema, reporting problems to `Diagnostics` and returning `nil`.
public struct ValueReader {
    /// The value.
    public let node: JSON5Node
    /// The value's JSON path: `services[1].timeout`.
    public let path: String
    /// Where problems are reported.
    public let diagnostics: Diagnostics

    /// Wraps a node found at a path.
    public init(_ node: JSON5Node, path: String, diagnostics: Diagnostics) {
        self.node = node
        self.path = path
        self.diagnostics = diagnostics
    }

    /// Reports a problem with this value, at its first character.
    public func error(_ message: String) {
        diagnostics.error(message, at: node.location, path: path)
    }

    private func typeError(_ expected: String) {
        error("expected \(expected), found \(node.typeName)")
    }

    private func check<Value>(_ value: Value, _ bounds: Bounds<Value>?, found: String, format: (Value) -> String) -> Value? {
        guard let bounds, !bounds.contains(value) else { return value }
        error("\(bounds.requirement(format)), found \(found)")
        return nil
    }

    /// The string.
    public func string() -> String? {
        guard case .string(let text) = node.value else { typeError("a string"); return nil }
        return text
    }

    /// The Boolean.
    public func bool() -> Bool? {
        guard case .bool(let flag) = node.value else { typeError("a boolean"); return nil }
        return flag
    }

    /// The integer, which may be written `3`, `0x10` or `3.0`; `1.5` is reported.
    public func integer(bounds: Bounds<Int>? = nil) -> Int? {
        guard case .number(let number) = node.value else { typeError("an integer"); return nil }
        switch number.integrality {
        case .integer(let value):
            return check(Int(value), bounds, found: number.literal, format: { String($0) })
        case .fractional:
            error("must be an integer, found \(number.literal)")
        case .outOfRange:
            // Beyond 64 bits: the bounds only explain it when they limit that side.
            let isNegative = number.literal.hasPrefix("-")
            if let bounds, isNegative ? bounds.lower != nil : bounds.upper != nil {
                error("\(bounds.requirement { String($0) }), found \(number.literal)")
            } else {
                error("integer is too \(isNegative ? "small" : "large"), found \(number.literal)")
            }
        }
        return nil
    }

    /// The number.
    public func number(bounds: Bounds<Double>? = nil) -> Double? {
        guard case .number(let number) = node.value else { typeError("a number"); return nil }
        return check(number.doubleValue, bounds, found: number.literal, format: { Self.format($0) })
    }

    /// The duration, from a string such as `"250ms"`; a bare number is reported with a suggested unit.
    public func duration(bounds: Bounds<Interval>? = nil) -> Interval? {
        read("a duration string such as \"250ms\"", bareNumber: "a duration such as \"5s\"", suffix: { _ in "s" }, bounds: bounds,
             parse: Units.duration, format: Units.format)
    }

    /// The rate in events per second, from a string such as `"20/s"`.
    public func rate(bounds: Bounds<Double>? = nil) -> Double? {
        read("a rate string such as \"20/s\"", bareNumber: "a rate such as \"5/s\"", suffix: { _ in "/s" }, bounds: bounds,
             parse: Self.limitedRate, format: { Self.format($0) + "/s" })
    }

    /// The size in bytes, from a string such as `"512MB"`.
    public func size(bounds: Bounds<Int64>? = nil) -> Int64? {
        read("a size string such as \"512MB\"", bareNumber: "a size such as \"5MB\"", suffix: { $0.isIntegral ? "B" : "MB" }, bounds: bounds,
             parse: Self.limitedSize, format: { "\($0)B" })
    }

    /// A rate no higher than `ModelLimits.highestRate`: one a nanosecond, or simulated time
    /// could not tell one arrival from the next.
    static func limitedRate(_ text: String) throws(UnitError) -> Double {
        let highest = "the highest is 1/ns (\(Self.format(ModelLimits.highestRate))/s)"
        let perSecond: Double
        do {
            perSecond = try Units.rate(text)
        } catch {
            throw error.message.hasPrefix("rate is too large") ? UnitError(error.message + "; " + highest) : error
        }
        guard perSecond <= ModelLimits.highestRate else { throw UnitError("rate is too high, found \"\(text)\"; " + highest) }
        return perSecond
    }

    /// A size no larger than `ModelLimits.largestSize`, so that sums of sizes cannot overflow.
    static func limitedSize(_ text: String) throws(UnitError) -> Int64 {
        let largest = "the largest is \(ModelLimits.largestSize >> 40)TiB"
        let bytes: Int64
        do {
            bytes = try Units.size(text)
        } catch {
            throw error.message.hasPrefix("size is too large") ? UnitError(error.message + "; " + largest) : error
        }
        guard bytes <= ModelLimits.largestSize else { throw UnitError("size is too large, found \"\(text)\"; " + largest) }
        return bytes
    }

    /// The percentage, from a string such as `"99.9%"`, as the number before the sign.
    public func percentage(bounds: Bounds<Double>? = nil) -> Double? {
        read("a percentage string such as \"99.9%\"", bareNumber: "a percentage such as \"5%\"", suffix: { _ in "%" }, bounds: bounds,
             parse: Units.percentage, format: { Self.format($0) + "%" })
    }

    private func read<Value>(
        _ expected: String, bareNumber: String, suffix: (JSON5Number) -> String, bounds: Bounds<Value>?,
        parse: (String) throws(UnitError) -> Value, format: (Value) -> String
    ) -> Value? {
        switch node.value {
        case .string(let text):
            do {
                return check(try parse(text), bounds, found: text, format: format)
            } catch {
                self.error(error.message)
                return nil
            }
        case .number(let number):
            let suggestion = number.literal.hasPrefix("+") ? String(number.literal.dropFirst()) : number.literal
            self.error("expected \(bareNumber), found the number \(number.literal) (add a unit: \"\(suggestion)\(suffix(number))\")")
            return nil
        default:
            typeError(expected)
            return nil
        }
    }

    /// The object.
    public func object() -> ObjectReader? {
        ObjectReader(node, path: path, diagnostics: diagnostics)
    }

    /// The array's elements, each with its path (`services[1]`).
    public func array() -> [ValueReader]? {
        guard case .array(let elements) = node.value else { typeError("an array"); return nil }
        return elements.enumerated().map { index, element in
            ValueReader(element, path: JSONPath.appending(index: index, to: path), diagnostics: diagnostics)
        }
    }

    /// A double as Swift spells it shortest, without a trailing `.0`: `0.5`, `3`, `1e-05`.
    static func format(_ value: Double) -> String {
        let text = String(value)
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}

/// Builds JSON paths: `services[1].threads`, `limits["max size"]`.
enum JSONPath {
    static func appending(key: String, to path: String) -> String {
        let isPlain = key.unicodeScalars.first.map(isIdentifierStart) == true
            && key.unicodeScalars.allSatisfy(isIdentifierPart)
        if !isPlain {
            let escaped = key.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"")
            return path + "[\"" + escaped + "\"]"
        }
        return path.isEmpty ? key : path + "." + key
    }

    static func appending(index: Int, to path: String) -> String {
        path + "[\(index)]"
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}

/// Returns the optimal-string-alignment distance between two strings, counted in Unicode scalars.
///
/// Each insertion, deletion, substitution or swap of two adjacent scalars costs one edit; a
/// substring is edited at most once. Public so that the test targets, built in release mode
/// without `@testable`, can check it.
///
/// - Parameters:
///   - a: The first string.
///   - b: The second string.
/// - Returns: The number of edits that turn `a` into `b`; the same for `b` into `a`.
/// - Complexity: O(*m* × *n*), where *m* and *n* are the strings' lengths in scalars.
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previousPrevious = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                current[j] = min(current[j], previousPrevious[j - 2] + 1)
            }
        }
        (previousPrevious, previous, current) = (previous, current, previousPrevious)
    }
    return previous[b.count]
}
