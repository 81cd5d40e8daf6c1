/// A running hash over the sequence of events a run executes, as OMNeT++ keeps.
///
/// Each event mixes in its time (integer nanoseconds), its kind and its component with FNV-1a-64
/// over little-endian bytes. Two runs with equal fingerprints executed the same events at the same
/// instants, so runs can be compared without comparing whole output files.
@frozen
public struct Fingerprint: Sendable, Equatable {
    @usableFromInline var hash = FNV1a64()

    /// Creates the fingerprint of an empty run.
    public init() {}

    /// Mixes one executed event into the fingerprint.
    ///
    /// - Parameters:
    ///   - time: When the event ran.
    ///   - kind: A stable number for the kind of event.
    ///   - component: A stable number for the component it concerns (its index in the model).
    @inlinable
    public mutating func record(time: Instant, kind: UInt32, component: UInt32) {
        hash.combine(littleEndian: UInt64(bitPattern: time.nanoseconds))
        hash.combine(littleEndian: UInt64(kind) << 32 | UInt64(component))
    }

    /// The fingerprint as 16 lower-case hexadecimal digits.
    public var hexadecimal: String {
        let digits = String(hash.value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The raw 64-bit value.
    public var value: UInt64 { hash.value }
}

extension Fingerprint {
    public static func == (lhs: Fingerprint, rhs: Fingerprint) -> Bool { lhs.value == rhs.value }
}
