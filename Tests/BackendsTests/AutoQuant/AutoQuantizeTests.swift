// The automatic precision search on a small Lorenz run (debug-build friendly).
import Backends
import Foundation
import LFADSIR
import XCTest

final class AutoQuantizeTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let model = root.appendingPathComponent("examples/lorenz/models/lorenz_nocon.h5").path
    static let data = root.appendingPathComponent("examples/lorenz/data/lorenz.h5").path

    func small() throws -> AutoQuantize.Report {
        let graph = try ModelLoader.load(path: Self.model)
        let cal = try AutoQuantize.Trials.read(path: Self.data, dataset: "valid", selection: TrialSelection(0..<3), graph: graph)
        let held = try AutoQuantize.Trials.read(path: Self.data, dataset: "valid", selection: TrialSelection(3..<6), graph: graph)
        return try AutoQuantize.run(graph: graph, config: ProjectConfig(), overrides: PrecisionOverrides(), calibration: cal, heldOut: held,
                                    options: .init(maxIncrease: 0.005, threads: 2, maxPasses: 1, startFraction: 12))
    }

    func testSearchMeetsToleranceWithFewerBitsAndIsDeterministic() throws {
        let a = try small()
        XCTAssertEqual(a.rateOutput, .rates(value: a.rateOutput.value))
        XCTAssertLessThanOrEqual(a.fixedNLL, a.floatNLL * 1.005 + 1e-12)
        XCTAssertLessThan(a.weightBits, a.baselineWeightBits)
        XCTAssertGreaterThan(a.rows.count, 10)
        // The chosen configuration, re-simulated from scratch, gives the NLL the search reported.
        let graph = try ModelLoader.load(path: Self.model)
        let held = try AutoQuantize.Trials.read(path: Self.data, dataset: "valid", selection: TrialSelection(3..<6), graph: graph)
        let q = try CompilePipeline.run(graph, config: ProjectConfig(), overrides: a.overrides, estimate: false).graph
        let sim = try SegmentedFixedSimulator(graph: q, outputs: [a.rateOutput.value])
        let rates = try sim.runBatch(trials: held.inputs, threads: 1).flatMap { $0.outputs[a.rateOutput.value] ?? [] }
        XCTAssertEqual(try SpikeMetrics.poissonNLL(rates: rates, spikes: held.targets).mean, a.fixedNLL, accuracy: 1e-12)

        let b = try small()
        XCTAssertEqual(a.overrides, b.overrides)
        XCTAssertEqual(a.fixedNLL, b.fixedNLL)
        XCTAssertEqual(a.evaluations, b.evaluations)
    }
}
