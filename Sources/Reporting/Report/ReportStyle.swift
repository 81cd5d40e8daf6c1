/// The report's style sheet: system fonts only, nothing loaded from elsewhere.
enum ReportStyle {
    static let css = """
        :root { color-scheme: light; --ink: #111827; --muted: #6b7280; --rule: #e5e7eb; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #f9fafb; }
        header.run { padding: 14px 20px 10px; background: #fff; border-bottom: 1px solid var(--rule); }
        header.run h1 { margin: 0 0 4px; font-size: 20px; }
        header.run .facts { color: var(--muted); display: flex; flex-wrap: wrap; gap: 4px 18px; }
        header.run .facts b { color: var(--ink); font-weight: 600; }
        .note { margin: 8px 0 0; padding: 6px 10px; background: #fef3c7; border-left: 3px solid #d97706; }
        ul.expectations { list-style: none; margin: 8px 0 0; padding: 0; columns: 2 420px; }
        ul.expectations li { margin: 1px 0; break-inside: avoid; }
        .pass { color: #15803d; font-weight: 700; } .fail { color: #b91c1c; font-weight: 700; } .unknown { color: var(--muted); font-weight: 700; }
        .layout { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0 16px; padding: 0 20px 24px; }
        .layout.with-narrative { grid-template-columns: minmax(0, 1fr) 380px; }
        aside.narrative { position: sticky; top: 0; align-self: start; max-height: 100vh; overflow: auto; padding: 12px 0; }
        aside.narrative ol { margin: 0; padding-left: 30px; }
        h2 { font-size: 15px; margin: 18px 0 6px; }
        h3 { font-size: 14px; margin: 14px 0 2px; }
        h3 .kind { color: var(--muted); font-weight: 400; font-size: 12px; margin-left: 6px; }
        .axis-top { padding: 0 11px; }
        section.glance { background: #fff; border: 1px solid var(--rule); border-radius: 6px; padding: 4px 10px 6px; margin: 8px 0; }
        section.component { background: #fff; border: 1px solid var(--rule); border-radius: 6px; padding: 4px 10px 6px; margin: 8px 0; }
        .panel-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 2px 12px; margin-top: 4px; }
        .panel-head .title { font-weight: 600; color: #374151; }
        .key { color: #374151; white-space: nowrap; } .key i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
        .key i.dashed { height: 0; border-top: 2px dashed; width: 12px; vertical-align: 3px; border-radius: 0; }
        svg { display: block; width: 100%; height: auto; }
        svg text { font: 10px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: #4b5563; }
        .plot { fill: #fff; stroke: #d1d5db; stroke-width: 0.5; }
        .grid { stroke: #eef0f3; stroke-width: 1; }
        .ylabel { text-anchor: end; } .ylabel.right { text-anchor: start; }
        .line { fill: none; stroke-width: 1.6; stroke-linejoin: round; stroke-linecap: round; }
        .line.dashed { stroke-dasharray: 5 3; }
        .area { fill-opacity: 0.85; stroke: none; }
        .ceiling { stroke: #111827; stroke-width: 1; stroke-dasharray: 2 3; }
        .ceiling-label { text-anchor: end; fill: #111827; }
        .fault { fill: #fecaca; fill-opacity: 0.35; }
        .fault-instant { stroke: #ef4444; stroke-width: 1.2; stroke-dasharray: 3 2; }
        .empty { text-anchor: middle; fill: #9ca3af; font-size: 11px; }
        .band-label { fill: #374151; }
        .cursor { stroke: #111827; stroke-width: 0.8; visibility: hidden; pointer-events: none; }
        .events .baseline { stroke: #d1d5db; }
        .marker { cursor: pointer; } .marker line { stroke-width: 1.5; } .marker .count { font-size: 9px; fill: #374151; }
        .axis .tick { stroke: #9ca3af; } .axis .tick-label { text-anchor: middle; fill: #374151; font-size: 11px; }
        .axis .fault-label { fill: #b91c1c; font-size: 10px; }
        .axis .traffic-label { fill: #374151; font-size: 10px; } .traffic-instant { stroke: #6b7280; stroke-width: 1; stroke-dasharray: 2 2; }
        .topology .node-reason { text-anchor: middle; font-size: 10px; fill: #b91c1c; } .topology .node-reason.degraded { fill: #b45309; }
        .topology .edge { fill: none; stroke: #9ca3af; stroke-width: 1.4; }
        .topology .edge-label { text-anchor: start; font-size: 10px; fill: #374151; }
        .topology .node-name { text-anchor: middle; font-size: 13px; font-weight: 700; fill: #111827; }
        .topology .node-note { text-anchor: middle; font-size: 10px; fill: #4b5563; }
        .legend-states span { margin-right: 12px; } .legend-states i { display: inline-block; width: 10px; height: 10px; border: 1px solid; margin-right: 4px; vertical-align: -1px; }
        #tip { position: fixed; z-index: 10; pointer-events: none; background: #111827; color: #f9fafb; padding: 6px 8px; border-radius: 4px; white-space: pre; font: 11px/1.35 ui-monospace, Menlo, Consolas, monospace; max-width: 90vw; overflow: hidden; display: none; }
        table.study { border-collapse: collapse; margin: 6px 0 12px; } table.study td, table.study th { border-bottom: 1px solid var(--rule); padding: 2px 8px; text-align: right; }
        table.study td:first-child, table.study th:first-child { text-align: left; }
        .ci { stroke: #2563eb; stroke-width: 1.5; } .ci-mean { fill: #2563eb; } .ci-line { fill: none; stroke: #93c5fd; stroke-width: 1.2; }
        .zero { stroke: #111827; stroke-width: 1; stroke-dasharray: 3 3; }
        .ci.excludes-zero { stroke: #dc2626; } .ci-mean.excludes-zero { fill: #dc2626; }
        .xlabel { text-anchor: middle; }
        """
}
