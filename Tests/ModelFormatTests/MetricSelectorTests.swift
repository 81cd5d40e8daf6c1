import FailureChains
import ModelFormat
import SimulationKernel
import Testing

/// `--metric COMPONENT.METRIC[@FROM..TO][:AGGREGATE]`: split into its parts, then checked against
/// the model as an element of `expect` is, every problem named by its argument.
struct MetricSelectorTests {
    static let model = OverrideTests.model.replacingOccurrences(of: #"interval: "10s" }"#, with: #"interval: "10s", warmup: "5s" }"#)

    func selectors(_ arguments: [String], overrides: [String] = []) throws -> [Expectation] {
        do {
            return try ModelLoader.load(bytes: Array(Self.model.utf8), file: "m.json5", overrides: overrides.map { Override($0)! },
                                        selectors: arguments.map { try MetricSelector($0) }).selected
        } catch let error as ModelErrors {
            throw ModelTextFailure(description: error.description)
        }
    }

    func problems(_ arguments: [String], overrides: [String] = []) throws -> [String] {
        do {
            _ = try ModelLoader.load(bytes: Array(Self.model.utf8), file: "m.json5", overrides: overrides.map { Override($0)! },
                                     selectors: arguments.map { try MetricSelector($0) })
            return []
        } catch let error as ModelErrors {
            return error.errors.map(\.description)
        }
    }

    @Test func `a selector splits into component, metric, window and aggregate`() throws {
        let selector = try MetricSelector("shoppers.successRatio@2m..3m:mean")
        #expect(selector.component == "shoppers" && selector.measured == "successRatio")
        #expect(selector.from == "2m" && selector.to == "3m" && selector.aggregate == "mean" && selector.hasWindow)
        let instance = try MetricSelector("api[1].threadsBusy.rpc@10s..:maximum")
        #expect(instance.component == "api[1]" && instance.measured == "threadsBusy.rpc" && instance.from == "10s" && instance.to == nil)
        let summary = try MetricSelector("web.latencyP99")
        #expect(summary.aggregate == nil && !summary.hasWindow)
        #expect(try MetricSelector("api.instanceCrashed@..30s:count").countsEvents)
    }

    @Test(arguments: [
        ("successRatio", "expected COMPONENT.METRIC"),
        (".successRatio", "expected a component before '.'"),
        ("web.", "expected a metric after 'web.'"),
        ("web.refused:", "expected an aggregate after ':'"),
        ("web.refused@2m:sum", "expected a window FROM..TO after '@'"),
        ("web.refused@..:sum", "the window '..' has neither a start nor an end"),
    ])
    func `a selector of the wrong shape says what it expected`(argument: String, message: String) {
        #expect(throws: MetricSelectorError.self) { try MetricSelector(argument) }
        do {
            _ = try MetricSelector(argument)
        } catch {
            #expect(error.message.hasPrefix(message), "\(error.message)")
        }
    }

    @Test func `selectors become expectations of series, summary and events, and leave the model's own alone`() throws {
        let selected = try selectors(["shoppers.successRatio@10s..30s:minimum", "web.latencyP99", "api.instanceCrashed@20s..:count",
                                      "web.refused:sum"])
        #expect(selected.map(\.subject) == [
            .series(component: "shoppers", metric: "successRatio", from: .seconds(10), to: .seconds(30), aggregate: .minimum),
            .summary(component: "web", metric: "latencyP99"),
            .events(component: "api", event: "instanceCrashed", from: .seconds(20), to: nil),
            .series(component: "web", metric: "refused", from: nil, to: nil, aggregate: .sum),
        ])
        #expect(selected.map(\.location) == ["--metric shoppers.successRatio@10s..30s:minimum", "--metric web.latencyP99",
                                              "--metric api.instanceCrashed@20s..:count", "--metric web.refused:sum"])
    }

    @Test func `every wrong name in a selector is named by its argument, with the nearest name`() throws {
        let found = try problems(["shopers.successRatio@10s..30s:mean", "web.latencyP99@10s..30s:avg", "api.connectionsInUse.dbb@10s..:mean",
                                  "web[7].threadsBusy:mean", "api.instanceCrashd:count"])
        #expect(found == [
            #"--metric shopers.successRatio@10s..30s:mean: error: no component is named "shopers"; did you mean 'shoppers'?"#,
            #"--metric web.latencyP99@10s..30s:avg: error: must be one of mean, minimum, maximum, sum, first, last, found "avg"; did you mean 'mean'?"#,
            #"--metric api.connectionsInUse.dbb@10s..:mean: error: 'api' has no dependency named "dbb"; did you mean 'connectionsInUse.db'?"#,
            "--metric web[7].threadsBusy:mean: error: no instance web[7]; 'web' has 2 instances, web[0] to web[1]",
            #"--metric api.instanceCrashd:count: error: no event is named "instanceCrashd"; did you mean 'instanceCrashed'?"#,
        ], "\(found.joined(separator: "\n"))")
    }

    @Test func `a selector reading the wrong file is told the fix in a selector's terms`() throws {
        let found = try problems(["web.threadsBusy"])
        #expect(found.count == 1)
        #expect(found.first?.hasSuffix("a selector without '@FROM..TO' or ':AGGREGATE' reads summary.csv; add one, such as ':mean', to read series.csv") == true,
                "\(found)")
    }

    @Test func `a selector is checked against the model its overrides make`() throws {
        #expect(try problems(["web[2].threadsBusy:mean"]).count == 1)
        #expect(try problems(["web[2].threadsBusy:mean"], overrides: ["services.web.instances=3"]) == [])
    }

    @Test func `a window may not start inside the warm-up, which a study deletes`() throws {
        #expect(try problems(["shoppers.successRatio@2s..30s:mean", "web.refused@5s..:sum"]) == [
            "--metric shoppers.successRatio@2s..30s:mean: error: the window starts at 2s, inside the warm-up of 5s; a study deletes the warm-up from each replication, so start the window at 5s or later",
        ])
    }

    @Test func `a selector in a model without an expect list is still checked`() throws {
        #expect(!Self.model.contains("expect"))
        #expect(try selectors(["web.completed"]).count == 1)
    }
}
