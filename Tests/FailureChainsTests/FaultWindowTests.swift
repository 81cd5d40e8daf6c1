import FailureChains
import SimulationKernel
import Testing

/// Faults whose windows overlap, abut or nest: together they act over the union of their windows.
struct FaultWindowTests {
    /// One service calling the endpoint `api` once a second, evenly spaced (at 1 s, 2 s, …), with
    /// 500 ms connect and read timeouts; the endpoint answers in `latency` seconds. The run ends
    /// 700 ms after the last call, when every call has ended.
    private func calls(faults: [FaultSpec], latency: Double = 0.01, readTimeout: Interval = .milliseconds(500),
                       lastCall: Int64 = 60) -> RunResult {
        var run = testRun(seconds: lastCall, interval: .seconds(10))
        run.duration = .seconds(lastCall) + .milliseconds(700)
        let model = SystemModel(
            name: "m", run: run,
            services: [ServiceSpec(name: "web", instances: 1,
                entryPoints: [EntryPointSpec(name: "main", threads: 100, queueCapacity: 100, steps: [.call(0)])],
                dependencies: [DependencySpec(name: "api", target: .endpoint(name: "api"), connectTimeout: .milliseconds(500),
                                              readTimeout: readTimeout)])],
            traffic: [TrafficSourceSpec(name: "t", target: "web", arrivals: .deterministic, rate: 1)],
            endpoints: [EndpointSpec(name: "api", latency: .constant(latency))],
            faults: faults)
        return simulate(model).result
    }

    private func window(_ kind: FaultSpec.Kind, from start: Int64, to end: Int64?) -> FaultSpec {
        FaultSpec(target: "api", start: .seconds(start), duration: end.map { .seconds($0 - start) }, kind: kind)
    }

    /// The endpoint's count of calls that ended the way a fault of this kind ends them.
    private func hurt(by kind: FaultSpec.Kind, in result: RunResult) throws -> Double {
        let metric = switch kind {
        case .refuse: "refused"
        case .hang, .blackhole: "timedOut"
        default: "failed"
        }
        return try #require(result.value(metric, of: "api"))
    }

    static let kinds: [FaultSpec.Kind] = [.error(afterLatency: false), .error(afterLatency: true), .refuse, .hang, .blackhole]

    @Test(arguments: kinds)
    func `one window fails the calls that start inside it`(kind: FaultSpec.Kind) throws {
        let result = calls(faults: [window(kind, from: 10, to: 30)])
        #expect(try hurt(by: kind, in: result) == 20)
    }

    @Test(arguments: kinds)
    func `two overlapping windows fail the calls of their union`(kind: FaultSpec.Kind) throws {
        let result = calls(faults: [window(kind, from: 10, to: 30), window(kind, from: 20, to: 40)])
        #expect(try hurt(by: kind, in: result) == 30)
    }

    @Test(arguments: kinds)
    func `two abutting windows fail the calls of both`(kind: FaultSpec.Kind) throws {
        let result = calls(faults: [window(kind, from: 10, to: 30), window(kind, from: 30, to: 50)])
        #expect(try hurt(by: kind, in: result) == 40)
    }

    @Test(arguments: kinds)
    func `a window nested in another ends without ending the outer one`(kind: FaultSpec.Kind) throws {
        let result = calls(faults: [window(kind, from: 10, to: 40), window(kind, from: 20, to: 30)])
        #expect(try hurt(by: kind, in: result) == 30)
    }

    @Test(arguments: kinds)
    func `a bounded window inside an endless one leaves the endless one on`(kind: FaultSpec.Kind) throws {
        let result = calls(faults: [window(kind, from: 10, to: nil), window(kind, from: 20, to: 30)], lastCall: 50)
        // The calls at 10 s to 50 s.
        #expect(try hurt(by: kind, in: result) == 41)
    }

    @Test func `two identical windows fail the calls of one`() throws {
        let result = calls(faults: [window(.refuse, from: 10, to: 30), window(.refuse, from: 10, to: 30)])
        #expect(try #require(result.value("refused", of: "api")) == 20)
    }

    @Test func `overlapping slow factors multiply`() throws {
        // 10 ms answers; ×30 over [10 s, 30 s) and ×2 over [20 s, 40 s): 300 ms, then 600 ms, then 20 ms.
        let faults = [window(.slow(factor: 30), from: 10, to: 30), window(.slow(factor: 2), from: 20, to: 40)]
        // Only the overlap is slower than 500 ms.
        #expect(try #require(calls(faults: faults).value("timedOut", of: "api")) == 10)
        // Every call of the union is slower than 15 ms.
        let union = calls(faults: faults, readTimeout: .milliseconds(15))
        #expect(try #require(union.value("timedOut", of: "api")) == 30)
    }

    @Test func `a nested slow fault ends without ending the outer one`() throws {
        let faults = [window(.slow(factor: 30), from: 10, to: 40), window(.slow(factor: 2), from: 20, to: 30)]
        #expect(try #require(calls(faults: faults, readTimeout: .milliseconds(250)).value("timedOut", of: "api")) == 30)
    }

    @Test func `the latency override that started last applies while it lasts`() throws {
        // 300 ms over [10 s, 40 s), 600 ms over [20 s, 30 s): the outer one applies again after 30 s.
        let faults = [window(.latency(.constant(0.3)), from: 10, to: 40), window(.latency(.constant(0.6)), from: 20, to: 30)]
        #expect(try #require(calls(faults: faults).value("timedOut", of: "api")) == 10)
        #expect(try #require(calls(faults: faults, readTimeout: .milliseconds(250)).value("timedOut", of: "api")) == 30)
    }

    @Test func `a slow fault scales the latency override in effect`() throws {
        let faults = [window(.latency(.constant(0.3)), from: 10, to: 30), window(.slow(factor: 2), from: 20, to: 40)]
        // 300 ms, then 600 ms, then 20 ms.
        #expect(try #require(calls(faults: faults).value("timedOut", of: "api")) == 10)
    }

    @Test func `the error fault that started last decides whether errors wait for the latency`() throws {
        // Answers take 1 s, longer than the 500 ms read timeout: an error at once fails the call, an
        // error after the latency times it out. At once over [10 s, 40 s); after the latency over [20 s, 30 s).
        let faults = [window(.error(afterLatency: false), from: 10, to: 40), window(.error(afterLatency: true), from: 20, to: 30)]
        let result = calls(faults: faults, latency: 1)
        #expect(try #require(result.value("failed", of: "api")) == 20)
        let offered = try #require(result.value("calls", of: "api"))
        #expect(try #require(result.value("timedOut", of: "api")) == offered - 20)
    }

    @Test func `overlapping leaks on a service and on one of its instances add up`() {
        let heap = HeapSpec(size: 1 << 40, baseline: 0, sessionSize: 0, sessionTimeout: .seconds(60))
        let model = SystemModel(
            name: "m", run: testRun(seconds: 40, interval: .seconds(1)),
            services: [ServiceSpec(name: "web", instances: 2,
                entryPoints: [EntryPointSpec(name: "main", threads: 2, queueCapacity: 5, steps: [.cpu(.constant(0.001))])], heap: heap)],
            traffic: [TrafficSourceSpec(name: "t", target: "web", rate: 1)],
            faults: [FaultSpec(target: "web", start: .zero, duration: .seconds(20), kind: .leak(perRequest: 0, perSecond: 1_000_000)),
                     FaultSpec(target: "web[1]", start: .seconds(10), duration: .seconds(20), kind: .leak(perRequest: 0, perSecond: 1_000_000))])
        let (_, sink) = simulate(model)
        let heapUsed = sink.series("web[1]", "heapUsed").map(\.value)
        let growth = zip(heapUsed.dropFirst(), heapUsed).map { $0 - $1 }
        // Interval k holds the heap at the end of second k + 1; growth[k] is second k + 2.
        #expect(Array(growth[2...7]).allSatisfy { $0 == 1_000_000 }, "\(growth)")
        #expect(Array(growth[10...17]).allSatisfy { $0 == 2_000_000 }, "\(growth)")
        #expect(Array(growth[20...27]).allSatisfy { $0 == 1_000_000 }, "\(growth)")
        #expect(Array(growth[30...]).allSatisfy { $0 == 0 }, "\(growth)")
    }

    @Test func `overlapping spikes on one source multiply`() throws {
        func offered(_ spikes: [(factor: Double, from: Int64, to: Int64)]) -> [Double] {
            let model = SystemModel(
                name: "m", run: testRun(seconds: 60, interval: .seconds(10)),
                services: [ServiceSpec(name: "web", instances: 1,
                    entryPoints: [EntryPointSpec(name: "main", threads: 100, queueCapacity: 100, steps: [.cpu(.constant(0.001))])])],
                traffic: [TrafficSourceSpec(name: "t", target: "web", arrivals: .deterministic, rate: 1)],
                faults: spikes.map { FaultSpec(target: "t", start: .seconds($0.from), duration: .seconds($0.to - $0.from), kind: .spike(factor: $0.factor)) })
            return simulate(model).sink.series("t", "offered").map(\.value)
        }
        let both = offered([(2, 10, 30), (3, 20, 40)])
        #expect(both.count == 6)
        // The same rates written as abutting windows: 2/s, then 6/s, then 3/s.
        #expect(both == offered([(2, 10, 20), (6, 20, 30), (3, 30, 40)]))
        #expect(both != offered([(2, 10, 20), (3, 20, 30), (3, 30, 40)]))
        // A deterministic source restarts its spacing at each change of rate, so an interval that
        // begins with one lacks the arrival due at its first instant.
        let expected: [Double] = [10, 20, 60, 30, 10, 10]
        #expect(zip(both, expected).allSatisfy { abs($0 - $1) <= 1 }, "\(both)")
    }
}
