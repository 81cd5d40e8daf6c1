import FailureChains
import SimulationKernel
import Testing

/// The balancer alone: each strategy's choice over a fixed list of instances and their loads.
struct BalancerTests {
    /// Requests in flight by instance index.
    struct Loads: InstanceLoads {
        var counts: [Int32]
        func outstanding(of instance: InstanceID) -> Int32 { counts[instance.index] }
    }

    static func makeBalancer(_ strategy: BalancerSpec.Strategy, admitted: [InstanceID] = [0, 1, 2], seed: UInt64 = 1) -> Balancer {
        Balancer(strategy: strategy, admitted: admitted, stream: RandomStream(seed: seed, component: "web", purpose: "balancer"))
    }

    @Test(arguments: BalancerSpec.Strategy.allCases)
    func `a balancer with no instance admitted chooses none`(strategy: BalancerSpec.Strategy) {
        var balancer = Self.makeBalancer(strategy, admitted: [])
        let chosen = balancer.pick(by: Loads(counts: []))
        #expect(chosen.isNone && chosen == .none)
    }

    @Test func `round robin takes each admitted instance in turn`() {
        var balancer = Self.makeBalancer(.roundRobin)
        let loads = Loads(counts: [0, 0, 0])
        let chosen = (0..<7).map { _ in balancer.pick(by: loads) }
        #expect(chosen == [0, 1, 2, 0, 1, 2, 0])
    }

    @Test func `round robin wraps to the first instance when the list shrinks below its place`() {
        var balancer = Self.makeBalancer(.roundRobin)
        let loads = Loads(counts: [0, 0, 0])
        _ = balancer.pick(by: loads)
        _ = balancer.pick(by: loads)  // the next place is 2
        balancer.eject(1)             // [0, 2]: place 2 is past the end
        let chosen = (0..<3).map { _ in balancer.pick(by: loads) }
        #expect(chosen == [0, 2, 0])
    }

    @Test func `least outstanding takes the instance with the fewest requests, the lowest index on a tie`() {
        var balancer = Self.makeBalancer(.leastOutstanding, admitted: [0, 1, 2, 3])
        let first = balancer.pick(by: Loads(counts: [5, 2, 7, 2]))
        let second = balancer.pick(by: Loads(counts: [1, 2, 0, 0]))
        #expect(first == 1)
        #expect(second == 2)
    }

    @Test func `random draws one instance per request from the balancer stream`() {
        var balancer = Self.makeBalancer(.random, admitted: [4, 5, 6])
        var stream = RandomStream(seed: 1, component: "web", purpose: "balancer")
        let loads = Loads(counts: Array(repeating: 0, count: 7))
        for _ in 0..<50 {
            let expected: InstanceID = [4, 5, 6][Int(stream.next(below: 3))]
            let chosen = balancer.pick(by: loads)
            #expect(chosen == expected)
        }
    }

    @Test func `power of two compares two distinct instances drawn from the stream and keeps the first on a tie`() {
        let admitted: [InstanceID] = [0, 1, 2, 3]
        let counts: [Int32] = [3, 1, 3, 0]
        var balancer = Self.makeBalancer(.powerOfTwo, admitted: admitted)
        var stream = RandomStream(seed: 1, component: "web", purpose: "balancer")
        for _ in 0..<100 {
            let first = Int(stream.next(below: 4))
            var second = Int(stream.next(below: 3))
            if second >= first { second += 1 }
            #expect(first != second)
            let expected = counts[second] < counts[first] ? admitted[second] : admitted[first]
            let chosen = balancer.pick(by: Loads(counts: counts))
            #expect(chosen == expected)
        }
    }

    @Test func `power of two with one instance admitted draws nothing`() {
        var balancer = Self.makeBalancer(.powerOfTwo, admitted: [2])
        let loads = Loads(counts: [0, 0, 9])
        let alone = balancer.pick(by: loads)
        #expect(alone == 2)
        // The stream is untouched: with three admitted, the choices are those of a fresh balancer.
        balancer.admit(0)
        balancer.admit(1)
        var fresh = Self.makeBalancer(.powerOfTwo, admitted: [0, 1, 2])
        for _ in 0..<20 {
            let chosen = balancer.pick(by: loads)
            let expected = fresh.pick(by: loads)
            #expect(chosen == expected)
        }
    }

    @Test func `admitting and ejecting keep the instances in index order, once each`() {
        var balancer = Self.makeBalancer(.roundRobin, admitted: [1, 3])
        let newlyAdmitted = balancer.admit(2)
        let again = balancer.admit(2)
        balancer.admit(0)
        balancer.admit(4)
        #expect(newlyAdmitted && !again)
        #expect(balancer.admitted == [0, 1, 2, 3, 4])
        let ejected = balancer.eject(3)
        let ejectedAgain = balancer.eject(3)
        #expect(ejected && !ejectedAgain)
        #expect(balancer.admitted == [0, 1, 2, 4])
        #expect(balancer.isAdmitted(4) && !balancer.isAdmitted(3))
    }
}
