import SimulationKernel

/// The engine that runs a `SystemModel`: traffic arrives, is balanced onto instances, waits for a
/// thread, is served and completes; every interval the state is reported to an `ObservationSink`.
///
/// One `ChainSimulation` value owns all mutable state of one run. Create it, call `run`, read the
/// result; it is not reusable.
public final class ChainSimulation: EventDrivenModel {
    /// The events of the model. Each carries the index of what it concerns.
    public enum Event {
        /// A request of an open source arrives.
        case arrivalDue(source: Int32)
        /// An open source moves to its next rate step.
        case rateStepDue(source: Int32)
        /// A closed user finishes thinking and sends a request.
        case thinkEnded(user: Int32)
        /// A request's service ends and it releases its thread.
        case serviceCompleted(request: Int32)
        /// A series interval ends.
        case intervalEnded
        /// The warm-up ends; the summary counts from here.
        case warmupEnded
    }

    public let eventQueue = EventQueue<Event>()
    public internal(set) var isStopRequested = false

    let model: SystemModel
    let sink: ObservationSink
    let services = Table<ServiceState>()
    let instances = Table<ServiceInstance>()
    let sources = Table<SourceState>()
    let populations = Table<PopulationState>()
    /// The population index of every closed user.
    let userPopulation = Table<Int32>()
    var requests = RequestTable()

    var isPastWarmup: Bool
    var intervalStart = Instant.zero
    var completedCount: UInt64 = 0
    let completionLimit: UInt64

    /// Prepares a run of `model`, reporting to `sink`.
    ///
    /// The model must be valid (as `ModelFormat` checks): every target names a service, every
    /// count is positive.
    public init(model: SystemModel, sink: ObservationSink) {
        self.model = model
        self.sink = sink
        let seed = model.run.seed
        isPastWarmup = model.run.warmup == .zero
        completionLimit = model.run.endAfterCompletions ?? UInt64.max
        for (serviceIndex, spec) in model.services.enumerated() {
            let first = instances.count
            for index in 0..<spec.instances {
                let name = spec.instanceName(index)
                instances.append(ServiceInstance(
                    name: name, service: Int32(serviceIndex), threads: Int32(spec.threads),
                    queueCapacity: spec.queueCapacity ?? Int.max,
                    serviceTimeStream: RandomStream(seed: seed, component: name, purpose: "serviceTime")))
            }
            services.append(ServiceState(spec: spec, instances: first..<instances.count))
        }
        for spec in model.traffic {
            guard let target = model.serviceIndex(named: spec.target) else {
                preconditionFailure("traffic source \(spec.name) targets unknown service \(spec.target)")
            }
            sources.append(SourceState(spec: spec, target: Int32(target),
                arrivalStream: RandomStream(seed: seed, component: spec.name, purpose: "arrivals")))
        }
        for (index, spec) in model.users.enumerated() {
            guard let target = model.serviceIndex(named: spec.target) else {
                preconditionFailure("user population \(spec.name) targets unknown service \(spec.target)")
            }
            populations.append(PopulationState(spec: spec, target: Int32(target),
                thinkStream: RandomStream(seed: seed, component: spec.name, purpose: "thinkTime")))
            for _ in 0..<spec.size { userPopulation.append(Int32(index)) }
        }
    }

    /// Runs the model to its end and returns the outcome and the summary.
    ///
    /// - Parameter progress: Called now and then with the simulated time and the event count.
    public func run(progress: ((Instant, UInt64) -> Void)? = nil) -> RunResult {
        start()
        let end = Instant.zero + model.run.duration
        let outcome = RunLoop.run(self, until: end, eventLimit: model.run.maximumEvents, progress: progress)
        return finish(outcome)
    }

    private func start() {
        sink.stateChanged(StateChange(time: .zero, component: model.name, event: "runStarted",
                                      detail: "seed \(model.run.seed)"))
        for index in sources.indices { scheduleNextArrival(of: index, from: .zero) }
        for user in userPopulation.indices { scheduleThink(of: Int32(user), from: .zero) }
        eventQueue.schedule(.intervalEnded, at: .zero + model.run.interval)
        if !isPastWarmup { eventQueue.schedule(.warmupEnded, at: .zero + model.run.warmup) }
    }

    public func fingerprintIngredients(of event: Event) -> (kind: UInt32, component: UInt32) {
        switch event {
        case .arrivalDue(let source): (0, UInt32(source))
        case .rateStepDue(let source): (1, UInt32(source))
        case .thinkEnded(let user): (2, UInt32(user))
        case .serviceCompleted(let request): (3, UInt32(requests[request].instance))
        case .intervalEnded: (4, 0)
        case .warmupEnded: (5, 0)
        }
    }

    public func handle(_ event: Event, at time: Instant) {
        switch event {
        case .arrivalDue(let source): arrive(from: source, at: time)
        case .rateStepDue(let source): advanceRateStep(of: source, at: time)
        case .thinkEnded(let user): admit(origin: user, to: populations[Int(userPopulation[Int(user)])].target, at: time.nanoseconds)
        case .serviceCompleted(let request): complete(request, at: time.nanoseconds)
        case .intervalEnded:
            reportInterval(endingAt: time)
            eventQueue.schedule(.intervalEnded, at: time + model.run.interval)
        case .warmupEnded: endWarmup(at: time)
        }
    }
}
