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
            ]),
        ])
    }

    func testSelfContainedAndEscaped() {
        let html = HTMLRenderer.render(Self.sample())
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("Report &lt;test&gt; &amp; more"))
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 2)
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
        ])])
        XCTAssertTrue(HTMLRenderer.render(doc).contains("</html>"))
    }

    /// Renders the report in headless Chromium and checks the screenshot is not blank.
    /// Skipped only when Chromium is absent outside CI (scripts/test.sh installs it).
    func testRendersInHeadlessChromium() throws {
        let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        guard let chromium = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { return XCTFail("chromium is required on CI") }
            throw XCTSkip("chromium not installed (apt-get install chromium)")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lfadsc-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("report.html"), shot = dir.appendingPathComponent("shot.png")
        try HTMLRenderer.render(Self.sample()).write(to: page, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                             "--user-data-dir=\(dir.appendingPathComponent("profile").path)",
                             "--window-size=1000,900", "--screenshot=\(shot.path)", page.absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let png = try PNGPixels([UInt8](Data(contentsOf: shot)))
        XCTAssertEqual(png.width, 1000)
        XCTAssertGreaterThan(png.distinctColours, 8, "the screenshot looks blank")
    }
}
