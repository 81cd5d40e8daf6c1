/// The 64-bit FNV-1a hash, used wherever a stable hash is part of a contract.
///
/// Offset basis 0xcbf29ce484222325, prime 0x100000001b3. Integers are fed little-endian.
@frozen
public struct FNV1a64: Sendable {
    @usableFromInline var state: UInt64 = 0xcbf2_9ce4_8422_2325

    /// The hash of everything combined so far.
    @inlinable
    public var value: UInt64 { state }

    /// Creates a hash of nothing.
    public init() {}

    /// Mixes in one byte.
    @inlinable
    public mutating func combine(byte: UInt8) {
        state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }

    /// Mixes in the UTF-8 bytes of a string.
    @inlinable
    public mutating func combine(_ string: String) {
        for byte in string.utf8 { combine(byte: byte) }
    }

    /// Mixes in a sequence of bytes.
    @inlinable
    public mutating func combine<Bytes: Sequence>(bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes { combine(byte: byte) }
    }

    /// Mixes in the eight bytes of an integer, least significant first.
    @inlinable
    public mutating func combine(littleEndian integer: UInt64) {
        var x = integer
        for _ in 0..<8 {
            combine(byte: UInt8(truncatingIfNeeded: x))
            x >>= 8
        }
    }
}

extension UInt64 {
    /// The value as 16 lower-case hexadecimal digits, zero-padded: how hashes and fingerprints
    /// are written.
    public var hexadecimalDigits: String {
        let digits = String(self, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
