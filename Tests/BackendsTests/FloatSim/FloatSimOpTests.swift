import Foundation
import LFADSIR
import XCTest
import Backends

/// Single ops against hand-written scalar formulas (independent of the simulator's vectorised code).
final class FloatSimOpTests: XCTestCase {
    func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    /// Runs one op on named inputs and returns its results.
    func run(_ op: Op, inputs: [(String, ValueType, [Double])], trial: Int = 0) throws -> [[Double]] {
        var b = GraphBuilder(name: "t")
        for (n, t, _) in inputs { try b.add(n, .input(InputOp(type: t))) }
        let results = try b.add("op", op, inputs.map(\.0))
        let sim = try FloatSimulator(graph: b.finish(outputs: results))
        let out = try sim.run(inputs: Dictionary(uniqueKeysWithValues: inputs.map { ($0.0, $0.2) }), trial: trial)
        return results.map { out[$0] ?? [] }
    }

    func m(_ rows: Int, _ cols: Int, _ v: [Double]) throws -> Matrix { try Matrix(rows: rows, columns: cols, values: v) }

    // One-unit GRU with one input: kernel rows z, r, h.
    let wx = [0.7, -0.4, 1.3], wh = [0.5, 0.9, -1.1], bx = [0.1, -0.2, 0.3], bh = [0.25, -0.15, 0.4]
    let xs = [0.6, -1.2, 0.9], h0 = 0.35

    func scalarGRU(resetAfter: Bool, updateBias: Double = 0, clip: Double? = nil, h start: Double) -> [Double] {
        var h = start
        var out = [Double]()
        for x in xs {
            let z = sigmoid(wx[0] * x + bx[0] + wh[0] * h + bh[0] + updateBias)
            let r = sigmoid(wx[1] * x + bx[1] + wh[1] * h + bh[1])
            let c = resetAfter ? tanh(wx[2] * x + bx[2] + r * (wh[2] * h + bh[2])) : tanh(wx[2] * x + bx[2] + wh[2] * (r * h) + bh[2])
            h = z * h + (1 - z) * c
            if let clip { h = min(max(h, -clip), clip) }
            out.append(h)
        }
        return out
    }

    func gruOp(_ reset: ResetPlacement, order: GateOrder = .zrh, updateBias: Double = 0, clip: Double? = nil,
               reverse: Bool = false, sequences: Bool = true, initial: InitialState = .learned([0.35])) throws -> Op {
        let perm = order.gates.map { [Gate.update, .reset, .candidate].firstIndex(of: $0) ?? 0 }
        let cell = try GRUCell(reset: reset, gateOrder: order, kernel: m(3, 1, perm.map { wx[$0] }),
                               recurrentKernel: m(3, 1, perm.map { wh[$0] }), bias: perm.map { bx[$0] },
                               recurrentBias: perm.map { bh[$0] }, updateBias: updateBias, clip: clip)
        return .gru(GRULayer(cell: cell, reverse: reverse, returnSequences: sequences, initialState: initial))
    }

    let seq = ValueType.sequence(steps: 3, width: 1)

    func assertClose(_ a: [Double], _ b: [Double], _ tol: Double = 1e-14, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: tol, file: file, line: line) }
    }

    func testGRUResetBeforeAndAfter() throws {
        let before = try run(gruOp(.before), inputs: [("x", seq, xs)])[0]
        let after = try run(gruOp(.after), inputs: [("x", seq, xs)])[0]
        assertClose(before, scalarGRU(resetAfter: false, h: h0))
        assertClose(after, scalarGRU(resetAfter: true, h: h0))
        XCTAssertGreaterThan(abs(before[2] - after[2]), 1e-3)
    }

    func testGateOrderIsOnlyAStorageLayout() throws {
        let zrh = try run(gruOp(.before), inputs: [("x", seq, xs)])[0]
        XCTAssertEqual(try run(gruOp(.before, order: .rzh), inputs: [("x", seq, xs)])[0], zrh)
        XCTAssertEqual(try run(gruOp(.before, order: try GateOrder("hzr")), inputs: [("x", seq, xs)])[0], zrh)
    }

    func testUpdateBiasClipAndOperandState() throws {
        assertClose(try run(gruOp(.before, updateBias: 1), inputs: [("x", seq, xs)])[0], scalarGRU(resetAfter: false, updateBias: 1, h: h0))
        // An initial state beyond the clip: the clamp binds on the first step.
        let op = try gruOp(.before, clip: 0.5, initial: .operand)
        let out = try run(op, inputs: [("x", seq, xs), ("h", .vector(width: 1), [3.0])])[0]
        assertClose(out, scalarGRU(resetAfter: false, clip: 0.5, h: 3.0))
        XCTAssertEqual(out[0], 0.5)
    }

    func testReverseAndFinalState() throws {
        let rev = try run(gruOp(.before, reverse: true), inputs: [("x", seq, xs)])[0]
        let reversedInput = try run(gruOp(.before), inputs: [("x", seq, Array(xs.reversed()))])[0]
        XCTAssertEqual(rev, Array(reversedInput.reversed()))  // aligned with the input's time index
        let last = try run(gruOp(.before, reverse: true, sequences: false), inputs: [("x", seq, xs)])[0]
        XCTAssertEqual(last, [rev[0]])
        let zero = try run(gruOp(.after, initial: .zeros), inputs: [("x", seq, xs)])[0]
        assertClose(zero, scalarGRU(resetAfter: true, h: 0))
    }

    func testBidirectionalConcatenatesDirections() throws {
        guard case .gru(let f) = try gruOp(.before), case .gru(var r) = try gruOp(.after, reverse: true) else { return XCTFail() }
        r.initialState = .zeros
        let both = try run(.bidirectionalGRU(BidirectionalGRULayer(forward: f, backward: r)), inputs: [("x", seq, xs)])[0]
        let fo = try run(.gru(f), inputs: [("x", seq, xs)])[0], ro = try run(.gru(r), inputs: [("x", seq, xs)])[0]
        XCTAssertEqual(both, [fo[0], ro[0], fo[1], ro[1], fo[2], ro[2]])
        var fl = f, rl = r
        fl.returnSequences = false; rl.returnSequences = false
        XCTAssertEqual(try run(.bidirectionalGRU(BidirectionalGRULayer(forward: fl, backward: rl)), inputs: [("x", seq, xs)])[0], [fo[2], ro[0]])
    }

    func testQKerasQuantizers() throws {
        let q = try FixedType(width: 4, integer: 1)  // steps of 1/8, truncation
        // All-zero weights: z = σ(0) = 1/2, h̃ = 0, so h' = h/2 — of the quantized incoming state.
        let cell = try GRUCell(reset: .after, kernel: Matrix(zeros: 3, 1), recurrentKernel: Matrix(zeros: 3, 1),
                               quantizers: RecurrentQuantizers(state: q))
        let out = try run(.gru(GRULayer(cell: cell, returnSequences: true, initialState: .operand)),
                          inputs: [("x", seq, xs), ("h", .vector(width: 1), [0.3])])[0]
        XCTAssertEqual(out, [0.125, 0.0625, 0])  // q(0.3) = 0.25; q(0.125) = 0.125; q(0.0625) = 0
        // Weight, bias and activation quantizers of a dense layer.
        let d = try DenseLayer(weight: m(1, 2, [0.3, -0.3]), bias: [0.2], activation: Activation(.linear, quantizer: q),
                               quantizers: DenseQuantizers(kernel: q, bias: q))
        // q(0.3)=0.25, q(-0.3)=-0.375, q(0.2)=0.125: 0.25·1 − 0.375·0.5 + 0.125 = 0.1875 → q = 0.125
        XCTAssertEqual(try run(.dense(d), inputs: [("x", .vector(width: 2), [1, 0.5])])[0], [0.125])
        // The recurrent kernel quantizer: U = 0.3 → 0.25 in a reset-after cell with only the candidate path.
        let c2 = try GRUCell(reset: .after, kernel: Matrix(zeros: 3, 1), recurrentKernel: m(3, 1, [0, 0, 0.3]),
                             quantizers: RecurrentQuantizers(recurrentKernel: q))
        let o2 = try run(.gru(GRULayer(cell: c2, returnSequences: false, initialState: .operand)),
                         inputs: [("x", .sequence(steps: 1, width: 1), [0]), ("h", .vector(width: 1), [1.0])])[0]
        assertClose(o2, [0.5 + 0.5 * tanh(0.5 * 0.25)])
    }

    func testHardActivations() throws {
        let x = [-3.0, -1.5, -0.4, 0, 0.7, 2.6]
        let t = ValueType.vector(width: 6)
        XCTAssertEqual(try run(.activation(ActivationOp(Activation(.hardSigmoid))), inputs: [("x", t, x)])[0],
                       x.map { min(max(0.5 * $0 + 0.5, 0), 1) })
        XCTAssertEqual(try run(.activation(ActivationOp(Activation(.kerasHardSigmoid))), inputs: [("x", t, x)])[0],
                       x.map { min(max(0.2 * $0 + 0.5, 0), 1) })
        XCTAssertEqual(try run(.activation(ActivationOp(Activation(.hardTanh))), inputs: [("x", t, x)])[0], x.map { min(max($0, -1), 1) })
        let sm = try run(.activation(ActivationOp(Activation(.softmax))), inputs: [("x", .sequence(steps: 2, width: 3), x)])[0]
        let e = x.map(exp)
        assertClose(sm, [e[0], e[1], e[2]].map { $0 / (e[0] + e[1] + e[2]) } + [e[3], e[4], e[5]].map { $0 / (e[3] + e[4] + e[5]) })
    }

    func testDenseRowNormalisationPerStep() throws {
        let d = try DenseLayer(weight: m(2, 2, [3, 4, 0, 2]), bias: nil, normalizeRows: true)
        XCTAssertEqual(try run(.dense(d), inputs: [("x", .sequence(steps: 2, width: 2), [1, 1, 2, -1])])[0],
                       [0.6 + 0.8, 1, 1.2 - 0.8, -1])
    }

    func testLSTM() throws {
        // One unit; rows i, f, c, o.
        let k = [0.3, -0.2, 0.8, 0.5], u = [0.1, 0.4, -0.6, 0.2], b = [0.0, 1.0, 0.1, -0.1]
        let layer = LSTMLayer(cell: try LSTMCell(kernel: m(4, 1, k), recurrentKernel: m(4, 1, u), bias: b), returnSequences: true)
        var h = 0.0, c = 0.0, expected = [Double]()
        for x in xs {
            let g = (0..<4).map { k[$0] * x + u[$0] * h + b[$0] }
            c = sigmoid(g[1]) * c + sigmoid(g[0]) * tanh(g[2])
            h = sigmoid(g[3]) * tanh(c)
            expected.append(h)
        }
        assertClose(try run(.lstm(layer), inputs: [("x", seq, xs)])[0], expected)
    }

    func testShapeOps() throws {
        let s = ValueType.sequence(steps: 3, width: 2), v = [1.0, 2, 3, 4, 5, 6]
        XCTAssertEqual(try run(.timeShift(lag: 1), inputs: [("x", s, v)])[0], [0, 0, 1, 2, 3, 4])
        XCTAssertEqual(try run(.timeShift(lag: -2), inputs: [("x", s, v)])[0], [5, 6, 0, 0, 0, 0])
        XCTAssertEqual(try run(.slice(start: 1, count: 1), inputs: [("x", s, v)])[0], [2, 4, 6])
        XCTAssertEqual(try run(.concat, inputs: [("a", s, v), ("b", .sequence(steps: 3, width: 1), [7, 8, 9])])[0],
                       [1, 2, 7, 3, 4, 8, 5, 6, 9])
        XCTAssertEqual(try run(.posteriorStd(PosteriorStdOp(varianceFloor: 0.5)), inputs: [("x", .vector(width: 1), [log(2.0)])])[0],
                       [(2.5).squareRoot()])
    }

    func testSampling() throws {
        let n = 4000, t = ValueType.vector(width: n)
        let mean = [Double](repeating: 1.5, count: n), logvar = [Double](repeating: log(0.25), count: n)
        XCTAssertEqual(try run(.sample(.mean), inputs: [("m", t, mean), ("l", t, logvar)])[0], mean)
        let a = try run(.sample(.gaussian(seed: 7)), inputs: [("m", t, mean), ("l", t, logvar)])[0]
        XCTAssertEqual(a, try run(.sample(.gaussian(seed: 7)), inputs: [("m", t, mean), ("l", t, logvar)])[0])
        XCTAssertNotEqual(a, try run(.sample(.gaussian(seed: 7)), inputs: [("m", t, mean), ("l", t, logvar)], trial: 1)[0])
        XCTAssertNotEqual(a, try run(.sample(.gaussian(seed: 8)), inputs: [("m", t, mean), ("l", t, logvar)])[0])
        // With lfads-torch's variance floor the std is sqrt(exp(logvar) + floor): 1 here against 0.5, same ε.
        let floored = try run(.sample(.gaussian(seed: 7, varianceFloor: 0.75)), inputs: [("m", t, mean), ("l", t, logvar)])[0]
        for i in 0..<n { XCTAssertEqual(floored[i] - 1.5, 2 * (a[i] - 1.5), accuracy: 1e-12) }
        let mu = a.reduce(0, +) / Double(n)
        let variance = a.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / Double(n - 1)
        XCTAssertEqual(mu, 1.5, accuracy: 4 * 0.5 / Double(n).squareRoot())
        XCTAssertEqual(variance, 0.25, accuracy: 0.025)
        // The documented stream: SplitMix64 from seed 7, first pair through Box–Muller.
        var state: UInt64 = 7
        func word() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let u1 = (Double(word() >> 11) + 1) * 0x1p-53, u2 = Double(word() >> 11) * 0x1p-53
        let radius = (-2 * log(u1)).squareRoot()
        XCTAssertEqual(a[0], 1.5 + 0.5 * radius * cos(2 * Double.pi * u2))
        XCTAssertEqual(a[1], 1.5 + 0.5 * radius * sin(2 * Double.pi * u2))
    }

    func testInputErrors() throws {
        var b = GraphBuilder(name: "t")
        let x = try b.value("x", .input(InputOp(type: .sequence(steps: 2, width: 2))))
        let sim = try FloatSimulator(graph: b.finish(outputs: [x]))
        XCTAssertThrowsError(try sim.run(inputs: [:]))
        XCTAssertThrowsError(try sim.run(inputs: ["x": [1, 2, 3]]))
        XCTAssertEqual(try sim.run(inputs: ["x": [1, 2, 3, 4]]), ["x": [1, 2, 3, 4]])
    }

    /// Weights edited after construction so that values and shape disagree are rejected, not read out of bounds.
    func testInconsistentWeightsAreRejected() throws {
        var b = GraphBuilder(name: "t")
        let x = try b.value("x", .input(InputOp(type: .vector(width: 2))))
        let y = try b.value("d", .dense(DenseLayer(weight: m(1, 2, [1, 2]), bias: [0])), [x])
        var g = try b.finish(outputs: [y])
        guard case .dense(var d) = g.nodes[1].op else { return XCTFail() }
        d.weight.values.removeLast()
        g.nodes[1].op = .dense(d)
        XCTAssertThrowsError(try FloatSimulator(graph: g))
    }
}
