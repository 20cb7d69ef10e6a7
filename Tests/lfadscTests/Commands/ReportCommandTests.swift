import Foundation
import XCTest
@testable import lfadsc

final class ReportCommandTests: XCTestCase, CLIHarness {
    func testWritesSelfContainedReportForLorenzModel() throws {
        let out = try makeScratch("report").appendingPathComponent("report.html").path
        let model = path("examples/lorenz/models/lorenz_con.h5"), data = path("examples/lorenz/data/lorenz.h5")
        let r = run(["report", "-m", model, "--data", data, "--trials", "0:4", "-o", out])
        XCTAssertEqual(r.status, 0, r.err)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        for expected in ["Design after each pass", "Latency per layer", "output_params, trial 0", "Float factors", "Chosen precisions", "<svg"] {
            XCTAssertTrue(html.contains(expected), expected)
        }
        XCTAssertFalse(html.contains("<script"))
        // A second run without --force must refuse and leave the report alone.
        XCTAssertEqual(run(["report", "-m", model, "--data", data, "-o", out]).status, 1)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), html)
    }

    func testCompileWritesDesignReport() throws {
        let out = try makeScratch("compile-report").appendingPathComponent("report.html").path
        let r = run(["compile", path("examples/lorenz/models/lorenz_nocon.h5"), "--emit", "precision", "--report", out])
        XCTAssertEqual(r.status, 0, r.err)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(html.contains("Design after each pass"))
        XCTAssertTrue(html.contains("no data (design only)"))
        XCTAssertFalse(html.contains("Accuracy: float vs fixed point"))
    }
}
