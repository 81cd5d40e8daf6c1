import SimulationKernel

/// The particulars of a state change, its `detail` or its `cause`, as words and values: the engine
/// says *what* happened (`all `, 5 threads, ` busy for `, 20 s), Reporting spells it for people
/// (`all 5 threads busy for 20s`, in `DetailText`). The engine formats no number.
///
/// Written as a string with typed interpolations, `"up in \(duration: startupTime)"`: the literal
/// words become text, an integer becomes a count, a name stays text. Adjacent words are joined into
/// one text part, so that two texts written alike compare equal.
public struct EventText: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// One piece of the particulars.
    public enum Part: Sendable, Hashable {
        /// Words and names, as they are.
        case text(String)
        /// An exact count: `5`.
        case count(Int64)
        /// A duration: `2m`, `1.5s`, `250ms`, `0s`.
        case duration(Interval)
        /// A span people read roughly: to the whole second from one second on, to the whole
        /// millisecond below: `20s`, `250ms`.
        case roundedDuration(Interval)
        /// A size in bytes, spelled in binary units: `512MiB`.
        case bytes(Int64)
        /// A rate, per second: `12/s`.
        case rate(Double)
        /// A measured share (0.934), as a percentage to a tenth: `93.4%`, `90%`.
        case percent(Double)
        /// A measured share as a percentage that always shows its tenth: `95.0%`.
        case percentWithTenth(Double)
        /// A share the model set (0.7), as a percentage to six decimals: `70%`.
        case percentAsSet(Double)
        /// A run's random seed, in full: `18446744073709551615`.
        case seed(UInt64)
    }

    /// The pieces, in order; never two text parts side by side, never an empty text.
    public private(set) var parts: [Part]

    /// No particulars.
    public init() { parts = [] }

    /// Particulars that are already words, such as a column read back from `events.csv`.
    public init(_ text: String) {
        parts = text.isEmpty ? [] : [.text(text)]
    }

    public init(stringLiteral value: String) { self.init(value) }

    public init(stringInterpolation: StringInterpolation) {
        parts = stringInterpolation.text.parts
        if !stringInterpolation.words.isEmpty { parts.append(.text(stringInterpolation.words)) }
    }

    /// Whether there are no particulars.
    public var isEmpty: Bool { parts.isEmpty }

    /// Appends a part, joining words to the words before them.
    public mutating func append(_ part: Part) {
        if case .text(let words) = part {
            if words.isEmpty { return }
            if case .text(let before)? = parts.last {
                parts[parts.count - 1] = .text(before + words)
                return
            }
        }
        parts.append(part)
    }

    /// Appends another text's parts.
    public mutating func append(_ other: EventText) {
        for part in other.parts { append(part) }
    }

    /// The counts among the parts, in order.
    public var counts: [Int64] {
        parts.compactMap { if case .count(let count) = $0 { count } else { nil } }
    }

    /// Whether some text part contains `words`.
    public func containsWords(_ words: String) -> Bool {
        parts.contains { if case .text(let text) = $0 { text.contains(words) } else { false } }
    }

    /// Whether the parts begin with `prefix`'s: equal values, and words that begin alike where
    /// `prefix` ends in the middle of a text part (`"all \(5) threads busy for "` begins
    /// `all 5 threads busy for 20s: ...`).
    public func starts(with prefix: EventText) -> Bool {
        guard prefix.parts.count <= parts.count else { return false }
        for (index, part) in prefix.parts.enumerated() where part != parts[index] {
            guard index == prefix.parts.count - 1, case .text(let start) = part, case .text(let words) = parts[index],
                  words.hasPrefix(start) else { return false }
        }
        return true
    }

    /// Whether the parts end with `suffix`'s: equal values, and words that end alike where
    /// `suffix` starts in the middle of a text part.
    public func ends(with suffix: EventText) -> Bool {
        guard suffix.parts.count <= parts.count else { return false }
        let offset = parts.count - suffix.parts.count
        for (index, part) in suffix.parts.enumerated() where part != parts[offset + index] {
            guard index == 0, case .text(let end) = part, case .text(let words) = parts[offset],
                  words.hasSuffix(end) else { return false }
        }
        return true
    }

    /// The parts as a debugging aid (not the spelling people read: that is Reporting's `DetailText`).
    public var description: String { "\(parts)" }

    /// Builds the parts of an interpolated literal: words gather in one string until a value comes.
    public struct StringInterpolation: StringInterpolationProtocol {
        var text = EventText()
        var words = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            text.parts.reserveCapacity(2 * interpolationCount + 1)
            words.reserveCapacity(literalCapacity)
        }

        private mutating func appendValue(_ part: Part) {
            if !words.isEmpty {
                text.parts.append(.text(words))  // the part before is a value: words never follow words
                words = ""
            }
            text.append(part)
        }

        public mutating func appendLiteral(_ literal: String) { words += literal }
        /// Words or a name.
        public mutating func appendInterpolation(_ name: String) { words += name }
        /// Another text's parts.
        public mutating func appendInterpolation(_ other: EventText) {
            for part in other.parts {
                if case .text(let more) = part { words += more } else { appendValue(part) }
            }
        }
        /// A count.
        public mutating func appendInterpolation<Integer: BinaryInteger>(_ count: Integer) { appendValue(.count(Int64(count))) }
        /// A duration.
        public mutating func appendInterpolation(duration: Interval) { appendValue(.duration(duration)) }
        /// A span, rounded.
        public mutating func appendInterpolation(roundedDuration: Interval) { appendValue(.roundedDuration(roundedDuration)) }
        /// A size in bytes.
        public mutating func appendInterpolation(bytes: Int64) { appendValue(.bytes(bytes)) }
        /// A rate per second.
        public mutating func appendInterpolation(rate: Double) { appendValue(.rate(rate)) }
        /// A measured share, to a tenth of a percent.
        public mutating func appendInterpolation(percent share: Double) { appendValue(.percent(share)) }
        /// A measured share, always with its tenth of a percent.
        public mutating func appendInterpolation(percentWithTenth share: Double) { appendValue(.percentWithTenth(share)) }
        /// A share the model set, as a percentage.
        public mutating func appendInterpolation(percentAsSet share: Double) { appendValue(.percentAsSet(share)) }
        /// A random seed.
        public mutating func appendInterpolation(seed: UInt64) { appendValue(.seed(seed)) }
    }
}
