import Testing
import ModelFormat

struct ModelErrorTests {
    @Test func `describes itself compiler style with a path`() {
        let error = ModelError(
            file: "models/x.json5", location: SourceLocation(line: 12, column: 7),
            path: "services[1].threads", message: "must be positive, found -3")
        #expect(error.description == "models/x.json5:12:7: error: services[1].threads: must be positive, found -3")
    }

    @Test func `leaves out an empty path`() {
        let error = ModelError(file: "m.json5", location: SourceLocation(line: 1, column: 2), message: "expected a value")
        #expect(error.description == "m.json5:1:2: error: expected a value")
    }

    @Test func `sorts errors by line and column keeping the order of ties`() {
        func error(_ line: Int, _ column: Int, _ message: String) -> ModelError {
            ModelError(file: "m", location: SourceLocation(line: line, column: column), message: message)
        }
        let errors = ModelErrors([error(3, 1, "c"), error(1, 5, "b"), error(1, 2, "a"), error(3, 1, "d")])
        #expect(errors.errors.map(\.message) == ["a", "b", "c", "d"])
        #expect(errors.description == "m:1:2: error: a\nm:1:5: error: b\nm:3:1: error: c\nm:3:1: error: d")
    }
}
