import SimulationKernel

/// Why a string with units could not be read; the message is lower-case and says what was expected.
public struct UnitError: Error, Equatable, Sendable, CustomStringConvertible {
    /// For example `expected a duration such as "250ms", "2m" or "1h30m", found "fast"`.
    public var message: String

    /// Creates an error with a message.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}

/// Parsers and a formatter for the strings with units used in model files.
///
/// Durations (`"1h30m"`) become exact integer nanoseconds, computed from the decimal digits
/// rather than through `Double`. Rates (`"20/s"`) become events per second, sizes (`"512MB"`)
/// bytes, and percentages (`"99.9%"`) the number before the sign. Negative values are rejected.
public enum Units {
    // MARK: Durations

    /// Duration units, largest first, with their length in nanoseconds.
    static let durationUnits: [(names: [String], nanoseconds: UInt64)] = [
        (["d"], 86_400_000_000_000),
        (["h"], 3_600_000_000_000),
        (["m"], 60_000_000_000),
        (["s"], 1_000_000_000),
        (["ms"], 1_000_000),
        (["us", "µs", "μs"], 1_000),
        (["ns"], 1),
    ]

    /// Reads a duration such as `"250ms"`, `"1.5s"`, `"1h30m"` or `"500µs"`.
    ///
    /// Units are `ns`, `us` (or `µs`), `ms`, `s`, `m`, `h` and `d`. Several parts must go from the
    /// largest unit to the smallest, each unit at most once. Every part may have a decimal fraction,
    /// as long as the total is a whole number of nanoseconds.
    ///
    /// - Parameter text: The duration as written, without surrounding space.
    /// - Returns: The exact interval.
    /// - Throws: `UnitError` for a bare number, an unknown unit, a negative duration, a fraction finer
    ///   than a nanosecond, or a duration longer than `Int64.max` nanoseconds (about 292 years).
    public static func duration(_ text: String) throws(UnitError) -> Interval {
        do {
            return try durationWithoutHint(text)
        } catch {
            throw hinted(error, text, reader: { (try? durationWithoutHint($0)) != nil })
        }
    }

    static func durationWithoutHint(_ text: String) throws(UnitError) -> Interval {
        let expected = "expected a duration such as \"250ms\", \"2m\" or \"1h30m\", found \"\(text)\""
        if text.hasPrefix("-"), (try? duration(String(text.dropFirst()))) != nil {
            throw UnitError("durations cannot be negative, found \"\(text)\"")
        }
        var scanner = Scanner(text)
        var total: UInt64 = 0
        var previousRank = -1
        repeat {
            guard let number = scanner.decimal() else { throw UnitError(expected) }
            let unitName = scanner.letters()
            if unitName.isEmpty {
                if !scanner.isAtEnd { throw UnitError(expected) }
                if previousRank < 0 { throw UnitError(expected + " (add a unit: \"\(number.text)s\")") }
                throw UnitError("expected a unit after \(number.text) in \"\(text)\" (ns, us, ms, s, m, h or d)")
            }
            guard let rank = durationUnits.firstIndex(where: { $0.names.contains(unitName) }) else {
                throw UnitError("unknown duration unit \"\(unitName)\" in \"\(text)\"; use ns, us, ms, s, m, h or d")
            }
            if rank <= previousRank {
                throw UnitError("units must go from largest to smallest, each at most once, found \"\(text)\"")
            }
            previousRank = rank
            switch number.times(durationUnits[rank].nanoseconds) {
            case .value(let part):
                let (sum, overflow) = total.addingReportingOverflow(part)
                if overflow || sum > UInt64(Int64.max) {
                    throw UnitError("duration is too long, found \"\(text)\"; the longest is about 292 years")
                }
                total = sum
            case .overflow:
                throw UnitError("duration is too long, found \"\(text)\"; the longest is about 292 years")
            case .inexact:
                throw UnitError("\"\(text)\" is not a whole number of nanoseconds")
            }
        } while !scanner.isAtEnd
        return Interval(nanoseconds: Int64(total))
    }

    /// Spells an interval exactly, in the form `duration(_:)` reads back.
    ///
    /// Whole days, hours, minutes and seconds are written as parts (`"1h30m"`, `"1d12h"`); a
    /// sub-second rest becomes a fraction of the seconds (`"1.5s"`) or, when there are no seconds,
    /// a part in the largest unit that fits (`"1m250ms"`, `"250ms"`, `"1.5us"`). Zero is `"0s"`;
    /// a negative interval gets a leading `-`.
    ///
    /// - Parameter interval: The interval to spell.
    /// - Returns: The spelling, for example `"250ms"`.
    public static func format(_ interval: Interval) -> String {
        if interval.nanoseconds == 0 { return "0s" }
        let sign = interval.nanoseconds < 0 ? "-" : ""
        let magnitude = interval.nanoseconds.magnitude
        var rest = magnitude / 1_000_000_000
        let fraction = magnitude % 1_000_000_000
        var text = ""
        for (name, seconds) in [("d", UInt64(86_400)), ("h", 3_600), ("m", 60)] where rest >= seconds {
            text += "\(rest / seconds)\(name)"
            rest %= seconds
        }
        if rest > 0 {
            text += "\(rest)" + decimals(fraction, digits: 9) + "s"
        } else if fraction > 0 {
            let (name, size): (String, UInt64) =
                fraction >= 1_000_000 ? ("ms", 1_000_000) : fraction >= 1_000 ? ("us", 1_000) : ("ns", 1)
            let digits = size == 1_000_000 ? 6 : size == 1_000 ? 3 : 0
            text += "\(fraction / size)" + decimals(fraction % size, digits: digits) + name
        }
        return sign + text
    }

    /// `.25` for 250 with three digits; empty for zero.
    private static func decimals(_ value: UInt64, digits: Int) -> String {
        if value == 0 { return "" }
        var text = String(value)
        text = String(repeating: "0", count: digits - text.count) + text
        while text.hasSuffix("0") { text.removeLast() }
        return "." + text
    }

    // MARK: Rates

    /// Reads a rate such as `"20/s"`, `"1200/min"`, `"3.5/h"` or `"1/ms"`.
    ///
    /// Time units are `ns`, `us` (or `µs`), `ms`, `s`, `min`, `h` and `d`.
    ///
    /// - Parameter text: The rate as written.
    /// - Returns: Events per second; zero for `"0/s"`.
    /// - Throws: `UnitError` for a missing or unknown unit or a negative rate.
    public static func rate(_ text: String) throws(UnitError) -> Double {
        do {
            return try rateWithoutHint(text)
        } catch {
            throw hinted(error, text, reader: { (try? rateWithoutHint($0)) != nil })
        }
    }

    static func rateWithoutHint(_ text: String) throws(UnitError) -> Double {
        let expected = "expected a rate such as \"20/s\", \"1200/min\" or \"3.5/h\", found \"\(text)\""
        if text.hasPrefix("-"), (try? rate(String(text.dropFirst()))) != nil {
            throw UnitError("rates cannot be negative, found \"\(text)\"")
        }
        var scanner = Scanner(text)
        guard let number = scanner.decimal() else { throw UnitError(expected) }
        if scanner.isAtEnd { throw UnitError(expected + " (add a unit: \"\(number.text)/s\")") }
        guard scanner.skip("/") else { throw UnitError(expected) }
        let unitName = scanner.letters()
        guard scanner.isAtEnd, !unitName.isEmpty else { throw UnitError(expected) }
        let value = number.doubleValue
        let perSecond: Double
        switch unitName {
        case "ns": perSecond = value * 1e9
        case "us", "µs", "μs": perSecond = value * 1e6
        case "ms": perSecond = value * 1e3
        case "s": perSecond = value
        case "min": perSecond = value / 60
        case "h": perSecond = value / 3_600
        case "d": perSecond = value / 86_400
        default:
            let hint = unitName == "m" ? "; write \"min\" for minutes" : ""
            throw UnitError("unknown time unit \"\(unitName)\" in \"\(text)\"; use ns, us, ms, s, min, h or d\(hint)")
        }
        guard perSecond.isFinite else { throw UnitError("rate is too large, found \"\(text)\"") }
        return perSecond
    }

    // MARK: Sizes

    static let sizeUnits: [String: UInt64] = [
        "B": 1,
        "kB": 1_000, "KB": 1_000, "MB": 1_000_000, "GB": 1_000_000_000, "TB": 1_000_000_000_000,
        "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40,
    ]

    /// Reads a size such as `"512MB"`, `"2GiB"`, `"64KB"`, `"100B"` or `"1.5GB"`.
    ///
    /// Decimal units are powers of 1000 (`kB` or `KB`, `MB`, `GB`, `TB`), binary units powers of
    /// 1024 (`KiB`, `MiB`, `GiB`, `TiB`).
    ///
    /// - Parameter text: The size as written.
    /// - Returns: The exact number of bytes.
    /// - Throws: `UnitError` for a missing or unknown unit, a negative size, a fraction of a byte,
    ///   or more than `Int64.max` bytes.
    public static func size(_ text: String) throws(UnitError) -> Int64 {
        do {
            return try sizeWithoutHint(text)
        } catch {
            throw hinted(error, text, reader: { (try? sizeWithoutHint($0)) != nil })
        }
    }

    static func sizeWithoutHint(_ text: String) throws(UnitError) -> Int64 {
        let expected = "expected a size such as \"512MB\", \"64KiB\" or \"100B\", found \"\(text)\""
        if text.hasPrefix("-"), (try? size(String(text.dropFirst()))) != nil {
            throw UnitError("sizes cannot be negative, found \"\(text)\"")
        }
        var scanner = Scanner(text)
        guard let number = scanner.decimal() else { throw UnitError(expected) }
        let unitName = scanner.letters()
        guard scanner.isAtEnd else { throw UnitError(expected) }
        if unitName.isEmpty { throw UnitError(expected + " (add a unit: \"\(number.text)B\")") }
        guard let multiplier = sizeUnits[unitName] else {
            throw UnitError("unknown size unit \"\(unitName)\" in \"\(text)\"; use B, KB, MB, GB, TB, KiB, MiB, GiB or TiB")
        }
        switch number.times(multiplier) {
        case .value(let bytes) where bytes <= UInt64(Int64.max):
            return Int64(bytes)
        case .value, .overflow:
            throw UnitError("size is too large, found \"\(text)\"")
        case .inexact:
            throw UnitError("\"\(text)\" is not a whole number of bytes")
        }
    }

    // MARK: Percentages

    /// Reads a percentage such as `"99.9%"`.
    ///
    /// - Parameter text: The percentage as written.
    /// - Returns: The number before the sign: 99.9 for `"99.9%"`, not 0.999.
    /// - Throws: `UnitError` for a missing `%` or a negative percentage.
    public static func percentage(_ text: String) throws(UnitError) -> Double {
        do {
            return try percentageWithoutHint(text)
        } catch {
            throw hinted(error, text, reader: { (try? percentageWithoutHint($0)) != nil })
        }
    }

    static func percentageWithoutHint(_ text: String) throws(UnitError) -> Double {
        let expected = "expected a percentage such as \"99.9%\", found \"\(text)\""
        if text.hasPrefix("-"), (try? percentage(String(text.dropFirst()))) != nil {
            throw UnitError("percentages cannot be negative, found \"\(text)\"")
        }
        var scanner = Scanner(text)
        guard let number = scanner.decimal() else { throw UnitError(expected) }
        if scanner.isAtEnd { throw UnitError(expected + " (add a unit: \"\(number.text)%\")") }
        guard scanner.skip("%"), scanner.isAtEnd else { throw UnitError(expected) }
        let value = number.doubleValue
        guard value.isFinite else { throw UnitError("percentage is too large, found \"\(text)\"") }
        return value
    }
}

// MARK: - Hints

extension Units {
    /// The error, with a hint appended where the text is a common near miss: a space between the
    /// number and its unit (`"5 ms"`: remove the space), or a rate written as `"20rps"`,
    /// `"20qps"`, `"20/sec"` or `"20 per second"` (write `"20/s"`).
    static func hinted(_ error: UnitError, _ text: String, reader: (String) -> Bool) -> UnitError {
        let compact = String(text.unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init))
        if compact != text, !compact.isEmpty, reader(compact) {
            return UnitError(error.message + " (remove the space: \"\(compact)\")")
        }
        let lower = compact.lowercased()
        let digits = String(lower.prefix { $0.isNumber || $0 == "." })
        if !digits.isEmpty {
            let unit = lower.dropFirst(digits.count)
            let perSecond: Set<Substring> = ["rps", "qps", "tps", "ps", "/sec", "/second", "persecond", "persec", "req/s", "requests/s", "r/s"]
            let perMinute: Set<Substring> = ["rpm", "qpm", "/minute", "perminute", "req/min"]
            if perSecond.contains(unit) { return UnitError(error.message + " (write \"\(digits)/s\")") }
            if perMinute.contains(unit) { return UnitError(error.message + " (write \"\(digits)/min\")") }
        }
        return error
    }
}

// MARK: - Scanning

/// An unsigned decimal as written: digits, optionally a point and more digits.
struct DecimalText {
    var integerDigits: [UInt8]
    var fractionDigits: [UInt8]

    var text: String {
        String(decoding: integerDigits, as: UTF8.self)
            + (fractionDigits.isEmpty ? "" : "." + String(decoding: fractionDigits, as: UTF8.self))
    }

    var doubleValue: Double {
        Double(String(decoding: integerDigits, as: UTF8.self) + "." + String(decoding: fractionDigits + [UInt8(ascii: "0")], as: UTF8.self)) ?? .infinity
    }

    enum Product: Equatable { case value(UInt64), overflow, inexact }

    /// This decimal times an integer, computed exactly.
    func times(_ multiplier: UInt64) -> Product {
        var whole: UInt64 = 0
        for digit in integerDigits {
            let (shifted, overflow) = whole.multipliedReportingOverflow(by: 10)
            let (sum, carry) = shifted.addingReportingOverflow(UInt64(digit - UInt8(ascii: "0")))
            if overflow || carry { return .overflow }
            whole = sum
        }
        let (wholePart, overflow) = whole.multipliedReportingOverflow(by: multiplier)
        if overflow { return .overflow }
        var fraction = fractionDigits
        while fraction.last == UInt8(ascii: "0") { fraction.removeLast() }
        if fraction.isEmpty { return .value(wholePart) }
        if fraction.count > 19 { return .inexact }
        var numerator: UInt64 = 0
        var denominator: UInt64 = 1
        for digit in fraction {
            numerator = numerator * 10 + UInt64(digit - UInt8(ascii: "0"))
            denominator *= 10
        }
        let product = multiplier.multipliedFullWidth(by: numerator)
        let (quotient, remainder) = denominator.dividingFullWidth(product)  // quotient < multiplier
        if remainder != 0 { return .inexact }
        let (sum, carry) = wholePart.addingReportingOverflow(quotient)
        return carry ? .overflow : .value(sum)
    }
}

/// Reads a unit string from the front, one scalar at a time.
struct Scanner {
    let scalars: [Unicode.Scalar]
    var index = 0

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    var isAtEnd: Bool { index >= scalars.count }

    func isDigit(_ position: Int) -> Bool {
        position < scalars.count && ("0"..."9").contains(scalars[position])
    }

    /// Reads `digits`, `digits.digits` or `.digits`.
    mutating func decimal() -> DecimalText? {
        var integerDigits: [UInt8] = []
        var fractionDigits: [UInt8] = []
        while isDigit(index) { integerDigits.append(UInt8(scalars[index].value)); index += 1 }
        if index < scalars.count, scalars[index] == ".", isDigit(index + 1) {
            index += 1
            while isDigit(index) { fractionDigits.append(UInt8(scalars[index].value)); index += 1 }
        }
        if integerDigits.isEmpty && fractionDigits.isEmpty { return nil }
        return DecimalText(integerDigits: integerDigits, fractionDigits: fractionDigits)
    }

    /// Reads ASCII letters and the micro signs.
    mutating func letters() -> String {
        var result = String.UnicodeScalarView()
        while index < scalars.count {
            let scalar = scalars[index]
            guard ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "µ" || scalar == "μ" else { break }
            result.append(scalar)
            index += 1
        }
        return String(result)
    }

    mutating func skip(_ scalar: Unicode.Scalar) -> Bool {
        guard index < scalars.count, scalars[index] == scalar else { return false }
        index += 1
        return true
    }
}
