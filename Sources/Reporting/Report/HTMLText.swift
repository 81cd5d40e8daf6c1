/// Text made safe for HTML and SVG: element content and attribute values.
enum HTMLText {
    /// `&`, `<`, `>`, `"` and `'` as character references.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// A coordinate or size for SVG, with at most one decimal: `12.5`, `300`.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = (value * 10).rounded()
        if tenths == tenths.rounded(.towardZero), Int64(tenths) % 10 == 0 { return String(Int64(tenths) / 10) }
        let whole = Int64(tenths) / 10, fraction = abs(Int64(tenths) % 10)
        return (tenths < 0 && whole == 0 ? "-" : "") + String(whole) + "." + String(fraction)
    }
}
