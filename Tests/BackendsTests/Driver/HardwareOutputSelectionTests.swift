import Foundation
import LFADSIR
import XCTest
@testable import Backends

final class HardwareOutputSelectionTests: XCTestCase {
    static let repo = SimulationTests.repo

    func lorenzCon() throws -> Graph {
        try ModelLoader.load(path: Self.repo.appendingPathComponent("examples/lorenz/models/lorenz_con.h5").path)
    }

    /// Float-path names resolve to graph values in the order asked; rates (or output_params) is the primary and
    /// not repeated; an unknown name lists what the model offers.
    func testNamesResolveAndUnknownNamesListTheAvailableOnes() throws {
        let graph = try lorenzCon()
        let values = try HardwareOutputSelection.values(for: ["rates", "co_means", "factors", "output_params", "factors"], in: graph)
        XCTAssertEqual(values.map(Simulation.outputName), ["co_means", "factors"])
        XCTAssertEqual(try HardwareOutputSelection.values(for: [], in: graph), [])
        XCTAssertThrowsError(try HardwareOutputSelection.values(for: ["factor"], in: graph)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("'factor'") && text.contains("available: rates, ") && text.contains("co_means"), text)
        }
        XCTAssertEqual(try HardwareOutputSelection.parse("rates, factors"), ["rates", "factors"])
        XCTAssertThrowsError(try HardwareOutputSelection.parse("rates,,factors"))
        XCTAssertThrowsError(try HardwareOutputSelection.parse(""))
    }

    /// The pipeline keeps the chosen outputs after the primary one; the bit-accurate rates do not change, and the
    /// extra tensors are the ones the float path names.
    func testPipelineKeepsTheOutputsAndTheRatesStayBitIdentical() throws {
        let graph = try lorenzCon()
        var config = ProjectConfig()
        let plain = try CompilePipeline.run(graph, config: config, estimate: false).graph
        config.outputs = ["factors", "co_means", "gen_states"]
        let kept = try CompilePipeline.run(graph, config: config, estimate: false).graph
        XCTAssertEqual(kept.outputs.count, 4)
        XCTAssertEqual(kept.outputs.first, plain.outputs.first)
        XCTAssertEqual(kept.outputs.dropFirst().map(Simulation.outputName), ["factors", "co_means", "gen_states"])
        let data = Self.repo.appendingPathComponent("examples/lorenz/data/lorenz.h5").path
        func run(_ g: Graph) throws -> SimulationOutputs {
            try Simulation.run(SimulationRequest(graph: g, spikesPath: data, trials: TrialSelection(0..<3), mode: .fixed, threads: 2,
                                                 metrics: false)).outputs
        }
        let a = try run(plain), b = try run(kept)
        XCTAssertEqual(b.names, ["output_params", "factors", "co_means", "gen_states"])
        XCTAssertEqual(a.tensor("output_params")?.values, b.tensor("output_params")?.values)
        let factors = try XCTUnwrap(b.tensor("factors"))
        XCTAssertEqual(factors.trials, 3)
        XCTAssertFalse(factors.values.allSatisfy { $0 == 0 }, "factors are computed, not left zero")
        XCTAssertEqual(try XCTUnwrap(b.tensor("co_means")).perTrialShape.count, 2)
    }
}
