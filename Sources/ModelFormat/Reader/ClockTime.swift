import SimulationKernel

/// A time of day written `"HH:MM"` or `"HH:MM:SS"`, as `run.clockStart` takes it.
public enum ClockTime {
    /// The time since midnight that a time of day names.
    ///
    /// - Parameter text: `"23:00"` or `"06:30:15"`: two-digit hours 00 to 23, minutes and seconds 00 to 59.
    /// - Returns: The time since midnight, or nil when the text is not such a time.
    public static func parse(_ text: String) -> Interval? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return nil }
        var values: [Int64] = []
        for part in parts {
            guard part.utf8.count == 2, part.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let value = Int64(part) else { return nil }
            values.append(value)
        }
        guard values[0] < 24, values[1] < 60, values.count == 2 || values[2] < 60 else { return nil }
        let seconds = values[0] * 3600 + values[1] * 60 + (values.count == 3 ? values[2] : 0)
        return .seconds(seconds)
    }
}
