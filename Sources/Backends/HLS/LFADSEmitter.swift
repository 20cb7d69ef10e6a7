// The chunk pipeline's matrices, shared by every strategy of a dataflow design (templates in LFADSTemplates.swift,
// design in docs/lfads-strategy.md). Same quantised plan, same casts whatever the strategy; the strategy only
// picks how the weights are bound and whether spike counts are narrow integers.
import LFADSIR

extension FirmwareEmitter {
    /// A dense call in the decoder loop: the chunk pipeline in a dataflow design, the layer template otherwise.
    func denseCall(_ m: QuantizedMatrix, _ inType: String, _ outType: String, _ cfg: String, _ x: String, _ y: String,
                   _ base: String) -> String {
        dataflow
            ? "dense_lfads<\(inType), \(outType), \(cfg)>(\(x), \(y), \(base)_w, \(base)_b, 1);"
            : "dense<\(inType), \(outType), \(cfg)>(\(x), \(y), \(base)_w, \(base)_b);"
    }

    static func strategyConstant(_ s: Strategy) -> String {
        switch s {
        case .lfads: return "LFADS_LFADS"
        case .resource: return "LFADS_RESOURCE"
        case .latency: return "LFADS_LATENCY"
        }
    }

    /// Configuration and chunk-major weights of a chunk-pipeline matrix: w[(r · rows + o) · chunk + k] = W[o][r · chunk + k]
    /// (zero past the last column), so each of the `reuse` pipeline iterations reads one word of `lanes` weights.
    /// lfads and resource reshape the array into `reuse` ROM words (cyclic factor = lanes: the access pattern's
    /// word, review F8); latency partitions it into `lanes` banks of `reuse` constants (cyclic factor = lanes: at
    /// reuse 1 every weight is a constant, hls4ml's latency binding). The other pragma gets factor 1 (no-op).
    /// `inputBits` is the width of the operand the products see (as the schedule prices them): a product with an
    /// operand of at most DelayModel.fabricMaxBits bits is priced as a fabric product, so it is bound to fabric.
    mutating func lfadsMatrix(_ m: QuantizedMatrix, accum: FixedType, _ base: String, activation: String?, counts: Int?,
                              inputBits: Int?, tableII: Int = 1) -> String {
        let fabric = counts == nil && inputBits.map { min($0, m.weightType.width) <= DelayModel.fabricMaxBits } == true
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
            "    static const int strategy = \(Self.strategyConstant(m.strategy));  // chunk-major weights: the *_lfads templates only",
            "    static const unsigned reshape_factor = \(m.strategy == .latency ? 1 : lanes);  // one ROM word per iteration",
            "    static const unsigned partition_factor = \(m.strategy == .latency ? lanes : 1);  // latency: lanes banks of constants",
            "    static const bool counts = \(counts != nil);  // input products on spike counts",
            "    static const bool fabric = \(fabric);  // narrow operands: products bound to fabric (as priced)",
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
}
