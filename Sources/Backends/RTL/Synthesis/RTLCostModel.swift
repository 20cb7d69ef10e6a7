// The RTL backend's resource model: the cells `make synth` (Yosys synth_xilinx -family xcup, docs/rtl-synthesis.md)
// will report for each unit of the emitted design, predicted from what the generator writes, without Yosys.
// - Flip-flops are the registers the Verilog declares (read from each module's text), less what synthesis
//   provably removes or maps elsewhere: ROM output bits that are constant or duplicate (read from the ROM image),
//   a block ROM's output register (inside the RAMB18), delay lines of three or more stages (SRL LUTs).
// - DSP48E2: one per product whose operands are both wider than the fabric rule and fit one DSP48E2 (the binding
//   the schedule prices); spike-count products are shift-and-add in fabric, except those RTLBinding moves onto
//   DSP48E2s when LUTs are the scarcer resource.
// - LUTs: per operator, one LUT per adder bit, a LUT6 tree per multiplexer, one LUT per distinct ROM column
//   (a function of the chunk counter), distributed RAM by the RAM32M16/RAM64M8 primitives Yosys maps memories
//   to, tables as logic cones or (where a register follows them) block ROMs, and constants fitted on Yosys runs of
//   the published template, lorenz_nocon, lorenz_con and the CI design (below; docs/rtl-synthesis.md says in what order).
// The register reading is in RTLModuleRegisters.swift.
import Foundation
import LFADSIR

enum RTLCostModel {
    /// A spike-count row summed as a tree costs these LUTs per partial-product bit of each product in fabric
    /// (count bits × product bits, its share of the tree included), one adder (accumulator bits) per product on a
    /// DSP48E2, and these per accumulator bit (bias, accumulate, the tree's last levels). Least squares over six
    /// Yosys runs of 8-bit × 16-bit rows with 24-bit accumulators (fabric/DSP products: LUTs): the template's 5/0
    /// (1,353), 4/1 (1,114), 3/2 (878) and 5/2 (1,411), lorenz_nocon's 20/0 (4,780), lorenz_con's 40/0 (9,475);
    /// every one within 4 % (232.4 per product, 23.5 per DSP product, 166.5 per row).
    static let countProductLUTsPerBit = 1.21
    static let countLaneLUTsPerAccumBit = 7
    /// LUTs per output bit of a function table built as logic (per entry of 64, i.e. per LUT6 of the cone).
    static let tableLUTsPerBit64 = 1.15
    /// LUTs of a process's control (state machine, counters, compares) besides its result casts.
    static let processControlLUTs = 90
    /// LUTs per adder of a row's tree beyond its accumulator bits when the products come from DSP48E2s, for a deep
    /// tree (none for two products, growing to this with the depth: 12 · (c − 2) / c); Yosys on DSP lanes of 2 to
    /// 32 products in the template, lorenz_nocon and the CI design.
    static let dspTreeExtraLUTs = 12

    /// LUT6s of an n:1 multiplexer (4 data inputs and 2 selects per LUT6, as a tree).
    static func muxLUTs(_ n: Int) -> Int {
        var luts = 0, ways = n
        while ways > 1 {
            let level = (ways + 3) / 4
            luts += level
            ways = level
        }
        return luts
    }

    /// RAMB18s of a `depth` × `width` block ROM (the narrowest aspect ratio that holds the depth).
    static func bram18(depth: Int, width: Int) -> Int {
        for (d, w) in [(512, 36), (1024, 18), (2048, 9), (4096, 4), (8192, 2), (16384, 1)] where depth <= d {
            return (width + w - 1) / w
        }
        return (depth + 16383) / 16384 * width
    }

    // MARK: matrix units

    /// The unit's top: the ROM (logic up to 32 words, else block RAM), the held inputs and the chunk multiplexer.
    static func unitTop(_ u: RTLMatVecUnit) -> RTLCells {
        let (n, c, r) = (u.matrix.columns, u.chunk, u.matrix.reuse)
        let xw = u.input.width
        var cells = RTLCells()
        // s1_x (the chunk), s1_r, the valid/first flags, and the held inputs of chunks 1 ... R − 1 (chunk 0 is
        // taken from x directly, so its held copy is never read and synthesis removes it).
        cells.ff = c * xw + u.rBits + 4 + (r > 1 ? (n - c) * xw : 0)
        if r > DelayModel.lutRomMaxDepth {
            cells.bram18 = bram18(depth: r, width: u.laneBits)
        } else if r > 1 {
            // Each distinct column of the ROM that is not constant (nor the counter's own bit) is one registered
            // function of the chunk counter; a single word is all constants.
            let columns = distinctROMColumns(u)
            cells.ff += columns
            cells.lut += columns * max(1, 1 << max(0, u.rBits - 6))
        }
        // The chunk's inputs: an r-way multiplexer per chunk bit, and the held/direct choice of the later chunks.
        if r > 1 { cells.lut += c * xw * muxLUTs(r) + (n - c) * xw }
        return cells
    }

    /// Columns of the ROM image (bit j of every word) that are neither constant nor a copy of another.
    static func distinctROMColumns(_ u: RTLMatVecUnit) -> Int {
        let m = u.matrix, c = u.chunk, w = m.weightType.width
        guard m.reuse <= 64, m.weights.count == m.rows * m.columns else { return u.laneBits }
        let full: UInt64 = m.reuse == 64 ? .max : (UInt64(1) << UInt64(m.reuse)) - 1
        // A column equal to a bit of the counter (or its complement) is that register's copy.
        var counterBits = Set<UInt64>()
        for b in 0..<u.rBits {
            var col: UInt64 = 0
            for r in 0..<m.reuse where (r >> b) & 1 == 1 { col |= UInt64(1) << UInt64(r) }
            counterBits.insert(col)
            counterBits.insert(~col & full)
        }
        var seen = Set<UInt64>()
        for o in 0..<m.rows {
            for k in 0..<c {
                var columns = [UInt64](repeating: 0, count: w)
                for r in 0..<m.reuse {
                    let i = r * c + k
                    guard i < m.columns else { continue }
                    let v = UInt64(bitPattern: m.weights[o * m.columns + i])
                    for b in 0..<w where b >= 64 ? m.weights[o * m.columns + i] < 0 : (v >> UInt64(b)) & 1 == 1 {
                        columns[b] |= UInt64(1) << UInt64(r)
                    }
                }
                for col in columns where col != 0 && col != full && !counterBits.contains(col) { seen.insert(col) }
            }
        }
        return seen.count
    }

    /// One output row: the chunk's products, their sum, the accumulate and the delay line.
    static func rowLane(_ u: RTLMatVecUnit) -> RTLCells {
        let c = u.chunk, aw = u.accum.width
        var cells = RTLCells()
        // A spike-count row summed as a tree: Yosys builds its shift-and-add products, tree and accumulate as
        // one adder network, priced as a whole (countProductLUTsPerBit, countLaneLUTsPerAccumBit).
        let countTree = u.countBits != nil && !u.allZero && u.accum.addsAssociatively
        if !u.allZero {
            if let k = u.countBits {
                // Shift-and-add in fabric, except the products the binding put on DSP48E2s (one each).
                let p = Verilog.signedWidth(u.matrix.weightType) + k
                let fabric = c - u.dspCountProducts
                cells.lut += Int((countProductLUTsPerBit * Double(fabric * k * p)).rounded())
                // A bound product's DSP48E2 still feeds the tree: one accumulator-wide adder each.
                if countTree { cells.lut += countLaneLUTsPerAccumBit * aw + u.dspCountProducts * aw }
                cells.dsp += u.dspCountProducts
            } else if let d = u.expectedLaneDSP {
                cells.dsp += d
            } else {
                // A narrow product Yosys builds in fabric: about one LUT per partial-product bit.
                let x = u.input.width, w = u.matrix.weightType.width
                cells.lut += c * x * w
            }
        }
        if u.accum.addsAssociatively {
            // The tree, registered in a stage of its own (s2_p, s3_sum, s3_v, s3_first) or into s2_sum.
            cells.ff += u.treeStage ? c * aw + aw + 2 : aw
            let dspProducts = u.countBits == nil && u.expectedLaneDSP != nil && !u.allZero
            let extra = dspProducts && c > 2 ? dspTreeExtraLUTs * (c - 2) / c : 0
            if !countTree { cells.lut += max(0, c - 1) * (aw + extra) }
        } else {
            cells.ff += c * aw + c            // s2_p, s2_mask
            cells.lut += c * 3 * aw           // c saturating adds in input order (add, compare, clamp)
        }
        cells.ff += aw                        // acc
        if !countTree { cells.lut += aw }     // bias or running sum, plus the chunk's sum
        // The delay line d[0 ... latency − 3] (− 4 after a tree stage): Yosys maps a chain of three or more
        // registers to SRL LUTs.
        let stages = u.latency - (u.treeStage ? 3 : 2)
        if stages >= 3 { cells.srl += aw * ((stages + 31) / 32) } else { cells.ff += stages * aw }
        return cells
    }
}

// MARK: processes, cell lanes and the top

extension RTLCostModel {
    /// A function whose result is registered (a glue process's lanes): a table of 512 entries or more becomes a
    /// block ROM (one RAMB18 per lane while it fits 18 Kb), anything smaller logic.
    static func registeredFunction(_ f: ElementFunction, inputBits: Int) -> RTLCells {
        if case .table(let size) = FunctionShape(f).kind, size >= 512 {
            return RTLCells(bram18: bram18(depth: size, width: f.output.width))
        }
        return function(f, inputBits: inputBits)
    }

    /// A process: its registers, its control, and the result casts of what it writes.
    static func process(_ module: String) -> RTLCells {
        let regs = registers(module)
        let lines = module.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        // An array written at a computed index (an interleaved recurrence's per-trial projections and states) is a
        // memory, not a delay line: with one write site Yosys makes it distributed RAM (one copy per read, as the
        // top's channel memories: the projections, 2,640 LUT-RAM LUTs per process on the C = 3 template); with more
        // (the states, loaded at init and by the cell) flip-flops, every word, read through a multiplexer per read.
        let random = Set(regs.filter { r in r.isArray && lines.contains { isComputedWrite($0, r.name) } }.map(\.name))
        var cells = registerCells(regs.filter { !random.contains($0.name) })
        for r in regs where random.contains(r.name) {
            let writes = lines.filter { isComputedWrite($0, r.name) }.count
            let reads = max(1, lines.reduce(0) { n, l in
                n + max(0, l.components(separatedBy: "\(r.name)[").count - 1) - (isComputedWrite(l, r.name) ? 1 : 0)
            })
            if writes == 1, r.words <= 64 {
                let perCell = r.words <= 32 ? 14 : 7
                cells.lutramLUTs += reads * ((r.bits + perCell - 1) / perCell) * 8
            } else {
                cells.ff += r.words * r.bits
                cells.lut += reads * r.bits * muxLUTs(r.words)
            }
        }
        cells.lut += processControlLUTs
        return cells
    }

    /// `name[index] <= value` with an index that is neither a constant nor a delay line's shift (`name[q] <= name[q - 1]`).
    static func isComputedWrite(_ line: String, _ name: String) -> Bool {
        guard let at = line.range(of: "\(name)["), at.lowerBound == line.startIndex || !(line[line.index(before: at.lowerBound)].isLetter
                || line[line.index(before: at.lowerBound)].isNumber || line[line.index(before: at.lowerBound)] == "_"),
              let assign = line.range(of: "] <= ", range: at.upperBound..<line.endIndex) else { return false }
        let index = line[at.upperBound..<assign.lowerBound]
        if Int(index) != nil { return false }
        return !line[assign.upperBound...].hasPrefix("\(name)[\(index) - 1]")
    }

    /// The design's top: channel memories as distributed RAM (one copy per read port; RAM64M8 holds 64 words of 7
    /// bits, RAM32M16 32 words of 14, 8 LUTs each; deeper memories stack 64-word slices behind a multiplexer),
    /// the trial counters and the smallest-count chain.
    static func top(_ module: String) -> RTLCells {
        let regs = registers(module)
        var cells = registerCells(regs.filter { !$0.isArray })
        let lines = module.split(separator: "\n")
        for m in regs where m.isArray {
            let reads = max(1, lines.filter { $0.contains("= \(m.name)[") }.count)
            let (perCell, depth) = m.words <= 32 ? (14, 32) : (7, 64)
            let slices = (m.words + depth - 1) / depth
            cells.lutramLUTs += reads * slices * ((m.bits + perCell - 1) / perCell) * 8
            if slices > 1 { cells.lut += reads * m.bits * muxLUTs(slices) }
        }
        // Counters (one LUT per bit of each adder) and the minimum over the processes' trial counts.
        cells.lut += regs.filter { !$0.isArray }.reduce(0) { $0 + $1.bits }
        cells.lut += 2 * 16 * lines.filter { $0.contains(" < ") && $0.contains("wire [15:0] min") }.count
        return cells
    }
}

// MARK: GRU cell lanes

/// Which part of a GRU cell a lane module computes (RTLCell: one lane for reset-after cells, two for reset-before).
enum RTLCellRole: Hashable, Sendable {
    /// Gates, reset, candidate and update (reset after).
    case cell
    /// z, r and r ⊙ h (reset before).
    case gates
    /// Candidate and update (reset before).
    case update
}

extension RTLCostModel {
    /// DSP48E2s of an a × b product (operand widths with their signs), or nil when it is built in fabric.
    static func productDSPs(_ a: Int, _ b: Int) -> Int? {
        let (hi, lo) = (max(a, b), min(a, b))
        if lo <= DelayModel.fabricMaxBits + 1 { return nil }
        return ((hi + 26) / 27) * ((lo + 17) / 18)
    }

    /// One product: DSPs, or about one LUT per partial-product bit in fabric.
    static func product(_ a: Int, _ b: Int) -> RTLCells {
        if let d = productDSPs(a, b) { return RTLCells(dsp: d) }
        return RTLCells(lut: a * b)
    }

    /// An element function on a `inputBits` code: a table as logic (each output bit a cone over the index), a
    /// piecewise-linear function (compares and a clamp), or a linear cast.
    static func function(_ f: ElementFunction, inputBits: Int) -> RTLCells {
        let w = f.output.width
        switch FunctionShape(f).kind {
        case .linear: return RTLCells()  // a cast: wiring, or a few LUTs where it rounds or saturates
        case .hard: return RTLCells(lut: w + 4)
        case .table(let size):
            let cone = Int((tableLUTsPerBit64 * Double(max(64, size)) / 64).rounded(.up))
            return RTLCells(lut: w * cone + inputBits)
        }
    }

    /// One unit's cell logic besides its stage registers (RTLProcessEmitter.cellLane: `registers` boundaries). A
    /// gate or candidate whose result meets a stage register is a registered function: a large table becomes a
    /// block ROM (reset after: the gates at boundary 1 when there are 2 or more, the candidate at boundary 3 when
    /// there are 4; reset before: the first stage's functions at boundary 1).
    static func cellLane(_ g: GRUStage, role: RTLCellRole, registers: Int) -> RTLCells {
        let (aw, sw, gw) = (g.accum.width, g.state.width, g.gate.output.width)
        func activation(_ f: ElementFunction, registered: Bool) -> RTLCells {
            RTLCells(lut: aw) + (registered ? registeredFunction(f, inputBits: aw + 1) : function(f, inputBits: aw + 1))
        }
        let gatesRegistered = registers >= 2
        let gate = activation(g.gate, registered: gatesRegistered)          // ax + acc, then the gate
        let candidate = activation(g.candidate, registered: role == .cell ? registers >= 4 : registers >= 2)
        // (1 − z)·hc + z·h: the complement, two products, their sum and the cast to the state.
        let blend = RTLCells(lut: gw + 3 + 2 * (sw + gw) + sw) + product(sw, gw + 3) + product(sw, gw + 1)
        switch role {
        case .cell: return gate * 2 + product(gw + 1, aw) + RTLCells(lut: aw) + candidate + blend
        case .gates: return gate * 2 + product(gw + 1, sw) + RTLCells(lut: sw)
        case .update: return candidate + blend
        }
    }
}
