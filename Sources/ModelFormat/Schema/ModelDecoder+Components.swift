import FailureChains
import SimulationKernel

/// A decoded component with the reader of its object, so later checks can point at it.
struct Decoded<Spec> {
    var spec: Spec
    var object: ObjectReader
}

extension ModelDecoder {
    func decodeService(_ object: ObjectReader) -> Decoded<ServiceSpec>? {
        let name = object.requiredString("name").flatMap { checkName($0, key: "name", in: object) }
        let instances = object.integer("instances", bounds: Bounds(1...ModelLimits.instancesPerService)) ?? 1
        let threads = object.integer("threads", bounds: Bounds(1...ModelLimits.threadsPerInstance), required: true)
        let queue = decodeQueueCapacity(object)
        let serviceTime = object.value("serviceTime", required: true).flatMap { DistributionDecoder.decode($0) }
        object.finish()
        guard let name, let threads, let queue, let serviceTime else { return nil }
        return Decoded(spec: ServiceSpec(name: name, instances: instances, threads: threads,
                                         queueCapacity: queue.capacity, serviceTime: serviceTime), object: object)
    }

    /// `queue`: a count of waiting places, or `"unbounded"` (the default).
    private func decodeQueueCapacity(_ object: ObjectReader) -> (capacity: Int?, Void)? {
        guard let value = object.value("queue") else { return (nil, ()) }
        if case .string(let text) = value.node.value {
            if text == "unbounded" { return (nil, ()) }
            value.error("expected a number of waiting places or \"unbounded\", found \"\(text)\"")
            return nil
        }
        guard let capacity = value.integer(bounds: Bounds(0...ModelLimits.queueCapacity)) else { return nil }
        return (capacity, ())
    }

    func decodeTrafficSource(_ object: ObjectReader) -> Decoded<TrafficSourceSpec>? {
        let name = object.requiredString("name").flatMap { checkName($0, key: "name", in: object) }
        let target = object.requiredString("target")
        var arrivals = TrafficSourceSpec.ArrivalProcess.poisson
        if let value = object.value("arrivals") {
            if let text = value.string() {
                if let process = TrafficSourceSpec.ArrivalProcess(rawValue: text) {
                    arrivals = process
                } else {
                    value.error("expected one of \(TrafficSourceSpec.ArrivalProcess.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")), found \"\(text)\"")
                }
            }
        }
        let steps = decodeRateSteps(object)
        object.finish()
        guard let name, let target, let steps else { return nil }
        return Decoded(spec: TrafficSourceSpec(name: name, target: target, arrivals: arrivals, steps: steps), object: object)
    }

    /// Either `rate: "20/s"` or `profile: [{at: "0s", rate: "20/s"}, ...]`, not both.
    private func decodeRateSteps(_ object: ObjectReader) -> [TrafficSourceSpec.RateStep]? {
        let hasRate = object.contains("rate")
        let hasProfile = object.contains("profile")
        switch (hasRate, hasProfile) {
        case (true, true):
            object.error("give either 'rate' or 'profile', not both", key: "profile")
            return nil
        case (false, false):
            object.error("missing required key 'rate' (or a 'profile' of rate steps)")
            return nil
        case (true, false):
            guard let rate = object.rate("rate", bounds: .atLeast(0)) else { return nil }
            return [TrafficSourceSpec.RateStep(start: .zero, rate: rate)]
        case (false, true):
            guard let elements = object.objects("profile") else { return nil }
            if elements.isEmpty {
                object.error("a profile needs at least one step", key: "profile")
                return nil
            }
            if elements.count > ModelLimits.profileSteps {
                object.error("a profile may have at most \(ModelLimits.profileSteps) steps, found \(elements.count)", key: "profile")
                return nil
            }
            var steps: [TrafficSourceSpec.RateStep] = []
            var isValid = true
            for (index, step) in elements.enumerated() {
                let start = step.duration("at", bounds: .atLeast(.zero), required: true)
                let rate = step.rate("rate", bounds: .atLeast(0), required: true)
                step.finish()
                guard let start, let rate else {
                    isValid = false
                    continue
                }
                if index == 0, start != .zero {
                    step.error("the first step must be at \"0s\", found \"\(Units.format(start))\"", key: "at")
                    isValid = false
                } else if let previous = steps.last, start <= previous.start {
                    step.error("steps must be in increasing time order; this one is not after \"\(Units.format(previous.start))\"", key: "at")
                    isValid = false
                }
                steps.append(TrafficSourceSpec.RateStep(start: start, rate: rate))
            }
            return isValid ? steps : nil
        }
    }

    func decodeUserPopulation(_ object: ObjectReader) -> Decoded<UserPopulationSpec>? {
        let name = object.requiredString("name").flatMap { checkName($0, key: "name", in: object) }
        let target = object.requiredString("target")
        let size = object.integer("population", bounds: Bounds(1...ModelLimits.users), required: true)
        let think = object.value("thinkTime", required: true).flatMap { DistributionDecoder.decode($0) }
        object.finish()
        guard let name, let target, let size, let think else { return nil }
        return Decoded(spec: UserPopulationSpec(name: name, target: target, size: size, thinkTime: think), object: object)
    }

    /// Names are unique across the model, and targets name services.
    ///
    /// Reads each component's `name` and `target` as written, whether or not the rest of the
    /// component is valid; values that are not strings were reported when the component was decoded.
    func checkNamesAndReferences(modelName: String?, services: [ObjectReader], traffic: [ObjectReader], users: [ObjectReader]) {
        func text(_ key: String, in object: ObjectReader) -> String? {
            guard case .string(let text)? = object.node(key)?.value else { return nil }
            return text
        }
        var seen: [String: SourceLocation] = [:]
        for object in services + traffic + users {
            guard let name = text("name", in: object), let location = object.node("name")?.location else { continue }
            if name == modelName {
                object.error("name \"\(name)\" is the model's own name; components need names of their own", key: "name")
            } else if let first = seen[name] {
                object.error("name \"\(name)\" is already used at line \(first.line)", key: "name")
            } else {
                seen[name] = location
            }
        }

        let serviceNames = services.compactMap { text("name", in: $0) }
        for object in traffic + users {
            guard let target = text("target", in: object), !serviceNames.contains(target) else { continue }
            let suggestion = NearestName.closest(to: target, among: serviceNames).map { "; did you mean '\($0)'?" } ?? ""
            object.error("no service is named \"\(target)\"\(suggestion)", key: "target")
        }
    }

    /// Instances and users in all stay within `ModelLimits`.
    func checkTotals(services: [Decoded<ServiceSpec>], users: [Decoded<UserPopulationSpec>]) {
        let totalInstances = services.reduce(0) { $0 + $1.spec.instances }
        if totalInstances > ModelLimits.instances, let first = services.first {
            first.object.error("the model has \(totalInstances) instances in all, more than the limit of \(ModelLimits.instances)", key: "instances")
        }
        let totalUsers = users.reduce(0) { $0 + $1.spec.size }
        if totalUsers > ModelLimits.users, let first = users.first {
            first.object.error("the model has \(totalUsers) users in all, more than the limit of \(ModelLimits.users)", key: "population")
        }
    }
}
