import FailureChains
import SimulationKernel
import Testing

/// An instance's own CPU work alone: how long a step takes, by what stretches it, on a fake clock.
struct ServiceWorkTests {
    static func service(warmupSlowdown: Double = 1) -> ServiceSpec {
        var spec = ServiceSpec(name: "web", instances: 1, threads: 4, queueCapacity: nil, serviceTime: .constant(0.01))
        spec.lifecycle.warmupSlowdown = warmupSlowdown
        return spec
    }

    @Test func `work on an instance with nothing slowing it takes its base time`() {
        let work = ServiceWork(name: "web[0]", spec: Self.service(), seed: 1)
        #expect(work.stretch(gcShare: 0, warmUntil: 0, at: 5_000_000_000) == 1)
    }

    @Test func `garbage collection taking a share of the CPU stretches work by one over what is left`() {
        let work = ServiceWork(name: "web[0]", spec: Self.service(), seed: 1)
        #expect(work.stretch(gcShare: 0.75, warmUntil: 0, at: 0) == 4)
    }

    @Test func `warm-up slows work until its end and not from then on`() {
        let work = ServiceWork(name: "web[0]", spec: Self.service(warmupSlowdown: 3), seed: 1)
        #expect(work.stretch(gcShare: 0, warmUntil: 2_000, at: 1_999) == 3)
        #expect(work.stretch(gcShare: 0, warmUntil: 2_000, at: 2_000) == 1)
        #expect(work.stretch(gcShare: 0.5, warmUntil: 2_000, at: 0) == 6)
    }

    @Test func `the base times come from the instance's serviceTime stream`() {
        var work = ServiceWork(name: "web[0]", spec: Self.service(), seed: 7)
        var expected = RandomStream(seed: 7, component: "web[0]", purpose: "serviceTime")
        #expect(work.stream.nextUnit() == expected.nextUnit())
    }
}
