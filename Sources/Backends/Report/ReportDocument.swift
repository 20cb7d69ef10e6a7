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
    public var heading: String
    public var blocks: [ReportBlock]

    public init(_ heading: String, _ blocks: [ReportBlock]) {
        self.heading = heading
        self.blocks = blocks
    }
}

public enum ReportBlock: Sendable {
    case paragraph(String)
    /// First row is the header; numeric-looking cells are right-aligned.
    case table([[String]])
    case bars(BarChart)
    case lines(LineChart)
}

/// Grouped horizontal bars: one group per category, one bar per series (e.g. DSP per layer per pass).
public struct BarChart: Sendable {
    public var title: String
    public var unit: String
    public var categories: [String]
    public var series: [ChartSeries]

    public init(title: String, unit: String, categories: [String], series: [ChartSeries]) {
        self.title = title
        self.unit = unit
        self.categories = categories
        self.series = series
    }
}

/// Traces over a shared x axis (e.g. a factor over time bins, float vs fixed point).
public struct LineChart: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [ChartSeries]

    public init(title: String, xLabel: String, yLabel: String, series: [ChartSeries]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
    }
}

public struct ChartSeries: Sendable {
    public var name: String
    public var values: [Double]

    public init(_ name: String, _ values: [Double]) {
        self.name = name
        self.values = values
    }
}
