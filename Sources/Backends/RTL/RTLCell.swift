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
        let a = try RTLArith.gru(&fs, prefix: prefix, g)
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
            next = (0..<h).map { j in
                let z = "\(a.gate)(\(lane(ax, j, aw)), \(lane(acc, j, aw)))"
                let rr = "\(a.gate)(\(lane(ax, h + j, aw)), \(lane(acc, h + j, aw)))"
                let ahh = "\(a.resetProduct ?? "")(\(rr), \(lane(acc, 2 * h + j, aw)))"
                return "\(a.update)(\(lane(ax, 2 * h + j, aw)), \(ahh), \(z), \(lane(hs, j, sw)))"
            }
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
            body.append("    reg [\(h * gw - 1):0] \(prefix)_z;")
            body.append("    reg [\(h * sw - 1):0] \(prefix)_rh;")
            body.append("    always @(posedge clk) if (run && kk == \(kb)'d\(gatesAt)) begin")
            for j in 0..<h {
                body.append("        \(prefix)_z[\(j * gw) +: \(gw)] <= \(a.gate)(\(lane(ax, j, aw)), \(lane(accZR, j, aw)));")
                let rr = "\(a.gate)(\(lane(ax, h + j, aw)), \(lane(accZR, h + j, aw)))"
                body.append("        \(prefix)_rh[\(j * sw) +: \(sw)] <= \(a.resetState ?? "")(\(rr), \(lane(hs, j, sw)));")
            }
            body.append("    end")
            let (i2, r2) = issue(at: qh.at, trips: qh.trips, ii: qh.ii, kb: kb)
            let accH = try unit(&body, name: prefix + "_hh", g.recurrentH, input: g.state, accum: g.accum, countBits: nil,
                                latency: qh.depth, issue: i2, r: r2, x: prefix + "_rh")
            guard ready(qh) == blocks[1].at else { throw HardwareError.unsupported("RTL: \(prefix): update does not follow the product") }
            updateBlock = blocks[1]
            next = (0..<h).map { j in
                "\(a.update)(\(lane(ax, 2 * h + j, aw)), \(lane(accH, j, aw)), \(lane(prefix + "_z", j, gw)), \(lane(hs, j, sw)))"
            }
        }
        guard updateBlock.depth >= 1 else { throw HardwareError.unsupported("RTL: \(prefix): an update block of depth 0") }
        // The new state is computed when the update block starts and held until its last cycle.
        body.append("    wire [\(h * sw - 1):0] \(prefix)_next_c = {\(next.reversed().joined(separator: ", "))};")
        var value = prefix + "_next_c"
        if updateBlock.depth > 1 {
            body.append("    reg [\(h * sw - 1):0] \(prefix)_next;")
            body.append("    always @(posedge clk) if (run && kk == \(kb)'d\(updateBlock.at)) \(prefix)_next <= \(prefix)_next_c;")
            value = prefix + "_next"
        }
        return RTLCellEvents(updateAt: updateBlock.at + updateBlock.depth - 1, next: value, end: offset, result: a.result)
    }
}
