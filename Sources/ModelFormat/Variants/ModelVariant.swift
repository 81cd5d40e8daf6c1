/// A named variant of a model, written beside its baseline in the file's `variants` object: the
/// baseline with the changes of its `set` (paths exactly as `--set` takes them), and with its own
/// `expect` list in place of the baseline's when it has one.
///
///     variants: {
///       timeouts: {
///         description: "a 3 s timeout on the kiosks' calls",
///         set: { "services.kiosk.dependencies.cf.readTimeout": "3s" },
///         expect: [ { component: "kiosk", metric: "threadsBusy", aggregate: "maximum", below: 60 } ],
///       },
///     }
///
/// A variant runs under the name `<model>-<variant>` (`airline-timeouts`), which names its output
/// folder (`out/airline-timeouts/`) and its golden files.
public struct ModelVariant: Sendable, Equatable {
    /// The variant's name, its key in `variants`: `timeouts`.
    public var name: String
    /// Its `description`, one line for `faultline models`, if it has one.
    public var description: String?
    /// Where its name is written in the file.
    public var location: SourceLocation
    /// Its `set` entries, in the file's order.
    var changes: [Change]
    /// Its `expect` list, which replaces the baseline's; nil keeps the baseline's.
    var expect: JSON5Node?
    /// Where its `expect` key is written.
    var expectKeyLocation: SourceLocation?

    /// One `PATH: VALUE` entry of a variant's `set`.
    struct Change: Sendable, Equatable {
        /// The path as written: `services.kiosk.dependencies.cf.readTimeout`.
        var path: String
        /// Its steps.
        var steps: [Override.Step]
        /// Where the path (the key) is written.
        var keyLocation: SourceLocation
        /// The value, with its locations in the file.
        var value: JSON5Node
    }

    /// The name a variant of the model `model` runs under: `airline-timeouts`.
    public static func runName(model: String, variant: String) -> String { "\(model)-\(variant)" }
}

/// Reads a model's `variants` and applies one of them to the model's tree.
enum VariantReader {
    /// The keys a variant's `set` may not change: the model's identity and its variants, and its
    /// expectations, which a variant gives in its own `expect`.
    static let reservedPaths: [String: String] = [
        "faultline": "a variant cannot change the format version",
        "name": "a variant cannot rename the model; it runs as '<model>-<variant>'",
        "variants": "a variant cannot change the variants",
        "expect": "a variant gives its expectations in its own 'expect', beside 'set'",
        "antipattern": "a variant cannot change the model's antipattern",
    ]

    /// Reads the `variants` of a model's tree, reporting every problem found in them (names, keys,
    /// and the shape of each `set` path; whether a path exists is found when the variant is applied).
    ///
    /// - Parameters:
    ///   - root: The model file's tree.
    ///   - diagnostics: Where problems are reported.
    /// - Returns: The variants that can be applied, in the file's order.
    static func read(_ root: JSON5Node, diagnostics: Diagnostics) -> [ModelVariant] {
        guard case .object(let members) = root.value,
              let node = members.first(where: { $0.key == "variants" })?.value else { return [] }
        guard let variants = ObjectReader(node, path: "variants", diagnostics: diagnostics) else { return [] }
        let modelName = members.first { $0.key == "name" }.flatMap { member -> String? in
            if case .string(let name) = member.value.value { return name }
            return nil
        }
        var read: [ModelVariant] = []
        for member in variants.members {
            let path = JSONPath.appending(key: member.key, to: "variants")
            guard checkName(member.key, at: member.keyLocation, path: path, modelName: modelName, diagnostics: diagnostics),
                  let object = variants.object(member.key) else { continue }
            let description = object.string("description")
            var isValid = true
            var changes: [ModelVariant.Change] = []
            if let set = object.object("set", required: true) {
                if set.members.isEmpty { set.error("a variant must change something: give at least one PATH: VALUE"); isValid = false }
                for change in set.members {
                    switch Override.steps(of: change.key) {
                    case .failure(let problem):
                        diagnostics.error("'\(change.key)': \(problem.message)", at: change.keyLocation, path: set.path)
                        isValid = false
                    case .success(let steps):
                        if case .key(let first) = steps.first, let reason = reservedPaths[first] {
                            diagnostics.error("'\(change.key)': \(reason)", at: change.keyLocation, path: set.path)
                            isValid = false
                        }
                        changes.append(ModelVariant.Change(path: change.key, steps: steps, keyLocation: change.keyLocation, value: change.value))
                    }
                }
            } else {
                isValid = false
            }
            let expect = object.node("expect")
            if let expect, case .array = expect.value {} else if let expect {
                diagnostics.error("expected an array of expectations, found \(expect.typeName)", at: expect.location, path: object.path(of: "expect"))
                isValid = false
            }
            object.finish()
            let expectKey = object.members.first { $0.key == "expect" }?.keyLocation
            if isValid {
                read.append(ModelVariant(name: member.key, description: description, location: member.keyLocation,
                                         changes: changes, expect: expect, expectKeyLocation: expectKey))
            }
        }
        return read
    }

    /// A variant's name names folders and files: letters, digits, `_` and `-`, starting with a
    /// letter; `<model>-<variant>` must be a model name too.
    static func checkName(_ name: String, at location: SourceLocation, path: String, modelName: String?, diagnostics: Diagnostics) -> Bool {
        func isLetter(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }
        let scalars = Array(name.unicodeScalars)
        let longest = ModelLimits.nameLength - 1 - (modelName?.unicodeScalars.count ?? 0)
        guard scalars.first.map(isLetter) == true,
              scalars.allSatisfy({ isLetter($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }) else {
            diagnostics.error("a variant's name must be letters, digits, '_' or '-', starting with a letter, found \"\(name)\"", at: location, path: path)
            return false
        }
        guard scalars.count <= max(1, longest) else {
            diagnostics.error("the variant's name makes the run's name '\(ModelVariant.runName(model: modelName ?? "", variant: name))' longer than \(ModelLimits.nameLength) characters", at: location, path: path)
            return false
        }
        return true
    }

    /// The tree with a variant applied: its `expect` in place of the baseline's, then each of its
    /// `set` changes in order, each problem located at the change's path in the file.
    static func apply(_ variant: ModelVariant, to root: JSON5Node, diagnostics: Diagnostics) -> JSON5Node {
        var root = root
        if let expect = variant.expect, case .object(var members) = root.value {
            if let index = members.firstIndex(where: { $0.key == "expect" }) {
                members[index].value = expect
            } else {
                members.append(JSON5Member(key: "expect", keyLocation: variant.expectKeyLocation ?? expect.location, value: expect))
            }
            root.value = .object(members)
        }
        let path = JSONPath.appending(key: "set", to: JSONPath.appending(key: variant.name, to: "variants"))
        for change in variant.changes {
            var splice = OverrideSplicer.Splice(value: change.value, here: change.keyLocation, diagnostics: diagnostics, path: path)
            splice.set(&root, change.steps[...], walked: "")
        }
        return root
    }
}
