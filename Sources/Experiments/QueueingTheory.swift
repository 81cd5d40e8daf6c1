/// Closed-form results of queueing theory, the oracles the engine is checked against.
///
/// Rates are per second and times in seconds. Formulas: Kleinrock, *Queueing Systems* vol. 1;
/// Bolch et al., *Queueing Networks and Markov Chains*; see `../shared/research/reliability.md` §1.
public enum QueueingTheory {
    /// M/M/1 mean wait in queue: ρ / (μ − λ).
    public static func mm1MeanWait(arrivalRate lambda: Double, serviceRate mu: Double) -> Double {
        precondition(lambda < mu, "M/M/1 needs λ < μ")
        return lambda / mu / (mu - lambda)
    }

    /// Erlang C: the probability that an arrival waits in M/M/c, with offered load a = λ/μ Erlangs.
    public static func erlangC(servers c: Int, offeredLoad a: Double) -> Double {
        precondition(a < Double(c), "M/M/c needs a < c")
        let b = erlangB(servers: c, offeredLoad: a)
        let rho = a / Double(c)
        return b / (1 - rho * (1 - b))
    }

    /// M/M/c mean wait in queue: C(c, a) / (cμ − λ).
    public static func mmcMeanWait(servers c: Int, arrivalRate lambda: Double, serviceRate mu: Double) -> Double {
        erlangC(servers: c, offeredLoad: lambda / mu) / (Double(c) * mu - lambda)
    }

    /// Erlang B: the blocking probability of M/G/c/c, by the stable recurrence B(k) = aB(k−1) / (k + aB(k−1)).
    public static func erlangB(servers c: Int, offeredLoad a: Double) -> Double {
        var blocking = 1.0
        for k in stride(from: 1, through: c, by: 1) {
            blocking = a * blocking / (Double(k) + a * blocking)
        }
        return blocking
    }

    /// M/M/c/K blocking probability: the chance that an arrival finds c busy servers and all
    /// `waitingPlaces` taken (K = c + waitingPlaces).
    public static func mmckBlocking(servers c: Int, waitingPlaces: Int, arrivalRate lambda: Double, serviceRate mu: Double) -> Double {
        let states = stationaryBirthDeath(count: c + waitingPlaces + 1,
                                          birth: { _ in lambda }, death: { n in Double(min(n, c)) * mu })
        return states[c + waitingPlaces]
    }

    /// M/D/1 mean wait by Pollaczek–Khinchine: ρS / (2(1 − ρ)) for constant service time S.
    public static func md1MeanWait(arrivalRate lambda: Double, serviceTime s: Double) -> Double {
        let rho = lambda * s
        precondition(rho < 1, "M/D/1 needs ρ < 1")
        return rho * s / (2 * (1 - rho))
    }

    /// The finite-source model M/M/c//N: N users with exponential think time Z and c servers with
    /// exponential service time S. Returns the throughput X and the mean response time R = N/X − Z.
    public static func finiteSource(users n: Int, thinkTime z: Double, servers c: Int, serviceTime s: Double) -> (throughput: Double, responseTime: Double) {
        let states = stationaryBirthDeath(count: n + 1,
                                          birth: { k in Double(n - k) / z }, death: { k in Double(min(k, c)) / s })
        var throughput = 0.0
        for (k, p) in states.enumerated() { throughput += p * Double(min(k, c)) / s }
        return (throughput, Double(n) / throughput - z)
    }

    /// The stationary distribution of a birth-death chain on 0..<count.
    ///
    /// - Parameters:
    ///   - birth: The rate from state k to k + 1.
    ///   - death: The rate from state k to k − 1 (k ≥ 1).
    static func stationaryBirthDeath(count: Int, birth: (Int) -> Double, death: (Int) -> Double) -> [Double] {
        var weights = [1.0]
        for k in 1..<count { weights.append(weights[k - 1] * birth(k - 1) / death(k)) }
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }
}
