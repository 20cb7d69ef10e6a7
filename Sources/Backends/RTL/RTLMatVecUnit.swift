// The chunked matrix–vector unit: one iteration per issue, chunk r of the inputs against every output, the
// weights one ROM word per chunk (chunk-major, as the HLS printer stores them). Its stages are fixed:
//   cycle c     (issue): ROM word r and the chunk's inputs into registers;
//   cycle c + 1: the products into registers;
//   cycle c + 2 (a wrap-around accumulator of more than one product, when the depth leaves room): their sum as a
//                tree into a register;
//   next cycle:  the accumulate (bias at r = 0), in input order for a saturating accumulator;
// then a delay line, so that the sums of an iteration issued at c are on `acc_out` at exactly c + `latency`
// (the schedule's depth of the pipeline, or one less when the caller writes them in that cycle). Without room for
// the tree stage the products and their tree share cycle c + 1.
import LFADSIR

struct RTLMatVecUnit {
    var name: String
    var matrix: QuantizedMatrix
    var input: FixedType
    var accum: FixedType
    var countBits: Int?
    /// Cycles from an iteration's issue to its sums on acc_out (at least 3).
    var latency: Int
    /// Spike-count products of each row bound to a DSP48E2 (one `*` each) instead of shift-and-add in fabric: the
    /// first this many positions of the chunk, set by the RTL binding (RTLBinding) within `maxDSPCountProducts`.
    var dspCountProducts = 0

    var chunk: Int { (matrix.columns + matrix.reuse - 1) / matrix.reuse }
    /// Every weight is zero (a generator without inputs has one padded zero column): the sums are the bias alone,
    /// so the lane builds no products (out of context, Yosys could not see the zero ROM and kept a DSP per row).
    var allZero: Bool { matrix.weights.allSatisfy { $0 == 0 } }
    var laneBits: Int { matrix.rows * chunk * matrix.weightType.width }
    /// Whether the products and their tree are registered in stages of their own (balanced logic depth).
    var treeStage: Bool { accum.addsAssociatively && chunk > 1 && !allZero && latency >= 4 }
    var rBits: Int { RTLText.bits(for: matrix.reuse) }

    /// DSP48E2s one instance must synthesise to, where the mapping is deterministic: none for spike counts
    /// (shift-and-add), one per product when both operands are wider than the fabric rule (10 bits) and fit one
    /// DSP48E2 multiplier (27 × 18 signed); nil otherwise (Yosys's choice for narrow or very wide products).
    var expectedDSP: Int? {
        if allZero { return 0 }
        if countBits != nil { return dspCountProducts * matrix.rows }
        let x = input.width + (input.signed ? 0 : 1), w = matrix.weightType.width + (matrix.weightType.signed ? 0 : 1)
        let (a, b) = (max(x, w), min(x, w))
        guard b > DelayModel.fabricMaxBits + 1, a <= 27, b <= 18 else { return nil }
        return matrix.rows * chunk
    }

    /// Count products a row may put on DSP48E2s: the chunk positions that hold an input in every chunk (a partial
    /// last chunk masks the others, and a masked product would keep its mux outside the DSP), when the count and
    /// the weight fit one DSP48E2 multiplier (27 × 18 signed, the count with a zero sign bit).
    /// Yosys 0.23 maps a `*` to a DSP48E2 only when both operands have 2 bits or more and 9 or more product bits are
    /// used (measured: a 2-bit × 4-bit product, or an 8 × 16 one of which 8 bits are kept, stays in fabric), so
    /// narrower products are not bound: the synthesis plan's DSP check would fail and the LUTs be under-priced.
    var maxDSPCountProducts: Int {
        guard let n = countBits, !allZero else { return 0 }
        let w = Verilog.signedWidth(matrix.weightType)
        let (a, b) = (max(n + 1, w), min(n + 1, w))
        guard a <= 27, b <= 18, n >= 2, matrix.weightType.width >= 2 else { return 0 }
        // Product bits the accumulator cast keeps: the product has the weight's fraction.
        let used = min(n + w, accum.width + matrix.weightType.fraction - accum.fraction)
        guard used >= 9 else { return 0 }
        return matrix.columns % chunk == 0 ? chunk : matrix.columns % chunk
    }

    /// The ROM image: one line per chunk r, MSB first, weight (o, k) at bits [(o·chunk + k)·W +: W].
    var memoryFile: String {
        let w = matrix.weightType.width
        var lines = [String]()
        for r in 0..<matrix.reuse {
            var values = [Int64]()
            for o in 0..<matrix.rows {
                for k in 0..<chunk {
                    let i = r * chunk + k
                    values.append(i < matrix.columns ? matrix.weights[o * matrix.columns + i] : 0)
                }
            }
            lines.append(RTLText.hexWord(values, bits: w))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One output row's module: its products, sum and accumulate, and the delay line. Rows differ only in their
    /// weights (ROM slices) and bias (a port), so one module serves them all and synthesis sees one configuration.
    var laneName: String { name + "_lane" }
    var biasBits: Int { matrix.biasType.width }

    /// DSP48E2s one lane must synthesise to (see `expectedDSP`).
    var expectedLaneDSP: Int? { expectedDSP.map { $0 / max(1, matrix.rows) } }

    func checked() throws {
        guard matrix.weights.count == matrix.rows * matrix.columns, matrix.bias.count == matrix.rows else {
            throw HardwareError.unsupported("RTL: \(name): \(matrix.weights.count) weights and \(matrix.bias.count) biases for a \(matrix.rows) × \(matrix.columns) matrix")
        }
        guard latency >= 3 else { throw HardwareError.unsupported("RTL: matrix unit \(name) needs a depth of at least 3 cycles, the schedule gives \(latency)") }
    }

    /// The unit's top: the ROM, the chunk's inputs, the control, and one lane per output row.
    func module() throws -> String {
        try checked()
        let (n, m, c) = (matrix.columns, matrix.rows, chunk)
        let (xw, ww, aw) = (input.width, matrix.weightType.width, accum.width)
        var v = [String]()
        v.append("module \(name) (")
        v.append("    input wire clk,")
        v.append("    input wire issue,")
        v.append("    input wire [\(rBits - 1):0] r,")
        v.append("    input wire [\(n * xw - 1):0] x,")
        v.append("    output wire [\(m * aw - 1):0] acc_out")
        v.append(");")
        // The binding the schedule prices (DelayModel.romStages): block RAM above 32 words; up to 32, LUTs (no
        // attribute: Yosys 0.23 has no distributed-ROM mapping for UltraScale+ and builds the ROM as logic).
        let style = matrix.reuse > DelayModel.lutRomMaxDepth ? "(* rom_style = \"block\" *) " : ""
        v.append("    \(style)reg [\(laneBits - 1):0] rom [0:\(matrix.reuse - 1)];")
        v.append("    initial $readmemh({`LFADS_MEM_DIR, \"\(name).mem\"}, rom);")
        v.append("    reg [\(n * xw - 1):0] xw;")
        v.append("    wire [\(n * xw - 1):0] xs = (r == 0) ? x : xw;")
        v.append("    reg [\(c * xw - 1):0] s1_x;")
        v.append("    reg [\(laneBits - 1):0] s1_w;")
        v.append("    reg [\(rBits - 1):0] s1_r;")
        v.append("    reg s1_v, s1_first, s2_v, s2_first;")
        v.append("    always @(posedge clk) begin")
        v.append("        s1_v <= issue;")
        v.append("        s2_v <= s1_v;")
        v.append("        s2_first <= s1_first;")
        v.append("        if (issue) begin")
        v.append("            if (r == 0) xw <= x;")
        v.append("            s1_w <= rom[r];")
        v.append("            s1_r <= r;")
        v.append("            s1_first <= (r == 0);")
        // Chunk r of the inputs: a mux over r per position k (positions past n_in are 0).
        v.append("            case (r)")
        for r in 0..<matrix.reuse {
            let parts = (0..<c).reversed().map { k -> String in
                let i = r * c + k
                return i < n ? "xs[\(i * xw) +: \(xw)]" : "\(xw)'d0"
            }
            v.append("                \(rBits)'d\(r): s1_x <= {\(parts.joined(separator: ", "))};")
        }
        v.append("                default: s1_x <= \(c * xw)'d0;")
        v.append("            endcase")
        v.append("        end")
        v.append("    end")
        v.append("    wire s1_last = (s1_r == \(rBits)'d\(matrix.reuse - 1));")
        for o in 0..<m {
            let bias = RTLText.literal(matrix.bias[o], bits: biasBits)
            v.append("    \(laneName) l\(o) (.clk(clk), .s1_last(s1_last), .s2_v(s2_v), .s2_first(s2_first), .s1_x(s1_x), "
                + ".s1_w(s1_w[\(o * c * ww) +: \(c * ww)]), .bias(\(bias)), .acc_out(acc_out[\(o * aw) +: \(aw)]));")
        }
        v.append("endmodule")
        return v.joined(separator: "\n") + "\n"
    }

    /// One row: products of the chunk (registered, summed as a tree for a wrap-around accumulator), the accumulate
    /// (bias at r = 0), then the delay line to the schedule's depth.
    func laneModule() throws -> String {
        try checked()
        var fs = RTLFunctions()
        let a = try RTLArith.matVec(&fs, prefix: name, matrix, accum: accum, input: input, countBits: countBits,
                                    dspCountProduct: dspCountProducts > 0)
        let (n, c) = (matrix.columns, chunk)
        let (xw, ww, aw) = (input.width, matrix.weightType.width, accum.width)
        let tree = accum.addsAssociatively
        // With spike counts the product takes the count: the integer bits of the input code (lfads_count).
        func operand(_ k: Int) -> String {
            let x = "s1_x[\(k * xw) +: \(xw)]"
            return countBits == nil ? x : "\(name)_count(\(x))"
        }
        // Which positions of the chunk are real inputs (only the last chunk may be partial).
        let partial = n % c != 0
        func valid(_ k: Int) -> String { partial && k >= n % c ? "(!s1_last)" : "1'b1" }
        // Position k's product: on a DSP48E2 for the first `dspCountProducts` count positions.
        func product(_ k: Int) -> String {
            let f = k < dspCountProducts ? (a.dspProduct ?? a.product) : a.product
            return "\(f)(\(operand(k)), s1_w[\(k * ww) +: \(ww)])"
        }
        var v = [String]()
        v.append("module \(laneName) (")
        v.append("    input wire clk,")
        v.append("    input wire s1_last,")
        v.append("    input wire s2_v,")
        v.append("    input wire s2_first,")
        v.append("    input wire [\(c * xw - 1):0] s1_x,")
        v.append("    input wire [\(c * ww - 1):0] s1_w,")
        v.append("    input wire [\(biasBits - 1):0] bias,")
        v.append("    output wire [\(aw - 1):0] acc_out")
        v.append(");")
        v.append(fs.text)
        // The accumulate stage's valid/first flags and the sum it adds.
        var (v2, first2, sum2) = ("s2_v", "s2_first", "s2_sum")
        if treeStage {
            v.append("    // Wrap-around accumulator: the chunk's products registered, then summed as a tree (exact modulo 2^\(aw)).")
            v.append("    reg [\(c * aw - 1):0] s2_p;")
            v.append("    reg [\(aw - 1):0] s3_sum;")
            v.append("    reg s3_v, s3_first;")
            v.append("    always @(posedge clk) begin")
            for k in 0..<c {
                v.append("        s2_p[\(k * aw) +: \(aw)] <= \(valid(k)) ? \(product(k)) : \(aw)'d0;")
            }
            v.append("        s3_sum <= \(RTLText.balancedSum((0..<c).map { "s2_p[\($0 * aw) +: \(aw)]" }, bits: aw));")
            v.append("        s3_v <= s2_v;")
            v.append("        s3_first <= s2_first;")
            v.append("    end")
            (v2, first2, sum2) = ("s3_v", "s3_first", "s3_sum")
        } else if tree {
            v.append("    // Wrap-around accumulator: the chunk's products summed as a tree (exact modulo 2^\(aw)).")
            v.append("    reg [\(aw - 1):0] s2_sum;")
            let terms = allZero ? [] : (0..<c).map { k in
                "(\(valid(k)) ? \(product(k)) : \(aw)'d0)"
            }
            v.append("    always @(posedge clk) s2_sum <= \(RTLText.balancedSum(terms, bits: aw));")
        } else {
            v.append("    // Saturating accumulator: products registered, summed in input order in the accumulate stage.")
            v.append("    reg [\(c * aw - 1):0] s2_p;")
            v.append("    reg [\(c - 1):0] s2_mask;")
            v.append("    always @(posedge clk) begin")
            v.append("        s2_mask <= {\((0..<c).reversed().map(valid).joined(separator: ", "))};")
            for k in 0..<c {
                v.append("        s2_p[\(k * aw) +: \(aw)] <= \(allZero ? "\(aw)'d0" : product(k));")
            }
            v.append("    end")
        }
        v.append("    reg [\(aw - 1):0] acc;")
        v.append("    reg [\(aw - 1):0] nxt;")
        v.append("    integer k;")
        v.append("    always @* begin")
        v.append("        nxt = \(first2) ? \(a.bias)(bias) : acc;")
        if tree {
            v.append("        nxt = \(a.add)(nxt, \(sum2));")
        } else {
            v.append("        for (k = 0; k < \(c); k = k + 1)")
            v.append("            if (s2_mask[k]) nxt = \(a.add)(nxt, s2_p[k * \(aw) +: \(aw)]);")
        }
        v.append("    end")
        // The delay line after the accumulate: d[0] holds the sums one cycle after the accumulate stage.
        let delay = latency - (treeStage ? 4 : 3)
        v.append("    reg [\(aw - 1):0] d [0:\(delay)];")
        v.append("    integer q;")
        v.append("    always @(posedge clk) begin")
        v.append("        if (\(v2)) acc <= nxt;")
        v.append("        d[0] <= nxt;")
        v.append("        for (q = 1; q <= \(delay); q = q + 1) d[q] <= d[q - 1];")
        v.append("    end")
        v.append("    assign acc_out = d[\(delay)];")
        v.append("endmodule")
        return v.joined(separator: "\n") + "\n"
    }
}
