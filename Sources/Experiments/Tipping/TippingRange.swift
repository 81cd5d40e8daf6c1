import ModelFormat
import SimulationKernel

/// One axis of a tipping map: `PATH=LOW..HIGH`, such as `traffic.users.rate=30/s..95/s` or
/// `faults[0].duration=1s..120s`, and the values between its ends, written in their own unit.
///
/// Both ends are read as the model reads them: a duration (`1s`, `2m`), a rate (`30/s`), a
/// percentage (`50%`) or a plain number (`2`, `0.5`). A value between them is interpolated in the
/// unit both ends are written in (`1m..10m` gives `5.5m`); ends in different units of one kind
/// (`30s..2m`, `30/s..6000/min`) are interpolated in seconds or per second. When both ends are
/// whole numbers without a unit, every value is a whole number (`services.web.instances=2..8`).
public struct TippingRange: Sendable, Equatable {
    /// What the ends are.
    public enum Kind: Sendable, Equatable {
        /// A duration, the unit's length in nanoseconds.
        case duration(unit: String, nanoseconds: Int64)
        /// A rate, the unit's length in seconds (`/s` is 1, `/min` 60).
        case rate(unit: String, seconds: Double)
        /// A percentage.
        case percentage
        /// A plain number; `isInteger` when both ends are whole.
        case number(isInteger: Bool)
    }

    /// The `--set` path: `faults[0].duration`.
    public var path: String
    /// The lower end, in `kind`'s unit.
    public var low: Double
    /// The upper end, above `low`.
    public var high: Double
    /// What the values are.
    public var kind: Kind
    /// The argument as given.
    public var argument: String

    /// Reads `PATH=LOW..HIGH`.
    ///
    /// - Throws: `TippingRangeError` naming what is wrong.
    public init(_ argument: String) throws(TippingRangeError) {
        self.argument = argument
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
            throw TippingRangeError("expected PATH=LOW..HIGH, such as 'faults[0].duration=1s..120s', found '\(argument)'")
        }
        path = String(argument[..<equals])
        let values = String(argument[argument.index(after: equals)...])
        guard let dots = values.firstRange(of: ".."), !values[..<dots.lowerBound].isEmpty, !values[dots.upperBound...].isEmpty else {
            throw TippingRangeError("expected LOW..HIGH after '\(path)=', such as 1s..120s or 30/s..95/s, found '\(values)'")
        }
        let lowText = String(values[..<dots.lowerBound]), highText = String(values[dots.upperBound...])
        let (lowValue, lowKind) = try Self.read(lowText)
        let (highValue, highKind) = try Self.read(highText)
        switch (lowKind, highKind) {
        case (.duration(let a, let an), .duration(let b, _)):
            if a == b { kind = lowKind; low = lowValue; high = highValue } else {
                kind = .duration(unit: "s", nanoseconds: 1_000_000_000)
                low = lowValue * Double(an) / 1e9
                high = highValue * Double(Self.nanoseconds(of: highKind)) / 1e9
            }
        case (.rate(let a, let aSeconds), .rate(let b, let bSeconds)):
            if a == b { kind = lowKind; low = lowValue; high = highValue } else {
                kind = .rate(unit: "s", seconds: 1)
                low = lowValue / aSeconds
                high = highValue / bSeconds
            }
        case (.percentage, .percentage):
            kind = .percentage; low = lowValue; high = highValue
        case (.number(let a), .number(let b)):
            kind = .number(isInteger: a && b); low = lowValue; high = highValue
        default:
            throw TippingRangeError("the ends of '\(values)' are of different kinds; give both as durations, rates, percentages or numbers")
        }
        guard high > low else {
            throw TippingRangeError("the range '\(values)' must go from a lower value to a higher one")
        }
    }

    /// The value at a fraction of the way from `low` to `high`, rounded to what the kind can
    /// write (whole numbers for an integer range, whole nanoseconds for a duration).
    public func value(at fraction: Double) -> Double {
        rounded(low + fraction * (high - low))
    }

    /// A value rounded to what `text(_:)` writes exactly.
    public func rounded(_ value: Double) -> Double {
        switch kind {
        case .number(isInteger: true): return value.rounded(.toNearestOrAwayFromZero)
        case .duration(_, let nanoseconds):
            let scale = Double(min(1_000_000, nanoseconds))
            return (value * scale).rounded(.toNearestOrAwayFromZero) / scale
        default: return (value * 1e6).rounded(.toNearestOrAwayFromZero) / 1e6
        }
    }

    /// The smallest step between two values: 1 for an integer range, 0 otherwise.
    public var resolution: Double {
        if case .number(isInteger: true) = kind { return 1 }
        return 0
    }

    /// A value as the model reads it: `60.5s`, `62.5/s`, `75%`, `4`.
    public func text(_ value: Double) -> String {
        let value = rounded(value)
        switch kind {
        case .duration(let unit, _): return NumberText.decimal(value) + unit
        case .rate(let unit, _): return NumberText.decimal(value) + "/" + unit
        case .percentage: return NumberText.decimal(value) + "%"
        case .number(let isInteger): return isInteger ? String(Int64(value)) : NumberText.decimal(value)
        }
    }

    /// The `--set` argument that gives the path this value.
    public func override(_ value: Double) -> String { "\(path)=\(text(value))" }

    /// The unit's name, for a chart's axis: `s`, `/s`, `%`, or empty.
    public var unitName: String {
        switch kind {
        case .duration(let unit, _): unit
        case .rate(let unit, _): "/" + unit
        case .percentage: "%"
        case .number: ""
        }
    }

    private static func nanoseconds(of kind: Kind) -> Int64 {
        if case .duration(_, let nanoseconds) = kind { return nanoseconds }
        return 1
    }

    /// One end: its number in its own unit, and the unit.
    private static func read(_ text: String) throws(TippingRangeError) -> (Double, Kind) {
        if let number = Double(text), text.allSatisfy({ "0123456789.-+".contains($0) }), number.isFinite {
            return (number, .number(isInteger: !text.contains(".")))
        }
        if text.hasSuffix("%") {
            guard let number = Double(text.dropLast()), number.isFinite else { throw TippingRangeError("expected a percentage such as 50%, found '\(text)'") }
            return (number, .percentage)
        }
        if let slash = text.firstIndex(of: "/") {
            let unit = String(text[text.index(after: slash)...])
            do {
                let perSecond = try Units.rate(text)
                let seconds = try 1 / Units.rate("1/" + unit)
                return (perSecond * seconds, .rate(unit: unit, seconds: seconds))
            } catch {
                throw TippingRangeError(error.message)
            }
        }
        let interval: Interval
        do {
            interval = try Units.duration(text)
        } catch {
            throw TippingRangeError(error.message)
        }
        // One unit written once (`90s`, `1.5m`) is the unit of the axis; anything else counts in seconds.
        let letters = String(text.drop { $0.isNumber || $0 == "." })
        if let unit = durationUnits.first(where: { $0.name == letters }), !letters.isEmpty {
            return (Double(interval.nanoseconds) / Double(unit.nanoseconds), .duration(unit: unit.name, nanoseconds: unit.nanoseconds))
        }
        return (Double(interval.nanoseconds) / 1e9, .duration(unit: "s", nanoseconds: 1_000_000_000))
    }

    private static let durationUnits: [(name: String, nanoseconds: Int64)] = [
        ("d", 86_400_000_000_000), ("h", 3_600_000_000_000), ("m", 60_000_000_000), ("s", 1_000_000_000),
        ("ms", 1_000_000), ("us", 1_000), ("ns", 1),
    ]
}

/// What is wrong with a `--load` or `--trigger` range.
public struct TippingRangeError: Error, Sendable, Equatable {
    /// Lower-case, no trailing period.
    public var message: String

    init(_ message: String) { self.message = message }
}
