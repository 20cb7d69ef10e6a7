// One GRU cell inside a step-timed process (a recurrence or the decoder loop): its recurrent products, gates,
// reset and update as events at the offsets of the schedule's cell nodes, relative to the step counter `kk`
// (valid while `run`). The caller owns the state register and assigns the new state at the returned cycle.
import LFADSIR

struct RTLCellEvents {
    /// kk at which the new state is on `next` (a wire) — the caller loads it into the state register then.
    var updateAt: Int
    /// The new state, valid in cycle updateAt.
    var next: String
    /// kk just after the cell's last node.
    var end: Int
    /// The function casting a state code to the layer's result type (what the process writes).
    var result: String
}

extension RTLProcessEmitter {
    /// A pipelined product at offset `at`: issue every II cycles for `trips` iterations.
    func issue(at: Int, trips: Int, ii: Int, kb: Int, run: String = "run", kk: String = "kk") -> (issue: String, r: String) {
        let end = at + trips * ii
        let inRange = "\(run) && \(kk) >= \(kb)'d\(at) && \(kk) < \(kb)'d\(end)"
        if ii == 1 { return ("(\(inRange))", "(\(kk) - \(kb)'d\(at))") }
        return ("(\(inRange) && ((\(kk) - \(kb)'d\(at)) % \(ii)) == 0)", "((\(kk) - \(kb)'d\(at)) / \(ii))")
    }

    /// The cell's events. `nodes` are the cell's schedule nodes (products, gates[, product, update]); `ax` holds the
    /// step's input projection (z r h accumulators), `hs` the state; `kb` is the width of kk.
    mutating func cell(_ body: inout [String], _ fs: inout RTLFunctions, prefix: String, _ g: GRUStage, nodes: [ScheduleNode],
                       at start: Int, ax: String, hs: String, kb: Int) throws -> RTLCellEvents {
        let h = g.hidden
        let (aw, sw, gw) = (g.accum.width, g.state.width, g.gate.output.width)
        // The process keeps only the result cast; the per-unit arithmetic lives in the cell lanes.
        let result = prefix + "_result"
        fs.add(try VerilogGRU.functions(prefix: prefix, gru: g).filter { $0.name == result })
        func lane(_ v: String, _ j: Int, _ w: Int) -> String { "\(v)[\(j * w) +: \(w)]" }
        var offset = start
        var products = [(at: Int, trips: Int, ii: Int, depth: Int)]()
        var blocks = [(at: Int, depth: Int)]()
        for n in nodes {
            switch n {
            case .pipeline(_, let trips, let ii, let depth): products.append((offset, trips, ii, depth))
            case .block(_, let d): blocks.append((offset, d))
            case .loop: throw HardwareError.unsupported("RTL: \(prefix): a loop inside a cell")
            }
            offset += n.latency
        }
        func ready(_ q: (at: Int, trips: Int, ii: Int, depth: Int)) -> Int { q.at + (q.trips - 1) * q.ii + q.depth }
        var next = [String]()
        let updateBlock: (at: Int, depth: Int)
        /// Register stages inside the lane that computes the new state: its result is valid that many cycles after
        /// the update block starts (the lane samples its inputs then).
        var updateStages = 0
        let cw = g.candidate.output.width
        if g.resetAfter {
            guard let m = g.recurrentZR.stacked(g.recurrentH), products.count == 1, blocks.count == 1 else {
                throw HardwareError.unsupported("RTL: \(prefix): a reset-after cell needs one merged recurrent product and one gates block")
            }
            let q = products[0]
            let (iss, r) = issue(at: q.at, trips: q.trips, ii: q.ii, kb: kb)
            let acc = try unit(&body, name: prefix + "_zrh", m, input: g.state, accum: g.accum, countBits: nil,
                               latency: q.depth, issue: iss, r: r, x: hs)
            guard ready(q) == blocks[0].at else { throw HardwareError.unsupported("RTL: \(prefix): gates do not follow the product") }
            updateBlock = blocks[0]
            // Gates, reset product, candidate, blend: one register stage each, as many as the block leaves room for.
            updateStages = min(4, max(0, blocks[0].depth - 2))
            let cm = try resetAfterCellLane(prefix + "_cell", g, registers: updateStages)
            body.append("    wire [\(h * sw - 1):0] \(prefix)_next_w;")
            for j in 0..<h {
                body.append("    \(cm) \(prefix)_cl\(j) (\(updateStages > 0 ? ".clk(clk), " : "").axz(\(lane(ax, j, aw))), .axr(\(lane(ax, h + j, aw))), .axh(\(lane(ax, 2 * h + j, aw))), "
                    + ".accz(\(lane(acc, j, aw))), .accr(\(lane(acc, h + j, aw))), .acch(\(lane(acc, 2 * h + j, aw))), "
                    + ".h(\(lane(hs, j, sw))), .next(\(lane(prefix + "_next_w", j, sw))));")
            }
            next = (0..<h).map { j in lane(prefix + "_next_w", j, sw) }
        } else {
            guard products.count == 2, blocks.count == 2 else { throw HardwareError.unsupported("RTL: \(prefix): reset-before cell shape") }
            let (qzr, qh) = (products[0], products[1])
            let (i1, r1) = issue(at: qzr.at, trips: qzr.trips, ii: qzr.ii, kb: kb)
            let accZR = try unit(&body, name: prefix + "_zr", g.recurrentZR, input: g.state, accum: g.accum, countBits: nil,
                                 latency: qzr.depth, issue: i1, r: r1, x: hs)
            let gatesAt = ready(qzr)
            guard gatesAt == blocks[0].at, blocks[0].depth >= 1, qh.at == blocks[0].at + blocks[0].depth else {
                throw HardwareError.unsupported("RTL: \(prefix): reset-before cell order")
            }
            // Gates, then r ⊙ h: the results are loaded the cycle before the candidate's product issues.
            let gateStages = min(2, blocks[0].depth - 1)
            let gm = try cellLane(prefix + "_gates", g, role: .gates, lanes: h, registers: gateStages,
                                  inputs: [("axz", aw), ("axr", aw), ("accz", aw), ("accr", aw), ("h", sw)],
                                  outputs: [("z", gw), ("rh", sw)]) { a in
                [[("zg", gw, "\(a.gate)({axz}, {accz})"), ("r", gw, "\(a.gate)({axr}, {accr})")],
                 [("z", gw, "{zg}"), ("rh", sw, "\(a.resetState ?? "")({r}, {h})")]]
            }
            body.append("    wire [\(h * gw - 1):0] \(prefix)_z_w;")
            body.append("    wire [\(h * sw - 1):0] \(prefix)_rh_w;")
            for j in 0..<h {
                body.append("    \(gm) \(prefix)_gl\(j) (\(gateStages > 0 ? ".clk(clk), " : "").axz(\(lane(ax, j, aw))), .axr(\(lane(ax, h + j, aw))), .accz(\(lane(accZR, j, aw))), "
                    + ".accr(\(lane(accZR, h + j, aw))), .h(\(lane(hs, j, sw))), .z(\(lane(prefix + "_z_w", j, gw))), .rh(\(lane(prefix + "_rh_w", j, sw))));")
            }
            body.append("    reg [\(h * gw - 1):0] \(prefix)_z;")
            body.append("    reg [\(h * sw - 1):0] \(prefix)_rh;")
            body.append("    always @(posedge clk) if (run && kk == \(kb)'d\(gatesAt + gateStages)) begin")
            body.append("        \(prefix)_z <= \(prefix)_z_w;")
            body.append("        \(prefix)_rh <= \(prefix)_rh_w;")
            body.append("    end")
            let (i2, r2) = issue(at: qh.at, trips: qh.trips, ii: qh.ii, kb: kb)
            let accH = try unit(&body, name: prefix + "_hh", g.recurrentH, input: g.state, accum: g.accum, countBits: nil,
                                latency: qh.depth, issue: i2, r: r2, x: prefix + "_rh")
            guard ready(qh) == blocks[1].at else { throw HardwareError.unsupported("RTL: \(prefix): update does not follow the product") }
            updateBlock = blocks[1]
            updateStages = min(2, max(0, blocks[1].depth - 2))
            let um = try cellLane(prefix + "_update", g, role: .update, lanes: h, registers: updateStages,
                                  inputs: [("axh", aw), ("acch", aw), ("z", gw), ("h", sw)], outputs: [("next", sw)]) { a in
                [[("c", cw, "\(a.candidate)({axh}, {acch})")], [("next", sw, "\(a.blend)({c}, {z}, {h})")]]
            }
            body.append("    wire [\(h * sw - 1):0] \(prefix)_next_w;")
            for j in 0..<h {
                body.append("    \(um) \(prefix)_ul\(j) (\(updateStages > 0 ? ".clk(clk), " : "").axh(\(lane(ax, 2 * h + j, aw))), .acch(\(lane(accH, j, aw))), "
                    + ".z(\(lane(prefix + "_z", j, gw))), .h(\(lane(hs, j, sw))), .next(\(lane(prefix + "_next_w", j, sw))));")
            }
            next = (0..<h).map { j in lane(prefix + "_next_w", j, sw) }
        }
        guard updateBlock.depth >= 1 else { throw HardwareError.unsupported("RTL: \(prefix): an update block of depth 0") }
        // The new state is computed when the update block starts and held until its last cycle.
        body.append("    wire [\(h * sw - 1):0] \(prefix)_next_c = {\(next.reversed().joined(separator: ", "))};")
        var value = prefix + "_next_c"
        if updateBlock.depth > 1 {
            body.append("    reg [\(h * sw - 1):0] \(prefix)_next;")
            body.append("    always @(posedge clk) if (run && kk == \(kb)'d\(updateBlock.at + updateStages)) \(prefix)_next <= \(prefix)_next_c;")
            value = prefix + "_next"
        }
        return RTLCellEvents(updateAt: updateBlock.at + updateBlock.depth - 1, next: value, end: offset, result: result)
    }

    /// A reset-after cell's lane (ports axz axr axh, accz accr acch, h → next): gates, reset product, candidate,
    /// blend, a register stage before each of the first `registers` of them.
    mutating func resetAfterCellLane(_ name: String, _ g: GRUStage, registers: Int) throws -> String {
        let (aw, sw, gw, cw) = (g.accum.width, g.state.width, g.gate.output.width, g.candidate.output.width)
        return try cellLane(name, g, role: .cell, lanes: g.hidden, registers: registers,
                            inputs: [("axz", aw), ("axr", aw), ("axh", aw), ("accz", aw), ("accr", aw), ("acch", aw), ("h", sw)],
                            outputs: [("next", sw)]) { a in
            [[("z", gw, "\(a.gate)({axz}, {accz})"), ("r", gw, "\(a.gate)({axr}, {accr})")],
             [("rh", aw, "\(a.resetProduct ?? "")({r}, {acch})")],
             [("c", cw, "\(a.candidate)({axh}, {rh})")],
             [("next", sw, "\(a.blend)({c}, {z}, {h})")]]
        }
    }

    /// One unit's per-lane logic as a module of its own (one configuration for all `lanes` units of the cell, so
    /// synthesis sees it once), written as stages: each stage's values are computed from the previous stage's, with
    /// a register boundary before each of the first `registers` stages (the inputs, then each stage's results), so
    /// the outputs are valid `registers` cycles after the inputs. Expressions name values as `{name}`: a port or an
    /// earlier stage's value. Returns the module name.
    mutating func cellLane(_ name: String, _ g: GRUStage, role: RTLCellRole, lanes: Int, registers: Int,
                           inputs: [(String, Int)], outputs: [(String, Int)],
                           stages: (RTLGRUArith) -> [[(name: String, width: Int, expr: String)]]) throws -> String {
        var fs = RTLFunctions()
        let a = try RTLArith.gru(&fs, prefix: name, g)
        let program = stages(a)
        let boundaries = min(registers, program.count)
        var ports = inputs.map { "input wire [\($0.1 - 1):0] \($0.0)" } + outputs.map { "output wire [\($0.1 - 1):0] \($0.0)" }
        if boundaries > 0 { ports.insert("input wire clk", at: 0) }
        let outputNames = Set(outputs.map(\.0))
        var current = Dictionary(inputs.map { ($0.0, $0.0) }, uniquingKeysWith: { a, _ in a })
        var width = Dictionary(inputs.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
        func references(_ expr: String) -> [String] {
            expr.split(separator: "{", omittingEmptySubsequences: false).dropFirst().compactMap { $0.split(separator: "}").first.map(String.init) }
        }
        func resolve(_ expr: String) -> String {
            var e = expr
            for r in references(expr) { e = e.replacingOccurrences(of: "{\(r)}", with: current[r] ?? r) }
            return e
        }
        var lines = [String]()
        for (i, stage) in program.enumerated() {
            if i < boundaries {
                // Everything this stage or a later one reads is registered here.
                var live = [String]()
                for later in program[i...] { for d in later { for r in references(d.expr) where current[r] != nil && !live.contains(r) { live.append(r) } } }
                for v in live {
                    let reg = "\(v)_s\(i)"
                    lines.append("    reg [\((width[v] ?? 1) - 1):0] \(reg);")
                    lines.append("    always @(posedge clk) \(reg) <= \(current[v] ?? v);")
                    current[v] = reg
                }
            }
            var defined = [(String, String)]()
            for d in stage {
                let e = resolve(d.expr)
                if outputNames.contains(d.name) {
                    lines.append("    assign \(d.name) = \(e);")
                    defined.append((d.name, d.name))
                } else {
                    lines.append("    wire [\(d.width - 1):0] \(d.name)_w\(i) = \(e);")
                    defined.append((d.name, "\(d.name)_w\(i)"))
                }
                width[d.name] = d.width
            }
            for (n, sym) in defined { current[n] = sym }
        }
        let text = "module \(name) (\n    \(ports.joined(separator: ",\n    "))\n);\n/* verilator lint_off UNUSEDSIGNAL */\n" + fs.text
            + "\n/* verilator lint_on UNUSEDSIGNAL */\n" + lines.joined(separator: "\n") + "\nendmodule\n"
        self.lanes.append(text)
        stubs.append(RTLText.blackBox(text))
        cellUnits.append((name, lanes, RTLCostModel.cellLane(g, role: role, registers: boundaries) + RTLCostModel.stageRegisterCells(text)))
        return name
    }
}
