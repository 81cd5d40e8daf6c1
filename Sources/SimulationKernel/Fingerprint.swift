/// A running hash over the sequence of events a run executes, as OMNeT++ keeps.
///
/// Each event mixes in two 64-bit words, its time (integer nanoseconds) and `kind << 32 | component`,
/// each by `state = (state ^ word) × 0x100000001b3; state ^= state >> 29` (FNV-1a's prime, applied
/// to whole words, with a shift so high bits reach low ones), starting from FNV-1a's offset basis.
/// Two runs with equal fingerprints executed the same events at the same instants, so runs can be
/// compared without comparing whole output files.
@frozen
public struct Fingerprint: Sendable, Equatable {
    @usableFromInline var state: UInt64 = 0xcbf2_9ce4_8422_2325

    /// Creates the fingerprint of an empty run.
    public init() {}

    /// Creates a fingerprint with a given value, as read back from a run's record.
    public init(value: UInt64) { state = value }

    /// Mixes one executed event into the fingerprint.
    ///
    /// - Parameters:
    ///   - time: When the event ran.
    ///   - kind: A stable number for the kind of event.
    ///   - component: A stable number for the component it concerns (its index in the model).
    @inlinable
    public mutating func record(time: Instant, kind: UInt32, component: UInt32) {
        mix(UInt64(bitPattern: time.nanoseconds))
        mix(UInt64(kind) << 32 | UInt64(component))
    }

    @inlinable
    mutating func mix(_ word: UInt64) {
        state = (state ^ word) &* 0x0000_0100_0000_01b3
        state ^= state >> 29
    }

    /// The fingerprint as 16 lower-case hexadecimal digits.
    public var hexadecimal: String { state.hexadecimalDigits }

    /// The raw 64-bit value.
    public var value: UInt64 { state }
}

extension Fingerprint {
    public static func == (lhs: Fingerprint, rhs: Fingerprint) -> Bool { lhs.value == rhs.value }
}
