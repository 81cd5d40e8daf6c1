import SimulationKernel

/// The engine that runs a `SystemModel`: clients send requests through balancers to service
/// instances, whose threads run each request's steps (CPU work, session memory, calls through
/// connection pools to other services and endpoints) while scheduled faults strike. Nothing is
/// scripted to fail but the faults: blocked threads, exhausted pools, cascades and crashes follow
/// from the parts. Every interval the state is reported to an `ObservationSink`.
///
/// One `ChainSimulation` owns all mutable state of one run. Create it, call `run`, read the result.
public final class ChainSimulation: EventDrivenModel {
    /// An event, addressed to the part of the simulation that owns it; each inner enum is handled
    /// next to its owner's glue (`ChainSimulation+Traffic`, `+Requests`, `+Lifecycle`, `+Calls`,
    /// `+Faults`, `+Reporting`). The fingerprint numbers each inner case as the flat enum did
    /// (`fingerprintIngredients`); payloads stay 32-bit so the event packs in 9 bytes.
    ///
    /// Each inner case carries the IDs (`RequestID`, `InstanceID`, … in `EngineIDs.swift`) or the
    /// indices of what it concerns; a `generation` or `token` identifies the wait it ends, so an
    /// event for a wait that already ended is ignored.
    public enum Event {
        case traffic(TrafficEvent)
        case request(RequestEvent)
        case instance(InstanceEvent)
        case service(ServiceEvent)
        case endpoint(EndpointEvent)
        case fault(FaultEvent)
        case run(RunEvent)
        case queue(QueueEvent)
        case lock(LockEvent)
    }

    /// A message queue's deliveries to its consumers, the expiry of its oldest message, and the
    /// end of a blocked producer's wait for room.
    public enum QueueEvent {
        /// Messages wait and a consumer thread may be free: hand them out.
        case deliveryDue(queue: MessageQueueID)
        /// The oldest waiting message reaches its time to live (or an earlier one did).
        case expiryDue(queue: MessageQueueID)
        /// A producer blocked on a full queue has waited its `blockTimeout`.
        case blockTimedOut(request: RequestID, generation: UInt32)
    }

    /// A lock's key is released: its hold ended.
    public enum LockEvent {
        case holdEnded(lock: LockID, key: Int32)
    }

    /// Arrivals and rate changes of a traffic source; a client's next visit, timeout and reload.
    public enum TrafficEvent {
        case arrivalDue(source: SourceID)
        case rateChangeDue(source: SourceID)
        case clientReady(client: ClientID)
        case clientTimeoutDue(client: ClientID, token: UInt32)
        case reloadDue(client: ClientID, token: UInt32)
        /// A client's backoff before retrying an error answer (client `retry`) is over.
        case clientRetryDue(client: ClientID, token: UInt32)
    }

    /// The end of a request's wait: its CPU step, its call's outcome, its checkout, its retry.
    public enum RequestEvent {
        case cpuDone(request: RequestID, generation: UInt32)
        /// A CPU step failed: an `error` fault on the instance's work.
        case cpuFailed(request: RequestID, generation: UInt32)
        case callSucceeded(request: RequestID, generation: UInt32)
        case callFailed(request: RequestID, generation: UInt32)
        case callTimedOut(request: RequestID, generation: UInt32)
        case callRefused(request: RequestID, generation: UInt32)
        case checkoutTimedOut(request: RequestID, generation: UInt32)
        case callRejected(request: RequestID, generation: UInt32)
        case fallbackAnswered(request: RequestID, generation: UInt32)
        case retryDue(request: RequestID, generation: UInt32)
        /// The fill a request waited for (single-flight) answered it: it goes on with its next step.
        case cacheAnswered(request: RequestID, generation: UInt32)
        /// The fill a request waited for failed, with no entry to answer from: the request fails.
        case cacheFailed(request: RequestID, generation: UInt32)
        /// A wait for a lock timed out.
        case lockTimedOut(request: RequestID, generation: UInt32)
        /// The caller finished reading a call's result rows.
        case resultRead(request: RequestID, generation: UInt32)
    }

    /// An instance's heap timers, health probes and lifecycle.
    public enum InstanceEvent {
        case purgeDue(instance: InstanceID)
        case probeDue(instance: InstanceID)
        /// A probe answered in time. With `probeFailed`, the fingerprint's `probeEnded`: two cases
        /// rather than a `success` flag, which would not leave the outer enum a spare bit for its tag.
        case probeSucceeded(instance: InstanceID, token: UInt32)
        /// A probe failed or timed out.
        case probeFailed(instance: InstanceID, token: UInt32)
        case sessionExpiryDue(instance: InstanceID, session: UInt32)
        case restartDue(instance: InstanceID, epoch: UInt32)
        case bootDone(instance: InstanceID, epoch: UInt32)
        case leakDue(instance: InstanceID, epoch: UInt32)
        /// The instance's logs are rotated (`disk.rotation.every`).
        case diskRotationDue(instance: InstanceID)
        /// The per-second writes alone bring the disk to `failAt`, unless the epoch has moved on.
        case diskFillDue(instance: InstanceID, epoch: UInt32)
    }

    /// A service's autoscaler tick.
    public enum ServiceEvent {
        case autoscaleDue(service: ServiceID)
    }

    /// An endpoint finished the work in its service slot.
    public enum EndpointEvent {
        case workDone(endpoint: EndpointID)
    }

    /// A fault's window opens or closes.
    public enum FaultEvent {
        case starts(fault: FaultID)
        case ends(fault: FaultID)
    }

    /// The run's own clock: a series interval or the warm-up ends.
    public enum RunEvent {
        case intervalEnded
        case warmupEnded
    }

    public let eventQueue = EventQueue<Event>()
    public internal(set) var isStopRequested = false
    /// The limit that stopped the run, if one did.
    var limitReached: RunLimit?
    /// The number of live requests at which `liveRequestsGrew` looks at the limits next.
    var nextGrowthCheck: Int
    /// What the model allocates before its first event, as `assemblyMemory(of:)` estimates it.
    let assemblyMemory: Int64
    var seriesRowsWritten = 0
    /// The rows the last series interval reported, which the next one reserves.
    var intervalRowsReserved = 0
    /// The rows the whole run would have written, when the series limit stopped it at the start.
    var projectedSeriesRows: Int64 = 0

    public var requestedStopReason: StopReason { limitReached == nil ? .stopRequested : .limitReached }

    let model: SystemModel
    let sink: ObservationSink
    let services = IDTable<ServiceID, ServiceRuntime>()
    let instances = IDTable<InstanceID, InstanceRuntime>()
    let endpoints = IDTable<EndpointID, Endpoint>()
    let sources = IDTable<SourceID, SourceRuntime>()
    let populations = IDTable<PopulationID, PopulationRuntime>()
    let clients = IDTable<ClientID, ClientRecord>()
    let freeClients = Table<ClientID>()
    let entryStates = IDTable<EntrySlotID, EntryRuntime>()
    let threadPools = IDTable<ThreadPoolID, ThreadPool>()
    let slotStates = Table<SlotState>()
    /// Each instance's dependencies: counts, bulkhead, budget and breaker, and the connection pool
    /// (`ConnectionPool.absent` for a dependency without one: `hasPool` in its compiled
    /// dependency says which), from the instance's `firstDependency`. Not optional, so that the
    /// hot path reaches a pool in place instead of copying it out of an optional.
    let dependencyStates = IDTable<DependencySlotID, DependencyRuntime>()
    let connectionPools = IDTable<DependencySlotID, ConnectionPool>()
    let steps = IDTable<StepID, CompiledStep>()
    /// Where the steps of each service's entry point start in `steps`, and how many there are,
    /// from the instance's `serviceEntry`: read by every step without the service's array, from a
    /// table small enough to stay in the caches (one row per entry point, not per instance).
    let entrySteps = IDTable<ServiceEntryID, (first: StepID, count: Int32)>()
    /// What the call path needs of each dependency, at `firstDependency` of its service plus the dependency.
    let compiledDependencies = IDTable<CompiledDependencyID, CompiledDependency>()
    /// The retry policies of the dependencies that have one, by `CompiledDependency.retry`.
    let retryPolicies = Table<RetryPolicy>()
    let choices = Table<CompiledChoice>()
    /// The caches of the dependencies that have one: for each, one per instance of its service,
    /// from `CompiledDependency.cache`.
    let caches = IDTable<CacheID, Cache>()
    /// Whether some dependency has a cache.
    var hasCaches: Bool { !caches.isEmpty }
    let distributions = Table<Distribution>()
    /// The message queues, by index in `model.messageQueues`.
    let messageQueues = IDTable<MessageQueueID, MessageQueueRuntime>()
    /// The disks of the instances, by instance; empty when no service has one (`hasDisks`).
    let disks = IDTable<InstanceID, Disk>()
    /// Whether some service has a disk: the request path writes logs only then.
    let hasDisks: Bool
    /// Whether some service has a heap: only then can an instance hold sessions or leak.
    let hasHeaps: Bool
    /// The model's locks, by index in `model.locks`, and the compiled lock steps.
    let locks = IDTable<LockID, Lock>()
    let lockSteps = Table<CompiledLockStep>()
    /// Lock, result and cache-fill state of each request slot, beside the request table so that
    /// a model without those parts keeps its request records as they are; grown on first use
    /// (`reserveExtras`).
    let requestExtras = IDTable<RequestID, RequestExtras>()
    /// The result sizes of the dependencies that have one, by `CompiledDependency.result`.
    let results = Table<ResultSpec>()
    /// Whether some dependency has a result size (queued endpoint calls then add its query time).
    var hasResults = false
    let requests = IDTable<RequestID, RequestRecord>(capacity: 1024)
    let freeRequests = Table<RequestID>(capacity: 1024)
    var liveRequests = 0
    var nextSession: UInt32 = 1

    var isPastWarmup: Bool
    /// Whether some entry point has admission control: read first on the hot path, so that a
    /// model without it pays one branch on a register-held field, not a look into its tables.
    let hasAdmission: Bool
    /// Whether the warm-up is a whole number of series intervals.
    let warmupIsAligned: Bool
    var intervalStart = Instant.zero
    var completedCount: UInt64 = 0
    let completionLimit: UInt64
    var now: Int64 = 0

    /// Prepares a run of `model`, reporting to `sink`.
    ///
    /// The model must be valid (as `ModelFormat` checks): every name it refers to exists, every
    /// count is positive, the call graph has no cycle.
    public init(model: SystemModel, sink: ObservationSink) {
        self.model = model
        self.sink = sink
        let seed = model.run.seed
        isPastWarmup = model.run.warmup == .zero
        hasAdmission = model.services.contains { $0.entryPoints.contains { $0.admission != nil } }
        warmupIsAligned = model.run.warmup.nanoseconds % model.run.interval.nanoseconds == 0
        completionLimit = model.run.endAfterCompletions ?? UInt64.max
        nextGrowthCheck = min(1024, model.run.limits.liveRequests)
        assemblyMemory = Self.assemblyMemory(of: model)
        hasDisks = model.services.contains { $0.disk != nil }
        hasHeaps = model.services.contains { $0.heap != nil }
        reserveInstanceTables(for: model)
        for (serviceIndex, spec) in model.services.enumerated() {
            let first = InstanceID(instances.count)
            let slots = spec.instanceSlots
            for index in 0..<slots {
                var instance = InstanceRuntime(name: spec.instanceName(index), service: ServiceID(serviceIndex), spec: spec, seed: seed)
                instance.firstEntry = EntrySlotID(entryStates.count)
                instance.firstPool = ThreadPoolID(threadPools.count)
                // The entry points' own pools, in their order, then the shared pools.
                var ownPools: [ThreadPoolID] = []
                for entry in spec.entryPoints where entry.threadPool == nil {
                    ownPools.append(threadPools.append(ThreadPool(
                        threads: Int32(entry.threads), queueCapacity: entry.queueCapacity ?? Int.max,
                        shedQueueLength: entry.shedding?.maximumQueueLength ?? Int.max,
                        shedQueueAge: entry.shedding?.maximumQueueAge?.nanoseconds ?? Int64.max,
                        tracksBusyAreaSinceDecision: spec.autoscaler != nil)))
                }
                let firstShared = ThreadPoolID(threadPools.count)
                for pool in spec.threadPools {
                    threadPools.append(ThreadPool(
                        threads: Int32(pool.threads), queueCapacity: pool.queueCapacity ?? Int.max,
                        shedQueueLength: pool.shedding?.maximumQueueLength ?? Int.max,
                        shedQueueAge: pool.shedding?.maximumQueueAge?.nanoseconds ?? Int64.max,
                        tracksBusyAreaSinceDecision: spec.autoscaler != nil))
                }
                var nextOwn = 0
                for entry in spec.entryPoints {
                    if let shared = entry.threadPool {
                        guard let index = spec.threadPoolIndex(named: shared) else { preconditionFailure("unknown thread pool \(shared)") }
                        entryStates.append(EntryRuntime(pool: firstShared.advanced(by: index), failsFast: entry.failsFast, isOnSharedPool: true))
                    } else {
                        entryStates.append(EntryRuntime(pool: ownPools[nextOwn], failsFast: entry.failsFast, isOnSharedPool: false))
                        nextOwn += 1
                    }
                }
                instance.firstSlot = Int32(slotStates.count)
                for _ in 0..<instance.slotCount { slotStates.append(SlotState()) }
                instance.firstDependency = DependencySlotID(dependencyStates.count)
                for dependency in spec.dependencies {
                    dependencyStates.append(DependencyRuntime(spec: dependency, instanceName: instance.name, seed: seed))
                    connectionPools.append(dependency.pool.map { ConnectionPool(spec: $0) } ?? .absent)
                }
                if index >= spec.instances {  // held back until the autoscaler asks for it
                    instance.lifecycle.park()
                    instance.isAdmitted = false
                }
                instances.append(instance)
                if hasDisks { disks.append(Disk(spec: spec.disk)) }
            }
            services.append(ServiceRuntime(
                spec: spec, instances: first..<InstanceID(instances.count),
                balancer: Balancer(strategy: spec.balancer.strategy, admitted: Array(first..<first.advanced(by: spec.instances)),
                                   stream: RandomStream(seed: seed, component: spec.name, purpose: .balancer)),
                autoscaler: Autoscaler(spec: spec.autoscaler, instances: first..<InstanceID(instances.count), running: spec.instances)))
            services[ServiceID(serviceIndex)].poolSuffixes = spec.entryPoints.filter { $0.threadPool == nil }.map { spec.entryPoints.count > 1 ? "." + $0.name : "" }
                + spec.threadPools.map { "." + $0.name }
        }
        for spec in model.locks {
            var lock = Lock(spec: spec, seed: seed)
            lock.isPastWarmup = isPastWarmup
            locks.append(lock)
        }
        for index in services.ids {
            services[index].firstEntryStep = ServiceEntryID(entrySteps.count)
            for entry in services[index].spec.entryPoints {
                let first = steps.count
                compile(entry.steps, entryStart: first, service: services[index].spec)
                // A request served to the end writes its log on the instance's disk.
                if services[index].spec.disk != nil { steps.append(CompiledStep(kind: .session, index: CompiledStep.logIndex)) }
                entrySteps.append((StepID(first), Int32(steps.count - first)))
            }
            services[index].entryDependencies = services[index].spec.entryPoints.map { Step.dependencies(calledBy: $0.steps) }
            if services[index].spec.entryPoints.contains(where: { $0.admission != nil }) {
                // Per source: a key for each traffic source, then each population, then each calling service.
                let keys = model.traffic.count + model.users.count + model.services.count
                services[index].admissions = services[index].spec.entryPoints.map { entry in
                    entry.admission.map { Admission(spec: $0, keys: $0.perSource ? keys : 1) }
                }
                services[index].hasAdmission = true
            }
            services[index].lockNames = services[index].spec.lockNames
        }
        for instance in instances.ids {
            instances[instance].serviceEntry = services[instances[instance].service].firstEntryStep
        }
        for spec in model.endpoints {
            endpoints.append(Endpoint(spec: spec, seed: seed))
        }
        for spec in model.messageQueues {
            guard let consumer = model.serviceIndex(named: spec.consumer) else { preconditionFailure("unknown service \(spec.consumer)") }
            let entry = spec.entryPoint.flatMap { model.services[consumer].entryPointIndex(named: $0) } ?? 0
            messageQueues.append(MessageQueueRuntime(spec: spec, consumer: ServiceID(consumer), entry: Int32(entry), isPastWarmup: isPastWarmup))
        }
        for index in services.ids {
            services[index].firstDependency = CompiledDependencyID(compiledDependencies.count)
            for spec in services[index].spec.dependencies {
                // The target resolved to indices: a service (with entry point) or an endpoint.
                let target: (service: ServiceID, entry: Int32, endpoint: EndpointID)
                var queue = MessageQueueID.none
                switch spec.target {
                case .service(let name, let entry):
                    guard let service = model.serviceIndex(named: name) else { preconditionFailure("unknown service \(name)") }
                    let entryIndex = entry.flatMap { model.services[service].entryPointIndex(named: $0) } ?? 0
                    target = (ServiceID(service), Int32(entryIndex), .none)
                case .endpoint(let name):
                    guard let endpoint = model.endpointIndex(named: name) else { preconditionFailure("unknown endpoint \(name)") }
                    target = (.none, -1, EndpointID(endpoint))
                case .messageQueue(let name):
                    guard let index = model.messageQueueIndex(named: name) else { preconditionFailure("unknown message queue \(name)") }
                    target = (.none, -1, .none)
                    queue = MessageQueueID(index)
                }
                var fallbackCost: Int32 = -1
                if case .answer(let cost) = spec.breaker?.fallback { fallbackCost = Int32(distributions.append(cost)) }
                var breakerIsRate = false
                if case .rate = spec.breaker?.kind { breakerIsRate = true }
                var cache = CacheID.none
                if let cacheSpec = spec.cache {
                    // One cache per instance, each drawing its keys and jitter from streams of its own.
                    cache = CacheID(caches.count)
                    let sampler = KeySampler(keys: cacheSpec.keys, popularity: cacheSpec.popularity)
                    for instance in services[index].instances {
                        let component = instances[instance].name + "." + spec.name
                        caches.append(Cache(spec: cacheSpec, sampler: sampler,
                                            keyStream: RandomStream(seed: seed, component: component, purpose: .cacheKeys),
                                            ttlStream: RandomStream(seed: seed, component: component, purpose: .cacheTTL)))
                    }
                }
                compiledDependencies.append(CompiledDependency(
                    service: target.service, entry: target.entry, endpoint: target.endpoint, queue: queue, cache: cache,
                    readTimeout: spec.readTimeout?.nanoseconds ?? -1, connectTimeout: spec.connectTimeout?.nanoseconds ?? -1,
                    fallbackCost: fallbackCost, retry: spec.retry.map { Int32(retryPolicies.append($0)) } ?? -1,
                    hasPool: spec.pool != nil, hasBreaker: spec.breaker != nil,
                    breakerIsRate: breakerIsRate,
                    result: spec.result.map { Int32(results.append($0)) } ?? -1))
                if spec.result != nil { hasResults = true }
            }
        }
        for spec in model.traffic {
            guard let target = model.serviceIndex(named: spec.target) else { preconditionFailure("unknown service \(spec.target)") }
            let entry = spec.entryPoint.flatMap { model.services[target].entryPointIndex(named: $0) } ?? 0
            let (breakpoints, after, before) = Self.rateSegments(profile: spec.profile, spikes: model.faults.filter { $0.target == spec.name })
            sources.append(SourceRuntime(
                spec: spec, target: ServiceID(target), entry: Int32(entry),
                isFireAndForget: spec.requestsPerVisit == 1 && spec.behaviour.isFireAndForget,
                arrivalStream: RandomStream(seed: seed, component: spec.name, purpose: .arrivals),
                thinkStream: RandomStream(seed: seed, component: spec.name, purpose: .thinkTime),
                breakpoints: breakpoints, rateAfter: after, rateBefore: before,
                retry: spec.behaviour.retry.map { ClientRetryState(policy: $0, owner: spec.name, seed: seed) }))
        }
        for spec in model.users {
            guard let target = model.serviceIndex(named: spec.target) else { preconditionFailure("unknown service \(spec.target)") }
            let entry = spec.entryPoint.flatMap { model.services[target].entryPointIndex(named: $0) } ?? 0
            populations.append(PopulationRuntime(spec: spec, target: ServiceID(target), entry: Int32(entry),
                thinkStream: RandomStream(seed: seed, component: spec.name, purpose: .thinkTime),
                retry: spec.behaviour.retry.map { ClientRetryState(policy: $0, owner: spec.name, seed: seed) }))
        }
    }

    /// Appends steps to the step table, flattening transaction mixes: a `choose` step, then each
    /// branch's steps followed by a `jump` past the last branch.
    private func compile(_ list: [Step], entryStart: Int, service: ServiceSpec) {
        for step in list {
            switch step {
            case .cpu(let distribution):
                steps.append(CompiledStep(kind: .cpu, index: Int32(distributions.append(distribution))))
            case .call(let dependency):
                steps.append(CompiledStep(kind: service.dependencies[dependency].cache == nil ? .call : .cachedCall, index: Int32(dependency)))
                // A call whose answer has rows is followed by the reading of them.
                if service.dependencies[dependency].result != nil { steps.append(CompiledStep(kind: .result, index: Int32(dependency))) }
            case .session: steps.append(CompiledStep(kind: .session, index: 0))
            case .lock(let name, let hold):
                guard let lock = model.lockIndex(named: name), let place = service.lockNames.firstIndex(of: name) else {
                    preconditionFailure("unknown lock \(name)")
                }
                let compiled = lockSteps.append(CompiledLockStep(lock: LockID(lock), hold: Int32(distributions.append(hold)), place: Int32(place)))
                steps.append(CompiledStep(kind: .lock, index: Int32(compiled)))
            case .choose(let branches):
                let choice = choices.append(CompiledChoice(cumulativeWeights: [], starts: []))
                steps.append(CompiledStep(kind: .choose, index: Int32(choice)))
                let total = branches.reduce(0) { $0 + $1.weight }
                var cumulative = 0.0
                var jumps: [StepID] = []
                for branch in branches {
                    cumulative += branch.weight
                    choices[choice].cumulativeWeights.append(cumulative / total)
                    choices[choice].starts.append(Int32(steps.count - entryStart))
                    compile(branch.steps, entryStart: entryStart, service: service)
                    jumps.append(steps.append(CompiledStep(kind: .jump, index: 0)))
                }
                choices[choice].cumulativeWeights[branches.count - 1] = 1
                for jump in jumps { steps[jump].index = Int32(steps.count - entryStart) }
            }
        }
    }

    /// Runs the model to its end and returns the outcome and the summary.
    ///
    /// - Parameter progress: Called now and then with the simulated time and the event count.
    public func run(progress: ((Instant, UInt64) -> Void)? = nil) -> RunResult {
        start()
        let end = Instant.zero + model.run.duration
        let outcome = RunLoop.run(self, until: end, eventLimit: model.run.maximumEvents,
                                  pendingEventLimit: model.run.limits.pendingEvents, progress: progress)
        return finish(outcome)
    }

    /// Runs the model as `run` does, showing each event to `observer` before it is handled, and
    /// returns where the loop stopped; the interval that ends with the run is not reported and no
    /// summary is made. For replays (`faultline diff`); the plain run does not pay for the hook.
    ///
    /// - Parameter observer: Shown every event before it runs; it may stop the run.
    /// - Returns: Why and when the loop stopped, its event count, fingerprint and checkpoints.
    public func replay<Observer: RunObserver>(observing observer: inout Observer) -> RunOutcome where Observer.Model == ChainSimulation {
        start()
        return RunLoop.run(self, until: Instant.zero + model.run.duration, eventLimit: model.run.maximumEvents,
                           pendingEventLimit: model.run.limits.pendingEvents, observer: &observer)
    }

    private func start() {
        record(StateChange(time: .zero, component: model.name, event: "runStarted", detail: "seed \(seed: model.run.seed)"))
        for source in sources.ids {
            enterSegment(0, of: source)
            scheduleNextArrival(of: source, from: 0)
        }
        for (index, spec) in model.users.enumerated() {
            for _ in 0..<spec.size {
                let client = newClient(owner: .population(PopulationID(index)), remaining: Int32.max)
                scheduleThink(of: client, from: 0)
            }
        }
        for serviceIndex in services.ids {
            guard let check = services[serviceIndex].spec.balancer.healthCheck else { continue }
            for instance in services[serviceIndex].instances {
                eventQueue.schedule(.instance(.probeDue(instance: instance)), at: .zero + check.interval)
            }
        }
        for service in services.ids {
            if let autoscaler = services[service].spec.autoscaler {
                eventQueue.schedule(.service(.autoscaleDue(service: service)), at: .zero + autoscaler.interval)
            }
        }
        for instance in instances.ids {
            if let purge = instances[instance].heap?.purgeInterval {
                eventQueue.schedule(.instance(.purgeDue(instance: instance)), at: .zero + purge)
            }
        }
        startDisks()
        for (index, fault) in model.faults.enumerated() where !isTrafficFault(fault) {
            eventQueue.schedule(.fault(.starts(fault: FaultID(index))), at: .zero + fault.start)
        }
        eventQueue.schedule(.run(.intervalEnded), at: .zero + model.run.interval)
        if !isPastWarmup { eventQueue.schedule(.run(.warmupEnded), at: .zero + model.run.warmup) }
    }

    /// The fingerprint's number for an event's kind and the component it concerns. The numbers are
    /// those of the flat enum the event once was (`eventKindNames`), in every golden run.json:
    /// a new case takes the next free number, and no number changes.
    @inline(__always)
    public func fingerprintIngredients(of event: Event) -> (kind: UInt32, component: UInt32) {
        switch event {
        case .traffic(let event): ingredients(of: event)
        case .request(let event): ingredients(of: event)
        case .instance(let event): ingredients(of: event)
        case .service(.autoscaleDue(let service)): (25, UInt32(service.rawValue))
        case .endpoint(.workDone(let endpoint)): (27, UInt32(endpoint.rawValue))
        case .fault(.starts(let fault)): (17, UInt32(fault.rawValue))
        case .fault(.ends(let fault)): (18, UInt32(fault.rawValue))
        case .run(.intervalEnded): (19, 0)
        case .run(.warmupEnded): (20, 0)
        case .queue(.deliveryDue(let queue)): (31, UInt32(queue.rawValue))
        case .queue(.expiryDue(let queue)): (32, UInt32(queue.rawValue))
        case .queue(.blockTimedOut(let request, _)): (33, UInt32(requests[request].instance.rawValue))
        case .lock(.holdEnded(let lock, _)): (35, UInt32(lock.rawValue))
        }
    }

    /// `fingerprintIngredients` of a traffic event: its source or client.
    @inline(__always)
    func ingredients(of event: TrafficEvent) -> (kind: UInt32, component: UInt32) {
        switch event {
        case .arrivalDue(let source): (0, UInt32(source.rawValue))
        case .rateChangeDue(let source): (1, UInt32(source.rawValue))
        case .clientReady(let client): (2, UInt32(client.rawValue))
        case .clientTimeoutDue(let client, _): (3, UInt32(client.rawValue))
        case .reloadDue(let client, _): (4, UInt32(client.rawValue))
        case .clientRetryDue(let client, _): (28, UInt32(client.rawValue))
        }
    }

    /// `fingerprintIngredients` of a request's event: the request's instance, before the event runs.
    @inline(__always)
    func ingredients(of event: RequestEvent) -> (kind: UInt32, component: UInt32) {
        switch event {
        case .cpuDone(let request, _): (5, UInt32(requests[request].instance.rawValue))
        case .callSucceeded(let request, _): (6, UInt32(requests[request].instance.rawValue))
        case .callFailed(let request, _): (7, UInt32(requests[request].instance.rawValue))
        case .callTimedOut(let request, _): (8, UInt32(requests[request].instance.rawValue))
        case .callRefused(let request, _): (9, UInt32(requests[request].instance.rawValue))
        case .checkoutTimedOut(let request, _): (10, UInt32(requests[request].instance.rawValue))
        case .callRejected(let request, _): (21, UInt32(requests[request].instance.rawValue))
        case .fallbackAnswered(let request, _): (22, UInt32(requests[request].instance.rawValue))
        case .retryDue(let request, _): (23, UInt32(requests[request].instance.rawValue))
        case .cpuFailed(let request, _): (26, UInt32(requests[request].instance.rawValue))
        case .cacheAnswered(let request, _): (29, UInt32(requests[request].instance.rawValue))
        case .cacheFailed(let request, _): (30, UInt32(requests[request].instance.rawValue))
        case .lockTimedOut(let request, _): (34, UInt32(requests[request].instance.rawValue))
        case .resultRead(let request, _): (36, UInt32(requests[request].instance.rawValue))
        }
    }

    /// `fingerprintIngredients` of an instance's event: the instance.
    @inline(__always)
    func ingredients(of event: InstanceEvent) -> (kind: UInt32, component: UInt32) {
        switch event {
        case .probeDue(let instance): (11, UInt32(instance.rawValue))
        case .probeSucceeded(let instance, _), .probeFailed(let instance, _): (12, UInt32(instance.rawValue))
        case .sessionExpiryDue(let instance, _): (13, UInt32(instance.rawValue))
        case .restartDue(let instance, _): (14, UInt32(instance.rawValue))
        case .bootDone(let instance, _): (15, UInt32(instance.rawValue))
        case .leakDue(let instance, _): (16, UInt32(instance.rawValue))
        case .purgeDue(let instance): (24, UInt32(instance.rawValue))
        case .diskRotationDue(let instance): (37, UInt32(instance.rawValue))
        case .diskFillDue(let instance, _): (38, UInt32(instance.rawValue))
        }
    }

    /// Runs an event: each kind goes to the handler beside its owner's glue.
    public func handle(_ event: Event, at time: Instant) {
        now = time.nanoseconds
        switch event {
        case .traffic(let event): handle(event)
        case .request(let event): handle(event)
        case .instance(let event): handle(event)
        case .service(let event): handle(event)
        case .endpoint(let event): handle(event)
        case .fault(let event): handle(event)
        case .run(let event): handle(event, at: time)
        case .queue(let event): handle(event)
        case .lock(let event): handle(event)
        }
    }

    /// Runs an event as `handle` does and returns its `fingerprintIngredients`, read before it
    /// runs: the run loop's plain path. The events of traffic, requests and instances (nearly all
    /// of a run) are told apart once, for both; the rest go through `handle`.
    @inline(__always)
    public func handleFingerprinted(_ event: Event, at time: Instant) -> (kind: UInt32, component: UInt32) {
        now = time.nanoseconds
        switch event {
        case .traffic(let event):
            let ingredients = ingredients(of: event)
            handle(event)
            return ingredients
        case .request(let event):
            let ingredients = ingredients(of: event)
            handle(event)
            return ingredients
        case .instance(let event):
            let ingredients = ingredients(of: event)
            handle(event)
            return ingredients
        default:
            let ingredients = fingerprintIngredients(of: event)
            handle(event, at: time)
            return ingredients
        }
    }

    /// Reserves the per-instance tables at the sizes assembly is about to fill (every instance
    /// slot, the autoscaler's held-back ones included), so that a farm of 10,000 instances is
    /// laid out once instead of copied at each doubling of each table.
    private func reserveInstanceTables(for model: SystemModel) {
        var instanceSlots = 0, entries = 0, pools = 0, dependencies = 0, activities = 0
        for spec in model.services {
            let slots = spec.instanceSlots
            instanceSlots += slots
            entries += slots * spec.entryPoints.count
            pools += slots * (spec.entryPoints.count { $0.threadPool == nil } + spec.threadPools.count)
            dependencies += slots * spec.dependencies.count
            activities += slots * InstanceRuntime.slotCount(of: spec)
        }
        instances.reserveCapacity(instanceSlots)
        entryStates.reserveCapacity(entries)
        threadPools.reserveCapacity(pools)
        slotStates.reserveCapacity(activities)
        dependencyStates.reserveCapacity(dependencies)
        connectionPools.reserveCapacity(dependencies)
        if hasDisks { disks.reserveCapacity(instanceSlots) }
    }

    /// Where an instance's dependency keeps its state in `dependencyStates` and `connectionPools`.
    @inline(__always)
    func dependencySlot(_ instance: InstanceID, _ dependency: Int) -> DependencySlotID {
        instances[instance].firstDependency.advanced(by: dependency)
    }

    /// Whether an instance's dependency has a connection pool (its slot in `connectionPools`
    /// otherwise holds `ConnectionPool.absent`).
    func hasPool(_ instance: InstanceID, _ dependency: Int) -> Bool {
        compiledDependencies[compiledDependency(instance, dependency)].hasPool
    }

    /// Where an instance's entry point keeps its state in `entryStates`.
    @inline(__always)
    func entrySlot(_ instance: InstanceID, _ entry: Int) -> EntrySlotID {
        instances[instance].firstEntry.advanced(by: entry)
    }

    /// Whether an event for this request and generation still concerns a live wait.
    @inline(__always)
    func isCurrent(_ request: RequestID, _ generation: UInt32) -> Bool {
        let record = requests[request]
        return record.isLive && record.generation == generation
    }

    /// Sends a state change to the sink.
    func record(_ change: StateChange) {
        sink.stateChanged(change)
    }

    /// A state change now.
    func record(_ component: String, _ event: String, _ detail: EventText = EventText(), cause: EventText = EventText()) {
        sink.stateChanged(StateChange(time: Instant(nanoseconds: now), component: component, event: event, detail: detail, cause: cause))
    }

    /// The current time as an instant.
    var instantNow: Instant { Instant(nanoseconds: now) }
}
