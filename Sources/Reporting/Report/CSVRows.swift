/// A CSV file read back into rows of fields, as `CSVText` writes them: fields separated by commas,
/// a field in double quotes when it holds a comma, a quote (doubled) or a line break.
public enum CSVRows {
    /// The rows of a CSV text, the header included; a final line break ends the last row.
    ///
    /// - Parameter text: The file's text.
    /// - Returns: Each row's fields, in order.
    public static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var isQuoted = false
        var bytes = Array(text.utf8)
        if bytes.last != 10 { bytes.append(10) }
        var index = 0
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline: UInt8 = 10, carriageReturn: UInt8 = 13
        while index < bytes.count {
            let byte = bytes[index]
            if isQuoted {
                if byte == quote {
                    if index + 1 < bytes.count && bytes[index + 1] == quote {
                        field.append(quote)
                        index += 1
                    } else {
                        isQuoted = false
                    }
                } else {
                    field.append(byte)
                }
            } else if byte == quote && field.isEmpty {
                isQuoted = true
            } else if byte == comma {
                row.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
            } else if byte == newline {
                row.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                rows.append(row)
                row = []
            } else if byte != carriageReturn {
                field.append(byte)
            }
            index += 1
        }
        return rows
    }
}
