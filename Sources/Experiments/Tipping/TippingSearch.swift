/// What one run came to after its trigger: back to normal, still out but shrinking its backlog, or
/// stuck.
public enum TippingVerdict: String, Sendable, Equatable {
    /// The `--recovered` condition held in its window.
    case recovered
    /// Not recovered, but the backlog of the watched components was shrinking over the last part
    /// of the window: slow to drain, not stuck.
    case draining
    /// Not recovered, and the backlog was growing, or flat (at saturation), over the last part of
    /// the window: the system does not come back by itself.
    case metastable
}

/// The runs of one trigger value at one load.
public struct TippingProbe: Sendable, Equatable {
    /// The trigger's value, in its range's unit.
    public var trigger: Double
    /// Each replication's verdict, by replication index.
    public var verdicts: [TippingVerdict]

    /// Creates a probe.
    public init(trigger: Double, verdicts: [TippingVerdict] = []) {
        self.trigger = trigger
        self.verdicts = verdicts
    }

    /// Replications run.
    public var runs: Int { verdicts.count }
    /// Replications with each verdict.
    public func count(_ verdict: TippingVerdict) -> Int { verdicts.lazy.filter { $0 == verdict }.count }
    /// The share of metastable runs: the probability of tipping.
    public var tipEstimate: Double { runs == 0 ? 0 : Double(count(.metastable)) / Double(runs) }
    /// Whether the estimate says the trigger tips the system (a probability of one half or more).
    public var tips: Bool { tipEstimate >= 0.5 }

    /// The Wilson interval of the probability of tipping (metastable runs).
    public func tipInterval(level: Double) -> WilsonInterval {
        WilsonInterval(successes: count(.metastable), trials: runs, level: level)
    }

    /// The Wilson interval of the probability of recovering within the window.
    public func recoveryInterval(level: Double) -> WilsonInterval {
        WilsonInterval(successes: count(.recovered), trials: runs, level: level)
    }
}

/// Where one load level tips: the result of its search.
public struct TippingResult: Sendable, Equatable {
    /// How the search ended.
    public enum Status: String, Sendable {
        /// The probability of tipping crosses one half inside the range.
        case threshold
        /// Even the largest trigger leaves the system more likely to come back than not.
        case recovers
        /// Even the smallest trigger leaves it more likely stuck than not.
        case tips
    }

    /// How the search ended.
    public var status: Status
    /// The trigger where the probability of tipping is one half, interpolated between the two
    /// probes that bracket it; nil unless `status` is `threshold`.
    public var estimate: Double?
    /// The interval of the threshold: above the largest probe whose Wilson interval of tipping
    /// lies below one half (or the range's low end), below the smallest whose interval lies above
    /// one half (or the range's high end).
    public var low: Double?
    /// The interval's upper end.
    public var high: Double?
    /// Whether the interval is within the precision asked for.
    public var precisionReached: Bool
}

/// The search for the smallest trigger that tips a system at one load: bisection on the estimated
/// probability of tipping, then more replications at the two probes that bracket it, until the
/// threshold's interval is narrow enough.
///
/// Each round asks for runs (`nextRequests()`), is told their verdicts (`record(_:verdicts:)`), and
/// decides from all the probes so far, so the same verdicts give the same search whatever the
/// order or the threads they came from.
public struct TippingSearch: Sendable {
    /// How far the search goes.
    public struct Settings: Sendable, Equatable {
        /// Replications of a new probe (`-r`).
        public var replications: Int
        /// The most replications one probe may have (`--max-replications`).
        public var maximumReplications: Int
        /// The widest interval of the threshold to stop at, as a share of the range (`--precision`).
        public var precision: Double
        /// The confidence level of the Wilson intervals.
        public var level: Double
        /// The most probes at one load.
        public var maximumProbes: Int

        /// Creates settings.
        public init(replications: Int, maximumReplications: Int, precision: Double, level: Double, maximumProbes: Int = 40) {
            self.replications = replications
            self.maximumReplications = max(replications, maximumReplications)
            self.precision = precision
            self.level = level
            self.maximumProbes = maximumProbes
        }
    }

    /// Runs wanted: replications `replications` of a trigger value.
    public struct Request: Sendable, Equatable {
        /// The trigger's value.
        public var trigger: Double
        /// The replications to run (the next ones of the probe).
        public var replications: Range<Int>
    }

    /// The trigger's range.
    public let range: TippingRange
    /// How far to go.
    public let settings: Settings
    /// The probes so far, by trigger value.
    public private(set) var probes: [TippingProbe] = []

    /// Creates a search over a trigger range.
    public init(range: TippingRange, settings: Settings) {
        self.range = range
        self.settings = settings
    }

    /// The runs the next round needs; empty when the search is over.
    ///
    /// First the two ends of the range; then, while the probability of tipping crosses one half
    /// between them, a bisection of the bracket (the two neighbouring probes on either side of
    /// one half) until it is narrower than half the precision; then more replications of the
    /// bracket's probes whose intervals still hold one half; then, where the threshold's
    /// interval is still wide on one side, more replications of the probe there farthest from the
    /// bracket, or a new probe halfway from it to the interval's end (at most two such probes a
    /// side, beside the bracket's, while they stay unsure). It ends when the interval is within the precision, or when nothing more can narrow it
    /// within `maximumReplications` and `maximumProbes`.
    public func nextRequests() -> [Request] {
        if probes.isEmpty {
            return [range.low, range.high].map { Request(trigger: $0, replications: 0..<settings.replications) }
        }
        let result = result
        guard result.status == .threshold, !result.precisionReached, let low = result.low, let high = result.high else { return [] }
        let hiIndex = probes.firstIndex(where: \.tips)!
        let lo = probes[hiIndex - 1], hi = probes[hiIndex]
        let level = settings.level
        func new(_ trigger: Double) -> Request { Request(trigger: trigger, replications: 0..<settings.replications) }
        func more(_ probe: TippingProbe) -> Request {
            Request(trigger: probe.trigger, replications: probe.runs..<min(settings.maximumReplications, probe.runs + settings.replications))
        }
        let middle = range.rounded((lo.trigger + hi.trigger) / 2)
        let canProbe = probes.count < settings.maximumProbes
        if hi.trigger - lo.trigger > max(target / 2, range.resolution), middle > lo.trigger, middle < hi.trigger, canProbe {
            return [new(middle)]
        }
        var requests: [Request] = []
        if lo.tipInterval(level: level).upper >= 0.5, lo.runs < settings.maximumReplications { requests.append(more(lo)) }
        if hi.tipInterval(level: level).lower <= 0.5, hi.runs < settings.maximumReplications { requests.append(more(hi)) }
        if !requests.isEmpty { return requests }
        // The bracket is as sure as it gets: narrow the sides of the interval, by more
        // replications of the side's probe farthest from the bracket, or, when all of them have
        // the most, by a probe halfway from that one to the interval's end, until it is within a
        // quarter of the precision of the end. A side that already has two probes besides the
        // bracket's, all with the most replications and all unsure, is where the tipping is
        // gradual: more probes there would cost runs without narrowing much.
        if lo.trigger - low > target / 4 {
            let side = probes.filter { $0.trigger > low && $0.trigger <= lo.trigger }
            if let probe = side.first(where: { $0.runs < settings.maximumReplications }) {
                requests.append(more(probe))
            } else if let nearest = side.first, nearest.trigger - low > target / 4, side.count <= 2, canProbe {
                let point = range.rounded((low + nearest.trigger) / 2)
                if point > low && point < nearest.trigger { requests.append(new(point)) }
            }
        }
        if high - hi.trigger > target / 4 {
            let side = probes.filter { $0.trigger >= hi.trigger && $0.trigger < high }
            if let probe = side.last(where: { $0.runs < settings.maximumReplications }) {
                requests.append(more(probe))
            } else if let nearest = side.last, high - nearest.trigger > target / 4, side.count <= 2, canProbe {
                let point = range.rounded((nearest.trigger + high) / 2)
                if point > nearest.trigger && point < high { requests.append(new(point)) }
            }
        }
        return requests
    }

    /// Adds the verdicts of a request's runs, in replication order.
    public mutating func record(_ request: Request, verdicts: [TippingVerdict]) {
        precondition(verdicts.count == request.replications.count, "one verdict per replication")
        if let index = probes.firstIndex(where: { $0.trigger == request.trigger }) {
            precondition(probes[index].runs == request.replications.lowerBound, "replications are added in order")
            probes[index].verdicts += verdicts
        } else {
            precondition(request.replications.lowerBound == 0, "a new probe starts at replication 0")
            probes.append(TippingProbe(trigger: request.trigger, verdicts: verdicts))
            probes.sort { $0.trigger < $1.trigger }
        }
    }

    /// The result from the probes so far.
    public var result: TippingResult {
        guard let hiIndex = probes.firstIndex(where: \.tips) else {
            return TippingResult(status: .recovers, precisionReached: true)
        }
        if hiIndex == 0 { return TippingResult(status: .tips, precisionReached: true) }
        let lo = probes[hiIndex - 1], hi = probes[hiIndex]
        let (low, high) = interval(bracket: hiIndex)
        let slope = hi.tipEstimate - lo.tipEstimate
        let estimate = slope > 0 ? lo.trigger + (0.5 - lo.tipEstimate) / slope * (hi.trigger - lo.trigger) : (lo.trigger + hi.trigger) / 2
        return TippingResult(status: .threshold, estimate: estimate, low: low, high: high,
                             precisionReached: high - low <= target + 1e-12 * (range.high - range.low))
    }

    /// The widest interval of the threshold to stop at, in the range's unit.
    var target: Double { settings.precision * (range.high - range.low) }

    /// The interval of the threshold given the bracket's upper probe.
    private func interval(bracket hiIndex: Int) -> (Double, Double) {
        let level = settings.level
        let low = probes[..<hiIndex].last { $0.tipInterval(level: level).upper < 0.5 }?.trigger ?? range.low
        let high = probes[hiIndex...].first { $0.tipInterval(level: level).lower > 0.5 }?.trigger ?? range.high
        return (low, high)
    }
}
