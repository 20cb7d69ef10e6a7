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

    static let heldOut = TrialSelection(2..<3)

    /// Kept small for debug builds: 2 calibration trials, 1 held-out trial, only the input kernels searched
    /// from 8 fraction bits, one pass, 1 % tolerance.
    func small(threads: Int) throws -> AutoQuantize.Report {
        let graph = try ModelLoader.load(path: Self.model)
        let cal = try AutoQuantize.Trials.read(path: Self.data, dataset: "valid", selection: TrialSelection(0..<2), graph: graph)
        let held = try AutoQuantize.Trials.read(path: Self.data, dataset: "valid", selection: Self.heldOut, graph: graph)
        return try AutoQuantize.run(graph: graph, config: ProjectConfig(), overrides: PrecisionOverrides(), calibration: cal, heldOut: held,
                                    options: .init(maxIncrease: 0.01, threads: threads, maxPasses: 1, startFraction: 8, fields: [.weight]))
    }

    /// With a controller, searching the results only (coarse, one pass): the controller input and the factors
    /// come out with one type, so the chosen configuration lowers and emits as it is.
    func testControllerModelChoiceCompiles() throws {
        let model = Self.root.appendingPathComponent("examples/lorenz/models/lorenz_con.h5").path
        let graph = try ModelLoader.load(path: model)
        let cal = try AutoQuantize.Trials.read(path: Self.data, dataset: "valid", selection: TrialSelection(0..<2), graph: graph)
        let held = try AutoQuantize.Trials.read(path: Self.data, dataset: "valid", selection: Self.heldOut, graph: graph)
        let r = try AutoQuantize.run(graph: graph, config: ProjectConfig(), overrides: PrecisionOverrides(), calibration: cal, heldOut: held,
                                     options: .init(maxIncrease: 0.01, threads: 2, maxPasses: 1, startFraction: 8, fields: [.result]))
        XCTAssertLessThanOrEqual(r.fixedNLL, r.limit)
        let types = TensorInventory(r.graph)
        XCTAssertEqual(types.type(TensorKey("decoder.factors", .result)), types.type(TensorKey("ci_enc.forward", .result)))
        XCTAssertNoThrow(try HLSProject.emit(graph: r.graph, options: HLSOptions()))
        XCTAssertFalse(r.graph.outputs.contains { $0.hasSuffix("co_stds") })
    }

    func testSearchMeetsToleranceWithFewerBitsAndIsDeterministic() throws {
        let a = try small(threads: 2)
        XCTAssertEqual(a.rateOutput, .rates(value: a.rateOutput.value))
        XCTAssertLessThanOrEqual(a.fixedNLL, a.floatNLL * 1.01 + 1e-12)
        XCTAssertLessThan(a.weightBits, a.baselineWeightBits)
        // ic_enc forward and backward, gen_init, ic_mean (the posterior mean reads no ic_logvar, so the hardware
        // graph has none), factors, readout (the generator has no inputs).
        XCTAssertEqual(a.rows.map(\.key.layer).sorted(), ["decoder.factors", "gen_init", "ic_enc.backward", "ic_enc.forward", "ic_mean", "readout"])
        XCTAssertTrue(a.rows.allSatisfy { $0.type.width < 16 })
        // The chosen configuration, re-simulated from scratch, gives the NLL the search reported.
        let graph = try ModelLoader.load(path: Self.model)
        let held = try AutoQuantize.Trials.read(path: Self.data, dataset: "valid", selection: Self.heldOut, graph: graph)
        let q = try CompilePipeline.run(graph, config: ProjectConfig(), overrides: a.overrides, estimate: false).graph
        let rates = try FixedSimulator(graph: q).runBatch(trials: held.inputs, threads: 1).flatMap { $0.outputs[a.rateOutput.value]?.doubles ?? [] }
        XCTAssertEqual(try SpikeMetrics.poissonNLL(rates: rates, spikes: held.targets).mean, a.fixedNLL, accuracy: 1e-12)

        // Same choice on one thread: nothing depends on scheduling.
        let b = try small(threads: 1)
        XCTAssertEqual(a.overrides, b.overrides)
        XCTAssertEqual(a.fixedNLL, b.fixedNLL)
        XCTAssertEqual(a.evaluations, b.evaluations)
    }
}
