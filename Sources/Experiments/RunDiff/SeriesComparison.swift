#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import SimulationKernel

/// How one metric of one component differs between two runs' `series.csv`.
public struct MetricDifference: Sendable, Equatable {
    /// The component: a service, an instance (`web[2]`), a source or population.
    public var component: String
    /// The metric.
    public var metric: String
    /// The largest relative difference over the intervals: |a − b| over the largest magnitude the
    /// metric reaches in either run, from 0 to 1; 1 for an interval only one run has. Relative to
    /// the metric's scale, so that 0 against 1 connection in a pool that reaches 160 counts 0.6%.
    public var largestRelativeDifference: Double
    /// The start of the interval where it is largest (the first such).
    public var largestAt: Instant
    /// The two values there; nil for a run without that row.
    public var valueA: Double?
    public var valueB: Double?
    /// The start of the first interval in which the values differ.
    public var firstDifferentAt: Instant
    /// The number of intervals in which they differ.
    public var differentIntervals: Int
}

/// Compares two `series.csv` files metric by metric.
public enum SeriesComparison {
    /// The metrics that differ, most different first: by largest relative difference, then the
    /// earliest first difference, then more intervals differing, then by component and metric.
    ///
    /// - Parameters:
    ///   - pathA: The first run's `series.csv`.
    ///   - pathB: The second's.
    /// - Throws: `RunDiffProblem` for a file that cannot be read or is not a `series.csv`.
    public static func compare(_ pathA: String, _ pathB: String) throws(RunDiffProblem) -> [MetricDifference] {
        let left = try read(pathA)
        let right = try read(pathB)
        var differences: [MetricDifference] = []
        for key in Set(left.keys).union(right.keys) {
            let rowsA = left[key] ?? [:]
            let rowsB = right[key] ?? [:]
            var difference: MetricDifference?
            let scale = max(rowsA.values.map { abs($0.value) }.max() ?? 0, rowsB.values.map { abs($0.value) }.max() ?? 0)
            for time in Set(rowsA.keys).union(rowsB.keys).sorted() {
                let x = rowsA[time], y = rowsB[time]
                if let x, let y, x.text == y.text { continue }
                let relative = Self.relativeDifference(x?.value, y?.value, scale: scale)
                let at = Instant(nanoseconds: time)
                if difference == nil {
                    difference = MetricDifference(component: key.component, metric: key.metric, largestRelativeDifference: relative,
                                                  largestAt: at, valueA: x?.value, valueB: y?.value, firstDifferentAt: at, differentIntervals: 0)
                } else if relative > difference!.largestRelativeDifference {
                    difference!.largestRelativeDifference = relative
                    difference!.largestAt = at
                    difference!.valueA = x?.value
                    difference!.valueB = y?.value
                }
                difference!.differentIntervals += 1
            }
            if let difference { differences.append(difference) }
        }
        return differences.sorted { x, y in
            if x.largestRelativeDifference != y.largestRelativeDifference { return x.largestRelativeDifference > y.largestRelativeDifference }
            if x.firstDifferentAt != y.firstDifferentAt { return x.firstDifferentAt < y.firstDifferentAt }
            if x.differentIntervals != y.differentIntervals { return x.differentIntervals > y.differentIntervals }
            return (x.component, x.metric) < (y.component, y.metric)
        }
    }

    /// |a − b| / `scale`, 1 when one is missing, 0 when the scale is 0.
    static func relativeDifference(_ a: Double?, _ b: Double?, scale: Double) -> Double {
        guard let a, let b else { return 1 }
        if scale == 0 { return 0 }
        return min(1, abs(a - b) / scale)
    }

    struct Key: Hashable {
        var component: String
        var metric: String
    }

    /// The rows of a `series.csv`, by component and metric, then by interval start (nanoseconds).
    static func read(_ path: String) throws(RunDiffProblem) -> [Key: [Int64: (text: String, value: Double)]] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RunDiffProblem(.unreadable, "\(path): error: cannot read it")
        }
        let text = String(decoding: data, as: UTF8.self)
        var rows: [Key: [Int64: (text: String, value: Double)]] = [:]
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if lineNumber == 1 {
                guard line == "time,component,metric,value" else {
                    throw RunDiffProblem(.malformed, "\(path):1:1: error: not a series.csv: the header must be 'time,component,metric,value'")
                }
                continue
            }
            if line.isEmpty { continue }
            let fields = CSVLine.fields(line)
            guard fields.count == 4, let time = Self.nanoseconds(fields[0]), let value = Double(fields[3]) else {
                throw RunDiffProblem(.malformed, "\(path):\(lineNumber):1: error: not a row of series.csv: '\(line.prefix(80))'")
            }
            rows[Key(component: fields[1], metric: fields[2]), default: [:]][time] = (fields[3], value)
        }
        return rows
    }

    /// Seconds with up to nine decimals (`4800.000000000`) as nanoseconds.
    static func nanoseconds(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int64(parts[0]) else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard digits.count <= 9, digits.allSatisfy(\.isASCII), let value = Int64(digits) else { return nil }
            fraction = value
            for _ in digits.count..<9 { fraction *= 10 }
        }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? nil : scaled + fraction
    }
}

/// Splits one CSV line into fields, undoing the quoting `CSVText.field` applies.
enum CSVLine {
    static func fields(_ line: Substring) -> [String] {
        var fields: [String] = []
        var field = ""
        var isQuoted = false
        var iterator = line.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            if isQuoted {
                if character == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { isQuoted = false; pending = next }
                    } else {
                        isQuoted = false
                    }
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                isQuoted = true
            } else if character == "," {
                fields.append(field)
                field = ""
            } else {
                field.append(character)
            }
        }
        fields.append(field)
        return fields
    }
}
