/// Draws the topology as SVG: one column per depth, boxes coloured by their worst state, arrows
/// labelled with the dependency and its patterns.
enum TopologyDrawing {
    static let boxWidth: Double = 160
    static let boxHeight: Double = 46
    static let rowHeight: Double = 74

    static func fill(_ level: Int) -> (fill: String, stroke: String) {
        switch level {
        case 2: ("#fee2e2", "#dc2626")
        case 1: ("#fef3c7", "#d97706")
        default: ("#dcfce7", "#16a34a")
        }
    }

    /// The SVG of a topology, `width` pixels wide.
    static func svg(_ topology: Topology, states: [String: WorstState], width: Double) -> String {
        let columns = (topology.nodes.map(\.column).max() ?? 0) + 1
        var rowsInColumn = [Int](repeating: 0, count: columns)
        var position: [String: (x: Double, y: Double)] = [:]
        let spacing = columns > 1 ? (width - boxWidth - 20) / Double(columns - 1) : 0
        for node in topology.nodes {
            let row = rowsInColumn[node.column]
            rowsInColumn[node.column] += 1
            position[node.name] = (10 + spacing * Double(node.column), 30 + rowHeight * Double(row))
        }
        let height = 16 + rowHeight * Double(max(1, rowsInColumn.max() ?? 1))
        var parts = ["<svg class=\"topology\" viewBox=\"0 0 \(HTMLText.number(width)) \(HTMLText.number(height))\" role=\"img\" aria-label=\"topology\">"]
        parts.append("<defs><marker id=\"arrow\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0 0L8 4L0 8Z\" fill=\"#6b7280\"/></marker></defs>")
        // Each box's outgoing links leave from points spread over its right edge; their marks
        // are written above the link, one per line, just after it leaves.
        var outgoing: [String: Int] = [:]
        for edge in topology.edges { outgoing[edge.from, default: 0] += 1 }
        var used: [String: Int] = [:]
        for edge in topology.edges {
            guard let from = position[edge.from] else { continue }
            let slot = used[edge.from, default: 0]
            used[edge.from] = slot + 1
            let count = outgoing[edge.from] ?? 1
            let startX = from.x + boxWidth, startY = from.y + boxHeight * Double(slot + 1) / Double(count + 1)
            let lines = edge.marks.map { "<tspan x=\"\(HTMLText.number(startX + 8))\" dy=\"11\">\(HTMLText.escape($0))</tspan>" }.joined()
            let labelTop = startY - 4 - 11 * Double(edge.marks.count)
            guard let to = position[edge.to] else {
                parts.append("<text class=\"edge-label\" y=\"\(HTMLText.number(startY - 4))\"><tspan x=\"\(HTMLText.number(startX + 8))\">→ \(HTMLText.escape(edge.marks.joined(separator: " · ")))</tspan></text>")
                continue
            }
            let endX = to.x, endY = to.y + boxHeight / 2
            let middle = (startX + endX) / 2
            parts.append("<path class=\"edge\" d=\"M\(HTMLText.number(startX)) \(HTMLText.number(startY))C\(HTMLText.number(middle)) \(HTMLText.number(startY)) \(HTMLText.number(middle)) \(HTMLText.number(endY)) \(HTMLText.number(endX - 2)) \(HTMLText.number(endY))\" marker-end=\"url(#arrow)\"/>")
            if !edge.marks.isEmpty {
                parts.append("<text class=\"edge-label\" y=\"\(HTMLText.number(labelTop))\">\(lines)</text>")
            }
        }
        for node in topology.nodes {
            guard let at = position[node.name] else { continue }
            let state = states[node.name] ?? WorstState(level: 0, reason: "healthy throughout")
            let colours = fill(state.level)
            let shape = node.kind == .endpoint ? "rx=\"18\"" : node.kind == .traffic ? "rx=\"2\"" : "rx=\"7\""
            parts.append("<g class=\"node\" data-node=\"\(HTMLText.escape(node.name))\" data-kind=\"\(node.kind.rawValue)\" data-state=\"\(state.level)\"><title>\(HTMLText.escape(node.name + ": worst state: " + state.reason))</title>"
                + "<rect x=\"\(HTMLText.number(at.x))\" y=\"\(HTMLText.number(at.y))\" width=\"\(HTMLText.number(boxWidth))\" height=\"\(HTMLText.number(boxHeight))\" \(shape) fill=\"\(colours.fill)\" stroke=\"\(colours.stroke)\"/>"
                + "<text class=\"node-name\" x=\"\(HTMLText.number(at.x + boxWidth / 2))\" y=\"\(HTMLText.number(at.y + 17))\">\(HTMLText.escape(node.name))</text>"
                + node.note.split(separator: "\n").enumerated().map { index, line in
                    "<text class=\"node-note\" x=\"\(HTMLText.number(at.x + boxWidth / 2))\" y=\"\(HTMLText.number(at.y + 30 + 11 * Double(index)))\">\(HTMLText.escape(String(line)))</text>"
                }.joined()
                + (state.level > 0 ? "<text class=\"node-reason\(state.level == 1 ? " degraded" : "")\" x=\"\(HTMLText.number(at.x + boxWidth / 2))\" y=\"\(HTMLText.number(at.y + boxHeight + 11))\">\(HTMLText.escape(state.reason))</text>" : "")
                + "</g>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }
}
