import FailureChains
import ModelFormat
import SimulationKernel
import Testing

/// The limits that keep a validated model within what the engine can add, multiply and
/// represent: sizes, rates (spikes included), faults, mix weights, series intervals and the
/// autoscaler's interval. Each is refused where it is written, with the limit in the message.
struct EngineLimitTests {
    static let service = #"services: [{name: "web", threads: 1, serviceTime: "1ms"}]"#

    static func heapModel(_ heap: String, faults: String = "") -> String {
        #"{faultline: 1, name: "m", services: [{name: "web", heap: {\#(heap)}, threads: 1, serviceTime: "1ms"}]\#(faults)}"#
    }

    @Test func `sizes above 16TiB are refused where they are written, however they are spelled`() {
        #expect(modelErrors(Self.heapModel(#"size: "9000000TB", sessionSize: "5000000TB""#)) == [
            #"m.json5:1:65: error: services[0].heap.size: size is too large, found "9000000TB"; the largest is 16TiB"#,
            #"m.json5:1:91: error: services[0].heap.sessionSize: size is too large, found "5000000TB"; the largest is 16TiB"#,
        ])
        #expect(modelErrors(Self.heapModel(#"size: "17592186044417B""#)) == [
            #"m.json5:1:65: error: services[0].heap.size: size is too large, found "17592186044417B"; the largest is 16TiB"#,
        ])
        // Past 2⁶³ − 1 the parser's own message says the same and names the limit too.
        #expect(modelErrors(Self.heapModel(#"size: "9223372036854775808B""#)) == [
            #"m.json5:1:65: error: services[0].heap.size: size is too large, found "9223372036854775808B"; the largest is 16TiB"#,
        ])
        let leak = #", faults: [{at: "1s", target: "web", kind: "leak", perRequest: "9223372036854775807B", perSecond: "17TiB"}]"#
        #expect(modelErrors(Self.heapModel(#"size: "1GB""#, faults: leak)) == [
            #"m.json5:1:168: error: faults[0].perRequest: size is too large, found "9223372036854775807B"; the largest is 16TiB"#,
            #"m.json5:1:203: error: faults[0].perSecond: size is too large, found "17TiB"; the largest is 16TiB"#,
        ])
    }

    @Test func `sizes of exactly 16TiB load`() throws {
        let leak = #", faults: [{at: "1s", target: "web", kind: "leak", perRequest: "16TiB", perSecond: "17592186044416B"}]"#
        let model = try loadModel(Self.heapModel(#"size: "16TiB", baseline: "17592186044415B", sessionSize: "16TiB""#, faults: leak))
        #expect(model.services[0].heap?.size == ModelLimits.largestSize)
        #expect(model.faults[0].kind == .leak(perRequest: 1 << 44, perSecond: 1 << 44))
    }

    static func trafficModel(_ traffic: String, faults: String = "") -> String {
        #"{faultline: 1, name: "m", \#(service), traffic: [{name: "t", target: "web", \#(traffic)}]\#(faults)}"#
    }

    @Test func `rates above one a nanosecond are refused in rates, profiles and daily curves`() {
        #expect(modelErrors(Self.trafficModel(#"rate: "1000000000/ns""#)) == [
            #"m.json5:1:129: error: traffic[0].rate: rate is too high, found "1000000000/ns"; the highest is 1/ns (1000000000/s)"#,
        ])
        #expect(modelErrors(Self.trafficModel(#"profile: [{at: "0s", rate: "1/ns"}, {at: "1s", rate: "1000000001/s"}]"#)) == [
            #"m.json5:1:176: error: traffic[0].profile[1].rate: rate is too high, found "1000000001/s"; the highest is 1/ns (1000000000/s)"#,
        ])
        #expect(modelErrors(Self.trafficModel(#"daily: {trough: "1/s", peak: "2/ns", peakAt: "12h"}"#)) == [
            #"m.json5:1:152: error: traffic[0].daily.peak: rate is too high, found "2/ns"; the highest is 1/ns (1000000000/s)"#,
        ])
    }

    @Test func `spikes that take a source above one a nanosecond are refused at the first spike acting then`() {
        let spikes = #", faults: [{at: "1s", duration: "5s", target: "t", kind: "spike", factor: 1.5}, "#
            + #"{at: "2s", duration: "1s", target: "t", kind: "spike", factor: 2}]"#
        #expect(modelErrors(Self.trafficModel(#"rate: "600000000/s""#, faults: spikes)) == [
            #"m.json5:1:218: error: faults[0].factor: spikes take traffic 't' to 1800000000/s at 2s; the highest rate is 1/ns (1000000000/s)"#,
        ])
        // Either spike alone stays within the limit.
        let one = #", faults: [{at: "2s", duration: "1s", target: "t", kind: "spike", factor: 1.6}]"#
        #expect(modelErrors(Self.trafficModel(#"rate: "600000000/s""#, faults: one)) == [])
        // Factors whose product is not even finite are refused too.
        let huge = #", faults: [{at: "2s", target: "t", kind: "spike", factor: 1e300}, {at: "3s", target: "t", kind: "spike", factor: 1e300}]"#
        #expect(modelErrors(Self.trafficModel(#"rate: "0/s""#, faults: huge)) == [
            #"m.json5:1:194: error: faults[0].factor: spikes take traffic 't' to an infinite rate at 3s; the highest rate is 1/ns (1000000000/s)"#,
        ])
    }

    @Test func `an autoscaler may decide at most once a second`() {
        let text = #"{faultline: 1, name: "m", services: [{name: "web", threads: 1, serviceTime: "1ms", "#
            + #"autoscaler: {targetUtilisation: "50%", maximumInstances: 4, interval: "999ms"}}]}"#
        #expect(modelErrors(text) == [
            #"m.json5:1:154: error: services[0].autoscaler.interval: must be at least 1s, found 999ms"#,
        ])
        #expect(modelErrors(text.replacingOccurrences(of: "999ms", with: "1s")) == [])
    }

    @Test func `a mix weight may be at most a million million`() {
        let text = #"{faultline: 1, name: "m", services: [{name: "web", entryPoints: [{name: "main", threads: 1, steps: "#
            + #"[{choose: [{weight: 1e308, steps: []}, {weight: 1e12, steps: []}]}]}]}]}"#
        #expect(modelErrors(text) == [
            #"m.json5:1:120: error: services[0].entryPoints[0].steps[0].choose[0].weight: must be greater than 0 and at most 1000000000000, found 1e308"#,
        ])
    }

    @Test func `a model may have at most ten thousand faults`() {
        let fault = #"{at: "1s", target: "web", kind: "crash"}"#
        func model(faults count: Int) -> String {
            #"{faultline: 1, name: "m", \#(Self.service), faults: ["# + Array(repeating: fault, count: count).joined(separator: ",") + "]}"
        }
        #expect(modelErrors(model(faults: ModelLimits.faults)) == [])
        #expect(modelErrors(model(faults: ModelLimits.faults + 1)) == [
            "m.json5:1:94: error: faults: a model may have at most 10000 faults, found 10001",
        ])
    }

    @Test func `the series interval limit is the one constant the run options check too`() {
        let text = #"{faultline: 1, name: "m", run: {duration: "10s", interval: "999ns"}, \#(Self.service)}"#
        #expect(modelErrors(text) == [
            "m.json5:1:60: error: run.interval: gives more than 10000000 series intervals over run.duration; use a longer interval",
        ])
        #expect(modelErrors(text.replacingOccurrences(of: "999ns", with: "1us")) == [])
        #expect(ModelLimits.seriesIntervals == 10_000_000)
    }
}
