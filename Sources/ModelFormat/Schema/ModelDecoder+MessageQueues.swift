import FailureChains
import SimulationKernel

extension ModelDecoder {
    // MARK: Message queues

    /// `{ name, capacity, whenFull, blockTimeout, timeToLive, maximumDeliveries, enqueueLatency, consumer, entryPoint }`.
    func decodeMessageQueue(_ object: ObjectReader) -> MessageQueueSpec? {
        let name = object.requiredString("name").flatMap { checkName($0, key: "name", in: object) }
        let capacity = object.integer("capacity", bounds: Bounds(1...ModelLimits.queueCapacity), required: true)
        let whenFull = choice(object, "whenFull", default: MessageQueueSpec.FullPolicy.reject)
        let blockTimeout = durationOrWord(object, "blockTimeout", word: "none", bounds: .positive, default: nil)
        if object.contains("blockTimeout"), let whenFull, whenFull != .block {
            object.error("a block timeout is how long a producer waits for room with whenFull \"block\"; this queue's whenFull is \"\(whenFull.rawValue)\"",
                         key: "blockTimeout")
        }
        let timeToLive = durationOrWord(object, "timeToLive", word: "none", bounds: .positive, default: nil)
        let deliveries = object.integer("maximumDeliveries", bounds: Bounds(1...ModelLimits.messageDeliveries))
        let isDeliveriesValid = object.node("maximumDeliveries") == nil || deliveries != nil
        let enqueueLatency = object.duration("enqueueLatency", bounds: .atLeast(.zero))
        let isLatencyValid = object.node("enqueueLatency") == nil || enqueueLatency != nil
        let consumer = object.requiredString("consumer")
        let entryPoint = object.string("entryPoint")
        var isConsumerKnown = false
        if let consumer, checkReference(consumer, to: .service, key: "consumer", in: object) {
            isConsumerKnown = true
            if let entryPoint { checkEntryPoint(entryPoint, of: consumer, key: "entryPoint", in: object) }
        }
        object.finish()
        guard let name, let capacity, let whenFull, let blockTimeout, let timeToLive, let consumer, isConsumerKnown,
              object.node("entryPoint") == nil || entryPoint != nil, isDeliveriesValid, isLatencyValid,
              !object.contains("blockTimeout") || whenFull == .block else { return nil }
        return MessageQueueSpec(name: name, capacity: capacity, whenFull: whenFull, blockTimeout: blockTimeout, timeToLive: timeToLive,
                                maximumDeliveries: deliveries ?? MessageQueueSpec.defaultMaximumDeliveries,
                                enqueueLatency: enqueueLatency ?? .zero, consumer: consumer, entryPoint: entryPoint)
    }

    /// A queue's consumer is an entry point with threads of its own that only the queue feeds:
    /// no shared thread pool, no traffic, no calls, no other queue. Reported at the queue.
    func checkConsumers(_ queues: [(object: ObjectReader, spec: MessageQueueSpec?)], services: [Decoded<ServiceSpec>],
                        traffic: [TrafficSourceSpec], users: [UserPopulationSpec]) {
        var consumed: [String: String] = [:]
        for (object, spec) in queues {
            guard let spec, let service = services.first(where: { $0.spec.name == spec.consumer })?.spec else { continue }
            let entry = spec.entryPoint.flatMap { service.entryPointIndex(named: $0) } ?? 0
            let entryName = service.entryPoints[entry].name
            let place = "entry point '\(entryName)' of '\(service.name)'"
            let key = object.contains("entryPoint") ? "entryPoint" : "consumer"
            if let pool = service.entryPoints[entry].threadPool {
                object.error("\(place) takes this queue's messages, so it needs threads of its own; it uses the shared thread pool '\(pool)'", key: key)
            }
            if let other = consumed["\(service.name).\(entryName)"] {
                object.error("\(place) already takes the messages of queue '\(other)'; give each queue an entry point of its own", key: key)
            }
            consumed["\(service.name).\(entryName)"] = spec.name
            let sendsHere = { (target: String, entryPoint: String?) in
                target == service.name && (entryPoint.flatMap { service.entryPointIndex(named: $0) } ?? 0) == entry
            }
            if let source = traffic.first(where: { sendsHere($0.target, $0.entryPoint) })?.name
                ?? users.first(where: { sendsHere($0.target, $0.entryPoint) })?.name {
                object.error("\(place) takes this queue's messages; '\(source)' sends requests to it too; give the traffic an entry point of its own", key: key)
            }
            for caller in services {
                for dependency in caller.spec.dependencies {
                    guard case .service(let name, let entryPoint) = dependency.target, sendsHere(name, entryPoint) else { continue }
                    object.error("\(place) takes this queue's messages; dependency '\(dependency.name)' of '\(caller.spec.name)' calls it too; give the calls an entry point of its own",
                                 key: key)
                }
            }
        }
    }
}
