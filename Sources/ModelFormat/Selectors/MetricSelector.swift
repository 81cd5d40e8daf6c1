import FailureChains

/// One `--metric` argument: what a study measures in each replication, in the words of `expect`.
///
///     shoppers.successRatio@2m..3m:mean     series.csv rows starting in [2m, 3m), their mean
///     web.latencyP99@5m..:maximum           from 5m to the end of the run
///     web.refused:sum                       from the end of the warm-up to the end of the run
///     cf.instanceCrashed@1h..2h:count       rows of events.csv (cf and its instances) in the window
///     web.latencyP99                        the summary.csv row (the run after its warm-up)
///
/// The component is the text before the first `.` (after the `]` of an instance: `cf[0].threadsBusy.ejb`
/// is the metric `threadsBusy.ejb` of `cf[0]`); the metric runs to `@` or `:`. The aggregates are
/// those of `expect` (mean, minimum, maximum, sum, first, last) and `count`, which counts events.
///
/// A selector is checked by the same code as an expectation: it is read as the element
/// `{component, metric, from, to, aggregate}` (or `{component, event, from, to}` for `count`) of
/// the model's `expect` list, so a misspelt name gets the same message, named by its argument.
public struct MetricSelector: Sendable, Equatable {
    /// The argument as given: `shoppers.successRatio@2m..3m:mean`.
    public let argument: String
    /// The component: `shoppers`.
    public let component: String
    /// The metric or event: `successRatio`.
    public let measured: String
    /// The window's start as written (`2m`), or nil when open or not given.
    public let from: String?
    /// The window's end as written, or nil when open or not given.
    public let to: String?
    /// The aggregate as written (`mean`, `count`), or nil.
    public let aggregate: String?
    /// Whether the argument has a window (`@…`).
    public let hasWindow: Bool

    /// Splits an argument into its parts.
    ///
    /// - Throws: `MetricSelectorError` when the argument does not have the selector's shape.
    public init(_ argument: String) throws(MetricSelectorError) {
        self.argument = argument
        var body = Substring(argument)
        var aggregate: String?
        if let colon = body.lastIndex(of: ":") {
            aggregate = String(body[body.index(after: colon)...])
            body = body[..<colon]
            if aggregate!.isEmpty { throw MetricSelectorError("expected an aggregate after ':' (mean, minimum, maximum, sum, first, last or count)") }
        }
        var window: Substring?
        if let at = body.firstIndex(of: "@") {
            window = body[body.index(after: at)...]
            body = body[..<at]
        }
        let searchStart = body.firstIndex(of: "]") ?? body.startIndex
        guard let dot = body[searchStart...].firstIndex(of: ".") else {
            throw MetricSelectorError("expected COMPONENT.METRIC before '@' or ':', such as 'shoppers.successRatio@2m..3m:mean'")
        }
        component = String(body[..<dot])
        measured = String(body[body.index(after: dot)...])
        if component.isEmpty { throw MetricSelectorError("expected a component before '.'") }
        if measured.isEmpty { throw MetricSelectorError("expected a metric after '\(component).'") }
        var from: String?, to: String?
        if let window {
            guard let range = window.firstRange(of: "..") else {
                throw MetricSelectorError("expected a window FROM..TO after '@', such as '@2m..3m' (either end may be left open), found '\(window)'")
            }
            let start = window[..<range.lowerBound], end = window[range.upperBound...]
            if start.isEmpty && end.isEmpty { throw MetricSelectorError("the window '..' has neither a start nor an end; leave out '@..' for the whole run after its warm-up") }
            from = start.isEmpty ? nil : String(start)
            to = end.isEmpty ? nil : String(end)
        }
        self.from = from
        self.to = to
        self.aggregate = aggregate
        hasWindow = window != nil
    }

    /// Whether the selector counts events rather than aggregating a metric.
    public var countsEvents: Bool { aggregate == "count" }

    /// The selector as an element of `expect`, every location at line 0 of `source`.
    func expectationNode(source: Int) -> JSON5Node {
        let here = SourceLocation(line: 0, column: 0, source: source)
        func string(_ text: String) -> JSON5Node { JSON5Node(location: here, value: .string(text)) }
        var members: [(String, JSON5Node)] = [("component", string(component))]
        members.append((countsEvents ? "event" : "metric", string(measured)))
        if let from { members.append(("from", string(from))) }
        if let to { members.append(("to", string(to))) }
        if let aggregate, !countsEvents { members.append(("aggregate", string(aggregate))) }
        // The comparison is never evaluated; one is needed for the element to be an expectation.
        members.append(countsEvents ? ("count", JSON5Node(location: here, value: .number(JSON5Number(literal: "0", doubleValue: 0))))
                                    : ("atLeast", JSON5Node(location: here, value: .number(JSON5Number(literal: "0", doubleValue: 0)))))
        return JSON5Node(location: here, value: .object(members.map { JSON5Member(key: $0.0, keyLocation: here, value: $0.1) }))
    }
}

/// What is wrong with the shape of a `--metric` argument.
public struct MetricSelectorError: Error, Sendable, Equatable {
    /// Lower-case, no trailing period.
    public let message: String

    init(_ message: String) { self.message = message }
}
