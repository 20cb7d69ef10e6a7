import Foundation

/// A plot area and its data ranges, with ticked axes: every chart with numbers on an axis draws it.
struct PlotFrame {
    var left: Double, top: Double, width: Double, height: Double
    var xLo: Double, xHi: Double, yLo: Double, yHi: Double

    func px(_ x: Double) -> Double { left + (x - xLo) / max(xHi - xLo, 1e-300) * width }
    func py(_ y: Double) -> Double { top + (yHi - y) / max(yHi - yLo, 1e-300) * height }

    /// Range of finite values, widened when flat and optionally anchored at zero, then rounded out to ticks.
    static func range(_ values: [Double], includeZero: Bool = false, ticks: Int = 5) -> (Double, Double) {
        let finite = values.filter(\.isFinite)
        var lo = finite.min() ?? 0, hi = finite.max() ?? 1
        if includeZero { lo = min(lo, 0); hi = max(hi, 0) }
        if hi - lo < 1e-12 * max(1, abs(hi)) { lo -= 0.5; hi += 0.5 }
        let step = niceStep((hi - lo) / Double(ticks))
        return ((lo / step).rounded(.down) * step, (hi / step).rounded(.up) * step)
    }

    /// 1, 2 or 5 times a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw.isFinite, raw > 0 else { return 1 }
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        for m in [1.0, 2, 5, 10] where m * magnitude >= raw * 0.999 { return m * magnitude }
        return 10 * magnitude
    }

    static func ticks(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        let step = niceStep((hi - lo) / Double(max(1, count)))
        var t = (lo / step).rounded(.up) * step, out: [Double] = []
        while t <= hi + step * 1e-9, out.count < 50 {
            out.append(abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        return out
    }

    /// Frame, grid lines, tick labels and axis titles.
    func axes(xLabel: String, yLabel: String, xTicks: Int = 6, yTicks: Int = 5, yGrid: Bool = true) -> String {
        var svg = "<rect x=\"\(SVGChart.f(left))\" y=\"\(SVGChart.f(top))\" width=\"\(SVGChart.f(width))\" height=\"\(SVGChart.f(height))\" fill=\"none\" stroke=\"#888\"/>\n"
        for x in Self.ticks(xLo, xHi, count: xTicks) {
            let p = px(x)
            svg += "<line x1=\"\(SVGChart.f(p))\" y1=\"\(SVGChart.f(top + height))\" x2=\"\(SVGChart.f(p))\" y2=\"\(SVGChart.f(top + height + 4))\" stroke=\"#888\"/>"
            svg += SVGChart.text(x: p, y: top + height + 15, SVGChart.format(x), anchor: "middle", size: 10)
        }
        for y in yTicks > 0 ? Self.ticks(yLo, yHi, count: yTicks) : [] {
            let p = py(y)
            if yGrid { svg += "<line x1=\"\(SVGChart.f(left))\" y1=\"\(SVGChart.f(p))\" x2=\"\(SVGChart.f(left + width))\" y2=\"\(SVGChart.f(p))\" stroke=\"#e4e4e4\"/>" }
            svg += "<line x1=\"\(SVGChart.f(left - 4))\" y1=\"\(SVGChart.f(p))\" x2=\"\(SVGChart.f(left))\" y2=\"\(SVGChart.f(p))\" stroke=\"#888\"/>"
            svg += SVGChart.text(x: left - 6, y: p + 3.5, SVGChart.format(y), anchor: "end", size: 10)
        }
        svg += SVGChart.text(x: left + width / 2, y: top + height + 32, xLabel, anchor: "middle")
        svg += SVGChart.text(x: left - 42, y: top + height / 2, yLabel, anchor: "middle", rotate: true)
        return svg
    }
}
