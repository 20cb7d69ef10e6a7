import Foundation
import LFADSIR
import XCTest
import Backends

/// The decoder loop against a hand-written scalar loop (one unit per cell) and against composed ops.
final class FloatSimDecoderTests: XCTestCase {
    func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    /// Reset-before GRU step, one unit, inputs `x` with kernel rows z, r, h of `k` (k[g][i]).
    func step(_ x: [Double], _ h: Double, k: [[Double]], u: [Double], b: [Double]) -> Double {
        func dot(_ g: Int) -> Double { zip(k[g], x).reduce(b[g]) { $0 + $1.0 * $1.1 } }
        let z = sigmoid(dot(0) + u[0] * h), r = sigmoid(dot(1) + u[1] * h)
        let c = tanh(dot(2) + u[2] * (r * h))
        return z * h + (1 - z) * c
    }

    func testControllerAndExternalInputs() throws {
        let steps = 4
        let ck = [[0.3, -0.5], [0.2, 0.4], [-0.7, 0.6]], cu = [0.5, -0.3, 0.8], cb = [0.1, 0.0, -0.2]
        let gk = [[0.9, -0.2], [0.1, 0.3], [1.1, -0.4]], gu = [0.4, 0.2, -0.6], gb = [0.05, -0.1, 0.2]
        let facW = -2.5, coW = 1.7, coB = -0.3, lvW = 0.4, lvB = -1.0, c0 = 0.25, g0 = 0.8
        let ci = [0.5, -0.4, 0.0, 0.9], ext = [1.0, -1.0, 0.5, 0.0]
        func m(_ rows: [[Double]]) throws -> Matrix { try Matrix(rows: rows.count, columns: rows[0].count, values: rows.flatMap { $0 }) }
        let controller = ControllerSpec(
            cell: try GRUCell(reset: .before, kernel: m(ck), recurrentKernel: m(cu.map { [$0] }), bias: cb),
            initialState: [c0], coMean: try DenseLayer(weight: m([[coW]]), bias: [coB]),
            coLogvar: try DenseLayer(weight: m([[lvW]]), bias: [lvB]))
        let decoder = try LFADSDecoderLayer(
            steps: steps, generator: GRUCell(reset: .before, kernel: m(gk), recurrentKernel: m(gu.map { [$0] }), bias: gb),
            factors: DenseLayer(weight: m([[facW]]), bias: nil, normalizeRows: true), controller: controller, externalInputs: 1)
        var b = GraphBuilder(name: "d")
        let ins = [try b.value("g0", .input(InputOp(type: .vector(width: 1)))),
                   try b.value("ci", .input(InputOp(type: .sequence(steps: steps, width: 1)))),
                   try b.value("ext", .input(InputOp(type: .sequence(steps: steps, width: 1))))]
        let r = try b.add("dec", .decoder(decoder), ins)
        let out = try FloatSimulator(graph: b.finish(outputs: r)).run(inputs: ["g0": [g0], "ci": ci, "ext": ext])

        // The normalised 1×1 factor weight is sign(facW) = −1; f_{−1} = factors(g0).
        var g = g0, c = c0, f = -g0
        var factors = [Double](), gens = [Double](), cons = [Double](), cos = [Double](), stds = [Double]()
        for t in 0..<steps {
            c = step([ci[t], f], c, k: ck, u: cu, b: cb)
            let u = coW * c + coB
            g = step([u, ext[t]], g, k: gk, u: gu, b: gb)
            f = -g
            factors.append(f); gens.append(g); cons.append(c); cos.append(u); stds.append(exp(lvW * c + lvB).squareRoot())
        }
        for (name, expected) in zip(r, [factors, gens, cons, cos, stds]) {
            let got = try XCTUnwrap(out[name])
            XCTAssertEqual(got.count, expected.count)
            for (x, y) in zip(got, expected) { XCTAssertEqual(x, y, accuracy: 1e-14, name) }
        }
    }

    /// Without a controller the decoder is a GRU from g0 over the external inputs followed by the factor layer.
    func testWithoutControllerEqualsComposedOps() throws {
        let steps = 5
        let cell = try GRUCell(reset: .before, kernel: Matrix(rows: 6, columns: 1, values: [0.3, -0.2, 0.5, 0.1, 0.7, -0.4]),
                               recurrentKernel: Matrix(rows: 6, columns: 2, values: [0.2, 0.1, -0.3, 0.4, 0.5, -0.6, 0.05, 0.3, -0.2, 0.1, 0.6, 0.2]),
                               bias: [0.1, 0, -0.1, 0.2, 0, 0.3], clip: 0.6)
        let factors = try DenseLayer(weight: Matrix(rows: 1, columns: 2, values: [3, -4]), bias: nil, normalizeRows: true)
        var b = GraphBuilder(name: "d")
        let g0 = try b.value("g0", .input(InputOp(type: .vector(width: 2))))
        let ext = try b.value("ext", .input(InputOp(type: .sequence(steps: steps, width: 1))))
        let dec = try b.add("dec", .decoder(LFADSDecoderLayer(steps: steps, generator: cell, factors: factors, controller: nil, externalInputs: 1)), [g0, ext])
        let gru = try b.value("gru", .gru(GRULayer(cell: cell, returnSequences: true, initialState: .operand)), [ext, g0])
        let fac = try b.value("fac", .dense(factors), [gru])
        let out = try FloatSimulator(graph: b.finish(outputs: dec + [gru, fac]))
            .run(inputs: ["g0": [3.0, -0.7], "ext": [0.2, -0.5, 1.0, 0.0, 0.3]])
        XCTAssertEqual(out["dec.gen_states"], out["gru"])
        XCTAssertEqual(out["dec.factors"], out["fac"])
        // g0 lies beyond the clip, so the clamp binds on the first step.
        XCTAssertEqual(out["dec.gen_states"]?.first, 0.6)
    }
}
