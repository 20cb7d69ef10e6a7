import XCTest
@testable import LFADSIR

final class HLS4MLConfigTests: XCTestCase {
    /// The published design's configuration: `shared/` beside the repository (or beside one of its parent
    /// directories, for worktrees one level deeper); absent in bare clones.
    static var templatePath: String {
        let relative = "shared/peers/lfads-fpga-template/hls4ml_config.yml"
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let first = dir.deletingLastPathComponent().appendingPathComponent(relative).path
        while dir.path != "/" {
            dir = dir.deletingLastPathComponent()
            let candidate = dir.appendingPathComponent(relative).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return first
    }

    /// Our own file in the shape hls4ml writes (written for this test, not copied).
    static let sample = """
    Backend: Vitis
    ClockPeriod: 3.33
    IOType: io_parallel
    Part: xcu55c-fsvh2892-2L-e
    HLSConfig:
      Model:
        Precision: ap_fixed<18,8>
        ReuseFactor: 2
        Strategy: Latency
        TraceOutput: false
      LayerName:
        spikes:
          Precision:
            result: ap_ufixed<4,4>
        enc:
          Precision:
            weight: fixed<14,2>
            backward_weight: fixed<12,2>
            act: ap_fixed<16,2>
            activation: fixed<16,1,RND_CONV,SAT>
            recurrent_activation: ufixed<16,0,RND_CONV,SAT>
            state: fixed<16,7>
            slope: ap_fixed<16,6>
          ReuseFactor: 3
          Strategy: resource
          Trace: false
        factors:
          Precision: ap_fixed<12,5>
          table_size: 512
        factors_linear:
          Precision:
            result: ap_fixed<20,8>
        rates:
          Precision:
            result: ufixed<16,8>
            table: ufixed<18,8>
          table_range: [-12, 4]
    """

    func testSampleMapsOntoOverrides() throws {
        let c = try HLS4MLConfig(text: Self.sample, file: "sample.yml")
        XCTAssertEqual(c.clockPeriodNs, 3.33)
        XCTAssertEqual(c.part, "xcu55c-fsvh2892-2L-e")
        XCTAssertEqual(c.ioType, "io_parallel")
        XCTAssertEqual(c.backend, "Vitis")
        let o = c.overrides
        XCTAssertEqual(o.defaultPrecision?.description, "ap_fixed<18,8>")
        XCTAssertEqual(o.fieldDefaults[.table], QuantizeDefaults.tableEntry)
        XCTAssertEqual(o.reuse, 2)
        XCTAssertEqual(o.strategy, .latency)
        let enc = try XCTUnwrap(o.layers["enc"])
        XCTAssertEqual(enc.precision[.weight]?.description, "ap_fixed<14,2>")
        // activation (the QKeras quantizer's type) beats act; a bidirectional layer without a result keeps the
        // state key, with the quantizer's rounding and saturation.
        XCTAssertEqual(enc.precision[.activation]?.description, "ap_fixed<16,1,AP_RND_CONV,AP_SAT>")
        XCTAssertEqual(enc.precision[.state]?.description, "ap_fixed<16,7,AP_RND_CONV,AP_SAT>")
        XCTAssertEqual(enc.precision[.recurrentActivation]?.description, "ap_ufixed<16,0,AP_RND_CONV,AP_SAT>")
        XCTAssertEqual(enc.reuse, 3)
        XCTAssertEqual(enc.strategy, .resource)
        XCTAssertEqual(o.layers["enc.backward"]?.precision[.weight]?.description, "ap_fixed<12,2>")
        XCTAssertEqual(o.layers["factors"]?.defaultPrecision?.description, "ap_fixed<12,5>")
        XCTAssertEqual(o.layers["factors"]?.tableSize, 512)
        XCTAssertEqual(o.layers["factors"]?.precision[.result]?.description, "ap_fixed<20,8>", "folded from factors_linear")
        XCTAssertNil(o.layers["factors_linear"])
        XCTAssertEqual(o.layers["rates"]?.tableRange, -12...4)
        XCTAssertTrue(c.ignored.contains("LayerName.enc.Precision.slope"), "\(c.ignored)")
        XCTAssertTrue(c.ignored.contains("Model.TraceOutput"))

        // Through the pass, onto a graph whose layer names are the same.
        let plan = try QuantizePass(overrides: o, rejectUnknownLayers: false).plan(try QuantizeTestGraphs.autoencoder())
        XCTAssertEqual(plan.choice(TensorKey("enc.forward", .weight))?.type.description, "ap_fixed<14,2>")
        XCTAssertEqual(plan.choice(TensorKey("enc.backward", .weight))?.type.description, "ap_fixed<12,2>")
        XCTAssertEqual(plan.choice(TensorKey("enc.backward", .accum))?.type.description, "ap_fixed<18,8>", "hls4ml: accum is the model default")
        XCTAssertEqual(plan.choice(TensorKey("spikes", .result))?.type.description, "ap_ufixed<4,4>")
        XCTAssertEqual(plan.choice(TensorKey("gen", .result))?.source, .config)
        XCTAssertEqual(plan.unusedOverrides, [])
        let implemented = try StrategyPass(overrides: o).run(plan.graph)
        guard case .bidirectionalGRU(let b)? = implemented.node(named: "enc")?.op else { return XCTFail() }
        XCTAssertEqual(b.forward.implementation, Implementation(strategy: .resource, reuse: 3, recurrentReuse: 3))
        guard case .gru(let gen)? = implemented.node(named: "gen")?.op else { return XCTFail() }
        XCTAssertEqual(gen.implementation, Implementation(strategy: .latency, reuse: 2, recurrentReuse: 2))
    }

    func testActAndStateAreFallbacks() throws {
        let text = """
        LayerName:
          gru:
            Precision:
              act: ap_fixed<16,6>
              recr_act: ap_fixed<16,6>
              recurrent_activation: ufixed<16,0,RND_CONV,SAT>
              state: fixed<16,7>
              result: fixed<16,1,RND_CONV,SAT>
          bi:
            Precision:
              forward_weight: fixed<16,6>
              state: fixed<16,7>
              result: fixed<16,1,RND_CONV,SAT>
          gru_trn:
            Precision:
              state: fixed<16,7,RND,WRAP>
        """
        let c = try HLS4MLConfig(text: text)
        let g = try XCTUnwrap(c.overrides.layers["gru"])
        XCTAssertEqual(g.precision[.activation]?.description, "ap_fixed<16,6>", "act applies without activation")
        XCTAssertEqual(g.precision[.recurrentActivation]?.description, "ap_ufixed<16,0,AP_RND_CONV,AP_SAT>")
        XCTAssertEqual(g.precision[.state]?.description, "ap_fixed<16,7,AP_RND_CONV,AP_SAT>", "QKeras rounds and saturates h")
        XCTAssertEqual(c.overrides.layers["bi"]?.precision[.state]?.description, "ap_fixed<16,1,AP_RND_CONV,AP_SAT>",
                       "a bidirectional layer keeps h in its result type")
        XCTAssertEqual(c.overrides.layers["gru_trn"]?.precision[.state]?.description, "ap_fixed<16,7,AP_RND>",
                       "explicit modes are kept")
        XCTAssertEqual(c.ignored.filter { $0.hasPrefix("LayerName.bi.Precision.state ") }.count, 1, "\(c.ignored)")
        XCTAssertTrue(c.ignored.allSatisfy { !$0.hasPrefix("LayerName.gru.") }, "\(c.ignored)")
    }

    func testPublishedTemplateParsesAndMaps() throws {
        let path = Self.templatePath
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("published template not found at \(path) (the shared reference directory is not beside this clone)")
        }
        let c = try HLS4MLConfig.load(path: path)
        let o = c.overrides
        XCTAssertEqual(c.clockPeriodNs, 5)
        XCTAssertEqual(o.defaultPrecision?.description, "ap_fixed<16,6>")
        XCTAssertEqual(o.strategy, .resource)
        XCTAssertEqual(o.reuse, 1)
        let names = Set(o.layers.keys)
        for n in ["DecoderGRU", "Dense", "DenseMean", "EncoderRNN", "EncoderRNN.forward", "EncoderRNN.backward",
                  "NeuralDense", "encoder_input", "decoder_input", "q_act_postencoder"] {
            XCTAssertTrue(names.contains(n), "\(n) missing from \(names.sorted())")
        }
        XCTAssertFalse(names.contains("Dense_linear"))
        let dec = try XCTUnwrap(o.layers["DecoderGRU"])
        XCTAssertEqual(dec.precision[.weight]?.description, "ap_fixed<16,2>")
        XCTAssertEqual(dec.precision[.state]?.description, "ap_fixed<16,7,AP_RND_CONV,AP_SAT>", "the state quantizer rounds")
        XCTAssertEqual(o.layers["EncoderRNN"]?.precision[.state]?.description, "ap_fixed<16,1,AP_RND_CONV,AP_SAT>",
                       "a bidirectional layer keeps its state in the result type")
        XCTAssertEqual(dec.precision[.activation]?.description, "ap_fixed<16,1,AP_RND_CONV,AP_SAT>", "activation beats act")
        XCTAssertEqual(dec.precision[.recurrentActivation]?.description, "ap_ufixed<16,0,AP_RND_CONV,AP_SAT>")
        XCTAssertTrue(c.ignored.contains { $0.hasPrefix("LayerName.EncoderRNN.Precision.state ") }, "\(c.ignored)")
        XCTAssertEqual(o.layers["EncoderRNN"]?.precision[.result]?.description, "ap_fixed<16,1,AP_RND_CONV,AP_SAT>")
        XCTAssertEqual(o.layers["EncoderRNN.forward"]?.precision[.weight]?.description, "ap_fixed<16,6>")
        XCTAssertEqual(o.layers["q_act_postencoder"]?.precision[.result]?.description, "ap_fixed<16,7,AP_RND_CONV,AP_SAT>")
        XCTAssertEqual(o.layers["Dense"]?.precision[.result]?.description, "ap_fixed<16,6>")
    }

    /// A small graph with the published model's layer names and structure, as the Keras importer names them.
    static func templateShapedGraph() throws -> Graph {
        typealias G = QuantizeTestGraphs
        let q16_7 = G.q16_7
        var b = GraphBuilder(name: "ae_lfads")
        let x = try b.value("encoder_input", .input(InputOp(type: .sequence(steps: 5, width: 6))))
        let z = try b.value("decoder_input", .input(InputOp(type: .sequence(steps: 5, width: 4))))
        let hard = (Activation(.hardSigmoid, quantizer: G.u16_0), Activation(.hardTanh, quantizer: G.q16_1))
        let q = RecurrentQuantizers(kernel: G.q16_2, recurrentKernel: G.q16_2, bias: G.q16_2, state: q16_7)
        func cell(_ i: Int) throws -> GRUCell { try G.cell(i, 4, quantizers: q, recurrent: hard.0, candidate: hard.1) }
        let enc = try b.value("EncoderRNN", .bidirectionalGRU(BidirectionalGRULayer(
            forward: GRULayer(cell: try cell(6), returnSequences: false),
            backward: GRULayer(cell: try cell(6), reverse: true, returnSequences: false))), [x])
        let e = try b.value("q_act_postencoder", .activation(ActivationOp(Activation(.linear, quantizer: q16_7))), [enc])
        let mean = try b.value("DenseMean", .dense(DenseLayer(weight: G.matrix(4, 8), bias: [0, 0, 0, 0],
                                                              quantizers: DenseQuantizers(kernel: G.q16_2, bias: G.q16_2))), [e])
        let g0 = try b.value("q_act_dense_mean", .activation(ActivationOp(Activation(.linear, quantizer: q16_7))), [mean])
        let gen = try b.value("DecoderGRU", .gru(GRULayer(cell: try cell(4), returnSequences: true, initialState: .operand)), [z, g0])
        let d = try b.value("q_act_postdecoder", .activation(ActivationOp(Activation(.linear, quantizer: q16_7))), [gen])
        let f = try b.value("Dense", .dense(DenseLayer(weight: G.matrix(2, 4), bias: nil, quantizers: DenseQuantizers(kernel: G.q16_2))), [d])
        let out = try b.value("NeuralDense", .dense(DenseLayer(weight: G.matrix(6, 2), bias: Array(repeating: 0, count: 6),
                                                               quantizers: DenseQuantizers(kernel: G.q16_2, bias: G.q16_2))), [f])
        return try b.finish(outputs: [out])
    }

    func testPublishedTemplateOnAGraphWithItsLayerNames() throws {
        let path = Self.templatePath
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("published template not found at \(path)") }
        let o = try HLS4MLConfig.load(path: path).overrides
        let plan = try QuantizePass(overrides: o, rejectUnknownLayers: false).plan(try Self.templateShapedGraph())
        XCTAssertEqual(plan.unusedOverrides, ["q_act_postdense", "q_act_postsampling", "q_act_predecoder"])
        func type(_ layer: String, _ f: PrecisionField) -> String? { plan.choice(TensorKey(layer, f))?.type.description }
        // Direction-specific keys win, as the published fork's bidirectional template types its matrices with them.
        XCTAssertEqual(type("EncoderRNN.forward", .weight), "ap_fixed<16,6>")
        XCTAssertEqual(type("EncoderRNN.backward", .recurrentWeight), "ap_fixed<16,6>")
        XCTAssertEqual(type("EncoderRNN.forward", .state), "ap_fixed<16,1,AP_RND_CONV,AP_SAT>")
        XCTAssertEqual(type("EncoderRNN.forward", .result), "ap_fixed<16,1,AP_RND_CONV,AP_SAT>")
        XCTAssertEqual(type("EncoderRNN.forward", .accum), "ap_fixed<16,6>")
        XCTAssertEqual(type("DecoderGRU", .weight), "ap_fixed<16,2>")
        XCTAssertEqual(type("DecoderGRU", .activation), "ap_fixed<16,1,AP_RND_CONV,AP_SAT>")
        XCTAssertEqual(type("DecoderGRU", .state), "ap_fixed<16,7,AP_RND_CONV,AP_SAT>")
        XCTAssertEqual(type("DecoderGRU", .accum), "ap_fixed<16,6>")
        XCTAssertEqual(type("DenseMean", .weight), "ap_fixed<16,2>")
        XCTAssertEqual(type("Dense", .bias), "ap_fixed<16,2>")
        XCTAssertEqual(type("q_act_postdecoder", .result), "ap_fixed<16,7,AP_RND_CONV,AP_SAT>")
        XCTAssertEqual(type("encoder_input", .result), "ap_fixed<16,6>")
        XCTAssertTrue(plan.choices.allSatisfy { $0.source == .override || $0.source == .config || $0.source == .qkeras })
        XCTAssertNil(plan.choice(TensorKey("DecoderGRU", .table)), "hard sigmoid/tanh need no table")
        guard case .gru(let g)? = try StrategyPass(overrides: o).run(plan.graph).node(named: "DecoderGRU")?.op else { return XCTFail() }
        XCTAssertEqual(g.implementation, Implementation(strategy: .resource, reuse: 1, recurrentReuse: 1))
        if ProcessInfo.processInfo.environment["LFADSC_PRINT_TABLE"] != nil {
            print(QuantizePass(overrides: o).precisionTable(try Self.templateShapedGraph()))
        }
    }

    func testErrorsNameFileLineAndKey() {
        func expect(_ text: String, line: Int, key: String?, _ fragment: String, at: UInt = #line) {
            XCTAssertThrowsError(try HLS4MLConfig(text: text, file: "h.yml"), line: at) { e in
                guard let c = e as? ConfigError else { return XCTFail("\(e)", line: at) }
                XCTAssertEqual(c.line, line, c.description, line: at)
                XCTAssertEqual(c.key, key, c.description, line: at)
                XCTAssertTrue(c.message.contains(fragment), c.description, line: at)
            }
        }
        expect("HLSConfig:\n  Model:\n    Precision: ap_fixed<0,1>\n", line: 3, key: "Model.Precision", "width 0")
        expect("HLSConfig:\n  Model:\n    ReuseFactor: two\n", line: 3, key: "Model.ReuseFactor", "expected an integer")
        expect("HLSConfig:\n  Model:\n    ReuseFactor: 0\n", line: 3, key: "Model.ReuseFactor", "outside")
        expect("HLSConfig:\n  Model:\n    Strategy: Fast\n", line: 3, key: "Model.Strategy", "latency, resource, lfads")
        expect("HLSConfig:\n  LayerName:\n    enc:\n      Precision:\n        wieght: ap_fixed<8,2>\n", line: 5,
               key: "LayerName.enc.Precision.wieght", "unknown precision key")
        expect("HLSConfig:\n  LayerName:\n    enc:\n      table_size: 1000\n", line: 4, key: "LayerName.enc.table_size", "power of two")
        expect("HLSConfig:\n  LayerName:\n    enc: 3\n", line: 3, key: "LayerName.enc", "expected a map")
        expect("Backend: Vivado\n", line: 1, key: nil, "no HLSConfig")
    }

    /// Random edits of the sample: reading returns or throws a ConfigError, never traps.
    func testMalformedInputsNeverTrap() {
        var state: UInt64 = 0xD1B54A32D192ED03
        func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
        let base = Array(Self.sample)
        let alphabet: [Character] = [" ", "\n", ":", "-", "'", "[", "]", "{", "}", ",", "#", "<", ">", "0", "9", "_", "x"]
        var accepted = 0, rejected = 0
        for _ in 0..<800 {
            var c = base
            for _ in 0..<(1 + Int(next() % 4)) {
                let pos = Int(next() % UInt64(c.count))
                if next() % 2 == 0 { c[pos] = alphabet[Int(next() % UInt64(alphabet.count))] } else { c.remove(at: pos) }
            }
            do { _ = try HLS4MLConfig(text: String(c)); accepted += 1 } catch is ConfigError { rejected += 1 } catch {
                XCTFail("unexpected error type \(error)")
            }
        }
        XCTAssertGreaterThan(accepted, 0)
        XCTAssertGreaterThan(rejected, 0)
    }

    func testLoadFromAFileMatchesText() throws {
        let path = NSTemporaryDirectory() + "lfadsc-hls4ml-\(UUID().uuidString).yml"
        try Self.sample.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertEqual(try HLS4MLConfig.load(path: path).overrides, try HLS4MLConfig(text: Self.sample).overrides)
        try "HLSConfig:\n  Model:\n    Strategy: [a\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try HLS4MLConfig.load(path: path)) { XCTAssertEqual("\($0)", "\(path):3: unterminated '[' (flow lists must fit on one line)") }
    }

    func testMissingFileIsAConfigError() {
        XCTAssertThrowsError(try HLS4MLConfig.load(path: "/nonexistent/x.yml")) { e in
            XCTAssertEqual("\(e)", "/nonexistent/x.yml: cannot read the file")
        }
    }
}
