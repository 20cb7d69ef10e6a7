// The LSTM step on raw codes against values worked out by hand, and against the float simulator.
import XCTest
@testable import Backends
import LFADSIR

final class LSTMKernelTests: XCTestCase {
    let t16 = fx("ap_fixed<16,6>")

    /// One unit, one input, hard gates and hard tanh, so every value is exact in ap_fixed<16,6>.
    private func oneUnit(cell: FixedType, steps: Int = 1) throws -> Graph {
        var b = GraphBuilder(name: "lstm1")
        let x = try b.value("x", .input(InputOp(type: .sequence(steps: steps, width: 1), precision: t16)))
        // Rows i, f, c, o.
        let lstm = try LSTMCell(kernel: try Matrix(rows: 4, columns: 1, values: [0.5, 0.25, 1, 0]),
                                recurrentKernel: try Matrix(rows: 4, columns: 1, values: [0.5, 0, 0, 0]),
                                bias: [0, 0, 0, 0.5], recurrentActivation: Activation(.hardSigmoid), activation: Activation(.hardTanh))
        let p = LSTMPrecision(weight: t16, recurrentWeight: t16, bias: t16, accum: t16, recurrentActivation: t16, activation: t16,
                              cellState: cell, state: t16, result: t16)
        let y = try b.value("y", .lstm(LSTMLayer(cell: lstm, returnSequences: true, precision: p)), [x])
        return try b.finish(outputs: [y])
    }

    func testOneStepHandComputed() throws {
        // ax = [0.25, 0.125, 0.5, 0.5]: i = 0.625, f = 0.5625, c̃ = 0.5, o = 0.75 (hard sigmoid (x + 1)/2);
        // c = 0.5625·0 + 0.625·0.5 = 0.3125; h = 0.75·hard_tanh(0.3125) = 0.234375.
        let r = try FixedSimulator(graph: try oneUnit(cell: t16)).run(inputs: ["x": [0.5]])
        XCTAssertEqual(r.doubles["y"], [0.234375])
    }

    func testCellStateIsCastToItsOwnType() throws {
        // Two fraction bits, truncating: c = 0.3125 → 0.25, so h = 0.75·0.25 = 0.1875.
        let r = try FixedSimulator(graph: try oneUnit(cell: fx("ap_fixed<8,6>"))).run(inputs: ["x": [0.5]])
        XCTAssertEqual(r.doubles["y"], [0.1875])
    }

    func testSecondStepCarriesCellAndState() throws {
        // Step 2 with x = 0.5, h = 0.234375, c = 0.3125: ax_i = 0.25 + 0.5·0.234375 = 0.3671875 → i = 0.68359375;
        // f = 0.5625, c̃ = 0.5, o = 0.75; c = 0.5625·0.3125 + 0.68359375·0.5 = 0.517578125, which ap_fixed<16,6>
        // (1/1024 steps) truncates to 0.517578125 exactly (530/1024); h = 0.75·0.517578125 = 0.38818359375 → 397/1024.
        let r = try FixedSimulator(graph: try oneUnit(cell: t16, steps: 2)).run(inputs: ["x": [0.5, 0.5]])
        XCTAssertEqual(r.doubles["y"], [0.234375, 397.0 / 1024])
    }

    /// Wide types and hard activations (no tables): the fixed simulator follows the float one to rounding level,
    /// forwards and backwards, which pins the gate order and the cell update.
    func testWideTypesFollowTheFloatSimulator() throws {
        var c = HWConfig(name: "wide")
        c.input = fx("ap_fixed<32,8,AP_RND>"); c.data = c.input; c.weight = fx("ap_fixed<32,4,AP_RND>"); c.bias = c.weight
        c.accum = fx("ap_fixed<48,12,AP_RND>"); c.gate = fx("ap_fixed<32,4,AP_RND>"); c.cand = c.gate
        c.cell = fx("ap_fixed<32,8,AP_RND>"); c.state = c.gate
        c.hard = true; c.lstmActivation = .hardTanh; c.steps = 9
        for (sequences, reverse) in [(true, false), (false, false), (false, true)] {
            c.lstm = (sequences, reverse)
            let graph = try TestModels.graph(c)
            var trial = TestModels.trials(graph, count: 1, seed: 3)[0]
            trial["x"] = trial["x"]?.map { max(-1.5, min(1.5, $0)) }
            let fixed = try FixedSimulator(graph: graph).run(inputs: trial)
            let float = try FloatSimulator(graph: graph).run(inputs: trial)
            for name in ["lstm", "rates"] {
                let a = try XCTUnwrap(fixed.doubles[name]), b = try XCTUnwrap(float[name])
                XCTAssertEqual(a.count, b.count)
                let err = zip(a, b).map { abs($0 - $1) }.max() ?? 0
                XCTAssertLessThan(err, 1e-5, "\(name) sequences=\(sequences) reverse=\(reverse)")
                XCTAssertGreaterThan(a.map(abs).max() ?? 0, 0.05, "non-trivial values")
            }
        }
    }

    func testMissingPrecisionIsAnError() throws {
        var b = GraphBuilder(name: "bare")
        let x = try b.value("x", .input(InputOp(type: .sequence(steps: 2, width: 1), precision: t16)))
        let cell = try LSTMCell(kernel: Matrix(zeros: 4, 1), recurrentKernel: Matrix(zeros: 4, 1), bias: nil)
        let y = try b.value("y", .lstm(LSTMLayer(cell: cell, returnSequences: false)), [x])
        XCTAssertThrowsError(try FixedSimulator(graph: try b.finish(outputs: [y]))) { e in
            XCTAssertTrue("\(e)".contains("layer 'y': LSTM has no precision"), "\(e)")
        }
    }
}
