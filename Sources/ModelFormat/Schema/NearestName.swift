/// Suggestions for misspelled names: the closest candidate by edit distance.
enum NearestName {
    /// The candidate closest to `name`, if within `max(2, length / 3)` edits; the first wins a tie.
    static func closest(to name: String, among candidates: [String]) -> String? {
        let limit = max(2, name.unicodeScalars.count / 3)
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(name, candidate)
            if distance <= limit, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.name
    }
}
