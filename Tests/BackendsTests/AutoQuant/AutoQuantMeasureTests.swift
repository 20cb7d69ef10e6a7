// The measurements of docs/quantisation.md ("Automatic precision: results"). Slow: runs only with
// LFADSC_AUTOQUANT_MEASURE=1, in a release build (benchmarks/autoquant.sh).
import Backends
import Foundation
import LFADSIR
import XCTest

final class AutoQuantMeasureTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func measure(model: String, data: String, dataset: String?, calibration: TrialSelection, heldOut: TrialSelection) throws {
        let env = ProcessInfo.processInfo.environment
        guard env["LFADSC_AUTOQUANT_MEASURE"] == "1" else { throw XCTSkip("set LFADSC_AUTOQUANT_MEASURE=1 (benchmarks/autoquant.sh)") }
        guard FileManager.default.fileExists(atPath: model), FileManager.default.fileExists(atPath: data) else {
            throw XCTSkip("\(model) or \(data) not present")
        }
        let graph = try ModelLoader.load(path: model)
        let cal = try AutoQuantize.Trials.read(path: data, dataset: dataset, selection: calibration, graph: graph)
        let held = try AutoQuantize.Trials.read(path: data, dataset: dataset, selection: heldOut, graph: graph)
        let threads = Int(env["LFADSC_AUTOQUANT_THREADS"] ?? "") ?? 2
        let report = try AutoQuantize.run(graph: graph, config: ProjectConfig(), overrides: PrecisionOverrides(),
                                          calibration: cal, heldOut: held, options: .init(threads: threads))
        print("== \(model)\n" + report.summary() + report.table())
        XCTAssertLessThanOrEqual(report.fixedNLL, report.limit)
        XCTAssertLessThan(report.weightBits, report.baselineWeightBits)
    }

    func testLorenzNoController() throws {
        let r = Self.root.path
        try measure(model: r + "/examples/lorenz/models/lorenz_nocon.h5", data: r + "/examples/lorenz/data/lorenz.h5", dataset: "valid",
                    calibration: TrialSelection(0..<40), heldOut: TrialSelection(40..<80))
    }

    func testLorenzController() throws {
        let r = Self.root.path
        try measure(model: r + "/examples/lorenz/models/lorenz_con.h5", data: r + "/examples/lorenz/data/lorenz.h5", dataset: "valid",
                    calibration: TrialSelection(0..<40), heldOut: TrialSelection(40..<80))
    }

    /// The published QKeras template: its test bench holds one trial, used for both ranges and NLL.
    func testTemplate() throws {
        let dir = ProcessInfo.processInfo.environment["LFADSC_TEMPLATE_DIR"] ?? "/work/shared/peers/lfads-fpga-template"
        try measure(model: dir + "/keras_model.h5", data: dir + "/tb_input_features.dat", dataset: nil,
                    calibration: .all, heldOut: .all)
    }
}
