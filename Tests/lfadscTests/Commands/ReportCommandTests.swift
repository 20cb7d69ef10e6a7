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

    /// A Gaussian lfads-torch model's outputs are means, not rates (they may be negative): the report names them so,
    /// computes no Poisson bits per spike, and judges the fixed point by the model's own loss, float and fixed.
    func testNonPoissonModelIsJudgedByItsOwnLoss() throws {
        let out = try makeScratch("report-gauss").appendingPathComponent("report.html").path
        let model = path("Tests/lfadscTests/Fixtures/reconstructions/lorenz_gamma.h5"), data = path("examples/lorenz/data/lorenz.h5")
        let r = run(["report", "-m", model, "--reconstruction", "Gaussian", "--data", data, "--trials", "0:3", "-o", out])
        XCTAssertEqual(r.status, 0, r.err)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        for expected in ["Gaussian means vs data", "Gaussian reconstruction loss: float vs fixed point", "Gaussian means (the readout",
                         "bits per spike is a Poisson measure and not computed", "value per bin"] {
            XCTAssertTrue(html.contains(expected), expected)
        }
        for poissonOnly in ["Bits per spike over", "bits per spike (all", "Bits per spike per neuron", "Poisson NLL per bin", "spikes per bin"] {
            XCTAssertFalse(html.contains(poissonOnly), poissonOnly)
        }
        // The loss row has a number in both columns: the fixed one from the design with the parameters kept.
        let row = try XCTUnwrap(html.components(separatedBy: "Gaussian NLL per bin·neuron</td>").dropFirst().first)
        let cells = row.components(separatedBy: "</tr>")[0].components(separatedBy: "<td").dropFirst()
            .map { $0.replacingOccurrences(of: "<[^>]*>|^[^>]*>", with: "", options: .regularExpression) }
        XCTAssertEqual(cells.count, 3, row)
        let float = try XCTUnwrap(Double(cells[0]), row), fixed = try XCTUnwrap(Double(cells[1]), row)
        XCTAssertEqual(fixed, float, accuracy: 0.01 * float)
        XCTAssertNotEqual(fixed, float, "a fixed loss equal to the float one would suggest the float run was read twice")
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
