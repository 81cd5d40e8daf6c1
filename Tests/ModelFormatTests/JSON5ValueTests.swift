import Testing
import ModelFormat

struct JSON5ValueTests {
    func number(_ literal: String) throws -> JSON5Number {
        let node = try JSON5Parser.parse(Array(literal.utf8), file: "m.json5")
        guard case .number(let number) = node.value else { throw ModelErrors([]) }
        return number
    }

    @Test(arguments: [
        ("0", 0.0, Int64(0)), ("-0", -0.0, 0), ("+1", 1, 1), ("5.", 5, 5), ("1e3", 1000, 1000),
        ("1.0", 1, 1), ("1.6e1", 16, 16), ("160e-1", 16, 16), ("0x10", 16, 16), ("-0X1f", -31, -31),
        ("+0xFF", 255, 255), ("9223372036854775807", 9.223372036854775807e18, .max),
        ("-9223372036854775808", -9.223372036854775808e18, .min), ("0x7FFFFFFFFFFFFFFF", 9.223372036854775807e18, .max),
        ("-0x8000000000000000", -9.223372036854775808e18, .min), ("0.000e999999999999", 0, 0),
    ] as [(String, Double, Int64)])
    func `gives exact integers for integral literals`(literal: String, double: Double, integer: Int64) throws {
        let value = try number(literal)
        #expect(value.literal == literal)
        #expect(value.doubleValue == double)
        #expect(value.integerValue == integer)
        #expect(value.isIntegral)
    }

    @Test(arguments: [
        (".5", 0.5, false), ("1.5E-3", 0.0015, false), ("1e-400", 0, false), ("9223372036854775808", 9.223372036854775808e18, true),
        ("-9223372036854775809", -9.223372036854775809e18, true), ("0xFFFFFFFFFFFFFFFF", 18446744073709551616, true),
        ("123456789012345678901234567890", 1.2345678901234568e29, true), ("1e19", 1e19, true),
        ("0x10000000000000000", 18446744073709551616, true),
    ] as [(String, Double, Bool)])
    func `gives no integer for fractions or values beyond Int64`(literal: String, double: Double, isIntegral: Bool) throws {
        let value = try number(literal)
        #expect(value.doubleValue == double)
        #expect(value.integerValue == nil)
        #expect(value.isIntegral == isIntegral)
    }

    @Test(arguments: [
        ("0.0125", Int64(12)), ("1.005", 1005), ("0.1", 100), ("0.0005", 0), ("0.0019", 1), ("1e-1", 100), ("1.5E-2", 15),
        ("12.5e-3", 12), (".5", 500), ("5.", 5000), ("+2", 2000), ("0x10", 16000), ("0.1e+1", 1000), ("0.000e999999999999", 0),
        ("-0.0125", -12), ("9223372036854775.807", .max), ("1e-999999999999", 0), ("0.99999999999999999999", 999),
    ] as [(String, Int64)])
    func `scales by a power of ten exactly, truncating the digits beyond it`(literal: String, thousandths: Int64) throws {
        #expect(try number(literal).truncated(toDecimalPlaces: 3) == thousandths)
    }

    @Test(arguments: ["9223372036854775.808", "1e19", "0x8000000000000000", "1e30", "-1e19"])
    func `gives no scaled value beyond Int64`(literal: String) throws {
        #expect(try number(literal).truncated(toDecimalPlaces: 3) == nil)
    }

    @Test func `names each type with an article`() throws {
        let root = try JSON5Parser.parse(Array("[null, true, 1, 's', [], {}]".utf8), file: "m.json5")
        guard case .array(let elements) = root.value else { Issue.record("not an array"); return }
        #expect(elements.map(\.typeName) == ["null", "a boolean", "a number", "a string", "an array", "an object"])
    }

    @Test func `compares numbers by literal`() throws {
        #expect(try number("1") == number("1"))
        #expect(try number("1") != number("1.0"))
    }
}
