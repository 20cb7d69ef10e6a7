// The segmented bit-accurate simulation used by the precision search.
import Backends
import Foundation
import LFADSIR
import XCTest

final class SegmentedFixedSimulatorTests: XCTestCase {
    /// Without decoders it is the plain FixedSimulator: identical outputs and statistics.
    func testMatchesFixedSimulatorWithoutDecoder() throws {
        let graph = try TestModels.lfadsLike(HWConfig(name: "seg"))
        let trials = TestModels.trials(graph, count: 3, seed: 7)
        let plain = try FixedSimulator(graph: graph).runBatch(trials: trials, threads: 1)
        let output = try XCTUnwrap(graph.primaryOutput)
        let segmented = try SegmentedFixedSimulator(graph: graph, outputs: [output]).runBatch(trials: trials, threads: 2)
        for (p, s) in zip(plain, segmented) {
            XCTAssertEqual(p.outputs[output]?.doubles, s.outputs[output])
            XCTAssertEqual(p.stats[output], s.stats[output])
        }
    }

    /// A Lorenz model (decoder with controller) quantised wide follows the float simulator closely, and
    /// narrowly it does not: the decoder loop really runs on the chosen types.
    func testLorenzDecoderFollowsFloatAtWidePrecision() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let graph = try FoldQuantizersPass().run(ModelLoader.load(path: root.appendingPathComponent("examples/lorenz/models/lorenz_con.h5").path))
        let trials = try AutoQuantize.Trials.read(path: root.appendingPathComponent("examples/lorenz/data/lorenz.h5").path,
                                                  dataset: "valid", selection: TrialSelection(0..<2), graph: graph)
        let rates = try XCTUnwrap(graph.outputs.first { Simulation.outputName($0) == "output_params" })
        let float = try FloatSimulator(graph: graph).runBatch(trials: trials.inputs, threads: 1).flatMap { $0[rates] ?? [] }
        func fixed(_ text: String) throws -> [Double] {
            let t = try FixedType(parsing: text)
            let q = try QuantizePass(overrides: PrecisionOverrides(defaultPrecision: t, fieldDefaults: [.accum: t])).run(graph)
            return try SegmentedFixedSimulator(graph: q, outputs: [rates]).runBatch(trials: trials.inputs, threads: 2).flatMap { $0.outputs[rates] ?? [] }
        }
        // Mean relative error; the sigmoid/tanh tables (1,024 entries, no interpolation) bound how close it gets.
        func meanError(_ a: [Double]) -> Double { zip(a, float).map { abs($0 - $1) / max(abs($1), 0.1) }.reduce(0, +) / Double(max(a.count, 1)) }
        XCTAssertEqual(float.count, 2 * 50 * 40)
        let wide = try fixed("ap_fixed<32,10>")
        XCTAssertEqual(wide.count, float.count)
        let narrow = try fixed("ap_fixed<8,4>")
        print("lorenz_con vs float, mean relative error: ap_fixed<32,10> \(meanError(wide)), ap_fixed<8,4> \(meanError(narrow))")
        XCTAssertLessThan(meanError(wide), 1e-2)
        XCTAssertGreaterThan(meanError(narrow), 3 * meanError(wide))
    }
}
