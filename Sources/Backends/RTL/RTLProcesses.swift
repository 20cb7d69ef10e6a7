// One Verilog module per dataflow process of the schedule, timed to the cycle as the schedule says:
// - a pipelined process issues one iteration every II cycles (chunk r of step s), the first chunk of a step only
//   once its FIFO inputs hold that step, and writes a step's word D − 1 cycles after issuing its last chunk, so
//   the word is readable D cycles after (DesignSchedule.simulate's rule);
// - a recurrence runs its init cycle when its ping-pong inputs are ready, then each step's blocks at the offsets
//   the schedule's loop tree gives, one idle cycle per step (the loop's exit test), the next step no earlier than
//   its projection word.
// `ndone` counts the trials the process has finished: it rises at the end of a trial (readable from the cycle its
// consumers may start that trial), and the process then starts the next trial as soon as its inputs hold it and
// its outputs' other buffer is free (ping-pong channels: trial k lives in bank k mod 2 of every channel).
import LFADSIR

struct RTLProcessEmitter {
    let plan: HardwarePlan
    let channels: [String: RTLChannel]
    /// Extra modules (matrix units, their row lanes) and ROM images the processes use.
    var modules = [String]()
    var lanes = [String]()
    var memories = [String: String]()
    /// Black-box declarations of the units (for the processes) and of their lanes (for the units' tops).
    var stubs = [String]()
    var laneStubs = [String]()
    var units = [RTLMatVecUnit]()
    /// Per-lane cell modules (in `lanes`, black boxes in `stubs`) and how many instances of each the design holds.
    var cellUnits = [(module: String, instances: Int, cost: RTLCells)]()
    /// Logic of a process the resource model cannot read from its registers (functions on its lanes), by process.
    var processCells = [String: RTLCells]()

    /// The schedule's depths at its clock.
    let delays: DelayModel
    /// Spike-count products per row on DSP48E2s in every count unit (RTLBinding's choice; capped per unit).
    var countDSP = 0

    init(plan: HardwarePlan, channels: [String: RTLChannel], delays: DelayModel) {
        self.plan = plan
        self.channels = channels
        self.delays = delays
    }

    func channel(_ n: String) throws -> RTLChannel {
        guard let c = channels[n] else { throw HardwareError.unsupported("RTL: unknown channel \(n)") }
        return c
    }

    /// Port declarations of a process: its inputs (with `reads[c]` read ports each) and outputs.
    func ports(_ p: ScheduleProcess, reads: [String: Int]) throws -> [String] {
        var v = ["input wire clk", "input wire rst"]
        for n in p.inputs {
            let c = try channel(n)
            if c.kind == .stream { v.append("input wire [31:0] \(n)_wtot") } else { v.append("input wire [15:0] \(n)_pdone") }
            for k in 0..<(reads[n] ?? 1) {
                v.append("output wire [\(c.addressBits):0] \(n)_raddr\(k)")
                v.append("input wire [\(c.wordBits - 1):0] \(n)_rdata\(k)")
            }
        }
        for n in p.outputs {
            let c = try channel(n)
            v += ["input wire [15:0] \(n)_cdone", "output wire \(n)_we", "output wire [\(c.addressBits):0] \(n)_waddr",
                  "output wire [\(c.wordBits - 1):0] \(n)_wdata"]
        }
        v.append("output reg [15:0] ndone")
        return v
    }

    /// Trial `ndone` may start: every ping-pong input's producer has finished it, and every output's consumer has
    /// finished trial ndone − 2 (the bank this trial writes is free).
    func readyExpression(_ p: ScheduleProcess) throws -> String {
        var terms = [String]()
        for n in p.inputs where try channel(n).kind != .stream { terms.append("(\(n)_pdone > ndone)") }
        for n in p.outputs { terms.append("({1'b0, \(n)_cdone} + 17'd2 > {1'b0, ndone})") }
        return terms.isEmpty ? "1'b1" : terms.joined(separator: " && ")
    }

    /// Every FIFO input holds word `seq` of trial ndone (FIFO words are counted over all trials).
    func availExpression(_ p: ScheduleProcess, seq: String) throws -> String {
        var terms = [String]()
        for n in p.inputs {
            let c = try channel(n)
            if c.kind == .stream { terms.append("(\(n)_wtot > \(RTLText.times("{16'd0, ndone}", c.words, bits: 32)) + \(seq))") }
        }
        return terms.isEmpty ? "1'b1" : terms.joined(separator: " && ")
    }

    /// The module text: ports, functions, body, with every channel address given as a step (or sequence number)
    /// turned into the word of this trial's bank: {ndone[0], step}.
    func moduleText(_ p: ScheduleProcess, reads: [String: Int], _ fs: RTLFunctions, _ body: [String]) throws -> String {
        var out = [String]()
        for line in body {
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix("assign "), let eq = t.range(of: " = "),
                  let name = t.dropFirst(7)[..<eq.lowerBound].split(separator: " ").first.map(String.init),
                  name.contains("_raddr") || name.hasSuffix("_waddr") else { out.append(line); continue }
            let channelName = name.hasSuffix("_waddr") ? String(name.dropLast(6))
                : String(name[..<(name.range(of: "_raddr", options: .backwards)?.lowerBound ?? name.endIndex)])
            let c = try channel(channelName)
            let expr = String(t[eq.upperBound...].dropLast())
            out.append("    wire [\(c.addressBits - 1):0] \(name)_step = \(expr);")
            out.append("    assign \(name) = {ndone[0], \(name)_step};")
        }
        return "module \(p.name) (\n    " + (try ports(p, reads: reads)).joined(separator: ",\n    ") + "\n);\n"
            + fs.text + (fs.texts.isEmpty ? "" : "\n") + out.joined(separator: "\n") + "\nendmodule\n"
    }

    mutating func module(_ p: ScheduleProcess) throws -> String {
        switch p.work {
        case .split, .glue, .dense, .projection: return try pipelined(p)
        case .recurrence(let k):
            guard case .gru(let g) = plan.stages[k] else { throw HardwareError.unsupported("RTL: \(p.name) is not a GRU") }
            return g.contexts > 1 ? try interleavedRecurrence(p, g) : try recurrence(p, g)
        case .decoder(let k):
            guard case .decoder(let d) = plan.stages[k] else { throw HardwareError.unsupported("RTL: \(p.name) is not a decoder") }
            guard d.coLogvar == nil else {
                throw HardwareError.unsupported("RTL: decoder \(d.name)'s controller std or sample (co_stds, --posterior sample) has no RTL form yet")
            }
            return try decoder(p, d)
        case .sample, .average:
            throw HardwareError.unsupported("RTL: process \(p.name) (posterior sampling) has no RTL form yet")
        }
    }

    /// Name of a cast function between two types.
    static func castName(_ from: FixedType, _ to: FixedType) -> String {
        func s(_ t: FixedType) -> String { String(t.description.map { $0.isLetter || $0.isNumber ? $0 : "_" }) }
        return "cast_\(s(from))_to_\(s(to))"
    }

    static func cast(_ fs: inout RTLFunctions, _ e: String, from: FixedType, to: FixedType) throws -> String {
        guard let n = try RTLArith.cast(&fs, name: castName(from, to), from: from, to: to) else { return e }
        return "\(n)(\(e))"
    }
}

// MARK: - Pipelined processes (split, glue, dense, projection)

extension RTLProcessEmitter {
    mutating func pipelined(_ p: ScheduleProcess) throws -> String {
        guard case .pipeline(_, let trips, let ii, let depth)? = p.body.first, p.body.count == 1 else {
            throw HardwareError.unsupported("RTL: \(p.name) is not one pipelined loop")
        }
        let steps = max(1, p.steps)
        let r = max(1, p.iterationsPerStep)
        guard trips == steps * r else { throw HardwareError.unsupported("RTL: \(p.name) has \(trips) iterations for \(steps) steps × \(r)") }
        guard depth >= 2 else { throw HardwareError.unsupported("RTL: \(p.name) has depth \(depth) (at least 2 needed)") }
        var fs = RTLFunctions()
        var body = [String]()
        var reads = [String: Int]()
        let sb = RTLText.bits(for: steps + 1), rb = RTLText.bits(for: r), ib = RTLText.bits(for: ii)
        let reverse: Bool
        var contexts = 1
        switch p.work {
        case .projection(let k):
            if case .gru(let g) = plan.stages[k] { reverse = g.reverse; contexts = g.contexts } else { reverse = false }
        default: reverse = false
        }
        /// The step a sequence number stands for in a ping-pong channel (a FIFO is addressed by sequence number); with
        /// C trials per call a backward walk takes the steps last first and the trials of a step in order.
        func address(_ n: String, _ seq: String) throws -> String {
            let c = try channel(n)
            if c.kind == .stream || !reverse { return seq }
            if contexts > 1 { return "((\(steps / contexts - 1) - \(seq) / \(contexts)) * \(contexts) + \(seq) % \(contexts))" }
            return "(\(steps - 1) - \(seq))"
        }
        // Control: issue, then tags of every iteration down the pipeline.
        body.append("    reg [\(sb - 1):0] s_i;")
        body.append("    reg [\(rb - 1):0] r_i;")
        body.append("    reg [\(ib - 1):0] cool;")
        body.append("    reg fin_i;")
        body.append("    wire ready = \(try readyExpression(p));")
        body.append("    wire avail = \(try availExpression(p, seq: "s_i"));")
        body.append("    wire issue = ready && !fin_i && cool == 0 && (r_i != 0 || avail);")
        body.append("    wire last_write;")
        body.append("    always @(posedge clk) begin")
        body.append("        if (rst || last_write) begin")
        body.append("            s_i <= 0; r_i <= 0; cool <= 0; fin_i <= 1'b0;")
        body.append("        end else if (issue) begin")
        body.append("            cool <= \(ib)'d\(ii - 1);")
        body.append("            if (r_i == \(rb)'d\(r - 1)) begin")
        body.append("                r_i <= 0;")
        body.append("                s_i <= s_i + 1'b1;")
        body.append("                if (s_i == \(sb)'d\(steps - 1)) fin_i <= 1'b1;")
        body.append("            end else r_i <= r_i + 1'b1;")
        body.append("        end else if (cool != 0) cool <= cool - 1'b1;")
        body.append("    end")
        body.append("    reg [\(depth - 1):1] vq, lq;")
        body.append("    reg [\(sb - 1):0] sq [1:\(depth - 1)];")
        body.append("    integer q;")
        body.append("    always @(posedge clk) begin")
        body.append("        if (rst) begin vq <= 0; lq <= 0; end else begin")
        body.append("            vq[1] <= issue;")
        body.append("            lq[1] <= (r_i == \(rb)'d\(r - 1));")
        body.append("            for (q = 2; q < \(depth); q = q + 1) begin vq[q] <= vq[q - 1]; lq[q] <= lq[q - 1]; end")
        body.append("        end")
        body.append("        sq[1] <= s_i;")
        body.append("        for (q = 2; q < \(depth); q = q + 1) sq[q] <= sq[q - 1];")
        body.append("    end")
        body.append("    wire wr = vq[\(depth - 1)] && lq[\(depth - 1)];")
        body.append("    wire [\(sb - 1):0] ws = sq[\(depth - 1)];")
        body.append("    assign last_write = wr && ws == \(sb)'d\(steps - 1);")
        body.append("    always @(posedge clk) begin")
        body.append("        if (rst) ndone <= 16'd0;")
        body.append("        else if (last_write) ndone <= ndone + 1'b1;")
        body.append("    end")
        // The word written in the write cycle.
        var word = ""
        switch p.work {
        case .split:
            let n = p.inputs[0]
            reads[n] = 1
            body.append("    assign \(n)_raddr0 = \(try address(n, "s_i"));")
            word = try delayed(&body, "\(n)_rdata0", bits: try channel(n).wordBits, depth: depth)
        case .glue(let o):
            let (expr, portReads) = try glueWord(p, output: o, &fs, &body)
            reads = portReads
            word = try delayed(&body, expr, bits: try channel(p.outputs[0]).wordBits, depth: depth)
        case .dense(let k):
            guard case .dense(let d) = plan.stages[k] else { throw HardwareError.unsupported("RTL: \(p.name) is not dense") }
            let n = p.inputs[0]
            reads[n] = 1
            body.append("    assign \(n)_raddr0 = \(try address(n, "s_i"));")
            let acc = try unit(&body, name: p.name + "_mv", d.matrix, input: plan.tensors[d.input].type, accum: d.accum,
                               countBits: plan.countBits(d.input, for: d.matrix), latency: depth - 1, issue: "issue", r: "r_i", x: "\(n)_rdata0")
            let fn = try RTLArith.element(&fs, name: p.name + "_act", d.function)
            word = try denseWord(&fs, acc: acc, d, fn: fn, to: plan.tensors[d.output].type)
        case .projection(let k):
            guard case .gru(let g) = plan.stages[k] else { throw HardwareError.unsupported("RTL: \(p.name) is not a GRU") }
            let n = p.inputs[0]
            reads[n] = 1
            body.append("    assign \(n)_raddr0 = \(try address(n, "s_i"));")
            word = try unit(&body, name: p.name + "_mv", g.kernel, input: plan.tensors[g.input].type, accum: g.accum,
                            countBits: plan.countBits(g.input, for: g.kernel), latency: depth - 1, issue: "issue", r: "r_i", x: "\(n)_rdata0")
        default:
            throw HardwareError.unsupported("RTL: \(p.name) is not a pipelined process")
        }
        for n in p.outputs {
            body.append("    assign \(n)_we = wr;")
            body.append("    assign \(n)_waddr = \(try address(n, "ws"));")
            body.append("    assign \(n)_wdata = \(word);")
        }
        return try moduleText(p, reads: reads, fs, body)
    }

    /// A value computed in the issue cycle, delayed so that it is on the returned wire in the write cycle (issue + D − 1).
    func delayed(_ body: inout [String], _ expr: String, bits: Int, depth: Int) throws -> String {
        body.append("    reg [\(bits - 1):0] g [0:\(depth - 2)];")
        body.append("    integer gk;")
        body.append("    always @(posedge clk) begin")
        body.append("        g[0] <= \(expr);")
        body.append("        for (gk = 1; gk <= \(depth - 2); gk = gk + 1) g[gk] <= g[gk - 1];")
        body.append("    end")
        return "g[\(depth - 2)]"
    }

    /// Instantiates a matrix unit; returns the wire of its sums.
    mutating func unit(_ body: inout [String], name: String, _ m: QuantizedMatrix, input: FixedType, accum: FixedType,
                       countBits: Int?, latency: Int, issue: String, r: String, x: String) throws -> String {
        var u = RTLMatVecUnit(name: name, matrix: m, input: input, accum: accum, countBits: countBits, latency: latency)
        u.dspCountProducts = min(countDSP, u.maxDSPCountProducts)
        let top = try u.module(), lane = try u.laneModule()  // check the weight and bias counts before memoryFile reads them
        modules.append(top)
        lanes.append(lane)
        memories[name + ".mem"] = u.memoryFile
        stubs.append(RTLText.blackBox(top))
        laneStubs.append(RTLText.blackBox(lane))
        units.append(u)
        body.append("    wire [\(m.rows * accum.width - 1):0] \(name)_acc;")
        let rw = u.rBits
        body.append("    wire [\(rw - 1):0] \(name)_r = \(r);")
        body.append("    \(name) \(name)_u (.clk(clk), .issue(\(issue)), .r(\(name)_r), .x(\(x)), .acc_out(\(name)_acc));")
        return name + "_acc"
    }
}
