import FailureChains
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

/// Loads a model from text named `m.json5`, returning every error as a compiler-style line, or
/// no lines when it loads.
func modelErrors(_ text: String) -> [String] {
    do {
        _ = try ModelLoader.load(bytes: Array(text.utf8), file: "m.json5")
        return []
    } catch {
        return error.errors.map(\.description)
    }
}

/// Loads a model from text named `m.json5`, throwing every problem as one message if it does not load.
func loadModel(_ text: String) throws -> SystemModel {
    do {
        return try ModelLoader.load(bytes: Array(text.utf8), file: "m.json5").model
    } catch {
        throw ModelTextFailure(description: error.description)
    }
}

/// A model text that was expected to load and did not, with every problem found.
struct ModelTextFailure: Error, CustomStringConvertible {
    var description: String
}
