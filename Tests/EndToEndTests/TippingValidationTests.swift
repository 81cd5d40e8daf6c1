import Experiments
import Foundation
import Testing

/// `faultline tipping` against first principles: where an M/M/c server behind a client with
/// timeouts and immediate retries tips, as a fluid model of this engine predicts it.
///
/// The model (`Theory/mmc-retry.json5`): c = 5 threads of exponential service, mean 1/μ = 10 ms,
/// so the capacity is C = cμ = 500/s, one FIFO queue without bound; a client service calls it
/// with `readTimeout` τ = 1 s and `retry: { maximumAttempts: k = 4 }`, no backoff; Poisson
/// traffic at λ; the trigger is a `spike` of factor F = 1.6 lasting D.
///
/// What the engine does (docs/model.md, `ChainSimulation+Calls.swift`): an attempt's read
/// timeout runs from the call's start, so it covers the wait in the server's queue and the
/// service; when it fires the attempt is retried at once and joins the queue's tail, while the
/// server still serves the abandoned attempt in its turn (wasted work, `wasted` in the series).
///
/// The fluid model: an attempt arriving at backlog Q waits Q/C and is served in 1/μ, so it times
/// out when Q exceeds Q* = C(τ − 1/μ).
/// 1. Before the spike ρ = λ/C < 1 and Q ≈ 0; during it Q grows at g = Fλ − C, and reaches Q*
///    after T₀ = Q*/g. A spike shorter than T₀ times nothing out, and the backlog then drains at
///    d = C − λ: the system recovers.
/// 2. A spike lasting δ longer times out the Fλδ attempts of [T₀, T₀ + δ); they come back τ later,
///    over [T₀ + τ, T₀ + τ + δ). Meanwhile the backlog, Q* + gδ when the spike ends, drains at d for
///    τ − δ, then grows at Fλ + λ − C while the retries arrive. If it reaches Q* again before they
///    end, the attempts arriving then time out in turn, every attempt now waits longer than τ and
///    is tried k times, and the offered kλ > C keeps the backlog growing: stuck. That happens when
///    Q* + gδ − d(τ − δ) + (Fλ + λ − C)δ ≥ Q*, that is δ ≥ dτ / (2Fλ − C) (which is below τ).
/// 3. So the spike that tips the system lasts D* = C(τ − 1/μ)/(Fλ − C) + (C − λ)τ/(2Fλ − C),
///    for C/F < λ < C (the spike must overload the server) and kλ > C (the retries must).
/// Without retries (k = 1) the backlog of any spike drains at d: no spike in the range tips it.
///
/// A numerical solution of the same fluid model with the delay (Euler steps of 1 ms over a
/// retry buffer) gives D* within 0.06 s of the formula at these loads. Noise only spreads the
/// probability of tipping around D*: the backlog when the spike ends is a difference of Poisson
/// counts, about symmetric, so its median, where the probability is one half, is the fluid value.
struct TippingValidationTests {
    static let model = TestFiles.beside("Theory/mmc-retry.json5")
    static let capacity = 500.0, timeout = 1.0, service = 0.01, factor = 1.6

    /// D* of the derivation above, in seconds.
    static func fluidThreshold(load lambda: Double) -> Double {
        let growth = factor * lambda - capacity
        return capacity * (timeout - service) / growth + (capacity - lambda) * timeout / (2 * factor * lambda - capacity)
    }

    static func map(loads: String, points: Int, constants: [String] = []) throws -> [TippingLoad] {
        let load = try TippingRange("traffic.users.rate=\(loads)")
        let trigger = try TippingRange("faults[0].duration=1s..20s")
        let setup = TippingSetup(file: model, constants: constants, load: load, trigger: trigger,
                                 criterion: try RecoveryCriterion("users.successRatio@+15s..+30s:mean>0.9"),
                                 watch: [], seed: nil, replications: 20, level: 0.95)
        let settings = TippingSearch.Settings(replications: 20, maximumReplications: 80, precision: 0.05, level: 0.95)
        let levels = (0..<points).map { load.value(at: Double($0) / Double(points - 1)) }
        return try TippingStudy.run(levels.map { TippingLoad(value: $0, search: TippingSearch(range: trigger, settings: settings)) },
                                    jobs: WorkPool.availableCores) { index, value in try setup.probe(load: levels[index], trigger: value) }
    }

    @Test func `the threshold lies within its interval of the fluid prediction at three loads, and falls as the load rises`() throws {
        let loads = try Self.map(loads: "350/s..450/s", points: 3)
        var estimates: [Double] = []
        for entry in loads {
            let result = entry.search.result
            let predicted = Self.fluidThreshold(load: entry.value)
            #expect(result.status == .threshold, "at \(entry.value)/s")
            let low = try #require(result.low), high = try #require(result.high), estimate = try #require(result.estimate)
            #expect(low <= predicted && predicted <= high, "at \(entry.value)/s: predicted \(predicted) s, interval \(low)..\(high) s")
            // The interval is no wider than the spread of tipping makes it: a wrong engine or
            // derivation would not hide in it.
            #expect(high - low <= 0.4 * predicted, "at \(entry.value)/s: interval \(low)..\(high) s")
            #expect(abs(estimate - predicted) <= 0.1 * predicted, "at \(entry.value)/s: estimate \(estimate) s, predicted \(predicted) s")
            estimates.append(estimate)
        }
        #expect(zip(estimates, estimates.dropFirst()).allSatisfy { $0 > $1 }, "the boundary is not monotone in load: \(estimates)")
    }

    @Test func `without retries no spike in the range tips the system, however long, and its slow drains are told apart`() throws {
        let loads = try Self.map(loads: "350/s..450/s", points: 3,
                                 constants: ["services.client.dependencies.server.retry.maximumAttempts=1"])
        for entry in loads {
            #expect(entry.search.result.status == .recovers, "at \(entry.value)/s")
            #expect(entry.search.probes.allSatisfy { $0.count(.metastable) == 0 }, "at \(entry.value)/s")
        }
        // A spike of 20 s at 450/s leaves 20 s × 220/s of backlog, 88 s to drain at 50/s: still
        // draining in the window, not stuck.
        let longest = try #require(loads.last?.search.probes.last)
        #expect(longest.count(.draining) > 0)
    }

    @Test func `a run whose backlog grows until the simulator's limit stops it is metastable, not an error`() throws {
        let loads = try Self.map(loads: "400/s..401/s", points: 2, constants: ["run.maximumLiveRequests=20000"])
        let result = try #require(loads.first?.search.result)
        #expect(result.status == .threshold)
        let low = try #require(result.low), high = try #require(result.high)
        let predicted = Self.fluidThreshold(load: 400)
        #expect(low <= predicted && predicted <= high, "predicted \(predicted) s, interval \(low)..\(high) s")
    }
}
