import SimulationKernel

/// The top of a run's report: model, seed, fingerprint, simulated span, events, and every
/// expectation with ✓ or ✗ and its measured value.
enum ReportHeader {
    static func html(_ inputs: RunReportPage.Inputs, clock: ReportClock) -> String {
        let contents = inputs.contents
        let manifest = contents.manifest
        func text(_ key: String) -> String { manifest[key] ?? "" }
        var facts: [String] = []
        facts.append("seed <b>\(HTMLText.escape(text("seed")))</b>")
        facts.append("fingerprint <b>\(HTMLText.escape(text("fingerprint")))</b>")
        let span = clock.isWallClock
            ? "\(clock.label(0)) to \(clock.label(contents.endTime)) (\(ReportClock.span(contents.endTime)))"
            : "0:00 to \(clock.label(contents.endTime)) (\(ReportClock.span(contents.endTime)))"
        facts.append("simulated <b>\(HTMLText.escape(span))</b>")
        facts.append("<b>\(HTMLText.escape(text("eventCount")))</b> events")
        facts.append("stopped: <b>\(HTMLText.escape(text("stopReason")))</b>")
        if manifest["complete"] == "false" || manifest["complete"] == "0" { facts.append("<b class=\"fail\">cut short</b> by \(HTMLText.escape(text("stoppedBy")))") }
        if !contents.overrides.isEmpty {
            facts.append("overrides <b>\(HTMLText.escape(contents.overrides.joined(separator: " ")))</b>")
        }
        facts.append("interval <b>\(HTMLText.escape(ReportClock.span(contents.interval)))</b>")
        var html = "<header class=\"run\" data-section=\"header\">\n<h1>\(HTMLText.escape(contents.modelName))</h1>\n<div class=\"facts\">"
        html += facts.map { "<span>\($0)</span>" }.joined() + "</div>"
        if let note = inputs.modelNote { html += "<p class=\"note\" data-note=\"model\">\(HTMLText.escape(note))</p>" }
        if !inputs.expectations.isEmpty {
            let passed = inputs.expectations.count { $0.passed == true }
            html += "<ul class=\"expectations\" data-section=\"expectations\" aria-label=\"\(passed) of \(inputs.expectations.count) expectations hold\">"
            for expectation in inputs.expectations {
                let mark: String
                switch expectation.passed {
                case true?: mark = "<span class=\"pass\">✓</span>"
                case false?: mark = "<span class=\"fail\">✗</span>"
                case nil: mark = "<span class=\"unknown\">?</span>"
                }
                let measured = expectation.measured.map { " (measured \(NumberText.decimal($0)))" } ?? (expectation.note.isEmpty ? "" : " (\(expectation.note))")
                html += "<li data-passed=\"\(expectation.passed.map { String($0) } ?? "unknown")\">\(mark) \(HTMLText.escape(expectation.text + measured))</li>"
            }
            html += "</ul>"
        }
        return html + "\n</header>"
    }
}
