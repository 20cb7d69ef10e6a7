// A recurrence carrying C trials (ScheduleRules.interleavedRecurrence): [init × C][one pipeline of C·T words ×
// S slots][final states × C] as Verilog. Word w (trial c = w mod C, step w / C in walk order) starts at
// max(previous start + S·II, the cycle its FIFO word arrives) — DesignSchedule.simulate's pipelined rule — and
// every event of a word happens at a fixed offset from its start, carried down a tag line (valid, trial, word), so
// several words are in flight at once:
// - offset r·II, r < R: chunk r of the merged recurrent product, on trial c's state;
// - offset (R − 1)·II + P (P: the product's depth): the cell lanes sample the sums, the word's projection and the
//   trial's state; U cycles later (the lanes' register stages) the new state is loaded into trial c's register;
// - offset (S − 1)·II + D − 1: the word is written (readable one cycle later: the schedule's write time).
// Trial c's next word starts C·S·II cycles or more after this one, after its state is loaded (the slots' rule).
import LFADSIR

extension RTLProcessEmitter {
    mutating func interleavedRecurrence(_ p: ScheduleProcess, _ g: GRUStage) throws -> String {
        let c = g.contexts
        guard p.body.count >= 2, case .pipeline("init", c, 1, 1) = p.body[0],
              case .pipeline("step", let trips, let ii, let depth) = p.body[1],
              p.body.count == (g.returnSequences ? 2 : 3) else {
            throw HardwareError.unsupported("RTL: \(p.name) is not an interleaved recurrence (init, step pipeline, final states)")
        }
        let slots = p.iterationsPerStep, words = p.steps
        guard g.resetAfter, let m = g.recurrentZR.stacked(g.recurrentH), trips == words * slots, words % c == 0 else {
            throw HardwareError.unsupported("RTL: \(p.name): \(trips) iterations for \(words) words × \(slots) slots (reset after only)")
        }
        let steps = words / c
        let shape = ScheduleBuilder.cellShape(g)
        let product = ScheduleRules.matVec(shape.recurrent[0], accum: g.accum, inputBits: g.state.width, countBits: nil, delays: delays)
        let gatesDepth = depth - product.depth - 1
        guard product.ii == ii, gatesDepth >= 1 else { throw HardwareError.unsupported("RTL: \(p.name): step depth \(depth) does not fit its product") }
        let h = g.hidden, (aw, sw) = (g.accum.width, g.state.width)
        let reuse = m.reuse
        // Offsets from a word's start.
        let sample = (reuse - 1) * ii + product.depth
        let stages = min(4, max(0, gatesDepth - 2))
        let load = sample + stages
        let write = (slots - 1) * ii + depth - 1
        guard load < write, write >= 2, load < c * slots * ii else { throw HardwareError.unsupported("RTL: \(p.name): the state is loaded too late") }

        var fs = RTLFunctions()
        var body = [String]()
        var reads = [String: Int]()
        let axName = p.inputs[0]
        let ax = try channel(axName)
        guard ax.kind == .stream else { throw HardwareError.unsupported("RTL: \(p.name): its projection is not a FIFO") }
        reads[axName] = 1
        let cb = RTLText.bits(for: c), wb = RTLText.bits(for: words + 1), sb = RTLText.bits(for: steps + 1)
        let pb = RTLText.bits(for: c + 1), gb = RTLText.bits(for: slots * ii + 1)
        let rb = RTLText.bits(for: reuse), ib = RTLText.bits(for: ii)
        let yName = p.outputs[0]
        let y = try channel(yName)
        // The word a (step, trial) pair is in a channel: FIFOs count words in walk order; a ping-pong buffer holds
        // step t of trial c at t·C + c (a backward layer walks t = T − 1 … 0).
        func address(_ kind: RTLChannel, step s: String, trial k: String, seq: String) -> String {
            kind.kind == .stream ? seq : (g.reverse ? "((\(steps - 1) - \(s)) * \(c) + \(k))" : seq)
        }
        body += [
            "    localparam IDLE = 2'd0, PRE = 2'd1, RUN = 2'd2, FIN = 2'd3;",
            "    reg [1:0] st;",
            "    reg [\(pb - 1):0] kp;",
            "    reg [\(wb - 1):0] wi;",
            "    reg [\(sb - 1):0] ws;",
            "    reg [\(cb - 1):0] wc;",
            "    reg [\(gb - 1):0] gap;",
            "    wire ready = \(try readyExpression(p));",
            "    wire avail = \(try availExpression(p, seq: "wi"));",
            "    wire pre = (st == IDLE && ready) || st == PRE;",
            "    wire [\(pb - 1):0] kq = (st == PRE) ? kp : \(pb)'d0;",
            // A word starts: its FIFO word is there and S·II cycles have passed since the previous start.
            "    wire go = st == RUN && wi != \(wb)'d\(words) && gap >= \(gb)'d\(slots * ii) && avail;",
            "    reg [\(h * sw - 1):0] hs [0:\(c - 1)];",
            "    reg [\(ax.wordBits - 1):0] axv [0:\(c - 1)];",
            "    assign \(axName)_raddr0 = wi;",
            // The tag line: entry k describes the word started k cycles ago (entry 0 is this cycle's start).
            "    reg [\(write):1] tv;",
            "    reg [\(cb - 1):0] tc [1:\(write)];",
            "    reg [\(wb - 1):0] tw [1:\(write)];",
            "    reg [\(sb - 1):0] tsv [1:\(write)];",
            "    integer q;",
            "    always @(posedge clk) begin",
            "        if (rst) tv <= 0; else tv <= {tv[\(write - 1):1], go};",
            "        tc[1] <= wc; tw[1] <= wi; tsv[1] <= ws;",
            "        for (q = 2; q <= \(write); q = q + 1) begin tc[q] <= tc[q - 1]; tw[q] <= tw[q - 1]; tsv[q] <= tsv[q - 1]; end",
            "    end",
        ]
        // The product: chunk r at r·II after the start, on the state of the word's trial.
        body += [
            "    reg pa;",
            "    reg [\(rb - 1):0] pr;",
            "    reg [\(ib - 1):0] pcool;",
            "    reg [\(cb - 1):0] pcr;",
            "    wire issue = go || (pa && pcool == \(ib)'d0);",
            "    wire [\(rb - 1):0] rr = go ? \(rb)'d0 : pr;",
            "    wire [\(cb - 1):0] pctx = go ? wc : pcr;",
            "    always @(posedge clk) begin",
            "        if (rst) begin pa <= 1'b0; pr <= 0; pcool <= 0; pcr <= 0; end",
            "        else if (issue) begin",
            "            pcool <= \(ib)'d\(ii - 1);",
            "            if (go) pcr <= wc;",
            "            if (rr == \(rb)'d\(reuse - 1)) begin pa <= 1'b0; pr <= 0; end else begin pa <= 1'b1; pr <= rr + 1'b1; end",
            "        end else if (pcool != 0) pcool <= pcool - 1'b1;",
            "    end",
        ]
        let acc = try unit(&body, name: p.name + "_zrh", m, input: g.state, accum: g.accum, countBits: nil,
                           latency: product.depth, issue: "issue", r: "rr", x: "hs[pctx]")
        // The cell lanes: sampled at `sample`, the new state `stages` cycles later.
        let result = p.name + "_result"
        fs.add(try VerilogGRU.functions(prefix: p.name, gru: g).filter { $0.name == result })
        let cm = try resetAfterCellLane(p.name + "_cell", g, registers: stages)
        func lane(_ v: String, _ j: Int, _ w: Int) -> String { "\(v)[\(j * w) +: \(w)]" }
        body.append("    wire [\(ax.wordBits - 1):0] ax_s = axv[tc[\(sample)]];")
        body.append("    wire [\(h * sw - 1):0] h_s = hs[tc[\(sample)]];")
        body.append("    wire [\(h * sw - 1):0] next_w;")
        for j in 0..<h {
            body.append("    \(cm) \(p.name)_cl\(j) (\(stages > 0 ? ".clk(clk), " : "").axz(\(lane("ax_s", j, aw))), .axr(\(lane("ax_s", h + j, aw))), .axh(\(lane("ax_s", 2 * h + j, aw))), "
                + ".accz(\(lane(acc, j, aw))), .accr(\(lane(acc, h + j, aw))), .acch(\(lane(acc, 2 * h + j, aw))), "
                + ".h(\(lane("h_s", j, sw))), .next(\(lane("next_w", j, sw))));")
        }
        // Initial states: a constant, or word k of the initial-state channel for trial k.
        let h0 = try initialState(p, g, address: "kq", &fs, &body, &reads)
        let lastWord = "tv[\(write)] && tw[\(write)] == \(wb)'d\(words - 1)"
        var control = [
            "    always @(posedge clk) begin",
            "        if (rst) begin",
            "            st <= IDLE; kp <= 0; wi <= 0; ws <= 0; wc <= 0; gap <= 0; ndone <= 16'd0;",
            "        end else begin",
            "            if (pre) begin",
            "                hs[kq] <= {\(h0.reversed().joined(separator: ", "))};",
            "                if (kq == \(pb)'d\(c - 1)) begin st <= RUN; gap <= \(gb)'d\(slots * ii); end else begin kp <= kq + 1'b1; st <= PRE; end",
            "            end",
            "            if (st == RUN) begin",
            "                if (go) begin",
            "                    axv[wc] <= \(axName)_rdata0;",
            "                    wi <= wi + 1'b1;",
            "                    gap <= \(gb)'d1;",
            "                    if (wc == \(cb)'d\(c - 1)) begin wc <= 0; ws <= ws + 1'b1; end else wc <= wc + 1'b1;",
            "                end else if (gap < \(gb)'d\(slots * ii)) gap <= gap + 1'b1;",
            "            end",
            "            if (tv[\(load)]) hs[tc[\(load)]] <= next_w;",
        ]
        if g.returnSequences {
            control += [
                "            if (\(lastWord)) begin",
                "                st <= IDLE; kp <= 0; wi <= 0; ws <= 0; wc <= 0; ndone <= ndone + 1'b1;",
                "            end",
            ]
            body.append("    assign \(yName)_we = tv[\(write)];")
            body.append("    assign \(yName)_waddr = \(address(y, step: "tsv[\(write)]", trial: "tc[\(write)]", seq: "tw[\(write)]"));")
            body.append("    assign \(yName)_wdata = hy(hs[tc[\(write)]]);")
        } else {
            // The final states, trial by trial, once the last word is written.
            control += [
                "            if (\(lastWord)) begin st <= FIN; kp <= 0; end",
                "            if (st == FIN) begin",
                "                if (kp == \(pb)'d\(c - 1)) begin st <= IDLE; kp <= 0; wi <= 0; ws <= 0; wc <= 0; ndone <= ndone + 1'b1; end",
                "                else kp <= kp + 1'b1;",
                "            end",
            ]
            body.append("    assign \(yName)_we = st == FIN;")
            body.append("    assign \(yName)_waddr = kp;")
            body.append("    assign \(yName)_wdata = hy(hs[kp[\(cb - 1):0]]);")
        }
        control += ["        end", "    end"]
        body += control
        // The result cast of a whole state vector.
        body.append("    function [\(h * plan.tensors[g.output].type.width - 1):0] hy(input [\(h * sw - 1):0] v);")
        body.append("        hy = {\((0..<h).reversed().map { j in "\(result)(v[\(j * sw) +: \(sw)])" }.joined(separator: ", "))};")
        body.append("    endfunction")
        return try moduleText(p, reads: reads, fs, body)
    }
}
