import Testing
import ModelFormat

struct DiagnosticsTests {
    @Test func `throws nothing when no error was reported`() throws {
        let diagnostics = Diagnostics(file: "m.json5")
        #expect(!diagnostics.hasErrors)
        try diagnostics.throwIfAny()
    }

    @Test func `throws every reported error sorted by location`() {
        let diagnostics = Diagnostics(file: "m.json5")
        diagnostics.error("second", at: SourceLocation(line: 4, column: 2), path: "b")
        diagnostics.error("first", at: SourceLocation(line: 2, column: 9), path: "a")
        #expect(diagnostics.hasErrors)
        #expect(throws: ModelErrors.self) { try diagnostics.throwIfAny() }
        do {
            try diagnostics.throwIfAny()
        } catch {
            #expect(error.description == "m.json5:2:9: error: a: first\nm.json5:4:2: error: b: second")
        }
    }
}
