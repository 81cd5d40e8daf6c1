#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One number spelled by C's `printf` (`%.4g`, `%.1f`, `%.1e`) in the C locale, as
/// Foundation's `String(format:)` spelled it, without Foundation's full library.
public enum PrintfText {
    /// `value` formatted by `format`, which holds exactly one floating-point conversion.
    public static func format(_ format: String, _ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        var count = withVaList([value]) { vsnprintf(&buffer, buffer.count, format, $0) }
        if count >= Int32(buffer.count) {
            buffer = [CChar](repeating: 0, count: Int(count) + 1)
            count = withVaList([value]) { vsnprintf(&buffer, buffer.count, format, $0) }
        }
        guard count > 0 else { return "" }
        return String(decoding: buffer[..<Int(count)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
