import FailureChains
import SimulationKernel
import Testing

/// One instance's lifecycle and its supervisor alone, with explicit times.
struct InstanceLifecycleTests {
    static let second: Int64 = 1_000_000_000

    static func makeLifecycle(restartDelay: Interval? = .seconds(30), supervisor: SupervisorSpec? = nil, isParked: Bool = false) -> InstanceLifecycle {
        InstanceLifecycle(spec: LifecycleSpec(restartDelay: restartDelay, supervisor: supervisor), isParked: isParked)
    }

    @Test func `a crashed instance restarts after its delay, boots and comes up`() {
        var lifecycle = Self.makeLifecycle()
        #expect(lifecycle.state == .up && lifecycle.isAlive)
        lifecycle.crash()
        #expect(lifecycle.state == .crashed && !lifecycle.isAlive)
        let next = lifecycle.afterCrash(at: 10 * Self.second)
        #expect(next == .restart(epoch: 1, after: .seconds(30)))
        #expect(lifecycle.awaitsRestart(epoch: 1))
        lifecycle.startBooting()
        #expect(lifecycle.isAlive && lifecycle.awaitsBoot(epoch: 1))
        let wasProvisioned = lifecycle.finishBooting(warmUntil: 45 * Self.second)
        #expect(!wasProvisioned)
        #expect(lifecycle.state == .up && lifecycle.warmUntil == 45 * Self.second)
    }

    @Test func `events of an earlier crash no longer apply`() {
        var lifecycle = Self.makeLifecycle()
        lifecycle.crash()
        lifecycle.startBooting()
        _ = lifecycle.finishBooting(warmUntil: 0)
        lifecycle.crash()  // epoch 2
        #expect(!lifecycle.awaitsRestart(epoch: 1))
        #expect(lifecycle.awaitsRestart(epoch: 2))
        #expect(!lifecycle.awaitsBoot(epoch: 2))  // crashed, not booting
        #expect(lifecycle.crashes == 2)
    }

    @Test func `without a restart delay a crashed instance stays down`() {
        var lifecycle = Self.makeLifecycle(restartDelay: nil)
        lifecycle.crash()
        let next = lifecycle.afterCrash(at: 0)
        #expect(next == .staysDown)
    }

    @Test func `a draining instance that crashes parks instead of restarting`() {
        var lifecycle = Self.makeLifecycle()
        lifecycle.startDraining()
        lifecycle.crash()
        let next = lifecycle.afterCrash(at: 0)
        #expect(next == .park)
        lifecycle.park()
        #expect(lifecycle.state == .parked && !lifecycle.isDraining)
    }

    @Test func `a provisioned instance boots from parked and says so when it comes up`() {
        var lifecycle = Self.makeLifecycle(isParked: true)
        #expect(lifecycle.state == .parked && !lifecycle.isAlive)
        lifecycle.provision()
        #expect(lifecycle.state == .booting && lifecycle.isProvisioning && lifecycle.awaitsBoot(epoch: 0))
        let wasProvisioned = lifecycle.finishBooting(warmUntil: 0)
        #expect(wasProvisioned && !lifecycle.isProvisioning)
    }

    @Test func `the supervisor gives up after its maximum restarts within its period`() {
        var lifecycle = Self.makeLifecycle(restartDelay: .seconds(1), supervisor: SupervisorSpec(maximumRestarts: 2, period: .seconds(60)))
        var decisions: [InstanceLifecycle.AfterCrash] = []
        for time in [0, 10, 20] as [Int64] {
            lifecycle.crash()
            decisions.append(lifecycle.afterCrash(at: time * Self.second))
            lifecycle.startBooting()
            _ = lifecycle.finishBooting(warmUntil: 0)
        }
        #expect(decisions == [.restart(epoch: 1, after: .seconds(1)), .restart(epoch: 2, after: .seconds(1)), .supervisorGaveUp])
    }

    @Test func `a restart exactly one period ago no longer counts against the supervisor`() {
        var supervisor = Supervisor(spec: SupervisorSpec(maximumRestarts: 1, period: .seconds(60)))
        let first = supervisor.permitsRestart(at: 0)
        let tooSoon = supervisor.permitsRestart(at: 60 * Self.second - 1)
        let afterPeriod = supervisor.permitsRestart(at: 60 * Self.second)
        #expect(first && !tooSoon && afterPeriod)
        #expect(supervisor.restartTimes == [60 * Self.second])
    }

    @Test func `a restart the supervisor refuses does not count`() {
        var supervisor = Supervisor(spec: SupervisorSpec(maximumRestarts: 2, period: .seconds(10)))
        let answers = [0, 1, 2, 3, 10, 11, 12].map { supervisor.permitsRestart(at: Int64($0) * Self.second) }
        // Restarts at 0 and 1; refused at 2 and 3; at 10 the one at 0 has left the period, at 11 the one at 1.
        #expect(answers == [true, true, false, false, true, true, false])
    }
}
