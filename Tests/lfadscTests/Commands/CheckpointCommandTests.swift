import Foundation
import XCTest
@testable import lfadsc

/// `lfadsc init model.ckpt && lfadsc compile` on a real lfads-torch Lightning checkpoint, and the other commands
/// that take a model, as a user runs them (docs/checkpoints.md).
final class CheckpointCommandTests: XCTestCase, CLIHarness {
    var scratch: URL!

    override func setUpWithError() throws { scratch = try makeScratch("ckpt-cmd") }

    var checkpoint: String { path("examples/lorenz/checkpoints/lorenz_con_brief.ckpt") }

    /// The documented first steps: init on the checkpoint, then compile with what init wrote; the design fits.
    func testInitThenCompileEstimateAndSimulate() throws {
        let config = scratch.appendingPathComponent("lfadsc.json").path
        let initialised = run(["init", checkpoint, "--config", config])
        XCTAssertEqual(initialised.status, 0, initialised.err)
        XCTAssertTrue(initialised.out.contains("(lfads-torch, 17 nodes)"), initialised.out)

        let project = scratch.appendingPathComponent("prj").path
        let compiled = run(["compile", "--config", config, "-o", project])
        XCTAssertEqual(compiled.status, 0, compiled.err)
        XCTAssertTrue(FileManager.default.fileExists(atPath: project + "/build_prj.tcl"))
        // The defaults init chose give a design that fits: the estimate line's largest share is under 100 %.
        let share = try XCTUnwrap(compiled.out.range(of: "max [0-9.]+ % of u55c", options: .regularExpression).map { compiled.out[$0] }, compiled.out)
        let percent = try XCTUnwrap(Double(share.split(separator: " ")[1]))
        XCTAssertLessThan(percent, 100, String(share))
        XCTAssertGreaterThan(percent, 1, String(share))

        let estimated = run(["estimate", "--config", config])
        XCTAssertEqual(estimated.status, 0, estimated.err)
        XCTAssertTrue(estimated.out.contains("lorenz_con_brief on u55c") && estimated.out.contains("total"), estimated.out)

        let out = scratch.appendingPathComponent("fixed.h5").path
        let simulated = run(["simulate", path("examples/lorenz/data/lorenz.h5"), "--config", config, "--trials", "0:3", "-o", out])
        XCTAssertEqual(simulated.status, 0, simulated.err)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out))
    }

    /// The bit-accurate simulation of the checkpoint equals that of its export, file for file.
    func testSimulationOfCheckpointAndExportAgree() throws {
        var outputs: [Data] = []
        for model in [checkpoint, path("examples/lorenz/checkpoints/lorenz_con_brief.h5")] {
            let out = scratch.appendingPathComponent("out-\(outputs.count).dat").path
            let r = run(["simulate", path("examples/lorenz/data/lorenz.h5"), "-m", model, "--trials", "0:5", "-o", out])
            XCTAssertEqual(r.status, 0, r.err)
            outputs.append(try Data(contentsOf: URL(fileURLWithPath: out)))
        }
        XCTAssertGreaterThan(outputs[0].count, 1000)
        XCTAssertEqual(outputs[0], outputs[1])
    }
}
