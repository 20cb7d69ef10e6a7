import Foundation

/// The scatter, Gantt and raster charts (the bar and line charts are in SVGChart.swift).
extension SVGChart {
    static func scatter(_ chart: ScatterChart) -> String {
        let left = 62.0, top = 34.0, side = 260.0
        let width = left + side + 20, height = top + side + 42
        let points = zip(chart.x, chart.y).enumerated().filter { $0.element.0.isFinite && $0.element.1.isFinite }
        var all = points.map(\.element.0) + points.map(\.element.1)
        if all.isEmpty { all = [0, 1] }
        // One range for both axes when the diagonal matters: equal values lie on it.
        let (xLo, xHi) = PlotFrame.range(chart.diagonal ? all : points.map(\.element.0))
        let (yLo, yHi) = chart.diagonal ? (xLo, xHi) : PlotFrame.range(points.map(\.element.1))
        let frame = PlotFrame(left: left, top: top, width: side, height: side, xLo: xLo, xHi: xHi, yLo: yLo, yHi: yHi)
        var svg = header(width: width, height: height, title: chart.title)
        svg += frame.axes(xLabel: chart.xLabel, yLabel: chart.yLabel, xTicks: 5, yTicks: 5)
        if chart.diagonal {
            svg += "<line x1=\"\(f(frame.px(xLo)))\" y1=\"\(f(frame.py(xLo)))\" x2=\"\(f(frame.px(xHi)))\" y2=\"\(f(frame.py(xHi)))\" stroke=\"#999\" stroke-dasharray=\"4,3\"><title>y = x</title></line>\n"
        }
        for (i, (x, y)) in points {
            let label = i < chart.labels.count ? chart.labels[i] + ": " : ""
            svg += "<circle cx=\"\(f(frame.px(x)))\" cy=\"\(f(frame.py(y)))\" r=\"3.2\" fill=\"\(colour(0))\" fill-opacity=\"0.75\"><title>\(escape(label))\(format(x)), \(format(y))</title></circle>\n"
        }
        return svg + "</svg>\n"
    }

    /// One row per task, a bar from start to end on a shared time axis; overlapping bars run in parallel.
    static func gantt(_ chart: GanttChart) -> String {
        let labelWidth = 190.0, plotWidth = 560.0, rowHeight = 17.0
        let groups = chart.tasks.map(\.group).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let top = 48.0, plotHeight = Double(max(1, chart.tasks.count)) * rowHeight
        let height = top + plotHeight + (chart.secondaryUnit == nil ? 42 : 70), width = labelWidth + plotWidth + 30
        let finish = chart.tasks.map(\.end).filter(\.isFinite).max() ?? 1
        let (_, hi) = PlotFrame.range([0, max(finish, 1e-300)], ticks: 8)
        let frame = PlotFrame(left: labelWidth, top: top, width: plotWidth, height: plotHeight, xLo: 0, xHi: hi, yLo: 0, yHi: 1)
        var svg = header(width: width, height: height, title: chart.title)
        svg += legend(groups, y: 38)
        for x in PlotFrame.ticks(0, hi, count: 8) {
            let p = frame.px(x)
            svg += "<line x1=\"\(f(p))\" y1=\"\(f(top))\" x2=\"\(f(p))\" y2=\"\(f(top + plotHeight + 4))\" stroke=\"#e4e4e4\"/>"
            svg += text(x: p, y: top + plotHeight + 15, format(x), anchor: "middle", size: 10)
        }
        svg += text(x: labelWidth + plotWidth / 2, y: top + plotHeight + 31, chart.unit, anchor: "middle")
        if let unit = chart.secondaryUnit, chart.secondaryScale > 0 {
            // The same axis in the second unit: ticks at round values of that unit.
            let y = top + plotHeight + 44
            for v in PlotFrame.ticks(0, hi * chart.secondaryScale, count: 8) {
                let p = frame.px(v / chart.secondaryScale)
                svg += "<line x1=\"\(f(p))\" y1=\"\(f(y - 10))\" x2=\"\(f(p))\" y2=\"\(f(y - 6))\" stroke=\"#888\"/>"
                svg += text(x: p, y: y + 3, format(v), anchor: "middle", size: 10)
            }
            svg += text(x: labelWidth + plotWidth / 2, y: y + 19, unit, anchor: "middle")
        }
        for (row, task) in chart.tasks.enumerated() {
            let y = top + Double(row) * rowHeight
            if row % 2 == 1 { svg += "<rect x=\"0\" y=\"\(f(y))\" width=\"\(f(labelWidth + plotWidth))\" height=\"\(f(rowHeight))\" fill=\"#f6f6f6\"/>" }
            svg += text(x: labelWidth - 6, y: y + rowHeight - 5, task.name, anchor: "end", size: 10)
            guard task.start.isFinite, task.end.isFinite else { continue }
            let x0 = frame.px(task.start), x1 = max(frame.px(task.end), x0 + 1.5)
            let c = colour(groups.firstIndex(of: task.group) ?? 0)
            svg += "<rect x=\"\(f(x0))\" y=\"\(f(y + 3))\" width=\"\(f(x1 - x0))\" height=\"\(f(rowHeight - 6))\" fill=\"\(c)\"><title>\(escape(task.name)): \(format(task.start))–\(format(task.end)) \(escape(chart.unit))</title></rect>\n"
        }
        svg += "<line x1=\"\(f(labelWidth))\" y1=\"\(f(top))\" x2=\"\(f(labelWidth))\" y2=\"\(f(top + plotHeight))\" stroke=\"#888\"/>\n"
        return svg + "</svg>\n"
    }

    /// Spike raster: a tick per (row, bin) with a count, darker for more spikes.
    static func raster(_ chart: RasterChart) -> String {
        let left = 62.0, top = 30.0, plotWidth = 560.0, rowHeight = max(4.0, min(12.0, 240.0 / Double(max(1, chart.rows.count))))
        let plotHeight = Double(max(1, chart.rows.count)) * rowHeight
        let bins = max(1, chart.rows.map(\.count).max() ?? 1)
        let width = left + plotWidth + 20, height = top + plotHeight + 42
        let frame = PlotFrame(left: left, top: top, width: plotWidth, height: plotHeight,
                              xLo: chart.xStart, xHi: chart.xStart + Double(bins) * chart.xStep, yLo: 0, yHi: 1)
        let peak = max(1, chart.rows.flatMap { $0 }.filter(\.isFinite).max() ?? 1)
        var svg = header(width: width, height: height, title: chart.title)
        svg += frame.axes(xLabel: chart.xLabel, yLabel: "", xTicks: 8, yTicks: 0, yGrid: false)
        let binWidth = plotWidth / Double(bins)
        for (r, row) in chart.rows.enumerated() {
            let y = top + Double(r) * rowHeight
            if r < chart.rowLabels.count, rowHeight >= 8 || r % 5 == 0 {
                svg += text(x: left - 4, y: y + rowHeight - 1.5, chart.rowLabels[r], anchor: "end", size: Int(min(10, max(7, rowHeight))))
            }
            for (b, count) in row.enumerated() where count.isFinite && count > 0 {
                let opacity = 0.35 + 0.65 * min(1, count / peak)
                svg += "<rect x=\"\(f(left + Double(b) * binWidth + 0.5))\" y=\"\(f(y + 0.5))\" width=\"\(f(max(1, binWidth - 1)))\" height=\"\(f(max(1, rowHeight - 1)))\" fill=\"#000\" fill-opacity=\"\(String(format: "%.2f", opacity))\"><title>\(escape(r < chart.rowLabels.count ? chart.rowLabels[r] : "row \(r)")), bin \(b): \(format(count))</title></rect>"
            }
        }
        return svg + "\n</svg>\n"
    }
}
