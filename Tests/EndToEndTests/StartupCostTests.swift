import Foundation
import Testing

/// The tool starts in a few milliseconds because on Linux it loads Swift's FoundationEssentials
/// only, not the whole Foundation (libFoundation, FoundationInternationalization and ICU's 40 MB).
/// One `import Foundation` in any module of the tool would bring them all back.
struct StartupCostTests {
    @Test func `no module of the tool imports the whole Foundation where FoundationEssentials exists`() throws {
        let sources = TestFiles.inRepository("Sources")
        let files = try #require(FileManager.default.enumerator(atPath: sources)?.allObjects as? [String]).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 50)
        var offenders: [String] = []
        for file in files {
            let text = try String(contentsOfFile: sources + "/" + file, encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            for (index, line) in lines.enumerated() where line == "import Foundation" || line.hasPrefix("@preconcurrency import Foundation") || line.hasPrefix("import Foundation.") {
                // Allowed only as the fallback of `#if canImport(FoundationEssentials) ... #else`.
                let isFallback = index > 0 && lines[..<index].last(where: { $0.hasPrefix("#") }) == "#else"
                    && lines[..<index].last(where: { $0.hasPrefix("#if") }) == "#if canImport(FoundationEssentials)"
                if !isFallback { offenders.append("Sources/\(file):\(index + 1)") }
            }
        }
        #expect(offenders.isEmpty, "import FoundationEssentials instead (see Sources/Reporting/OutputFile.swift): \(offenders)")
    }
}
