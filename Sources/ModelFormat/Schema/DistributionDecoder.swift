import SimulationKernel

/// Reads a distribution of durations: a duration string (a constant) or an object with one key
/// naming the law. Values are in seconds once read.
///
///     serviceTime: "20ms"                                        // constant
///     serviceTime: { exponential: "50ms" }                       // mean
///     serviceTime: { uniform: { lower: "10ms", upper: "30ms" } }
///     serviceTime: { normal: { mean: "50ms", standardDeviation: "10ms" } }   // truncated at 0
///     serviceTime: { lognormal: { median: "40ms", p99: "400ms" } }           // or mean + standardDeviation
///     serviceTime: { gamma: { shape: 2.5, mean: "50ms" } }
///     serviceTime: { erlang: { k: 3, mean: "60ms" } }
///     serviceTime: { pareto: { minimum: "10ms", shape: 2.5 } }
///     serviceTime: { boundedPareto: { lower: "10ms", upper: "10s", shape: 1.2 } }
///     serviceTime: { empirical: [[0, "1ms"], [50, "20ms"], [99, "300ms"], [100, "2s"]] }
enum DistributionDecoder {
    /// The names of the laws, as keys.
    static let laws = ["constant", "exponential", "uniform", "normal", "lognormal", "gamma", "erlang",
                       "pareto", "boundedPareto", "empirical"]

    static func decode(_ value: ValueReader) -> Distribution? {
        if case .string = value.node.value {
            return value.duration(bounds: .atLeast(.zero)).map { .constant($0.seconds) }
        }
        guard case .object(let members) = value.node.value else {
            value.error("expected a distribution: a duration such as \"20ms\" or an object such as { exponential: \"50ms\" }, found \(value.node.typeName)")
            return nil
        }
        guard members.count == 1, let member = members.first else {
            value.error("a distribution names exactly one law (\(laws.joined(separator: ", "))), found \(members.count) keys")
            return nil
        }
        guard let object = ObjectReader(value.node, path: value.path, diagnostics: value.diagnostics) else { return nil }
        let distribution: Distribution?
        switch member.key {
        case "constant":
            distribution = object.duration("constant", bounds: .atLeast(.zero)).map { .constant($0.seconds) }
        case "exponential":
            distribution = object.duration("exponential", bounds: .greaterThan(.zero)).map { .exponential(mean: $0.seconds) }
        case "uniform":
            distribution = parameters(object, "uniform") { p in
                let lower = p.duration("lower", bounds: .atLeast(.zero), required: true)
                let upper = p.duration("upper", bounds: .atLeast(.zero), required: true)
                guard let lower, let upper else { return nil }
                guard lower <= upper else {
                    p.error("upper must not be below lower", key: "upper")
                    return nil
                }
                return .uniform(lower: lower.seconds, upper: upper.seconds)
            }
        case "normal":
            distribution = parameters(object, "normal") { p in
                let mean = p.duration("mean", bounds: .atLeast(.zero), required: true)
                let deviation = p.duration("standardDeviation", bounds: .atLeast(.zero), required: true)
                guard let mean, let deviation else { return nil }
                return .normal(mean: mean.seconds, standardDeviation: deviation.seconds)
            }
        case "lognormal":
            distribution = parameters(object, "lognormal") { p in lognormal(p) }
        case "gamma":
            distribution = parameters(object, "gamma") { p in
                let shape = p.number("shape", bounds: .greaterThan(0), required: true)
                let mean = p.duration("mean", bounds: .greaterThan(.zero), required: true)
                guard let shape, let mean else { return nil }
                return .gamma(shape: shape, scale: mean.seconds / shape)
            }
        case "erlang":
            distribution = parameters(object, "erlang") { p in
                let k = p.integer("k", bounds: Bounds(1...1_000), required: true)
                let mean = p.duration("mean", bounds: .greaterThan(.zero), required: true)
                guard let k, let mean else { return nil }
                return .erlang(k: k, mean: mean.seconds)
            }
        case "pareto":
            distribution = parameters(object, "pareto") { p in
                let minimum = p.duration("minimum", bounds: .greaterThan(.zero), required: true)
                let shape = p.number("shape", bounds: .greaterThan(0), required: true)
                guard let minimum, let shape else { return nil }
                return .pareto(scale: minimum.seconds, shape: shape)
            }
        case "boundedPareto":
            distribution = parameters(object, "boundedPareto") { p in
                let lower = p.duration("lower", bounds: .greaterThan(.zero), required: true)
                let upper = p.duration("upper", bounds: .greaterThan(.zero), required: true)
                let shape = p.number("shape", bounds: .greaterThan(0), required: true)
                guard let lower, let upper, let shape else { return nil }
                guard lower < upper else {
                    p.error("upper must be above lower", key: "upper")
                    return nil
                }
                return .boundedPareto(lower: lower.seconds, upper: upper.seconds, shape: shape)
            }
        case "empirical":
            distribution = empirical(object)
        default:
            let suggestion = NearestName.closest(to: member.key, among: laws).map { "; did you mean '\($0)'?" } ?? ""
            // Like any unknown key: at the key, on the path of the object holding it.
            value.diagnostics.error("unknown distribution '\(member.key)'\(suggestion); known: \(laws.joined(separator: ", "))",
                                    at: member.keyLocation, path: value.path)
            return nil
        }
        guard let distribution else { return nil }
        if let problem = distribution.validationProblem {
            object.error(problem, key: member.key)
            return nil
        }
        return distribution
    }

    /// Reads the parameter object of a law and reports its unknown keys.
    ///
    /// `body` must ask for every parameter before it gives up on one, or `finish()` reports the
    /// parameters it did not reach as unknown keys.
    private static func parameters(_ object: ObjectReader, _ key: String, _ body: (ObjectReader) -> Distribution?) -> Distribution? {
        guard let parameters = object.object(key, required: true) else { return nil }
        let distribution = body(parameters)
        parameters.finish()
        return distribution
    }

    private static func lognormal(_ p: ObjectReader) -> Distribution? {
        if p.contains("median") || p.contains("p99") {
            let median = p.duration("median", bounds: .greaterThan(.zero), required: true)
            let p99 = p.duration("p99", bounds: .greaterThan(.zero), required: true)
            guard let median, let p99 else { return nil }
            guard median < p99 else {
                p.error("p99 must be above the median", key: "p99")
                return nil
            }
            return .lognormal(median: median.seconds, p99: p99.seconds)
        }
        let mean = p.duration("mean", bounds: .greaterThan(.zero), required: true)
        let deviation = p.duration("standardDeviation", bounds: .greaterThan(.zero), required: true)
        guard let mean, let deviation else { return nil }
        return .lognormal(mean: mean.seconds, standardDeviation: deviation.seconds)
    }

    private static func empirical(_ object: ObjectReader) -> Distribution? {
        guard let rows = object.array("empirical", required: true) else { return nil }
        var points: [(percentile: Double, value: Double)] = []
        var isValid = true
        for row in rows {
            guard case .array(let elements) = row.node.value, elements.count == 2, let pair = row.array() else {
                row.error("expected a pair [percentile, duration] such as [99, \"300ms\"]")
                isValid = false
                continue
            }
            let percentile = pair[0].number(bounds: Bounds(0...100))
            let value = pair[1].duration(bounds: .atLeast(.zero))
            guard let percentile, let value else {
                isValid = false
                continue
            }
            points.append((percentile, value.seconds))
        }
        guard isValid else { return nil }
        do {
            return .empirical(try EmpiricalTable(points: points))
        } catch {
            object.error(error.message, key: "empirical")
            return nil
        }
    }
}
