import FailureChains
import SimulationKernel

extension ModelDecoder {
    // MARK: Traffic sources

    func decodeTrafficSource(_ object: ObjectReader, run: RunSettings) -> TrafficSourceSpec? {
        let name = object.requiredString("name").flatMap { checkName($0, key: "name", in: object) }
        let target = decodeTarget(object)
        let arrivals = choice(object, "arrivals", default: TrafficSourceSpec.ArrivalProcess.poisson)
        let profile = decodeRateProfile(object, run: run)
        var requestsPerVisit = 1
        var thinkTime = Distribution.constant(0)
        var isVisitValid = true
        if let visit = object.object("visit") {
            let requests = visit.integer("requests", bounds: Bounds(1...ModelLimits.requestsPerVisit), required: true)
            let think = visit.value("thinkTime").map { DistributionDecoder.decode($0) } ?? .some(.constant(0))
            visit.finish()
            if let requests, let think { (requestsPerVisit, thinkTime) = (requests, think) } else { isVisitValid = false }
        } else if object.node("visit") != nil {
            isVisitValid = false
        }
        let behaviour = decodeClientBehaviour(object)
        object.finish()
        guard let name, let target, let arrivals, let profile, isVisitValid, let behaviour else { return nil }
        return TrafficSourceSpec(name: name, target: target.service, entryPoint: target.entryPoint, arrivals: arrivals, profile: profile,
                                 requestsPerVisit: requestsPerVisit, thinkTime: thinkTime, behaviour: behaviour)
    }

    /// `target` (a service) and `entryPoint` (one of its entry points; the first when absent).
    private func decodeTarget(_ object: ObjectReader) -> (service: String, entryPoint: String?)? {
        let target = object.requiredString("target")
        let entryPoint = object.string("entryPoint")
        guard let target, checkReference(target, to: .service, key: "target", in: object) else { return nil }
        if let entryPoint { checkEntryPoint(entryPoint, of: target, key: "entryPoint", in: object) }
        if object.node("entryPoint") != nil, entryPoint == nil { return nil }
        return (target, entryPoint)
    }

    /// Exactly one of `rate: "20/s"`, `profile: [{at, rate, shape}, ...]` and
    /// `daily: {trough, peak, peakAt}`.
    private func decodeRateProfile(_ object: ObjectReader, run: RunSettings) -> RateProfile? {
        let forms = ["rate", "profile", "daily"].filter(object.contains)
        guard forms.count == 1, let form = forms.first else {
            if forms.isEmpty {
                object.error("missing required key 'rate' (or 'profile' or 'daily')")
            } else {
                object.error("give only one of 'rate', 'profile' and 'daily'", key: forms[1])
            }
            return nil
        }
        switch form {
        case "rate":
            return object.rate("rate", bounds: .atLeast(0)).map { RateProfile.constant($0) }
        case "profile":
            return decodeProfilePoints(object)
        default:
            return object.object("daily").flatMap { decodeDaily($0, run: run) }
        }
    }

    private func decodeProfilePoints(_ object: ObjectReader) -> RateProfile? {
        guard let elements = object.objects("profile") else { return nil }
        if elements.isEmpty {
            object.error("a profile needs at least one point", key: "profile")
            return nil
        }
        if elements.count > ModelLimits.profilePoints {
            object.error("a profile may have at most \(ModelLimits.profilePoints) points, found \(elements.count)", key: "profile")
            return nil
        }
        var points: [RateProfile.Point] = []
        var isValid = true
        for (index, element) in elements.enumerated() {
            let time = element.duration("at", bounds: .atLeast(.zero), required: true)
            let rate = element.rate("rate", bounds: .atLeast(0), required: true)
            let shape = choice(element, "shape", default: RateProfile.Shape.step)
            element.finish()
            guard let time, let rate, let shape else {
                isValid = false
                continue
            }
            if index == 0, time != .zero {
                element.error("the first point must be at \"0s\", found \"\(Units.format(time))\"", key: "at")
                isValid = false
            } else if let previous = points.last, time <= previous.time {
                element.error("points must be in increasing time order; this one is not after \"\(Units.format(previous.time))\"", key: "at")
                isValid = false
            }
            if index == 0, shape == .ramp {
                element.error("the first point must be a step; a ramp needs a point before it", key: "shape")
                isValid = false
            }
            points.append(RateProfile.Point(time: time, rate: rate, shape: shape))
        }
        return isValid ? RateProfile(points: points) : nil
    }

    /// A cosine between `trough` and `peak`, highest at `peakAt` each day, over the whole run.
    private func decodeDaily(_ object: ObjectReader, run: RunSettings) -> RateProfile? {
        let day = Interval.seconds(86_400)
        let trough = object.rate("trough", bounds: .atLeast(0), required: true)
        let peak = object.rate("peak", bounds: .atLeast(0), required: true)
        let peakAt = object.duration("peakAt", bounds: Bounds(lower: .zero, upper: day, isUpperInclusive: false), required: true)
        object.finish()
        guard let trough, let peak, let peakAt else { return nil }
        guard peak >= trough else {
            object.error("must be at least the trough (\(object.node("trough")?.text ?? "")), found \(object.node("peak")?.text ?? "")", key: "peak")
            return nil
        }
        let days = Int((run.duration.nanoseconds - 1) / day.nanoseconds) + 1
        guard days <= ModelLimits.dailyProfileDays else {
            object.error("a daily curve covers at most \(ModelLimits.dailyProfileDays) days; run.duration (\(Units.format(run.duration))) needs \(days)")
            return nil
        }
        return .daily(trough: trough, peak: peak, peakAt: peakAt, days: days)
    }

    /// No source's rate, with its spikes multiplied in, goes above `ModelLimits.highestRate`;
    /// each rate as written has been checked already. Reported once a source, at the factor of
    /// the first spike acting when the rate is highest above the limit.
    func checkSpikes(traffic: [TrafficSourceSpec], faults: [(object: ObjectReader, spec: FaultSpec?)]) {
        for source in traffic {
            let spikes = faults.filter { fault in
                guard let spec = fault.spec, spec.target == source.name, case .spike = spec.kind else { return false }
                return true
            }
            guard !spikes.isEmpty else { continue }
            let (breakpoints, after, before) = ChainSimulation.rateSegments(profile: source.profile, spikes: spikes.compactMap(\.spec))
            // `!(rate <= limit)` also catches factors whose product is not finite.
            guard let segment = breakpoints.indices.first(where: { !(after[$0] <= ModelLimits.highestRate && before[$0] <= ModelLimits.highestRate) }),
                  let blamed = spikes.first(where: { fault in
                      let spec = fault.spec!
                      let end = spec.duration.map { (spec.start + $0).nanoseconds } ?? Int64.max
                      return spec.start.nanoseconds <= breakpoints[segment] && breakpoints[segment] < end
                  })
            else { continue }
            let reached = max(after[segment], before[segment])
            let rate = reached.isFinite ? ValueReader.format(reached) + "/s" : "an infinite rate"
            blamed.object.error("spikes take traffic '\(source.name)' to \(rate) at \(Units.format(Interval(nanoseconds: breakpoints[segment])))"
                                + "; the highest rate is 1/ns (\(ValueReader.format(ModelLimits.highestRate))/s)", key: "factor")
        }
    }

    // MARK: Clients

    /// `clientTimeout`, `reload: { after, maximumAttempts }`, `cookies` and `retry`, on a source or a population.
    private func decodeClientBehaviour(_ object: ObjectReader) -> ClientBehaviour? {
        var behaviour = ClientBehaviour()
        var isValid = true
        if let value = object.value("clientTimeout") {
            behaviour.clientTimeout = value.duration(bounds: .positive)
            isValid = isValid && behaviour.clientTimeout != nil
        }
        if let reload = object.object("reload") {
            let after = reload.duration("after", bounds: .positive, required: true)
            let attempts = reload.integer("maximumAttempts", bounds: Bounds(2...ModelLimits.reloadAttempts), required: true)
            reload.finish()
            if let after, let attempts {
                (behaviour.reloadAfter, behaviour.maximumAttempts) = (after, attempts)
            } else {
                isValid = false
            }
        } else if object.node("reload") != nil {
            isValid = false
        }
        if let value = object.value("cookies") {
            if let flag = value.bool() { behaviour.keepsCookies = flag } else { isValid = false }
        }
        // The same policy, keys and checks as a dependency's `retry`.
        if let retry = object.object("retry") {
            behaviour.retry = decodeRetry(retry)
            isValid = isValid && behaviour.retry != nil
        } else if object.node("retry") != nil {
            isValid = false
        }
        return isValid ? behaviour : nil
    }

    // MARK: User populations

    func decodeUserPopulation(_ object: ObjectReader) -> Decoded<UserPopulationSpec>? {
        let name = object.requiredString("name").flatMap { checkName($0, key: "name", in: object) }
        let target = decodeTarget(object)
        let size = object.integer("population", bounds: Bounds(1...ModelLimits.users), required: true)
        let think = object.value("thinkTime", required: true).flatMap { DistributionDecoder.decode($0) }
        let perSession: Int?? = object.value("requestsPerSession").map { $0.integer(bounds: Bounds(1...ModelLimits.requestsPerVisit)) } ?? .some(nil)
        let behaviour = decodeClientBehaviour(object)
        object.finish()
        guard let name, let target, let size, let think, let perSession, let behaviour else { return nil }
        return Decoded(spec: UserPopulationSpec(name: name, target: target.service, entryPoint: target.entryPoint, size: size,
                                                thinkTime: think, requestsPerSession: perSession, behaviour: behaviour), object: object)
    }
}
