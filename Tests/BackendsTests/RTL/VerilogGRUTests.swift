// VerilogGRU against GRUKernel.step: the simulator runs real steps (lorenz_nocon: reset before, table gates;
// the template: reset after, hard gates with a QKeras quantizer; grid configurations with saturating
// accumulators and clips; clip and reset variants of the real cells), and every lane's gates, reset, candidate
// and new state are recomputed by the generated functions from the step's matrix-product sums.
import XCTest
@testable import Backends
import LFADSIR

final class VerilogGRUTests: XCTestCase {
    /// `g` with another clip bound (a state code) or reset placement: the same matrices, other arithmetic.
    static func variant(_ g: GRUStage, name: String, clip: Int64?? = nil, resetAfter: Bool? = nil) -> GRUStage {
        GRUStage(name: name, input: g.input, output: g.output, hidden: g.hidden, resetAfter: resetAfter ?? g.resetAfter,
                 reverse: g.reverse, returnSequences: g.returnSequences, kernel: g.kernel, recurrentZR: g.recurrentZR,
                 recurrentH: g.recurrentH, accum: g.accum, gate: g.gate, candidate: g.candidate, state: g.state,
                 result: g.result, clip: clip ?? g.clip, initial: g.initial)
    }

    static func cells() throws -> [(GRUStage, FixedType, Int?)] {
        var cells = [(GRUStage, FixedType, Int?)]()
        for (_, plan) in try RTLPlans.plans() {
            let grus = RTLPlans.grus(plan)
            guard let (g, t, c) = grus.first else { continue }
            cells.append((g, t, c))
            let bound = g.state.cast(0.5).raw
            cells.append((variant(g, name: g.name + "+clip", clip: .some(bound), resetAfter: !g.resetAfter), t, c))
        }
        var seen = Set<String>()
        for c in CsimEquivalenceTests.grid() where c.lstm == nil && (c.clip != nil || c.name.contains("sat") || c.name.contains("narrow")
                                                                    || c.name.contains("reset_before") || c.name.contains("accum")) {
            let plan = try HardwarePlan(graph: try TestModels.graph(c))
            for (g, t, counts) in RTLPlans.grus(plan) {
                let key = "\(g.accum) \(g.gate.output) \(g.candidate.output) \(g.state) \(g.result) \(g.clip as Any) \(g.resetAfter) \(t)"
                if seen.insert(key).inserted && seen.count <= 8 { cells.append((g, t, counts)) }
            }
        }
        return cells
    }

    func testLanesMatchTheSimulatorsStep() throws {
        let harness = try VerilatorHarness.require()
        let cells = try Self.cells()
        XCTAssertTrue(cells.contains { $0.0.resetAfter } && cells.contains { !$0.0.resetAfter })
        XCTAssertTrue(cells.contains { $0.0.clip != nil } && cells.contains { $0.0.clip == nil })
        var rng = SplitMix64(seed: 41)
        var functions = [VerilogFunction](), inputs = [VerilatorHarness.Input](), outputs = [VerilatorHarness.Output]()
        var lanes = [[(inputs: [Int128], outputs: [Int128])]]()
        for (k, (g, inputType, counts)) in cells.enumerated() {
            let p = "g\(k)"
            functions += try VerilogGRU.functions(prefix: p, gru: g)
            let (acc, gate, state) = (g.accum, g.gate.output, g.state)
            for n in ["axz", "azrz", "axr", "azrr", "axh", "ahh"] { inputs.append(.init(name: "\(p)_\(n)", width: acc.width)) }
            inputs.append(.init(name: "\(p)_h", width: state.width))
            func s(_ n: String, _ signed: Bool) -> String { signed ? "$signed(\(p)_\(n))" : "\(p)_\(n)" }
            let z = "\(p)_gate(\(s("axz", acc.signed)), \(s("azrz", acc.signed)))"
            let r = "\(p)_gate(\(s("axr", acc.signed)), \(s("azrr", acc.signed)))"
            outputs.append(.init(name: "\(p)_z", width: gate.width, signed: gate.signed, expression: z))
            outputs.append(.init(name: "\(p)_r", width: gate.width, signed: gate.signed, expression: r))
            let ahh: String
            if g.resetAfter {
                ahh = "\(p)_reset_product(\(r), \(s("ahh", acc.signed)))"
                outputs.append(.init(name: "\(p)_rp", width: acc.width, signed: acc.signed, expression: ahh))
            } else {
                ahh = s("ahh", acc.signed)
                outputs.append(.init(name: "\(p)_rh", width: state.width, signed: state.signed, expression: "\(p)_reset_state(\(r), \(s("h", state.signed)))"))
            }
            outputs.append(.init(name: "\(p)_hn", width: state.width, signed: state.signed,
                                 expression: "\(p)_update(\(s("axh", acc.signed)), \(ahh), \(z), \(s("h", state.signed)))"))
            outputs.append(.init(name: "\(p)_y", width: g.result.width, signed: g.result.signed, expression: "\(p)_result(\(s("h", state.signed)))"))
            lanes.append(try Self.simulate(g, inputType: inputType, counts: counts, &rng))
        }
        let count = lanes.map(\.count).max() ?? 0
        var vectors = [[Int128]](repeating: [], count: count), expected = [[Int128]](repeating: [], count: count)
        for t in 0..<count {
            for cell in lanes {
                let lane = cell[t % cell.count]
                vectors[t] += lane.inputs
                expected[t] += lane.outputs
            }
        }
        let results = try harness.run(functions, inputs: inputs, outputs: outputs, vectors: vectors)
        var failures = 0
        for t in 0..<count where results[t] != expected[t] {
            failures += 1
            if failures <= 10 {
                let bad = zip(results[t], expected[t]).enumerated().filter { $0.element.0 != $0.element.1 }
                XCTFail("lane vector \(t): \(bad.map { "\(outputs[$0.offset].name): RTL \($0.element.0), simulator \($0.element.1)" })")
            }
        }
        XCTAssertEqual(failures, 0)
        print("VerilogGRUTests: \(cells.count) cells, \(count) lane vectors each")
    }

    /// Runs the simulator's GRUKernel for some steps from random states and records per lane the sums it formed
    /// (ax, azr, and U_h's output before the reset product, or after the reset state) with h, and what it made
    /// of them: z, r, the reset product or r ⊙ h, the new state and the result cast.
    static func simulate(_ g: GRUStage, inputType: FixedType, counts: Int?, _ rng: inout SplitMix64) throws -> [(inputs: [Int128], outputs: [Int128])] {
        let kernel = GRUKernel(g, inputFraction: inputType.fraction)
        let H = g.hidden, n = g.kernel.columns
        var scratch = GRUKernel.Scratch(hidden: H)
        var lanes = [(inputs: [Int128], outputs: [Int128])]()
        let resultQ = Quantizer(fromFraction: g.state.fraction, to: g.result)
        for step in 0..<12 {
            let x: [Int64] = (0..<n).map { _ in
                if let bits = counts { return Int64(rng.next() % (rng.next() % 4 == 0 ? UInt64(1) << bits : 3)) << inputType.fraction }
                return Int64(RTLVectors.wrap(RTLVectors.random(bits: 64, &rng), width: inputType.width, signed: inputType.signed)) >> (step % 2 == 0 ? 0 : 2)
            }
            // Random states: small ones like a running cell's, and the full code range (saturation, clip).
            var h: [Int64] = (0..<H).map { _ in
                let v = Int64(RTLVectors.wrap(RTLVectors.random(bits: 64, &rng), width: g.state.width, signed: g.state.signed))
                return step % 3 == 0 ? v : v >> 3
            }
            let h0 = h
            var overflows = 0
            var ahhRaw = [Int64](repeating: 0, count: H)
            if g.resetAfter { kernel.hh.run(h0, offset: 0, into: &ahhRaw, &overflows) }
            kernel.step(x, offset: 0, state: &h, &scratch, &overflows)
            for j in 0..<H {
                let ins = [scratch.ax[j], scratch.azr[j], scratch.ax[H + j], scratch.azr[H + j], scratch.ax[2 * H + j],
                           g.resetAfter ? ahhRaw[j] : scratch.ahh[j], h0[j]].map { Int128($0) }
                let reset = g.resetAfter ? scratch.ahh[j] : scratch.rh[j]
                let outs = [scratch.z[j], scratch.r[j], reset, h[j], resultQ.apply(h0[j])].map { Int128($0) }
                lanes.append((ins, outs))
            }
        }
        return lanes
    }
}
