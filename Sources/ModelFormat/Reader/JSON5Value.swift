/// A parsed JSON5 value together with the location where it starts.
public struct JSON5Node: Equatable, Sendable {
    /// Where the value's first character is (the sign of a number, the quote of a string).
    public var location: SourceLocation
    /// The value.
    public var value: JSON5Value

    /// Creates a node.
    public init(location: SourceLocation, value: JSON5Value) {
        self.location = location
        self.value = value
    }

    /// The value's kind with an article, for messages: "an object", "a string".
    public var typeName: String { value.typeName }
}

/// A JSON5 value; arrays and objects keep their elements in source order.
public indirect enum JSON5Value: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(JSON5Number)
    case string(String)
    case array([JSON5Node])
    case object([JSON5Member])

    /// The value's kind with an article, for messages: "null", "a boolean", "a number", "a string",
    /// "an array", "an object".
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// One `key: value` pair of a JSON5 object.
public struct JSON5Member: Equatable, Sendable {
    /// The key, with escapes resolved.
    public var key: String
    /// Where the key starts.
    public var keyLocation: SourceLocation
    /// The value.
    public var value: JSON5Node

    /// Creates a member.
    public init(key: String, keyLocation: SourceLocation, value: JSON5Node) {
        self.key = key
        self.keyLocation = keyLocation
        self.value = value
    }
}

/// A finite JSON5 number that remembers how it was written.
///
/// Two numbers are equal when their literals are equal, so `1.0` and `1` differ.
public struct JSON5Number: Equatable, Sendable, CustomStringConvertible {
    /// The literal as written, sign included: `-0x10`, `.5`, `1e3`.
    public let literal: String
    /// The nearest double; always finite.
    public let doubleValue: Double

    init(literal: String, doubleValue: Double) {
        self.literal = literal
        self.doubleValue = doubleValue
    }

    /// The exact value when the literal denotes an integer that fits in `Int64`, otherwise `nil`.
    ///
    /// `16`, `0x10`, `1.6e1` and `16.0` all give 16; `1.5` and `1e19` give `nil`.
    public var integerValue: Int64? {
        if case .integer(let value) = integrality { return value }
        return nil
    }

    /// Whether the literal denotes a whole number, however large.
    public var isIntegral: Bool {
        if case .fractional = integrality { return false }
        return true
    }

    /// The literal as written.
    public var description: String { literal }

    enum Integrality: Equatable {
        case integer(Int64)
        case fractional
        case outOfRange
    }

    /// Classifies the literal exactly, from its digits, without going through `Double`.
    var integrality: Integrality {
        let parts = self.parts
        if case .hexadecimal(let isNegative, let magnitude) = parts {
            guard let magnitude else { return .outOfRange }
            return Self.signed(magnitude, isNegative: isNegative)
        }
        guard case .decimal(let isNegative, let significant, let scale) = parts else { return .integer(0) }
        if significant.isEmpty { return .integer(0) }
        if scale < 0 { return .fractional }
        guard let magnitude = Self.magnitude(of: significant, scale: scale) else { return .outOfRange }
        return Self.signed(magnitude, isNegative: isNegative)
    }

    /// The value times 10^`places`, with the digits beyond that truncated toward zero, computed
    /// exactly from the literal's digits.
    ///
    /// With three places, `0.0125` gives 12, `1.005` gives 1005 (its nearest double is below
    /// 1.005), `1e-1` gives 100 and `0.0005` gives 0.
    ///
    /// - Parameter places: The number of decimal places to keep; at least 0.
    /// - Returns: The scaled value, or `nil` when it does not fit in `Int64`.
    public func truncated(toDecimalPlaces places: Int) -> Int64? {
        precondition(places >= 0, "decimal places must not be negative, found \(places)")
        switch parts {
        case .hexadecimal(let isNegative, let magnitude):
            guard let magnitude else { return nil }
            var scaled = magnitude
            for _ in 0..<places {
                let (product, overflow) = scaled.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                scaled = product
            }
            guard case .integer(let value) = Self.signed(scaled, isNegative: isNegative) else { return nil }
            return value
        case .decimal(let isNegative, var significant, var scale):
            scale += places
            if scale < 0 {
                significant.removeLast(min(-scale, significant.count))
                scale = 0
            }
            if significant.isEmpty { return 0 }
            guard let magnitude = Self.magnitude(of: significant, scale: scale),
                  case .integer(let value) = Self.signed(magnitude, isNegative: isNegative) else { return nil }
            return value
        }
    }

    /// A literal taken apart: a hexadecimal magnitude (nil beyond `UInt64`), or decimal digits
    /// without leading or trailing zeros and the power of ten that scales them (`-12.50e1` is
    /// 125 × 10⁰; zero has no digits).
    private enum Parts {
        case hexadecimal(isNegative: Bool, magnitude: UInt64?)
        case decimal(isNegative: Bool, significant: [UInt8], scale: Int)
    }

    private var parts: Parts {
        let text = Array(literal.utf8)
        var index = 0
        var isNegative = false
        if index < text.count, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") {
            isNegative = text[index] == UInt8(ascii: "-")
            index += 1
        }
        if index + 1 < text.count, text[index] == UInt8(ascii: "0"), text[index + 1] | 0x20 == UInt8(ascii: "x") {
            var magnitude: UInt64 = 0
            for byte in text[(index + 2)...] {
                guard let digit = hexDigitValue(byte) else { break }
                let (shifted, overflow) = magnitude.multipliedReportingOverflow(by: 16)
                if overflow { return .hexadecimal(isNegative: isNegative, magnitude: nil) }
                magnitude = shifted + UInt64(digit)
            }
            return .hexadecimal(isNegative: isNegative, magnitude: magnitude)
        }
        var digits: [UInt8] = []
        var fractionCount = 0
        while index < text.count, isDecimalDigit(text[index]) { digits.append(text[index]); index += 1 }
        if index < text.count, text[index] == UInt8(ascii: ".") {
            index += 1
            while index < text.count, isDecimalDigit(text[index]) {
                digits.append(text[index]); fractionCount += 1; index += 1
            }
        }
        var exponent = 0
        if index < text.count, text[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentIsNegative = false
            if index < text.count, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") {
                exponentIsNegative = text[index] == UInt8(ascii: "-")
                index += 1
            }
            while index < text.count, isDecimalDigit(text[index]) {
                exponent = min(exponent * 10 + Int(text[index] - UInt8(ascii: "0")), 1_000_000_000)
                index += 1
            }
            if exponentIsNegative { exponent = -exponent }
        }
        var scale = exponent - fractionCount
        guard let firstSignificant = digits.firstIndex(where: { $0 != UInt8(ascii: "0") }) else {
            return .decimal(isNegative: isNegative, significant: [], scale: 0)
        }
        var significant = Array(digits[firstSignificant...])
        while significant.last == UInt8(ascii: "0") {
            significant.removeLast()
            scale += 1
        }
        return .decimal(isNegative: isNegative, significant: significant, scale: scale)
    }

    /// The decimal digits followed by `scale` zeros, or nil beyond `UInt64`.
    private static func magnitude(of significant: [UInt8], scale: Int) -> UInt64? {
        if significant.count + scale > 20 { return nil }
        var magnitude: UInt64 = 0
        for digit in significant + Array(repeating: UInt8(ascii: "0"), count: scale) {
            let (shifted, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, carry) = shifted.addingReportingOverflow(UInt64(digit - UInt8(ascii: "0")))
            if overflow || carry { return nil }
            magnitude = sum
        }
        return magnitude
    }

    private static func signed(_ magnitude: UInt64, isNegative: Bool) -> Integrality {
        if isNegative {
            if magnitude == UInt64(Int64.max) + 1 { return .integer(.min) }
            return magnitude <= UInt64(Int64.max) ? .integer(-Int64(magnitude)) : .outOfRange
        }
        return magnitude <= UInt64(Int64.max) ? .integer(Int64(magnitude)) : .outOfRange
    }
}

func isDecimalDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
}

func hexDigitValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}
