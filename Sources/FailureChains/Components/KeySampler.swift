import SimulationKernel

/// Draws the key of a cached request from a popularity law over a fixed key space, exactly and
/// deterministically: a uniform number from the caller's stream goes in, a key comes out.
///
/// Zipf keys are found by binary search in a cumulative table computed once with the engine's own
/// `pow` (so the table, and every key drawn, is the same on every platform); a hot set and the
/// uniform law need no table. The table is an array shared, unchanged, by every instance's cache.
package struct KeySampler {
    /// The number of keys: keys are 0 to `keyCount` − 1, the most popular first.
    package let keyCount: Int32
    package let popularity: CacheSpec.Popularity
    /// For Zipf, the probability of keys 0...k, for every k; the last is 1. Empty otherwise.
    package let cumulative: [Double]
    /// For a hot set, the number of hot keys (at least 1) and the share of requests they take.
    private let hotKeys: Int32
    private let hotShare: Double

    /// Creates a sampler of `keys` keys.
    ///
    /// - Complexity: O(`keys`) for Zipf (the table), O(1) otherwise.
    package init(keys: Int, popularity: CacheSpec.Popularity) {
        keyCount = Int32(keys)
        self.popularity = popularity
        switch popularity {
        case .zipf(let exponent):
            var weights = [Double](repeating: 0, count: keys)
            var sum = 0.0
            for key in 0..<keys {
                sum += 1 / DeterministicMath.powPositive(Double(key + 1), exponent)
                weights[key] = sum
            }
            for key in 0..<keys { weights[key] /= sum }
            weights[keys - 1] = 1
            cumulative = weights
            hotKeys = 0
            hotShare = 0
        case .hotSet(let keyShare, let requestShare):
            cumulative = []
            hotKeys = Int32(min(keys, max(1, Int((Double(keys) * keyShare).rounded()))))
            hotShare = hotKeys == Int32(keys) ? 1 : requestShare
        case .uniform:
            cumulative = []
            hotKeys = 0
            hotShare = 0
        }
    }

    /// The key for a uniform number in [0, 1).
    ///
    /// - Complexity: O(log `keyCount`) for Zipf, O(1) otherwise.
    package func key(at unit: Double) -> Int32 {
        switch popularity {
        case .zipf:
            // The first key whose cumulative probability exceeds `unit`.
            var low = 0, high = cumulative.count - 1
            while low < high {
                let middle = (low + high) >> 1
                if cumulative[middle] > unit { high = middle } else { low = middle + 1 }
            }
            return Int32(low)
        case .hotSet:
            if unit < hotShare {
                return min(hotKeys - 1, Int32(unit / hotShare * Double(hotKeys)))
            }
            let cold = keyCount - hotKeys
            return hotKeys + min(cold - 1, Int32((unit - hotShare) / (1 - hotShare) * Double(cold)))
        case .uniform:
            return min(keyCount - 1, Int32(unit * Double(keyCount)))
        }
    }

    /// The probability that a draw gives `key`, for tests and docs.
    package func probability(of key: Int32) -> Double {
        switch popularity {
        case .zipf:
            return key == 0 ? cumulative[0] : cumulative[Int(key)] - cumulative[Int(key) - 1]
        case .hotSet:
            return key < hotKeys ? hotShare / Double(hotKeys) : (1 - hotShare) / Double(keyCount - hotKeys)
        case .uniform:
            return 1 / Double(keyCount)
        }
    }
}
