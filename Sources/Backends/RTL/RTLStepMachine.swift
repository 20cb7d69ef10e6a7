// The control of a step-timed process (the schedule's [prefix blocks][step loop][suffix block] form): `pre` and
// `kq` walk the prefix from the cycle the process's ping-pong inputs are ready, `run` and `kk` walk each step's
// body from its start (the first cycle its FIFO word is there, at least one cycle after the previous body: the
// loop's exit test), and a one-cycle suffix (a final write) ends the process. DesignSchedule.simulate's
// loop rule, as a state machine.

struct RTLStepMachine {
    var prefix: Int
    var steps: Int
    var body: Int
    var suffix: Int
    var ready: String
    var avail: String

    var sb: Int { RTLText.bits(for: steps + 1) }
    var kb: Int { RTLText.bits(for: body + 2) }
    var pb: Int { RTLText.bits(for: prefix + 1) }

    /// Declarations and the control wires.
    var declarations: [String] {
        [
            "    localparam IDLE = 3'd0, PRE = 3'd1, WAIT = 3'd2, RUN = 3'd3, FIN = 3'd4;",
            "    reg [2:0] st;",
            "    reg [\(sb - 1):0] s;",
            "    reg [\(kb - 1):0] k;",
            "    reg [\(pb - 1):0] kp;",
            "    wire ready = \(ready);",
            "    wire avail = \(avail);",
            "    wire pre = (st == IDLE && ready) || st == PRE;",
            "    wire [\(pb - 1):0] kq = (st == PRE) ? kp : \(pb)'d0;",
            "    wire run = (st == RUN) || (st == WAIT && avail);",
            "    wire [\(kb - 1):0] kk = (st == RUN) ? k : \(kb)'d0;",
            "    wire last = (s == \(sb)'d\(steps - 1));",
        ]
    }

    /// The clocked block: control, then `actions` (lines inside the non-reset branch).
    func always(_ actions: [String]) -> [String] {
        var v = ["    always @(posedge clk) begin",
                 "        if (rst) begin",
                 "            st <= IDLE; s <= 0; k <= 0; kp <= 0; ndone <= 16'd0;",
                 "        end else begin"]
        // prefix ≥ 1 (every step-timed process starts with its init block).
        v.append("            if (pre) begin if (kq == \(pb)'d\(prefix - 1)) st <= WAIT; else begin kp <= kq + 1'b1; st <= PRE; end end")
        // The trial ends: count it and wait for the next one (IDLE checks its inputs and the outputs' free bank).
        v.append("            if (st == FIN) begin ndone <= ndone + 1'b1; st <= IDLE; end")
        v.append("            if (run) begin")
        v.append("                if (kk == \(kb)'d\(body)) begin")
        v.append("                    k <= 0;")
        v.append("                    s <= last ? \(sb)'d0 : s + 1'b1;")
        if suffix > 0 {
            v.append("                    st <= last ? FIN : WAIT;")
        } else {
            v.append("                    if (last) begin st <= IDLE; ndone <= ndone + 1'b1; end else st <= WAIT;")
        }
        v.append("                end else begin")
        v.append("                    k <= kk + 1'b1;")
        v.append("                    st <= RUN;")
        v.append("                end")
        v.append("            end")
        v += actions.map { "            " + $0 }
        v.append("        end")
        v.append("    end")
        return v
    }
}
