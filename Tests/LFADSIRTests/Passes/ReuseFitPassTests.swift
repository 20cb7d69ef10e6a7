import XCTest
@testable import LFADSIR

/// The fit pass with a toy second model standing in for the RTL's: it only raises reuse, only while that model is
/// over the ceiling, and says so when no raise can fit.
final class ReuseFitPassTests: XCTestCase {
    /// The toy model of ReuseFactorPassTests, but the dense layer's products cost four times as much (as spike-count
    /// rows do in the Verilog).
    static let other: ReuseFactorPass.CostFunction = { g in
        let base = try ReuseFactorPassTests.toyCost(g)
        var dense = 0.0
        for n in g.nodes { if case .dense(let d) = n.op { dense = Double((d.inputSize * d.outputSize + (d.implementation?.reuse ?? 1) - 1) / (d.implementation?.reuse ?? 1)) } }
        return (base.latencyUs, base.utilization + 3 * dense / 200)
    }

    func testRaisesReuseOnlyUntilTheOtherModelFits() throws {
        let chosen = try ReuseFactorPass(target: .utilization(0.5), cost: ReuseFactorPassTests.toyCost).run(try ReuseFactorPassTests.graph())
        let before = try Self.other(chosen)
        XCTAssertGreaterThan(before.utilization, 0.5, "the toy must need a fit")
        let fitted = try ReuseFitPass(backend: "toy", ceiling: 0.5, cost: Self.other).run(chosen)
        try Verifier.verify(fitted)
        XCTAssertLessThanOrEqual(try Self.other(fitted).utilization, 0.5)
        for (a, b) in zip(ReuseFactorPassTests.reuse(chosen), ReuseFactorPassTests.reuse(fitted)) { XCTAssertGreaterThanOrEqual(b, a, "only raises") }
        // A design that already fits is returned unchanged.
        XCTAssertEqual(try ReuseFitPass(backend: "toy", ceiling: 0.5, cost: Self.other).run(fitted), fitted)
        XCTAssertThrowsError(try ReuseFitPass(backend: "toy", ceiling: 0.0001, cost: Self.other).run(chosen)) { e in
            XCTAssertTrue("\(e)".contains("fit-toy") && "\(e)".contains("no higher reuse factor"), "\(e)")
        }
    }
}
