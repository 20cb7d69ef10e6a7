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

    /// The search's graph is the hardware graph: posterior_std and the log-variance it reads go (the posterior
    /// mean sample keeps only its mean operand).
    func testRatesDoNotNeedPosteriorStd() throws {
        let graph = try HardwareOutputsPass().run(try lorenz())
        let names = Set(graph.nodes.map(\.name))
        XCTAssertTrue(names.isSuperset(of: ["readin", "ic_enc", "ic_mean", "gen_init", "ci_enc", "decoder", "readout"]))
        XCTAssertFalse(names.contains("ic_logvar"))
        XCTAssertFalse(names.contains("ic_std"))
        XCTAssertEqual(graph.node(named: "ic_sample")?.operands, ["ic_mean"])
        try Verifier.verify(graph)
    }

    func testRangesAndTies() throws {
        let graph = try HardwareOutputsPass().run(try lorenz())
        let observed: [String: ClosedRange<Double>] = ["readout": -3...2, "ic_mean": -5...5]
        let ranges = TensorRanges.collect(graph: graph, observed: observed)
        guard case .dense(let readout) = try XCTUnwrap(graph.node(named: "readout")).op else { return XCTFail("readout is not dense") }
        let w = readout.effectiveWeight.values
        XCTAssertEqual(ranges[TensorKey("readout", .weight)], w.min()!...w.max()!)
        XCTAssertEqual(ranges[TensorKey("readout", .result)], -3...2)
        XCTAssertEqual(ranges[TensorKey("readout", .accum)], -3...2)
        XCTAssertEqual(ranges[TensorKey("ic_enc.forward", .state)], -1...1)
        XCTAssertEqual(ranges[TensorKey("decoder.generator", .recurrentActivation)], 0...1)
        XCTAssertNil(ranges[TensorKey("decoder.generator", .accum)])

        let ties = TensorRanges.ties(graph: graph)
        XCTAssertEqual(ties[TensorKey("ic_enc.backward", .result)], TensorKey("ic_enc.forward", .result))
        XCTAssertEqual(ties[TensorKey("ci_enc.backward", .result)], TensorKey("ci_enc.forward", .result))
        // The controller reads [ci_t, f_{t−1}] as one vector: ci (the concat of ci_enc's directions) and the factors.
        XCTAssertEqual(ties[TensorKey("decoder.factors", .result)], TensorKey("ci_enc.forward", .result))
        XCTAssertEqual(ties.count, 3)
    }

    /// Every result the search may choose, each with its own range: the ties alone must make the chosen
    /// configuration lower to the hardware plan and emit, on decoders with and without controller and
    /// external input, and on the encoder/generator chain.
    func testTiedConfigurationsAlwaysLower() throws {
        var configs = [HWConfig]()
        for (controller, external) in [(true, true), (true, false), (false, true)] {
            var c = HWConfig(name: "ties_\(controller)_\(external)")
            c.decoder = (controller, external)
            configs.append(c)
        }
        var chain = HWConfig(name: "ties_chain")
        chain.sequenceEncoder = true
        configs.append(chain)
        for c in configs {
            let graph = try TestModels.graph(c)
            let keys = TensorInventory(graph).entries.keys.filter { $0.field == .result }.sorted()
            // Integer bits 1…6 in turn, so no two neighbours agree unless tied.
            let ranges = Dictionary(uniqueKeysWithValues: keys.enumerated().map { i, k in (k, -Double(1 << (i % 6))...0.5) })
            var search = AutoPrecision(rangeProvider: { _ in ranges }, nll: { _ in 1 }, floatNLL: 1, maxIncrease: 0.01)
            search.ties = TensorRanges.ties(graph: graph)
            search.maxPasses = 1
            let r = try search.run(graph)
            XCTAssertNoThrow(try FixedSimulator(graph: r.graph), c.name)
            XCTAssertNoThrow(try HLSProject.emit(graph: r.graph, options: HLSOptions()), c.name)
        }
        // Pinning one member of a tied group (here the factors) gives the whole group that type, unsearched.
        var c = HWConfig(name: "ties_pinned")
        c.decoder = (true, true)
        let graph = try TestModels.graph(c)
        let pin = fx("ap_fixed<12,4>")
        var base = PrecisionOverrides()
        base.set(TensorKey("dec.factors", .result), pin)
        let ranges: [TensorKey: ClosedRange<Double>] = [TensorKey("ci", .result): -8...8, TensorKey("dec.co_mean", .result): -1...1]
        var search = AutoPrecision(rangeProvider: { _ in ranges }, nll: { _ in 1 }, floatNLL: 1, maxIncrease: 0.01, base: base)
        search.ties = TensorRanges.ties(graph: graph)
        let r = try search.run(graph)
        XCTAssertEqual(TensorInventory(r.graph).type(TensorKey("ci", .result)), pin)
        XCTAssertNoThrow(try FixedSimulator(graph: r.graph))
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
