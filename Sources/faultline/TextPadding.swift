extension String {
    /// The text cut or padded with spaces to `length` UTF-16 code units, as Foundation's
    /// `padding(toLength:withPad: " ", startingAt: 0)` made it, without Foundation's full library.
    func paddedWithSpaces(toLength length: Int) -> String {
        let units = utf16.count
        if units == length { return self }
        if units < length { return self + String(repeating: " ", count: length - units) }
        return String(decoding: Array(utf16.prefix(max(0, length))), as: UTF16.self)
    }
}
