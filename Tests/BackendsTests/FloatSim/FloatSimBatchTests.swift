import Foundation
import LFADSIR
import XCTest
import Backends

/// The blocked batch path against the one-trial path: every trial must come out bit for bit the same whatever
/// the batch size, the thread count and the trial's position in its block. Layer sizes are odd so that the
/// kernels' vector loops leave scalar tails (rows and columns).
final class FloatSimBatchTests: XCTestCase {
    /// Deterministic pseudo-random values in [−scale, scale).
    struct Values {
        var state: UInt64
        mutating func next(_ scale: Double = 1) -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (Double(state >> 11) * 0x1p-53 * 2 - 1) * scale
        }
        mutating func array(_ n: Int, _ scale: Double = 1) -> [Double] { (0..<n).map { _ in next(scale) } }
        mutating func matrix(_ rows: Int, _ columns: Int, _ scale: Double = 0.6) throws -> Matrix {
            try Matrix(rows: rows, columns: columns, values: array(rows * columns, scale))
        }
    }

    static let steps = 9, inputs = 7

    /// A small LFADS-like graph: read-in, bidirectional encoders (reset before and after, clip, learned and zero
    /// states), posterior, gaussian sample, time shifts, concat, a decoder with controller and an external
    /// input, a read-out with exp rates, plus sigmoid and tanh activations on their own.
    func graph() throws -> Graph {
        var v = Values(state: 42)
        let T = Self.steps, D = Self.inputs, enc = 5, ic = 3, gen = 7, con = 5, fac = 3, co = 1
        func cell(_ hidden: Int, _ input: Int, _ reset: ResetPlacement, clip: Double? = 2.5) throws -> GRUCell {
            try GRUCell(reset: reset, kernel: v.matrix(3 * hidden, input), recurrentKernel: v.matrix(3 * hidden, hidden),
                        bias: v.array(3 * hidden, 0.3), recurrentBias: v.array(3 * hidden, 0.3), clip: clip)
        }
        var b = GraphBuilder(name: "batch")
        let x = try b.value("x", .input(InputOp(type: .sequence(steps: T, width: D))))
        let ext = try b.value("ext", .input(InputOp(type: .sequence(steps: T, width: 1))))
        let readin = try b.value("readin", .dense(DenseLayer(weight: v.matrix(enc, D), bias: v.array(enc, 0.1))), [x])
        let icEnc = try b.value("ic_enc", .bidirectionalGRU(BidirectionalGRULayer(
            forward: GRULayer(cell: cell(enc, enc, .before), returnSequences: false, initialState: .learned(v.array(enc, 0.2))),
            backward: GRULayer(cell: cell(enc, enc, .after, clip: nil), reverse: true, returnSequences: false))), [readin])
        let mean = try b.value("ic_mean", .dense(DenseLayer(weight: v.matrix(ic, 2 * enc), bias: v.array(ic, 0.1))), [icEnc])
        let logvar = try b.value("ic_logvar", .dense(DenseLayer(weight: v.matrix(ic, 2 * enc), bias: v.array(ic, 0.1))), [icEnc])
        let std = try b.value("ic_std", .posteriorStd(PosteriorStdOp(varianceFloor: 1e-4)), [logvar])
        let sample = try b.value("ic_sample", .sample(.gaussian(seed: 11)), [mean, logvar])
        let g0 = try b.value("g0", .dense(DenseLayer(weight: v.matrix(gen, ic), bias: v.array(gen, 0.1))), [sample])
        let ciEnc = try b.value("ci_enc", .bidirectionalGRU(BidirectionalGRULayer(
            forward: GRULayer(cell: cell(3, enc, .before), returnSequences: true),
            backward: GRULayer(cell: cell(3, enc, .before), reverse: true, returnSequences: true))), [readin])
        let fwd = try b.value("ci_fwd", .slice(start: 0, count: 3), [ciEnc])
        let bwd = try b.value("ci_bwd", .slice(start: 3, count: 3), [ciEnc])
        let fwdLag = try b.value("ci_fwd_lag", .timeShift(lag: 1), [fwd])
        let bwdLag = try b.value("ci_bwd_lag", .timeShift(lag: -2), [bwd])
        let ci = try b.value("ci", .concat, [fwdLag, bwdLag])
        let controller = ControllerSpec(cell: try cell(con, 6 + fac, .before), initialState: v.array(con, 0.2),
                                        coMean: try DenseLayer(weight: v.matrix(co, con), bias: v.array(co, 0.1)),
                                        coLogvar: try DenseLayer(weight: v.matrix(co, con), bias: v.array(co, 0.1)))
        let decoder = try LFADSDecoderLayer(steps: T, generator: cell(gen, co + 1, .before),
                                            factors: DenseLayer(weight: v.matrix(fac, gen), bias: nil, normalizeRows: true),
                                            controller: controller, externalInputs: 1)
        let dec = try b.add("decoder", .decoder(decoder), [g0, ci, ext])
        let readout = try b.value("readout", .dense(DenseLayer(weight: v.matrix(D, fac), bias: v.array(D, 0.1))), [dec[0]])
        let rates = try b.value("rates", .activation(ActivationOp(Activation(.exp))), [readout])
        let gates = try b.value("gates", .activation(ActivationOp(Activation(.sigmoid))), [ci])
        let squashed = try b.value("squashed", .activation(ActivationOp(Activation(.tanh))), [readin])
        return try b.finish(outputs: [rates, std, gates, squashed] + dec)
    }

    func trials(_ n: Int) -> [[String: [Double]]] {
        var v = Values(state: 7)
        return (0..<n).map { _ in
            ["x": v.array(Self.steps * Self.inputs, 3).map { abs($0).rounded() },  // spike-count-like
             "ext": v.array(Self.steps)]
        }
    }

    func testBlockedBatchEqualsOneTrialAtATime() throws {
        let sim = try FloatSimulator(graph: graph())
        let all = trials(64)
        let single = try all.indices.map { try sim.run(inputs: all[$0], trial: $0) }
        for count in [1, 3, 17, 64] {
            for threads in [1, 2, 3] {
                let batch = try sim.runBatch(trials: Array(all.prefix(count)), threads: threads)
                XCTAssertEqual(batch.count, count)
                for t in 0..<count {
                    XCTAssertEqual(batch[t], single[t], "trial \(t) of a batch of \(count) on \(threads) thread(s)")
                }
            }
        }
        // The trial-major entry point gives the same values, concatenated.
        let contiguous = try sim.runBatch(inputs: ["x": all.flatMap { $0["x"] ?? [] }, "ext": all.flatMap { $0["ext"] ?? [] }],
                                          count: all.count, threads: 2)
        for name in sim.graph.outputs {
            XCTAssertEqual(contiguous[name], single.flatMap { $0[name] ?? [] }, name)
        }
    }

    func testBatchErrors() throws {
        let sim = try FloatSimulator(graph: graph())
        var bad = trials(5)
        bad[3]["x"]?.removeLast()
        XCTAssertThrowsError(try sim.runBatch(trials: bad, threads: 2)) { error in
            XCTAssertTrue("\(error)".contains("'x'"), "\(error)")
        }
        XCTAssertThrowsError(try sim.runBatch(inputs: ["x": [1, 2]], count: 1, threads: 1))
        XCTAssertEqual(try sim.runBatch(trials: [], threads: 4), [])
        XCTAssertEqual(try sim.runBatch(inputs: ["x": [], "ext": []], count: 0, threads: 2)["rates"], [])
    }
}
