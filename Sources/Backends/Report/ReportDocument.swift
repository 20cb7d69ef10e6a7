/// A self-contained HTML report: sections of paragraphs, tables and inline SVG charts.
/// It is a plain value so the pipeline fills it and `HTMLRenderer` turns it into one file with no scripts.
public struct ReportDocument: Sendable {
    public var title: String
    public var subtitle: String
    public var sections: [ReportSection]

    public init(title: String, subtitle: String = "", sections: [ReportSection] = []) {
        self.title = title
        self.subtitle = subtitle
        self.sections = sections
    }
}

public struct ReportSection: Sendable {
    /// The HTML id (`<section id=…>`): stable, so links and checks can find a section.
    public var id: String
    public var heading: String
    public var blocks: [ReportBlock]

    public init(id: String, _ heading: String, _ blocks: [ReportBlock]) {
        self.id = id
        self.heading = heading
        self.blocks = blocks
    }

    /// A section whose id is derived from its heading.
    public init(_ heading: String, _ blocks: [ReportBlock]) {
        let slug = heading.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        self.init(id: String(slug), heading, blocks)
    }
}

public enum ReportBlock: Sendable {
    case paragraph(String)
    /// First row is the header; numeric-looking cells are right-aligned.
    case table([[String]])
    case bars(BarChart)
    case lines(LineChart)
    case scatter(ScatterChart)
    case gantt(GanttChart)
    case raster(RasterChart)
    /// The answer box at the top: one line per finding, each marked good, warning or bad.
    case verdict([VerdictLine])
    /// Blocks side by side, wrapping (small multiples).
    case grid([ReportBlock])
    /// A collapsed `<details>` part with its summary line.
    case appendix(String, [ReportBlock])
}

public struct VerdictLine: Sendable, Equatable {
    public enum Level: String, Sendable { case good, warning, bad, info }
    public var level: Level
    public var text: String

    public init(_ level: Level, _ text: String) {
        self.level = level
        self.text = text
    }
}

/// A horizontal line (e.g. a device's capacity) drawn across a chart at `value`.
public struct ChartLimit: Sendable {
    public var label: String
    public var value: Double

    public init(_ label: String, _ value: Double) {
        self.label = label
        self.value = value
    }
}

/// Grouped horizontal bars: one group per category, one bar per series (e.g. DSP per layer per pass).
/// `limits` are vertical reference lines (capacity, budget) on the value axis.
public struct BarChart: Sendable {
    public var title: String
    public var unit: String
    public var categories: [String]
    public var series: [ChartSeries]
    public var limits: [ChartLimit]

    public init(title: String, unit: String, categories: [String], series: [ChartSeries], limits: [ChartLimit] = []) {
        self.title = title
        self.unit = unit
        self.categories = categories
        self.series = series
        self.limits = limits
    }
}

/// Traces over a shared x axis (e.g. a factor over time bins, float vs fixed point).
/// x values are `xStart + i·xStep` for the i-th value; `compact` draws a small multiple.
public struct LineChart: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [ChartSeries]
    public var xStart: Double
    public var xStep: Double
    public var compact: Bool

    public init(title: String, xLabel: String, yLabel: String, series: [ChartSeries], xStart: Double = 0, xStep: Double = 1,
                compact: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.xStart = xStart
        self.xStep = xStep
        self.compact = compact
    }
}

/// Points (x, y) with an optional diagonal y = x (float vs fixed per neuron).
public struct ScatterChart: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var x: [Double]
    public var y: [Double]
    /// Hover text per point (e.g. "neuron 12").
    public var labels: [String]
    public var diagonal: Bool

    public init(title: String, xLabel: String, yLabel: String, x: [Double], y: [Double], labels: [String] = [], diagonal: Bool = true) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.x = x
        self.y = y
        self.labels = labels
        self.diagonal = diagonal
    }
}

/// One bar per task on a shared time axis (start, end): processes of a dataflow design that may overlap.
public struct GanttChart: Sendable {
    public struct Task: Sendable {
        public var name: String
        public var start: Double
        public var end: Double
        /// Colour group (e.g. the op kind); tasks of one group share a colour.
        public var group: String

        public init(name: String, start: Double, end: Double, group: String) {
            self.name = name
            self.start = start
            self.end = end
            self.group = group
        }
    }

    public var title: String
    public var unit: String
    public var tasks: [Task]
    /// Optional second axis label: the same times in another unit (µs at the clock): value × scale.
    public var secondaryUnit: String?
    public var secondaryScale: Double

    public init(title: String, unit: String, tasks: [Task], secondaryUnit: String? = nil, secondaryScale: Double = 1) {
        self.title = title
        self.unit = unit
        self.tasks = tasks
        self.secondaryUnit = secondaryUnit
        self.secondaryScale = secondaryScale
    }
}

/// Spike counts of one trial: one row per channel, a tick per bin with at least one spike (darker = more).
public struct RasterChart: Sendable {
    public var title: String
    public var xLabel: String
    /// [row][bin] counts.
    public var rows: [[Double]]
    public var rowLabels: [String]
    public var xStart: Double
    public var xStep: Double

    public init(title: String, xLabel: String, rows: [[Double]], rowLabels: [String], xStart: Double = 0, xStep: Double = 1) {
        self.title = title
        self.xLabel = xLabel
        self.rows = rows
        self.rowLabels = rowLabels
        self.xStart = xStart
        self.xStep = xStep
    }
}

public struct ChartSeries: Sendable {
    public var name: String
    public var values: [Double]
    /// Drawn dashed (a second variant of the same quantity, e.g. fixed point).
    public var dashed: Bool
    /// Palette index; nil picks by position.
    public var colour: Int?

    public init(_ name: String, _ values: [Double], dashed: Bool = false, colour: Int? = nil) {
        self.name = name
        self.values = values
        self.dashed = dashed
        self.colour = colour
    }
}
