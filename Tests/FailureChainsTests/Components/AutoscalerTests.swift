import FailureChains
import SimulationKernel
import Testing

/// The autoscaler alone: its decision from busy time, and its lists of running and parked instances.
struct AutoscalerTests {
    static let second: Int64 = 1_000_000_000

    /// Decides every 10 s towards 50% busy threads, between 2 and 10 instances, at most 3 at a time.
    static let spec = AutoscalerSpec(targetUtilisation: 0.5, interval: .seconds(10), provisioningLag: .seconds(5),
                                     minimumInstances: 2, maximumInstances: 10, maximumChange: 3)

    /// The busy area of `busyThreads` threads held for a whole decision interval.
    static func area(busyThreads: Double) -> Double { busyThreads * 10 * Double(second) }

    @Test func `utilisation above the target asks for more instances, within the maximum change`() throws {
        // 4 instances of 10 threads, 32 busy: 80%; 4 × 0.8 / 0.5 = 6.4, so 7: three more.
        let decision = try #require(Autoscaler.decide(Self.spec, busyArea: Self.area(busyThreads: 32), up: 4, active: 4, threadsPerInstance: 10))
        #expect(decision.utilisation == 0.8 && decision.active == 4 && decision.change == 3)
        // 38 busy: 95%, 7.6 so 8 wanted, but at most 3 more.
        let capped = try #require(Autoscaler.decide(Self.spec, busyArea: Self.area(busyThreads: 38), up: 4, active: 4, threadsPerInstance: 10))
        #expect(capped.change == 3)
    }

    @Test func `instances still starting count as active`() throws {
        // 4 up at 80% want 7; 6 are up or starting already: one more.
        let decision = try #require(Autoscaler.decide(Self.spec, busyArea: Self.area(busyThreads: 32), up: 4, active: 6, threadsPerInstance: 10))
        #expect(decision.change == 1)
    }

    @Test func `utilisation below the target asks for fewer, never below the minimum`() throws {
        // 6 instances at 10%: 1.2, so 2 wanted: 4 fewer, at most 3.
        let fewer = try #require(Autoscaler.decide(Self.spec, busyArea: Self.area(busyThreads: 6), up: 6, active: 6, threadsPerInstance: 10))
        #expect(fewer.change == -3)
        // 3 instances idle: 0 wanted, the minimum is 2.
        let idle = try #require(Autoscaler.decide(Self.spec, busyArea: 0, up: 3, active: 3, threadsPerInstance: 10))
        #expect(idle.change == -1)
    }

    @Test func `a tiny target asks for the maximum, not an overflow`() throws {
        var spec = Self.spec
        spec.targetUtilisation = 1e-300
        let decision = try #require(Autoscaler.decide(spec, busyArea: Self.area(busyThreads: 1), up: 2, active: 2, threadsPerInstance: 10))
        #expect(decision.change == 3)
    }

    @Test func `utilisation at the target keeps the count`() throws {
        let decision = try #require(Autoscaler.decide(Self.spec, busyArea: Self.area(busyThreads: 20), up: 4, active: 4, threadsPerInstance: 10))
        #expect(decision.change == 0)
    }

    @Test func `a misread factor scales the utilisation the decision sees`() throws {
        // 4 instances at 80%, seen as idle: the minimum, at most 3 fewer.
        let blind = try #require(Autoscaler.decide(Self.spec, busyArea: Self.area(busyThreads: 32), up: 4, active: 4, threadsPerInstance: 10,
                                                   misreadFactor: 0))
        #expect(blind.utilisation == 0 && blind.change == -2)
        // Seen as half as busy, 40%: 4 × 0.4 / 0.5 = 3.2, so 4: no change, where 80% asks for 3 more.
        let half = try #require(Autoscaler.decide(Self.spec, busyArea: Self.area(busyThreads: 32), up: 4, active: 4, threadsPerInstance: 10,
                                                  misreadFactor: 0.5))
        #expect(half.utilisation == 0.4 && half.change == 0)
    }

    @Test func `misreadings in effect multiply, and one that ends leaves the others`() {
        var fleet = Autoscaler(spec: Self.spec, instances: 0..<4, running: 4)
        #expect(fleet.misreadFactor == 1)
        fleet.startMisreading(fault: 3, factor: 0.5)
        fleet.startMisreading(fault: 7, factor: 0.2)
        #expect(abs(fleet.misreadFactor - 0.1) < 1e-15)
        fleet.endMisreading(fault: 3)
        #expect(fleet.misreadFactor == 0.2)
        fleet.endMisreading(fault: 7)
        #expect(fleet.misreadFactor == 1)
    }

    @Test func `with no instance up there is nothing to decide`() {
        let decision = Autoscaler.decide(Self.spec, busyArea: Self.area(busyThreads: 5), up: 0, active: 2, threadsPerInstance: 10)
        #expect(decision == nil)
    }

    @Test func `the lowest-numbered parked instance starts first, whatever order they parked in`() {
        // Instances 10 to 17; 10, 11 and 12 run.
        var fleet = Autoscaler(spec: Self.spec, instances: 10..<18, running: 3)
        #expect(fleet.parkedCount == 5)
        #expect(fleet.isParked(13) && !fleet.isParked(12))
        fleet.park(11)
        fleet.park(10)
        #expect(Set(fleet.running) == [12])
        var started: [InstanceID] = []
        while let next = fleet.startParked() { started.append(next) }
        #expect(started == [10, 11, 13, 14, 15, 16, 17])
        #expect(Set(fleet.running) == Set(InstanceID(10)..<InstanceID(18)))
    }

    @Test(arguments: 0..<50)
    func `parking and starting keep every instance either running or parked, once`(seed: Int) {
        var fleet = Autoscaler(spec: Self.spec, instances: 4..<20, running: 5)
        var random = RandomStream(seed: UInt64(seed), component: "fleet", purpose: "test")
        for _ in 0..<200 {
            if random.next(below: 2) == 0, !fleet.running.isEmpty {
                fleet.park(fleet.running[Int(random.next(below: UInt64(fleet.running.count)))])
            } else {
                _ = fleet.startParked()
            }
            #expect(fleet.running.count + fleet.parkedCount == 16)
            #expect(Set(fleet.running).count == fleet.running.count)
            #expect(fleet.running.allSatisfy { !fleet.isParked($0) })
        }
    }

    @Test func `busy time of parked instances counts once, at the next decision`() {
        var fleet = Autoscaler(spec: Self.spec, instances: 0..<4, running: 4)
        fleet.addBusyAreaOfParked(3)
        fleet.addBusyAreaOfParked(4)
        let first = fleet.takeBusyAreaOfParked()
        let second = fleet.takeBusyAreaOfParked()
        #expect(first == 7 && second == 0)
    }
}
