import FailureChains
import ModelFormat
import SimulationKernel

/// Why a tipping map cannot be made as asked.
public enum TippingSetupError: Error, Sendable {
    /// The model, an override or a selector is invalid at some probe.
    case model(ModelErrors)
    /// The command line asks for something the model cannot give: a relative window without a
    /// trigger fault that ends, a window too short to see a trend, an unknown `--watch` name.
    case usage(String)
}

/// How one probe is run: the model at one load and one trigger, and how its runs are judged.
public struct TippingProbePlan: Sendable {
    /// The probe as a one-point study, its measures the recovery selector and the backlog's.
    public var plan: StudyPlan
    /// The end of the trigger fault in this probe's model, which relative windows count from.
    public var triggerEnd: Interval
    /// The recovery window, absolute.
    public var window: (from: Interval, to: Interval)
    /// How a run is judged.
    public var criterion: RecoveryCriterion
    /// How many components' backlog is watched.
    public var watched: Int

    /// The limits of a run (`run.maximum…`) that stop a run whose requests, timers or memory grow
    /// without bound: a run they stop is judged metastable, not an error of the map.
    public static let growthLimits: Set<String> = [RunLimit.liveRequests.key, RunLimit.pendingEvents.key, RunLimit.memory.key]

    /// Draining means a backlog whose mean over the last third of the window is more than this
    /// share below its mean over the middle third.
    public static let drainingDrop = 0.02

    /// The verdict of one run: recovered when the criterion holds; otherwise draining when the
    /// watched backlog (queue length plus threads busy, summed over the components) fell by more
    /// than `drainingDrop` from the middle third of the window to the last third, metastable when
    /// it grew or stayed flat.
    public func verdict(_ record: ReplicationRecord) -> TippingVerdict {
        if criterion.holds(record.values[0].value) { return .recovered }
        let backlog = record.values.dropFirst().map { $0.value ?? 0 }
        let earlier = backlog[..<(2 * watched)].reduce(0, +)
        let later = backlog[(2 * watched)...].reduce(0, +)
        return later < earlier * (1 - Self.drainingDrop) ? .draining : .metastable
    }
}

/// What a tipping map is made of: the model file, the axes, what recovered means and whose
/// backlog tells metastable from draining; it makes the plan of each probe.
public struct TippingSetup: Sendable {
    /// The model file.
    public var file: String
    /// The variant of the file's `variants` to map (`--variant`), or nil for its baseline.
    public var variant: String?
    /// The `--set` arguments applied at every probe, before the axes'.
    public var constants: [String]
    /// The load axis.
    public var load: TippingRange
    /// The trigger axis.
    public var trigger: TippingRange
    /// What recovered means.
    public var criterion: RecoveryCriterion
    /// The services whose backlog is watched (`--watch`); empty for every service.
    public var watch: [String]
    /// The base seed (`--seed`), or nil for the model's.
    public var seed: UInt64?
    /// Replications of a new probe.
    public var replications: Int
    /// The confidence level.
    public var level: Double

    /// Creates a setup.
    public init(file: String, constants: [String], load: TippingRange, trigger: TippingRange, criterion: RecoveryCriterion,
                watch: [String], seed: UInt64?, replications: Int, level: Double) {
        self.file = file
        self.constants = constants
        self.load = load
        self.trigger = trigger
        self.criterion = criterion
        self.watch = watch
        self.seed = seed
        self.replications = replications
        self.level = level
    }

    /// The plan of the probe at a load and a trigger value.
    ///
    /// Each run lasts to the end of its recovery window (`run.duration` is set to it, among the
    /// point's overrides), so no run simulates past what is judged.
    ///
    /// - Throws: `TippingSetupError`.
    public func probe(load loadValue: Double, trigger triggerValue: Double) throws(TippingSetupError) -> TippingProbePlan {
        var overrides = constants + [load.override(loadValue), trigger.override(triggerValue)]
        let model = try load(overrides, selectors: []).model
        let end = try triggerEnd(model)
        let from = criterion.from.resolved(triggerEnd: end)
        let to = criterion.to?.resolved(triggerEnd: end) ?? model.run.duration
        guard to > from else {
            throw .usage("the recovery window \(criterion.argument) ends before it starts at \(trigger.override(triggerValue))")
        }
        if criterion.to != nil { overrides.append("run.duration=\(Units.format(to))") }
        let services = watch.isEmpty ? model.services.map(\.name) : watch
        for name in services where model.serviceIndex(named: name) == nil {
            throw .usage("--watch \(name): no service is named '\(name)'; the services are \(model.services.map(\.name).joined(separator: ", "))")
        }
        let third = Interval(nanoseconds: (to.nanoseconds - from.nanoseconds) / 3)
        guard third >= model.run.interval else {
            throw .usage("the recovery window \(Units.format(from))..\(Units.format(to)) is too short to see the backlog's trend: each of its thirds must span at least one series interval (\(Units.format(model.run.interval))); lengthen it or shorten run.interval")
        }
        var selectors = [criterion.selector(from: from, to: criterion.to == nil ? nil : to)]
        let lastThird = Interval(nanoseconds: to.nanoseconds - third.nanoseconds)
        let middleThird = Interval(nanoseconds: lastThird.nanoseconds - third.nanoseconds)
        for (start, stop) in [(middleThird, lastThird), (lastThird, to)] {
            for name in services {
                selectors.append("\(name).queueLength@\(Units.format(start))..\(Units.format(stop)):mean")
                selectors.append("\(name).threadsBusy@\(Units.format(start))..\(Units.format(stop)):mean")
            }
        }
        var parsed: [MetricSelector] = []
        for text in selectors {
            do { parsed.append(try MetricSelector(text)) } catch { throw .usage("--recovered \(criterion.argument): \(error.message)") }
        }
        let loaded = try load(overrides, selectors: parsed)
        var probeModel = loaded.model
        if let seed { probeModel.run.seed = seed }
        var point = StudyPlan.Point(values: [load.text(loadValue), trigger.text(triggerValue)], model: probeModel,
                                    overrides: loaded.overrides, effectiveHash: loaded.effectiveHash, file: file, fileHash: loaded.fileHash)
        point.variant = loaded.variant
        let plan = StudyPlan(kind: .sweep, parameters: [load.path, trigger.path], points: [point], replications: replications,
                             measures: StudyMeasures(selected: loaded.selected, warmup: probeModel.run.warmup),
                             metricArguments: selectors, level: level)
        return TippingProbePlan(plan: plan, triggerEnd: end, window: (from, to), criterion: criterion, watched: services.count)
    }

    private func load(_ overrides: [String], selectors: [MetricSelector]) throws(TippingSetupError) -> LoadedModel {
        var parsed: [Override] = []
        for text in overrides {
            guard let override = Override(text) else { throw .usage("--set needs PATH=VALUE, found '\(text)'") }
            parsed.append(override)
        }
        do {
            return try ModelLoader.load(path: file, variant: variant, overrides: parsed, selectors: selectors)
        } catch {
            throw .model(error)
        }
    }

    /// The index of the trigger fault: the fault the trigger's path is in (`faults[2].duration`),
    /// or the model's only fault.
    func triggerFault(_ model: SystemModel) throws(TippingSetupError) -> Int {
        if trigger.path.hasPrefix("faults["), let close = trigger.path.firstIndex(of: "]"),
           let index = Int(trigger.path[trigger.path.index(trigger.path.startIndex, offsetBy: 7)..<close]), model.faults.indices.contains(index) {
            return index
        }
        guard model.faults.count == 1 else {
            throw .usage("--recovered \(criterion.argument) counts from the end of the trigger fault, but --trigger \(trigger.path) is not in a fault and the model has \(model.faults.count) faults; write the window in absolute times, or give a trigger in faults[i]")
        }
        return 0
    }

    /// When the trigger fault ends: `at + duration`; for a crash, when its instance is up again
    /// (`at + restartDelay + startupTime` of its service); for a failover, at once.
    public func triggerEnd(_ model: SystemModel) throws(TippingSetupError) -> Interval {
        guard criterion.from.isRelative || criterion.to?.isRelative == true else { return .zero }
        let index = try triggerFault(model)
        let fault = model.faults[index]
        if let duration = fault.duration { return fault.start + duration }
        switch fault.kind {
        case .crash:
            let serviceName = String(fault.target.prefix { $0 != "[" })
            guard let service = model.serviceIndex(named: serviceName) else { return fault.start }
            let lifecycle = model.services[service].lifecycle
            guard let delay = lifecycle.restartDelay else {
                throw .usage("faults[\(index)] crashes \(fault.target), which never restarts (restartDelay \"never\"): the trigger has no end for --recovered \(criterion.argument) to count from")
            }
            return fault.start + delay + lifecycle.startupTime
        case .failover:
            return fault.start
        default:
            throw .usage("faults[\(index)] lasts until the end of the run: the trigger has no end for --recovered \(criterion.argument) to count from; give it a duration")
        }
    }
}
