#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import ModelFormat

/// `faultline models`: the gallery, one model a line.
enum ModelsCommand {
    static let help = """
        USAGE: faultline models [DIR]

        Lists the models in DIR (default: models/), one line each: the model's name, the
        antipattern it shows (its 'antipattern'), and its variants (its 'variants': the patterns
        that contain the chain), each of which runs with --variant NAME. docs/gallery.md tells
        the same gallery as a table, with a question to ask of each model.

          MODEL          ANTIPATTERN                                                        VARIANTS
          airline        Integration point without timeouts: a leaked pool hangs check-in   fixed, timeouts, ...

        EXIT CODES: 0 ok, 64 usage, 65 a model is invalid (it is listed, and its problems
        printed), 66 DIR cannot be read.
        """

    /// One line of the listing.
    struct Line: Equatable {
        var name: String
        var antipattern: String
        var variants: [String]
    }

    static func main(arguments: [String]) throws -> ExitStatus {
        let parsed = try ParsedArguments(arguments, valueOptions: [])
        if parsed.wantsHelp {
            Terminal.say(help)
            return .ok
        }
        guard parsed.positional.count <= 1 else {
            throw UsageError(message: "models takes one folder, found \(parsed.positional.count)")
        }
        var folder = parsed.positional.first ?? "models"
        while folder.count > 1 && folder.hasSuffix("/") { folder.removeLast() }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            Terminal.complain("faultline: error: cannot read the folder \(folder)")
            return .noInput
        }
        var lines: [Line] = []
        var status = ExitStatus.ok
        for file in names.filter({ $0.hasSuffix(".json5") }).sorted() {
            let path = folder + "/" + file
            do {
                let loaded = try ModelLoader.load(path: path)
                lines.append(Line(name: loaded.model.name, antipattern: loaded.antipattern ?? "",
                                  variants: loaded.variants.map(\.name)))
            } catch {
                for problem in error.errors { Terminal.complain(problem.description) }
                lines.append(Line(name: String(file.dropLast(".json5".count)), antipattern: "(invalid: see 'faultline validate \(path)')", variants: []))
                status = .badModel
            }
        }
        if lines.isEmpty {
            Terminal.complain("faultline: no models (*.json5) in \(folder)")
            return .noInput
        }
        Terminal.say(text(lines.sorted { $0.name < $1.name }))
        return status
    }

    /// The lines in aligned columns: name, antipattern, variants (or `-`).
    static func text(_ lines: [Line]) -> String {
        let nameWidth = max("MODEL".count, lines.map(\.name.count).max() ?? 0)
        let antipatternWidth = max("ANTIPATTERN".count, lines.map(\.antipattern.count).max() ?? 0)
        func padded(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        var rows = [padded("MODEL", nameWidth) + "  " + padded("ANTIPATTERN", antipatternWidth) + "  VARIANTS"]
        for line in lines {
            let variants = line.variants.isEmpty ? "-" : line.variants.joined(separator: ", ")
            rows.append(padded(line.name, nameWidth) + "  " + padded(line.antipattern, antipatternWidth) + "  " + variants)
        }
        return rows.joined(separator: "\n")
    }
}
