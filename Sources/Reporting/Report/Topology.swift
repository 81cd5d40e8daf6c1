import FailureChains
import SimulationKernel

/// What calls what: traffic sources → services → dependencies → endpoints, with the patterns on
/// each link, drawn from the model (or, without it, from the components `series.csv` names).
struct Topology: Sendable {
    /// A box of the drawing.
    struct Node: Sendable {
        enum Kind: String, Sendable { case traffic, service, endpoint }
        var name: String
        var kind: Kind
        /// What it is made of, in short: `4 × 25+10 threads`.
        var note: String
        /// The column it is drawn in, from the left.
        var column: Int
    }

    /// An arrow: a caller, what it calls, and the marks of the link (pool, breaker, bulkhead, timeout).
    struct Edge: Sendable {
        var from: String
        var to: String
        var marks: [String]
    }

    var nodes: [Node] = []
    var edges: [Edge] = []

    /// The topology of a model.
    init(model: SystemModel) {
        var depth: [String: Int] = [:]
        func depthOf(_ service: String, _ visiting: Set<String> = []) -> Int {
            if let known = depth[service] { return known }
            let callers = model.services.filter { caller in
                caller.dependencies.contains {
                    switch $0.target {
                    case .service(let name, _): name == service
                    case .messageQueue(let name): model.messageQueues.first { $0.name == name }?.consumer == service
                    case .endpoint: false
                    }
                }
            }
            var result = 0
            for caller in callers where !visiting.contains(caller.name) {
                result = max(result, depthOf(caller.name, visiting.union([service])) + 1)
            }
            depth[service] = result
            return result
        }
        for source in model.traffic {
            nodes.append(Node(name: source.name, kind: .traffic, note: "open traffic", column: 0))
            edges.append(Edge(from: source.name, to: source.target, marks: []))
        }
        for population in model.users {
            nodes.append(Node(name: population.name, kind: .traffic, note: "\(population.size) users", column: 0))
            edges.append(Edge(from: population.name, to: population.target, marks: []))
        }
        var deepest = 0
        for service in model.services {
            let column = depthOf(service.name) + 1
            deepest = max(deepest, column)
            let threads = (service.entryPoints.filter { $0.threadPool == nil }.map(\.threads) + service.threadPools.map(\.threads))
                .map { String($0) }.joined(separator: "+")
            var note = "\(service.instances) × \(threads) threads"
            var extras: [String] = []
            if service.heap != nil { extras.append("heap") }
            if service.disk != nil { extras.append("disk") }
            if service.balancer.healthCheck != nil { extras.append("health check") }
            if service.autoscaler != nil { extras.append("autoscaler") }
            if !extras.isEmpty { note += "\n" + extras.joined(separator: ", ") }
            nodes.append(Node(name: service.name, kind: .service, note: note, column: column))
            for dependency in service.dependencies {
                var marks: [String] = [dependency.name]
                if let pool = dependency.pool { marks.append("pool \(pool.size)" + (pool.leakOnError ? ", leaks on error" : "")) }
                if dependency.breaker != nil { marks.append("breaker") }
                if let bulkhead = dependency.maximumConcurrentCalls { marks.append("bulkhead \(bulkhead)") }
                if dependency.retry != nil { marks.append("retry") }
                if let timeout = dependency.readTimeout { marks.append("timeout \(Self.words(timeout))") } else { marks.append("no timeout") }
                let target: String
                switch dependency.target {
                case .service(let name, _): target = name
                case .endpoint(let name): target = name
                case .messageQueue(let name):
                    // Drawn as an edge to the consumer, through the queue.
                    let queue = model.messageQueues.first { $0.name == name }
                    target = queue?.consumer ?? name
                    marks = [dependency.name, "message queue \(name)"]
                }
                edges.append(Edge(from: service.name, to: target, marks: marks))
            }
        }
        for endpoint in model.endpoints {
            nodes.append(Node(name: endpoint.name, kind: .endpoint, note: "external", column: deepest + 1))
        }
    }

    /// The topology told by the files alone: the components in columns by kind, and a link where a
    /// dependency of a service is named as another component.
    init(components: ReportComponents, contents: RunFolderContents) {
        let known = Set(components.traffic + components.services + components.endpoints)
        nodes += components.traffic.map { Node(name: $0, kind: .traffic, note: "traffic", column: 0) }
        nodes += components.services.map { Node(name: $0, kind: .service, note: "service", column: 1) }
        nodes += components.endpoints.map { Node(name: $0, kind: .endpoint, note: "endpoint", column: 2) }
        for service in components.services {
            for dependency in ReportComponents.dependencies(of: service, in: contents) {
                var marks = [dependency]
                if contents.series(service, "connectionsInUse." + dependency) != nil { marks.append("pool") }
                if contents.series(service, "breakerOpen." + dependency) != nil { marks.append("breaker") }
                if contents.series(service, "rejectedByBulkhead." + dependency) != nil { marks.append("bulkhead") }
                edges.append(Edge(from: service, to: known.contains(dependency) ? dependency : "", marks: marks))
            }
        }
    }

    /// A duration in the model's words: `10s`, `250ms`.
    static func words(_ interval: Interval) -> String {
        let milliseconds = interval.nanoseconds / 1_000_000
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(milliseconds)ms"
    }
}
