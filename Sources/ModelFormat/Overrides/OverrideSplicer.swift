/// Splices `--set` overrides into a model's JSON5 tree before it is decoded, so an override's
/// value is checked by the same decoder as the file and its problems read the same way.
///
/// The k-th override's value is parsed as its own JSON5 document and every location in it is
/// marked with `source` k (see `SourceLocation`); the key it sets and the value as a whole are at
/// line 0. `Diagnostics` then names the argument (`--set services.web.instances=-3: error: …`)
/// instead of a line and column of the file.
enum OverrideSplicer {
    /// Applies overrides in order (a later one sees what an earlier one set) and reports each one
    /// whose path or value cannot be used, going on with the rest.
    ///
    /// - Parameters:
    ///   - overrides: The overrides, in command-line order.
    ///   - root: The model file's tree.
    ///   - diagnostics: Where problems are reported; its `overrideArguments` are set here.
    ///   - limits: The reader's limits, for each value.
    /// - Returns: The tree with every usable override applied.
    static func apply(_ overrides: [Override], to root: JSON5Node, diagnostics: Diagnostics, limits: ReaderLimits) -> JSON5Node {
        diagnostics.overrideArguments = overrides.map(\.argument)
        var root = root
        for (offset, override) in overrides.enumerated() {
            let source = offset + 1
            let here = SourceLocation(line: 0, column: 0, source: source)
            let steps: [Override.Step]
            switch override.steps {
            case .success(let parsed): steps = parsed
            case .failure(let problem):
                diagnostics.error(problem.message, at: here, path: "")
                continue
            }
            guard let value = parseValue(override.valueText, source: source, diagnostics: diagnostics, limits: limits) else { continue }
            var splicer = Splice(value: value, here: here, diagnostics: diagnostics)
            splicer.set(&root, steps[...], walked: "")
        }
        return root
    }

    /// The value of an override as a node marked with its source, or nil after reporting why.
    static func parseValue(_ text: String, source: Int, diagnostics: Diagnostics, limits: ReaderLimits) -> JSON5Node? {
        let here = SourceLocation(line: 0, column: 0, source: source)
        let trimmed = text.drop { $0 == " " || $0 == "\t" }
        let mustParse = trimmed.first.map { "{[\"'".contains($0) } ?? false
        let parsed: JSON5Node
        do {
            parsed = try JSON5Parser.parse(Array(text.utf8), file: "--set", limits: limits)
        } catch {
            guard mustParse else { return JSON5Node(location: here, value: .string(text)) }
            for problem in error.errors {
                diagnostics.error("in the value at column \(problem.location.column): \(problem.message)", at: here, path: "")
            }
            return nil
        }
        var node = marked(parsed, source: source)
        node.location = here
        return node
    }

    /// The node with every location, its own and its members' and elements', marked with `source`.
    static func marked(_ node: JSON5Node, source: Int) -> JSON5Node {
        var node = node
        node.location.source = source
        switch node.value {
        case .array(let elements):
            node.value = .array(elements.map { marked($0, source: source) })
        case .object(let members):
            node.value = .object(members.map { member in
                var member = member
                member.keyLocation.source = source
                member.value = marked(member.value, source: source)
                return member
            })
        default:
            break
        }
        return node
    }

    /// One override being spliced in.
    struct Splice {
        let value: JSON5Node
        let here: SourceLocation
        let diagnostics: Diagnostics
        /// The JSON path named in problems: empty for a `--set` argument (it names itself),
        /// `variants.timeouts.set` for a variant's.
        var path = ""

        func fail(_ message: String) {
            diagnostics.error(message, at: here, path: path)
        }

        /// Sets the value at `steps` below `node`, whose path so far is `walked`.
        mutating func set(_ node: inout JSON5Node, _ steps: ArraySlice<Override.Step>, walked: String) {
            guard let step = steps.first else {
                node = value
                return
            }
            let rest = steps.dropFirst()
            switch (step, node.value) {
            case (.key(let key), .object(var members)):
                let path = walked.isEmpty ? key : "\(walked).\(key)"
                if let index = members.firstIndex(where: { $0.key == key }) {
                    set(&members[index].value, rest, walked: path)
                } else {
                    // An absent key is added; the decoder says whether it is a key of this object.
                    if case .index = rest.first {
                        fail("\(path) is not in the model, so it has no element \(describe(rest.first!)) to set")
                        return
                    }
                    var child = JSON5Node(location: here, value: .object([]))
                    set(&child, rest, walked: path)
                    members.append(JSON5Member(key: key, keyLocation: here, value: child))
                }
                node.value = .object(members)
            case (.key(let name), .array(var elements)):
                let names = elements.compactMap(Self.name(of:))
                guard let index = elements.firstIndex(where: { Self.name(of: $0) == name }) else {
                    let list = walked.isEmpty ? "the model" : walked
                    if elements.isEmpty {
                        fail("\(list) is an empty list: it has no element named '\(name)'")
                    } else if names.isEmpty {
                        fail("the elements of \(list) have no names; address one by index, such as \(list)[0]")
                    } else {
                        var message = "\(list) has no element named '\(name)'"
                        if let suggestion = NearestName.closest(to: name, among: names) {
                            message += "; did you mean '\(suggestion)'?"
                        } else {
                            message += " (its names: \(names.map { "'\($0)'" }.joined(separator: ", ")))"
                        }
                        fail(message)
                    }
                    return
                }
                set(&elements[index], rest, walked: "\(walked).\(name)")
                node.value = .array(elements)
            case (.index(let index), .array(var elements)):
                let path = "\(walked)[\(index)]"
                guard index < elements.count else {
                    fail("\(walked) has \(elements.count) element\(elements.count == 1 ? "" : "s"), so there is no \(walked)[\(index)]")
                    return
                }
                set(&elements[index], rest, walked: path)
                node.value = .array(elements)
            case (.index(let index), _):
                let walked = walked.isEmpty ? "the model" : walked
                fail("\(walked) is \(node.typeName), not a list, so it has no element [\(index)]")
            case (.key(let key), _):
                let walked = walked.isEmpty ? "the model" : walked
                fail("\(walked) is \(node.typeName), not an object, so it has no key '\(key)'; set \(walked) as a whole instead")
            }
        }

        func describe(_ step: Override.Step) -> String {
            switch step {
            case .key(let key): "'\(key)'"
            case .index(let index): "[\(index)]"
            }
        }

        /// The `name` of a list element, if it is an object with a string `name`.
        static func name(of node: JSON5Node) -> String? {
            guard case .object(let members) = node.value,
                  let member = members.first(where: { $0.key == "name" }),
                  case .string(let name) = member.value.value else { return nil }
            return name
        }
    }
}
