import XCTest
import LFADSIR
@testable import Backends

/// `HardwarePlan.averaged()`: the plan the printers work on for `--posterior average:N`.
final class PosteriorAveragingTests: XCTestCase {
    /// lorenz_con at average:4: sampled tensors are 4·T words, the primary port reads an average stage of its
    /// renamed per-sample tensor, unsampled tensors keep their size, and the decoder and sample stages loop 4 times.
    func testLorenzPlanLaysOutTheSamples() throws {
        let graph = try ControllerSampleCsimTests.graph(seed: 7, samples: 4)
        let plan = try HardwarePlan(graph: graph)
        let wide = try plan.averaged()
        XCTAssertTrue(wide.isAveraged)
        XCTAssertEqual(try wide.averaged(), wide, "idempotent")
        let port = wide.tensors[wide.ports[0]]
        XCTAssertEqual(port.name, plan.tensors[plan.ports[0]].name)
        XCTAssertEqual(port.count, plan.tensors[plan.ports[0]].count)
        guard case .average(let a)? = wide.stages.last else { return XCTFail("no average stage") }
        XCTAssertEqual(a.output, wide.ports[0])
        XCTAssertEqual(wide.tensors[a.input].name, port.name + ".samples")
        XCTAssertEqual(wide.tensors[a.input].count, 4 * port.count)
        for (i, t) in plan.tensors.enumerated() {
            XCTAssertEqual(wide.tensors[i].count, plan.sampledTensors.contains(i) ? 4 * t.count : t.count, t.name)
        }
        XCTAssertTrue(wide.stages.contains { if case .decoder(let d) = $0 { return d.samples == 4 } else { return false } })
        XCTAssertTrue(wide.stages.contains { if case .sample(let s) = $0 { return s.samples == 4 } else { return false } })
        XCTAssertFalse(plan.sampledTensors.contains(plan.inputs[0]))
    }

    /// After a sample only dense layers, glue and decoder loops are laid out N-fold: a GRU reading the sampled
    /// initial state (the AE-LFADS shape) is refused with a message, and so are trials in flight.
    func testUnsupportedStagesAfterTheSampleAreRefused() throws {
        let c = try XCTUnwrap(CsimEquivalenceTests.grid().first { $0.name == "lfads_bigru" })
        var graph = try TestModels.sampling(try TestModels.graph(c), seed: 1)
        graph.posteriorSamples = 4
        XCTAssertThrowsError(try HardwarePlan(graph: graph).averaged()) { e in
            XCTAssertTrue("\(e)".contains("cannot follow a posterior sample averaged over 4 samples"), "\(e)")
        }
        XCTAssertThrowsError(try HLSProject.emit(graph: graph, options: HLSOptions(projectName: "p", topName: "lfads_top")))
        var batched = try ControllerSampleCsimTests.graph(seed: 7, samples: 4)
        batched.trialsInFlight = 2
        XCTAssertThrowsError(try HardwarePlan(graph: batched).averaged()) { e in XCTAssertTrue("\(e)".contains("trials in flight"), "\(e)") }
    }
}
