import Testing
import ModelFormat

struct SourceLocationTests {
    @Test func `describes itself as line colon column`() {
        #expect(SourceLocation(line: 12, column: 7).description == "12:7")
    }

    @Test func `orders by line then column`() {
        #expect(SourceLocation(line: 1, column: 9) < SourceLocation(line: 2, column: 1))
        #expect(SourceLocation(line: 2, column: 1) < SourceLocation(line: 2, column: 3))
        #expect(!(SourceLocation(line: 2, column: 3) < SourceLocation(line: 2, column: 3)))
    }

    @Test func `counts columns in unicode scalars`() throws {
        let root = try JSON5Parser.parse(Array(#"{"é😀": 1, x: 2}"#.utf8), file: "m.json5")
        guard case .object(let members) = root.value else { Issue.record("not an object"); return }
        #expect(members[1].keyLocation == SourceLocation(line: 1, column: 11))
    }
}
