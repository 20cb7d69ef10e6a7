import Foundation
import LFADSIR
import XCTest
@testable import Backends

final class SimulationTests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Reporting progress runs the trials in chunks; the outputs (and overflow statistics) must not change.
    func testProgressChunkingDoesNotChangeResults() throws {
        let model = Self.repo.appendingPathComponent("examples/lorenz/models/lorenz_nocon.h5").path
        let data = Self.repo.appendingPathComponent("examples/lorenz/data/lorenz.h5").path
        var graph = try ModelLoader.load(path: model)
        graph = try CompilePipeline.run(graph, config: ProjectConfig(), estimate: false).graph
        let request = SimulationRequest(graph: graph, spikesPath: data, trials: TrialSelection(0..<20), mode: .fixed, threads: 2)
        var calls: [Int] = []
        let chunked = try Simulation.run(request) { done, _ in calls.append(done) }
        let whole = try Simulation.run(request)
        XCTAssertEqual(calls, [16, 20])
        XCTAssertEqual(chunked.outputs, whole.outputs)
        XCTAssertEqual(chunked.tensorStats, whole.tensorStats)
    }
}
