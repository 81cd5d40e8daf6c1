import FailureChains
import Foundation
import ModelFormat
import SimulationKernel
import Testing

/// The metric catalogue names what the engine writes, all of it, and what `docs/output.md` documents.
struct MetricCatalogueTests {
    typealias Kind = MetricCatalogue.ComponentKind

    /// The models run here: the gallery, and the models below, which have what the gallery lacks.
    ///
    /// A metric or event that only some model can produce (a limit that stops a run, say) gets a
    /// model of its own in `inlineModels`, so that every declared name is seen written.
    static let models: [String] = GoldenFileTests.models.map { "models/" + $0 } + inlineModels.keys.sorted()

    /// Models written here, by name: each is run as `NAME.json5`.
    static let inlineModels: [String: String] = ["every-feature": everyFeatureText, "message-queue": messageQueueText,
                                                   "disk-rotation": diskRotationText]

    /// A disk that fills and is freed by a rotation (`diskRecovered`), which the gallery's
    /// steady-state model, rotating before it fills, never shows.
    static let diskRotationText = #"""
    {
      faultline: 1,
      name: "disk-rotation",
      run: { duration: "10m", seed: 3, interval: "30s" },
      services: [
        { name: "app", instances: 1, threads: 4, serviceTime: "5ms",
          disk: { size: "1MB", baseline: "500KB", perRequest: "100B", perSecond: "1KB", failAt: "95%",
                  rotation: { every: "5m", keep: 0 } } },
      ],
      traffic: [ { name: "t", target: "app", rate: "10/s" } ],
    }
    """#

    /// A message queue that fills, refuses, expires messages and drains, with a consumer that
    /// fails some messages (an error fault on its work) and is slow for a while.
    static let messageQueueText = #"""
    {
      faultline: 1,
      name: "message-queue",
      run: { duration: "2m", warmup: "10s", seed: 7, interval: "10s" },
      services: [
        { name: "front", entryPoints: [{ name: "main", threads: 4, steps: [{ cpu: "1ms" }, { call: "jobs" }] }],
          dependencies: [{ name: "jobs", messageQueue: "jobs" }] },
        { name: "workers", entryPoints: [{ name: "jobs", threads: 2, steps: [{ cpu: "100ms" }] }] },
      ],
      messageQueues: [{ name: "jobs", capacity: 20, timeToLive: "3s", maximumDeliveries: 2, consumer: "workers" }],
      traffic: [{ name: "producers", target: "front", rate: "10/s" }],
      faults: [
        { at: "30s", duration: "20s", target: "workers", kind: "slow", factor: 20 },
        { at: "1m20s", duration: "10s", target: "workers", kind: "error", probability: 0.5 },
      ],
    }
    """#

    /// A model with what the gallery lacks (an autoscaler, a supervisor, a bulkhead, a user
    /// population, heap purges, every fault kind), short enough to run in a test.
    static let everyFeatureText = #"""
    {
      faultline: 1,
      name: "every-feature",
      run: { duration: "10m", warmup: "1m", seed: 7, interval: "30s" },
      endpoints: [
        { name: "db", latency: { exponential: "10ms" } },
        { name: "cache", latency: { constant: "2ms" }, errorProbability: 0.01 },
        { name: "audit", latency: { constant: "1ms" } },
      ],
      services: [
        {
          name: "front", instances: 3,
          balancer: { healthCheck: { interval: "5s", timeout: "1s", unhealthyThreshold: 2, healthyThreshold: 2 } },
          autoscaler: { targetUtilisation: "30%", interval: "30s", provisioningLag: "10s", minimumInstances: 2, maximumInstances: 4 },
          lifecycle: { restartDelay: "5s", startupTime: "5s", supervisor: { maximumRestarts: 1, period: "10m" } },
          heap: { size: "40MB", baseline: "16MB", sessionSize: "20KB", sessionTimeout: "30s", purgeInterval: "20s", gcThreshold: 0.52 },
          dependencies: [
            { name: "back", service: "back", readTimeout: "200ms",
              breaker: { kind: "consecutive", failureThreshold: 3, resetTimeout: "10s" },
              bulkhead: { maximumConcurrentCalls: 2 },
              retry: { maximumAttempts: 2, backoff: { constant: "10ms" } } },
          ],
          entryPoints: [{ name: "main", threads: 4, queue: 1, steps: [{ session: true }, { cpu: "50ms" }, { call: "back" }] }],
        },
        {
          name: "back", instances: 1,
          entryPoints: [
            { name: "api", threads: 3, queue: 1, steps: [{ cpu: "5ms" }, { call: "db" }, { call: "cache" }, { call: "audit" }] },
            { name: "admin", threads: 1, steps: [{ cpu: "1ms" }] },
          ],
          dependencies: [
            { name: "db", endpoint: "db", pool: { size: 4, checkoutTimeout: "100ms" }, readTimeout: "100ms" },
            { name: "audit", endpoint: "audit", pool: { size: 50, leakOnError: true } },
            { name: "cache", endpoint: "cache", pool: { size: 2 }, readTimeout: "300ms" },
          ],
        },
      ],
      traffic: [ { name: "shoppers", target: "front", rate: "10/s", visit: { requests: 2, thinkTime: "1s" } } ],
      users: [ { name: "staff", target: "back", entryPoint: "admin", population: 5, thinkTime: { constant: "2s" } } ],
      faults: [
        { at: "2m", duration: "30s", target: "db", kind: "slow", factor: 10 },
        { at: "3m", duration: "40s", target: "cache", kind: "hang" },
        { at: "3m50s", duration: "1s", target: "audit", kind: "error" },
        { at: "4m", target: "db", kind: "failover" },
        { at: "4m30s", duration: "10s", target: "cache", kind: "error" },
        { at: "5m", duration: "10s", target: "cache", kind: "refuse" },
        { at: "5m30s", duration: "10s", target: "cache", kind: "blackhole" },
        { at: "6m", duration: "10s", target: "cache", kind: "latency", latency: { constant: "1s" } },
        { at: "5m", duration: "10s", target: "front[1]", kind: "leak", perRequest: "1KB" },
        { at: "6m30s", target: "front[0]", kind: "crash" },
        { at: "6m50s", target: "front[0]", kind: "crash" },
        { at: "7m", duration: "1m", target: "front", kind: "leak", perSecond: "4MB" },
        { at: "1m20s", duration: "30s", target: "shoppers", kind: "spike", factor: 4 },
              ],
    }
    """#

    /// A model of `models`, loaded.
    static func load(_ model: String) throws -> SystemModel {
        if let text = inlineModels[model] {
            do {
                return try ModelLoader.load(bytes: Array(text.utf8), file: model + ".json5").model
            } catch {
                throw TestFailure(message: error.description)
            }
        }
        return try TestFiles.model(TestFiles.inRepository(model))
    }

    /// Every name a run wrote, by component.
    final class NameCollector: ObservationSink {
        /// Metrics of `series.csv` in any interval.
        var series: [String: Set<String>] = [:]
        /// Metrics of `series.csv` in the first interval.
        var firstInterval: [String: Set<String>] = [:]
        /// Events of `events.csv`.
        var events: [String: Set<String>] = [:]
        private var intervals = 0

        func intervalEnded(start: Instant, rows: [MetricRow]) {
            for row in rows {
                series[row.component, default: []].insert(row.metric)
                if intervals == 0 { firstInterval[row.component, default: []].insert(row.metric) }
            }
            intervals += 1
        }

        func stateChanged(_ change: StateChange) {
            events[change.component, default: []].insert(change.event)
        }
    }

    /// What a run wrote and the model that wrote it.
    struct Observed: Sendable {
        var model: SystemModel
        var series: [String: Set<String>]
        var firstInterval: [String: Set<String>]
        var events: [String: Set<String>]
        var summary: [String: Set<String>]
    }

    /// Runs each model once; the tests below share the runs.
    static let observed: [String: Observed] = {
        var observed: [String: Observed] = [:]
        for file in models {
            guard let model = try? load(file) else { continue }
            let names = NameCollector()
            let result = ChainSimulation(model: model, sink: names).run()
            var summary: [String: Set<String>] = [:]
            for row in result.summary { summary[row.component, default: []].insert(row.metric) }
            observed[file] = Observed(model: model, series: names.series, firstInterval: names.firstInterval, events: names.events, summary: summary)
        }
        return observed
    }()

    /// The kind of every component name a model's files can hold, with its service.
    static func components(of model: SystemModel) -> [String: (kind: Kind, service: ServiceSpec?)] {
        var components: [String: (kind: Kind, service: ServiceSpec?)] = [model.name: (.model, nil)]
        for service in model.services {
            components[service.name] = (.service, service)
            for index in 0..<max(service.instances, service.autoscaler?.maximumInstances ?? 0) {
                let instance = "\(service.name)[\(index)]"
                components[instance] = (.instance, service)
                if service.entryPoints.count > 1 {
                    for entry in service.entryPoints { components[instance + "." + entry.name] = (.entryPoint, service) }
                }
                for pool in service.threadPools { components[instance + "." + pool.name] = (.threadPool, service) }
            }
        }
        for endpoint in model.endpoints { components[endpoint.name] = (.endpoint, nil) }
        for source in model.traffic { components[source.name] = (.trafficSource, nil) }
        for population in model.users { components[population.name] = (.userPopulation, nil) }
        for queue in model.messageQueues { components[queue.name] = (.messageQueue, nil) }
        for lock in model.locks { components[lock.name] = (.lock, nil) }
        return components
    }

    /// The clients' behaviour of a traffic source or user population, or nil for another component.
    static func client(of component: String, in model: SystemModel) -> ClientBehaviour? {
        model.traffic.first { $0.name == component }?.behaviour ?? model.users.first { $0.name == component }?.behaviour
    }

    @Test(arguments: models)
    func `the model loads and runs`(model: String) throws {
        _ = try Self.load(model)
        #expect(Self.observed[model] != nil)
    }

    @Test(arguments: models, MetricCatalogue.File.allCases)
    func `every row a run writes is in the catalogue for its component`(model: String, file: MetricCatalogue.File) throws {
        let observed = try #require(Self.observed[model])
        let components = Self.components(of: observed.model)
        for (component, metrics) in file == .series ? observed.series : observed.summary {
            let (kind, service) = try #require(components[component], "\(component) is no component of \(model)")
            let endpoint = observed.model.endpoints.first { $0.name == component }
            let client = Self.client(of: component, in: observed.model)
            let declared = Set(MetricCatalogue.metricNames(in: file, for: kind, service: service, endpoint: endpoint, client: client))
            for metric in metrics.sorted() {
                #expect(declared.contains(metric), "\(model): \(file.rawValue) has \(component) \(metric), not declared for \(kind.plural)")
            }
        }
    }

    @Test(arguments: models, MetricCatalogue.File.allCases)
    func `every row the catalogue declares without a condition on data is written`(model: String, file: MetricCatalogue.File) throws {
        let observed = try #require(Self.observed[model])
        let written = file == .series ? observed.firstInterval : observed.summary
        for (component, (kind, service)) in Self.components(of: observed.model) where kind != .model && kind != .entryPoint {
            let metrics = written[component] ?? []
            let endpoint = observed.model.endpoints.first { $0.name == component }
            let client = Self.client(of: component, in: observed.model)
            for metric in MetricCatalogue.metricNames(in: file, for: kind, service: service, endpoint: endpoint, client: client,
                                                      includingDataDependent: false) {
                #expect(metrics.contains(metric), "\(model): \(file.rawValue) has no \(component) \(metric)")
            }
        }
    }

    @Test(arguments: models)
    func `every event a run records is in the catalogue for its component`(model: String) throws {
        let observed = try #require(Self.observed[model])
        let components = Self.components(of: observed.model)
        for (component, events) in observed.events {
            let (kind, service) = try #require(components[component], "\(component) is no component of \(model)")
            for name in events.sorted() {
                let event = try #require(MetricCatalogue.event(named: name), "\(model): event \(name) is not in the catalogue")
                #expect(event.kinds.contains(kind), "\(model): \(component) records \(name), declared only for \(event.kinds.map(\.plural))")
                if event.isPerEntryPoint, kind != .threadPool, let service {
                    #expect((kind == .entryPoint) == (service.entryPoints.count > 1), "\(model): \(component) records \(name)")
                }
            }
        }
    }

    /// Every declared pair of kind and name is seen in some run, so the catalogue claims nothing
    /// that the engine does not do.
    @Test func `the runs write every metric and record every event the catalogue declares`() throws {
        var seenMetrics: Set<String> = []
        var seenEvents: Set<String> = []
        for observed in Self.observed.values {
            let components = Self.components(of: observed.model)
            func kindWord(_ component: String) -> String { components[component].map { $0.kind.rawValue } ?? "?" }
            for (component, metrics) in observed.series {
                for metric in metrics { seenMetrics.insert("series \(kindWord(component)) \(Self.pattern(of: metric, component: component, in: components))") }
            }
            for (component, metrics) in observed.summary {
                for metric in metrics { seenMetrics.insert("summary \(kindWord(component)) \(Self.pattern(of: metric, component: component, in: components))") }
            }
            for (component, events) in observed.events {
                for event in events { seenEvents.insert("\(kindWord(component)) \(event)") }
            }
        }
        for file in MetricCatalogue.File.allCases {
            for metric in MetricCatalogue.metrics(in: file) {
                for kind in metric.kinds {
                    let key = "\(file == .series ? "series" : "summary") \(kind.rawValue) \(metric.pattern)"
                    #expect(seenMetrics.contains(key), "no run wrote \(key)")
                }
            }
        }
        for event in MetricCatalogue.events {
            for kind in event.kinds {
                #expect(seenEvents.contains("\(kind.rawValue) \(event.name)"), "no run recorded \(event.name) for \(kind.withArticle)")
            }
        }
    }

    /// A written metric name with its suffix replaced by the docs' placeholder: `calls.<dep>`.
    static func pattern(of metric: String, component: String, in components: [String: (kind: Kind, service: ServiceSpec?)]) -> String {
        guard let service = components[component]?.service, let dot = metric.firstIndex(of: ".") else { return metric }
        let suffix = String(metric[metric.index(after: dot)...])
        let base = String(metric[..<dot])
        if service.entryPoints.count > 1, service.entryPoints.contains(where: { $0.name == suffix }),
           ["threadsBusy", "queueLength", "threadsBusyMean", "queueLengthMean"].contains(base) {
            return base + ".<entry>"
        }
        if service.threadPools.contains(where: { $0.name == suffix }) { return base + ".<pool>" }
        if service.lockNames.contains(suffix) { return base + ".<lock>" }
        return service.dependencies.contains { $0.name == suffix } ? base + ".<dep>" : metric
    }
}

/// `docs/output.md` documents exactly the catalogue: each metric in the table of its file and
/// kinds of component, with when it is written; each event with the components that record it.
struct OutputDocumentationTests {
    typealias Kind = MetricCatalogue.ComponentKind

    /// A table of the page: the headings above it, its header and its rows, cells trimmed.
    struct Table {
        var section: String
        var subsection: String
        var header: [String]
        var rows: [[String]]
    }

    /// The page's lines and tables, and the line after which each bold paragraph heading sits.
    static let page: (lines: [String], tables: [Table]) = {
        let text = (try? String(contentsOfFile: TestFiles.inRepository("docs/output.md"), encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var tables: [Table] = []
        var section = "", subsection = ""
        var current: Table?
        func cells(_ line: String) -> [String] {
            line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
        for line in lines {
            if line.hasPrefix("|") {
                if line.hasPrefix("|---") { continue }
                if current == nil {
                    current = Table(section: section, subsection: subsection, header: cells(line), rows: [])
                } else {
                    current?.rows.append(cells(line))
                }
                continue
            }
            if let table = current { tables.append(table); current = nil }
            if line.hasPrefix("## ") { section = String(line.dropFirst(3)); subsection = "" }
            else if line.hasPrefix("### ") { subsection = String(line.dropFirst(4)) }
            else if line.hasPrefix("**") { subsection = line }
        }
        if let table = current { tables.append(table) }
        return (lines, tables)
    }()

    /// The names in backquotes in a text: `` `calls`, `goodput` `` gives calls and goodput.
    static func quoted(_ text: String) -> [String] {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    /// A documented metric: its pattern, kinds and, in `series.csv`, its `written` cell.
    struct Documented: Hashable, CustomStringConvertible {
        var pattern: String
        var kinds: Set<Kind>
        var condition: String
        var description: String { "\(pattern) for \(kinds.map(\.rawValue).sorted())" + (condition.isEmpty ? "" : " when \(condition)") }
    }

    /// The condition as the `written` column of `series.csv` words it.
    static func condition(in written: String) -> String {
        var words: [String] = []
        let checks: [(String, String)] = [("`retry`", "retry"), ("`bulkhead`", "bulkhead"), ("`breaker`", "breaker"), ("`pool`", "pool"),
                                          ("`heap`", "heap"), ("health check", "healthCheck"), ("more than one entry point", "severalEntryPoints"), ("`concurrency`", "capacity"),
                                          ("`threadPools`", "threadPools"), ("`cache`", "cache"), ("`admission`", "admission"), ("`disk`", "disk"), ("a `lock` step", "locks"), ("with a `result`", "result")]
        // A client's `retry` is the traffic's condition, not a dependency's.
        let isClientRetry = written.contains("client `retry`")
        if isClientRetry { words.append("clientRetry") }
        for (phrase, word) in checks where written.contains(phrase) && !(isClientRetry && word == "retry") { words.append(word) }
        if words.isEmpty && (written.contains("dependencies") || written.contains("each dependency")) { words.append("dependencies") }
        if words.isEmpty { words.append("always") }
        if written.contains("> 0") { words.append("data") }
        return words.joined(separator: ", ")
    }

    /// The same words for a catalogue entry.
    static func condition(of metric: MetricCatalogue.Metric) -> String {
        let word: String = switch metric.condition {
        case .always: "always"
        case .severalEntryPoints: "severalEntryPoints"
        case .threadPools: "threadPools"
        case .dependencies: "dependencies"
        case .retry: "retry"
        case .bulkhead: "bulkhead"
        case .breaker: "breaker"
        case .pool: "pool"
        case .heap: "heap"
        case .disk: "disk"
        case .healthCheck: "healthCheck"
        case .capacity: "capacity"
        case .cache: "cache"
        case .clientRetry: "clientRetry"
        case .admission: "admission"
        case .locks: "locks"
        case .result: "result"
        }
        return metric.dependsOnData ? word + ", data" : word
    }

    /// The kinds a table of metrics is about, from its heading.
    static func kinds(ofHeading heading: String) -> Set<Kind> {
        if heading.contains("Services only") { return [.service] }
        if heading.contains("Services and instances") { return [.service, .instance] }
        if heading.contains("Endpoints") { return [.endpoint] }
        if heading.contains("Locks") { return [.lock] }
        if heading.contains("Traffic sources and user populations") { return [.trafficSource, .userPopulation] }
        if heading.contains("Message queues") { return [.messageQueue] }
        return []
    }

    static func documentedSeries() -> Set<Documented> {
        var documented: Set<Documented> = []
        for table in page.tables where table.section == "`series.csv`" && table.header.first == "metric" {
            let written = table.header.firstIndex(of: "written")
            for row in table.rows {
                var kinds = kinds(ofHeading: table.subsection)
                let cell = written.map { row[$0] } ?? "always"
                if cell.contains("service rows only") { kinds = [.service] }
                if cell.contains("instance rows only") { kinds = [.instance] }
                for name in quoted(row[0]) { documented.insert(Documented(pattern: name, kinds: kinds, condition: condition(in: cell))) }
            }
        }
        return documented
    }

    static func documentedSummary() -> Set<Documented> {
        var documented: Set<Documented> = []
        func add(_ names: [String], _ kinds: Set<Kind>) {
            for name in names { documented.insert(Documented(pattern: name, kinds: kinds, condition: "")) }
        }
        for table in page.tables where table.section == "`summary.csv`" && table.header.first == "metric" {
            add(table.rows.flatMap { quoted($0[0]) }, kinds(ofHeading: table.subsection))
        }
        let summaryStart = page.lines.firstIndex(of: "## `summary.csv`") ?? 0
        for line in page.lines[summaryStart...] where line.hasPrefix("**Endpoints:**") {
            add(quoted(line).filter { !$0.hasSuffix(".csv") }, [.endpoint])
        }
        return documented
    }

    static func catalogued(_ file: MetricCatalogue.File, withConditions: Bool) -> Set<Documented> {
        // Traffic metrics and service metrics share names; the docs list each group in its own table.
        var documented: Set<Documented> = []
        for metric in MetricCatalogue.metrics(in: file) {
            let group: Set<Kind> = [.trafficSource, .userPopulation].contains(metric.kinds[0]) ? [.trafficSource, .userPopulation]
                : metric.kinds.contains(.endpoint) ? [.endpoint] : metric.kinds.contains(.messageQueue) ? [.messageQueue] : metric.kinds.contains(.lock) ? [.lock] : [.service, .instance]
            let kinds = Set(metric.kinds).intersection(group)
            let condition = withConditions ? condition(of: metric) : ""
            if let existing = documented.first(where: { $0.pattern == metric.pattern && $0.condition == condition && !$0.kinds.isDisjoint(with: group) }) {
                documented.remove(existing)
                documented.insert(Documented(pattern: metric.pattern, kinds: existing.kinds.union(kinds), condition: condition))
            } else {
                documented.insert(Documented(pattern: metric.pattern, kinds: kinds, condition: condition))
            }
        }
        return documented
    }

    @Test func `the page has the tables this test reads`() {
        #expect(Self.documentedSeries().count > 40)
        #expect(Self.documentedSummary().count > 40)
        #expect(Self.documentedEvents().count > 20)
    }

    @Test func `series.csv's tables document exactly the catalogue's series metrics`() {
        let documented = Self.documentedSeries(), catalogued = Self.catalogued(.series, withConditions: true)
        for metric in catalogued.subtracting(documented).sorted(by: { $0.pattern < $1.pattern }) {
            Issue.record("docs/output.md does not document \(metric) in series.csv")
        }
        for metric in documented.subtracting(catalogued).sorted(by: { $0.pattern < $1.pattern }) {
            Issue.record("docs/output.md documents \(metric) in series.csv, which the catalogue does not declare")
        }
    }

    @Test func `summary.csv's tables document exactly the catalogue's summary metrics`() {
        let documented = Self.documentedSummary(), catalogued = Self.catalogued(.summary, withConditions: false)
        for metric in catalogued.subtracting(documented).sorted(by: { $0.pattern < $1.pattern }) {
            Issue.record("docs/output.md does not document \(metric) in summary.csv")
        }
        for metric in documented.subtracting(catalogued).sorted(by: { $0.pattern < $1.pattern }) {
            Issue.record("docs/output.md documents \(metric) in summary.csv, which the catalogue does not declare")
        }
    }

    /// The documented events with the kinds of component their `component` cell names.
    static func documentedEvents() -> [String: Set<Kind>] {
        var documented: [String: Set<Kind>] = [:]
        for table in page.tables where table.section == "`events.csv`" && table.header.first == "event" {
            var previous: Set<Kind> = []
            for row in table.rows {
                let cell = row[1]
                var kinds: Set<Kind> = []
                if cell.contains("the same") {
                    kinds = previous
                } else {
                    // The kinds are named before any "when ...": `instance, or `instance.entry` when the service has several`.
                    let named = cell.components(separatedBy: " when ")[0]
                    let words = named.replacingOccurrences(of: "instance.entry", with: "ENTRY").replacingOccurrences(of: "instance.pool", with: "POOL")
                    if words.contains("model") { kinds.insert(.model) }
                    if words.contains("traffic source") { kinds.insert(.trafficSource) }
                    if words.contains("user population") { kinds.insert(.userPopulation) }
                    if words.contains("endpoint") { kinds.insert(.endpoint) }
                    if words.contains("message queue") { kinds.insert(.messageQueue) }
                    if words.contains("service") { kinds.insert(.service) }
                    if words.contains("instance") { kinds.insert(.instance) }
                    if words.contains("ENTRY") { kinds.insert(.entryPoint) }
                    if words.contains("POOL") { kinds.insert(.threadPool) }
                    if words.contains("lock") { kinds.insert(.lock) }
                }
                previous = kinds
                for name in Self.quoted(row[0]) { documented[name, default: []].formUnion(kinds) }
            }
        }
        return documented
    }

    @Test func `events.csv's tables document exactly the catalogue's events`() {
        let documented = Self.documentedEvents()
        let catalogued = Dictionary(uniqueKeysWithValues: MetricCatalogue.events.map { ($0.name, Set($0.kinds)) })
        for (name, kinds) in catalogued.sorted(by: { $0.key < $1.key }) where documented[name] != kinds {
            Issue.record("docs/output.md documents \(name) for \(documented[name].map { $0.map(\.rawValue).sorted() } ?? []), the catalogue declares \(kinds.map(\.rawValue).sorted())")
        }
        for name in documented.keys.sorted() where catalogued[name] == nil {
            Issue.record("docs/output.md documents the event \(name), which the catalogue does not declare")
        }
    }
}
