// Emission of the layers whose strategy is `lfads` (templates in LFADSTemplates.swift, design in
// docs/lfads-strategy.md). Same quantised plan, same casts as every other strategy; only the schedule differs.
import LFADSIR

extension FirmwareEmitter {
    /// Whether any matrix of the plan uses the lfads strategy (then lfads_schedule.h is emitted).
    var usesLFADS: Bool {
        plan.stages.contains { stage in
            switch stage {
            case .dense(let d): return d.matrix.strategy == .lfads
            case .gru(let g): return g.kernel.strategy == .lfads
            case .decoder(let d):
                return [d.generator.kernel, d.factors.matrix].contains { $0.strategy == .lfads }
                    || d.controller?.kernel.strategy == .lfads || d.coMean?.matrix.strategy == .lfads
            default: return false
            }
        }
    }

    /// Width of the narrow unsigned integer a spike count needs: the integer bits of the input type without its
    /// sign. Only the graph's first input holds spike counts (the cost model's convention); nil for any other
    /// operand, or when the type has no non-negative integer range.
    func countBits(_ input: Int) -> Int? { plan.countBits(input) }

    /// A dense call in the decoder loop: the lfads schedule for lfads matrices, the shared template otherwise.
    func denseCall(_ m: QuantizedMatrix, _ inType: String, _ outType: String, _ cfg: String, _ x: String, _ y: String,
                   _ base: String) -> String {
        m.strategy == .lfads
            ? "dense_lfads<\(inType), \(outType), \(cfg)>(\(x), \(y), \(base)_w, \(base)_b, 1);"
            : "dense<\(inType), \(outType), \(cfg)>(\(x), \(y), \(base)_w, \(base)_b);"
    }

    /// Configuration and chunk-major weights of an lfads matrix: w[(r · rows + o) · chunk + k] = W[o][r · chunk + k]
    /// (zero past the last column), so each of the `reuse` pipeline iterations reads one ROM word.
    mutating func lfadsMatrix(_ m: QuantizedMatrix, accum: FixedType, _ base: String, activation: String?, counts: Int?,
                              tableII: Int = 1) -> String {
        let reuse = max(1, m.reuse)
        let timing = ScheduleRules.matVec(MatrixShape(m), accum: accum, inputBits: m.weightType.width, countBits: counts,
                                            delays: DelayModel(clockMHz: options.clockMHz))
        let chunk = (m.columns + reuse - 1) / reuse
        let lanes = m.rows * chunk
        var weights = [Int64](repeating: 0, count: reuse * lanes)
        for r in 0..<reuse {
            for o in 0..<m.rows {
                for k in 0..<chunk where r * chunk + k < m.columns {
                    weights[(r * m.rows + o) * chunk + k] = m.weights[o * m.columns + r * chunk + k]
                }
            }
        }
        var lines = [
            "struct \(base)_config {",
            "    static const unsigned n_in = \(m.columns);",
            "    static const unsigned n_out = \(m.rows);",
            "    static const unsigned reuse = \(reuse);",
            "    static const unsigned chunk = \(chunk);  // inputs per pipeline iteration",
            "    static const unsigned lanes = \(lanes);  // products per iteration = weights per ROM word",
            "    static const unsigned multipliers = \(lanes);",
            "    static const int strategy = LFADS_LFADS;  // lfads: chunk-major weights, use the *_lfads templates only",
            "    static const bool counts = \(counts != nil);  // input products on spike counts",
            "    static const bool tree = \(accum.addsAssociatively);  // wrap-around accumulator: chunk sums as a tree",
            "    static const unsigned ii = \(max(timing.ii, tableII));  // pipeline interval (schedule)",
            "    typedef ap_uint<\(counts ?? 1)> count_t;",
            "    typedef \(m.weightType.description) weight_t;",
            "    typedef \(m.biasType.description) bias_t;",
            "    typedef \(accum.description) accum_t;",
            "    typedef \(CppText.romType(m.weightType)) weight_rom_t;",
            "    typedef \(CppText.romType(m.biasType)) bias_rom_t;",
        ]
        if let a = activation { lines.append("    typedef \(a) activation;") }
        lines.append("};\n")
        parameters.append(lines.joined(separator: "\n"))
        addWeights(base, "// lfads chunk-major layout: [reuse \(reuse)][rows \(m.rows)][chunk \(chunk)]\n"
            + CppText.rawArray(m.weightType, "\(base)_w", weights) + CppText.rawArray(m.biasType, "\(base)_b", m.bias))
        return base
    }

    mutating func emitDenseLFADS(_ k: Int, _ d: DenseStage) {
        let base = "L\(k)_" + CppText.identifier(d.name)
        let act = functor(d.function, base + "_act", lanes: d.matrix.rows)
        let counts = countBits(d.input)
        let cfg = matrix(d.matrix, accum: d.accum, base, activation: act, counts: counts) + "_config"
        let x = plan.tensors[d.input]
        let y = plan.tensors[d.output]
        body.append("// dense '\(d.name)' (lfads: steps and reuse in one II=1 pipeline\(counts.map { ", \($0)-bit spike-count products" } ?? ""))")
        body.append("\(y.cName)_t \(y.cName)[\(y.count)];")
        body.append("dense_lfads<\(x.cName)_t, \(y.cName)_t, \(cfg)>(\(x.cName), \(y.cName), \(base)_w, \(base)_b, \(x.steps));")
    }

    mutating func emitGRULFADS(_ k: Int, _ g: GRUStage) {
        let base = "L\(k)_" + CppText.identifier(g.name)
        let x = plan.tensors[g.input]
        let y = plan.tensors[g.output]
        let counts = countBits(g.input)
        _ = gruConfig(base, g, inputWidth: x.width, steps: x.steps, counts: counts)
        let (h0, h0Type) = initialState(base, g)
        body.append("// GRU '\(g.name)' (reset \(g.resetAfter ? "after" : "before")\(g.reverse ? ", backward" : ""); lfads: input projection of all steps, then the recurrence\(counts.map { ", \($0)-bit spike-count products" } ?? ""))")
        body.append("\(y.cName)_t \(y.cName)[\(y.count)];")
        body.append("gru_layer_lfads<\(x.cName)_t, \(h0Type), \(y.cName)_t, \(base)_config>(\(x.cName), \(h0), \(y.cName), \(gruWeights(base)));")
    }

    /// Stages k and k + 1 when they are the forward and backward halves of one lfads bidirectional GRU (the
    /// lowering emits them next to each other, reading the same input, followed by their concat).
    func bidirectionalPair(at k: Int) -> (GRUStage, GRUStage)? {
        guard k + 2 < plan.stages.count,
              case .gru(let f) = plan.stages[k], case .gru(let b) = plan.stages[k + 1],
              case .concat(let parts, _) = plan.stages[k + 2], parts == [f.output, b.output],
              f.kernel.strategy == .lfads, b.kernel.strategy == .lfads,
              f.input == b.input, !f.reverse, b.reverse else { return nil }
        if case .operand = f.initial { return nil }
        if case .operand = b.initial { return nil }
        return (f, b)
    }

    mutating func emitBidirectionalLFADS(_ k: Int, _ f: GRUStage, _ b: GRUStage) {
        let fb = "L\(k)_" + CppText.identifier(f.name)
        let bb = "L\(k + 1)_" + CppText.identifier(b.name)
        let x = plan.tensors[f.input]
        let yf = plan.tensors[f.output]
        let yb = plan.tensors[b.output]
        let counts = countBits(f.input)
        _ = gruConfig(fb, f, inputWidth: x.width, steps: x.steps, counts: counts)
        _ = gruConfig(bb, b, inputWidth: x.width, steps: x.steps, counts: counts)
        let (h0f, h0fType) = initialState(fb, f)
        let (h0b, h0bType) = initialState(bb, b)
        body.append("// bidirectional GRU '\(f.name)' + '\(b.name)' (lfads: both directions in parallel, each its input projection then its recurrence\(counts.map { ", \($0)-bit spike-count products" } ?? ""))")
        body.append("\(yf.cName)_t \(yf.cName)[\(yf.count)];")
        body.append("\(yb.cName)_t \(yb.cName)[\(yb.count)];")
        body.append("bigru_lfads<\(x.cName)_t, \(h0fType), \(h0bType), \(yf.cName)_t, \(yb.cName)_t, \(fb)_config, \(bb)_config>(\(x.cName), \(h0f), \(h0b), \(yf.cName), \(yb.cName),\n    \(gruWeights(fb)),\n    \(gruWeights(bb)));")
    }
}
