// Ranges, ties and pruning the precision search is given, on the Lorenz model with a controller.
import Backends
import Foundation
import LFADSIR
import XCTest

final class TensorRangesTests: XCTestCase {
    func lorenz() throws -> Graph {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return try FoldQuantizersPass().run(ModelLoader.load(path: root.appendingPathComponent("examples/lorenz/models/lorenz_con.h5").path))
    }

    func testRatesDoNotNeedPosteriorStd() throws {
        let graph = try lorenz()
        let rates = try XCTUnwrap(graph.outputs.first { Simulation.outputName($0) == "output_params" })
        let names = Set(SegmentedFixedSimulator.needed(graph, [rates]).map(\.name))
        XCTAssertTrue(names.isSuperset(of: ["readin", "ic_enc", "ic_mean", "gen_init", "ci_enc", "decoder", "readout"]))
        XCTAssertTrue(names.contains("ic_logvar"), "the sample keeps both operands, so the graph stays well-formed")
        XCTAssertFalse(names.contains("ic_std"))
    }

    func testRangesAndTies() throws {
        let graph = try lorenz()
        let rates = try XCTUnwrap(graph.outputs.first { Simulation.outputName($0) == "output_params" })
        let searchable = Set(SegmentedFixedSimulator.needed(graph, [rates]).map(\.name))
        let observed: [String: ClosedRange<Double>] = ["readout": -3...2, "ic_mean": -5...5]
        let ranges = TensorRanges.collect(graph: graph, observed: observed, searchable: searchable)
        guard case .dense(let readout) = try XCTUnwrap(graph.node(named: "readout")).op else { return XCTFail("readout is not dense") }
        let w = readout.effectiveWeight.values
        XCTAssertEqual(ranges[TensorKey("readout", .weight)], w.min()!...w.max()!)
        XCTAssertEqual(ranges[TensorKey("readout", .result)], -3...2)
        XCTAssertEqual(ranges[TensorKey("readout", .accum)], -3...2)
        XCTAssertEqual(ranges[TensorKey("ic_enc.forward", .state)], -1...1)
        XCTAssertEqual(ranges[TensorKey("decoder.generator", .recurrentActivation)], 0...1)
        XCTAssertNil(ranges[TensorKey("decoder.generator", .accum)])

        let ties = TensorRanges.ties(graph: graph, searchable: searchable)
        XCTAssertEqual(ties[TensorKey("ic_enc.backward", .result)], TensorKey("ic_enc.forward", .result))
        XCTAssertEqual(ties[TensorKey("ci_enc.backward", .result)], TensorKey("ci_enc.forward", .result))
    }

    /// A tied follower is not searched and always carries its leader's type.
    func testAutoPrecisionTies() throws {
        let graph = try lorenz()
        let leader = TensorKey("ic_enc.forward", .result), follower = TensorKey("ic_enc.backward", .result)
        var search = AutoPrecision(rangeProvider: { _ in [leader: -1...1, TensorKey("readout", .weight): -1...1] },
                                   nll: { g in
                                       // Synthetic score: each fraction bit removed from the leader costs 0.1.
                                       let t = TensorInventory(g).type(TensorKey("ic_enc.forward", .result))
                                       return 10 + 0.1 * Double(16 - (t?.fraction ?? 16))
                                   }, floatNLL: 10, maxIncrease: 0.05)
        search.ties = [follower: leader]
        search.maxPasses = 1
        let r = try search.run(graph)
        XCTAssertEqual(r.chosen[leader]?.fraction, 11)
        XCTAssertEqual(r.chosen[follower], r.chosen[leader])
        XCTAssertEqual(TensorInventory(r.graph).type(follower), r.chosen[leader])
    }
}
