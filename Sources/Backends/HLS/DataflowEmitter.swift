// Prints a DesignSchedule: the top function as one DATAFLOW region (ports and channels reshaped one step per
// word, one call per process) and the process functions that are not library templates (fan-out copies, glue,
// the decoder loop). Every loop bound, II and channel comes from the schedule; nothing is decided here.
import LFADSIR

extension FirmwareEmitter {
    mutating func emitDataflow(_ schedule: DesignSchedule) {
        streams = Set(schedule.channels.filter { $0.kind == .stream }.map(\.name))
        // The element type and its bits of every channel.
        var elementType = [String: String]()
        var elementBits = [String: Int]()
        for t in plan.inputs { elementType[name(t)] = typeName(t) }
        for (j, t) in plan.ports.enumerated() { elementType[plan.portName(j)] = typeName(t) }
        var calls = [String]()
        for p in schedule.processes {
            for (t, c) in p.bindings { elementType[c] = typeName(t); elementBits[c] = plan.tensors[t].type.width }
            switch p.work {
            case .split:
                let t = p.bindings.keys.first ?? 0
                processes.append(splitFunction(p, tensor: t))
                calls.append("\(p.name)(\((p.inputs + p.outputs).joined(separator: ", ")));")
            case .glue(let o):
                for c in p.outputs { elementType[c] = typeName(o); elementBits[c] = plan.tensors[o].type.width }
                processes.append(glueFunction(p, output: o))
                calls.append("\(p.name)(\((p.inputs + p.outputs).joined(separator: ", ")));")
            case .dense(let k):
                guard case .dense(let d) = plan.stages[k] else { continue }
                let base = "L\(k)_" + CppText.identifier(d.name)
                let act = functor(d.function, base + "_act", lanes: d.matrix.rows)
                let cfg = matrix(d.matrix, accum: d.accum, base, activation: act, counts: plan.countBits(d.input, for: d.matrix),
                                 inputBits: plan.tensors[d.input].type.width,
                                 tableII: ScheduleBuilder.tableReadCycles(d.function, lanes: d.matrix.rows)) + "_config"
                let x = plan.tensors[d.input]
                calls.append("// dense '\(d.name)': \(x.steps) steps × reuse \(d.matrix.reuse) in one pipeline")
                calls.append("dense_seq_lfads<\(typeName(d.input)), \(typeName(d.output)), \(cfg), \(x.steps)>(\(p.inputs[0]), \(p.outputs[0]), \(base)_w, \(base)_b);")
            case .projection(let k):
                guard case .gru(let g) = plan.stages[k] else { continue }
                let base = "L\(k)_" + CppText.identifier(g.name)
                let x = plan.tensors[g.input]
                _ = gruConfig(base, g, inputWidth: x.width, inputBits: x.type.width, steps: x.steps / g.contexts, counts: plan.countBits(g.input, for: g.kernel))
                elementType[p.outputs[0]] = "\(base)_config::accum_t"
                elementBits[p.outputs[0]] = g.accum.width
                calls.append("// GRU '\(g.name)' input projection: \(x.steps) steps × reuse \(g.kernel.reuse) in one pipeline")
                calls.append("gru_project_seq_lfads<\(typeName(g.input)), \(base)_config, \(x.steps)>(\(p.inputs[0]), \(p.outputs[0]), \(base)_x_w, \(base)_x_b);")
            case .recurrence(let k):
                guard case .gru(let g) = plan.stages[k] else { continue }
                let base = "L\(k)_" + CppText.identifier(g.name)
                var (h0, h0Type) = initialState(base, g)
                if case .operand = g.initial, p.inputs.count > 1 { h0 = p.inputs[1] }
                calls.append("// GRU '\(g.name)' recurrence (reset \(g.resetAfter ? "after" : "before")\(g.reverse ? ", backward" : ""))")
                if g.contexts > 1 {
                    // One initial state for every trial (a constant) or one per trial (an operand channel of C words).
                    let words: Int
                    if case .operand = g.initial { words = g.contexts } else { words = 1 }
                    calls.append("// \(g.contexts) trials interleaved: \(slots(g)) slots per step and trial")
                    calls.append("gru_recur_ctx_lfads<\(h0Type), \(typeName(g.output)), \(base)_config, \(words)>(\(p.inputs[0]), \(h0), \(p.outputs[0]), \(base)_zr_w, \(base)_zr_b, \(base)_hh_w, \(base)_hh_b);")
                } else {
                    calls.append("gru_recur_lfads<\(h0Type), \(typeName(g.output)), \(base)_config>(\(p.inputs[0]), \(h0), \(p.outputs[0]), \(base)_zr_w, \(base)_zr_b, \(base)_hh_w, \(base)_hh_b);")
                }
            case .sample(let k):
                guard case .sample(let s) = plan.stages[k] else { continue }
                processes.append(sampleFunction(p, s, stage: k))
                calls.append("\(p.name)(\((p.inputs + p.outputs + ["trial"]).joined(separator: ", ")));")
            case .average(let k):
                guard case .average(let a) = plan.stages[k] else { continue }
                processes.append(averageFunction(p, a))
                calls.append("\(p.name)(\((p.inputs + p.outputs).joined(separator: ", ")));")
            case .decoder(let k):
                guard case .decoder(let d) = plan.stages[k] else { continue }
                // Only the outputs something reads are written (the schedule gives them channels).
                let outs = ScheduleBuilder.decoderOutputs(d).filter { p.bindings[$0] != nil }
                let lines = decoderLines(k, d, written: Set(outs))
                let ins = [d.g0] + [d.controllerInput, d.externalInput].compactMap { $0 }
                var params = ins.map { "const \(typeName($0)) \(name($0))[\(plan.tensors[$0].count)]" }
                params += outs.map { "\(typeName($0)) \(name($0))[\(plan.tensors[$0].count)]" }
                // A sampling controller draws from the trial's streams.
                let trial = d.coSample == nil ? [String]() : ["trial"]
                params += trial.map { "unsigned long long \($0)" }
                // The decoder's outputs are parameters here, not locals.
                let body = lines.filter { line in !outs.contains { line.hasPrefix("\(typeName($0)) \(name($0))[") } }
                processes.append("static void \(p.name)(\(params.joined(separator: ", "))) {\n    "
                                 + body.joined(separator: "\n").replacingOccurrences(of: "\n", with: "\n    ") + "\n}\n")
                calls.append("\(p.name)(\((p.inputs + p.outputs + trial).joined(separator: ", ")));")
            }
        }
        var lines = [String]()
        for t in plan.inputs { lines.append(reshape(name(t), width: plan.tensors[t].width)) }
        for (j, t) in plan.ports.enumerated() { lines.append(reshape(plan.portName(j), width: plan.tensors[t].width)) }
        lines.append("LFADS_PRAGMA(HLS DATAFLOW)")
        lines.append("// channels: ping-pong buffers, one step per word")
        for c in schedule.channels where c.kind != .port {
            let bits = max(1, elementBits[c.name] ?? 1)
            let width = c.wordBits / bits
            let type = elementType[c.name] ?? "int"
            if c.kind == .stream {
                let (p, k) = ScheduleRules.streamShape(width: width, bits: bits)
                lines.append("hls::stream<lfads_part<\(type), \(p), \(width)> > \(c.name)[\(k)];")
                lines.append("LFADS_PRAGMA(HLS STREAM variable = \(c.name) depth = \(c.words))")
            } else {
                lines.append("\(type) \(c.name)[\(c.words * width)];")
                lines.append(reshape(c.name, width: width))
            }
        }
        body += lines + calls
    }

    private func reshape(_ array: String, width: Int) -> String {
        "LFADS_PRAGMA(HLS ARRAY_RESHAPE variable = \(array) cyclic factor = \(width) dim = 1)"
    }

    /// A process function's parameter for channel `channel` carrying tensor t: an array or a FIFO.
    func parameter(_ channel: String, tensor t: Int, input: Bool) -> String {
        let x = plan.tensors[t]
        if streams.contains(channel) {
            let (p, k) = ScheduleRules.streamShape(width: x.width, bits: x.type.width)
            return "hls::stream<lfads_part<\(typeName(t)), \(p), \(x.width)> > (&\(channel))[\(k)]"
        }
        return "\(input ? "const " : "")\(typeName(t)) \(channel)[\(x.count)]"
    }

    private func splitFunction(_ p: ScheduleProcess, tensor t: Int) -> String {
        let x = plan.tensors[t]
        let params = [parameter(p.inputs[0], tensor: t, input: true)] + p.outputs.map { parameter($0, tensor: t, input: false) }
        let puts = p.outputs.map { "lfads_put<\(typeName(t)), \(x.width)>(\($0), t, w);" }.joined(separator: "\n        ")
        return """
        // Fan-out of '\(x.name)': one copy per consumer (a dataflow channel has one reader).
        static void \(p.name)(\(params.joined(separator: ", "))) {
            for (unsigned t = 0; t < \(x.steps); t++) {
                LFADS_PRAGMA(HLS PIPELINE II = 1)
                \(typeName(t)) w[\(x.width)];
                LFADS_PRAGMA(HLS ARRAY_PARTITION variable = w complete)
                lfads_get<\(typeName(t)), \(x.width)>(\(p.inputs[0]), t, w);
                \(puts)
            }
        }

        """
    }

    /// A piece of the glue output: `count` features from `start`, and the C expression of feature `start + j`
    /// at step `t` (both given as C expressions).
    private struct Segment {
        var start: Int
        var count: Int
        var value: (_ t: String, _ j: String) -> String
    }

    private mutating func segments(_ t: Int, _ p: ScheduleProcess) -> [Segment] {
        let x = plan.tensors[t]
        if let channel = p.bindings[t] {
            // A FIFO leaf is read once per step into CHANNEL_w (its lag is 0: only then is it a FIFO).
            if streams.contains(channel) { return [Segment(start: 0, count: x.width) { _, js in "\(channel)_w[\(js)]" }] }
            return [Segment(start: 0, count: x.width) { ts, js in "\(channel)[(\(ts)) * \(x.width) + \(js)]" }]
        }
        guard let k = plan.stages.firstIndex(where: { ScheduleBuilder.outputs(of: $0).contains(t) }) else { return [] }
        switch plan.stages[k] {
        case .activation(let i, let o, let f):
            let act = functor(f, "L\(k)_" + CppText.identifier(plan.tensors[o].name) + "_act", lanes: plan.tensors[o].width)
            let yType = typeName(o)
            return segments(i, p).map { s in
                Segment(start: s.start, count: s.count) { ts, js in "lfads_apply<\(act), \(yType)>(\(s.value(ts, js)), \(s.start) + \(js))" }
            }
        case .copy(let i, _):
            return segments(i, p)
        case .concat(let inputs, _):
            var out = [Segment](), offset = 0
            for i in inputs {
                out += segments(i, p).map { s in Segment(start: s.start + offset, count: s.count, value: s.value) }
                offset += plan.tensors[i].width
            }
            return out
        case .slice(let i, let start, let o):
            let w = plan.tensors[o].width
            return segments(i, p).compactMap { s in
                let a = max(s.start, start), b = min(s.start + s.count, start + w)
                guard a < b else { return nil }
                return Segment(start: a - start, count: b - a) { ts, js in s.value(ts, "\(js) + \(a - s.start)") }
            }
        case .timeShift(let i, let lag, let o):
            let steps = plan.tensors[o].steps
            let yType = typeName(o)
            return segments(i, p).map { s in
                Segment(start: s.start, count: s.count) { ts, js in
                    let from = "(\(ts) - (\(lag)))"
                    return "((\(from) >= 0 && \(from) < \(steps)) ? \(yType)(\(s.value(from, js))) : \(yType)(0))"
                }
            }
        default:
            return []
        }
    }

    private mutating func glueFunction(_ p: ScheduleProcess, output o: Int) -> String {
        let y = plan.tensors[o]
        var params = [String]()
        var reads = [String]()
        for (t, c) in p.bindings.sorted(by: { p.inputs.firstIndex(of: $0.value) ?? 0 < p.inputs.firstIndex(of: $1.value) ?? 0 }) {
            params.append(parameter(c, tensor: t, input: true))
            if streams.contains(c) {
                let x = plan.tensors[t]
                reads.append("        \(typeName(t)) \(c)_w[\(x.width)];")
                reads.append("        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = \(c)_w complete)")
                reads.append("        lfads_get<\(typeName(t)), \(x.width)>(\(c), t, \(c)_w);")
            }
        }
        let out = p.outputs[0]
        let outStream = streams.contains(out)
        params.append(parameter(out, tensor: o, input: false).replacingOccurrences(of: "\(out)[", with: "y[").replacingOccurrences(of: "(&\(out))", with: "(&y)"))
        let ii: Int
        if case .pipeline(_, _, let i, _) = p.body.first { ii = i } else { ii = 1 }
        var loops = [String]()
        for s in segments(o, p) {
            loops.append("""
                    for (int j = 0; j < \(s.count); j++) {
                        LFADS_PRAGMA(HLS UNROLL)
                        \(outStream ? "yw[\(s.start) + j]" : "y[t * \(y.width) + \(s.start) + j]") = \(s.value("t", "j"));
                    }
            """)
        }
        let open = outStream ? ["        \(typeName(o)) yw[\(y.width)];", "        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = yw complete)"] : []
        let close = outStream ? ["        lfads_put<\(typeName(o)), \(y.width)>(y, t, yw);"] : []
        return """
        // '\(y.name)' for its consumer: element-wise functions, concatenations, slices and time shifts in one pass.
        static void \(p.name)(\(params.joined(separator: ", "))) {
            for (int t = 0; t < \(y.steps); t++) {
                LFADS_PRAGMA(HLS PIPELINE II = \(ii))
        \((reads + open + loops + close).joined(separator: "\n"))
            }
        }

        """
    }

    /// The posterior sample: every lane seeded from (seed, trial, lane) once per trial, then per step all lanes at
    /// once: std = exp table at logvar/2 (logvar's code read as the type with one more fraction bit), ε = the
    /// lane's next draw cast to the epsilon type, y = mean + std·ε in one assignment (exact, then cast).
    mutating func sampleFunction(_ p: ScheduleProcess, _ s: SampleStage, stage k: Int) -> String {
        let y = plan.tensors[s.output], l = plan.tensors[s.logvar]
        let act = functor(s.std, "L\(k)_" + CppText.identifier(s.name) + "_std", lanes: y.width)
        let ii: Int
        if case .pipeline(_, _, let i, _)? = p.body.last { ii = i } else { ii = 1 }
        let params = ["const \(typeName(s.mean)) m[\(plan.tensors[s.mean].count)]", "const \(typeName(s.logvar)) l[\(l.count)]",
                      "\(typeName(s.output)) y[\(y.count)]", "unsigned long long trial"]
        // With N samples averaged, sample s draws streams trial·N + s and writes y's words s·T…(s+1)·T − 1.
        let n = s.samples, steps = y.steps / n
        let stream = n > 1 ? "trial * \(n)ull + s" : "trial"
        let row = n > 1 ? "(s * \(steps) + t)" : "t"
        var loops = """
        lfads_gauss g[\(y.width)];
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = g complete)
        for (unsigned j = 0; j < \(y.width); j++) {
            LFADS_PRAGMA(HLS PIPELINE II = 1)
            lfads_gauss_seed(g[j], \(s.seed)ull, \(stream), j);
        }
        for (unsigned t = 0; t < \(steps); t++) {
            LFADS_PRAGMA(HLS PIPELINE II = \(ii))
            for (unsigned j = 0; j < \(y.width); j++) {
                LFADS_PRAGMA(HLS UNROLL)
                const \(s.std.output.description) sd = lfads_apply<\(act), \(s.std.output.description) >(lfads_from_raw<\(s.std.input.description) >(l[t * \(y.width) + j].range(\(l.type.width - 1), 0)), j);
                const \(s.epsilon.description) eps = lfads_gauss_next<\(s.epsilon.description) >(g[j]);
                y[\(row) * \(y.width) + j] = m[t * \(y.width) + j] + sd * eps;
            }
        }
        """
        if n > 1 { loops = "for (unsigned s = 0; s < \(n); s++) {\n    " + loops.replacingOccurrences(of: "\n", with: "\n    ") + "\n}" }
        return """
        // posterior sample '\(y.name)': y = mean + exp(logvar/2)·eps, lane j = feature j of the on-chip source
        // (firmware/layers/lfads_gauss.h) seeded from (seed \(s.seed), \(stream), j).
        static void \(p.name)(\(params.joined(separator: ", "))) {
            \(loops.replacingOccurrences(of: "\n", with: "\n    "))
        }

        """
    }

    /// `--posterior average:N`: the N samples of a sampled output (sample-major) summed word by word into a buffer of
    /// the exact sum type, then each sum times R = round(2^24/N)/2^24 assigned to the output (PosteriorAverage).
    mutating func averageFunction(_ p: ScheduleProcess, _ a: AverageStage) -> String {
        let y = plan.tensors[a.output]
        let n = a.average.samples, w = y.width, steps = y.steps
        let sumT = (try? a.average.sumType(y.type).description) ?? y.type.description
        let rT = a.average.reciprocalType(y.type)
        var iis = [Int]()
        for case .pipeline(_, _, let ii, _) in p.body { iis.append(ii) }
        let params = [parameter(p.inputs[0], tensor: a.input, input: true).replacingOccurrences(of: "\(p.inputs[0])[", with: "x[")
                        .replacingOccurrences(of: "(&\(p.inputs[0]))", with: "(&x)"),
                      parameter(p.outputs[0], tensor: a.output, input: false).replacingOccurrences(of: "\(p.outputs[0])[", with: "y[")
                        .replacingOccurrences(of: "(&\(p.outputs[0]))", with: "(&y)")]
        return """
        // posterior average of '\(y.name)' over \(n) samples (sample-major in x): y = sum · r with the sum exact in
        // \(sumT) and r = \(a.average.reciprocalRaw(y.type))/2^\(a.average.reciprocalFraction(y.type)) (1/\(n)\(n & (n - 1) == 0 ? ", exact" : " rounded")).
        static void \(p.name)(\(params.joined(separator: ", "))) {
            \(sumT) acc[\(steps * w)];
            LFADS_PRAGMA(HLS ARRAY_RESHAPE variable = acc cyclic factor = \(w) dim = 1)
            unsigned s = 0;  // the step of word t
            for (unsigned t = 0; t < \(n * steps); t++) {
                LFADS_PRAGMA(HLS PIPELINE II = \(iis.first ?? 1))
                LFADS_PRAGMA(HLS DEPENDENCE variable = acc inter distance = \(steps) true)
                \(typeName(a.input)) xw[\(w)];
                LFADS_PRAGMA(HLS ARRAY_PARTITION variable = xw complete)
                lfads_get<\(typeName(a.input)), \(w)>(x, t, xw);
                for (unsigned j = 0; j < \(w); j++) {
                    LFADS_PRAGMA(HLS UNROLL)
                    acc[s * \(w) + j] = (t < \(steps) ? \(sumT)(0) : acc[s * \(w) + j]) + xw[j];
                }
                s = s + 1 == \(steps) ? 0 : s + 1;
            }
            const \(rT) r = lfads_from_raw<\(rT) >(\(a.average.reciprocalRaw(y.type))ull);
            for (unsigned t = 0; t < \(steps); t++) {
                LFADS_PRAGMA(HLS PIPELINE II = \(iis.last ?? 1))
                \(typeName(a.output)) yw[\(w)];
                LFADS_PRAGMA(HLS ARRAY_PARTITION variable = yw complete)
                for (unsigned j = 0; j < \(w); j++) {
                    LFADS_PRAGMA(HLS UNROLL)
                    yw[j] = acc[t * \(w) + j] * r;
                }
                lfads_put<\(typeName(a.output)), \(w)>(y, t, yw);
            }
        }

        """
    }
}
