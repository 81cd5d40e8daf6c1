import ModelFormat

/// The JSON files a run or a study writes (`run.json`, `study.json`, `tipping.json`), read back as
/// Foundation's `JSONSerialization` gave them: an object as `[String: Any]`, an array as `[Any]`,
/// and `String`, `Bool`, `ManifestNumber` or `ManifestNull` for the rest. Parsed by the model
/// reader's parser, so the tool does not need Foundation's full library (and its ICU) to start.
public enum ManifestJSON {
    /// The document's top-level object, or nil when the text is not a JSON object.
    public static func object(_ text: String) -> [String: Any]? { object(bytes: Array(text.utf8)) }

    /// The top-level object of a document given as UTF-8 bytes, or nil when it is not a JSON object.
    public static func object(bytes: [UInt8]) -> [String: Any]? {
        guard let root = try? JSON5Parser.parse(bytes, file: "") else { return nil }
        return value(root.value) as? [String: Any]
    }

    private static func value(_ value: JSON5Value) -> Any {
        switch value {
        case .null: return ManifestNull()
        case .bool(let flag): return flag
        case .number(let number): return ManifestNumber(number)
        case .string(let text): return text
        case .array(let nodes): return nodes.map { Self.value($0.value) } as [Any]
        case .object(let members):
            var object: [String: Any] = [:]
            for member in members { object[member.key] = Self.value(member.value.value) }
            return object
        }
    }
}

/// A JSON `null` in a manifest.
public struct ManifestNull: Sendable {}

/// A number in a manifest, as Foundation's `NSNumber` read it: an integer when its literal is one
/// (its digits), a double otherwise (written as Swift writes a `Double`: `25200.0`, `0.95`, `1e-09`).
public struct ManifestNumber: Sendable, CustomStringConvertible {
    private let number: JSON5Number

    init(_ number: JSON5Number) { self.number = number }

    /// The exact integer when the number is a whole one that fits.
    public var int: Int? { number.integerValue.flatMap { Int(exactly: $0) } }

    /// The number as a double.
    public var double: Double { number.doubleValue }

    /// Its text, as `NSNumber.stringValue` spelled it.
    public var description: String {
        let literal = number.literal
        if !literal.contains(where: { $0 == "." || $0 == "e" || $0 == "E" || $0 == "x" || $0 == "X" }) {
            if let integer = Int64(literal) { return String(integer) }
            if let integer = UInt64(literal) { return String(integer) }
            return literal
        }
        return number.doubleValue.description
    }
}
