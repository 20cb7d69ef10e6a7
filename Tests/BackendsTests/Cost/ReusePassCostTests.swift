import XCTest
import LFADSIR
@testable import Backends

/// The reuse pass driven by the real cost model.
final class ReusePassCostTests: XCTestCase {
    func pass(_ target: ReuseFactorPass.Target, model: CostModel) -> ReuseFactorPass {
        ReuseFactorPass(target: target) { g in
            let e = try model.estimate(g)
            return (e.latencyMicroseconds, e.maxUtilization)
        }
    }

    func testMeetsAUtilizationTarget() throws {
        let model = CostModel(device: .u55c)
        let g = try CostModelTests.sample(strategy: .latency)
        // Fully parallel first: must exceed the budget we set for the test to mean anything.
        let parallel = try model.estimate(g)
        let budget = parallel.maxUtilization / 4
        let out = try pass(.utilization(budget), model: model).run(g)
        try Verifier.verify(out)
        let e = try model.estimate(out)
        XCTAssertLessThanOrEqual(e.maxUtilization, budget)
        XCTAssertGreaterThan(e.latencyCycles, parallel.latencyCycles)
    }

    func testMeetsALatencyTarget() throws {
        let model = CostModel(device: .u55c)
        let g = try TemplateDesign.graph()
        let published = try model.estimate(g)
        let budget = published.latencyMicroseconds * 0.6
        let out = try pass(.latency(microseconds: budget, maxUtilization: 0.8), model: model).run(g)
        let e = try model.estimate(out)
        XCTAssertLessThanOrEqual(e.latencyMicroseconds, budget)
        XCTAssertLessThanOrEqual(e.maxUtilization, 0.8)
    }

    func testImpossibleTargetThrows() throws {
        let model = CostModel(device: .xc7vx690t)
        XCTAssertThrowsError(try pass(.latency(microseconds: 0.01, maxUtilization: 0.8), model: model).run(CostModelTests.sample()))
    }
}
