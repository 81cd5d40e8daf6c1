/// Standard exponential draws by the ziggurat method (Marsaglia and Tsang 2000, 256 layers).
///
/// About 99% of draws cost one 64-bit word, a multiply and a compare; the rest fall back to an
/// exact rejection test or, in the tail beyond r, to r − ln U. The layer table is computed once
/// from the published constants r and v with `DeterministicMath`, so it is identical everywhere.
///
/// One word gives both the layer (its low 8 bits) and the position within it (its top 53 bits).
public enum ExponentialZiggurat {
    /// The start of the tail: the right edge of the bottom layer's rectangle.
    @usableFromInline static let r = 7.69711747013104972
    /// The area of each layer.
    @usableFromInline static let v = 0.0039496598225815571993

    /// Layer edges x[0...256] (x[0] = v / f(r) is the bottom layer's virtual width, x[256] = 0),
    /// then densities f(x) = e^(−x) at those edges, in one table: edges at 0...256, densities at 257...513.
    @usableFromInline
    nonisolated(unsafe) static let table: UnsafeMutablePointer<Double> = {
        let table = UnsafeMutablePointer<Double>.allocate(capacity: 514)
        table[0] = v / DeterministicMath.exp(-r)
        table[1] = r
        for i in 1..<255 {
            table[i + 1] = -DeterministicMath.log(v / table[i] + DeterministicMath.exp(-table[i]))
        }
        table[256] = 0
        for i in 0...256 { table[257 + i] = DeterministicMath.exp(-table[i]) }
        return table
    }()

    /// One draw of an exponential variable with mean 1.
    ///
    /// - Parameter stream: The stream to draw from.
    @inlinable
    public static func sample(using stream: inout RandomStream) -> Double {
        let table = ExponentialZiggurat.table
        while true {
            let bits = stream.next()
            let layer = Int(bits & 0xff)
            let x = Double(bits >> 11) * 0x1.0p-53 * table[layer]
            if x < table[layer + 1] { return x }
            if layer == 0 {
                return r - DeterministicMath.log(stream.nextUnitExcludingZero())
            }
            let lower = table[257 + layer + 1]
            let upper = table[257 + layer]
            if lower + (upper - lower) * stream.nextUnit() < DeterministicMath.exp(-x) { return x }
        }
    }
}
