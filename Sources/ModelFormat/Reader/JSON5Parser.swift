/// Hard limits that a model file must stay within before it is parsed any further.
public struct ReaderLimits: Equatable, Sendable {
    /// The deepest allowed nesting of arrays and objects; `[[1]]` is nested two deep.
    public let maximumDepth: Int
    /// The largest allowed file, in bytes.
    public let maximumBytes: Int

    /// The limits used for model files: 64 levels and 4 MiB.
    public static let standard = ReaderLimits()

    /// Creates limits.
    ///
    /// The depth is capped at 1000 because a parsed tree is released recursively.
    ///
    /// - Parameters:
    ///   - maximumDepth: The deepest allowed nesting; 1 through 1000.
    ///   - maximumBytes: The largest allowed file, in bytes; not negative.
    public init(maximumDepth: Int = 64, maximumBytes: Int = 4 * 1024 * 1024) {
        precondition((1...1000).contains(maximumDepth), "maximumDepth must be in 1...1000, found \(maximumDepth)")
        precondition(maximumBytes >= 0, "maximumBytes must not be negative, found \(maximumBytes)")
        self.maximumDepth = maximumDepth
        self.maximumBytes = maximumBytes
    }
}

/// A strict JSON5 reader that keeps the location of every value.
///
/// Follows the JSON5 specification (comments, single-quoted strings, identifier keys, trailing
/// commas, hexadecimal numbers, leading and trailing decimal points, explicit plus signs) and
/// rejects, with a located error, what a model file must not contain: invalid UTF-8, NaN and
/// infinities, numbers too large for a double, unpaired surrogates, duplicate keys, nesting or
/// size beyond `ReaderLimits`, an empty document and anything after the value. Containers are
/// parsed with an explicit stack, so no input can overflow the call stack.
public enum JSON5Parser {
    /// Parses a whole JSON5 document.
    ///
    /// A syntax error stops the parse; duplicate keys found before it are reported too.
    ///
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - file: The file's name as given by the user, used in errors.
    ///   - limits: Size and nesting limits.
    /// - Returns: The document's single top-level value.
    /// - Throws: `ModelErrors` with every duplicate key and at most one syntax error.
    public static func parse(_ bytes: [UInt8], file: String, limits: ReaderLimits = .standard) throws(ModelErrors) -> JSON5Node {
        var parser = Parser(bytes: bytes, file: file, limits: limits)
        let root: JSON5Node
        do {
            root = try parser.parseDocument()
        } catch {
            throw ModelErrors(parser.duplicateKeyErrors + [error])
        }
        if !parser.duplicateKeyErrors.isEmpty { throw ModelErrors(parser.duplicateKeyErrors) }
        return root
    }
}

// MARK: - Parser

private struct Parser {
    let bytes: [UInt8]
    let file: String
    let limits: ReaderLimits
    var index = 0
    var line = 1
    var column = 1
    var duplicateKeyErrors: [ModelError] = []

    init(bytes: [UInt8], file: String, limits: ReaderLimits) {
        self.bytes = bytes
        self.file = file
        self.limits = limits
    }

    /// An array or object still being read.
    struct Container {
        let isObject: Bool
        let start: SourceLocation
        var elements: [JSON5Node] = []
        var members: [JSON5Member] = []
        var keyLines: [String: Int] = [:]
        var pendingKey = ""
        var pendingKeyLocation = SourceLocation.start

        var node: JSON5Node {
            JSON5Node(location: start, value: isObject ? .object(members) : .array(elements))
        }
    }

    var location: SourceLocation { SourceLocation(line: line, column: column) }
    var isAtEnd: Bool { index >= bytes.count }
    var currentByte: UInt8? { index < bytes.count ? bytes[index] : nil }

    func failure(_ message: String, at location: SourceLocation) -> ModelError {
        ModelError(file: file, location: location, message: message)
    }

    // MARK: Document

    mutating func parseDocument() throws(ModelError) -> JSON5Node {
        if bytes.count > limits.maximumBytes {
            throw failure("file is \(bytes.count) bytes, more than the limit of \(limits.maximumBytes) bytes", at: .start)
        }
        try validateUTF8()
        try skipTrivia()
        if isAtEnd { throw failure("the document is empty; expected a value", at: location) }

        var stack: [Container] = []
        var completed: JSON5Node
        parsing: while true {
            let start = location
            switch currentByte {
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                let isObject = currentByte == UInt8(ascii: "{")
                if stack.count >= limits.maximumDepth {
                    throw failure("nesting is deeper than the limit of \(limits.maximumDepth) levels", at: start)
                }
                advance()
                try skipTrivia()
                if currentByte == UInt8(ascii: isObject ? "}" : "]") {
                    advance()
                    completed = JSON5Node(location: start, value: isObject ? .object([]) : .array([]))
                } else {
                    var container = Container(isObject: isObject, start: start)
                    if isObject { try readKey(into: &container, stack: stack, expected: "expected a key or '}'") }
                    stack.append(container)
                    continue parsing
                }
            default:
                completed = try parseScalar()
            }
            // Attach the completed value and close every container that ends here.
            while var container = stack.popLast() {
                if container.isObject {
                    container.members.append(JSON5Member(
                        key: container.pendingKey, keyLocation: container.pendingKeyLocation, value: completed))
                } else {
                    container.elements.append(completed)
                }
                try skipTrivia()
                let closer = UInt8(ascii: container.isObject ? "}" : "]")
                if currentByte == UInt8(ascii: ",") {
                    advance()
                    try skipTrivia()
                    if currentByte == closer {
                        advance()
                        completed = container.node
                        continue
                    }
                    if container.isObject {
                        try readKey(into: &container, stack: stack, expected: "expected a key or '}' after ','")
                    } else if isAtEnd {
                        throw failure("expected a value or ']' after ',', found end of file", at: location)
                    }
                    stack.append(container)
                    continue parsing
                } else if currentByte == closer {
                    advance()
                    completed = container.node
                } else if container.isObject {
                    throw failure("expected ',' or '}' after member, found \(describeCurrent())", at: location)
                } else {
                    throw failure("expected ',' or ']' after array element, found \(describeCurrent())", at: location)
                }
            }
            break parsing
        }
        try skipTrivia()
        if !isAtEnd {
            throw failure("expected end of file after the value, found \(describeCurrent())", at: location)
        }
        return completed
    }

    /// Reads `key :` and the trivia after it; records a duplicate key.
    mutating func readKey(into container: inout Container, stack: [Container], expected: String) throws(ModelError) {
        let keyLocation = location
        let key: String
        switch currentByte {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            key = try parseString()
        default:
            guard let scalar = currentScalar(), isIdentifierStart(scalar) || scalar == "\\" else {
                throw failure("\(expected), found \(describeCurrent())", at: keyLocation)
            }
            key = try parseIdentifier()
        }
        try skipTrivia()
        guard currentByte == UInt8(ascii: ":") else {
            throw failure("expected ':' after key '\(key)', found \(describeCurrent())", at: location)
        }
        advance()
        try skipTrivia()
        if let firstLine = container.keyLines[key] {
            var path = ""
            for enclosing in stack {
                path = enclosing.isObject
                    ? JSONPath.appending(key: enclosing.pendingKey, to: path)
                    : JSONPath.appending(index: enclosing.elements.count, to: path)
            }
            duplicateKeyErrors.append(ModelError(
                file: file, location: keyLocation, path: JSONPath.appending(key: key, to: path),
                message: "duplicate key '\(key)'; the first is on line \(firstLine)"))
        } else {
            container.keyLines[key] = keyLocation.line
        }
        container.pendingKey = key
        container.pendingKeyLocation = keyLocation
        if isAtEnd { throw failure("expected a value after ':', found end of file", at: location) }
    }

    // MARK: Scalars

    mutating func parseScalar() throws(ModelError) -> JSON5Node {
        let start = location
        guard let byte = currentByte else { throw failure("expected a value, found end of file", at: start) }
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            return JSON5Node(location: start, value: .string(try parseString()))
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSON5Node(location: start, value: .number(try parseNumber()))
        default:
            guard let scalar = currentScalar(), isIdentifierStart(scalar) else {
                throw failure("expected a value, found \(describeCurrent())", at: start)
            }
            let word = peekWord()
            switch word {
            case "null": skip(word); return JSON5Node(location: start, value: .null)
            case "true": skip(word); return JSON5Node(location: start, value: .bool(true))
            case "false": skip(word); return JSON5Node(location: start, value: .bool(false))
            case "NaN", "Infinity": throw failure("NaN and infinities are not allowed", at: start)
            default: throw failure("expected a value, found '\(word)' (strings must be quoted)", at: start)
            }
        }
    }

    mutating func skip(_ word: String) {
        for _ in word.unicodeScalars { advance() }
    }

    mutating func parseNumber() throws(ModelError) -> JSON5Number {
        let start = location
        let startIndex = index
        var isNegative = false
        if currentByte == UInt8(ascii: "+") || currentByte == UInt8(ascii: "-") {
            isNegative = currentByte == UInt8(ascii: "-")
            advance()
        }
        var doubleValue: Double
        if let scalar = currentScalar(), isIdentifierStart(scalar) {
            let word = peekWord()
            if word == "NaN" || word == "Infinity" { throw failure("NaN and infinities are not allowed", at: start) }
            throw failure("expected a digit after the sign, found '\(word)'", at: location)
        }
        if currentByte == UInt8(ascii: "0"), index + 1 < bytes.count, bytes[index + 1] | 0x20 == UInt8(ascii: "x") {
            advance(); advance()
            let hexStart = index
            guard let byte = currentByte, hexDigitValue(byte) != nil else {
                throw failure("expected a hexadecimal digit after '0x', found \(describeCurrent())", at: location)
            }
            doubleValue = 0
            while let byte = currentByte, let digit = hexDigitValue(byte) {
                doubleValue = doubleValue * 16 + Double(digit)
                advance()
            }
            let hexDigits = String(decoding: bytes[hexStart..<index], as: UTF8.self)
            if let exact = UInt64(hexDigits, radix: 16) { doubleValue = Double(exact) }
            if isNegative { doubleValue = -doubleValue }
        } else {
            var integerDigits = ""
            var fractionDigits = ""
            var exponent = ""
            if currentByte == UInt8(ascii: "0") {
                integerDigits = "0"
                advance()
                if let byte = currentByte, isDecimalDigit(byte) {
                    throw failure("numbers must not have leading zeros", at: start)
                }
            } else {
                while let byte = currentByte, isDecimalDigit(byte) { integerDigits.append(Character(Unicode.Scalar(byte))); advance() }
            }
            if currentByte == UInt8(ascii: ".") {
                advance()
                while let byte = currentByte, isDecimalDigit(byte) { fractionDigits.append(Character(Unicode.Scalar(byte))); advance() }
            }
            if integerDigits.isEmpty && fractionDigits.isEmpty {
                throw failure("expected a digit, found \(describeCurrent())", at: location)
            }
            if let byte = currentByte, byte | 0x20 == UInt8(ascii: "e") {
                advance()
                if let sign = currentByte, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                    exponent.append(Character(Unicode.Scalar(sign)))
                    advance()
                }
                guard let byte = currentByte, isDecimalDigit(byte) else {
                    throw failure("expected a digit in the exponent, found \(describeCurrent())", at: location)
                }
                while let byte = currentByte, isDecimalDigit(byte) { exponent.append(Character(Unicode.Scalar(byte))); advance() }
            }
            let normalized = (isNegative ? "-" : "") + (integerDigits.isEmpty ? "0" : integerDigits)
                + "." + (fractionDigits.isEmpty ? "0" : fractionDigits) + (exponent.isEmpty ? "" : "e" + exponent)
            doubleValue = Double(normalized) ?? .infinity
        }
        let literal = String(decoding: bytes[startIndex..<index], as: UTF8.self)
        if let scalar = currentScalar(), isIdentifierPart(scalar) {
            let word = peekWord()
            throw failure(
                "expected a separator after the number \(literal), found '\(word)' (values with units are strings: \"\(literal)\(word)\")",
                at: location)
        }
        guard doubleValue.isFinite else { throw failure("number is too large, found \(literal)", at: start) }
        return JSON5Number(literal: literal, doubleValue: doubleValue)
    }

    mutating func parseString() throws(ModelError) -> String {
        let quote = bytes[index]
        advance()
        var buffer: [UInt8] = []
        while true {
            guard let byte = currentByte else {
                throw failure("expected '\(Character(Unicode.Scalar(quote)))' to close the string, found end of file", at: location)
            }
            if byte == quote {
                advance()
                return String(decoding: buffer, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                if let scalar = try parseEscape() { buffer.append(contentsOf: Array(String(scalar).utf8)) }
                continue
            }
            if byte == 0x0A || byte == 0x0D {
                throw failure(
                    "expected '\(Character(Unicode.Scalar(quote)))' to close the string, found end of line (write \\n for a line break)",
                    at: location)
            }
            let length = scalarLength(at: index)
            buffer.append(contentsOf: bytes[index..<(index + length)])
            advance()
        }
    }

    /// Reads one escape sequence at a backslash; `nil` for a line continuation.
    mutating func parseEscape() throws(ModelError) -> Unicode.Scalar? {
        let escapeStart = location
        advance()
        guard let scalar = currentScalar() else {
            throw failure("expected an escape character after '\\', found end of file", at: location)
        }
        switch scalar {
        case "b": advance(); return "\u{08}"
        case "f": advance(); return "\u{0C}"
        case "n": advance(); return "\n"
        case "r": advance(); return "\r"
        case "t": advance(); return "\t"
        case "v": advance(); return "\u{0B}"
        case "0":
            advance()
            if let byte = currentByte, isDecimalDigit(byte) {
                throw failure("octal escapes are not allowed", at: escapeStart)
            }
            return "\u{00}"
        case "1"..."9":
            throw failure("invalid escape '\\\(scalar)'; digits cannot be escaped", at: escapeStart)
        case "x":
            advance()
            let value = try hexDigits(count: 2, after: "\\x")
            return Unicode.Scalar(UInt8(value))
        case "u":
            let unit = try unicodeEscapeUnit(start: escapeStart)
            switch unit {
            case 0xD800...0xDBFF:
                if currentByte == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") {
                    let saved = (index, line, column)
                    let lowStart = location
                    advance()
                    let low = try unicodeEscapeUnit(start: lowStart)
                    if (0xDC00...0xDFFF).contains(low) {
                        return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                    }
                    (index, line, column) = saved
                }
                throw failure("unpaired surrogate '\\u\(hex(unit))' in string", at: escapeStart)
            case 0xDC00...0xDFFF:
                throw failure("unpaired surrogate '\\u\(hex(unit))' in string", at: escapeStart)
            default:
                return Unicode.Scalar(unit)
            }
        case "\n", "\u{2028}", "\u{2029}":
            advance()
            return nil
        case "\r":
            advance()
            if currentByte == 0x0A { advance() }
            return nil
        default:
            advance()
            return scalar  // a JSON5 NonEscapeCharacter stands for itself: \q is q, \' is '
        }
    }

    /// Reads the four hex digits after `\u` (the cursor is on the `u`).
    mutating func unicodeEscapeUnit(start: SourceLocation) throws(ModelError) -> UInt32 {
        advance()
        return try hexDigits(count: 4, after: "\\u")
    }

    mutating func hexDigits(count: Int, after prefix: String) throws(ModelError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let byte = currentByte, let digit = hexDigitValue(byte) else {
                throw failure("expected \(count) hexadecimal digits after '\(prefix)', found \(describeCharacter())", at: location)
            }
            value = value * 16 + UInt32(digit)
            advance()
        }
        return value
    }

    func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Reads an ECMAScript IdentifierName, resolving `\uXXXX` escapes.
    mutating func parseIdentifier() throws(ModelError) -> String {
        var scalars = String.UnicodeScalarView()
        while let scalar = currentScalar() {
            let isFirst = scalars.isEmpty
            if scalar == "\\" {
                let escapeStart = location
                advance()
                guard currentByte == UInt8(ascii: "u") else {
                    throw failure("expected 'u' after '\\' in a key, found \(describeCharacter())", at: location)
                }
                let unit = try unicodeEscapeUnit(start: escapeStart)
                guard let escaped = Unicode.Scalar(unit),
                      isFirst ? isIdentifierStart(escaped) : isIdentifierPart(escaped) else {
                    throw failure("'\\u\(hex(unit))' is not allowed in an unquoted key", at: escapeStart)
                }
                scalars.append(escaped)
            } else if isFirst ? isIdentifierStart(scalar) : isIdentifierPart(scalar) {
                scalars.append(scalar)
                advance()
            } else {
                break
            }
        }
        return String(scalars)
    }

    // MARK: Trivia

    mutating func skipTrivia() throws(ModelError) {
        while let byte = currentByte {
            switch byte {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20:
                advance()
            case UInt8(ascii: "/"):
                let next = index + 1 < bytes.count ? bytes[index + 1] : 0
                if next == UInt8(ascii: "/") {
                    while let scalar = currentScalar(), !isLineTerminator(scalar) { advance() }
                } else if next == UInt8(ascii: "*") {
                    let start = location
                    advance(); advance()
                    while true {
                        guard let byte = currentByte else {
                            throw failure("expected '*/' to close the comment, found end of file", at: start)
                        }
                        if byte == UInt8(ascii: "*"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") {
                            advance(); advance()
                            break
                        }
                        advance()
                    }
                } else {
                    return
                }
            case 0x80...:
                guard let scalar = currentScalar(), isWhitespace(scalar) else { return }
                advance()
            default:
                return
            }
        }
    }

    // MARK: Bytes and scalars

    /// Checks the whole file is well-formed UTF-8, reporting the first ill-formed sequence.
    mutating func validateUTF8() throws(ModelError) {
        var position = 0
        while position < bytes.count {
            let lead = bytes[position]
            var length = 1
            var secondRange: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; secondRange = 0xA0...0xBF
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; secondRange = 0x80...0x9F
            case 0xF0: length = 4; secondRange = 0x90...0xBF
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; secondRange = 0x80...0x8F
            default: length = 0
            }
            var bad = length == 0 ? 1 : 0  // how many bytes of the sequence to quote
            if length > 1 {
                for offset in 1..<length {
                    guard position + offset < bytes.count else {
                        moveTo(position)
                        throw failure("invalid UTF-8: the file ends inside a multi-byte sequence", at: location)
                    }
                    let byte = bytes[position + offset]
                    if !(offset == 1 ? secondRange : 0x80...0xBF).contains(byte) {
                        bad = offset + 1
                        break
                    }
                }
            }
            if bad > 0 {
                moveTo(position)
                let quoted = bytes[position..<(position + bad)].map { "0x" + String($0, radix: 16, uppercase: true) }
                throw failure("invalid UTF-8 (\(bad == 1 ? "byte" : "bytes") \(quoted.joined(separator: " ")))", at: location)
            }
            position += length
        }
    }

    /// Moves the cursor forward to a byte offset at a scalar boundary, updating line and column.
    mutating func moveTo(_ target: Int) {
        while index < target { advance() }
    }

    func scalarLength(at position: Int) -> Int {
        switch bytes[position] {
        case ..<0x80: 1
        case ..<0xE0: 2
        case ..<0xF0: 3
        default: 4
        }
    }

    /// The scalar at the cursor; the file has already been validated.
    func currentScalar() -> Unicode.Scalar? {
        guard index < bytes.count else { return nil }
        let lead = UInt32(bytes[index])
        let value: UInt32
        switch scalarLength(at: index) {
        case 1: value = lead
        case 2: value = (lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
        case 3: value = (lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
        default:
            value = (lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12
                | UInt32(bytes[index + 2] & 0x3F) << 6 | UInt32(bytes[index + 3] & 0x3F)
        }
        return Unicode.Scalar(value) ?? "\u{FFFD}"
    }

    /// Moves past one scalar, counting lines and columns.
    mutating func advance() {
        guard index < bytes.count else { return }
        let byte = bytes[index]
        if byte < 0x80 {
            index += 1
            if byte == 0x0A {
                line += 1; column = 1
            } else if byte == 0x0D {
                if currentByte != 0x0A { line += 1; column = 1 }  // CR LF counts once, at the LF
            } else {
                column += 1
            }
            return
        }
        let scalar = currentScalar()
        index += scalarLength(at: index)
        if scalar == "\u{2028}" || scalar == "\u{2029}" {
            line += 1; column = 1
        } else {
            column += 1
        }
    }

    /// The identifier-like word at the cursor, without moving; at most 40 scalars.
    func peekWord() -> String {
        var copy = self
        var scalars = String.UnicodeScalarView()
        while let scalar = copy.currentScalar(), isIdentifierPart(scalar), scalars.count < 40 {
            scalars.append(scalar)
            copy.advance()
        }
        return String(scalars)
    }

    /// What is at the cursor, for "found …" in messages.
    func describeCurrent() -> String {
        guard let scalar = currentScalar() else { return "end of file" }
        if isIdentifierStart(scalar) { return "'\(peekWord())'" }
        if scalar == "\"" || scalar == "'" { return "a string" }
        if scalar.properties.numericType != nil, scalar.isASCII { return "a number" }
        return describeCharacter()
    }

    /// The single character at the cursor, for "found …" in messages.
    func describeCharacter() -> String {
        guard let scalar = currentScalar() else { return "end of file" }
        switch scalar.properties.generalCategory {
        case .control, .format, .unassigned, .surrogate, .privateUse, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return "U+\(hex(scalar.value))"
        default:
            return "'\(scalar)'"
        }
    }
}

// MARK: - Character classes

func isLineTerminator(_ scalar: Unicode.Scalar) -> Bool {
    scalar == "\n" || scalar == "\r" || scalar == "\u{2028}" || scalar == "\u{2029}"
}

func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "\t", "\n", "\u{0B}", "\u{0C}", "\r", " ", "\u{A0}", "\u{FEFF}", "\u{2028}", "\u{2029}": true
    default: scalar.properties.generalCategory == .spaceSeparator
    }
}

/// ECMAScript 5.1 IdentifierStart, without the `\` escape.
func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.isASCII {
        let value = scalar.value
        return (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) || scalar == "_" || scalar == "$"
    }
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .letterNumber: return true
    default: return false
    }
}

/// ECMAScript 5.1 IdentifierPart, without the `\` escape.
func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
    if isIdentifierStart(scalar) { return true }
    if scalar.isASCII { return (0x30...0x39).contains(scalar.value) }
    if scalar == "\u{200C}" || scalar == "\u{200D}" { return true }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .spacingMark, .decimalNumber, .connectorPunctuation: return true
    default: return false
    }
}
