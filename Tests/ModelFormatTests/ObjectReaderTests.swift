import SimulationKernel
import Testing
import ModelFormat

struct ObjectReaderTests {
    /// Parses `source`, reads its top level with `body`, and returns the collected errors as text.
    func read(_ source: String, _ body: (ObjectReader) -> Void) throws -> String {
        let root = try JSON5Parser.parse(Array(source.utf8), file: "m.json5")
        let diagnostics = Diagnostics(file: "m.json5")
        if let reader = ObjectReader(root, path: "", diagnostics: diagnostics) { body(reader) }
        do {
            try diagnostics.throwIfAny()
            return ""
        } catch {
            return error.description
        }
    }

    @Test func `reads every kind of value`() throws {
        let errors = try read("""
            {name: 'web', enabled: true, threads: 0x10, ratio: 0.25, timeout: '1h30m', rate: '1200/min',
             heap: '512MiB', availability: '99.9%', run: {seed: 7}, tags: ['a', 'b']}
            """) { reader in
            #expect(reader.string("name") == "web")
            #expect(reader.bool("enabled") == true)
            #expect(reader.integer("threads", bounds: .positive) == 16)
            #expect(reader.number("ratio", bounds: Bounds(0...1)) == 0.25)
            #expect(reader.duration("timeout", bounds: .positive) == Interval(nanoseconds: 5_400_000_000_000))
            #expect(reader.rate("rate") == 20)
            #expect(reader.size("heap") == 512 << 20)
            #expect(reader.percentage("availability") == 99.9)
            #expect(reader.object("run")?.integer("seed") == 7)
            #expect(reader.array("tags")?.map(\.path) == ["tags[0]", "tags[1]"])
            #expect(reader.array("tags")?.compactMap { $0.string() } == ["a", "b"])
            #expect(reader.string("missing") == nil)
            reader.finish()
        }
        #expect(errors == "")
    }

    @Test func `collects several errors at once sorted by location`() throws {
        let errors = try read("""
            {
              services: [
                { name: 'web', threads: 8 },
                { threads: -3, timout: '1s', rate: 20, heap: 1.5 },
              ],
              run: { duration: 10, seed: 1.5 },
              extra: true,
            }
            """) { reader in
            for service in reader.objects("services") ?? [] {
                _ = service.requiredString("name")
                _ = service.integer("threads", bounds: .positive)
                _ = service.duration("timeout", bounds: .positive)
                _ = service.rate("rate")
                _ = service.size("heap")
                service.finish()
            }
            if let run = reader.object("run") {
                _ = run.duration("duration")
                _ = run.integer("seed")
                run.finish()
            }
            reader.finish()
        }
        #expect(errors == """
            m.json5:4:5: error: services[1]: missing required key 'name'
            m.json5:4:16: error: services[1].threads: must be positive, found -3
            m.json5:4:20: error: services[1]: unknown key 'timout'; did you mean 'timeout'?
            m.json5:4:40: error: services[1].rate: expected a rate such as "5/s", found the number 20 (add a unit: "20/s")
            m.json5:4:50: error: services[1].heap: expected a size such as "5MB", found the number 1.5 (add a unit: "1.5MB")
            m.json5:6:20: error: run.duration: expected a duration such as "5s", found the number 10 (add a unit: "10s")
            m.json5:6:30: error: run.seed: must be an integer, found 1.5
            m.json5:7:3: error: unknown key 'extra'
            """)
    }

    @Test(arguments: [
        ("{t: true}", "m.json5:1:5: error: t: expected a duration string such as \"250ms\", found a boolean"),
        ("{t: 5}", "m.json5:1:5: error: t: expected a duration such as \"5s\", found the number 5 (add a unit: \"5s\")"),
        ("{t: +0.5}", "m.json5:1:5: error: t: expected a duration such as \"5s\", found the number +0.5 (add a unit: \"0.5s\")"),
        ("{t: 'fast'}", "m.json5:1:5: error: t: expected a duration such as \"250ms\", \"2m\" or \"1h30m\", found \"fast\""),
        ("{t: '-5ms'}", "m.json5:1:5: error: t: durations cannot be negative, found \"-5ms\""),
        ("{t: '0s'}", "m.json5:1:5: error: t: must be positive, found 0s"),
        ("{t: '2h'}", "m.json5:1:5: error: t: must be between 1ms and 1h, found 2h"),
        ("{t: null}", "m.json5:1:5: error: t: expected a duration string such as \"250ms\", found null"),
    ])
    func `reports duration problems at the value`(source: String, expected: String) throws {
        let errors = try read(source) { reader in
            let bounds: Bounds<Interval> = source.contains("2h")
                ? Bounds(Interval.milliseconds(1)...Interval.seconds(3_600)) : .positive
            #expect(reader.duration("t", bounds: bounds) == nil)
        }
        #expect(errors == expected)
    }

    @Test(arguments: [
        ("{n: 'x'}", false, "m.json5:1:5: error: n: expected an integer, found a string"),
        ("{n: 1.5}", false, "m.json5:1:5: error: n: must be an integer, found 1.5"),
        ("{n: 0}", true, "m.json5:1:5: error: n: must be positive, found 0"),
        ("{n: -3}", true, "m.json5:1:5: error: n: must be positive, found -3"),
        ("{n: 20000}", false, "m.json5:1:5: error: n: must be between 1 and 10000, found 20000"),
        ("{n: 1e30}", false, "m.json5:1:5: error: n: must be between 1 and 10000, found 1e30"),
        ("{n: [1]}", false, "m.json5:1:5: error: n: expected an integer, found an array"),
    ])
    func `reports integer problems at the value`(source: String, isPositive: Bool, expected: String) throws {
        let errors = try read(source) { reader in
            #expect(reader.integer("n", bounds: isPositive ? .positive : Bounds(1...10_000)) == nil)
        }
        #expect(errors == expected)
    }

    @Test func `reports an integer too large without bounds`() throws {
        let errors = try read("{n: 99999999999999999999}") { reader in #expect(reader.integer("n") == nil) }
        #expect(errors == "m.json5:1:5: error: n: integer is too large, found 99999999999999999999")
    }

    @Test func `an integer beyond 64 bits under a bound on the other side is too large, not out of that bound`() throws {
        let errors = try read("{a: 18446744073709551616, b: 1e30, c: -1e30, d: -99999999999999999999}") { reader in
            #expect(reader.integer("a", bounds: .atLeast(0)) == nil)
            #expect(reader.integer("b", bounds: .positive) == nil)
            #expect(reader.integer("c", bounds: .positive) == nil)
            #expect(reader.integer("d", bounds: .atMost(5)) == nil)
        }
        #expect(errors == """
            m.json5:1:5: error: a: integer is too large, found 18446744073709551616
            m.json5:1:30: error: b: integer is too large, found 1e30
            m.json5:1:39: error: c: must be positive, found -1e30
            m.json5:1:49: error: d: integer is too small, found -99999999999999999999
            """)
    }

    @Test func `reports numbers outside their bounds with the literal`() throws {
        let errors = try read("{p: 1.5, q: -0.1, r: 'x'}") { reader in
            #expect(reader.number("p", bounds: Bounds(0...1)) == nil)
            #expect(reader.number("q", bounds: .nonNegative) == nil)
            #expect(reader.number("r") == nil)
        }
        #expect(errors == """
            m.json5:1:5: error: p: must be between 0 and 1, found 1.5
            m.json5:1:13: error: q: must not be negative, found -0.1
            m.json5:1:22: error: r: expected a number, found a string
            """)
    }

    @Test func `reports a value that is not an object`() throws {
        let diagnostics = Diagnostics(file: "m.json5")
        let node = try JSON5Parser.parse(Array("\n  'web'".utf8), file: "m.json5")
        #expect(ObjectReader(node, path: "services[1]", diagnostics: diagnostics) == nil)
        #expect(diagnostics.errors.map(\.description) == ["m.json5:2:3: error: services[1]: expected an object, found a string"])
    }

    @Test func `reports and skips array elements that are not objects`() throws {
        let errors = try read("{services: [{name: 'a'}, 3, {name: 'b'}]}") { reader in
            let services = reader.objects("services") ?? []
            #expect(services.map(\.path) == ["services[0]", "services[2]"])
            #expect(services.compactMap { $0.string("name") } == ["a", "b"])
        }
        #expect(errors == "m.json5:1:26: error: services[1]: expected an object, found a number")
    }

    @Test(arguments: [
        ("timout", "timeout"), ("Timeout", "timeout"), ("thredas", "threads"), ("retires", "retries"),
        ("maxConections", "maxConnections"), ("tiemout", "timeout"),
    ])
    func `suggests the nearest known key`(unknown: String, suggestion: String) throws {
        let errors = try read("{\(unknown): 1}") { reader in
            for key in ["threads", "timeout", "retries", "maxConnections", "name"] { _ = reader.node(key) }
            reader.finish()
        }
        #expect(errors == "m.json5:1:2: error: unknown key '\(unknown)'; did you mean '\(suggestion)'?")
    }

    @Test(arguments: [(["rate", "rats"], "rate"), (["rats", "rate"], "rats")])
    func `suggests the key asked for first when two are equally close`(asked: [String], suggestion: String) throws {
        let errors = try read("{ratz: 1}") { reader in
            for key in asked { _ = reader.node(key) }
            reader.finish()
        }
        #expect(errors == "m.json5:1:2: error: unknown key 'ratz'; did you mean '\(suggestion)'?")
    }

    @Test func `suggests nothing when no known key is close`() throws {
        let errors = try read("{colour: 1, zzz: 2}") { reader in
            _ = reader.node("threads")
            _ = reader.node("name")
            reader.finish()
        }
        #expect(errors == "m.json5:1:2: error: unknown key 'colour'\nm.json5:1:13: error: unknown key 'zzz'")
    }

    @Test func `reports errors for a key at its value or at the object`() throws {
        let errors = try read("{\n  a: 1,\n}") { reader in
            reader.error("a is wrong", key: "a")
            reader.error("b is wrong", key: "b")
            reader.error("the whole is wrong")
        }
        #expect(errors == """
            m.json5:1:1: error: b: b is wrong
            m.json5:1:1: error: the whole is wrong
            m.json5:2:6: error: a: a is wrong
            """)
    }

    @Test(arguments: [
        ("", "a", "a"), ("run", "seed", "run.seed"), ("services[1]", "name", "services[1].name"),
        ("limits", "max size", #"limits["max size"]"#), ("", "a\"b", #"["a\"b"]"#), ("", "9lives", #"["9lives"]"#),
        ("x", "café", "x.café"),
    ])
    func `builds JSON paths`(parent: String, key: String, expected: String) throws {
        let root = try JSON5Parser.parse(Array("{}".utf8), file: "m.json5")
        let reader = try #require(ObjectReader(root, path: parent, diagnostics: Diagnostics(file: "m.json5")))
        #expect(reader.path(of: key) == expected)
    }

    @Test func `paths of array elements end in their index`() throws {
        let root = try JSON5Parser.parse(Array("{services: [{}, {}]}".utf8), file: "m.json5")
        let reader = try #require(ObjectReader(root, path: "", diagnostics: Diagnostics(file: "m.json5")))
        #expect(reader.array("services")?.map(\.path) == ["services[0]", "services[1]"])
        #expect(reader.objects("services")?.map { $0.path(of: "name") } == ["services[0].name", "services[1].name"])
    }

    @Test(arguments: [
        ("", "", 0), ("a", "", 1), ("kitten", "sitting", 3), ("timeout", "timout", 1), ("threads", "thredas", 1),
        ("ab", "ba", 1), ("ca", "abc", 3),
    ])
    func `measures edit distance with adjacent swaps`(a: String, b: String, distance: Int) {
        #expect(editDistance(a, b) == distance)
        #expect(editDistance(b, a) == distance)
    }
}
