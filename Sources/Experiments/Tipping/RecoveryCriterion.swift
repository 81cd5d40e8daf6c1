import FailureChains
import ModelFormat
import SimulationKernel

/// What "recovered" means for one run: `--recovered 'C.M@FROM..TO:AGG>VALUE'`, a selector as
/// `--metric` takes it and a comparison, where either end of the window may count from the end
/// of the trigger fault: `users.successRatio@+5m..+10m:mean>0.95`.
public struct RecoveryCriterion: Sendable, Equatable {
    /// How the measure is compared.
    public enum Comparison: String, Sendable {
        case above = ">", atLeast = ">=", below = "<", atMost = "<="
    }

    /// One end of the window.
    public struct End: Sendable, Equatable {
        /// The time, from the start of the run or from the end of the trigger.
        public var time: Interval
        /// Whether it counts from the end of the trigger (`+5m`).
        public var isRelative: Bool

        /// The end for a trigger ending at `triggerEnd`.
        public func resolved(triggerEnd: Interval) -> Interval { isRelative ? triggerEnd + time : time }
    }

    /// The argument as given.
    public var argument: String
    /// `users`.
    public var component: String
    /// `successRatio`.
    public var metric: String
    /// The window's start.
    public var from: End
    /// The window's end, or nil for the end of the run.
    public var to: End?
    /// The aggregate as written, or nil (mean).
    public var aggregate: String?
    /// The comparison.
    public var comparison: Comparison
    /// The value compared with.
    public var value: Double

    /// Reads the argument.
    ///
    /// - Throws: `TippingRangeError` with what is wrong.
    public init(_ argument: String) throws(TippingRangeError) {
        self.argument = argument
        guard let opIndex = argument.lastIndex(where: { $0 == ">" || $0 == "<" }) else {
            throw TippingRangeError("expected a selector and a comparison, such as 'users.successRatio@+5m..+10m:mean>0.95', found '\(argument)'")
        }
        var selectorText = String(argument[..<opIndex])
        var valueText = String(argument[argument.index(after: opIndex)...])
        var op = String(argument[opIndex])
        if valueText.hasPrefix("=") { op += "="; valueText.removeFirst() }
        if selectorText.hasSuffix(">") || selectorText.hasSuffix("<") { throw TippingRangeError("expected one of >, >=, < and <= in '\(argument)'") }
        guard let value = Double(valueText), value.isFinite else {
            throw TippingRangeError("expected a number after '\(op)' in '\(argument)', found '\(valueText)'")
        }
        self.value = value
        comparison = Comparison(rawValue: op)!
        let selector: MetricSelector
        do {
            selector = try MetricSelector(selectorText)
        } catch {
            throw TippingRangeError(error.message)
        }
        guard selector.hasWindow, let fromText = selector.from else {
            throw TippingRangeError("the recovery window needs a start, such as '@+5m..+10m' (5 to 10 minutes after the trigger ends), in '\(argument)'")
        }
        selectorText = ""
        component = selector.component
        metric = selector.measured
        aggregate = selector.aggregate
        from = try Self.end(fromText)
        to = try selector.to.map(Self.end)
        if let to, to.isRelative == from.isRelative, to.time <= from.time {
            throw TippingRangeError("the recovery window must end after it starts, in '\(argument)'")
        }
    }

    private static func end(_ text: String) throws(TippingRangeError) -> End {
        let isRelative = text.hasPrefix("+")
        do {
            return End(time: try Units.duration(isRelative ? String(text.dropFirst()) : text), isRelative: isRelative)
        } catch {
            throw TippingRangeError(error.message)
        }
    }

    /// Whether a measured value means recovered; a window without data does not.
    public func holds(_ measured: Double?) -> Bool {
        guard let measured else { return false }
        switch comparison {
        case .above: return measured > value
        case .atLeast: return measured >= value
        case .below: return measured < value
        case .atMost: return measured <= value
        }
    }

    /// The selector over an absolute window, as `--metric` takes it.
    public func selector(from start: Interval, to end: Interval?) -> String {
        "\(component).\(metric)@\(Units.format(start))..\(end.map(Units.format) ?? "")" + (aggregate.map { ":" + $0 } ?? "")
    }
}
