import LFADSIR

/// The published AE-LFADS design (lfads-fpga-template) in IR form, with seeded random weights: the shapes,
/// types, strategy and reuse factors of its hls4ml project (hls4ml_config.yml and the generated parameters).
enum TemplateDesign {
    /// Vivado 2022.2 post-synthesis utilisation of the published design (vivado_synth.rpt, U50 part).
    static let reportDSP = 2_058
    static let reportLUT = 179_437
    static let reportFF = 227_971
    /// 248 RAMB36 + 6 RAMB18 = 502 BRAM18 equivalents (251 tiles).
    static let reportBRAM18 = 248 * 2 + 6
    /// Paper headline: 41.97 µs per trial on the U55C.
    static let paperMicroseconds = 41.97
    /// HLS-reported cycles 5,919–5,992 at 5 ns (the dataflow stage of the encoder, see docs/cost-model.md).
    static let hlsCyclesRange = 5_919...5_992

    /// The spellings used below are literals known to parse; a typo fails loudly in every test that builds the graph.
    static func fixed(_ s: String) -> FixedType {
        do { return try FixedType(parsing: s) } catch { preconditionFailure("bad type literal \(s): \(error)") }
    }

    struct Random {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53) * 2 - 1
        }
        mutating func matrix(_ r: Int, _ c: Int, scale: Double = 0.3) throws -> Matrix {
            try Matrix(rows: r, columns: c, values: (0..<(r * c)).map { _ in next() * scale })
        }
        mutating func vector(_ n: Int) -> [Double] { (0..<n).map { _ in next() * 0.1 } }
    }

    static func gruPrecision(accum: String) -> GRUPrecision {
        GRUPrecision(weight: fixed("ap_fixed<16,2>"), recurrentWeight: fixed("ap_fixed<16,2>"), bias: fixed("ap_fixed<16,2>"),
                     recurrentBias: fixed("ap_fixed<16,2>"), accum: fixed(accum),
                     recurrentActivation: fixed("ap_ufixed<16,0,AP_RND_CONV,AP_SAT>"),
                     activation: fixed("ap_fixed<16,1,AP_RND_CONV,AP_SAT>"), state: fixed("ap_fixed<16,7,AP_RND_CONV,AP_SAT>"),
                     result: fixed("ap_fixed<16,7,AP_RND_CONV,AP_SAT>"))
    }

    static func densePrecision() -> DensePrecision {
        DensePrecision(weight: fixed("ap_fixed<16,2>"), bias: fixed("ap_fixed<16,2>"), accum: fixed("ap_fixed<22,6>"),
                       result: fixed("ap_fixed<16,6>"))
    }

    static func cell(_ rng: inout Random, nIn: Int, h: Int) throws -> GRUCell {
        try GRUCell(reset: .after, kernel: rng.matrix(3 * h, nIn), recurrentKernel: rng.matrix(3 * h, h),
                    bias: rng.vector(3 * h), recurrentBias: rng.vector(3 * h),
                    recurrentActivation: Activation(.hardSigmoid), activation: Activation(.hardTanh))
    }

    /// `strategy` .resource reproduces the published configuration (RF = n_in per matrix); other strategies keep
    /// the same reuse factors unless `reuse` overrides them.
    static func graph(strategy: Strategy = .resource, seed: UInt64 = 7) throws -> Graph {
        var rng = Random(state: seed)
        let steps = 73, neurons = 70, h = 64, factors = 4
        func impl(_ rf: Int, _ rrf: Int = 1) -> Implementation { Implementation(strategy: strategy, reuse: rf, recurrentReuse: rrf) }
        var b = GraphBuilder(name: "lfads_template")
        let spikes = try b.value("encoder_input", .input(InputOp(type: .sequence(steps: steps, width: neurons), precision: fixed("ap_fixed<16,6>"))))
        let zeros = try b.value("decoder_input", .input(InputOp(type: .sequence(steps: steps, width: h), precision: fixed("ap_fixed<16,6>"))))
        let encPrecision = gruPrecision(accum: "ap_fixed<39,16>")
        let fwd = GRULayer(cell: try cell(&rng, nIn: neurons, h: h), returnSequences: false, precision: encPrecision,
                           implementation: impl(neurons, h))
        let bwd = GRULayer(cell: try cell(&rng, nIn: neurons, h: h), reverse: true, returnSequences: false, precision: encPrecision,
                           implementation: impl(neurons, h))
        let enc = try b.value("EncoderRNN", .bidirectionalGRU(BidirectionalGRULayer(forward: fwd, backward: bwd)), [spikes])
        let g0 = try b.value("DenseMean", .dense(DenseLayer(weight: rng.matrix(h, 2 * h), bias: rng.vector(h),
                                                            precision: densePrecision(), implementation: impl(2 * h))), [enc])
        let dec = try b.value("DecoderGRU", .gru(GRULayer(cell: try cell(&rng, nIn: h, h: h), returnSequences: true, initialState: .operand,
                                                          precision: gruPrecision(accum: "ap_fixed<38,15>"), implementation: impl(h, h))), [zeros, g0])
        let f = try b.value("Dense", .dense(DenseLayer(weight: rng.matrix(factors, h), bias: nil, precision: densePrecision(),
                                                       implementation: impl(h))), [dec])
        let rates = try b.value("NeuralDense", .dense(DenseLayer(weight: rng.matrix(neurons, factors), bias: rng.vector(neurons),
                                                                 precision: densePrecision(), implementation: impl(factors))), [f])
        return try b.finish(outputs: [rates])
    }
}
