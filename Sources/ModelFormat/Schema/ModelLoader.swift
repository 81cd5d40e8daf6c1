import FailureChains
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import SimulationKernel

/// A model read from a file: the model, and the hash of the file's bytes for `run.json`.
public struct LoadedModel: Sendable {
    /// The validated model, overrides applied.
    public var model: SystemModel
    /// FNV-1a-64 of the file's bytes.
    public var fileHash: UInt64
    /// The file as given.
    public var file: String
    /// The `--set` arguments applied, in order.
    public var overrides: [String] = []
    /// FNV-1a-64 of the file's bytes followed, for each override in order, by a 0 byte and the
    /// argument's UTF-8 text (`services.web.instances=6`); equal to `fileHash` without overrides.
    public var effectiveHash: UInt64
    /// The `--metric` selectors as checked expectations (their comparison means nothing), in
    /// command-line order; they are not among `model.expectations`.
    public var selected: [Expectation] = []
    /// The variant run (`--variant`), or nil for the baseline; `model.name` is then
    /// `<model>-<variant>`.
    public var variant: String?
    /// Every variant the file holds, in its order.
    public var variants: [ModelVariant] = []
    /// The file's `antipattern`: what the baseline shows, in one line; nil when it has none.
    public var antipattern: String?
}

/// Reads, parses and validates model files, reporting every problem at once.
public enum ModelLoader {
    /// The newest model format version this build reads.
    public static let newestVersion = 1

    /// Loads a model file.
    ///
    /// - Parameters:
    ///   - path: The file, as the user gave it; errors name it this way.
    ///   - overrides: `--set PATH=VALUE` changes to apply, in order; their problems name the argument.
    ///   - limits: Size and nesting limits for the reader.
    /// - Throws: `ModelErrors` with every problem found, each located by line and column (or by
    ///   its `--set` argument).
    ///   - variant: The variant of the file's `variants` to load (`--variant`), or nil for the
    ///     baseline; its changes are applied before `overrides`.
    ///   - selectors: `--metric` selectors to check against the model, as expectations are.
    public static func load(path: String, variant: String? = nil, overrides: [Override] = [], selectors: [MetricSelector] = [],
                            limits: ReaderLimits = .standard) throws(ModelErrors) -> LoadedModel {
        // The size of the entry itself (a symbolic link's own), as FileManager's attributes gave it.
        var entry = stat()
        if lstat(path, &entry) == 0, Int(entry.st_size) > limits.maximumBytes {
            let size = Int(entry.st_size)
            throw ModelErrors([ModelError(file: path, location: .start,
                message: "file is \(size) bytes, more than the limit of \(limits.maximumBytes) bytes")])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            var target = stat()
            let exists = stat(path, &target) == 0
            let isFolder = exists && target.st_mode & S_IFMT == S_IFDIR
            let reason = !exists ? "no such file" : isFolder ? "it is a folder, not a model file"
                : access(path, R_OK) != 0 ? "permission denied" : "the file cannot be read"
            throw ModelErrors([ModelError(file: path, location: .start, message: reason)], isUnreadableFile: true)
        }
        return try load(bytes: [UInt8](data), file: path, variant: variant, overrides: overrides, selectors: selectors, limits: limits)
    }

    /// Loads a model from bytes, naming `file` in errors.
    ///
    /// - Throws: `ModelErrors` with every problem found.
    public static func load(bytes: [UInt8], file: String, variant: String? = nil, overrides: [Override] = [], selectors: [MetricSelector] = [],
                            limits: ReaderLimits = .standard) throws(ModelErrors) -> LoadedModel {
        var root = try JSON5Parser.parse(bytes, file: file, limits: limits)
        let diagnostics = Diagnostics(file: file)
        // Set before any problem is reported, so that each is named by its argument.
        diagnostics.overrideArguments = overrides.map(\.argument)
        diagnostics.selectorArguments = selectors.map(\.argument)
        let variants = VariantReader.read(root, diagnostics: diagnostics)
        if let variant {
            diagnostics.variantArgument = variant
            if let chosen = variants.first(where: { $0.name == variant }) {
                root = VariantReader.apply(chosen, to: root, diagnostics: diagnostics)
            } else {
                reportUnknownVariant(variant, among: variants, root: root, overrides: overrides.count + selectors.count, diagnostics: diagnostics)
            }
        }
        if !overrides.isEmpty {
            root = OverrideSplicer.apply(overrides, to: root, diagnostics: diagnostics, limits: limits)
        }
        if !selectors.isEmpty {
            root = appendingSelectors(selectors, to: root, after: overrides.count, diagnostics: diagnostics)
        }
        let decoded = ModelDecoder(diagnostics: diagnostics).decode(root)
        if let decoded { checkSelectorWindows(decoded, diagnostics: diagnostics) }
        try diagnostics.throwIfAny()
        guard var model = decoded else {
            throw ModelErrors([ModelError(file: file, location: .start, message: "the model could not be read")])
        }
        if let variant { model.name = ModelVariant.runName(model: model.name, variant: variant) }
        let selected = model.expectations.filter { $0.location.hasPrefix("--metric ") }
        model.expectations.removeAll { $0.location.hasPrefix("--metric ") }
        var hash = FNV1a64()
        hash.combine(bytes: bytes)
        let fileHash = hash.value
        if let variant {
            hash.combine(byte: 0)
            hash.combine(bytes: Array("--variant \(variant)".utf8))
        }
        for override in overrides {
            hash.combine(byte: 0)
            hash.combine(bytes: Array(override.argument.utf8))
        }
        return LoadedModel(model: model, fileHash: fileHash, file: file,
                           overrides: overrides.map(\.argument), effectiveHash: hash.value, selected: selected,
                           variant: variant, variants: variants, antipattern: antipattern(of: root))
    }

    /// Reports a `--variant` the file does not hold, suggesting the closest name.
    static func reportUnknownVariant(_ name: String, among variants: [ModelVariant], root: JSON5Node, overrides: Int,
                                     diagnostics: Diagnostics) {
        let here = SourceLocation(line: 0, column: 0, source: overrides + 1)
        let hasVariants: Bool
        if case .object(let members) = root.value { hasVariants = members.contains { $0.key == "variants" } } else { hasVariants = false }
        var message: String
        if variants.isEmpty {
            message = hasVariants ? "\(diagnostics.file) has no variant that can be used (see the problems in its 'variants')"
                                  : "\(diagnostics.file) has no variants"
        } else {
            message = "\(diagnostics.file) has no variant named '\(name)'"
            if let suggestion = NearestName.closest(to: name, among: variants.map(\.name)) {
                message += "; did you mean '\(suggestion)'?"
            } else {
                message += "; its variants: \(variants.map(\.name).joined(separator: ", "))"
            }
        }
        diagnostics.error(message, at: here, path: "")
    }

    /// The top-level `antipattern` string of a tree, if it has one.
    static func antipattern(of root: JSON5Node) -> String? {
        guard case .object(let members) = root.value, let member = members.first(where: { $0.key == "antipattern" }),
              case .string(let text) = member.value.value else { return nil }
        return text
    }

    /// The tree with each selector appended to `expect` (created when missing), its locations in
    /// the sources after the overrides'.
    static func appendingSelectors(_ selectors: [MetricSelector], to root: JSON5Node, after overrides: Int,
                                   diagnostics: Diagnostics) -> JSON5Node {
        diagnostics.selectorArguments = selectors.map(\.argument)
        let nodes = selectors.enumerated().map { $0.element.expectationNode(source: overrides + 1 + $0.offset) }
        guard case .object(var members) = root.value else { return root }
        if let index = members.firstIndex(where: { $0.key == "expect" }) {
            // A wrong `expect` is reported by the decoder; the selectors are then left unchecked.
            guard case .array(let elements) = members[index].value.value else { return root }
            members[index].value.value = .array(elements + nodes)
        } else {
            let here = SourceLocation(line: 0, column: 0, source: overrides + 1)
            members.append(JSON5Member(key: "expect", keyLocation: here, value: JSON5Node(location: here, value: .array(nodes))))
        }
        var spliced = root
        spliced.value = .object(members)
        return spliced
    }

    /// A study deletes the warm-up from each replication, so a selector's window may not start
    /// inside it.
    static func checkSelectorWindows(_ model: SystemModel, diagnostics: Diagnostics) {
        let warmup = model.run.warmup
        for expectation in model.expectations where expectation.location.hasPrefix("--metric ") {
            let from: Interval?
            switch expectation.subject {
            case .series(_, _, let start, _, _), .events(_, _, let start, _): from = start
            case .summary: from = nil
            }
            if let from, from < warmup {
                let index = diagnostics.selectorArguments.firstIndex { "--metric \($0)" == expectation.location } ?? 0
                let source = diagnostics.overrideArguments.count + 1 + index
                diagnostics.report(ModelError(file: expectation.location, location: SourceLocation(line: 0, column: 0, source: source),
                    message: "the window starts at \(Units.format(from)), inside the warm-up of \(Units.format(warmup)); a study deletes the warm-up from each replication, so start the window at \(Units.format(warmup)) or later"))
            }
        }
    }
}
