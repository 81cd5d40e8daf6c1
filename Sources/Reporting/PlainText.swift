/// The few string operations of Foundation's `NSString` that the output code uses, on Unicode
/// scalars and bytes, so the tool does not need Foundation's full library.
extension StringProtocol {
    /// The text without the white space at either end that `CharacterSet.whitespaces` names: the
    /// tab and the space separators (Unicode category Zs).
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator
        }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0) })!
        var trimmed = String.UnicodeScalarView()
        trimmed.append(contentsOf: scalars[first...last])
        return String(trimmed)
    }

    /// The text with every occurrence of `target` replaced by `replacement`, left to right,
    /// matched byte for byte (both are UTF-8, so a match always starts and ends on a scalar).
    func replacingEvery(_ target: String, with replacement: String) -> String {
        let needle = Array(target.utf8)
        guard let head = needle.first else { return String(self) }
        let bytes = Array(utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == head, index + needle.count <= bytes.count, bytes[index..<index + needle.count].elementsEqual(needle) {
                result.append(contentsOf: replacement.utf8)
                index += needle.count
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
