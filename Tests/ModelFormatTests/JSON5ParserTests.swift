import SimulationKernel
import Testing
import ModelFormat

struct JSON5ParserTests {
    func parse(_ text: String) throws -> JSON5Node {
        try JSON5Parser.parse(Array(text.utf8), file: "m.json5")
    }

    // MARK: Accepted forms

    @Test(arguments: [
        ("{}", "{}"),
        ("[]", "[]"),
        ("null", "null"),
        ("true", "true"),
        ("  'x'  ", "\"x\""),
        ("{a: 1, b: [true, false, null]}", "{a:1,b:[true,false,null]}"),
        ("// comment\n{a: /* inline */ 1} // after\n/* end */", "{a:1}"),
        ("{a: 1,}", "{a:1}"),
        ("[1, 2, ]", "[1,2]"),
        ("[[], {}, [[]]]", "[[],{},[[]]]"),
        ("{$a_1: 1, _b: 2, café: 3, \\u0061b: 4, ünïcödé: 5, 'quoted key': 6, \"x\": 7, null: 8, Infinity: 9}",
         "{$a_1:1,_b:2,café:3,ab:4,ünïcödé:5,quoted key:6,x:7,null:8,Infinity:9}"),
        ("{a\u{0301}\u{200D}: 1}", "{a\u{0301}\u{200D}:1}"),
        ("[.5, 5., +1, -2, 0x1F, -0xa, 1e3, 2.5E-3, +.5e+2, 0]", "[.5,5.,+1,-2,0x1F,-0xa,1e3,2.5E-3,+.5e+2,0]"),
        ("\u{FEFF}{\u{A0}a\u{2028}:\u{2029}1\u{0B}\u{0C}\u{3000}}", "{a:1}"),
        ("{\r\n  a: 1\r\n}\r\n", "{a:1}"),
        ("[\"\u{2028}\u{2029}\"]", "[\"\u{2028}\u{2029}\"]"),
    ])
    func `accepts JSON5 forms`(source: String, expected: String) throws {
        #expect(render(try parse(source)) == expected)
    }

    @Test(arguments: [
        (#""a\"b""#, "a\"b"),
        (#"'it\'s'"#, "it's"),
        (#"'say "hi"'"#, "say \"hi\""),
        (#""say 'hi'""#, "say 'hi'"),
        (#""\b\f\n\r\t\v\0""#, "\u{08}\u{0C}\n\r\t\u{0B}\u{00}"),
        (#""\x41\u00e9\u00E9""#, "Aéé"),
        (#""\uD83D\uDE00""#, "😀"),
        ("\"a\\\nb\"", "ab"),
        ("\"a\\\r\nb\"", "ab"),
        ("\"a\\\rb\"", "ab"),
        ("\"a\\\u{2028}b\"", "ab"),
        (#""\q\/\\""#, "q/\\"),
        ("\"tab\there é😀\"", "tab\there é😀"),
        (#""""#, ""),
    ])
    func `reads every string escape`(source: String, expected: String) throws {
        let node = try parse(source)
        #expect(node.value == .string(expected))
    }

    @Test func `records the location of every value and key`() throws {
        let root = try parse("{\n  name: 'web',\n\tthreads: [8, -3],\r\n  'x': null }")
        #expect(root.location == SourceLocation(line: 1, column: 1))
        guard case .object(let members) = root.value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["name", "threads", "x"])
        #expect(members.map(\.keyLocation) == [
            SourceLocation(line: 2, column: 3), SourceLocation(line: 3, column: 2), SourceLocation(line: 4, column: 3),
        ])
        #expect(members[0].value.location == SourceLocation(line: 2, column: 9))
        guard case .array(let threads) = members[1].value.value else { Issue.record("not an array"); return }
        #expect(threads.map(\.location) == [SourceLocation(line: 3, column: 12), SourceLocation(line: 3, column: 15)])
        #expect(members[2].value.location == SourceLocation(line: 4, column: 8))
    }

    @Test func `counts a lone carriage return and the unicode separators as line ends`() throws {
        let root = try parse("[1,\r2,\u{2028}3,\u{2029}4]")
        guard case .array(let elements) = root.value else { Issue.record("not an array"); return }
        #expect(elements.map(\.location.line) == [1, 2, 3, 4])
        #expect(elements.map(\.location.column) == [2, 1, 1, 1])
    }

    // MARK: Rejections

    @Test(arguments: [
        ("{a: 1 x: 2}", "1:7: error: expected ',' or '}' after member, found 'x'"),
        ("{\n  name: 'web',\n  threads: 8\n  timeout: '1s'\n}", "4:3: error: expected ',' or '}' after member, found 'timeout'"),
        ("[1 2]", "1:4: error: expected ',' or ']' after array element, found a number"),
        ("{a 1}", "1:4: error: expected ':' after key 'a', found a number"),
        ("{1: 2}", "1:2: error: expected a key or '}', found a number"),
        ("{a: 1,, }", "1:7: error: expected a key or '}' after ',', found ','"),
        ("[1,,]", "1:4: error: expected a value, found ','"),
        ("", "1:1: error: the document is empty; expected a value"),
        ("  // only a comment\n", "2:1: error: the document is empty; expected a value"),
        ("{} x", "1:4: error: expected end of file after the value, found 'x'"),
        ("1 2", "1:3: error: expected end of file after the value, found a number"),
        ("{a: 1}}", "1:7: error: expected end of file after the value, found '}'"),
        ("{a: NaN}", "1:5: error: NaN and infinities are not allowed"),
        ("{a: Infinity}", "1:5: error: NaN and infinities are not allowed"),
        ("{a: -Infinity}", "1:5: error: NaN and infinities are not allowed"),
        ("[+Infinity]", "1:2: error: NaN and infinities are not allowed"),
        ("[-NaN]", "1:2: error: NaN and infinities are not allowed"),
        ("[1e400]", "1:2: error: number is too large, found 1e400"),
        ("[-1e400]", "1:2: error: number is too large, found -1e400"),
        ("{a: fast}", "1:5: error: expected a value, found 'fast' (strings must be quoted)"),
        ("{a: 5s}", "1:6: error: expected a separator after the number 5, found 's' (values with units are strings: \"5s\")"),
        ("[-x]", "1:3: error: expected a digit after the sign, found 'x'"),
        ("[01]", "1:2: error: numbers must not have leading zeros"),
        ("[0x]", "1:4: error: expected a hexadecimal digit after '0x', found ']'"),
        ("[1e]", "1:4: error: expected a digit in the exponent, found ']'"),
        ("[.]", "1:3: error: expected a digit, found ']'"),
        ("[-]", "1:3: error: expected a digit, found ']'"),
        ("[\"abc", "1:6: error: expected '\"' to close the string, found end of file"),
        ("['ab\ncd']", "1:5: error: expected ''' to close the string, found end of line (write \\n for a line break)"),
        (#"["\x4"]"#, "1:6: error: expected 2 hexadecimal digits after '\\x', found '\"'"),
        (#"["\u12g4"]"#, "1:7: error: expected 4 hexadecimal digits after '\\u', found 'g'"),
        (#"["\uD800"]"#, "1:3: error: unpaired surrogate '\\uD800' in string"),
        (#"["\uDC00"]"#, "1:3: error: unpaired surrogate '\\uDC00' in string"),
        (#"["ab\uD83D\u0041"]"#, "1:5: error: unpaired surrogate '\\uD83D' in string"),
        (#"["\uDE00\uD83D"]"#, "1:3: error: unpaired surrogate '\\uDE00' in string"),
        (#"["\01"]"#, "1:3: error: octal escapes are not allowed"),
        (#"["\1"]"#, "1:3: error: invalid escape '\\1'; digits cannot be escaped"),
        ("\"abc\\", "1:6: error: expected an escape character after '\\', found end of file"),
        ("[1] /* unterminated", "1:5: error: expected '*/' to close the comment, found end of file"),
        ("{a: 1", "1:6: error: expected ',' or '}' after member, found end of file"),
        ("[1,", "1:4: error: expected a value or ']' after ',', found end of file"),
        ("{a:", "1:4: error: expected a value after ':', found end of file"),
        ("[", "1:2: error: expected a value, found end of file"),
        ("{", "1:2: error: expected a key or '}', found end of file"),
        (#"{\u0030: 1}"#, "1:2: error: '\\u0030' is not allowed in an unquoted key"),
        (#"{a\x: 1}"#, "1:4: error: expected 'u' after '\\' in a key, found 'x'"),
        ("[#]", "1:2: error: expected a value, found '#'"),
        ("[\u{07}]", "1:2: error: expected a value, found U+0007"),
        ("[1]\u{00}", "1:4: error: expected end of file after the value, found U+0000"),
        ("{a-b: 1}", "1:3: error: expected ':' after key 'a', found '-'"),
    ])
    func `rejects a syntax error at its location`(source: String, expected: String) {
        let errors = parseErrors(source)
        #expect(errors?.errors.count == 1)
        #expect(errors?.description == "m.json5:" + expected)
    }

    @Test func `rejects a duplicate key naming the first one`() {
        let errors = parseErrors("{\n  rate: 3,\n  rate: 1\n}")
        #expect(errors?.description == "m.json5:3:3: error: rate: duplicate key 'rate'; the first is on line 2")
    }

    @Test func `reports every duplicate key with its path`() {
        let errors = parseErrors("""
            {
              services: [{}, {name: 'a', "name": 'b', deps: {x: 1, 'x': 2}}],
              services: [],
            }
            """)
        #expect(errors?.description == """
            m.json5:2:30: error: services[1].name: duplicate key 'name'; the first is on line 2
            m.json5:2:56: error: services[1].deps.x: duplicate key 'x'; the first is on line 2
            m.json5:3:3: error: services: duplicate key 'services'; the first is on line 2
            """)
    }

    @Test func `reports duplicate keys found before a syntax error`() {
        let errors = parseErrors("{a: 1, a: 2, b: }")
        #expect(errors?.description == """
            m.json5:1:8: error: a: duplicate key 'a'; the first is on line 1
            m.json5:1:17: error: expected a value, found '}'
            """)
    }

    @Test func `quotes keys that are not identifiers in paths`() {
        let errors = parseErrors(#"{"max size": {"a b": 1, "a b": 2}}"#)
        #expect(errors?.description == #"m.json5:1:25: error: ["max size"]["a b"]: duplicate key 'a b'; the first is on line 1"#)
    }

    // MARK: Limits

    @Test func `accepts nesting up to the depth limit`() throws {
        let depth = 64
        let node = try parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        #expect(node.typeName == "an array")
    }

    @Test func `rejects nesting beyond the depth limit`() {
        let source = String(repeating: "{a:", count: 64) + "[1]" + String(repeating: "}", count: 64)
        #expect(parseErrors(source)?.description == "m.json5:1:193: error: nesting is deeper than the limit of 64 levels")
    }

    @Test func `rejects 100000 open brackets without crashing`() {
        let errors = parseErrors(String(repeating: "[", count: 100_000))
        #expect(errors?.description == "m.json5:1:65: error: nesting is deeper than the limit of 64 levels")
    }

    @Test func `parses the deepest allowed nesting without recursion`() throws {
        let limits = ReaderLimits(maximumDepth: 1000)
        let deep = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        #expect(throws: Never.self) { try JSON5Parser.parse(Array(deep.utf8), file: "m.json5", limits: limits) }
        let deeper = String(repeating: "[", count: 1001) + String(repeating: "]", count: 1001)
        #expect(parseErrors(deeper, limits: limits)?.description == "m.json5:1:1001: error: nesting is deeper than the limit of 1000 levels")
    }

    @Test func `rejects a file larger than the size limit`() {
        let limits = ReaderLimits(maximumBytes: 10)
        #expect(parseErrors("[1, 2, 3 ]", limits: limits) == nil)
        #expect(parseErrors("[1, 2, 3  ]", limits: limits)?.description == "m.json5:1:1: error: file is 11 bytes, more than the limit of 10 bytes")
    }

    @Test func `has a 4 MiB size limit by default`() {
        #expect(ReaderLimits.standard.maximumBytes == 4 * 1024 * 1024)
        #expect(ReaderLimits.standard.maximumDepth == 64)
        let large = [UInt8](repeating: UInt8(ascii: " "), count: 4 * 1024 * 1024) + [UInt8(ascii: "1")]
        #expect(parseErrors(bytes: large)?.description == "m.json5:1:1: error: file is 4194305 bytes, more than the limit of 4194304 bytes")
    }

    // MARK: Invalid UTF-8

    @Test(arguments: [
        ([0x7B, 0xF9, 0x3A, 0x20, 0x31, 0x7D], "1:2: error: invalid UTF-8 (byte 0xF9)"),
        ([0x22, 0xC0, 0xAF, 0x22], "1:2: error: invalid UTF-8 (byte 0xC0)"),
        ([0x22, 0xC1, 0xBF, 0x22], "1:2: error: invalid UTF-8 (byte 0xC1)"),
        ([0x22, 0xE0, 0x80, 0xAF, 0x22], "1:2: error: invalid UTF-8 (bytes 0xE0 0x80)"),
        ([0x22, 0xF0, 0x80, 0x80, 0xAF, 0x22], "1:2: error: invalid UTF-8 (bytes 0xF0 0x80)"),
        ([0x22, 0xED, 0xA0, 0x80, 0x22], "1:2: error: invalid UTF-8 (bytes 0xED 0xA0)"),
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "1:2: error: invalid UTF-8 (bytes 0xF4 0x90)"),
        ([0x22, 0xE2, 0x82, 0x41, 0x22], "1:2: error: invalid UTF-8 (bytes 0xE2 0x82 0x41)"),
        ([0x5B, 0x80, 0x5D], "1:2: error: invalid UTF-8 (byte 0x80)"),
        ([0x5B, 0xFF, 0x5D], "1:2: error: invalid UTF-8 (byte 0xFF)"),
        ([0x22, 0xE2, 0x82], "1:2: error: invalid UTF-8: the file ends inside a multi-byte sequence"),
        ([0x2F, 0x2F, 0x20, 0xFE, 0x0A, 0x31], "1:4: error: invalid UTF-8 (byte 0xFE)"),
        (Array("{\n  é: 1, ".utf8) + [0xFF], "2:9: error: invalid UTF-8 (byte 0xFF)"),
        (Array("[1] x".utf8) + [0xC3], "1:6: error: invalid UTF-8: the file ends inside a multi-byte sequence"),
    ] as [([UInt8], String)])
    func `rejects invalid UTF-8 at the bad byte`(bytes: [UInt8], expected: String) {
        #expect(parseErrors(bytes: bytes)?.description == "m.json5:" + expected)
    }

    @Test func `accepts valid multi-byte UTF-8 at every length`() throws {
        let node = try parse("{ключ: 'é€😀', 名前: 1}")
        #expect(render(node) == "{ключ:\"é€😀\",名前:1}")
    }

    // MARK: Robustness

    static let sample = """
        // A small service model.
        {
          version: 1,
          name: 'retry storm',
          run: { duration: "10m", seed: 0x2A, warmUp: '30s', },
          services: [
            { name: "web", threads: 8, timeout: '250ms', rate: "20/s", heap: "512MB", ratio: .5e-1 },
            { name: 'db', threads: 64, retry: { attempts: 3, jitter: true, budget: "10%" }, tags: ["a", 'b\\u00e9'], },
          ],
          /* trailing comment */ notes: null,
        }
        """

    @Test func `parses the fuzz sample`() throws {
        #expect(render(try parse(Self.sample)).hasPrefix("{version:1,name:\"retry storm\""))
    }

    @Test func `survives 20000 random mutations of a valid document`() {
        var random = RandomStream(seed: 2024, component: "JSON5ParserTests", purpose: "mutations")
        let original = Array(Self.sample.utf8)
        let interesting: [[UInt8]] = ["{", "}", "[", "]", ",", ":", "\"", "'", "\\", "\\u", "\\uD800", "/*", "//", "\n", "\r",
                                      "NaN", "-Infinity", "1e999", "0x", "\u{2028}", "é", "😀"].map { Array($0.utf8) }
            + [[0xF9], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0x00], [0x80]]
        var parsed = 0
        var rejected = 0
        for _ in 0..<20_000 {
            var bytes = original
            for _ in 0...random.next(below: 3) {
                let position = Int(random.next(below: UInt64(bytes.count + 1)))
                switch random.next(below: 4) {
                case 0 where position < bytes.count:
                    bytes[position] ^= UInt8(1 << random.next(below: 8))
                case 1:
                    bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
                case 2:
                    bytes.insert(contentsOf: interesting[Int(random.next(below: UInt64(interesting.count)))], at: position)
                default:
                    bytes.removeSubrange(position...)
                }
            }
            do {
                _ = try JSON5Parser.parse(bytes, file: "fuzz.json5")
                parsed += 1
            } catch {
                rejected += 1
                #expect(!error.errors.isEmpty)
                for item in error.errors {
                    #expect(item.location.line >= 1 && item.location.column >= 1)
                    #expect(item.message.hasPrefix("NaN") || item.message.first?.isUppercase == false)
                }
            }
        }
        #expect(parsed + rejected == 20_000)
        #expect(parsed > 100)
        #expect(rejected > 10_000)
    }
}
