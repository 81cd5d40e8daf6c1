import Foundation
import Reporting
import Testing

/// The chart of a tipping map: what it draws for each kind of load.
struct TippingChartTests {
    static let chart = TippingChart(
        title: "Where <a & b> tips",
        loadAxis: .init(label: "traffic.users.rate", unit: "/s", low: 100, high: 300),
        triggerAxis: .init(label: "faults[0].duration", unit: "s", low: 1, high: 61),
        boundary: [.init(load: 100, status: .recovers, estimate: nil, low: nil, high: nil),
                   .init(load: 200, status: .threshold, estimate: 30, low: 25, high: 35),
                   .init(load: 250, status: .threshold, estimate: 10, low: 8, high: 12),
                   .init(load: 300, status: .tips, estimate: nil, low: nil, high: nil)],
        probes: [.init(load: 200, trigger: 30, tipProbability: 0.5, runs: 20), .init(load: 300, trigger: 1, tipProbability: 1, runs: 20)])

    @Test func `the chart draws the region, the band, the boundary and every probe`() {
        let svg = Self.chart.svg()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(svg.components(separatedBy: "<polygon").count - 1 == 2, "the vulnerable region and the band")
        #expect(svg.contains("<polyline"))
        #expect(svg.contains("recovers at every trigger") && svg.contains("tips at every trigger"))
        #expect(svg.components(separatedBy: "<circle").count - 1 == 2 + 5, "two probes and the legend's five")
        #expect(svg.contains("Where &lt;a &amp; b&gt; tips"))
        #expect(svg.contains("200/s, 30s: 50% of 20 runs stuck"))
        #expect(Self.chart.svg() == svg)
    }

    @Test func `shares are coloured from green through amber to red`() {
        #expect(Self.chart.color(0) == "#2ea043")
        #expect(Self.chart.color(0.5) == "#e6aa1e")
        #expect(Self.chart.color(1) == "#c82828")
    }
}
