import FailureChains
import SimulationKernel
import Testing

/// The key sampler alone: its laws against their closed forms, and its draws against theory.
struct KeySamplerTests {
    /// The generalized harmonic number H(n, s) = Σ 1/k^s for k = 1...n.
    static func harmonic(_ n: Int, _ s: Double) -> Double {
        (1...n).reduce(0.0) { $0 + 1 / DeterministicMath.powPositive(Double($1), s) }
    }

    @Test(arguments: [0.5, 1.0, 1.5])
    func `a zipf key has probability one over its rank to the exponent, normalised`(exponent: Double) {
        let sampler = KeySampler(keys: 1000, popularity: .zipf(exponent: exponent))
        let total = Self.harmonic(1000, exponent)
        for key in [0, 1, 9, 99, 999] {
            let expected = 1 / DeterministicMath.powPositive(Double(key + 1), exponent) / total
            #expect(abs(sampler.probability(of: Int32(key)) - expected) < 1e-12)
        }
        #expect(sampler.cumulative.last == 1)
    }

    @Test func `a zipf draw is the first key whose cumulative probability exceeds the unit, exactly`() {
        let sampler = KeySampler(keys: 50, popularity: .zipf(exponent: 1))
        #expect(sampler.key(at: 0) == 0)
        for key in 0..<49 {
            let edge = sampler.cumulative[key]
            #expect(sampler.key(at: edge.nextDown) == Int32(key))
            #expect(sampler.key(at: edge) == Int32(key + 1))
        }
        #expect(sampler.key(at: 1.0.nextDown) == 49)
    }

    /// Draws `count` keys and compares each key's frequency with its probability by a chi-square
    /// statistic over the first keys (each its own cell) and the rest (one cell).
    static func chiSquare(_ sampler: KeySampler, draws count: Int, cells: Int, seed: UInt64) -> Double {
        var stream = RandomStream(seed: seed, component: "web[0].db", purpose: "cacheKeys")
        var observed = [Int](repeating: 0, count: cells + 1)
        for _ in 0..<count { observed[min(cells, Int(sampler.key(at: stream.nextUnit())))] += 1 }
        var statistic = 0.0
        var rest = 1.0
        for cell in 0...cells {
            let probability: Double
            if cell < cells {
                probability = sampler.probability(of: Int32(cell))
                rest -= probability
            } else {
                probability = rest
            }
            let expected = probability * Double(count)
            statistic += (Double(observed[cell]) - expected) * (Double(observed[cell]) - expected) / expected
        }
        return statistic
    }

    @Test(arguments: [1 as UInt64, 2, 3])
    func `zipf draws follow the law (chi-square over twenty cells)`(seed: UInt64) {
        let sampler = KeySampler(keys: 10_000, popularity: .zipf(exponent: 1.1))
        // 20 degrees of freedom: the 99.9th percentile of chi-square is 45.3.
        #expect(Self.chiSquare(sampler, draws: 200_000, cells: 20, seed: seed) < 45.3)
    }

    @Test func `a hot set takes its share of the requests, spread evenly over its keys`() {
        let sampler = KeySampler(keys: 1000, popularity: .hotSet(keyShare: 0.2, requestShare: 0.8))
        #expect(abs(sampler.probability(of: 0) - 0.8 / 200) < 1e-15)
        #expect(abs(sampler.probability(of: 199) - 0.8 / 200) < 1e-15)
        #expect(abs(sampler.probability(of: 200) - 0.2 / 800) < 1e-15)
        #expect(sampler.key(at: 0) == 0)
        #expect(sampler.key(at: 0.8.nextDown) == 199)
        #expect(sampler.key(at: 0.8) == 200)
        #expect(sampler.key(at: 1.0.nextDown) == 999)
        #expect(Self.chiSquare(sampler, draws: 200_000, cells: 20, seed: 7) < 45.3)
        var stream = RandomStream(seed: 9, component: "web[0].db", purpose: "cacheKeys")
        var hot = 0
        for _ in 0..<100_000 where sampler.key(at: stream.nextUnit()) < 200 { hot += 1 }
        // Binomial(100000, 0.8): standard deviation 126.
        #expect(abs(hot - 80_000) < 600)
    }

    @Test func `uniform keys cover the key space evenly`() {
        let sampler = KeySampler(keys: 10, popularity: .uniform)
        #expect(sampler.key(at: 0) == 0)
        #expect(sampler.key(at: 0.1.nextDown) == 0)
        #expect(sampler.key(at: 1.0.nextDown) == 9)
        #expect(Self.chiSquare(sampler, draws: 100_000, cells: 9, seed: 4) < 27.9)
    }
}
