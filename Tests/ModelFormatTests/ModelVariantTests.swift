import FailureChains
import ModelFormat
import SimulationKernel
import Testing

/// A model's `variants`: each the baseline with the changes of its `set` (paths as `--set` takes
/// them) and its own expectations, run with `--variant NAME`; every problem located in the file.
struct ModelVariantTests {
    static let model = """
        {
          faultline: 1,
          name: "farm",
          antipattern: "a farm without timeouts",
          run: { duration: "1m", seed: 3, interval: "10s" },
          services: [
            { name: "web", instances: 2, threads: 4, serviceTime: { exponential: "50ms" } },
            { name: "api", instances: 3,
              entryPoints: [{ name: "rpc", threads: 4, queue: 7, steps: [{ cpu: { exponential: "20ms" } }, { call: "db" }] }],
              dependencies: [{ name: "db", endpoint: "store", pool: { size: 10 } }] },
          ],
          endpoints: [{ name: "store", latency: { exponential: "10ms" } }],
          traffic: [{ name: "shoppers", target: "web", rate: "20/s" }],
          expect: [{ component: "web", metric: "completed", aggregate: "sum", above: 1 }],
          variants: {
            fast: {
              description: "a shorter timeout",
              set: { "services.api.dependencies.db.readTimeout": "1s", "services.api.instances": 6 },
              expect: [
                { component: "api", metric: "completed", aggregate: "sum", above: 2 },
                { component: "web", metric: "refused", aggregate: "sum", atMost: 0 },
              ],
            },
            wide: {
              set: { "services[0].instances": 8 },
            },
          },
        }
        """

    /// Loads `text` as `m.json5`, throwing every problem as one message if it does not load.
    func load(_ text: String = Self.model, variant: String? = nil, overrides: [String] = []) throws -> LoadedModel {
        do {
            return try ModelLoader.load(bytes: Array(text.utf8), file: "m.json5", variant: variant, overrides: overrides.map { Override($0)! })
        } catch {
            throw ModelTextFailure(description: error.description)
        }
    }

    /// The problems of loading `text` as `m.json5`, as compiler-style lines.
    func problems(_ text: String = Self.model, variant: String? = nil) -> [String] {
        do {
            _ = try ModelLoader.load(bytes: Array(text.utf8), file: "m.json5", variant: variant)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    /// `line:column` of the first occurrence of `needle` in `text`.
    func place(of needle: String, in text: String) throws -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() {
            if let range = line.range(of: needle) {
                return "\(number + 1):\(line.unicodeScalars.distance(from: line.unicodeScalars.startIndex, to: range.lowerBound) + 1)"
            }
        }
        throw ModelTextFailure(description: "'\(needle)' is not in the text")
    }

    /// The model with `fast`'s set replaced by `set`.
    func withFastSet(_ set: String) -> String {
        Self.model.replacingOccurrences(of: #"set: { "services.api.dependencies.db.readTimeout": "1s", "services.api.instances": 6 },"#,
                                        with: "set: { \(set) },")
    }

    // MARK: Loading

    @Test func `the baseline loads unchanged beside its variants`() throws {
        let loaded = try load()
        #expect(loaded.model.name == "farm")
        #expect(loaded.model.services.map(\.instances) == [2, 3])
        #expect(loaded.model.services[1].dependencies[0].readTimeout == nil)
        #expect(loaded.variant == nil)
        #expect(loaded.variants.map(\.name) == ["fast", "wide"])
        #expect(loaded.variants.map(\.description) == ["a shorter timeout", nil])
        #expect(loaded.antipattern == "a farm without timeouts")
    }

    @Test func `a variant is the baseline with the changes of its set`() throws {
        let loaded = try load(variant: "fast")
        #expect(loaded.model.services.map(\.instances) == [2, 6])
        #expect(loaded.model.services[1].dependencies[0].readTimeout == .seconds(1))
        #expect(loaded.variant == "fast")
    }

    @Test func `a variant's set reaches list elements by index too`() throws {
        let loaded = try load(variant: "wide")
        #expect(loaded.model.services.map(\.instances) == [8, 3])
    }

    @Test func `a variant runs under the model's name and its own`() throws {
        #expect(try load(variant: "fast").model.name == "farm-fast")
        #expect(ModelVariant.runName(model: "airline", variant: "timeouts") == "airline-timeouts")
    }

    @Test func `a variant's expectations replace the baseline's`() throws {
        let expectations = try load(variant: "fast").model.expectations
        #expect(expectations.map(\.text).count == 2)
        #expect(expectations.allSatisfy { !$0.text.contains("web completed") })
        let place = try self.place(of: #"{ component: "api""#, in: Self.model)
        #expect(expectations.first?.location == "m.json5:" + place)
    }

    @Test func `a variant without expectations keeps the baseline's`() throws {
        #expect(try load(variant: "wide").model.expectations == (try load()).model.expectations)
    }

    @Test func `a --set applies on top of the variant`() throws {
        let loaded = try load(variant: "fast", overrides: ["services.api.instances=9"])
        #expect(loaded.model.services.map(\.instances) == [2, 9])
        #expect(loaded.model.services[1].dependencies[0].readTimeout == .seconds(1))
    }

    @Test func `the effective hash tells a variant from the baseline and from another variant`() throws {
        let baseline = try load(), fast = try load(variant: "fast"), wide = try load(variant: "wide")
        #expect(baseline.effectiveHash == baseline.fileHash)
        #expect(fast.fileHash == baseline.fileHash)
        #expect(Set([baseline.effectiveHash, fast.effectiveHash, wide.effectiveHash]).count == 3)
        #expect(try load(variant: "fast").effectiveHash == fast.effectiveHash)
    }

    // MARK: Problems

    @Test func `an unknown variant suggests the closest name`() {
        #expect(problems(variant: "fats") == ["--variant fats: error: m.json5 has no variant named 'fats'; did you mean 'fast'?"])
    }

    @Test func `an unknown variant far from every name lists the variants`() {
        #expect(problems(variant: "breaker") == ["--variant breaker: error: m.json5 has no variant named 'breaker'; its variants: fast, wide"])
    }

    @Test func `a variant of a model without variants is refused`() {
        let withoutVariants = Self.model.components(separatedBy: "  variants: {")[0] + "}\n"
        #expect(problems(withoutVariants, variant: "fast") == ["--variant fast: error: m.json5 has no variants"])
    }

    @Test func `a path that names nothing is reported at its line and column in the file`() throws {
        let text = withFastSet(#""services.api.dependencies.dv.readTimeout": "1s""#)
        let place = try self.place(of: #""services.api.dependencies.dv"#, in: text)
        #expect(problems(text, variant: "fast") == [
            "m.json5:\(place): error: variants.fast.set: services.api.dependencies has no element named 'dv'; did you mean 'db'?",
        ])
    }

    @Test func `a misspelled key at the end of a path is reported at the path with the closest key`() throws {
        let text = withFastSet(#""services.api.dependencies.db.readTimeot": "1s""#)
        let place = try self.place(of: #""services.api.dependencies.db.readTimeot"#, in: text)
        let found = problems(text, variant: "fast")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("m.json5:\(place): error: services[1].dependencies[0]: unknown key 'readTimeot'; did you mean 'readTimeout'?") == true)
    }

    @Test func `a wrong value in a variant is reported at the value`() throws {
        let text = withFastSet(#""services.api.instances": -4"#)
        let place = try self.place(of: "-4", in: text)
        let found = problems(text, variant: "fast")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("m.json5:\(place): error: services[1].instances:") == true)
    }

    @Test func `a path that cannot be read is reported when the baseline loads`() throws {
        let text = withFastSet(#""services..instances": 4"#)
        let place = try self.place(of: #""services..instances""#, in: text)
        #expect(problems(text) == ["m.json5:\(place): error: variants.fast.set: 'services..instances': expected a name after '.', found '.'"])
    }

    @Test func `an unknown key of a variant suggests the closest`() throws {
        let text = Self.model.replacingOccurrences(of: #"description: "a shorter timeout","#, with: #"descripton: "a shorter timeout","#)
        let place = try self.place(of: "descripton", in: text)
        #expect(problems(text) == ["m.json5:\(place): error: variants.fast: unknown key 'descripton'; did you mean 'description'?"])
    }

    @Test func `a variant must change something`() throws {
        let text = withFastSet("")
        #expect(problems(text).count == 1)
        #expect(problems(text).first?.contains("variants.fast.set: a variant must change something") == true)
    }

    @Test(arguments: ["name", "expect", "variants", "faultline"])
    func `a variant may not change the model's identity or give its expectations in set`(key: String) throws {
        let text = withFastSet("\(key): 1")
        let found = problems(text)
        #expect(found.count == 1)
        #expect(found.first?.contains("variants.fast.set: '\(key)': a variant cannot") == true
            || found.first?.contains("variants.fast.set: '\(key)': a variant gives") == true)
    }

    @Test(arguments: ["9lives", "a.b", "has space"])
    func `a variant's name must be a name`(name: String) throws {
        let text = Self.model.replacingOccurrences(of: "wide: {", with: "\"\(name)\": {")
        let found = problems(text)
        #expect(found.count == 1)
        #expect(found.first?.contains("a variant's name must be letters, digits, '_' or '-', starting with a letter") == true)
    }

    @Test func `variants must be an object`() throws {
        let text = Self.model.components(separatedBy: "  variants: {")[0] + "  variants: [1],\n}\n"
        #expect(problems(text).first?.contains("error: variants: expected an object, found an array") == true)
    }

    @Test func `a misspelled variants key suggests variants`() throws {
        let text = Self.model.replacingOccurrences(of: "  variants: {", with: "  variant: {")
        #expect(problems(text).first?.contains("unknown key 'variant'; did you mean 'variants'?") == true)
    }

    @Test func `an antipattern must be a string`() throws {
        let text = Self.model.replacingOccurrences(of: #"antipattern: "a farm without timeouts","#, with: "antipattern: 3,")
        let place = try self.place(of: "3,", in: text)
        #expect(problems(text) == ["m.json5:\(place): error: antipattern: expected a string, found a number"])
    }

    @Test func `a model without an antipattern or variants has none`() throws {
        let text = Self.model.replacingOccurrences(of: #"antipattern: "a farm without timeouts","#, with: "")
            .components(separatedBy: "  variants: {")[0] + "}\n"
        let loaded = try load(text)
        #expect(loaded.antipattern == nil)
        #expect(loaded.variants.isEmpty)
    }
}
