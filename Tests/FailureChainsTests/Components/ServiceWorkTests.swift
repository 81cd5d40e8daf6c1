import FailureChains
import SimulationKernel
import Testing

/// An instance's own CPU work alone: how long a step takes, by what stretches it, on a fake clock.
struct ServiceWorkTests {
    static func service(warmupSlowdown: Double = 1, scalability: ScalabilitySpec? = nil) -> ServiceSpec {
        var spec = ServiceSpec(name: "web", instances: 1, threads: 4, queueCapacity: nil, serviceTime: .constant(0.01))
        spec.lifecycle.warmupSlowdown = warmupSlowdown
        spec.scalability = scalability
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

    // MARK: Load-dependent work

    @Test func `work without a scalability law does not depend on the busy threads`() {
        let work = ServiceWork(name: "web[0]", spec: Self.service(), seed: 1)
        #expect(!work.isLoadDependent)
        #expect(work.stretch(gcShare: 0, warmUntil: 0, busyThreads: 500, at: 0) == 1)
    }

    @Test(arguments: [Int32(1), 2, 10, 1_000])
    func `a law with no contention and no coherency never slows work`(busy: Int32) {
        let work = ServiceWork(name: "web[0]", spec: Self.service(scalability: ScalabilitySpec()), seed: 1)
        #expect(work.isLoadDependent)
        #expect(work.stretch(gcShare: 0, warmUntil: 0, busyThreads: busy, at: 0) == 1)
    }

    @Test(arguments: [
        // 1 + σ(N − 1) + κN(N − 1)
        (1, 1.0), (2, 1.12), (10, 2.8), (30, 1 + 2.9 + 8.7),
    ] as [(Int32, Double)])
    func `busy threads stretch work by the universal scalability law`(busy: Int32, expected: Double) {
        let work = ServiceWork(name: "web[0]", spec: Self.service(scalability: ScalabilitySpec(contention: 0.1, coherency: 0.01)), seed: 1)
        #expect(abs(work.stretch(gcShare: 0, warmUntil: 0, busyThreads: busy, at: 0) - expected) < 1e-12)
    }

    @Test func `the law's slowdown compounds with garbage collection and warm-up`() {
        let work = ServiceWork(name: "web[0]", spec: Self.service(warmupSlowdown: 2, scalability: ScalabilitySpec(contention: 0.5)), seed: 1)
        // GC half the CPU: × 2; warming up: × 2; three busy threads at σ = 0.5: × 2.
        #expect(work.stretch(gcShare: 0.5, warmUntil: 10, busyThreads: 3, at: 0) == 8)
    }

    @Test func `throughput peaks at the root of one minus contention over coherency`() throws {
        let law = ScalabilitySpec(contention: 0.05, coherency: 0.001)
        let peak = try #require(law.peakConcurrency)
        #expect(abs(peak - 950.0.squareRoot()) < 1e-12)
        let best = (1...100).max { law.throughput(busyThreads: Int32($0)) < law.throughput(busyThreads: Int32($1)) }
        #expect(best == 31)  // between 30 and 31, nearer 31
        #expect(ScalabilitySpec(contention: 0.05).peakConcurrency == nil)
    }

    // MARK: Faults on the work

    static func fault(_ kind: FaultSpec.Kind, probability: Double = 1) -> FaultSpec {
        var fault = FaultSpec(target: "web", start: .zero, kind: kind)
        fault.probability = probability
        return fault
    }

    @Test func `slow faults multiply the stretch, and one ending leaves the other`() {
        var work = ServiceWork(name: "web[0]", spec: Self.service(), seed: 1)
        work.startFault(0, Self.fault(.slow(factor: 3)))
        work.startFault(1, Self.fault(.slow(factor: 2)))
        #expect(work.stretch(gcShare: 0.5, warmUntil: 0, at: 0) == 12)
        #expect(work.endFault(0).isEmpty)
        #expect(work.stretch(gcShare: 0, warmUntil: 0, at: 0) == 2)
        #expect(work.fate() == .runs)
        #expect(!work.isDisturbed)
    }

    @Test func `a step that starts during a hang is held until the last hang ends`() {
        var work = ServiceWork(name: "web[0]", spec: Self.service(), seed: 1)
        work.startFault(4, Self.fault(.hang))
        work.startFault(5, Self.fault(.hang))
        #expect(work.isDisturbed)
        #expect(work.fate() == .hangs)
        let step = ServiceWork.HungStep(request: RequestID(rawValue: 7), generation: 2, duration: .milliseconds(10))
        work.hold(step)
        #expect(work.endFault(4).isEmpty)
        #expect(work.fate() == .hangs)
        #expect(work.endFault(5) == [step])
        #expect(work.hung.isEmpty)
        #expect(work.fate() == .runs)
    }

    @Test func `a hang comes before an error`() {
        var work = ServiceWork(name: "web[0]", spec: Self.service(), seed: 1)
        work.startFault(0, Self.fault(.error(afterLatency: false)))
        work.startFault(1, Self.fault(.hang))
        #expect(work.fate() == .hangs)
        _ = work.endFault(1)
        #expect(work.fate() == .fails(afterWork: false))
    }

    @Test func `the error fault that started last says how likely and when steps fail`() {
        var work = ServiceWork(name: "web[0]", spec: Self.service(), seed: 1)
        work.startFault(0, Self.fault(.error(afterLatency: false)))
        work.startFault(1, Self.fault(.error(afterLatency: true)))
        #expect(work.fate() == .fails(afterWork: true))
        _ = work.endFault(1)
        #expect(work.fate() == .fails(afterWork: false))
        _ = work.endFault(0)
        #expect(work.fate() == .runs)
    }

    @Test func `whether a step fails is drawn from the workErrors stream, and only during an error fault`() {
        var work = ServiceWork(name: "web[0]", spec: Self.service(), seed: 9)
        var draws = RandomStream(seed: 9, component: "web[0]", purpose: "workErrors")
        #expect(work.fate() == .runs)  // no error fault: no draw
        work.startFault(0, Self.fault(.error(afterLatency: false), probability: 0.4))
        var failures = 0
        for _ in 0..<1_000 {
            let expected: ServiceWork.Fate = draws.nextUnit() < 0.4 ? .fails(afterWork: false) : .runs
            let fate = work.fate()
            #expect(fate == expected)
            if fate != .runs { failures += 1 }
        }
        #expect((340...460).contains(failures))
        let serviceTimes = RandomStream(seed: 9, component: "web[0]", purpose: "serviceTime")
        var untouched = serviceTimes
        var mine = work.stream
        #expect(mine.nextUnit() == untouched.nextUnit())
    }

    @Test func `faults of other kinds leave the work alone`() {
        var work = ServiceWork(name: "web[0]", spec: Self.service(), seed: 1)
        work.startFault(0, Self.fault(.crash))
        work.startFault(1, Self.fault(.leak(perRequest: 1, perSecond: 0)))
        #expect(work.faults.isEmpty)
        #expect(work.stretch(gcShare: 0, warmUntil: 0, at: 0) == 1)
        #expect(work.fate() == .runs)
    }
}
