import Foundation
import HDF5
import XCTest
@testable import LFADSIR

final class LFADSTorchImporterTests: XCTestCase {
    func testControllerModelImports() throws {
        let model = LFADSTorchTinyModel(controller: true, readin: true)
        XCTAssertTrue(LFADSTorchImporter().recognizes(try model.file()))
        let g = try model.importGraph()
        XCTAssertEqual(g.outputs, ["output_params", "decoder.factors", "decoder.gen_states", "gen_init", "ic_mean", "ic_std",
                                   "decoder.co_means", "decoder.con_states", "decoder.co_stds"])
        XCTAssertEqual(g.inputs.map(\.type), [.sequence(steps: 7, width: 5)])
        XCTAssertEqual(g.valueTypes["ci"], .sequence(steps: 7, width: 4))
        XCTAssertNotNil(g.node(named: "readin"))
        guard case .timeShift(let lag)? = g.node(named: "ci_bwd_lag")?.op else { return XCTFail("no backward lag") }
        XCTAssertEqual(lag, -1)
        guard case .decoder(let d)? = g.node(named: "decoder")?.op else { return XCTFail("no decoder") }
        XCTAssertTrue(d.factors.normalizeRows)
        XCTAssertNil(d.factors.bias)
        XCTAssertEqual(d.generator.reset, .before)
        XCTAssertEqual(d.generator.clip, 5)
        XCTAssertEqual(d.controller?.cell.inputSize, 4 + 3)
        guard case .posteriorStd(let p)? = g.node(named: "ic_std")?.op else { return XCTFail("no ic_std") }
        XCTAssertEqual(p.varianceFloor, 1e-4)
        guard case .bidirectionalGRU(let b)? = g.node(named: "ic_enc")?.op else { return XCTFail("no ic_enc") }
        let h0 = try XCTUnwrap(model.tensors["encoder.ic_enc_h0"]).values.map(Double.init)
        XCTAssertEqual(b.forward.initialState, .learned(Array(h0[0..<3])))
        XCTAssertEqual(b.backward.initialState, .learned(Array(h0[3..<6])))
    }

    func testNoControllerModelWithZeroSizeTensorsImports() throws {
        let g = try LFADSTorchTinyModel(controller: false).importGraph()
        XCTAssertEqual(g.outputs.count, 6)
        guard case .decoder(let d)? = g.node(named: "decoder")?.op else { return XCTFail("no decoder") }
        XCTAssertNil(d.controller)
        XCTAssertEqual(d.generator.inputSize, 0)
        XCTAssertNil(g.node(named: "readin"))
    }

    func testLagZeroHasNoShift() throws {
        let g = try LFADSTorchTinyModel(controller: true, ciLag: 0).importGraph()
        XCTAssertNil(g.node(named: "ci_fwd_lag"))
        XCTAssertEqual(g.node(named: "ci")?.operands, ["ci_fwd", "ci_bwd"])
    }

    func testRecognizesOnlyTorchExports() throws {
        var w = HDF5Writer()
        try w.addDataset("/decoder.rnn.cell.gen_cell.weight_hh", shape: [3, 1], float32: [0, 0, 0])
        XCTAssertFalse(LFADSTorchImporter().recognizes(try HDF5File(bytes: w.bytes(), name: "x.h5")))
    }

    // MARK: errors name the file and the tensor

    private func assertImportFails(_ model: LFADSTorchTinyModel, hparamsText: String? = nil, reconstruction: String? = nil,
                                   mentions: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try model.importGraph(hparamsText: hparamsText, reconstruction: reconstruction), file: file, line: line) { error in
            guard case IRError.importFailed(let m) = error else { return XCTFail("unexpected error \(error)", file: file, line: line) }
            for s in [model.fileName] + mentions { XCTAssertTrue(m.contains(s), "'\(m)' does not mention '\(s)'", file: file, line: line) }
            XCTAssertFalse(m.contains("\n"), file: file, line: line)
        }
    }

    func testMissingTensor() {
        var m = LFADSTorchTinyModel(controller: true)
        m.tensors["decoder.rnn.cell.con_cell.weight_hh"] = nil
        assertImportFails(m, mentions: ["decoder.rnn.cell.con_cell.weight_hh", "missing"])
        var n = LFADSTorchTinyModel(controller: false)
        n.tensors["readout.0.weight"] = nil
        assertImportFails(n, mentions: ["readout.0.weight", "missing"])
    }

    func testShapeMismatch() {
        var m = LFADSTorchTinyModel(controller: true)
        m.tensors["encoder.ic_linear.weight"] = ([4, 5], [Float](repeating: 0.1, count: 20))
        assertImportFails(m, mentions: ["encoder.ic_linear.weight", "[4, 5]", "[4, 6]"])
        var t = LFADSTorchTinyModel(controller: false)
        // A transposed matrix must not be accepted.
        t.tensors["decoder.ic_to_g0.weight"] = ([2, 6], [Float](repeating: 0.1, count: 12))
        assertImportFails(t, mentions: ["decoder.ic_to_g0.weight", "shape"])
        var h = LFADSTorchTinyModel(controller: false)
        h.tensors["encoder.ic_enc_h0"] = ([2, 3], [Float](repeating: 0, count: 6))
        assertImportFails(h, mentions: ["encoder.ic_enc_h0"])
    }

    func testNaNAndInfiniteWeights() {
        var m = LFADSTorchTinyModel(controller: true)
        m.tensors["decoder.rnn.cell.gen_cell.weight_hh"]?.values[7] = .nan
        assertImportFails(m, mentions: ["decoder.rnn.cell.gen_cell.weight_hh", "element 7", "nan"])
        var i = LFADSTorchTinyModel(controller: false)
        i.tensors["readout.0.bias"]?.values[0] = -.infinity
        assertImportFails(i, mentions: ["readout.0.bias", "inf"])
    }

    func testBadHyperparameters() {
        let m = LFADSTorchTinyModel(controller: true)
        assertImportFails(m, hparamsText: "{\"gen_dim\": 6,", mentions: ["hparams", "JSON"])
        assertImportFails(m, hparamsText: "[1, 2]", mentions: ["hparams"])
        var missing = m
        missing.hparams["fac_dim"] = nil
        assertImportFails(missing, mentions: ["hparams", "fac_dim"])
        var fractional = m
        fractional.hparams["gen_dim"] = "6.5"
        assertImportFails(fractional, mentions: ["hparams", "gen_dim"])
        var text = m
        text.hparams["ic_dim"] = "\"two\""
        assertImportFails(text, mentions: ["hparams", "ic_dim"])
        var huge = m
        huge.hparams["ic_enc_dim"] = "1e300"
        assertImportFails(huge, mentions: ["hparams", "ic_enc_dim"])
        var clip = m
        clip.hparams["cell_clip"] = "0"
        assertImportFails(clip, mentions: ["hparams", "cell_clip"])
        // A dimension that disagrees with the tensors is reported on the first tensor it breaks.
        var wrong = m
        wrong.hparams["gen_dim"] = "7"
        assertImportFails(wrong, mentions: ["decoder.ic_to_g0.weight", "shape"])
    }

    func testMissingHyperparametersAttribute() throws {
        var w = HDF5Writer()
        try w.addDataset("/readout.0.weight", shape: [1, 1], float32: [0])
        let f = try HDF5File(bytes: w.bytes(), name: "bare.h5")
        XCTAssertThrowsError(try LFADSTorchImporter().importGraph(from: f, path: "bare.h5")) { error in
            XCTAssertEqual(error as? IRError, .importFailed("bare.h5: hparams: missing root string attribute 'hparams'"))
        }
    }

    /// A tiny model whose readout has `k` parameters per neuron (5 neurons), the file naming no reconstruction.
    private func widened(_ k: Int, scale: Bool = false) -> LFADSTorchTinyModel {
        var m = LFADSTorchTinyModel(controller: false)
        m.hparams["reconstruction"] = "\"unknown\""
        m.tensors["readout.0.weight"] = ([5 * k, 3], (0..<(15 * k)).map { Float($0 % 7) / 10 - 0.3 })
        m.tensors["readout.0.bias"] = ([5 * k], (0..<(5 * k)).map { Float($0 % 3) / 10 })
        if scale { m.tensors["recon.0.scale"] = ([2, 5], (0..<10).map { 0.5 + Float($0) / 10 }) }
        return m
    }

    /// A checkpoint never names its reconstruction: one readout output per neuron is Poisson (said so in the IR);
    /// two are ambiguous (Gamma or Gaussian) and refused in one line naming the fix, never simulated as rates (a
    /// Gamma model used to come out as 2N "rates"); three with `recon.0.scale` are ZeroInflatedGamma, whose
    /// gamma_loc no checkpoint stores.
    func testReconstructionIsInferredFromTheReadout() throws {
        var poisson = LFADSTorchTinyModel(controller: false)
        poisson.hparams["reconstruction"] = "\"unknown\""
        let g = try poisson.importGraph()
        XCTAssertTrue(g.metadata["reconstruction"]?.contains("inferred") ?? false, "\(g.metadata)")
        let gamma = widened(2)
        assertImportFails(gamma, mentions: ["Gamma or Gaussian", "--reconstruction"])
        assertImportFails(widened(3, scale: true), mentions: ["ZeroInflatedGamma", "gamma_loc"])
        XCTAssertNoThrow(try widened(3, scale: true).importGraph(reconstruction: "ZeroInflatedGamma(gamma_loc=0.1)"))
        assertImportFails(widened(3), mentions: ["3 outputs per neuron"])
        var odd = gamma
        odd.tensors["readout.0.weight"] = ([7, 3], [Float](repeating: 0.1, count: 21))
        odd.tensors["readout.0.bias"] = ([7], [Float](repeating: 0.1, count: 7))
        assertImportFails(odd, mentions: ["readout.0.weight"])
        // A named reconstruction must agree with the readout, named by the file or by the user.
        var named = gamma
        named.hparams["reconstruction"] = "\"lfads_torch.modules.recons.Poisson\""
        assertImportFails(named, mentions: ["Poisson", "readout has 2"])
        assertImportFails(gamma, reconstruction: "Poisson", mentions: ["Poisson", "readout has 2"])
        assertImportFails(gamma, reconstruction: "NegativeBinomial", mentions: ["NegativeBinomial", "Gamma, ZeroInflatedGamma"])
        // The user's name wins over the file's.
        XCTAssertNoThrow(try named.importGraph(reconstruction: "Gamma"))
    }

    /// Each reconstruction's means are built from dense layers and tables: the graph's output_params has one value
    /// per neuron, the raw readout (k per neuron) is the extra output `readout`, and the weights are those of
    /// lfads-torch's compute_means (Gamma: one product of W_a − W_b; ZIG: log σ̂ of the readout, then the 0/±1
    /// combination with log(s₀/s₁) and log|loc| as biases).
    func testEveryReconstructionBuildsItsMeans() throws {
        func dense(_ g: Graph, _ name: String) throws -> DenseLayer {
            guard case .dense(let d)? = g.node(named: name)?.op else { throw XCTSkip("no dense '\(name)'") }
            return d
        }
        let m2 = widened(2), w = try XCTUnwrap(m2.tensors["readout.0.weight"]).values.map(Double.init)
        let b = try XCTUnwrap(m2.tensors["readout.0.bias"]).values.map(Double.init)
        let gamma = try m2.importGraph(reconstruction: "lfads_torch.modules.recons.Gamma")
        XCTAssertEqual(gamma.valueTypes["output_params"], .sequence(steps: 7, width: 5))
        XCTAssertEqual(gamma.outputs.last, "readout")
        XCTAssertEqual(gamma.valueTypes["readout"], .sequence(steps: 7, width: 10))
        let logMeans = try dense(gamma, "log_means")
        XCTAssertEqual(logMeans.weight.values, (0..<15).map { w[$0] - w[15 + $0] })
        XCTAssertEqual(logMeans.bias, (0..<5).map { b[$0] - b[5 + $0] })
        guard case .activation(let exp)? = gamma.node(named: "output_params")?.op else { return XCTFail("no exp") }
        XCTAssertEqual(exp.activation.function, .exp)
        XCTAssertTrue(gamma.metadata["output_params"]?.contains("Gamma means") ?? false)

        let gaussian = try m2.importGraph(reconstruction: "Gaussian")
        XCTAssertEqual(try dense(gaussian, "output_params").weight.values, Array(w[0..<15]))
        let mse = try LFADSTorchTinyModel(controller: false).importGraph(reconstruction: "MSE")
        XCTAssertEqual(try dense(mse, "output_params").activation.function, .linear)
        XCTAssertEqual(mse.outputs.count, 6, "one parameter: the means are the raw readout")

        let zigModel = widened(3, scale: true)
        let s = try XCTUnwrap(zigModel.tensors["recon.0.scale"]).values.map(Double.init)
        for loc in [0.25, 0, -0.5] {
            let zig = try zigModel.importGraph(reconstruction: "ZeroInflatedGamma(gamma_loc=\(loc))")
            XCTAssertEqual(try dense(zig, "zig_logs").activation.function, .logSigmoidFloor)
            let parts = try dense(zig, loc == 0 ? "output_params" : "zig_parts")
            XCTAssertEqual(parts.activation.function, .exp)
            XCTAssertEqual(parts.quantizers.kernel?.description, "ap_fixed<2,2>", "0/±1 weights, exact in 2 bits")
            XCTAssertEqual(parts.weight.rows, loc == 0 ? 5 : 10)
            XCTAssertEqual(parts.weight[2, 2], 1); XCTAssertEqual(parts.weight[2, 7], -1); XCTAssertEqual(parts.weight[2, 12], 1)
            XCTAssertEqual(parts.weight.values.filter { $0 != 0 }.count, loc == 0 ? 15 : 20)
            XCTAssertEqual(parts.bias?[2] ?? .nan, Foundation.log(s[2]) - Foundation.log(s[7]), accuracy: 1e-12)
            if loc != 0 {
                XCTAssertEqual(parts.bias?[7] ?? .nan, Foundation.log(abs(loc)), accuracy: 1e-12)
                let sum = try dense(zig, "output_params")
                XCTAssertEqual(sum.weight[3, 3], 1)
                XCTAssertEqual(sum.weight[3, 8], loc < 0 ? -1 : 1)
            }
            XCTAssertEqual(zig.valueTypes["output_params"], .sequence(steps: 7, width: 5))
        }
        var negative = zigModel
        negative.tensors["recon.0.scale"] = ([2, 5], [1, 1, 1, 1, 1, 1, 1, 0, 1, 1])
        assertImportFails(negative, reconstruction: "ZeroInflatedGamma(gamma_loc=0.1)", mentions: ["recon.0.scale", "positive"])
        var unscaled = zigModel
        unscaled.tensors["recon.0.scale"] = nil
        assertImportFails(unscaled, reconstruction: "ZeroInflatedGamma(gamma_loc=0.1)", mentions: ["recon.0.scale"])
    }

    /// Names as users type them and as the export describes a stored module.
    func testReconstructionNamesParse() {
        XCTAssertEqual(TorchReconstruction("Gamma"), TorchReconstruction(kind: .gamma))
        XCTAssertEqual(TorchReconstruction(" lfads_torch.modules.recons.poissonbps "), TorchReconstruction(kind: .poissonBPS))
        XCTAssertEqual(TorchReconstruction("lfads_torch.modules.recons.ZeroInflatedGamma(scale=shape[2, 40], training=True, gamma_loc=0.1, scale_prior=1.0)"),
                       TorchReconstruction(kind: .zeroInflatedGamma, gammaLoc: 0.1))
        XCTAssertEqual(TorchReconstruction("ZeroInflatedGamma(gamma_loc=-2e-1)")?.gammaLoc, -0.2)
        XCTAssertNil(TorchReconstruction("ZeroInflatedGamma(gamma_loc=nan)"))
        XCTAssertNil(TorchReconstruction("ZeroInflatedGamma(gamma_loc=)"))
        XCTAssertNil(TorchReconstruction("unknown: not stored in the checkpoint"))
        XCTAssertNil(TorchReconstruction(""))
    }

    func testUnsupportedConfigurationsAreNamed() {
        var m = LFADSTorchTinyModel(controller: false)
        m.hparams["ic_enc_seq_len"] = "2"
        assertImportFails(m, mentions: ["ic_enc_seq_len"])
        var r = LFADSTorchTinyModel(controller: false)
        r.hparams["reconstruction"] = "\"lfads_torch.modules.recons.Gaussian\""
        assertImportFails(r, mentions: ["Gaussian", "2 parameter(s) per neuron"])
    }
}
