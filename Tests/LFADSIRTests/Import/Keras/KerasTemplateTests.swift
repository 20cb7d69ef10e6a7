import XCTest
import HDF5
@testable import LFADSIR

/// The published QKeras AE-LFADS model: structure, quantizers and weights after import.
final class KerasTemplateTests: XCTestCase {
    private func load() throws -> (Graph, HDF5File) {
        let file = try KerasTemplate.open()
        return (try KerasImporter().importGraph(from: file, path: KerasTemplate.path), file)
    }

    private func summary(_ g: Graph) -> [String] {
        g.nodes.map { "\($0.name) \($0.op.mnemonic)(\($0.operands.joined(separator: ","))) -> \($0.results.map(\.type.description).joined(separator: ","))" }
    }

    func testRecognizesTemplate() throws {
        XCTAssertTrue(KerasImporter().recognizes(try KerasTemplate.open()))
        XCTAssertEqual(KerasImporter().formatName, "keras")
    }

    func testNodeListShapesAndOutputs() throws {
        let (g, _) = try load()
        XCTAssertEqual(summary(g), [
            "encoder_input input() -> seq<73x70>",
            "EncoderRNN bigru(encoder_input) -> vec<128>",
            "q_act_postencoder activation(EncoderRNN) -> vec<128>",
            "DenseMean dense(q_act_postencoder) -> vec<64>",
            "q_act_dense_mean activation(DenseMean) -> vec<64>",
            "q_act_postsampling activation(q_act_dense_mean) -> vec<64>",
            "decoder_input input() -> seq<73x64>",
            "q_act_predecoder activation(q_act_postsampling) -> vec<64>",
            "DecoderGRU gru(decoder_input,q_act_predecoder) -> seq<73x64>",
            "q_act_postdecoder activation(DecoderGRU) -> seq<73x64>",
            "Dense dense(q_act_postdecoder) -> seq<73x4>",
            "q_act_postdense activation(Dense) -> seq<73x4>",
            "NeuralDense dense(q_act_postdense) -> seq<73x70>",
        ])
        // The test vectors hold only the 73×70 log-rates: NeuralDense must be the primary output.
        XCTAssertEqual(g.outputs, ["NeuralDense", "Dense"])
        XCTAssertEqual(g.primaryOutput, "NeuralDense")
        XCTAssertEqual(g.metadata["primary_output"], "NeuralDense")
        XCTAssertEqual(g.metadata["importer"], "keras")
        XCTAssertEqual(g.metadata["keras_version"], "2.6.0")
        XCTAssertEqual(g.inputs.map(\.name), ["encoder_input", "decoder_input"])
        XCTAssertNoThrow(try Verifier.verify(g))
    }

    func testQuantizersMatchTheHls4mlConfiguration() throws {
        let (g, _) = try load()
        // hls4ml_config.yml gives the same QKeras quantizers in its own spelling.
        let weight = try FixedType(parsing: "fixed<16,2,RND_CONV,SAT>")
        let state = try FixedType(parsing: "fixed<16,7,RND_CONV,SAT>")
        let tanhOut = try FixedType(parsing: "fixed<16,1,RND_CONV,SAT>")
        let sigmoidOut = try FixedType(parsing: "ufixed<16,0,RND_CONV,SAT>")

        guard case .bidirectionalGRU(let enc)? = g.node(named: "EncoderRNN")?.op else { return XCTFail("EncoderRNN is not a bigru") }
        for direction in [enc.forward, enc.backward] {
            let c = direction.cell
            XCTAssertEqual(c.reset, .after)
            XCTAssertEqual(c.gateOrder, .zrh)
            XCTAssertEqual(c.inputSize, 70)
            XCTAssertEqual(c.hiddenSize, 64)
            XCTAssertEqual(c.activation, Activation(.hardTanh, quantizer: tanhOut))
            XCTAssertEqual(c.recurrentActivation, Activation(.hardSigmoid, quantizer: sigmoidOut))
            XCTAssertEqual(c.quantizers, RecurrentQuantizers(kernel: weight, recurrentKernel: weight, bias: weight, state: state))
            XCTAssertFalse(direction.returnSequences)
            XCTAssertEqual(direction.initialState, .zeros)
        }
        XCTAssertFalse(enc.forward.reverse)
        XCTAssertTrue(enc.backward.reverse)

        guard case .gru(let dec)? = g.node(named: "DecoderGRU")?.op else { return XCTFail("DecoderGRU is not a gru") }
        XCTAssertEqual(dec.initialState, .operand)
        XCTAssertTrue(dec.returnSequences)
        XCTAssertFalse(dec.reverse)
        XCTAssertEqual(dec.cell.quantizers.state, state)
        XCTAssertEqual(dec.cell.inputSize, 64)

        for name in ["q_act_postencoder", "q_act_dense_mean", "q_act_postsampling", "q_act_predecoder", "q_act_postdecoder", "q_act_postdense"] {
            guard case .activation(let a)? = g.node(named: name)?.op else { XCTFail("\(name) is not an activation"); continue }
            XCTAssertEqual(a.activation, Activation(.linear, quantizer: state), name)
        }
        guard case .dense(let mean)? = g.node(named: "DenseMean")?.op,
              case .dense(let factors)? = g.node(named: "Dense")?.op,
              case .dense(let readout)? = g.node(named: "NeuralDense")?.op else { return XCTFail("dense layers missing") }
        XCTAssertEqual(mean.quantizers, DenseQuantizers(kernel: weight, bias: weight))
        XCTAssertEqual(factors.quantizers, DenseQuantizers(kernel: weight, bias: nil))
        XCTAssertNil(factors.bias)
        XCTAssertEqual(readout.activation, .linear)
        XCTAssertEqual([mean.inputSize, mean.outputSize, factors.inputSize, factors.outputSize, readout.inputSize, readout.outputSize],
                       [128, 64, 64, 4, 4, 70])
        XCTAssertFalse(factors.normalizeRows)
    }

    func testWeightsEqualTheFileValues() throws {
        let (g, file) = try load()
        guard case .bidirectionalGRU(let enc)? = g.node(named: "EncoderRNN")?.op,
              case .gru(let dec)? = g.node(named: "DecoderGRU")?.op,
              case .dense(let factors)? = g.node(named: "Dense")?.op,
              case .dense(let readout)? = g.node(named: "NeuralDense")?.op else { return XCTFail("layers missing") }
        // Values printed by h5py (float32 reprs); Keras [in, out] index (i, o) is IR (o, i).
        XCTAssertEqual(enc.forward.cell.kernel[5, 3], Double(Float(-0.3537516)))
        XCTAssertEqual(enc.forward.cell.kernel[191, 69], Double(Float(-0.36723962)))
        XCTAssertEqual(enc.forward.cell.kernel[128, 0], Double(Float(-0.5379517)))
        XCTAssertEqual(enc.backward.cell.bias?[7], Double(Float(0.6645066)))
        XCTAssertEqual(enc.backward.cell.recurrentBias?[130], Double(Float(0.24215233)))
        XCTAssertEqual(dec.cell.recurrentKernel[100, 10], Double(Float(-0.18667437)))
        XCTAssertEqual(readout.weight[33, 2], Double(Float(-0.40441912)))
        XCTAssertEqual(readout.bias?[69], Double(Float(1.632084)))
        XCTAssertEqual(factors.weight[3, 63], Double(Float(0.03131401)))

        // Whole tensors against direct reads: transposition and the [2, 3H] bias split.
        let prefix = "/model_weights/DecoderGRU/DecoderGRU/qgru_cell_3/"
        let kernel = try file.dataset(prefix + "kernel:0").readDoubles()
        let bias = try file.dataset(prefix + "bias:0").readDoubles()
        for i in 0..<64 { for o in 0..<192 { XCTAssertEqual(dec.cell.kernel[o, i], kernel[i * 192 + o]) } }
        XCTAssertEqual(dec.cell.bias, Array(bias[0..<192]))
        XCTAssertEqual(dec.cell.recurrentBias, Array(bias[192...]))
    }
}
