// The decoder loop of a real model (Lorenz, with controller) in the bit-accurate simulator.
import Backends
import Foundation
import LFADSIR
import XCTest

final class FixedSimLorenzTests: XCTestCase {
    /// Quantised wide, the rates follow the float simulator closely, and narrowly they do not: the decoder loop
    /// really runs on the chosen types.
    func testLorenzDecoderFollowsFloatAtWidePrecision() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let model = try ModelLoader.load(path: root.appendingPathComponent("examples/lorenz/models/lorenz_con.h5").path)
        let graph = try FoldQuantizersPass().run(HardwareOutputsPass().run(model))
        let trials = try AutoQuantize.Trials.read(path: root.appendingPathComponent("examples/lorenz/data/lorenz.h5").path,
                                                  dataset: "valid", selection: TrialSelection(0..<2), graph: graph)
        let rates = try XCTUnwrap(graph.outputs.first { Simulation.outputName($0) == "output_params" })
        let float = try FloatSimulator(graph: graph).runBatch(trials: trials.inputs, threads: 1).flatMap { $0[rates] ?? [] }
        func fixed(_ text: String) throws -> [Double] {
            let t = try FixedType(parsing: text)
            let q = try QuantizePass(overrides: PrecisionOverrides(defaultPrecision: t, fieldDefaults: [.accum: t])).run(graph)
            return try FixedSimulator(graph: q).runBatch(trials: trials.inputs, threads: 2).flatMap { $0.outputs[rates]?.doubles ?? [] }
        }
        // Mean relative error; the sigmoid/tanh tables (1,024 entries, no interpolation) bound how close it gets.
        func meanError(_ a: [Double]) -> Double { zip(a, float).map { abs($0 - $1) / max(abs($1), 0.1) }.reduce(0, +) / Double(max(a.count, 1)) }
        XCTAssertEqual(float.count, 2 * 50 * 40)
        let wide = try fixed("ap_fixed<32,10>")
        XCTAssertEqual(wide.count, float.count)
        let narrow = try fixed("ap_fixed<8,4>")
        XCTAssertLessThan(meanError(wide), 1e-2)
        XCTAssertGreaterThan(meanError(narrow), 3 * meanError(wide))
    }
}
