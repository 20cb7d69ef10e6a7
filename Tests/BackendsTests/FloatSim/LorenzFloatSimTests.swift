import Foundation
import HDF5
import LFADSIR
import XCTest
import Backends

/// The imported lfads-torch Lorenz models, run by the float simulator, against lfads-torch's own float64
/// forward on the first 20 validation trials.
final class LorenzFloatSimTests: XCTestCase {
    /// Reference dataset name for each graph output.
    static let referenceNames = [
        "output_params": "output_params", "decoder.factors": "factors", "decoder.gen_states": "gen_states",
        "gen_init": "gen_init", "ic_mean": "ic_mean", "ic_std": "ic_std", "decoder.co_means": "co_means",
        "decoder.con_states": "con_states", "decoder.co_stds": "co_stds",
    ]

    func compare(_ model: String, expectedOutputs: Int) throws {
        let path = LorenzFiles.model(model)
        let graph = try LFADSTorchImporter().importGraph(from: HDF5File(path: path), path: path)
        XCTAssertEqual(graph.outputs.count, expectedOutputs)
        XCTAssertEqual(graph.primaryOutput, "output_params")
        let sim = try FloatSimulator(graph: graph)
        let ref = try LorenzReference("\(model)")
        let results = try sim.runBatch(trials: ref.inputs, threads: 2)
        var worst = 0.0
        for output in graph.outputs {
            let refName = try XCTUnwrap(Self.referenceNames[output], output)
            let expected = try ref.output(refName)
            let got = results.flatMap { $0[output] ?? [] }
            XCTAssertEqual(got.count, expected.count, output)
            let dev = Deviation(got, expected)
            print("\(model) \(output): \(dev)")
            XCTAssertLessThan(dev.normwise, 1e-12, "\(model) \(output)")
            XCTAssertLessThan(dev.elementwise, 1e-4, "\(model) \(output)")
            worst = max(worst, dev.elementwise)
        }
        print("\(model): worst elementwise relative error \(worst)")
    }

    func testLorenzNoController() throws { try compare("lorenz_nocon", expectedOutputs: 6) }

    func testLorenzController() throws { try compare("lorenz_con", expectedOutputs: 9) }

    /// Batch results are identical (bit for bit) for any thread count.
    func testBatchIndependentOfThreads() throws {
        let path = LorenzFiles.model("lorenz_con")
        let sim = try FloatSimulator(graph: LFADSTorchImporter().importGraph(from: HDF5File(path: path), path: path))
        let trials = Array(try LorenzReference("lorenz_con").inputs.prefix(7))
        let one = try sim.runBatch(trials: trials, threads: 1)
        XCTAssertEqual(one, try sim.runBatch(trials: trials, threads: 2))
        XCTAssertEqual(one, try sim.runBatch(trials: trials, threads: 5))
        XCTAssertEqual(one[3], try sim.run(inputs: trials[3], trial: 3))
    }
}
