// The RTL resource model's reading of the emitted Verilog: registers declared outside functions, delay lines,
// multiplexer and block-ROM sizes, and the ROM columns recounted from the emitted `$readmemh` image. Its totals
// against Yosys are checked in RTLSynthesisTests (CI) and on the real models in docs/rtl-synthesis.md.
import XCTest
@testable import Backends
import LFADSIR

final class RTLCostModelTests: XCTestCase {
    func testRegistersAreReadOutsideFunctions() {
        let text = """
        module m (
            input wire clk,
            output reg [15:0] ndone
        );
        function automatic [7:0] f(input [7:0] x);
            reg signed [8:0] t;  // a local: combinational
            begin f = x; end
        endfunction
            reg [2:0] st;
            reg s1_v, s1_first;
            reg signed [23:0] acc;  // the running sum
            reg [63:0] g [0:2];
            reg [6:0] sq [1:5];
            (* rom_style = "block" *) reg [1023:0] rom [0:128 - 1];
        endmodule
        """
        let regs = RTLCostModel.registers(text)
        XCTAssertEqual(regs.map(\.name), ["ndone", "st", "s1_v", "s1_first", "acc", "g", "sq", "rom"])
        XCTAssertEqual(regs.map(\.bits), [16, 3, 1, 1, 24, 64, 7, 1024])
        XCTAssertEqual(regs.map(\.words), [1, 1, 1, 1, 1, 3, 5, 128])
        XCTAssertEqual(regs.map(\.isArray), [false, false, false, false, false, true, true, true])
    }

    func testDelayLinesKeepTheirFirstWordInFlipFlops() {
        // g: 3 words = 1 loaded + 2 shifted (too short for an SRL); sq: 1 + 4 shifted (one SRL per bit).
        let cells = RTLCostModel.registerCells([
            RTLDeclaredRegister(name: "g", bits: 64, words: 3, isArray: true),
            RTLDeclaredRegister(name: "sq", bits: 7, words: 5, isArray: true),
            RTLDeclaredRegister(name: "st", bits: 3, words: 1, isArray: false),
        ])
        XCTAssertEqual(cells.ff, 3 * 64 + 7 + 3)
        XCTAssertEqual(cells.srl, 7)
    }

    /// Stage registers of a cell lane: a chain of three loaded from a port becomes SRLs; one loaded from logic keeps
    /// its first register, and the two after it stay flip-flops (too short to shift).
    func testStageRegisterChains() {
        let text = """
        module lane (
            input wire clk,
            input wire [15:0] a,
            output wire [15:0] y
        );
            reg [15:0] a_s0;
            always @(posedge clk) a_s0 <= a;
            reg [15:0] a_s1;
            always @(posedge clk) a_s1 <= a_s0;
            reg [15:0] a_s2;
            always @(posedge clk) a_s2 <= a_s1;
            wire [7:0] x_w0 = f(a);
            reg [7:0] x_s1;
            always @(posedge clk) x_s1 <= x_w0;
            reg [7:0] x_s2;
            always @(posedge clk) x_s2 <= x_s1;
            reg [7:0] x_s3;
            always @(posedge clk) x_s3 <= x_s2;
            assign y = g(a_s2, x_s3);
        endmodule
        """
        let cells = RTLCostModel.stageRegisterCells(text)
        XCTAssertEqual(cells.srl, 16)
        XCTAssertEqual(cells.ff, 3 * 8)
    }

    func testMultiplexerAndBlockROMSizes() {
        XCTAssertEqual([1, 2, 4, 5, 16, 64].map(RTLCostModel.muxLUTs), [0, 1, 1, 3, 5, 21])
        // The template's DenseMean ROM: 128 words of 1,024 bits in 512 × 36 RAMB18s.
        XCTAssertEqual(RTLCostModel.bram18(depth: 128, width: 1024), 29)
        XCTAssertEqual(RTLCostModel.bram18(depth: 1024, width: 18), 1)
        XCTAssertEqual(RTLCostModel.bram18(depth: 2048, width: 18), 2)
    }

    /// Every LUT-ROM unit of the test models: the distinct non-constant columns the model counts from the matrix
    /// equal a recount from the emitted ROM image (the words `$readmemh` loads).
    func testROMColumnsMatchTheEmittedImage() throws {
        var checked = 0
        for (name, plan) in try RTLPlans.plans() {
            for m in RTLPlans.matrices(plan) where m.matrix.reuse > 1 && m.matrix.reuse <= DelayModel.lutRomMaxDepth {
                let u = RTLMatVecUnit(name: "u", matrix: m.matrix, input: m.input, accum: m.accum, countBits: m.countBits, latency: 4)
                XCTAssertEqual(RTLCostModel.distinctROMColumns(u), recount(u), "\(name) \(m.label)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 3)
    }

    /// Columns of the hex image: bit j of word r, MSB first per line; constant columns, copies and the counter's
    /// own bits (or their complements) dropped.
    private func recount(_ u: RTLMatVecUnit) -> Int {
        let words = u.memoryFile.split(separator: "\n").map { line -> [Bool] in
            line.reversed().flatMap { ch -> [Bool] in
                let v = Int(String(ch), radix: 16) ?? 0
                return (0..<4).map { v >> $0 & 1 == 1 }
            }
        }
        let r = words.count
        var counter = Set<[Bool]>()
        for b in 0..<u.rBits {
            let col = (0..<r).map { $0 >> b & 1 == 1 }
            counter.insert(col)
            counter.insert(col.map { !$0 })
        }
        var seen = Set<[Bool]>()
        for j in 0..<u.laneBits {
            let col = words.map { j < $0.count ? $0[j] : false }
            if col.allSatisfy({ $0 }) || col.allSatisfy({ !$0 }) || counter.contains(col) { continue }
            seen.insert(col)
        }
        return seen.count
    }

    /// RTLBinding moves spike-count products onto DSP48E2s only while that lowers the larger of the DSP and LUT
    /// shares: none on a part rich in LUTs, every one a row may bind on a part rich in DSPs; the bound Verilog
    /// holds the `*` form and the model prices one DSP48E2 per bound product and fewer LUTs.
    func testBindingFollowsTheScarcerResource() throws {
        let plan = try XCTUnwrap(RTLPlans.plans().first { $0.0.hasPrefix("lorenz_nocon") }).1
        let schedule = try XCTUnwrap(ScheduleBuilder.build(plan, delays: DelayModel(clockMHz: 300)))
        let plain = try RTLBackend.design(plan: plan, schedule: schedule, clockMHz: 300, countDSP: 0)
        let counted = plain.units.filter { $0.maxDSPCountProducts > 0 }
        XCTAssertFalse(counted.isEmpty, "lorenz_nocon's encoders read spike counts")
        var lutRich = Device.u55c, dspRich = Device.u55c
        lutRich.lut *= 1000
        dspRich.dsp *= 1000
        XCTAssertEqual(RTLBinding.countDSPProducts(units: plain.units, total: plain.estimate.total, device: lutRich), 0)
        let most = try XCTUnwrap(counted.map(\.maxDSPCountProducts).max())
        XCTAssertEqual(RTLBinding.countDSPProducts(units: plain.units, total: plain.estimate.total, device: dspRich), most)
        let bound = try RTLBackend.design(plan: plan, schedule: schedule, clockMHz: 300, countDSP: most)
        let lanes = try XCTUnwrap(bound.files["rtl/lfads_lanes.v"])
        XCTAssertTrue(lanes.contains("_product_dsp("), "the bound lanes use the * form")
        XCTAssertFalse(try XCTUnwrap(plain.files["rtl/lfads_lanes.v"]).contains("_product_dsp("))
        let added = counted.map { min(most, $0.maxDSPCountProducts) * $0.matrix.rows }.reduce(0, +)
        XCTAssertEqual(bound.estimate.total.dsp, plain.estimate.total.dsp + added)
        XCTAssertLessThan(bound.estimate.total.lut, plain.estimate.total.lut)
        // The project built for the DSP-rich part records its choice (reports/rtl_estimate.json, estimate's note).
        let chosen = try RTLBackend.design(plan: plan, schedule: schedule, clockMHz: 300, device: dspRich)
        XCTAssertEqual(chosen.estimate.countDSPProducts, most)
        XCTAssertTrue(try XCTUnwrap(chosen.files["reports/rtl_estimate.json"]).contains("\"count_dsp_products\": \(most)"))
        XCTAssertNotNil(chosen.estimate.bindingNote)
        XCTAssertNil(plain.estimate.bindingNote)
        // That the bound Verilog keeps the schedule's cycles and the simulator's bits is measured in Verilator
        // (RTLSimulationTests.testBoundCountProductsKeepBitsAndCycles).
    }

    /// Count products Yosys would keep in fabric are never bound: an operand under 2 bits, or fewer than 9 product
    /// bits kept by the accumulator's cast (YosysBindingTests measures the 8 × 16 case that maps to one DSP48E2).
    func testNarrowCountProductsAreNotBound() throws {
        func unit(count: Int, weight: String, accum: String) throws -> RTLMatVecUnit {
            let w = fx(weight)
            let m = QuantizedMatrix(weight: try Matrix(rows: 1, columns: 4, values: [0.5, -0.25, 0.75, 1]), rows: 0..<1, bias: nil,
                                    weightType: w, biasType: w, strategy: .lfads, reuse: 2)
            return RTLMatVecUnit(name: "u", matrix: m, input: fx("ap_ufixed<\(count),\(count)>"), accum: fx(accum),
                                 countBits: count, latency: 4)
        }
        XCTAssertEqual(try unit(count: 8, weight: "ap_fixed<16,6>", accum: "ap_fixed<24,12>").maxDSPCountProducts, 2)
        XCTAssertEqual(try unit(count: 2, weight: "ap_fixed<4,2>", accum: "ap_fixed<24,12>").maxDSPCountProducts, 0)
        XCTAssertEqual(try unit(count: 1, weight: "ap_fixed<16,6>", accum: "ap_fixed<24,12>").maxDSPCountProducts, 0)
        // 8 × 16 bits, but the cast keeps only the low 8 (same fraction, 8-bit accumulator); keeping bits 8 … 15
        // (fraction 10 → 2) still needs the 16-bit product.
        XCTAssertEqual(try unit(count: 8, weight: "ap_fixed<16,14>", accum: "ap_fixed<8,6>").maxDSPCountProducts, 0)
        XCTAssertEqual(try unit(count: 8, weight: "ap_fixed<16,6>", accum: "ap_fixed<8,6>").maxDSPCountProducts, 2)
        // A count too wide for the DSP48E2's 18-bit port next to a 20-bit weight.
        XCTAssertEqual(try unit(count: 20, weight: "ap_fixed<20,6>", accum: "ap_fixed<48,20>").maxDSPCountProducts, 0)
    }
}
