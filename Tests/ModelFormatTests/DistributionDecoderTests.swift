import FailureChains
import ModelFormat
import SimulationKernel
import Testing

struct DistributionDecoderTests {
    /// A model whose only service's `serviceTime` is `distribution`, starting at line 2, column 1.
    static func model(serviceTime distribution: String) -> String {
        """
        {faultline: 1, name: "m", services: [{name: "web", threads: 1, serviceTime:
        \(distribution)}]}
        """
    }

    static func serviceTime(_ distribution: String) throws -> Distribution? {
        guard case .cpu(let time)? = try loadModel(model(serviceTime: distribution)).services.first?.entryPoints.first?.steps.first else {
            return nil
        }
        return time
    }

    /// The list of laws as error messages spell it.
    static let laws = "constant, exponential, uniform, normal, lognormal, gamma, erlang, pareto, boundedPareto, empirical"

    @Test(arguments: [
        (#""20ms""#, Distribution.constant(0.02)),
        (#""0s""#, .constant(0)),
        (#"{constant: "5ms"}"#, .constant(0.005)),
        (#"{exponential: "50ms"}"#, .exponential(mean: 0.05)),
        (#"{uniform: {lower: "10ms", upper: "30ms"}}"#, .uniform(lower: 0.01, upper: 0.03)),
        (#"{uniform: {lower: "10ms", upper: "10ms"}}"#, .uniform(lower: 0.01, upper: 0.01)),
        (#"{normal: {mean: "50ms", standardDeviation: "10ms"}}"#, .normal(mean: 0.05, standardDeviation: 0.01)),
        (#"{lognormal: {median: "40ms", p99: "400ms"}}"#, .lognormal(median: 0.04, p99: 0.4)),
        (#"{lognormal: {mean: "50ms", standardDeviation: "20ms"}}"#, .lognormal(mean: 0.05, standardDeviation: 0.02)),
        (#"{gamma: {shape: 2.5, mean: "50ms"}}"#, .gamma(shape: 2.5, scale: 0.05 / 2.5)),
        (#"{erlang: {k: 3, mean: "60ms"}}"#, .erlang(k: 3, mean: 0.06)),
        (#"{pareto: {minimum: "10ms", shape: 2.5}}"#, .pareto(scale: 0.01, shape: 2.5)),
        (#"{boundedPareto: {lower: "10ms", upper: "10s", shape: 1.2}}"#, .boundedPareto(lower: 0.01, upper: 10, shape: 1.2)),
    ])
    func `each law is read into its distribution, in seconds`(text: String, expected: Distribution) throws {
        #expect(try Self.serviceTime(text) == expected)
    }

    @Test func `an empirical table is read as percentiles and seconds`() throws {
        let table = try EmpiricalTable(points: [(0, 0.001), (50, 0.02), (99, 0.3), (100, 2)])
        #expect(try Self.serviceTime(#"{empirical: [[0, "1ms"], [50, "20ms"], [99, "300ms"], [100, "2s"]]}"#) == .empirical(table))
    }

    @Test func `a think time is read as a distribution too`() throws {
        let model = try loadModel("""
            {faultline: 1, name: "m", services: [{name: "web", threads: 1, serviceTime: "1ms"}],
            users: [{name: "people", target: "web", population: 10, thinkTime: {exponential: "2s"}}]}
            """)
        #expect(model.users == [UserPopulationSpec(name: "people", target: "web", size: 10, thinkTime: .exponential(mean: 2))])
    }

    @Test(arguments: [
        // The shape of the value.
        (#"{exponential: "50ms", uniform: {lower: "1ms", upper: "2ms"}}"#,
         "m.json5:2:1: error: services[0].serviceTime: a distribution names exactly one law (\(laws)), found 2 keys"),
        ("{}", "m.json5:2:1: error: services[0].serviceTime: a distribution names exactly one law (\(laws)), found 0 keys"),
        ("20", #"m.json5:2:1: error: services[0].serviceTime: expected a distribution: a duration such as "20ms" or an object such as { exponential: "50ms" }, found a number"#),
        (#""-20ms""#, #"m.json5:2:1: error: services[0].serviceTime: durations cannot be negative, found "-20ms""#),
        // Unknown laws and keys.
        (#"{exponental: "50ms"}"#,
         "m.json5:2:2: error: services[0].serviceTime: unknown distribution 'exponental'; did you mean 'exponential'?; known: \(laws)"),
        ("{weibull: {}}", "m.json5:2:2: error: services[0].serviceTime: unknown distribution 'weibull'; known: \(laws)"),
        (#"{uniform: {lower: "1ms", upper: "2ms", middle: "1ms"}}"#,
         "m.json5:2:40: error: services[0].serviceTime.uniform: unknown key 'middle'"),
        (#"{uniform: {lower: "1ms"}}"#, "m.json5:2:11: error: services[0].serviceTime.uniform: missing required key 'upper'"),
        // Parameters out of range.
        (#"{uniform: {lower: "30ms", upper: "10ms"}}"#, "m.json5:2:34: error: services[0].serviceTime.uniform.upper: upper must not be below lower"),
        (#"{boundedPareto: {lower: "10s", upper: "10ms", shape: 1.2}}"#,
         "m.json5:2:39: error: services[0].serviceTime.boundedPareto.upper: upper must be above lower"),
        (#"{lognormal: {median: "400ms", p99: "40ms"}}"#, "m.json5:2:36: error: services[0].serviceTime.lognormal.p99: p99 must be above the median"),
        (#"{exponential: "0s"}"#, "m.json5:2:15: error: services[0].serviceTime.exponential: must be greater than 0s, found 0s"),
        (#"{gamma: {shape: 0, mean: "50ms"}}"#, "m.json5:2:17: error: services[0].serviceTime.gamma.shape: must be greater than 0, found 0"),
        (#"{erlang: {k: 0, mean: "1ms"}}"#, "m.json5:2:14: error: services[0].serviceTime.erlang.k: must be between 1 and 1000, found 0"),
        // Empirical tables.
        (#"{empirical: [[0, "1ms"], [50, "20ms"], [40, "30ms"], [100, "2s"]]}"#,
         "m.json5:2:13: error: services[0].serviceTime.empirical: percentiles must increase, found 40 after 50"),
        (#"{empirical: [[10, "1ms"], [100, "2s"]]}"#, "m.json5:2:13: error: services[0].serviceTime.empirical: the first percentile must be 0, found 10"),
        (#"{empirical: [[0, "1ms"], [99, "2s"]]}"#, "m.json5:2:13: error: services[0].serviceTime.empirical: the last percentile must be 100, found 99"),
        (#"{empirical: [[0, "2ms"], [100, "1ms"]]}"#, "m.json5:2:13: error: services[0].serviceTime.empirical: values must not decrease, found 0.001 after 0.002"),
        (#"{empirical: [[0, "1ms"]]}"#, "m.json5:2:13: error: services[0].serviceTime.empirical: a table needs at least two points, found 1"),
        (#"{empirical: [[0, "1ms"], [100]]}"#,
         #"m.json5:2:26: error: services[0].serviceTime.empirical[1]: expected a pair [percentile, duration] such as [99, "300ms"]"#),
        (#"{empirical: [[0, "1ms"], [150, "2ms"]]}"#, "m.json5:2:27: error: services[0].serviceTime.empirical[1][0]: must be between 0 and 100, found 150"),
        (#"{empirical: [[0, "1ms"], [100, 2]]}"#,
         #"m.json5:2:32: error: services[0].serviceTime.empirical[1][1]: expected a duration such as "5s", found the number 2 (add a unit: "2s")"#),
    ])
    func `a bad distribution is reported at the offending value`(text: String, expected: String) {
        #expect(modelErrors(Self.model(serviceTime: text)) == [expected])
    }

    @Test(arguments: [
        (#"{uniform: {lower: "-1ms", upper: 5}}"#, [
            #"m.json5:2:19: error: services[0].serviceTime.uniform.lower: durations cannot be negative, found "-1ms""#,
            #"m.json5:2:34: error: services[0].serviceTime.uniform.upper: expected a duration such as "5s", found the number 5 (add a unit: "5s")"#,
        ]),
        (#"{boundedPareto: {lower: "0s", upper: "1s", shape: -1}}"#, [
            "m.json5:2:25: error: services[0].serviceTime.boundedPareto.lower: must be greater than 0s, found 0s",
            "m.json5:2:51: error: services[0].serviceTime.boundedPareto.shape: must be greater than 0, found -1",
        ]),
        (#"{lognormal: {median: "0s", p99: 1}}"#, [
            "m.json5:2:22: error: services[0].serviceTime.lognormal.median: must be greater than 0s, found 0s",
            #"m.json5:2:33: error: services[0].serviceTime.lognormal.p99: expected a duration such as "5s", found the number 1 (add a unit: "1s")"#,
        ]),
        (#"{empirical: [[0, 1], 7, [-5, "1ms"], [100, "2s"]]}"#, [
            #"m.json5:2:18: error: services[0].serviceTime.empirical[0][1]: expected a duration such as "5s", found the number 1 (add a unit: "1s")"#,
            #"m.json5:2:22: error: services[0].serviceTime.empirical[1]: expected a pair [percentile, duration] such as [99, "300ms"]"#,
            "m.json5:2:26: error: services[0].serviceTime.empirical[2][0]: must be between 0 and 100, found -5",
        ]),
    ])
    func `every bad parameter of a law is reported, and none is called unknown`(text: String, expected: [String]) {
        #expect(modelErrors(Self.model(serviceTime: text)) == expected)
    }
}
