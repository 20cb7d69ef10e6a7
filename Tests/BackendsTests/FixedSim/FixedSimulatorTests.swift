// The simulator against values computed by hand.
import XCTest
@testable import Backends
import LFADSIR

final class FixedSimulatorTests: XCTestCase {
    let t16 = fx("ap_fixed<16,6>")

    private func denseGraph(weight: [Double], bias: [Double]?, rows: Int, precision: DensePrecision, input: FixedType,
                            activation: Activation = .linear) throws -> Graph {
        var b = GraphBuilder(name: "dense")
        let x = try b.value("x", .input(InputOp(type: .vector(width: weight.count / rows), precision: input)))
        let w = try Matrix(rows: rows, columns: weight.count / rows, values: weight)
        let y = try b.value("y", .dense(try DenseLayer(weight: w, bias: bias, activation: activation, precision: precision)), [x])
        return try b.finish(outputs: [y])
    }

    func testDenseHandComputed() throws {
        let p = DensePrecision(weight: t16, bias: t16, accum: t16, result: t16)
        let g = try denseGraph(weight: [0.5, -0.25], bias: [0.125], rows: 1, precision: p, input: t16)
        let r = try FixedSimulator(graph: g).run(inputs: ["x": [1.5, 2]])
        // 0.125 + 0.75 − 0.5
        XCTAssertEqual(r.doubles["y"], [0.375])
        XCTAssertEqual(r.primaryOutput?.text, "0.375\n")
        XCTAssertEqual(r.stats["y"]?.overflows, 0)
    }

    func testSaturatingAccumulatorCountsOverflow() throws {
        let acc = fx("ap_fixed<8,3,AP_TRN,AP_SAT>")  // max 3.96875
        let p = DensePrecision(weight: t16, bias: t16, accum: acc, result: t16)
        let g = try denseGraph(weight: [1, 1], bias: nil, rows: 1, precision: p, input: t16)
        let r = try FixedSimulator(graph: g).run(inputs: ["x": [3, 3]])
        // 0 + 3 = 3; 3 + 3 = 6 saturates to 3.96875 (one overflow).
        XCTAssertEqual(r.doubles["y"], [3.96875])
        XCTAssertEqual(r.stats["y"]?.overflows, 1)
        // Wrapping instead: 6 wraps to 6 − 8 = −2.
        let wrap = DensePrecision(weight: t16, bias: t16, accum: fx("ap_fixed<8,3>"), result: t16)
        let r2 = try FixedSimulator(graph: try denseGraph(weight: [1, 1], bias: nil, rows: 1, precision: wrap, input: t16))
            .run(inputs: ["x": [3, 3]])
        XCTAssertEqual(r2.doubles["y"], [-2])
    }

    func testProductRoundedToAccumulatorBeforeTheSum() throws {
        // accum has 2 fraction bits: 0.75·0.75 = 0.5625 → floor to 0.5 (AP_TRN), twice → 1.0 (not 1.125 → 1.0 once).
        let p = DensePrecision(weight: t16, bias: t16, accum: fx("ap_fixed<8,6>"), result: t16)
        let g = try denseGraph(weight: [0.75, 0.75, 0.75], bias: nil, rows: 1, precision: p, input: t16)
        let r = try FixedSimulator(graph: g).run(inputs: ["x": [0.75, 0.75, 0.75]])
        XCTAssertEqual(r.doubles["y"], [1.5])  // 3 × floor(0.5625) at 1/4 = 3 × 0.5
    }

    func testInputCastUsesTheInputModes() throws {
        let p = DensePrecision(weight: t16, bias: t16, accum: fx("ap_fixed<24,8>"), result: fx("ap_fixed<24,8>"))
        for (type, expected) in [("ap_fixed<8,4>", 0.25), ("ap_fixed<8,4,AP_RND>", 0.3125)] {
            // 0.3 = 4.8 LSB of 1/16: floor 4 (0.25), nearest 5 (0.3125).
            let g = try denseGraph(weight: [1], bias: nil, rows: 1, precision: p, input: fx(type))
            XCTAssertEqual(try FixedSimulator(graph: g).run(inputs: ["x": [0.3]]).doubles["y"], [expected], type)
        }
    }

    func testHardActivations() throws {
        var b = GraphBuilder(name: "act")
        let x = try b.value("x", .input(InputOp(type: .vector(width: 5), precision: t16)))
        let s = try b.value("s", .activation(ActivationOp(Activation(.hardSigmoid), precision: ElementPrecision(result: t16))), [x])
        let t = try b.value("t", .activation(ActivationOp(Activation(.hardTanh), precision: ElementPrecision(result: t16))), [x])
        let q = try b.value("q", .activation(ActivationOp(Activation(.hardSigmoid, quantizer: fx("ap_ufixed<2,0,AP_RND,AP_SAT>")),
                                                          precision: ElementPrecision(result: t16))), [x])
        let g = try b.finish(outputs: [s, t, q])
        let r = try FixedSimulator(graph: g).run(inputs: ["x": [0.5, 2, -3, -0.25, 1]])
        XCTAssertEqual(r.doubles["s"], [0.75, 1, 0, 0.375, 1])
        XCTAssertEqual(r.doubles["t"], [0.5, 1, -1, -0.25, 1])
        // Quantizer with 2 fraction bits, rounding: 0.75, 1 → saturates to 0.75, 0, 0.375 → 0.5 (tie up), 0.75.
        XCTAssertEqual(r.doubles["q"], [0.75, 0.75, 0, 0.5, 0.75])
    }

    func testTableActivationUsesTheLookupTable() throws {
        let spec = TableSpec(size: 1024, lower: -8, upper: 8, entryType: fx("ap_fixed<18,8>"))
        var b = GraphBuilder(name: "sig")
        let x = try b.value("x", .input(InputOp(type: .vector(width: 3), precision: t16)))
        let y = try b.value("y", .activation(ActivationOp(Activation(.sigmoid), precision: ElementPrecision(result: t16, table: spec))), [x])
        let g = try b.finish(outputs: [y])
        let r = try FixedSimulator(graph: g).run(inputs: ["x": [0, 30, -30]])
        let table = try LookupTable(function: .sigmoid, entryType: fx("ap_fixed<18,8>"))
        // x = 0 is bin 512 whose centre is 1/128: sigmoid(1/128) in ap_fixed<18,8>, then to ap_fixed<16,6> (floor).
        let entry = table.entries[512]
        XCTAssertEqual(r.primaryOutput?.raw[0], t16.cast(raw: entry, fraction: 10).raw)
        XCTAssertEqual(r.doubles["y"]?[1], t16.double(raw: t16.cast(raw: table.entries[1023], fraction: 10).raw))
        XCTAssertEqual(r.doubles["y"]?[2], t16.double(raw: t16.cast(raw: table.entries[0], fraction: 10).raw))
    }

    /// One-unit GRU with hard gates worked by hand: z = r = hard_sigmoid(0) = 0.5, h̃ = hard_tanh(x),
    /// h' = h̃·0.5 + h·0.5.
    func testGRUHandComputed() throws {
        for reset in ResetPlacement.allCases {
            let cell = try GRUCell(reset: reset, kernel: Matrix(rows: 3, columns: 1, values: [0, 0, 1]),
                                   recurrentKernel: Matrix(rows: 3, columns: 1, values: [0, 0, 0]),
                                   recurrentActivation: Activation(.hardSigmoid), activation: Activation(.hardTanh))
            let p = GRUPrecision(weight: t16, recurrentWeight: t16, bias: t16, recurrentBias: t16, accum: t16,
                                 recurrentActivation: t16, activation: t16, state: t16, result: t16)
            var b = GraphBuilder(name: "gru")
            let x = try b.value("x", .input(InputOp(type: .sequence(steps: 3, width: 1), precision: t16)))
            let y = try b.value("y", .gru(GRULayer(cell: cell, returnSequences: true, precision: p)), [x])
            let g = try b.finish(outputs: [y])
            let r = try FixedSimulator(graph: g).run(inputs: ["x": [0.5, 0.5, 3]])
            // h1 = 0.25, h2 = 0.25 + 0.125, h3 = 0.5 + 0.1875
            XCTAssertEqual(r.doubles["y"], [0.25, 0.375, 0.6875], "\(reset)")
        }
    }

    func testGRUStateCastRoundsOnceAndClips() throws {
        // State with 2 fraction bits, AP_RND: h1 = (0.5·0.5 + 0)… x = 0.75: h̃ = 0.75, h' = 0.375 → ties up to 0.5.
        let cell = try GRUCell(reset: .after, kernel: Matrix(rows: 3, columns: 1, values: [0, 0, 1]),
                               recurrentKernel: Matrix(rows: 3, columns: 1, values: [0, 0, 0]), clip: 0.4,
                               recurrentActivation: Activation(.hardSigmoid), activation: Activation(.hardTanh))
        let state = fx("ap_fixed<8,6,AP_RND,AP_SAT>")
        let p = GRUPrecision(weight: t16, recurrentWeight: t16, bias: t16, recurrentBias: t16, accum: t16,
                             recurrentActivation: t16, activation: t16, state: state, result: t16)
        var b = GraphBuilder(name: "gru")
        let x = try b.value("x", .input(InputOp(type: .sequence(steps: 1, width: 1), precision: t16)))
        let y = try b.value("y", .gru(GRULayer(cell: cell, returnSequences: false, precision: p)), [x])
        let r = try FixedSimulator(graph: try b.finish(outputs: [y])).run(inputs: ["x": [0.75]])
        // 0.375 → 0.5 (AP_RND at 1/4); clip 0.4 → state code 0.5 (AP_RND), so 0.5 is not above it.
        XCTAssertEqual(r.doubles["y"], [0.5])
    }

    func testMissingPrecisionIsAClearError() throws {
        var b = GraphBuilder(name: "np")
        let x = try b.value("x", .input(InputOp(type: .vector(width: 2), precision: t16)))
        let y = try b.value("dense_1", .dense(try DenseLayer(weight: Matrix(zeros: 1, 2), bias: nil)), [x])
        let g = try b.finish(outputs: [y])
        XCTAssertThrowsError(try FixedSimulator(graph: g)) { e in
            XCTAssertEqual("\(e)", "missing precision: layer 'dense_1': dense has no precision")
        }
        var b2 = GraphBuilder(name: "np2")
        let x2 = try b2.value("x", .input(InputOp(type: .vector(width: 2))))
        XCTAssertThrowsError(try FixedSimulator(graph: try b2.finish(outputs: [x2])))
    }

    func testInconsistentGraphIsRejectedNotTrapped() throws {
        let p = DensePrecision(weight: t16, bias: t16, accum: t16, result: t16)
        var g = try denseGraph(weight: [1, 1], bias: nil, rows: 1, precision: p, input: t16)
        // Claim the dense result is wider than its weight gives.
        g.nodes[1].results[0].type = .vector(width: 5)
        XCTAssertThrowsError(try FixedSimulator(graph: g))
        XCTAssertThrowsError(try HLSProject.emit(graph: g, options: HLSOptions()))
    }

    func testTimeShiftAnyLag() throws {
        for (lag, expected) in [(1, [0.0, 1, 2]), (-1, [2.0, 3, 0]), (Int.min, [0.0, 0, 0]), (Int.max, [0.0, 0, 0])] {
            var b = GraphBuilder(name: "shift")
            let x = try b.value("x", .input(InputOp(type: .sequence(steps: 3, width: 1), precision: t16)))
            let y = try b.value("y", .timeShift(lag: lag), [x])
            let g = try b.finish(outputs: [y])
            XCTAssertEqual(try FixedSimulator(graph: g).run(inputs: ["x": [1, 2, 3]]).doubles["y"], expected, "lag \(lag)")
            XCTAssertNoThrow(try HLSProject.emit(graph: g, options: HLSOptions()))
        }
    }

    func testBadInputsThrow() throws {
        let p = DensePrecision(weight: t16, bias: t16, accum: t16, result: t16)
        let sim = try FixedSimulator(graph: try denseGraph(weight: [1, 1], bias: nil, rows: 1, precision: p, input: t16))
        XCTAssertThrowsError(try sim.run(inputs: ["x": [1]]))
        XCTAssertThrowsError(try sim.run(inputs: [:]))
    }

    func testBatchIsIndependentOfThreadCount() throws {
        let c = HWConfig(name: "batch")
        let g = try TestModels.lfadsLike(c)
        let trials = TestModels.trials(g, count: 12, seed: 5)
        let sim = try FixedSimulator(graph: g)
        let one = try sim.runBatch(trials: trials, threads: 1)
        let four = try sim.runBatch(trials: trials, threads: 4)
        XCTAssertEqual(one, four)
        XCTAssertEqual(one[3], try sim.run(inputs: trials[3]))
        XCTAssertEqual(FixedSimulator.datText(one).split(separator: "\n").count, 12)
    }
}
