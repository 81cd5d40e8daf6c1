import FailureChains
import SimulationKernel
import Testing

/// Faults aimed at a service's own work (`slow`, `error`, `hang` on `web` or `web[1]`), run through
/// the engine: they act on the CPU steps that start while they are in effect.
struct WorkFaultTests {
    /// Two instances of `web`, ten threads each, whose requests do one CPU step of 10 ms (or of an
    /// exponential 10 ms), fed 10 requests a second evenly (or as a Poisson stream), for 60 s and
    /// 50 ms, so that the request sent last, at 60 s, has ended too.
    private func model(faults: [FaultSpec], exponential: Bool = false, seconds: Int64 = 60) -> SystemModel {
        let time: Distribution = exponential ? .exponential(mean: 0.01) : .constant(0.01)
        var run = testRun(seconds: seconds)
        run.duration = .seconds(seconds) + .milliseconds(50)
        return SystemModel(
            name: "m", run: run,
            services: [ServiceSpec(name: "web", instances: 2, threads: 10, queueCapacity: 100, serviceTime: time)],
            traffic: [TrafficSourceSpec(name: "t", target: "web", arrivals: exponential ? .poisson : .deterministic, rate: 10)],
            faults: faults)
    }

    private func fault(_ kind: FaultSpec.Kind, on target: String = "web", from start: Int64 = 10, for duration: Int64? = 20,
                       probability: Double = 1) -> FaultSpec {
        var fault = FaultSpec(target: target, start: .seconds(start), duration: duration.map { .seconds($0) }, kind: kind)
        fault.probability = probability
        return fault
    }

    /// The rows of a series whose interval starts in [from, to).
    private func rows(_ sink: RecordingSink, _ component: String, _ metric: String, from: Double, to: Double) -> [(time: Double, value: Double)] {
        sink.series(component, metric).filter { $0.time >= from && $0.time < to }
    }

    // MARK: slow

    @Test func `a slow fault on a service makes its CPU work take factor times as long while it lasts`() {
        let (_, sink) = simulate(model(faults: [fault(.slow(factor: 5))]))
        #expect(rows(sink, "web", "latencyMean", from: 11, to: 30).everyRow { abs($0.value - 0.05) < 1e-9 })
        #expect(rows(sink, "web", "latencyMean", from: 0, to: 10).everyRow { abs($0.value - 0.01) < 1e-9 })
        #expect(rows(sink, "web", "latencyMean", from: 31, to: 60).everyRow { abs($0.value - 0.01) < 1e-9 })
        #expect(sink.count(of: "faultStarted", in: "web") == 1)
        #expect(sink.count(of: "faultEnded", in: "web") == 1)
    }

    @Test func `a slow fault on one instance leaves the other instances' work alone`() {
        let (_, sink) = simulate(model(faults: [fault(.slow(factor: 5), on: "web[1]")]))
        #expect(rows(sink, "web[1]", "latencyMean", from: 11, to: 30).everyRow { abs($0.value - 0.05) < 1e-9 })
        #expect(rows(sink, "web[0]", "latencyMean", from: 0, to: 60).everyRow { abs($0.value - 0.01) < 1e-9 })
    }

    @Test func `overlapping slow faults on a service multiply, and one ending leaves the other`() {
        let (_, sink) = simulate(model(faults: [fault(.slow(factor: 3), from: 10, for: 20), fault(.slow(factor: 2), from: 20, for: 20)]))
        #expect(rows(sink, "web", "latencyMean", from: 11, to: 20).everyRow { abs($0.value - 0.03) < 1e-9 })
        #expect(rows(sink, "web", "latencyMean", from: 21, to: 30).everyRow { abs($0.value - 0.06) < 1e-9 })
        #expect(rows(sink, "web", "latencyMean", from: 31, to: 40).everyRow { abs($0.value - 0.02) < 1e-9 })
    }

    // MARK: error

    @Test func `an error fault on an instance fails every CPU step there while it lasts`() throws {
        let (result, _) = simulate(model(faults: [fault(.error(afterLatency: false), on: "web[1]")]))
        // web[1] gets every other request, 5 a second: 100 in the 20 s window.
        #expect(try #require(result.value("failed", of: "web[1]")) == 100)
        #expect(try #require(result.value("failed", of: "web[0]")) == 0)
        #expect(try #require(result.value("goodput", of: "web[1]")) == #require(result.value("offered", of: "web[1]")) - 100)
    }

    @Test func `a step that fails at once answers at once, one that fails after its work after its time`() {
        let (_, atOnce) = simulate(model(faults: [fault(.error(afterLatency: false), on: "web[1]")]))
        #expect(rows(atOnce, "web[1]", "latencyMean", from: 11, to: 30).everyRow { $0.value == 0 })
        let (_, afterWork) = simulate(model(faults: [fault(.error(afterLatency: true), on: "web[1]")]))
        #expect(rows(afterWork, "web[1]", "latencyMean", from: 11, to: 30).everyRow { abs($0.value - 0.01) < 1e-9 })
        #expect(rows(afterWork, "web[1]", "failed", from: 11, to: 30).everyRow { $0.value == 5 })
    }

    @Test func `an error fault with a probability fails that share of steps and shifts no other draw`() throws {
        let clean = simulate(model(faults: [], exponential: true, seconds: 200)).result
        let faulty = simulate(model(faults: [fault(.error(afterLatency: true), from: 0, for: nil, probability: 0.3)],
                                    exponential: true, seconds: 200)).result
        // Steps that fail after their work hold their threads as long as before: with the same
        // draws of arrivals and service times, every latency is the same, bit for bit.
        #expect(faulty.value("completed", of: "web") == clean.value("completed", of: "web"))
        #expect(faulty.value("latencyMean", of: "web") == clean.value("latencyMean", of: "web"))
        let completed = try #require(faulty.value("completed", of: "web"))
        let failed = try #require(faulty.value("failed", of: "web"))
        // 2,000 steps: the share is 0.3 within four standard deviations (0.041).
        #expect(abs(failed / completed - 0.3) < 0.041, "\(failed) of \(completed) failed")
        #expect(clean.value("failed", of: "web") == 0)
    }

    // MARK: hang

    @Test func `a hang holds the steps that start in it until it ends, then they take their time`() throws {
        let (result, sink) = simulate(model(faults: [fault(.hang, from: 10, for: 5)]))
        // Nothing completes from 10 s to 15 s; at 15 s the held steps start their 10 ms.
        #expect(rows(sink, "web", "completed", from: 10, to: 15).everyRow { $0.value == 0 })
        #expect(rows(sink, "web", "completed", from: 1, to: 10).everyRow { $0.value == 10 })
        // 50 requests arrived in the hang: 20 held threads, 30 queued; all are served after it.
        #expect(rows(sink, "web", "completed", from: 15, to: 16).map(\.value) == [50 + 10])
        #expect(try #require(result.value("completed", of: "web")) == #require(result.value("offered", of: "web")))
        #expect(try #require(result.value("latencyMax", of: "web")) >= 5)
        let exhausted = sink.events("threadsExhausted", of: "web")
        #expect(!exhausted.isEmpty && exhausted.allSatisfy { $0.cause == "faultStarted hang on web" })
    }

    @Test func `overlapping hangs hold steps until the later one ends`() {
        let (_, sink) = simulate(model(faults: [fault(.hang, from: 10, for: 5), fault(.hang, from: 12, for: 8)]))
        #expect(rows(sink, "web", "completed", from: 10, to: 20).everyRow { $0.value == 0 })
        #expect(rows(sink, "web", "completed", from: 20, to: 21).first.map { $0.value > 10 } == true)
    }

    @Test func `a hang without an end holds every thread of its instance for the rest of the run`() throws {
        let (result, sink) = simulate(model(faults: [fault(.hang, on: "web[0]", from: 10, for: nil)]))
        #expect(rows(sink, "web[0]", "threadsBusy", from: 12, to: 60).everyRow { $0.value == 10 })
        #expect(rows(sink, "web[1]", "completed", from: 12, to: 60).everyRow { $0.value == 5 })
        // web[0]'s queue of 100 fills, then it refuses.
        #expect(try #require(result.value("refused", of: "web[0]")) > 0)
    }
}
