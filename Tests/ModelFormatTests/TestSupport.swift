import ModelFormat

/// Parses text, returning the errors or `nil` when it parses.
func parseErrors(_ text: String, limits: ReaderLimits = .standard) -> ModelErrors? {
    parseErrors(bytes: Array(text.utf8), limits: limits)
}

/// Parses bytes, returning the errors or `nil` when they parse.
func parseErrors(bytes: [UInt8], limits: ReaderLimits = .standard) -> ModelErrors? {
    do {
        _ = try JSON5Parser.parse(bytes, file: "m.json5", limits: limits)
        return nil
    } catch {
        return error
    }
}

/// A compact rendering without locations: `{a:1,b:["x",true,null]}`.
func render(_ node: JSON5Node) -> String {
    switch node.value {
    case .null: "null"
    case .bool(let flag): String(flag)
    case .number(let number): number.literal
    case .string(let text): "\"" + text + "\""
    case .array(let elements): "[" + elements.map(render).joined(separator: ",") + "]"
    case .object(let members): "{" + members.map { $0.key + ":" + render($0.value) }.joined(separator: ",") + "}"
    }
}
