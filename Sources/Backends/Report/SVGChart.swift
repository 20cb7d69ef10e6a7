import Foundation

/// Renders charts as inline SVG. Non-finite values are skipped (drawn as gaps), never trusted for scaling.
enum SVGChart {
    /// Colour-blind-safe palette (Okabe–Ito order).
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

    static func colour(_ i: Int) -> String { palette[i % palette.count] }

    static func bars(_ chart: BarChart) -> String {
        let labelWidth = 160.0, plotWidth = 460.0, barHeight = 12.0, groupGap = 10.0
        let seriesCount = max(1, chart.series.count)
        let groupHeight = Double(seriesCount) * barHeight + groupGap
        let legendHeight = 22.0
        let height = 30 + legendHeight + Double(chart.categories.count) * groupHeight + 20
        let width = labelWidth + plotWidth + 90
        let finite = chart.series.flatMap(\.values).filter(\.isFinite)
        let maxValue = max(finite.max() ?? 1, 1e-300)
        var svg = header(width: width, height: height, title: chart.title)
        svg += legend(chart.series.map(\.name), y: 34)
        for (c, category) in chart.categories.enumerated() {
            let top = 30 + legendHeight + Double(c) * groupHeight
            svg += text(x: labelWidth - 6, y: top + Double(seriesCount) * barHeight / 2 + 4, category, anchor: "end")
            for (s, series) in chart.series.enumerated() {
                guard c < series.values.count, series.values[c].isFinite else { continue }
                let value = series.values[c]
                let w = max(0, value / maxValue * plotWidth)
                let y = top + Double(s) * barHeight
                svg += "<rect x=\"\(f(labelWidth))\" y=\"\(f(y))\" width=\"\(f(w))\" height=\"\(f(barHeight - 2))\" fill=\"\(colour(s))\"><title>\(escape(series.name)): \(format(value)) \(escape(chart.unit))</title></rect>\n"
                svg += text(x: labelWidth + w + 4, y: y + barHeight - 3, format(value), size: 10)
            }
        }
        return svg + "</svg>\n"
    }

    static func lines(_ chart: LineChart) -> String {
        let left = 60.0, top = 56.0, plotWidth = 560.0, plotHeight = 200.0
        let width = left + plotWidth + 20, height = top + plotHeight + 40
        let finite = chart.series.flatMap(\.values).filter(\.isFinite)
        var lo = finite.min() ?? 0, hi = finite.max() ?? 1
        if hi - lo < 1e-12 { lo -= 0.5; hi += 0.5 }
        let n = max(2, chart.series.map(\.values.count).max() ?? 2)
        func px(_ i: Int) -> Double { left + Double(i) / Double(n - 1) * plotWidth }
        func py(_ v: Double) -> Double { top + (hi - v) / (hi - lo) * plotHeight }
        var svg = header(width: width, height: height, title: chart.title)
        svg += legend(chart.series.map(\.name), y: 34)
        svg += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"#999\"/>\n"
        for (value, label) in [(hi, format(hi)), (lo, format(lo))] { svg += text(x: left - 4, y: py(value) + 4, label, anchor: "end", size: 10) }
        svg += text(x: left + plotWidth / 2, y: height - 8, chart.xLabel, anchor: "middle")
        svg += text(x: 14, y: top + plotHeight / 2, chart.yLabel, anchor: "middle", rotate: true)
        for (s, series) in chart.series.enumerated() {
            var path = ""
            var penDown = false
            for (i, v) in series.values.enumerated() {
                guard v.isFinite else { penDown = false; continue }
                path += "\(penDown ? "L" : "M")\(f(px(i))),\(f(py(v))) "
                penDown = true
            }
            svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(colour(s))\" stroke-width=\"1.5\"\(s > 0 ? " stroke-dasharray=\"5,3\"" : "")><title>\(escape(series.name))</title></path>\n"
        }
        return svg + "</svg>\n"
    }

    static func header(width: Double, height: Double, title: String) -> String {
        "<svg width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"\(escape(title))\">\n"
            + "<text x=\"4\" y=\"18\" font-size=\"14\" font-weight=\"bold\">\(escape(title))</text>\n"
    }

    static func legend(_ names: [String], y: Double) -> String {
        var x = 4.0, svg = ""
        for (i, name) in names.enumerated() {
            svg += "<rect x=\"\(f(x))\" y=\"\(f(y - 9))\" width=\"10\" height=\"10\" fill=\"\(colour(i))\"/>"
            svg += text(x: x + 14, y: y, name, size: 11)
            x += 24 + Double(name.count) * 6.5
        }
        return svg
    }

    static func text(x: Double, y: Double, _ s: String, anchor: String = "start", size: Int = 11, rotate: Bool = false) -> String {
        let transform = rotate ? " transform=\"rotate(-90 \(f(x)) \(f(y)))\"" : ""
        return "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(size)\" text-anchor=\"\(anchor)\"\(transform)>\(escape(s))</text>\n"
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
