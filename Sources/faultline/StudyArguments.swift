/// Splitting the list arguments of `sweep` and `compare`.
enum StudyArguments {
    /// The values of `--set PATH=V1,V2,...`, split at the commas outside brackets, braces and
    /// quotes, so `{exponential: "50ms"}` or `[1, 2]` stays one value.
    static func values(_ text: String) -> [String] {
        split(text) { $0 == "," }
    }

    /// The overrides of `--with 'PATH=V PATH=V'`, split at the spaces outside brackets, braces and
    /// quotes; empty pieces are dropped.
    static func overrides(_ text: String) -> [String] {
        split(text) { $0 == " " || $0 == "\t" }.filter { !$0.isEmpty }
    }

    private static func split(_ text: String, at isSeparator: (Character) -> Bool) -> [String] {
        var pieces: [String] = []
        var piece = ""
        var depth = 0
        var quote: Character?
        var escaped = false
        for character in text {
            if let open = quote {
                piece.append(character)
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == open { quote = nil }
                continue
            }
            switch character {
            case "\"", "'": quote = character; piece.append(character)
            case "[", "{": depth += 1; piece.append(character)
            case "]", "}": depth = max(0, depth - 1); piece.append(character)
            default:
                if depth == 0 && isSeparator(character) {
                    pieces.append(piece)
                    piece = ""
                } else {
                    piece.append(character)
                }
            }
        }
        pieces.append(piece)
        return pieces
    }
}
