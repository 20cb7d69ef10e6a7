import Foundation
import XCTest
@testable import lfadsc

final class ReportCommandTests: XCTestCase {
    func testWritesSelfContainedReportForLorenzModel() throws {
        let root = CommandLineToolTests.repoRoot
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("lfadsc-report-\(UUID().uuidString).html").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let console = Console(capture: true)
        let status = CommandLineTool.run(["report", "-m", root.appendingPathComponent("examples/lorenz/models/lorenz_con.h5").path,
                                          "--data", root.appendingPathComponent("examples/lorenz/data/lorenz.h5").path,
                                          "--trials", "0:4", "-o", out], console: console)
        XCTAssertEqual(status, 0, console.captured.err)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        for expected in ["Design after each pass", "Latency per layer", "output_params, trial 0", "Float factors", "Chosen precisions", "<svg"] {
            XCTAssertTrue(html.contains(expected), expected)
        }
        XCTAssertFalse(html.contains("<script"))
        // A second run without --force must refuse and leave the report alone.
        let again = CommandLineTool.run(["report", "-m", root.appendingPathComponent("examples/lorenz/models/lorenz_con.h5").path,
                                         "--data", root.appendingPathComponent("examples/lorenz/data/lorenz.h5").path, "-o", out],
                                        console: Console(capture: true))
        XCTAssertEqual(again, 1)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), html)
    }

    func testCompileWritesDesignReport() throws {
        let root = CommandLineToolTests.repoRoot
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("lfadsc-compile-report-\(UUID().uuidString).html").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let console = Console(capture: true)
        let status = CommandLineTool.run(["compile", root.appendingPathComponent("examples/lorenz/models/lorenz_nocon.h5").path,
                                          "--emit", "precision", "--report", out], console: console)
        XCTAssertEqual(status, 0, console.captured.err)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(html.contains("Design after each pass"))
        XCTAssertTrue(html.contains("no data (design only)"))
        XCTAssertFalse(html.contains("Accuracy: float vs fixed point"))
    }
}
