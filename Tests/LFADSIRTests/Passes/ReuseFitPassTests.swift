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

    /// The best saving per µs can lead away from a cheap fit: here raising the dense layer is nearly free but
    /// takes away most of what the GRU's input reuse would save (as the RTL binding moves products between DSPs
    /// and LUTs), so the greedy path ends far slower than the one move that fitted at the first step.
    func testTakesTheFastestFitMetOnTheWay() throws {
        let cost: ReuseFactorPass.CostFunction = { g in
            let r = ReuseFactorPassTests.reuse(g)
            let (d, rf, rr) = (Double(r[0]), Double(r[1]), Double(r[2]))
            let u = 1 - (d >= 2 ? 0.12 : 0) - (rf >= 2 ? (d < 2 ? 0.25 : 0.05) : 0) - (rr >= 2 ? 0.1 : 0)
            return (0.001 * d + rf + 5 * rr, u)
        }
        let g = try ReuseFactorPassTests.graph()
        XCTAssertEqual(ReuseFactorPassTests.reuse(g), [1, 1, 1])
        let fitted = try ReuseFitPass(backend: "toy", ceiling: 0.8, cost: cost).run(g)
        // Greedy alone: dense 2 (score 120), then GRU input 2, then recurrent 2: 12.002 µs. The first step's
        // fitting move, GRU input 2 alone: 7.001 µs.
        XCTAssertEqual(ReuseFactorPassTests.reuse(fitted), [1, 2, 1])
        XCTAssertEqual(try cost(fitted).latencyUs, 7.001, accuracy: 1e-9)
    }
}
