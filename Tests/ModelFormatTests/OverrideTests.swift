import FailureChains
import ModelFormat
import Testing

/// `--set PATH=VALUE` overrides: paths resolved by name and by index against the JSON5 tree, the
/// values checked by the model decoder, and every problem named by its argument.
struct OverrideTests {
    static let model = """
        {
          faultline: 1,
          name: "farm",
          run: { duration: "1m", seed: 3, interval: "10s" },
          services: [
            { name: "web", instances: 2, threads: 4, serviceTime: { exponential: "50ms" } },
            { name: "api", instances: 3,
              entryPoints: [{ name: "rpc", threads: 4, queue: 7, steps: [{ cpu: { exponential: "20ms" } }, { call: "db" }] }],
              dependencies: [{ name: "db", endpoint: "store", pool: { size: 10 } }] },
          ],
          endpoints: [{ name: "store", latency: { exponential: "10ms" } }],
          traffic: [{ name: "shoppers", target: "web",
                      profile: [{ at: "0s", rate: "20/s" }, { at: "30s", rate: "40/s" }] }],
          faults: [{ at: "20s", target: "api", kind: "crash" }],
        }
        """

    /// Loads `model` with the overrides, throwing every problem as one message if it does not load.
    func load(_ arguments: String...) throws -> LoadedModel {
        do {
            return try ModelLoader.load(bytes: Array(Self.model.utf8), file: "m.json5", overrides: arguments.map { Override($0)! })
        } catch {
            throw ModelTextFailure(description: error.description)
        }
    }

    /// The problems of loading `model` with the overrides, as compiler-style lines.
    func problems(_ arguments: String...) -> [String] {
        do {
            _ = try ModelLoader.load(bytes: Array(Self.model.utf8), file: "m.json5", overrides: arguments.map { Override($0)! })
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    // MARK: Paths

    @Test func `a service is addressed by its name`() throws {
        let loaded = try load("services.api.instances=6")
        #expect(loaded.model.services.map(\.instances) == [2, 6])
    }

    @Test func `a list element is addressed by its index too`() throws {
        let loaded = try load("services[1].instances=5", "services[0].threads=9")
        #expect(loaded.model.services.map(\.instances) == [2, 5])
        #expect(loaded.model.services[0].entryPoints[0].threads == 9)
    }

    @Test func `a nested path reaches a dependency's pool by names`() throws {
        let loaded = try load("services.api.dependencies.db.pool.size=60")
        #expect(loaded.model.services[1].dependencies[0].pool?.size == 60)
    }

    @Test func `a profile point is addressed by index below a traffic source addressed by name`() throws {
        let loaded = try load("traffic.shoppers.profile[1].rate=1000/s")
        #expect(loaded.model.traffic[0].profile.points.map(\.rate) == [20, 1000])
    }

    @Test func `a fault is addressed by its index`() throws {
        let loaded = try load("faults[0].at=45s")
        #expect(loaded.model.faults[0].start == .seconds(45))
    }

    @Test func `run settings and endpoints are set by key`() throws {
        let loaded = try load("run.seed=17", #"endpoints.store.latency={constant: "3ms"}"#)
        #expect(loaded.model.run.seed == 17)
        #expect(loaded.model.endpoints[0].latency == .constant(0.003))
    }

    @Test func `a key absent from the file but valid is added`() throws {
        let loaded = try load("services.web.queue=50")
        #expect(loaded.model.services[0].entryPoints[0].queueCapacity == 50)
    }

    @Test func `an absent object is created along the path`() throws {
        let loaded = try load("services.web.lifecycle.restartDelay=5s")
        #expect(loaded.model.services[0].lifecycle.restartDelay == .seconds(5))
        #expect(try load().model.services[0].lifecycle.restartDelay != .seconds(5))
    }

    @Test func `later overrides see what earlier ones set`() throws {
        let loaded = try load("traffic.shoppers.name=buyers", "traffic.buyers.profile[0].rate=5/s")
        #expect(loaded.model.traffic[0].name == "buyers")
        #expect(loaded.model.traffic[0].profile.points[0].rate == 5)
    }

    // MARK: Values

    @Test func `values are read as in a file, and a bare word is a string`() throws {
        let quoted = try load(#"traffic.shoppers.profile[0].rate="30/s""#)
        let bare = try load("traffic.shoppers.profile[0].rate=30/s")
        #expect(quoted.model.traffic[0].profile.points[0].rate == 30)
        #expect(bare.model == quoted.model)
    }

    @Test func `an object value replaces the whole value as if written in the file`() throws {
        let lognormal = #"{lognormal: {median: "80ms", p99: "400ms"}}"#
        let loaded = try load("services.web.serviceTime=\(lognormal)")
        let edited = Self.model.replacingOccurrences(of: #"{ exponential: "50ms" }"#, with: lognormal)
        let expected = try ModelLoader.load(bytes: Array(edited.utf8), file: "m.json5").model
        #expect(loaded.model == expected)
        #expect(try load().model != expected)
    }

    @Test func `an expectation set by an override is located at its argument`() throws {
        let argument = #"expect=[{component: "web", metric: "completed", aggregate: "sum", above: 1}]"#
        let loaded = try load(argument)
        #expect(loaded.model.expectations.map(\.location) == ["--set \(argument)"])
        let inFile = try load("run.seed=4")
        #expect(inFile.model.expectations.isEmpty)
    }

    // MARK: Hashes

    @Test func `the effective hash is the file's hash without overrides and changes with each override`() throws {
        let plain = try load()
        let six = try load("services.api.instances=6")
        let sixAgain = try load("services.api.instances=6")
        let seven = try load("services.api.instances=7")
        #expect(plain.effectiveHash == plain.fileHash)
        #expect(six.fileHash == plain.fileHash)
        #expect(six.effectiveHash != plain.effectiveHash)
        #expect(six.effectiveHash == sixAgain.effectiveHash)
        #expect(seven.effectiveHash != six.effectiveHash)
        #expect(six.overrides == ["services.api.instances=6"])
        #expect(try load("run.seed=1", "run.seed=2").effectiveHash != (try load("run.seed=2", "run.seed=1").effectiveHash))
    }

    // MARK: Problems

    @Test(arguments: [
        ("services.web.instancs=6", "--set services.web.instancs=6: error: unknown key 'instancs'; did you mean 'instances'?"),
        ("services.wbe.instances=6", "--set services.wbe.instances=6: error: services has no element named 'wbe'; did you mean 'web'?"),
        ("servics.web.instances=6", "--set servics.web.instances=6: error: unknown key 'servics'; did you mean 'services'?"),
        ("run.sed=4", "--set run.sed=4: error: unknown key 'sed'; did you mean 'seed'?"),
        ("traffic.shopers.rate=1/s", "--set traffic.shopers.rate=1/s: error: traffic has no element named 'shopers'; did you mean 'shoppers'?"),
        ("services.api.dependencies.bd.pool.size=6", "--set services.api.dependencies.bd.pool.size=6: error: services.api.dependencies has no element named 'bd'; did you mean 'db'?"),
        ("services.web.dependencies[0].pool.size=3", "--set services.web.dependencies[0].pool.size=3: error: services.web.dependencies is not in the model, so it has no element [0] to set"),
        ("services.api.entryPoints.rcp.threads=3", "--set services.api.entryPoints.rcp.threads=3: error: services.api.entryPoints has no element named 'rcp'; did you mean 'rpc'?"),
        ("services.zzzzzz.instances=6", "--set services.zzzzzz.instances=6: error: services has no element named 'zzzzzz' (its names: 'web', 'api')"),
        ("faults.crash.at=1s", "--set faults.crash.at=1s: error: the elements of faults have no names; address one by index, such as faults[0]"),
        ("faults[3].at=1s", "--set faults[3].at=1s: error: faults has 1 element, so there is no faults[3]"),
        ("services.web.instances.x=1", "--set services.web.instances.x=1: error: services.web.instances is a number, not an object, so it has no key 'x'; set services.web.instances as a whole instead"),
        ("run[0]=1", "--set run[0]=1: error: run is an object, not a list, so it has no element [0]"),
        ("services..web=1", "--set services..web=1: error: expected a name after '.', found '.'"),
        ("services.=1", "--set services.=1: error: the path ends with '.'"),
        ("services[x].instances=1", "--set services[x].instances=1: error: expected a non-negative index in '[…]', found 'x'"),
        ("services[0.instances=1", "--set services[0.instances=1: error: the path has '[' without ']'"),
        ("[0]=1", "--set [0]=1: error: the path must start with a name, found '['"),
        ("services.web.instances=-3", "--set services.web.instances=-3: error: must be between 1 and 10000, found -3"),
        ("services.web.queue=lots", #"--set services.web.queue=lots: error: expected a number of waiting places or "unbounded", found "lots""#),
        ("services.web.instances={", "--set services.web.instances={: error: in the value at column 2: expected a key or '}', found end of file"),
        (#"services.web.serviceTime={exponentail: "5ms"}"#, #"--set services.web.serviceTime={exponentail: "5ms"}: error: services[0].serviceTime: unknown distribution 'exponentail'; did you mean 'exponential'?; known: constant, exponential, uniform, normal, lognormal, gamma, erlang, pareto, boundedPareto, empirical"#),
    ])
    func `a bad override is reported at its argument with the nearest name`(argument: String, message: String) {
        #expect(problems(argument) == [message])
    }

    @Test func `every problem of several overrides is reported, in command-line order, after the file's`() {
        let lines = problems("services.web.instances=0", "services.wbe.threads=2", "run.seed=5", "services.web.queu=1")
        #expect(lines == [
            "--set services.web.instances=0: error: must be between 1 and 10000, found 0",
            "--set services.wbe.threads=2: error: services has no element named 'wbe'; did you mean 'web'?",
            "--set services.web.queu=1: error: unknown key 'queu'; did you mean 'queue'?",
        ])
    }

    @Test func `an override cannot hide a problem of the file, and the file's problems come first`() {
        let text = Self.model.replacingOccurrences(of: "threads: 4, queue: 7", with: "threads: -4, queue: 7")
        #expect(text != Self.model)
        do {
            _ = try ModelLoader.load(bytes: Array(text.utf8), file: "m.json5", overrides: [Override("services.web.instances=0")!])
            Issue.record("the model loaded")
        } catch {
            #expect(error.errors.map(\.description) == [
                "m.json5:8:45: error: services[1].entryPoints[0].threads: must be between 1 and 100000, found -4",
                "--set services.web.instances=0: error: must be between 1 and 10000, found 0",
            ])
        }
    }

    @Test(arguments: ["services.web.instances", "=6", ""])
    func `an argument without a path and an equals sign is not an override`(argument: String) {
        #expect(Override(argument) == nil)
    }

    @Test func `the value is everything after the first equals sign`() throws {
        let override = try #require(Override("services.web.name=a=b"))
        #expect(override.pathText == "services.web.name")
        #expect(override.valueText == "a=b")
        #expect(try override.steps.get() == [.key("services"), .key("web"), .key("name")])
        #expect(try Override("traffic.x.profile[1][2].rate=1")!.steps.get()
                == [.key("traffic"), .key("x"), .key("profile"), .index(1), .index(2), .key("rate")])
    }

    @Test func `random overrides are reported at their arguments, never a crash`() {
        let pieces = ["services", "web", "api", "rpc", "db", "traffic", "shoppers", "profile", "faults", "run", "seed",
                      "instances", "threads", "queue", "pool", "size", "dependencies", "entryPoints", "[0]", "[1]", "[9]",
                      ".", "..", "[", "]", "name", "rate", "x", ""]
        let values = ["6", "-3", "0", "1e400", "1000/s", "\"50ms\"", "{", "[1, {a: 2}]", "{exponential: \"5ms\"}", "null", "true", "", "web", "'x'"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ count: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(count))
        }
        for _ in 0..<2000 {
            var path = ""
            for _ in 0...next(5) {
                let piece = pieces[next(pieces.count)]
                path += piece.hasPrefix("[") || path.isEmpty ? piece : "." + piece
            }
            let argument = path + "=" + values[next(values.count)]
            guard let override = Override(argument) else {
                #expect(path.isEmpty)
                continue
            }
            do {
                _ = try ModelLoader.load(bytes: Array(Self.model.utf8), file: "m.json5", overrides: [override])
            } catch {
                #expect(!error.errors.isEmpty)
                #expect(error.errors.allSatisfy { $0.file == "--set \(argument)" || $0.file == "m.json5" }, "\(argument)")
            }
        }
    }
}
