import FailureChains
import SimulationKernel

/// Reads the `expect` list of a model: what the model states about its own results.
///
///     expect: [
///       // series.csv over a window, aggregated (mean unless said otherwise):
///       { component: "kiosks", metric: "successRatio", from: "2h35m", to: "5h30m", aggregate: "maximum", below: 0.1 },
///       // summary.csv (no window, no aggregate):
///       { component: "web", metric: "latencyP99", below: "2s" },
///       // rows of events.csv, for the component and its instances, optionally over a window:
///       { component: "cf", event: "instanceCrashed", count: 0 },
///     ]
///
/// Each expectation has exactly one comparison: `below`, `above`, `atMost`, `atLeast` or `equal`
/// (and `count`, meaning equal, for events). A comparison value is a number, a duration string
/// (in seconds: `"2s"` is 2) or a percentage string (as a fraction: `"10%"` is 0.1); an event count
/// is a number.
public enum ExpectationDecoder {
    /// The comparison keys, in the order they are listed in messages.
    static let comparisonKeys = ["below", "above", "atMost", "atLeast", "equal"]

    /// Decodes each element of the `expect` array, reporting every problem to the elements'
    /// diagnostics; elements with a problem are left out.
    ///
    /// - Parameters:
    ///   - values: The array's elements, each with its path (`expect[2]`).
    ///   - file: The file as given by the user, for each expectation's `location`.
    /// - Returns: The expectations that were read without a problem, in file order.
    public static func decode(_ values: [ValueReader], file: String) -> [Expectation] {
        read(values, file: file).compactMap(\.expectation)
    }

    /// An element of the `expect` list as read: the expectation if it has no problem, and the
    /// names it gives, for `ModelDecoder` to check against the model whatever else is wrong.
    struct Read {
        /// The element.
        var object: ObjectReader
        /// The expectation, when the element has no problem of its own.
        var expectation: Expectation?
        /// The `component`, when it is a non-empty string.
        var component: String?
        /// The `metric` or `event`, when it is a non-empty string.
        var measured: String?
        /// Whether `measured` is an event.
        var isEvents: Bool
        /// Whether a metric is read from `series.csv` (a window or an aggregate is given) rather
        /// than `summary.csv`.
        var readsSeries: Bool
    }

    /// Reads each element of the `expect` array, reporting every problem to the elements' diagnostics.
    static func read(_ values: [ValueReader], file: String) -> [Read] {
        values.compactMap { read($0, file: file) }
    }

    static func read(_ value: ValueReader, file: String) -> Read? {
        guard let object = value.object() else { return nil }
        defer { object.finish() }
        let component = object.requiredString("component").flatMap { name -> String? in
            guard !name.isEmpty else { object.error("must name a component, found \"\"", key: "component"); return nil }
            return name
        }
        let hasMetric = object.contains("metric"), hasEvent = object.contains("event")
        let isEvents = hasEvent
        if hasMetric && hasEvent {
            object.error("an expectation is about a metric or an event, not both", key: "event")
        } else if !hasMetric && !hasEvent {
            object.error("missing required key 'metric' (or 'event', to count rows of events.csv)")
        }
        let measured = hasMetric ? object.string("metric") : hasEvent ? object.string("event") : nil
        if let measured, measured.isEmpty {
            object.error("must be a name, found \"\"", key: hasMetric ? "metric" : "event")
        }

        let hasWindow = object.contains("from") || object.contains("to")
        let from = object.duration("from", bounds: .atLeast(.zero))
        let to = object.duration("to", bounds: .atLeast(.zero))
        var windowIsValid = (from != nil || object.node("from") == nil) && (to != nil || object.node("to") == nil)
        if let from, let to, to <= from {
            object.error("must be after from (\(Units.format(from))), found \(Units.format(to))", key: "to")
            windowIsValid = false
        }

        var aggregate = Expectation.Aggregate.mean
        var aggregateIsValid = true
        let hasAggregate = object.contains("aggregate")
        if let text = object.string("aggregate") {
            if isEvents {
                object.error("events are counted, not aggregated; remove 'aggregate'", key: "aggregate")
                aggregateIsValid = false
            } else if let named = Expectation.Aggregate(rawValue: text) {
                aggregate = named
            } else {
                let names = Expectation.Aggregate.allCases.map(\.rawValue)
                var message = "must be one of \(names.joined(separator: ", ")), found \"\(text)\""
                if let suggestion = suggestedAggregate(for: text, among: names) { message += "; did you mean '\(suggestion)'?" }
                object.error(message, key: "aggregate")
                aggregateIsValid = false
            }
        } else if hasAggregate {
            aggregateIsValid = false
        }

        let comparison = decodeComparison(object, isEvents: hasMetric || hasEvent ? isEvents : nil)

        // With both a metric and an event, which was meant is unknown; neither name is checked.
        let named = measured?.isEmpty == false && !(hasMetric && hasEvent) ? measured : nil
        var read = Read(object: object, expectation: nil, component: component, measured: named,
                        isEvents: isEvents, readsSeries: hasWindow || hasAggregate)
        guard let component, let measured, !measured.isEmpty, !(hasMetric && hasEvent),
              windowIsValid, aggregateIsValid, let comparison else { return read }
        let subject: Expectation.Subject
        var words = [component, measured]
        if isEvents {
            subject = .events(component: component, event: measured, from: from, to: to)
            words.append("count")
        } else if hasWindow || hasAggregate {
            subject = .series(component: component, metric: measured, from: from, to: to, aggregate: aggregate)
            words.append(aggregate.rawValue)
        } else {
            subject = .summary(component: component, metric: measured)
        }
        if let from { words += ["from", Units.format(from)] }
        if let to { words += ["to", Units.format(to)] }
        words += [comparison.text]
        read.expectation = Expectation(subject: subject, comparison: comparison.value, text: words.joined(separator: " "),
                                       location: object.diagnostics.place(of: object.node.location, file: file))
        return read
    }

    /// The aggregate meant by a wrong name: the one it abbreviates (`max`), `mean` for an
    /// average, else the nearest by edit distance.
    static func suggestedAggregate(for text: String, among names: [String]) -> String? {
        let lowered = text.lowercased()
        if !lowered.isEmpty, let abbreviated = names.first(where: { $0.hasPrefix(lowered) }) { return abbreviated }
        if ["avg", "average"].contains(lowered) { return Expectation.Aggregate.mean.rawValue }
        return NearestName.closest(to: text, among: names)
    }

    /// The one comparison of an expectation and its canonical text (`below 2s`, `== 0`).
    ///
    /// `isEvents` is `nil` when the expectation names neither a metric nor an event.
    private static func decodeComparison(_ object: ObjectReader, isEvents: Bool?) -> (value: Expectation.Comparison, text: String)? {
        let keys = comparisonKeys + ["count"]
        for key in keys { _ = object.contains(key) }
        let given = object.members.map(\.key).filter { keys.contains($0) }  // in source order
        let listed = (isEvents != false ? keys : comparisonKeys).joined(separator: ", ")
        guard let key = given.first else {
            object.error("missing a comparison: one of \(listed)")
            return nil
        }
        var isValid = true
        for extra in given.dropFirst() {
            object.error("an expectation has exactly one comparison (\(listed)); '\(key)' is already given", key: extra)
            isValid = false
        }
        if key == "count" && isEvents != true {
            if isEvents == false { object.error("'count' compares a number of events; use 'equal' for a metric", key: "count") }
            return nil
        }
        guard isValid, let reader = object.value(key) else { return nil }
        guard let (number, spelling) = isEvents == true ? eventCount(reader, isExact: key == "count") : bound(reader) else { return nil }
        switch key {
        case "below": return (.below(number), "below " + spelling)
        case "above": return (.above(number), "above " + spelling)
        case "atMost": return (.atMost(number), "at most " + spelling)
        case "atLeast": return (.atLeast(number), "at least " + spelling)
        default: return (.equal(number), "== " + spelling)
        }
    }

    /// A metric bound: a finite number, a duration string (in seconds) or a percentage string (a fraction).
    private static func bound(_ reader: ValueReader) -> (Double, String)? {
        switch reader.node.value {
        case .number(let literal):
            guard let number = reader.number() else { return nil }
            guard number.isFinite else {
                reader.error("must be a finite number, found \(literal.literal)")
                return nil
            }
            return (number, NumberText.decimal(number))
        case .string(let text) where text.hasSuffix("%"):
            guard let percent = reader.percentage() else { return nil }
            return (percent / 100, NumberText.decimal(percent) + "%")
        case .string(let text):
            do {
                let interval = try Units.duration(text)
                return (interval.seconds, Units.format(interval))
            } catch {
                reader.error(error.message.hasPrefix("expected a duration")
                    ? "expected a number, a duration such as \"2s\" or a percentage such as \"10%\", found \"\(text)\""
                    : error.message)
                return nil
            }
        default:
            reader.error("expected a number, a duration such as \"2s\" or a percentage such as \"10%\", found \(reader.node.typeName)")
            return nil
        }
    }

    /// A number of events: a non-negative number, an integer for `count`.
    private static func eventCount(_ reader: ValueReader, isExact: Bool) -> (Double, String)? {
        guard case .number = reader.node.value else {
            reader.error("expected a number of events, found \(reader.node.typeName)")
            return nil
        }
        if isExact {
            guard let count = reader.integer(bounds: .atLeast(0)) else { return nil }
            return (Double(count), String(count))
        }
        guard let number = reader.number(bounds: .atLeast(0)) else { return nil }
        return (number, NumberText.decimal(number))
    }
}
