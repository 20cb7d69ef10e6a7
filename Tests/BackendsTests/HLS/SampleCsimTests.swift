import Foundation
import XCTest
import LFADSIR
@testable import Backends

/// `--posterior sample` in the emitted HLS: the C simulation of the dataflow design with its sample process equals
/// the bit-accurate simulator byte for byte, trial by trial (trial index = line of the .dat, or FIRST_TRIAL + line).
final class SampleCsimTests: XCTestCase {
    func testSampledInitialConditionMatchesTheSimulator() throws {
        let builder = try CsimBuilder.require()
        // The last one samples in a resource design (every design without an LSTM is a dataflow schedule).
        let names = ["lfads_bigru", "lfads_bigru_seq_reuse_sat", "lfads_counts_narrow_input", "bigru_sequences_resource_sat"]
        let configs = CsimEquivalenceTests.grid().filter { names.contains($0.name) }
        XCTAssertEqual(configs.count, names.count)
        for c in configs {
            let graph = try TestModels.sampling(try TestModels.graph(c), seed: 0xC0FFEE)
            let trials = TestModels.trials(graph, count: CsimEquivalenceTests.trialsPerConfig, seed: c.seed &+ 17)
            let files = try HLSProject.emit(graph: graph, options: HLSOptions(projectName: "p_\(c.name)_sample", topName: "lfads_top"))
            XCTAssertNotNil(files["firmware/layers/lfads_gauss.h"], c.name)
            let binary = try builder.build(files).binary
            let csim = try builder.simulate(binary, input: TestModels.datText(graph, trials))
            let sim = try FixedSimulator(graph: graph)
            XCTAssertEqual(FixedSimulator.datText(try sim.runBatch(trials: trials, threads: 2)), csim, c.name)
            // The noise matters: another seed, or trials numbered from 1, give other bits.
            let reseeded = try FixedSimulator(graph: try TestModels.sampling(try TestModels.graph(c), seed: 1))
            XCTAssertNotEqual(FixedSimulator.datText(try reseeded.runBatch(trials: trials, threads: 2)), csim, c.name)
            XCTAssertNotEqual(FixedSimulator.datText(try sim.runBatch(trials: trials, firstTrial: 1, threads: 2)), csim, c.name)
        }
    }
}
