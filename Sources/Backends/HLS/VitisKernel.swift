// kernel/<top>_kernel.cpp: the Alveo kernel over the top function. Inputs and the output ports cross m_axi as
// 512-bit beats of raw codes (layout in KernelIO and the project README); the trial loop's body is a DATAFLOW
// region load → top → store with ping-pong arrays, so successive trials overlap. Loops run one beat per cycle.
import LFADSIR

enum VitisKernel {
    static func emit(plan: HardwarePlan, options: HLSOptions) -> String {
        let io = KernelIO(plan: plan)
        let inputs = plan.inputs.map { plan.tensors[$0] }
        // The output ports (primary, then --outputs extras): local y, y1, y2, ... in a trial's output block in order.
        let outs = plan.ports.map { plan.tensors[$0] }
        let ys = outs.indices.map { $0 == 0 ? "y" : "y\($0)" }
        let top = options.topName
        // C trials per call (HardwarePlan.batched): call `trial` carries trials trial·C ... trial·C + C − 1, each
        // moved over its own beats into words t·C + k; trials past n_trials in the last call are neither loaded nor stored.
        let c = plan.trialsPerCall
        let loadParams = ["const lfads_beat_t *in", "unsigned trial"] + (c > 1 ? ["unsigned n_trials"] : [])
            + inputs.map { "\($0.cName)_t \($0.cName)[\($0.count)]" }
        var load = [String]()
        for (t, port) in zip(inputs, io.inputs) { load.append(loadLoop(t, port, contexts: c)) }
        let locals = (inputs.map { ($0, $0.cName) } + Array(zip(outs, ys))).map { t, name in
            "\(t.cName)_t \(name)[\(t.count)];\n" + "LFADS_PRAGMA(HLS ARRAY_RESHAPE variable = \(name) cyclic factor = \(t.width) dim = 1)"
        }
        let layout = (zip(inputs, io.inputs).map { describe($0, $1, "in") } + zip(outs, io.outputs).map { describe($0, $1, "out") })
            .map { "//   " + $0 }.joined(separator: "\n")
        return """
        // Vitis kernel: n_trials trials per call. Data are raw fixed-point codes packed into 512-bit beats, one beat
        // per cycle; a trial is \(io.beatsIn) input beats and \(io.beatsOut) output beats (see README.md, "Beat layout"):
        \(layout)
        // Each trial is a DATAFLOW region load → \(top) → store linked by ping-pong arrays (reshaped one step per
        // word, as the top function's ports), so the load of trial i+1 and the store of trial i-1 overlap the
        // compute of trial i.\(plan.samples ? "\n// The design samples: trial i of a call draws the noise of trial first_trial + i of the run." : "")
        #include "\(top).h"

        typedef ap_uint<\(KernelIO.beatBits)> lfads_beat_t;

        // Beats → the top function's inputs: per tensor one pipelined loop over its beats; a step's beats are
        // gathered in registers and its word written once, at the step's last beat. Lanes are cut by shifts, which
        // are constant once the lane loop is unrolled (g++ mis-warns on ranges of 512-bit values).
        static void lfads_load(\(loadParams.joined(separator: ", "))) {
        \(batched(load.joined(separator: "\n"), beats: io.beatsIn, contexts: c).replacingOccurrences(of: "\n", with: "\n    ").indentedFirst())
        }

        // The output ports → beats, one after another: a step's word is read once, at its first beat, and sent
        // over its beats.
        static void lfads_store(\(zip(outs, ys).map { "const \($0.cName)_t \($1)[\($0.count)]" }.joined(separator: ", ")), lfads_beat_t *out, unsigned trial\(c > 1 ? ", unsigned n_trials" : "")) {
        \(batched(zip(ys, io.outputs).map { storeLoop($0, $1, contexts: c) }.joined(separator: "\n"), beats: io.beatsOut, contexts: c).replacingOccurrences(of: "\n", with: "\n    ").indentedFirst())
        }

        extern "C" void \(top)_kernel(const lfads_beat_t *in, lfads_beat_t *out, unsigned n_trials\(plan.samples ? ", unsigned long long first_trial" : "")) {
            LFADS_PRAGMA(HLS INTERFACE m_axi port = in offset = slave bundle = gmem0 max_read_burst_length = 64)
            LFADS_PRAGMA(HLS INTERFACE m_axi port = out offset = slave bundle = gmem1 max_write_burst_length = 64)
            LFADS_PRAGMA(HLS INTERFACE s_axilite port = in)
            LFADS_PRAGMA(HLS INTERFACE s_axilite port = out)
            LFADS_PRAGMA(HLS INTERFACE s_axilite port = n_trials)\(plan.samples ? "\n    LFADS_PRAGMA(HLS INTERFACE s_axilite port = first_trial)" : "")
            LFADS_PRAGMA(HLS INTERFACE s_axilite port = return)
            for (unsigned trial = 0; trial < \(c > 1 ? "(n_trials + \(c - 1)) / \(c)" : "n_trials"); trial++) {
                LFADS_PRAGMA(HLS DATAFLOW)
                \(locals.joined(separator: "\n").replacingOccurrences(of: "\n", with: "\n        "))
                lfads_load(\((["in", "trial"] + (c > 1 ? ["n_trials"] : []) + inputs.map(\.cName)).joined(separator: ", ")));
                \(top)(\((inputs.map(\.cName) + ys + (plan.samples ? ["first_trial + trial"] : [])).joined(separator: ", ")));
                lfads_store(\((ys + ["out", "trial"] + (c > 1 ? ["n_trials"] : [])).joined(separator: ", ")));
            }
        }

        """
    }

    /// The body of lfads_load / lfads_store: the trial's base beat, then its loops; with C trials per call, once per
    /// trial k of the call that exists.
    static func batched(_ loops: String, beats: Int, contexts c: Int) -> String {
        guard c > 1 else { return "const unsigned long base = (unsigned long)trial * \(beats)UL;\n" + loops }
        return "for (unsigned k = 0; k < \(c); k++) {\n"
            + "    if (trial * \(c) + k >= n_trials) break;\n"
            + "    const unsigned long base = ((unsigned long)trial * \(c) + k) * \(beats)UL;\n"
            + "    " + loops.replacingOccurrences(of: "\n", with: "\n    ") + "\n}"
    }

    static func describe(_ t: HWTensor, _ p: KernelIO.Port, _ side: String) -> String {
        "'\(t.name)' \(side) beats [\(p.firstBeat), \(p.firstBeat + p.beats)): \(p.steps) steps × \(p.beatsPerStep) beat\(p.beatsPerStep == 1 ? "" : "s"), "
            + "\(p.width) codes of \(p.bits) bits per step, \(p.lanes) per beat"
    }

    /// One input tensor: beats → whole step words of `x`.
    static func loadLoop(_ t: HWTensor, _ p: KernelIO.Port, contexts c: Int = 1) -> String {
        let word = c > 1 ? "(t_\(t.cName) * \(c) + k)" : "t_\(t.cName)"
        let x = t.cName, part = "part_\(x)"
        return """
        lfads_beat_t \(part)[\(p.beatsPerStep)];
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = \(part) complete dim = 1)
        unsigned t_\(x) = 0, p_\(x) = 0;
        for (unsigned i = 0; i < \(p.beats); i++) {
            LFADS_PRAGMA(HLS PIPELINE II = 1)
            \(part)[p_\(x)] = in[base + \(p.firstBeat)UL + i];
            if (p_\(x) == \(p.beatsPerStep - 1)) {
                for (unsigned j = 0; j < \(p.width); j++) {
                    LFADS_PRAGMA(HLS UNROLL)
                    \(x)_t v;
                    v.range(\(p.bits - 1), 0) = ap_uint<\(p.bits)>(\(part)[j / \(p.lanes)] >> ((j % \(p.lanes)) * \(p.bits)));
                    \(x)[\(word) * \(p.width) + j] = v;
                }
                p_\(x) = 0;
                t_\(x)++;
            } else {
                p_\(x)++;
            }
        }
        """
    }

    /// One output port: whole step words of array `y` → its beats (from `firstBeat` of the trial's block),
    /// unused bits zero.
    static func storeLoop(_ y: String, _ p: KernelIO.Port, contexts c: Int = 1) -> String {
        let part = "part_\(y)", t = "t_\(y)", q = "p_\(y)"
        let word = c > 1 ? "(\(t) * \(c) + k)" : t
        let at = p.firstBeat == 0 ? "base + i" : "base + \(p.firstBeat)UL + i"
        return """
        lfads_beat_t \(part)[\(p.beatsPerStep)];
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = \(part) complete dim = 1)
        unsigned \(t) = 0, \(q) = 0;
        for (unsigned i = 0; i < \(p.beats); i++) {
            LFADS_PRAGMA(HLS PIPELINE II = 1)
            if (\(q) == 0) {
                for (unsigned k = 0; k < \(p.beatsPerStep); k++) {
                    LFADS_PRAGMA(HLS UNROLL)
                    \(part)[k] = 0;
                }
                for (unsigned j = 0; j < \(p.width); j++) {
                    LFADS_PRAGMA(HLS UNROLL)
                    \(part)[j / \(p.lanes)] |= lfads_beat_t(ap_uint<\(p.bits)>(\(y)[\(word) * \(p.width) + j].range(\(p.bits - 1), 0))) << ((j % \(p.lanes)) * \(p.bits));
                }
            }
            out[\(at)] = \(part)[\(q)];
            if (\(q) == \(p.beatsPerStep - 1)) {
                \(q) = 0;
                \(t)++;
            } else {
                \(q)++;
            }
        }
        """
    }
}

private extension String {
    /// Indents the first line by four spaces (the others were indented by the caller's replacement).
    func indentedFirst() -> String { "    " + self }
}
