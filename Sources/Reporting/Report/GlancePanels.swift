/// The panels that tell a run's story at the top of its report: what the users saw (each traffic
/// source's success), then, for each service that was degraded or failed, from the deepest
/// dependency up, the panels that show how: its pools when connections leaked or checkouts waited,
/// its threads by what they wait on, its breakers, its heap under GC pressure, its instances when
/// some went down.
enum GlancePanels {
    static func panels(components: ReportComponents, builder: PanelBuilder, states: [String: WorstState], topology: Topology) -> [Panel] {
        var chosen: [Panel] = []
        for source in components.traffic { chosen += builder.trafficPanels(source) }
        let column = Dictionary(topology.nodes.map { ($0.name, $0.column) }, uniquingKeysWith: { first, _ in first })
        let troubled = components.services.enumerated()
            .filter { (states[$0.element]?.level ?? 0) > 0 }
            .sorted { (column[$0.element] ?? 0, -$0.offset) > (column[$1.element] ?? 0, -$1.offset) }
            .map(\.element)
        for service in troubled {
            let panels = builder.servicePanels(service)
            func changes(_ layer: Panel.Layer) -> Bool { layer.series.values.contains { $0 != 0 } }
            let pools = panels.filter { panel in
                panel.kind == .connections && (panel.stacked + panel.lines).contains { ($0.name == "leaked" || $0.name == "checkouts waiting") && changes($0) }
            }
            let threads = panels.filter { $0.kind == .threads && $0.hasData }
            let breakers = panels.filter { $0.kind == .breaker && $0.hasData }
            let heaps = panels.filter { $0.kind == .heap && ($0.secondary.map(changes) ?? false) }
            let instances = panels.filter { panel in
                panel.kind == .instances && panel.lines.contains { layer in
                    guard let ceiling = panel.ceiling?.value else { return false }
                    return layer.series.values.contains { $0 < ceiling }
                }
            }
            for var panel in pools + threads + breakers + heaps + instances {
                panel.title = service + ": " + panel.title
                chosen.append(panel)
            }
        }
        return chosen.map { panel in
            var titled = panel
            if components.traffic.contains(panel.component) { titled.title = panel.component + ": " + panel.title }
            return titled
        }
    }
}
