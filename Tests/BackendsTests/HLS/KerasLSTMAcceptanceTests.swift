// The Keras LSTM acceptance model (Fixtures/KerasLSTM, written by make_keras_lstm.py with real Keras): the float
// path against Keras' own outputs, and the bit-accurate simulator against the C simulation of the emitted
// project under the latency and resource strategies.
import Foundation
import XCTest
@testable import Backends
import LFADSIR

final class KerasLSTMAcceptanceTests: XCTestCase {
    static let fixtures = CsimBuilder.repositoryRoot.appendingPathComponent("Tests/BackendsTests/Fixtures/KerasLSTM")

    /// The imported graph, the 32 input trials (20 × 6, time-major) and Keras' outputs per trial
    /// (the sigmoid output, then the LSTM's 20 outputs).
    static func load() throws -> (Graph, [[String: [Double]]], [[Double]]) {
        func rows(_ file: String) throws -> [[Double]] {
            let text = try String(contentsOf: fixtures.appendingPathComponent(file), encoding: .utf8)
            return try text.split(separator: "\n").map { line in
                try line.split(separator: " ").map { v in
                    guard let d = Double(v) else { throw CsimBuilder.Failure(description: "\(file): '\(v)' is not a number") }
                    return d
                }
            }
        }
        let graph = try ModelLoader.load(path: fixtures.appendingPathComponent("lstm_model.h5").path)
        let inputs = try rows("inputs.txt")
        let expected = try rows("keras_outputs.txt")
        XCTAssertEqual(inputs.count, 32)
        XCTAssertEqual(expected.count, inputs.count)
        return (graph, inputs.map { ["x": $0] }, expected)
    }

    func testImportedShape() throws {
        let (graph, _, _) = try Self.load()
        XCTAssertEqual(graph.nodes.map(\.op.mnemonic), ["input", "lstm", "dense", "dense"])
        XCTAssertEqual(graph.valueTypes["x"], .sequence(steps: 20, width: 6))
        XCTAssertEqual(graph.valueTypes["lstm"], .vector(width: 20))
        XCTAssertEqual(graph.outputs, ["prob"])
    }

    func testFloatPathMatchesKeras() throws {
        let (graph, trials, expected) = try Self.load()
        let sim = try FloatSimulator(graph: graph)
        var worst = 0.0
        for (trial, keras) in zip(trials, expected) {
            let values = try sim.evaluate(inputs: trial)
            let ours = try XCTUnwrap(values["prob"]) + XCTUnwrap(values["lstm"])
            XCTAssertEqual(ours.count, keras.count)
            for (a, b) in zip(ours, keras) { worst = max(worst, abs(a - b)) }
        }
        print("keras-lstm: float path vs Keras float32 over \(trials.count) trials, max |error| \(worst)")
        XCTAssertLessThan(worst, 1e-5)
    }

    /// The spike-count convention would type the first input as an integer count: these features are reals.
    static func compiled(_ strategy: Strategy, reuse: Int, recurrentReuse: Int) throws -> Graph {
        let (graph, _, _) = try load()
        var overrides = PrecisionOverrides(strategy: strategy)
        overrides.layers["x"] = LayerOverride(precision: [.result: fx("ap_fixed<16,4,AP_RND,AP_SAT>")])
        overrides.layers["lstm"] = LayerOverride(strategy: strategy, reuse: reuse, recurrentReuse: recurrentReuse)
        return try CompilePipeline.run(graph, config: ProjectConfig(overrides: overrides), overrides: overrides, estimate: false).graph
    }

    func testFixedSimulationMatchesCsimUnderLatencyAndResource() throws {
        let builder = try CsimBuilder.require()
        let (_, trials, expected) = try Self.load()
        for (strategy, reuse, recurrentReuse) in [(Strategy.latency, 1, 1), (.resource, 3, 4)] {
            let graph = try Self.compiled(strategy, reuse: reuse, recurrentReuse: recurrentReuse)
            guard case .lstm(let l)? = graph.node(named: "lstm")?.op else { return XCTFail("no lstm node") }
            XCTAssertEqual(l.implementation?.strategy, strategy)
            let files = try HLSProject.emit(graph: graph, options: HLSOptions(projectName: "keras_lstm_\(strategy)", topName: "lfads_top"))
            let csim = try builder.simulate(try builder.build(files).binary, input: TestModels.datText(graph, trials))
            let results = try FixedSimulator(graph: graph).runBatch(trials: trials, threads: 2)
            XCTAssertEqual(FixedSimulator.datText(results), csim, "\(strategy)")
            // And the quantised design still computes the model: ap_fixed<16,6> types against Keras' float.
            let worst = zip(results, expected).map { r, k in abs((r.doubles["prob"]?.first ?? .nan) - k[0]) }.max() ?? .nan
            print("keras-lstm \(strategy): \(trials.count) trials byte-identical to the C simulation: \(FixedSimulator.datText(results) == csim); fixed vs Keras max |error| \(worst)")
            XCTAssertLessThan(worst, 0.02)
        }
    }
}
