import SimulationKernel

/// The state of one service instance: its worker threads, its waiting queue and its statistics.
struct ServiceInstance {
    /// The instance's stable name: `web[2]`.
    let name: String
    /// The index of its service.
    let service: Int32
    /// Worker threads.
    let threads: Int32
    /// Most requests that may wait; `Int.max` when unbounded.
    let queueCapacity: Int
    /// Draws the time each request holds a thread.
    var serviceTimeStream: RandomStream

    /// Threads holding a request.
    var busy: Int32 = 0
    /// Requests waiting for a thread, oldest first.
    var waiting = RingBuffer<Int32>(capacity: 64)
    /// Whether the queue filled and has not yet drained to half its capacity.
    var isQueueFull = false
    /// Requests refused since the queue last filled.
    var refusedWhileFull: Int64 = 0

    /// When `busy` or the queue length last changed, in nanoseconds.
    var lastChange: Int64 = 0
    /// Level integrals since the start of the current series interval.
    var intervalAreas = LevelAreas()
    /// Level integrals since the end of the warm-up.
    var totalAreas = LevelAreas()
    /// Counts since the start of the current series interval.
    var interval = Counters()
    /// Counts since the end of the warm-up.
    var total = Counters()
    /// Latencies completed in the current series interval.
    var intervalLatency = LatencyHistogram()

    init(name: String, service: Int32, threads: Int32, queueCapacity: Int, serviceTimeStream: RandomStream) {
        self.name = name
        self.service = service
        self.threads = threads
        self.queueCapacity = queueCapacity
        self.serviceTimeStream = serviceTimeStream
    }

    /// Adds the levels held since the last change to the integrals; call before any level changes.
    @inline(__always)
    mutating func settle(at now: Int64, isPastWarmup: Bool) {
        let elapsed = Double(now &- lastChange)
        if elapsed > 0 {
            let busyArea = Double(busy) * elapsed
            let queueArea = Double(waiting.count) * elapsed
            intervalAreas.busy += busyArea
            intervalAreas.queue += queueArea
            if isPastWarmup {
                totalAreas.busy += busyArea
                totalAreas.queue += queueArea
            }
        }
        lastChange = now
    }
}

/// The state of one service: its instances' range and its load balancer's cursor.
struct ServiceState {
    let spec: ServiceSpec
    /// Indices of its instances in the engine's instance array.
    let instances: Range<Int>
    /// The round-robin cursor: the next instance offset to receive a request.
    var nextInstance = 0
    /// Latencies completed since the end of the warm-up.
    var totalLatency = LatencyHistogram()
    /// Waits of requests started since the end of the warm-up.
    var totalWait = LatencyHistogram()
}

/// The state of one open traffic source.
struct SourceState {
    let spec: TrafficSourceSpec
    let target: Int32
    var arrivalStream: RandomStream
    /// Whether arrivals are a Poisson process (else evenly spaced).
    let isPoisson: Bool
    /// The index of the rate step in force.
    var step = 0
    /// The mean gap between arrivals under the step in force, in seconds; 0 when the rate is 0.
    var meanGap: Double = 0
    /// When the next rate step starts, in nanoseconds; `Int64.max` when there is none.
    var nextStepAt = Int64.max

    init(spec: TrafficSourceSpec, target: Int32, arrivalStream: RandomStream) {
        self.spec = spec
        self.target = target
        self.arrivalStream = arrivalStream
        isPoisson = spec.arrivals == .poisson
        enterStep(0)
    }

    /// Makes step `index` of the profile the one in force.
    mutating func enterStep(_ index: Int) {
        step = index
        let rate = spec.steps[index].rate
        meanGap = rate > 0 ? 1 / rate : 0
        nextStepAt = index + 1 < spec.steps.count ? spec.steps[index + 1].start.nanoseconds : Int64.max
    }
    var intervalOffered: Int64 = 0
    var totalOffered: Int64 = 0
}

/// The state of one closed user population.
struct PopulationState {
    let spec: UserPopulationSpec
    let target: Int32
    var thinkStream: RandomStream
    var interval = Counters()
    var total = Counters()
}
