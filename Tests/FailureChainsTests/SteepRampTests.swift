import FailureChains
import SimulationKernel
import Testing

/// A ramp whose rate ends far above where it starts: thinning against the ramp's peak drew a
/// candidate per nanosecond for a handful of arrivals (found by the extreme-value fuzzer, a
/// ramp to 10⁹/s over 3h35m: 46 s for 50,000 events). Arrivals are now drawn on short windows.
struct SteepRampTests {
    static func model(seconds: Int64, to peak: Double, over span: Interval) -> SystemModel {
        let profile = RateProfile(points: [.init(time: .zero, rate: 0), .init(time: span, rate: peak, shape: .ramp)])
        return SystemModel(
            name: "m", run: testRun(seconds: seconds),
            services: [ServiceSpec(name: "web", instances: 1, threads: 100_000, queueCapacity: nil, serviceTime: .constant(0))],
            traffic: [TrafficSourceSpec(name: "t", target: "web", profile: profile)])
    }

    @Test func `a ramp from nothing to a billion a second brings as many arrivals as its rate integrates to, quickly`() {
        // ∫₀¹ 10⁹ · t / 12,900 dt = 38,759.7 arrivals in the first second, σ ≈ 197. Thinning at
        // the peak took 10 s here, and its candidates a nanosecond apart, rounded to whole
        // nanoseconds, came 4% too dense (40,132).
        let clock = ContinuousClock()
        var offered = 0.0
        let elapsed = clock.measure {
            let (result, _) = simulate(Self.model(seconds: 1, to: 1e9, over: .seconds(12_900)))
            offered = result.value("offered", of: "web") ?? 0
        }
        #expect(abs(offered - 38_759.7) < 5 * 197, "offered \(offered)")
        #expect(elapsed < .seconds(3), "\(elapsed)")
    }

    @Test func `arrivals on a steep ramp down follow its rate`() {
        // From 10⁵/s down to 0 over 100 s (steep: thinning would reject 5 million candidates):
        // 10⁵ · (t − t²/200) arrivals by t, 198,000 in the first 2 s, σ ≈ 445.
        let profile = RateProfile(points: [.init(time: .zero, rate: 1e5), .init(time: .seconds(100), rate: 0, shape: .ramp)])
        let model = SystemModel(
            name: "m", run: testRun(seconds: 2),
            services: [ServiceSpec(name: "web", instances: 1, threads: 100_000, queueCapacity: nil, serviceTime: .constant(0))],
            traffic: [TrafficSourceSpec(name: "t", target: "web", profile: profile)])
        let (result, _) = simulate(model)
        let offered = result.value("offered", of: "web") ?? 0
        #expect(abs(offered - 198_000) < 5 * 445, "offered \(offered)")
    }
}
