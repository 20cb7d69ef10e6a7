// The product binding the schedule and cost model assume, checked on the synthesised netlist: a 16-bit
// spike-count product in the generated shift-and-add form takes no DSP48E2, its `*` form (RTLBinding) one, and a
// 16×16 weight × state product one.
import Foundation
import XCTest
@testable import Backends
import LFADSIR

final class YosysBindingTests: XCTestCase {
    /// DSP48E2 cells of `functions` wrapped in a registered module computing `expression`, after
    /// `synth_xilinx -family xcup`.
    static func dsps(_ yosys: URL, _ functions: [VerilogFunction], inputs: [(String, Int, Bool)], output: Int, expression: String) throws -> Int {
        let ports = inputs.map { "    input \(Verilog.range($0.1, signed: $0.2))\($0.0)," }.joined(separator: "\n")
        var text = "module top(\n    input clk,\n\(ports)\n    output reg [\(output - 1):0] y\n);\n"
        for f in functions { text += f.text }
        text += "always @(posedge clk) y <= \(expression);\nendmodule\n"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lfadsc-yosys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(text.utf8).write(to: dir.appendingPathComponent("top.v"))
        let result = try VerilatorHarness.execute(yosys, ["-q", "-p", "read_verilog top.v; synth_xilinx -family xcup -top top; tee -o stat.txt stat"], in: dir)
        guard result.status == 0 else { throw VerilatorHarness.Failure(description: "yosys failed: \(result.output.suffix(3000))") }
        let stat = try String(contentsOf: dir.appendingPathComponent("stat.txt"), encoding: .utf8)
        // A module with no logic at all would also have no DSP: require cells, so the datapath was kept.
        let cells = stat.split(separator: "\n").first { $0.contains("Number of cells:") }
            .flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
        XCTAssertGreaterThan(cells, 20, "synthesis kept no datapath:\n\(stat)")
        print("YosysBindingTests \(expression): " + stat.split(separator: "\n").filter { $0.contains("cells") || $0.contains("LUT") || $0.contains("CARRY") || $0.contains("DSP") }
            .map { $0.split(separator: " ").joined(separator: " ") }.joined(separator: ", "))
        return stat.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("DSP48E2") }
            .flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
    }

    func testCountProductsUseFabricAndStateProductsADSP() throws {
        let yosys = try VerilatorHarness.requireTool("yosys")
        let weight = fx("ap_fixed<16,6>"), accum = fx("ap_fixed<40,16>")
        let m = QuantizedMatrix(weight: Matrix(zeros: 1, 1), rows: 0..<1, bias: nil, weightType: weight, biasType: weight,
                                strategy: .lfads, reuse: 1)
        let counts = try VerilogMatVec.functions(prefix: "c", matrix: m, input: fx("ap_ufixed<16,16>"), accum: accum, countBits: 16)
        let fabric = try Self.dsps(yosys, counts, inputs: [("n", 16, false), ("w", 16, true)], output: 40, expression: "c_product(n, w)")
        XCTAssertEqual(fabric, 0, "a 16-bit count product must stay in fabric")
        // The form RTLBinding moves onto DSPs (RTLMatVecUnit.dspCountProducts): an 8-bit count × 16-bit weight, one
        // DSP48E2 (RTLCostModel and the synthesis plan's DSP check count one).
        let bound = try VerilogMatVec.functions(prefix: "b", matrix: m, input: fx("ap_ufixed<8,8>"), accum: accum, countBits: 8,
                                                dspCountProduct: true)
        let onDSP = try Self.dsps(yosys, bound, inputs: [("n", 8, false), ("w", 16, true)], output: 40, expression: "b_product_dsp(n, w)")
        XCTAssertEqual(onDSP, 1, "a bound count product takes one DSP48E2")
        let data = try VerilogMatVec.functions(prefix: "d", matrix: m, input: weight, accum: accum, countBits: nil)
        let dsp = try Self.dsps(yosys, data, inputs: [("x", 16, true), ("w", 16, true)], output: 40, expression: "d_product(x, w)")
        XCTAssertEqual(dsp, 1, "a 16×16 weight × state product takes one DSP48E2")
    }

    /// One GRU lane of each real cell (gates, reset, update) takes the DSP48E2s GRUCost.elementwise prices: the
    /// reset product, h·z and h̃·(1 − z).
    func testGRULaneUsesTheDSPsTheCostModelPrices() throws {
        let yosys = try VerilatorHarness.requireTool("yosys")
        for (label, plan) in try RTLPlans.plans() {
            guard let (g, _, _) = RTLPlans.grus(plan).first else { continue }
            let functions = try VerilogGRU.functions(prefix: "g", gru: g)
            let (a, z, s, c) = (g.accum, g.gate.output, g.state, g.candidate.output)
            let reset = g.resetAfter ? "g_reset_product(g_gate(ax, azr), ahh)" : "g_reset_state(g_gate(ax, azr), h)"
            let dsps = try Self.dsps(yosys, functions, inputs: [("ax", a.width, a.signed), ("azr", a.width, a.signed), ("ahh", a.width, a.signed),
                                                                ("z", z.width, z.signed), ("h", s.width, s.signed)],
                                     output: s.width + (g.resetAfter ? a.width : s.width), expression: "{g_update(ax, ahh, z, h), \(reset)}")
            let priced = [MultiplierCost.product(g.resetAfter ? a.width : s.width, z.width, device: .u55c),
                          MultiplierCost.product(z.width, s.width, device: .u55c),
                          MultiplierCost.product(z.width + 1, c.width, device: .u55c)].map(\.dsp).reduce(0, +)
            XCTAssertEqual(dsps, priced, "\(label) \(g.name): DSP48E2 of one lane")
        }
    }
}
