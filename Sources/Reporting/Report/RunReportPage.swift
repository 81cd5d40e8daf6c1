import FailureChains
import SimulationKernel

/// The HTML page of a run's report (`report.html`): one self-contained file, with inline SVG, CSS
/// and script, built from the run's folder and, for the topology and the limits, its model.
public enum RunReportPage {
    /// What a report is made from.
    public struct Inputs: Sendable {
        /// The run's files, read back.
        public var contents: RunFolderContents
        /// The model as it ran (overrides applied), or nil when it could not be had.
        public var model: SystemModel?
        /// Why the model is missing or was not used, shown at the top; nil when it was used.
        public var modelNote: String?
        /// The model's expectations and how they fared.
        public var expectations: [ReportExpectation]
        /// The failure chain told in words, one line per item, for the column beside the panels;
        /// nil leaves the column out.
        public var narrative: [String]?

        /// Creates the inputs.
        public init(contents: RunFolderContents, model: SystemModel?, modelNote: String? = nil,
                    expectations: [ReportExpectation] = [], narrative: [String]? = nil) {
            self.contents = contents
            self.model = model
            self.modelNote = modelNote
            self.expectations = expectations
            self.narrative = narrative
        }
    }

    /// The page's text.
    public static func html(_ inputs: Inputs) -> String {
        let contents = inputs.contents
        let clock = ReportClock(clockStart: contents.manifest["clockStart"])
        let axis = TimeAxis(end: max(contents.endTime, contents.interval), clock: clock)
        let faults = FaultWindow.windows(contents.events)
        let trafficChanges = TimeAxisDrawing.trafficChanges(contents.events)
        let components = inputs.model.map(ReportComponents.init(model:)) ?? ReportComponents(contents: contents)
        let builder = PanelBuilder(contents: contents, model: inputs.model)
        let chain = CauseChain(contents.events)
        let states = WorstState.states(components, contents: contents, clock: clock)
        let topology = inputs.model.map(Topology.init(model:)) ?? Topology(components: components, contents: contents)

        var page: [String] = []
        page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">")
        page.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        page.append("<title>\(HTMLText.escape(contents.modelName)) — Faultline report</title>")
        page.append("<style>\n\(ReportStyle.css)\n</style>\n</head>")
        let clockData = clock.start.map(String.init) ?? ""
        page.append("<body data-report=\"run\" data-axis-left=\"\(HTMLText.number(axis.left))\" data-axis-width=\"\(axis.width)\" data-axis-end=\"\(HTMLText.escape(String(Double(axis.end) / 1e9)))\" data-clock-start=\"\(clockData)\">")
        page.append(ReportHeader.html(inputs, clock: clock))
        let narrative = inputs.narrative
        page.append("<div class=\"layout\(narrative == nil ? "" : " with-narrative")\">\n<main class=\"panels\">")
        page.append("<h2>Topology</h2>")
        page.append("<p class=\"legend-states\"><span><i style=\"background:#dcfce7;border-color:#16a34a\"></i>healthy throughout</span><span><i style=\"background:#fef3c7;border-color:#d97706\"></i>degraded at some point</span><span><i style=\"background:#fee2e2;border-color:#dc2626\"></i>failed at some point</span>(hover a box for why)</p>")
        page.append("<section class=\"topology-box\" data-section=\"topology\">" + TopologyDrawing.svg(topology, states: states, width: axis.totalWidth) + "</section>")
        let glance = GlancePanels.panels(components: components, builder: builder, states: states, topology: topology)
        if !glance.isEmpty {
            var text = "<h2>At a glance <span class=\"kind\">(what the users saw, then each service in trouble, deepest first; faults shaded)</span></h2>"
            text += "<section class=\"glance\" data-section=\"glance\">" + TimeAxisDrawing.svg(axis, faults: faults, namesFaults: true, traffic: trafficChanges)
            for panel in glance {
                text += "\n<div class=\"panel\" data-panel=\"\(panel.kind.rawValue)\">" + legend(panel)
                text += PanelDrawing.svg(panel, axis: axis, faults: faults, interval: contents.interval) + "</div>"
            }
            page.append(text + TimeAxisDrawing.svg(axis, faults: faults, namesFaults: false) + "</section>")
        }
        page.append("<h2>Every component over time <span class=\"kind\">(hover the markers for events and their causes)</span></h2>")
        page.append("<div class=\"axis-top\">" + TimeAxisDrawing.svg(axis, faults: faults, namesFaults: true, traffic: trafficChanges) + "</div>")
        func section(_ name: String, kind: String, panels: [Panel], eventsOf owner: String?) {
            var text = "<section class=\"component\" data-component=\"\(HTMLText.escape(name))\" data-kind=\"\(kind)\">"
            let state = states[name]
            text += "<h3>\(HTMLText.escape(name))<span class=\"kind\">\(kind == "messageQueue" ? "message queue" : kind)\(state.map { $0.level > 0 ? " — " + HTMLText.escape($0.reason) : "" } ?? "")</span></h3>"
            if let owner {
                let indices = contents.events.indices.filter {
                    CauseChain.service(of: contents.events[$0].component) == owner && !["runStarted", "runEnded", "warmupEnded"].contains(contents.events[$0].event)
                }
                if !indices.isEmpty {
                    text += EventMarkers.svg(component: name, indices: indices, events: contents.events, chain: chain, axis: axis, faults: faults)
                }
            }
            for panel in panels {
                text += "\n<div class=\"panel\" data-panel=\"\(panel.kind.rawValue)\">" + legend(panel)
                text += PanelDrawing.svg(panel, axis: axis, faults: faults, interval: contents.interval) + "</div>"
            }
            text += TimeAxisDrawing.svg(axis, faults: faults, namesFaults: false)
            page.append(text + "</section>")
        }
        for source in components.traffic { section(source, kind: "traffic", panels: builder.trafficPanels(source), eventsOf: source) }
        for service in components.services { section(service, kind: "service", panels: builder.servicePanels(service), eventsOf: service) }
        for endpoint in components.endpoints { section(endpoint, kind: "endpoint", panels: builder.endpointPanels(endpoint), eventsOf: endpoint) }
        for queue in components.messageQueues { section(queue, kind: "messageQueue", panels: builder.messageQueuePanels(queue), eventsOf: queue) }
        for lock in components.locks { section(lock, kind: "lock", panels: builder.lockPanels(lock), eventsOf: lock) }
        page.append("</main>")
        if let narrative {
            page.append("<aside class=\"narrative\" data-section=\"narrative\"><h2>The failure chain</h2><ol>"
                + narrative.map { "<li>" + HTMLText.escape($0) + "</li>" }.joined() + "</ol></aside>")
        }
        page.append("</div>\n<div id=\"tip\"></div>")
        page.append("<script>\n\(ReportScript.javaScript)\n</script>\n</body>\n</html>\n")
        return page.joined(separator: "\n")
    }

    /// A panel's title and the key of its layers.
    static func legend(_ panel: Panel) -> String {
        var text = "<div class=\"panel-head\"><span class=\"title\">\(HTMLText.escape(panel.title))</span>"
        for layer in panel.legend {
            let swatch = layer.isDashed ? "<i class=\"dashed\" style=\"border-color:\(layer.color)\"></i>" : "<i style=\"background:\(layer.color)\"></i>"
            text += "<span class=\"key\">\(swatch)\(HTMLText.escape(layer.name))</span>"
        }
        if let ceiling = panel.ceiling { text += "<span class=\"key\"><i class=\"dashed\" style=\"border-color:#111827\"></i>\(HTMLText.escape(ceiling.label))</span>" }
        return text + "</div>"
    }
}
