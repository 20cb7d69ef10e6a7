import Foundation
import XCTest
@testable import lfadsc

final class ReportCommandTests: XCTestCase, CLIHarness {
    func testWritesSelfContainedReportForLorenzModel() throws {
        let out = try makeScratch("report").appendingPathComponent("report.html").path
        let model = path("examples/lorenz/models/lorenz_con.h5"), data = path("examples/lorenz/data/lorenz.h5")
        let r = run(["report", "-m", model, "--data", data, "--trials", "0:4", "--neurons", "0,7", "--bin-ms", "10", "-o", out])
        XCTAssertEqual(r.status, 0, r.err)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        for expected in ["<section id=\"verdict\">", "Fits the U55C", "A trial of 50 bins × 10 ms lasts 500.0 ms", "aria-label=\"neuron 7\"",
                         "time (ms)", "Timeline of one trial", "aria-label=\"factor 7\"", "controller output 1", "Design after each pass", "Chosen precisions", "<svg"] {
            XCTAssertTrue(html.contains(expected), expected)
        }
        XCTAssertFalse(html.contains("<script"))
        // A second run without --force must refuse and leave the report alone.
        XCTAssertEqual(run(["report", "-m", model, "--data", data, "-o", out]).status, 1)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), html)
    }

    func testBadNeuronListAndBinWidthAreUsageErrors() throws {
        let out = try makeScratch("report-bad").appendingPathComponent("report.html").path
        let model = path("examples/lorenz/models/lorenz_nocon.h5"), data = path("examples/lorenz/data/lorenz.h5")
        for bad in [["--neurons", "1,x"], ["--neurons", "-3"], ["--neurons", ""], ["--bin-ms", "0"], ["--bin-ms", "nan"]] {
            let r = run(["report", "-m", model, "--data", data, "-o", out] + bad)
            XCTAssertEqual(r.status, 2, "\(bad): \(r.err)")
            XCTAssertFalse(r.err.isEmpty)
            XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        }
    }

    func testCompileWritesDesignReport() throws {
        let out = try makeScratch("compile-report").appendingPathComponent("report.html").path
        let r = run(["compile", path("examples/lorenz/models/lorenz_nocon.h5"), "--emit", "precision", "--report", out])
        XCTAssertEqual(r.status, 0, r.err)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(html.contains("Design after each pass"))
        XCTAssertTrue(html.contains("no data (design only)"))
        XCTAssertTrue(html.contains("<section id=\"verdict\">"))
        XCTAssertTrue(html.contains("Timeline of one trial"))
        XCTAssertFalse(html.contains("<section id=\"accuracy\">"))
    }
}
