import SimulationKernel

/// The values a field may take: an optional lower and upper bound, each inclusive or exclusive.
///
/// Its requirement reads as the start of an error message: `must be positive`,
/// `must be between 1 and 10000`, `must be at least 1ms`.
public struct Bounds<Value: Comparable & Sendable>: Sendable {
    /// The lower bound, if any.
    public let lower: Value?
    /// Whether `lower` itself is allowed.
    public let isLowerInclusive: Bool
    /// The upper bound, if any.
    public let upper: Value?
    /// Whether `upper` itself is allowed.
    public let isUpperInclusive: Bool
    /// Replaces the generated requirement, as in `must be positive`.
    let phrase: String?

    /// Creates bounds.
    ///
    /// - Parameters:
    ///   - lower: The lower bound, or `nil` for none.
    ///   - isLowerInclusive: Whether `lower` itself is allowed.
    ///   - upper: The upper bound, or `nil` for none.
    ///   - isUpperInclusive: Whether `upper` itself is allowed.
    public init(lower: Value? = nil, isLowerInclusive: Bool = true, upper: Value? = nil, isUpperInclusive: Bool = true) {
        self.init(lower: lower, isLowerInclusive: isLowerInclusive, upper: upper, isUpperInclusive: isUpperInclusive, phrase: nil)
    }

    init(lower: Value?, isLowerInclusive: Bool, upper: Value?, isUpperInclusive: Bool, phrase: String?) {
        self.lower = lower
        self.isLowerInclusive = isLowerInclusive
        self.upper = upper
        self.isUpperInclusive = isUpperInclusive
        self.phrase = phrase
    }

    /// Values from `range.lowerBound` through `range.upperBound`.
    public init(_ range: ClosedRange<Value>) {
        self.init(lower: range.lowerBound, upper: range.upperBound)
    }

    /// Values at or above `value`.
    public static func atLeast(_ value: Value) -> Bounds { Bounds(lower: value) }
    /// Values strictly above `value`.
    public static func greaterThan(_ value: Value) -> Bounds { Bounds(lower: value, isLowerInclusive: false) }
    /// Values at or below `value`.
    public static func atMost(_ value: Value) -> Bounds { Bounds(upper: value) }
    /// Values strictly below `value`.
    public static func lessThan(_ value: Value) -> Bounds { Bounds(upper: value, isUpperInclusive: false) }

    /// Whether a value lies within the bounds.
    public func contains(_ value: Value) -> Bool {
        if let lower, isLowerInclusive ? value < lower : value <= lower { return false }
        if let upper, isUpperInclusive ? value > upper : value >= upper { return false }
        return true
    }

    /// Returns the requirement as the start of an error message: `must be between 1 and 10000`.
    ///
    /// Public so that the test targets, built in release mode without `@testable`, can check it.
    ///
    /// - Parameter format: Spells a bound as it appears in the message, with its unit.
    /// - Returns: The phrase given at creation, such as `must be positive`, or one built from the bounds.
    public func requirement(_ format: (Value) -> String) -> String {
        if let phrase { return phrase }
        switch (lower, upper) {
        case let (lower?, upper?) where isLowerInclusive && isUpperInclusive:
            return "must be between \(format(lower)) and \(format(upper))"
        case let (lower?, upper?):
            return "must be \(lowerPhrase(format(lower))) and \(upperPhrase(format(upper)))"
        case let (lower?, nil):
            return "must be \(lowerPhrase(format(lower)))"
        case let (nil, upper?):
            return "must be \(upperPhrase(format(upper)))"
        case (nil, nil):
            return "must be valid"
        }
    }

    private func lowerPhrase(_ text: String) -> String { (isLowerInclusive ? "at least " : "greater than ") + text }
    private func upperPhrase(_ text: String) -> String { (isUpperInclusive ? "at most " : "less than ") + text }
}

extension Bounds where Value: AdditiveArithmetic {
    /// Values above zero: `must be positive`.
    public static var positive: Bounds {
        Bounds(lower: .zero, isLowerInclusive: false, upper: nil, isUpperInclusive: true, phrase: "must be positive")
    }

    /// Zero and above: `must not be negative`.
    public static var nonNegative: Bounds {
        Bounds(lower: .zero, isLowerInclusive: true, upper: nil, isUpperInclusive: true, phrase: "must not be negative")
    }
}

extension Bounds where Value == Interval {
    /// Intervals longer than zero: `must be positive`.
    public static var positive: Bounds {
        Bounds(lower: .zero, isLowerInclusive: false, upper: nil, isUpperInclusive: true, phrase: "must be positive")
    }
}
