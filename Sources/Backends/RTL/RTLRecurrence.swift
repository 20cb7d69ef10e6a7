// A GRU recurrence process: the schedule's [init][step × (cell, write)][write] as a step machine, the cell's
// events at the offsets of its nodes, the state written in the step's write block (or once, after the loop).
import LFADSIR

extension RTLProcessEmitter {
    mutating func recurrence(_ p: ScheduleProcess, _ g: GRUStage) throws -> String {
        guard p.body.count >= 2, case .block(_, let initDepth) = p.body[0], initDepth == 1,
              case .loop(_, let steps, let inner) = p.body[1], steps == p.steps, inner.count >= 3,
              case .block(_, 1)? = inner.last else {
            throw HardwareError.unsupported("RTL: \(p.name) is not an init block and a step loop ending in a write")
        }
        let h = g.hidden
        let sw = g.state.width
        var fs = RTLFunctions()
        var body = [String]()
        var reads = [String: Int]()
        let axName = p.inputs[0]
        let ax = try channel(axName)
        reads[axName] = 1
        let stepBody = inner.reduce(0) { $0 + $1.latency }
        let machine = RTLStepMachine(prefix: 1, steps: steps, body: stepBody, suffix: g.returnSequences ? 0 : 1,
                                     ready: try readyExpression(p), avail: try availExpression(p, seq: "s"))
        body += machine.declarations
        let kb = machine.kb
        func address(_ c: RTLChannel, _ seq: String) -> String {
            c.kind == .stream || !g.reverse ? seq : "(\(steps - 1) - \(seq))"
        }
        body.append("    reg [\(h * sw - 1):0] hs;")
        body.append("    reg [\(ax.wordBits - 1):0] axw;")
        body.append("    assign \(axName)_raddr0 = \(address(ax, "s"));")
        let h0 = try initialState(p, g, address: "0", &fs, &body, &reads)
        let events = try cell(&body, &fs, prefix: p.name, g, nodes: Array(inner.dropLast()), at: 0, ax: "axw", hs: "hs", kb: kb)
        let writeAt = events.end
        guard writeAt + 1 == stepBody else { throw HardwareError.unsupported("RTL: \(p.name): the write block is not the step's last") }
        let result = (0..<h).map { j in "\(events.result)(hs[\(j * sw) +: \(sw)])" }
        body += machine.always([
            "if (pre && kq == 0) hs <= {\(h0.reversed().joined(separator: ", "))};",
            "if (run && kk == \(kb)'d0) axw <= \(axName)_rdata0;",
            "if (run && kk == \(kb)'d\(events.updateAt)) hs <= \(events.next);",
        ])
        let yName = p.outputs[0]
        let y = try channel(yName)
        body.append("    assign \(yName)_we = \(g.returnSequences ? "run && kk == \(kb)'d\(writeAt)" : "st == FIN");")
        body.append("    assign \(yName)_waddr = \(g.returnSequences ? address(y, "s") : "0");")
        body.append("    assign \(yName)_wdata = {\(result.reversed().joined(separator: ", "))};")
        return try moduleText(p, reads: reads, fs, body)
    }

    /// The initial state's lanes as state codes: constants (zeros or learned), or word `address` of the
    /// initial-state channel cast to the state type (the state register then chooses: a LUT per bit).
    mutating func initialState(_ p: ScheduleProcess, _ g: GRUStage, address: String, _ fs: inout RTLFunctions,
                               _ body: inout [String], _ reads: inout [String: Int]) throws -> [String] {
        let (h, sw) = (g.hidden, g.state.width)
        switch g.initial {
        case .zeros: return (0..<h).map { _ in "\(sw)'d0" }
        case .learned(let v):
            guard v.count == h else { throw HardwareError.unsupported("RTL: \(p.name): \(v.count) initial-state values for \(h) units") }
            return v.map { RTLText.literal($0, bits: sw) }
        case .operand(let o):
            guard p.inputs.count > 1 else { throw HardwareError.unsupported("RTL: \(p.name) has no initial-state channel") }
            let n = p.inputs[1]
            reads[n] = 1
            body.append("    assign \(n)_raddr0 = \(address);")
            let t = plan.tensors[o].type
            processCells[p.name, default: RTLCells()].lut += h * sw
            return try (0..<h).map { j in try Self.cast(&fs, "\(n)_rdata0[\(j * t.width) +: \(t.width)]", from: t, to: g.state) }
        }
    }
}
