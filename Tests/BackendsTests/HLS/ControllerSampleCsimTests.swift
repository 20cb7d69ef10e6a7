import Foundation
import XCTest
import LFADSIR
@testable import Backends

/// Full LFADS sampling in the emitted HLS (issue 19): lorenz_con, whose controller samples its output u_t every
/// step from co_logvar, under `--posterior sample` and `average:8`. The C simulation equals the bit-accurate
/// simulator byte for byte on 20 trials, the schedule read back from the C++ equals the estimate, and the noise
/// matters (another seed, or the posterior mean, gives other bits).
final class ControllerSampleCsimTests: XCTestCase {
    static let model = ScheduleReadbackTests.root.appendingPathComponent("examples/lorenz/models/lorenz_con.h5").path

    static func graph(seed: UInt64?, samples: Int = 1) throws -> Graph {
        var config = ProjectConfig()
        config.posteriorSeed = seed
        config.posteriorSamples = samples
        return try CompilePipeline.run(try ModelLoader.load(path: model), config: config, estimate: false).graph
    }

    /// 20 trials of spike counts 0…3 (the lfads strategy multiplies counts as narrow integers).
    static func trials(_ graph: Graph) -> [[String: [Double]]] {
        var rng = SplitMix64(seed: 19)
        return (0..<20).map { _ in
            var t = [String: [Double]]()
            for v in graph.inputs { t[v.name] = (0..<v.type.elementCount).map { _ in Double(Int.random(in: 0...3, using: &rng)) } }
            return t
        }
    }

    func testSampledControllerAndAverageMatchTheSimulator() throws {
        let builder = try CsimBuilder.require()
        let trials = Self.trials(try Self.graph(seed: nil))
        let mean = FixedSimulator.datText(try FixedSimulator(graph: try Self.graph(seed: nil)).runBatch(trials: trials, threads: 2))
        for samples in [1, 8] {
            let label = samples == 1 ? "sample" : "average:\(samples)"
            let graph = try Self.graph(seed: 0xC0FFEE, samples: samples)
            guard case .decoder(let d)? = graph.nodes.first(where: { if case .decoder = $0.op { return true } else { return false } })?.op else {
                return XCTFail("no decoder")
            }
            XCTAssertEqual(d.controller?.sampleSeed, 0xC0FFEE, label)
            XCTAssertEqual(graph.posteriorSamples, samples, label)
            try ScheduleReadbackTests.check(graph, label: "lorenz_con \(label)")
            let files = try HLSProject.emit(graph: graph, options: HLSOptions(projectName: "lorenz_con_\(samples)", topName: "lfads_top"))
            let cpp = try XCTUnwrap(files["firmware/lfads_top.cpp"], label)
            XCTAssertTrue(cpp.contains("_co_sample("), label)
            XCTAssertEqual(cpp.contains("posterior average of"), samples > 1, label)
            let csim = try builder.simulate(try builder.build(files).binary, input: TestModels.datText(graph, trials))
            let sim = try FixedSimulator(graph: graph)
            XCTAssertEqual(FixedSimulator.datText(try sim.runBatch(trials: trials, threads: 2)), csim, label)
            XCTAssertNotEqual(csim, mean, label)
            let reseeded = try FixedSimulator(graph: try Self.graph(seed: 1, samples: samples))
            XCTAssertNotEqual(FixedSimulator.datText(try reseeded.runBatch(trials: trials, threads: 2)), csim, label)
        }
    }
}
