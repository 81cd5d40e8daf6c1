import SimulationKernel

/// Names for the fingerprint's numbers, so that a replay can say which event it is at.
extension ChainSimulation {
    /// The name of each event kind, indexed by its fingerprint number (`fingerprintIngredients`).
    public static let eventKindNames = [
        "arrivalDue", "rateChangeDue", "clientReady", "clientTimeoutDue", "reloadDue", "cpuDone",
        "callSucceeded", "callFailed", "callTimedOut", "callRefused", "checkoutTimedOut", "probeDue",
        "probeEnded", "sessionExpiryDue", "restartDue", "bootDone", "leakDue", "faultStarts", "faultEnds",
        "intervalEnded", "warmupEnded", "callRejected", "fallbackAnswered", "retryDue", "purgeDue",
        "autoscaleDue", "cpuFailed", "endpointWorkDone", "clientRetryDue", "cacheAnswered", "cacheFailed",
        "messageDeliveryDue", "messageExpiryDue", "blockTimedOut", "lockTimedOut", "lockHoldEnded",
        "resultRead", "diskRotationDue", "diskFillDue",
    ]

    /// The name of an event kind's fingerprint number: `cpuDone`, or `kind 99` for none.
    public static func eventKindName(_ kind: UInt32) -> String {
        Int(kind) < eventKindNames.count ? eventKindNames[Int(kind)] : "kind \(kind)"
    }

    /// What an event concerns, in the model's words: the traffic source, user population or
    /// client, the instance, the fault, the service, or the model for the run's own clock.
    ///
    /// Clients are named by their source or population (`shoppers client 17`), as the model knows
    /// them by; a request's event by its instance and entry point (`web[2] checkout`).
    ///
    /// - Parameter event: A pending or just-popped event of this simulation.
    /// - Returns: A short name.
    public func componentDescription(of event: Event) -> String {
        switch event {
        case .traffic(.arrivalDue(let source)), .traffic(.rateChangeDue(let source)):
            return sourceName(source)
        case .traffic(.clientReady(let client)), .traffic(.clientTimeoutDue(let client, _)), .traffic(.reloadDue(let client, _)),
             .traffic(.clientRetryDue(let client, _)):
            return "\(clientOwnerName(client)) client \(client.rawValue)"
        case .request(let event):
            let record = requests[request(of: event)]
            let instance = instances[record.instance]
            let entryPoints = services[instance.service].spec.entryPoints
            let entry = Int(record.entry) < entryPoints.count ? " \(entryPoints[Int(record.entry)].name)" : ""
            return instance.name + entry
        case .instance(let event):
            return instances[instance(of: event)].name
        case .fault(.starts(let fault)), .fault(.ends(let fault)):
            let spec = model.faults[fault.index]
            return "faults[\(fault.rawValue)] \(spec.kindName) on \(spec.target)"
        case .service(.autoscaleDue(let service)):
            return services[service].spec.name
        case .endpoint(.workDone(let endpoint)):
            return endpoints[endpoint].spec.name
        case .lock(.holdEnded(let lock, let key)):
            return "\(model.locks[lock.index].name) key \(key)"
        case .run:
            return model.name
        case .queue(.deliveryDue(let queue)), .queue(.expiryDue(let queue)):
            return model.messageQueues[queue.index].name
        case .queue(.blockTimedOut(let request, _)):
            return instances[requests[request].instance].name
        }
    }

    /// The component names of an event's instance and its service, for finding its state changes:
    /// `["cf[2]", "cf"]`; the source or population for a client's event, the target for a fault's.
    ///
    /// - Parameter event: A pending or just-popped event of this simulation.
    public func componentsConcerned(by event: Event) -> [String] {
        func instanceAndService(_ index: InstanceID) -> [String] {
            let instance = instances[index]
            return [instance.name, services[instance.service].spec.name]
        }
        switch event {
        case .traffic(.arrivalDue(let source)), .traffic(.rateChangeDue(let source)):
            return [sourceName(source)]
        case .traffic(.clientReady(let client)), .traffic(.clientTimeoutDue(let client, _)), .traffic(.reloadDue(let client, _)),
             .traffic(.clientRetryDue(let client, _)):
            return [clientOwnerName(client)]
        case .request(let event):
            return instanceAndService(requests[request(of: event)].instance)
        case .instance(let event):
            return instanceAndService(instance(of: event))
        case .fault(.starts(let fault)), .fault(.ends(let fault)):
            return [model.faults[fault.index].target]
        case .service(.autoscaleDue(let service)):
            return [services[service].spec.name]
        case .endpoint(.workDone(let endpoint)):
            return [endpoints[endpoint].spec.name]
        case .lock(.holdEnded(let lock, _)):
            return [model.locks[lock.index].name]
        case .run:
            return [model.name]
        case .queue(.deliveryDue(let queue)), .queue(.expiryDue(let queue)):
            return [model.messageQueues[queue.index].name]
        case .queue(.blockTimedOut(let request, _)):
            return instanceAndService(requests[request].instance)
        }
    }

    /// The request a request's event is for.
    private func request(of event: RequestEvent) -> RequestID {
        switch event {
        case .cpuDone(let request, _), .cpuFailed(let request, _), .callSucceeded(let request, _), .callFailed(let request, _),
             .callTimedOut(let request, _), .callRefused(let request, _), .checkoutTimedOut(let request, _),
             .callRejected(let request, _), .fallbackAnswered(let request, _), .retryDue(let request, _),
             .cacheAnswered(let request, _), .cacheFailed(let request, _),
             .lockTimedOut(let request, _), .resultRead(let request, _):
            return request
        }
    }

    /// The instance an instance's event is for.
    private func instance(of event: InstanceEvent) -> InstanceID {
        switch event {
        case .purgeDue(let instance), .probeDue(let instance), .probeSucceeded(let instance, _), .probeFailed(let instance, _),
             .sessionExpiryDue(let instance, _), .restartDue(let instance, _), .bootDone(let instance, _),
             .leakDue(let instance, _), .diskRotationDue(let instance), .diskFillDue(let instance, _):
            return instance
        }
    }

    /// The source or population a client belongs to, by name.
    private func clientOwnerName(_ client: ClientID) -> String {
        switch clients[client].owner {
        case .source(let source): return sourceName(source)
        case .population(let population): return model.users[population.index].name
        }
    }

    private func sourceName(_ source: SourceID) -> String {
        source.index < model.traffic.count ? model.traffic[source.index].name : "source \(source.rawValue)"
    }
}
