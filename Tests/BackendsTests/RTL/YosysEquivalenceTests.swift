// Yosys must synthesise what Verilator simulates (Verilator is proven against the simulator by the other tests).
// Measured: Yosys 0.23 `synth` gets signed multiply-adds wrong through alumacc/maccmap — the 4-line module
//   wire signed [16:0] omz = 17'sd1024 - $signed({z[15], z});
//   wire signed [33:0] s = ($signed(hc) * omz) + ($signed(h) * $signed(z));  assign y = s[25:10];
// (16-bit hc, z, h) differs from Verilator in 5,000 of 5,000 random vectors (one bit: bit 25 of s), and so did
// the lorenz GRU lane's state update; with `-noalumacc` every vector agrees. So the generic netlist is made
// with -noalumacc here. Still open: the lorenz_nocon GRU lane (sigmoid/tanh table gates, reset before, clip)
// synthesises wrongly even with -noalumacc when z comes from the table gate function (5,000 of 5,000 vectors;
// a Python model of the arithmetic and the simulator agree with Verilator), while the same update with z from a
// port agrees — so table-gate lanes are not in this test. Whether synth_xilinx (products mapped to DSP48E2
// before alumacc) is affected is not checked (no cell models are simulated here). Lanes of hard-gate GRU cells,
// a saturating spike-count row and casts of the bit-rewriting overflow modes are synthesised to generic gates;
// the netlist must give the RTL's outputs on random vectors.
import Foundation
import XCTest
@testable import Backends
import LFADSIR

final class YosysEquivalenceTests: XCTestCase {
    func testGateLevelNetlistEqualsTheRTL() throws {
        let yosys = try VerilatorHarness.requireTool("yosys")
        let harness = try VerilatorHarness.require()
        var functions = [VerilogFunction](), inputs = [VerilatorHarness.Input](), outputs = [VerilatorHarness.Output]()
        func port(_ name: String, _ width: Int) { inputs.append(.init(name: name, width: width)) }
        func arg(_ name: String, _ signed: Bool) -> String { signed ? "$signed(\(name))" : name }
        // Each call result bound to a wire, as a pipelined design would register it.
        var body = ""
        func wire(_ name: String, _ type: FixedType, _ expression: String) -> String {
            body += "wire \(Verilog.range(type.width, signed: type.signed))\(name) = \(expression);\n"
            return name
        }
        let plans = try RTLPlans.plans()
        // Cells with hard gates: the template's (when present) and two grid cells (reset after; reset before with
        // a clip). Lanes with table gates are left out: see the header.
        var cells = plans.dropFirst().compactMap { RTLPlans.grus($0.1).first?.0 }
        for name in ["hard_gates", "clip_tight_before"] {
            guard let c = CsimEquivalenceTests.grid().first(where: { $0.name == name }) else { XCTFail("grid config \(name)"); continue }
            if let g = RTLPlans.grus(try HardwarePlan(graph: try TestModels.graph(c))).first?.0 { cells.append(g) }
        }
        for (k, g) in cells.enumerated() {
            let p = "g\(k)"
            functions += try VerilogGRU.functions(prefix: p, gru: g)
            let (a, s) = (g.accum, g.state)
            for n in ["axz", "azrz", "axr", "azrr", "axh", "ahh"] { port("\(p)_\(n)", a.width) }
            port("\(p)_h", s.width)
            let A = { (n: String) in arg("\(p)_\(n)", a.signed) }
            let gate = g.gate.output
            let r = wire("\(p)_r", gate, "\(p)_gate(\(A("axr")), \(A("azrr")))"), z = wire("\(p)_z", gate, "\(p)_gate(\(A("axz")), \(A("azrz")))")
            let ahh = g.resetAfter ? wire("\(p)_rp", a, "\(p)_reset_product(\(r), \(A("ahh")))") : A("ahh")
            outputs.append(.init(name: "\(p)_hn", width: s.width, signed: s.signed,
                                 expression: "\(p)_update(\(A("axh")), \(ahh), \(z), \(arg("\(p)_h", s.signed)))"))
            if !g.resetAfter {
                outputs.append(.init(name: "\(p)_rh", width: s.width, signed: s.signed, expression: "\(p)_reset_state(\(r), \(arg("\(p)_h", s.signed)))"))
            }
        }
        // A spike-count row of 6 inputs into a saturating accumulator.
        if let base = RTLPlans.matrices(plans[0].1).first(where: { $0.countBits != nil }) {
            let acc = fx("ap_fixed<14,4,AP_RND_CONV,AP_SAT>")
            functions += try VerilogMatVec.functions(prefix: "m", matrix: base.matrix, input: base.input, accum: acc, countBits: base.countBits)
            var e = wire("m_s", acc, "m_bias(\(arg("m_b", base.matrix.biasType.signed)))")
            port("m_b", base.matrix.biasType.width)
            for i in 0..<6 {
                port("m_x\(i)", base.input.width)
                port("m_w\(i)", base.matrix.weightType.width)
                let n = wire("m_n\(i)", try FixedType(width: base.countBits ?? 1, integer: base.countBits ?? 1, signed: false),
                             "m_count(\(arg("m_x\(i)", base.input.signed)))")
                let product = wire("m_p\(i)", acc, "m_product(\(n), \(arg("m_w\(i)", base.matrix.weightType.signed)))")
                e = wire("m_s\(i)", acc, "m_add(\(e), \(product))")
            }
            outputs.append(.init(name: "m_y", width: acc.width, signed: acc.signed, expression: e))
        }
        // Casts whose overflow modes rewrite bit fields.
        for (k, t) in ["ap_fixed<8,3,AP_RND_CONV,AP_WRAP_SM>", "ap_fixed<8,3,AP_RND_ZERO,AP_WRAP_SM,2>", "ap_fixed<8,3,AP_RND_INF,AP_WRAP,3>",
                       "ap_ufixed<6,2,AP_TRN_ZERO,AP_WRAP,2>", "ap_fixed<7,2,AP_RND_MIN_INF,AP_SAT_SYM>"].enumerated() {
            let type = fx(t)
            functions.append(try VerilogFixed.cast(name: "c\(k)", inputWidth: 20, inputSigned: true, fromFraction: 9, to: type))
            port("c\(k)_x", 20)
            outputs.append(.init(name: "c\(k)_y", width: type.width, signed: type.signed, expression: "c\(k)($signed(c\(k)_x))"))
        }
        let rtl = VerilatorHarness.module(functions, inputs, outputs, body: body)
        let netlist = try Self.synthesise(yosys, rtl)
        var rng = SplitMix64(seed: 77)
        let vectors: [[Int128]] = (0..<3000).map { _ in
            inputs.map { p in
                // Full-width, small and near-zero codes of either sign.
                let r = RTLVectors.random(bits: p.width, &rng)
                switch rng.next() % 3 {
                case 0: return r
                case 1: return r >> Int(rng.next() % UInt64(p.width))
                default: return Int128(Int64(rng.next() % 40_000) - 20_000)
                }
            }
        }
        let expected = try harness.run(functions, inputs: inputs, outputs: outputs, body: body, vectors: vectors)
        let gates = try harness.run(module: netlist, lint: false, inputs: inputs, outputs: outputs, vectors: vectors)
        var failures = 0
        for t in 0..<vectors.count where gates[t] != expected[t] {
            failures += 1
            if failures <= 5 {
                let bad = zip(gates[t], expected[t]).enumerated().filter { $0.element.0 != $0.element.1 }
                XCTFail("vector \(t): \(bad.map { "\(outputs[$0.offset].name): netlist \($0.element.0), RTL \($0.element.1)" })")
            }
        }
        XCTAssertEqual(failures, 0)
    }

    /// `synth -flatten -noalumacc` to generic gates, written back as Verilog.
    static func synthesise(_ yosys: URL, _ module: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lfadsc-yosys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(module.utf8).write(to: dir.appendingPathComponent("top.v"))
        let result = try VerilatorHarness.execute(yosys, ["-q", "-p", "read_verilog top.v; synth -flatten -noalumacc -top top; write_verilog -noattr net.v"], in: dir)
        guard result.status == 0 else { throw VerilatorHarness.Failure(description: "yosys failed: \(result.output.suffix(3000))") }
        return try String(contentsOf: dir.appendingPathComponent("net.v"), encoding: .utf8)
    }
}
