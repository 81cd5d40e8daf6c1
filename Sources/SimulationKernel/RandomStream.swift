/// A deterministic stream of random numbers: xoshiro256** seeded through SplitMix64.
///
/// Every component draws from streams of its own, keyed by `(seed, component name, purpose)`, so
/// adding a component or changing one leaves every other component's draws unchanged (common random
/// numbers). The key is hashed with 64-bit FNV-1a over a fixed byte layout, never `hashValue`:
///
///     bytes = seed as 8 bytes little-endian, UTF-8 of component, 0x00, UTF-8 of purpose
///     key   = FNV-1a-64(bytes)            (offset 0xcbf29ce484222325, prime 0x100000001b3)
///     state = four successive SplitMix64 outputs starting from key
///
/// Doubles are made from the top 53 bits, so values are identical on every platform.
@frozen
public struct RandomStream: Sendable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// Creates the stream for one purpose of one component under a run's seed.
    ///
    /// - Parameters:
    ///   - seed: The run's seed.
    ///   - component: A stable name of the component, as written in the model (`web`, `web[2]`).
    ///   - purpose: What the stream is for (`arrivals`, `service`).
    public init(seed: UInt64, component: String, purpose: String) {
        self.init(key: RandomStream.key(seed: seed, component: component, purpose: purpose))
    }

    /// Creates a stream directly from a 64-bit key, expanded with SplitMix64.
    public init(key: UInt64) {
        var x = key
        s0 = RandomStream.splitMix64(&x)
        s1 = RandomStream.splitMix64(&x)
        s2 = RandomStream.splitMix64(&x)
        s3 = RandomStream.splitMix64(&x)
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }  // the all-zero state is the one xoshiro cannot leave
    }

    /// The documented stream key: FNV-1a-64 over (seed little-endian, component, 0x00, purpose).
    public static func key(seed: UInt64, component: String, purpose: String) -> UInt64 {
        var hash = FNV1a64()
        hash.combine(littleEndian: seed)
        hash.combine(component)
        hash.combine(byte: 0)
        hash.combine(purpose)
        return hash.value
    }

    /// One step of SplitMix64 (Steele, Lea, Flood 2014), used to expand keys into states.
    @inlinable
    public static func splitMix64(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9e37_79b9_7f4a_7c15
        var z = x
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// The next 64 random bits (xoshiro256**, Blackman and Vigna 2018).
    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    /// A uniform double in [0, 1): the top 53 bits times 2⁻⁵³.
    @inlinable
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform double in (0, 1]: never zero, so its logarithm is finite.
    @inlinable
    public mutating func nextUnitExcludingZero() -> Double {
        Double((next() >> 11) + 1) * 0x1.0p-53
    }

    /// A uniform integer in `0..<bound`, without modulo bias (Lemire's method).
    ///
    /// - Parameter bound: The exclusive upper bound; must be positive.
    @inlinable
    public mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "bound must be positive, found \(bound)")
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return product.high
    }

    @inlinable @inline(__always)
    func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
