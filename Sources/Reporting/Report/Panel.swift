/// One chart of a run's report: a component's series of one kind, on the shared time axis.
struct Panel: Sendable {
    /// What the values measure, for the axis labels.
    enum Unit: Sendable {
        /// A number of things: threads, connections, instances.
        case count
        /// Events per second.
        case perSecond
        /// Seconds (latencies).
        case seconds
        /// Bytes.
        case bytes
        /// A share in [0, 1], written as a percentage.
        case ratio
    }

    /// One drawn series.
    struct Layer: Sendable {
        /// Its name in the legend: `at checkout db`.
        var name: String
        /// Its values, already in the panel's unit.
        var series: RunFolderContents.Series
        /// Its colour, as CSS.
        var color: String
        /// Whether a line is dashed.
        var isDashed = false
        /// For bands: the row it is drawn in, from the top.
        var row = 0
    }

    /// The kind, written as `data-panel`.
    var kind: PanelKind
    /// The component it is about: `cf`.
    var component: String
    /// The title above it: `connection pool db`.
    var title: String
    /// The unit of its values.
    var unit: Unit
    /// Whether the y axis is logarithmic.
    var isLogarithmic = false
    /// Areas stacked from the bottom, in order.
    var stacked: [Layer] = []
    /// Lines over the areas.
    var lines: [Layer] = []
    /// Bands (values in [0, 1] as opacity), one row each, for states such as an open breaker.
    var bands: [Layer] = []
    /// The names of the band rows, from the top.
    var bandRows: [String] = []
    /// A limit drawn as a line, such as the threads there are: its value and its label.
    var ceiling: (value: Double, label: String)?
    /// A series drawn against a right-hand axis from 0 to 100 % (GC's share of CPU).
    var secondary: Layer?
    /// A sentence shown when there is nothing to draw: `no errors`.
    var emptyNote = "nothing to draw"

    /// Every layer, for the legend.
    var legend: [Layer] { stacked.reversed() + lines + bands + (secondary.map { [$0] } ?? []) }

    /// Whether any layer has a value other than zero.
    var hasData: Bool {
        (stacked + lines + bands + (secondary.map { [$0] } ?? [])).contains { $0.series.values.contains { $0 != 0 } }
    }
}
