import Backends
import LFADSIR
import XCTest

/// The Latency strategy's dense_latency: products by constant weights, priced from the quantised weights.
final class HLS4MLLatencyStrategyTests: XCTestCase {
    func testSignedDigitsAreTheNonAdjacentForm() {
        // 7 = 8 − 1, 11 = 16 − 4 − 1, 5 = 4 + 1, 3 = 4 − 1; the sign does not matter.
        let cases: [(Int64, Int)] = [(0, 0), (1, 1), (2, 1), (3, 2), (5, 2), (7, 2), (11, 3), (-6, 2), (-128, 1), (0b1010_1010, 4)]
        for (v, n) in cases { XCTAssertEqual(HLS4MLWeightStats.signedDigits(v), n, "\(v)") }
        let s = HLS4MLWeightStats(codes: [0, 3, -1, 0, 7])
        XCTAssertEqual(s.nonzero, 3)
        XCTAssertEqual(s.signedDigits, 5)
        XCTAssertEqual([0, 1, 2, 3, 4, 5, 64, 65].map(ceilLog2), [0, 0, 1, 2, 2, 3, 6, 7])
    }

    func testZeroWeightsAndDigitsDriveTheCost() {
        let w8 = HLS4MLWidths(weight: 8, data: 8, accum: 16)
        let dense = HLS4MLCost.denseLatency(name: "d", nIn: 64, nOut: 32, reuse: 1, weights: HLS4MLWeightStats(nonzero: 2048, signedDigits: 4096),
                                            widths: w8, .fitted)
        let pruned = HLS4MLCost.denseLatency(name: "p", nIn: 64, nOut: 32, reuse: 1, weights: HLS4MLWeightStats(nonzero: 1024, signedDigits: 2048),
                                             widths: w8, .fitted)
        XCTAssertLessThan(pruned.lut(.fitted), dense.lut(.fitted))
        XCTAssertLessThan(pruned.ff(.fitted), dense.ff(.fitted))
        XCTAssertEqual(dense.dsp, 0, "8×8 constant products are LUTs")
        XCTAssertEqual(dense.bram18, 0, "constant weights hold no ROM")
        // Six adder-tree levels for 64 inputs.
        XCTAssertEqual(dense.latency, max(1, 6 + HLS4MLConstants.fitted.latencyTreeOverhead))

        // 16-bit products are DSPs, at most the template's multiplier limit ⌈n_in·n_out/R⌉ − ⌊zeros/R⌋.
        let w16 = HLS4MLWidths(weight: 16, data: 16, accum: 16)
        let r4 = HLS4MLCost.denseLatency(name: "r", nIn: 64, nOut: 32, reuse: 4, weights: HLS4MLWeightStats(nonzero: 1024, signedDigits: 3000),
                                         widths: w16, .fitted)
        XCTAssertEqual(r4.dsp, 2048 / 4 - 1024 / 4)
        XCTAssertEqual(r4.interval, 4)
    }

    /// A Dense layer set to the Latency strategy is priced from its own weights after quantisation.
    func testGraphLayerUsesItsQuantisedWeights() throws {
        let weights = try Matrix(rows: 2, columns: 3, values: [0.5, 0, 0.001, -0.75, 0.25, 0.125])
        let p = DensePrecision(weight: fx("ap_fixed<8,2>"), bias: fx("ap_fixed<8,2>"), accum: fx("ap_fixed<16,6>"), result: fx("ap_fixed<16,6>"))
        let layer = try DenseLayer(weight: weights, bias: [0, 0], precision: p, implementation: Implementation(strategy: .latency))
        var b = GraphBuilder(name: "g")
        let x = try b.value("x", .input(InputOp(type: .vector(width: 3), precision: fx("ap_fixed<8,2>"))))
        let y = try b.value("d", .dense(layer), [x])
        let design = try HLS4MLFromGraph.design(try b.finish(outputs: [y]), io: .parallel)
        guard case let .denseLatency(nIn, nOut, reuse, stats)? = design.layers.first?.kind else {
            return XCTFail("\(design.layers)")
        }
        XCTAssertEqual([nIn, nOut, reuse], [3, 2, 1])
        // ap_fixed<8,2> has 6 fraction bits: 0.001 truncates to 0; 0.5, −0.75, 0.25, 0.125 are codes 32, −48, 16, 8.
        XCTAssertEqual(stats?.nonzero, 4)
        XCTAssertEqual(stats?.signedDigits, 1 + 2 + 1 + 1)
    }
}
