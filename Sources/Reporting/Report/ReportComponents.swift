import FailureChains

/// The components a run's report draws, by kind and in order: from the model when the report
/// has it, otherwise from the names `series.csv` holds.
struct ReportComponents: Sendable {
    /// Traffic sources and user populations.
    var traffic: [String] = []
    /// Services (aggregates; instances are not drawn one by one).
    var services: [String] = []
    /// External endpoints.
    var endpoints: [String] = []
    /// Message queues between services.
    var messageQueues: [String] = []
    /// Locks the services' steps take.
    var locks: [String] = []

    /// The components of a model, in file order.
    init(model: SystemModel) {
        traffic = model.traffic.map(\.name) + model.users.map(\.name)
        services = model.services.map(\.name)
        endpoints = model.endpoints.map(\.name)
        messageQueues = model.messageQueues.map(\.name)
        locks = model.locks.map(\.name)
    }

    /// The components `series.csv` names, told apart by their metrics: a service writes
    /// `instancesUp`, a traffic source `successRatio` or `abandoned`, an endpoint `calls` without
    /// `offered`, a message queue `enqueued`, a lock `lockAcquired`; instances (`web[2]`) are left out.
    init(contents: RunFolderContents) {
        for component in contents.components where !component.hasSuffix("]") {
            if contents.series(component, "instancesUp") != nil {
                services.append(component)
            } else if contents.series(component, "abandoned") != nil || contents.series(component, "successRatio") != nil {
                traffic.append(component)
            } else if contents.series(component, "calls") != nil && contents.series(component, "offered") == nil {
                endpoints.append(component)
            } else if contents.series(component, "enqueued") != nil && contents.series(component, "depth") != nil {
                messageQueues.append(component)
            } else if contents.series(component, "lockAcquired") != nil {
                locks.append(component)
            }
        }
    }

    /// The dependencies a service's series name, in order: `db` of `threadsInCall.db`.
    static func dependencies(of service: String, in contents: RunFolderContents) -> [String] {
        var names: [String] = []
        let prefix = service + "\u{1}threadsInCall."
        for key in contents.series.keys.sorted() where key.hasPrefix(prefix) {
            names.append(String(key.dropFirst(prefix.count)))
        }
        return names
    }

    /// The names a service's series give after a metric's dot, in order: `db` of `cacheHits.db`.
    static func suffixes(of service: String, metric: String, in contents: RunFolderContents) -> [String] {
        let prefix = service + "\u{1}" + metric + "."
        return contents.series.keys.sorted().filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }

    /// The entry points a service's series name when it has several: `ejb` of `threadsBusy.ejb`.
    static func entryPoints(of service: String, in contents: RunFolderContents) -> [String] {
        var names: [String] = []
        let prefix = service + "\u{1}threadsBusy."
        for key in contents.series.keys.sorted() where key.hasPrefix(prefix) {
            names.append(String(key.dropFirst(prefix.count)))
        }
        return names
    }
}
