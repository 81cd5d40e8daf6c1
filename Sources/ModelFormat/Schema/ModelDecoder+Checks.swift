import FailureChains
import SimulationKernel

extension ModelDecoder {
    /// Names are unique across services, endpoints, traffic sources and user populations, and
    /// none is the model's own name.
    ///
    /// Reads each component's `name` as written, whether or not the rest of the component is
    /// valid; a later name is reported against the first one in the file.
    func checkUniqueNames(modelName: String?, components: [ObjectReader]) {
        let named = components
            .compactMap { object in object.node("name").flatMap { node in node.text.map { (object, $0, node.location) } } }
            .sorted { $0.2 < $1.2 }
        var seen: [String: SourceLocation] = [:]
        for (object, name, location) in named {
            if name == modelName {
                object.error("name \"\(name)\" is the model's own name; components need names of their own", key: "name")
            } else if let first = seen[name] {
                object.error("name \"\(name)\" is already used at line \(first.line)", key: "name")
            } else {
                seen[name] = location
            }
        }
    }

    /// Names are unique within one list of a service (its entry points, its dependencies).
    func checkUniqueNames(_ elements: [ObjectReader]) {
        var seen: [String: SourceLocation] = [:]
        for object in elements {
            guard let node = object.node.member("name"), let name = node.text else { continue }
            if let first = seen[name] {
                object.error("name \"\(name)\" is already used at line \(first.line)", key: "name")
            } else {
                seen[name] = node.location
            }
        }
    }

    /// The calls between services form no cycle: a request that calls back into a service it
    /// came through would wait for a thread it may itself be holding.
    ///
    /// Each cycle is reported once, at the dependency that closes it, with its path in the order
    /// of the calls: `calls form a cycle: a -> b -> a`. Services are explored in file order.
    func checkCallCycles(services: [ObjectReader]) {
        var indexByName: [String: Int] = [:]
        for (index, service) in services.enumerated() {
            if let name = service.node.member("name")?.text, indexByName[name] == nil { indexByName[name] = index }
        }
        struct Edge {
            var to: Int
            var dependency: ObjectReader
        }
        let edges: [[Edge]] = services.map { service in
            (service.node.member("dependencies")?.elements ?? []).enumerated().compactMap { index, node in
                guard node.member("endpoint") == nil, let target = node.member("service")?.text, let to = indexByName[target],
                      let dependency = ObjectReader(node, path: JSONPath.appending(index: index, to: service.path(of: "dependencies")),
                                                    diagnostics: diagnostics)
                else { return nil }
                return Edge(to: to, dependency: dependency)
            }
        }
        func name(_ index: Int) -> String { services[index].node.member("name")?.text ?? "" }

        enum Mark { case unvisited, onPath, done }
        var marks = [Mark](repeating: .unvisited, count: services.count)
        for root in services.indices where marks[root] == .unvisited {
            var path: [(service: Int, nextEdge: Int)] = [(root, 0)]
            marks[root] = .onPath
            while let top = path.last {
                guard top.nextEdge < edges[top.service].count else {
                    marks[top.service] = .done
                    path.removeLast()
                    continue
                }
                let edge = edges[top.service][top.nextEdge]
                path[path.count - 1].nextEdge += 1
                switch marks[edge.to] {
                case .unvisited:
                    marks[edge.to] = .onPath
                    path.append((edge.to, 0))
                case .onPath:
                    let start = path.firstIndex { $0.service == edge.to } ?? 0
                    let names = path[start...].map { name($0.service) } + [name(edge.to)]
                    edge.dependency.error("calls form a cycle: \(names.joined(separator: " -> "))", key: "service")
                case .done:
                    break
                }
            }
        }
    }

    /// Instances and users in all stay within `ModelLimits`; a service with an autoscaler counts
    /// the most instances it may have.
    func checkTotals(services: [Decoded<ServiceSpec>], users: [Decoded<UserPopulationSpec>]) {
        let totalInstances = services.reduce(0) { $0 + $1.spec.instanceSlots }
        if totalInstances > ModelLimits.instances, let first = services.first {
            let counting = services.contains { $0.spec.autoscaler != nil } ? " (counting each autoscaler's maximumInstances)" : ""
            first.object.error("the model has \(totalInstances) instances in all\(counting), more than the limit of \(ModelLimits.instances)",
                               key: "instances")
        }
        let totalUsers = users.reduce(0) { $0 + $1.spec.size }
        if totalUsers > ModelLimits.users, let first = users.first {
            first.object.error("the model has \(totalUsers) users in all, more than the limit of \(ModelLimits.users)", key: "population")
        }
    }
}

extension ModelDecoder {
    /// What the model allocates before its first event fits the run's limits: its pooled
    /// connections (`run.maximumConnections`) and the simulator's memory for them, its instance
    /// slots and its users (`run.maximumMemory`). Reported at `services`, with the key to raise.
    func checkAssembly(_ model: SystemModel, in object: ObjectReader) {
        let connections = ChainSimulation.connectionCount(of: model)
        if connections > model.run.limits.connections {
            let count = connections == .max ? "more than \(Int.max)" : "\(connections)"
            object.error("the model opens \(count) pooled connections (instances × pool sizes, autoscaler slots included), more than run.maximumConnections allows (\(model.run.limits.connections)); shrink the pools or raise the limit", key: "services")
        }
        let memory = ChainSimulation.assemblyMemory(of: model)
        if memory > model.run.limits.memoryBytes {
            object.error("the model needs about \(memory >> 20) MiB of the simulator's memory before its first event (connections, instances, users), more than run.maximumMemory allows (\(model.run.limits.memoryBytes >> 20) MiB); shrink the model or raise the limit", key: "services")
        }
    }
}
