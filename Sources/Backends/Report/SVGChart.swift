import Foundation

/// Renders charts as inline SVG. Non-finite values are skipped (drawn as gaps), never trusted for scaling.
enum SVGChart {
    /// Colour-blind-safe palette (Okabe–Ito order).
    /// Index 8 is a neutral grey for observed data drawn under model curves.
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000", "#9A9A9A"]

    static func colour(_ i: Int) -> String { palette[((i % palette.count) + palette.count) % palette.count] }

    /// Horizontal bars on a ticked value axis; limits (capacity, budget) are labelled vertical lines.
    static func bars(_ chart: BarChart) -> String {
        let labelWidth = 170.0, plotWidth = 460.0, barHeight = 14.0, groupGap = 8.0
        let seriesCount = max(1, chart.series.count)
        let groupHeight = Double(seriesCount) * barHeight + groupGap
        let legendHeight = chart.series.count > 1 ? 22.0 : 6.0
        let top = 30 + legendHeight + (chart.limits.isEmpty ? 0 : 12)
        let plotHeight = Double(max(1, chart.categories.count)) * groupHeight
        let height = top + plotHeight + 42, width = labelWidth + plotWidth + 70
        let (_, hi) = PlotFrame.range(chart.series.flatMap(\.values) + chart.limits.map(\.value), includeZero: true)
        let frame = PlotFrame(left: labelWidth, top: top, width: plotWidth, height: plotHeight, xLo: 0, xHi: max(hi, 1e-300), yLo: 0, yHi: 1)
        var svg = header(width: width, height: height, title: chart.title)
        if chart.series.count > 1 { svg += legend(chart.series.map(\.name), y: 40) }
        for x in PlotFrame.ticks(0, frame.xHi) {
            let p = frame.px(x)
            svg += "<line x1=\"\(f(p))\" y1=\"\(f(top))\" x2=\"\(f(p))\" y2=\"\(f(top + plotHeight + 4))\" stroke=\"#e4e4e4\"/>"
            svg += text(x: p, y: top + plotHeight + 15, format(x), anchor: "middle", size: 10)
        }
        svg += "<line x1=\"\(f(labelWidth))\" y1=\"\(f(top))\" x2=\"\(f(labelWidth))\" y2=\"\(f(top + plotHeight))\" stroke=\"#888\"/>\n"
        svg += text(x: labelWidth + plotWidth / 2, y: top + plotHeight + 32, chart.unit, anchor: "middle")
        for (c, category) in chart.categories.enumerated() {
            let groupTop = top + Double(c) * groupHeight + groupGap / 2
            svg += text(x: labelWidth - 6, y: groupTop + Double(seriesCount) * barHeight / 2 + 4, category, anchor: "end")
            for (s, series) in chart.series.enumerated() {
                guard c < series.values.count, series.values[c].isFinite else { continue }
                let value = series.values[c]
                let w = max(0, frame.px(value) - labelWidth)
                let y = groupTop + Double(s) * barHeight
                svg += "<rect x=\"\(f(labelWidth))\" y=\"\(f(y))\" width=\"\(f(w))\" height=\"\(f(barHeight - 2))\" fill=\"\(colour(series.colour ?? s))\"><title>\(escape(category)) · \(escape(series.name)): \(format(value)) \(escape(chart.unit))</title></rect>\n"
                svg += text(x: labelWidth + w + 4, y: y + barHeight - 4, format(value), size: 10)
            }
        }
        for (i, limit) in chart.limits.enumerated() where limit.value.isFinite {
            let p = frame.px(limit.value)
            let stroke = i == 0 ? "#C00000" : "#666"
            svg += "<line x1=\"\(f(p))\" y1=\"\(f(top - 4))\" x2=\"\(f(p))\" y2=\"\(f(top + plotHeight))\" stroke=\"\(stroke)\" stroke-width=\"1.5\" stroke-dasharray=\"6,3\"/>"
            svg += text(x: p, y: top - 7, limit.label, anchor: i == 0 ? "start" : "end", size: 10, fill: stroke)
        }
        return svg + "</svg>\n"
    }

    static func lines(_ chart: LineChart) -> String {
        let compact = chart.compact
        let left = 62.0, top = compact ? 40.0 : 50.0
        let plotWidth = compact ? 250.0 : 560.0, plotHeight = compact ? 120.0 : 200.0
        let width = left + plotWidth + 16, height = top + plotHeight + 42
        let n = max(2, chart.series.map(\.values.count).max() ?? 2)
        let (lo, hi) = PlotFrame.range(chart.series.flatMap(\.values), ticks: compact ? 3 : 5)
        let frame = PlotFrame(left: left, top: top, width: plotWidth, height: plotHeight,
                              xLo: chart.xStart, xHi: chart.xStart + Double(n - 1) * chart.xStep, yLo: lo, yHi: hi)
        var svg = header(width: width, height: height, title: chart.title, size: compact ? 12 : 14)
        if chart.series.count > 1 || !compact {
            svg += legend(chart.series.map(\.name), y: compact ? 32 : 38, colours: chart.series.enumerated().map { $1.colour ?? $0 },
                          dashed: chart.series.map(\.dashed))
        }
        svg += frame.axes(xLabel: chart.xLabel, yLabel: chart.yLabel, xTicks: compact ? 4 : 8, yTicks: compact ? 3 : 5)
        for (s, series) in chart.series.enumerated() {
            var path = ""
            var penDown = false
            for (i, v) in series.values.enumerated() {
                guard v.isFinite else { penDown = false; continue }
                path += "\(penDown ? "L" : "M")\(f(frame.px(chart.xStart + Double(i) * chart.xStep))),\(f(frame.py(v))) "
                penDown = true
            }
            guard !path.isEmpty else { continue }
            svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(colour(series.colour ?? s))\" stroke-width=\"1.6\"\(series.dashed ? " stroke-dasharray=\"5,3\"" : "")><title>\(escape(series.name))</title></path>\n"
        }
        return svg + "</svg>\n"
    }

    static func header(width: Double, height: Double, title: String, size: Int = 14) -> String {
        "<svg width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"\(escape(title))\">\n"
            + "<text x=\"4\" y=\"18\" font-size=\"\(size)\" font-weight=\"bold\">\(escape(title))</text>\n"
    }

    static func legend(_ names: [String], y: Double, colours: [Int]? = nil, dashed: [Bool] = []) -> String {
        var x = 4.0, svg = ""
        for (i, name) in names.enumerated() {
            let c = colour(colours?[i] ?? i)
            if i < dashed.count, dashed[i] {
                svg += "<line x1=\"\(f(x))\" y1=\"\(f(y - 4))\" x2=\"\(f(x + 14))\" y2=\"\(f(y - 4))\" stroke=\"\(c)\" stroke-width=\"2\" stroke-dasharray=\"4,2\"/>"
            } else {
                svg += "<rect x=\"\(f(x))\" y=\"\(f(y - 9))\" width=\"12\" height=\"10\" fill=\"\(c)\"/>"
            }
            svg += text(x: x + 17, y: y, name, size: 11)
            x += 28 + Double(name.count) * 6.2
        }
        return svg
    }

    static func text(x: Double, y: Double, _ s: String, anchor: String = "start", size: Int = 11, rotate: Bool = false, fill: String? = nil) -> String {
        let transform = rotate ? " transform=\"rotate(-90 \(f(x)) \(f(y)))\"" : ""
        let colour = fill.map { " fill=\"\($0)\"" } ?? ""
        return "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(size)\" text-anchor=\"\(anchor)\"\(transform)\(colour)>\(escape(s))</text>\n"
    }

    static func f(_ x: Double) -> String { String(format: "%.1f", x.isFinite ? x : 0) }

    static func format(_ v: Double) -> String {
        let a = abs(v)
        if a == 0 { return "0" }
        if a >= 1e5 || a < 1e-3 { return String(format: "%.3g", v) }
        if a >= 100 { return String(format: "%.0f", v) }
        return String(format: "%.3g", v)
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
