import FailureChains
import SimulationKernel

/// How the particulars of a state change read in `events.csv` and the report: the engine hands
/// over words and values (`EventText`), this spells the values for people, the way docs/output.md
/// writes them.
public enum DetailText {
    /// The text people read: words as they are, values spelled by kind.
    public static func render(_ text: EventText) -> String {
        let parts = text.parts
        if parts.isEmpty { return "" }
        if parts.count == 1, case .text(let words) = parts[0] { return words }
        var result = ""
        for part in parts { result += render(part) }
        return result
    }

    /// One part, spelled.
    public static func render(_ part: EventText.Part) -> String {
        switch part {
        case .text(let words): words
        case .count(let count): String(count)
        case .duration(let span): duration(span)
        case .roundedDuration(let span): duration(roughly(span))
        case .bytes(let count): bytes(count)
        case .rate(let perSecond): rate(perSecond)
        case .percent(let share): NumberText.decimal((share * 1000).rounded() / 10) + "%"
        case .percentWithTenth(let share): percentWithTenth(share)
        case .percentAsSet(let share): NumberText.decimal(share * 100) + "%"
        case .seed(let seed): String(seed)
        }
    }

    /// A duration spelled for people: `2m`, `3h35m`, `1.5s`, `250ms`, `0s`.
    public static func duration(_ interval: Interval) -> String {
        let nanoseconds = interval.nanoseconds
        if nanoseconds == 0 { return "0s" }  // as the docs and the model's own units write it
        if nanoseconds < 1_000_000_000 { return NumberText.decimal(Double(nanoseconds) / 1e6) + "ms" }
        let wholeSeconds = nanoseconds / 1_000_000_000
        let fraction = nanoseconds % 1_000_000_000
        var text = ""
        if wholeSeconds >= 3600 { text += "\(wholeSeconds / 3600)h" }
        if wholeSeconds % 3600 >= 60 { text += "\(wholeSeconds % 3600 / 60)m" }
        let seconds = wholeSeconds % 60
        if seconds > 0 || fraction > 0 {
            text += NumberText.decimal(Double(seconds) + Double(fraction) / 1e9) + "s"
        }
        return text
    }

    /// A span people read roughly: whole seconds from one second on, whole milliseconds below.
    static func roughly(_ interval: Interval) -> Interval {
        let nanoseconds = interval.nanoseconds
        let unit: Int64 = nanoseconds >= 1_000_000_000 ? 1_000_000_000 : 1_000_000
        return Interval(nanoseconds: (nanoseconds + unit / 2) / unit * unit)
    }

    /// A size spelled for people in binary units: `512MiB`, `1.5GiB`.
    public static func bytes(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return NumberText.decimal((value * 10).rounded() / 10) + units[unit]
    }

    /// A rate in requests per second, without locale: `20/s`, `0.5/s`.
    public static func rate(_ rate: Double) -> String {
        NumberText.decimal(rate) + "/s"
    }

    /// A share as a percentage that always shows its tenth: `95.0%`, `100.0%`.
    static func percentWithTenth(_ share: Double) -> String {
        let tenths = (share * 1000).rounded()
        return "\(Int64(tenths) / 10).\(Int64(tenths) % 10)%"
    }
}

extension EventText {
    /// The particulars as people read them (`DetailText.render`).
    public var text: String { DetailText.render(self) }
}
