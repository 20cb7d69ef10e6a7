import Foundation
import XCTest
@testable import Backends

final class HTMLRendererTests: XCTestCase {
    static func sample() -> ReportDocument {
        let steps = (0..<50).map(Double.init)
        return ReportDocument(title: "Report <test> & more", subtitle: "sample", sections: [
            ReportSection("Resources", [
                .bars(BarChart(title: "DSP per layer", unit: "DSP", categories: ["encoder", "generator", "readout"],
                               series: [ChartSeries("import", [1200, 800, 70]), ChartSeries("reuse", [300, .nan, 70])])),
                .table([["layer", "DSP", "LUT %"], ["encoder", "1,200", "3.5%"], ["gen", "800", "2.0%"]]),
            ]),
            ReportSection("Traces", [
                .lines(LineChart(title: "factor 0", xLabel: "bin", yLabel: "value",
                                 series: [ChartSeries("float", steps.map { sin($0 / 5) }),
                                          ChartSeries("fixed", steps.map { sin($0 / 5) + 0.01 })])),
                .paragraph("Done."),
                .grid([.lines(LineChart(title: "small", xLabel: "ms", yLabel: "v", series: [ChartSeries("a", [0, 1, 4], dashed: true)], xStep: 10, compact: true))]),
            ]),
            ReportSection(id: "verdict", "Verdict", [.verdict([VerdictLine(.good, "fits"), VerdictLine(.bad, "slow <1 bin>")])]),
            ReportSection(id: "plots", "Plots", [
                .scatter(ScatterChart(title: "bps", xLabel: "float", yLabel: "fixed", x: [0.1, 0.2, .nan], y: [0.1, 0.19, 0.3])),
                .gantt(GanttChart(title: "timeline", unit: "cycles", tasks: [.init(name: "enc", start: 0, end: 100, group: "gru"),
                                                                             .init(name: "dec", start: 50, end: 400, group: "decoder")],
                                  secondaryUnit: "µs", secondaryScale: 1 / 300)),
                .raster(RasterChart(title: "spikes", xLabel: "bin", rows: [[0, 1, 2], [3, 0, 0]], rowLabels: ["n0", "n1"])),
                .appendix("More", [.bars(BarChart(title: "use", unit: "%", categories: ["DSP"], series: [ChartSeries("u", [77])],
                                                  limits: [ChartLimit("capacity", 100)]))]),
            ]),
        ])
    }

    func testSelfContainedAndEscaped() {
        let html = HTMLRenderer.render(Self.sample())
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("Report &lt;test&gt; &amp; more"))
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 7)
        XCTAssertTrue(html.contains("<section id=\"verdict\">"))
        XCTAssertTrue(html.contains("slow &lt;1 bin&gt;"))
        XCTAssertTrue(html.contains("<details><summary>More</summary>"))
        XCTAssertTrue(html.contains("capacity"), "the limit line is labelled")
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("src=\""), "no external resources")
        XCTAssertFalse(html.contains("nan"), "non-finite values are skipped, not printed")
        XCTAssertTrue(html.contains("<td class=\"n\">1,200</td>"))
    }

    func testEmptyAndDegenerateChartsDoNotTrap() {
        let doc = ReportDocument(title: "t", sections: [ReportSection("s", [
            .bars(BarChart(title: "b", unit: "", categories: [], series: [])),
            .lines(LineChart(title: "l", xLabel: "x", yLabel: "y", series: [ChartSeries("flat", [1, 1, 1]), ChartSeries("none", [])])),
            .table([]),
            .scatter(ScatterChart(title: "s", xLabel: "x", yLabel: "y", x: [], y: [])),
            .scatter(ScatterChart(title: "s", xLabel: "x", yLabel: "y", x: [.infinity, 1], y: [2])),
            .gantt(GanttChart(title: "g", unit: "", tasks: [])),
            .gantt(GanttChart(title: "g", unit: "", tasks: [.init(name: "x", start: .nan, end: 5, group: "")], secondaryUnit: "µs", secondaryScale: 0)),
            .raster(RasterChart(title: "r", xLabel: "", rows: [], rowLabels: [])),
            .raster(RasterChart(title: "r", xLabel: "", rows: [[], [.nan, -1]], rowLabels: [])),
            .bars(BarChart(title: "b", unit: "", categories: ["a"], series: [ChartSeries("s", [-3])], limits: [ChartLimit("inf", .infinity)])),
            .lines(LineChart(title: "l", xLabel: "x", yLabel: "y", series: [ChartSeries("big", [1e300, -1e300, .nan])], xStep: 0)),
            .grid([]), .appendix("", []), .verdict([]),
        ])])
        XCTAssertTrue(HTMLRenderer.render(doc).contains("</html>"))
    }

    func testNiceTicks() {
        XCTAssertEqual(PlotFrame.ticks(0, 100, count: 5), [0, 20, 40, 60, 80, 100])
        XCTAssertEqual(PlotFrame.ticks(-0.3, 0.3, count: 3), [-0.2, 0, 0.2])
        let (lo, hi) = PlotFrame.range([0.13, 0.87])
        XCTAssertEqual(lo, 0, accuracy: 1e-12)
        XCTAssertEqual(hi, 1, accuracy: 1e-12)
        XCTAssertEqual(PlotFrame.niceStep(0), 1)
    }

    /// Renders the report in headless Chromium and checks the screenshot is not blank.
    /// Skipped only when Chromium is absent outside CI (scripts/test.sh installs it).
    func testRendersInHeadlessChromium() throws {
        let png = try Self.screenshot(HTMLRenderer.render(Self.sample()), width: 1000, height: 900)
        XCTAssertEqual(png.width, 1000)
        XCTAssertGreaterThan(png.distinctColours, 8, "the screenshot looks blank")
    }

    /// A headless-Chromium screenshot of `html`; `keep` also copies the PNG there (for looking at it).
    static func screenshot(_ html: String, width: Int, height: Int, keep: String? = nil) throws -> PNGPixels {
        let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        guard let chromium = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("chromium is required on CI"); throw XCTSkip("no chromium") }
            throw XCTSkip("chromium not installed (apt-get install chromium)")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lfadsc-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("report.html"), shot = dir.appendingPathComponent("shot.png")
        try html.write(to: page, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                             "--user-data-dir=\(dir.appendingPathComponent("profile").path)",
                             "--window-size=\(width),\(height)", "--screenshot=\(shot.path)", page.absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let bytes = try Data(contentsOf: shot)
        if let keep { try bytes.write(to: URL(fileURLWithPath: keep)) }
        return try PNGPixels([UInt8](bytes))
    }
}
