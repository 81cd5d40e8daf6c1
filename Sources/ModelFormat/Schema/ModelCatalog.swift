import FailureChains

/// The names a model file declares, read as written before anything is decoded, so that every
/// reference can be checked where it is written, whether or not the component it names has
/// problems of its own: a target naming a service whose threads are wrong is not reported as
/// unknown, and an entry point is only looked for when the service's list of them could be read.
struct ModelCatalog {
    /// The sorts of named components a reference can point at.
    enum Sort: Equatable {
        case service, endpoint, trafficSource, userPopulation, messageQueue, lock

        /// The sort without an article: `no endpoint is named "x"`.
        var word: String {
            switch self {
            case .service: "service"
            case .endpoint: "endpoint"
            case .trafficSource: "traffic source"
            case .userPopulation: "user population"
            case .messageQueue: "message queue"
            case .lock: "lock"
            }
        }

        /// The sort with its article: `'cf' is a service`.
        var withArticle: String { self == .endpoint ? "an endpoint" : "a \(word)" }
    }

    /// A service as written.
    struct Service {
        /// The names of its entry points, or nil when they cannot all be read (then references
        /// to them are not checked). A service in the simple form has one, `main`.
        var entryPoints: [String]?
        /// Its number of instances, or nil when the value is not a valid count.
        var instances: Int?
        /// The names of its shared thread pools that could be read.
        var threadPools: [String] = []
        /// Whether it has an `autoscaler` key.
        var hasAutoscaler = false
    }

    private(set) var serviceNames: [String] = []
    private(set) var endpointNames: [String] = []
    private(set) var trafficNames: [String] = []
    private(set) var userNames: [String] = []
    private(set) var messageQueueNames: [String] = []
    private(set) var lockNames: [String] = []
    private var servicesByName: [String: Service] = [:]

    /// An empty catalog.
    init() {}

    /// Reads the names of a model file's top-level object; anything malformed is skipped here and
    /// reported by the decoder.
    init(_ root: JSON5Node) {
        for element in root.member("services")?.elements ?? [] {
            guard let name = element.member("name")?.text else { continue }
            serviceNames.append(name)
            if servicesByName[name] == nil {
                servicesByName[name] = Service(entryPoints: Self.entryPointNames(of: element), instances: Self.instances(of: element),
                                               threadPools: Self.names(in: element.member("threadPools")),
                                               hasAutoscaler: element.member("autoscaler") != nil)
            }
        }
        endpointNames = Self.names(in: root.member("endpoints"))
        trafficNames = Self.names(in: root.member("traffic"))
        userNames = Self.names(in: root.member("users"))
        messageQueueNames = Self.names(in: root.member("messageQueues"))
        lockNames = Self.names(in: root.member("locks"))
    }

    /// The service with this name, the first one if several share it.
    func service(named name: String) -> Service? { servicesByName[name] }

    /// The names of one sort, in file order.
    func names(of sort: Sort) -> [String] {
        switch sort {
        case .service: serviceNames
        case .endpoint: endpointNames
        case .trafficSource: trafficNames
        case .userPopulation: userNames
        case .messageQueue: messageQueueNames
        case .lock: lockNames
        }
    }

    /// The sort of the component with this name; services first when names clash.
    func sort(of name: String) -> Sort? {
        [Sort.service, .endpoint, .trafficSource, .userPopulation, .messageQueue, .lock].first { names(of: $0).contains(name) }
    }

    /// The string `name` of every element of an array of objects.
    private static func names(in list: JSON5Node?) -> [String] {
        (list?.elements ?? []).compactMap { $0.member("name")?.text }
    }

    /// The names in a list of named objects, or nil if the list is not one or a name is missing.
    static func allNames(in list: JSON5Node?) -> [String]? {
        guard let elements = list?.elements else { return nil }
        var names: [String] = []
        for element in elements {
            guard let name = element.member("name")?.text else { return nil }
            names.append(name)
        }
        return names
    }

    private static func entryPointNames(of service: JSON5Node) -> [String]? {
        guard let list = service.member("entryPoints") else { return [EntryPointSpec.defaultName] }
        return allNames(in: list)
    }

    /// The instance slots of a service: its `instances`, or its autoscaler's `maximumInstances` when
    /// that is larger (instances the autoscaler may start can be named by faults too).
    private static func instances(of service: JSON5Node) -> Int? {
        func count(_ node: JSON5Node?) -> Int? {
            guard let node else { return 1 }
            guard case .number(let number) = node.value, let value = number.integerValue,
                  (1...Int64(ModelLimits.instancesPerService)).contains(value) else { return nil }
            return Int(value)
        }
        guard let instances = count(service.member("instances")) else { return nil }
        guard let maximum = service.member("autoscaler")?.member("maximumInstances") else { return instances }
        return max(instances, count(maximum) ?? instances)
    }
}

extension JSON5Node {
    /// The value of a key when this node is an object that has it.
    func member(_ key: String) -> JSON5Node? {
        guard case .object(let members) = value else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The string, when this node is one.
    var text: String? {
        guard case .string(let text) = value else { return nil }
        return text
    }

    /// The elements, when this node is an array.
    var elements: [JSON5Node]? {
        guard case .array(let elements) = value else { return nil }
        return elements
    }
}
