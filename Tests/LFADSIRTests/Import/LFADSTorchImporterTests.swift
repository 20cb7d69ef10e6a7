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

    private func assertImportFails(_ model: LFADSTorchTinyModel, hparamsText: String? = nil, mentions: [String],
                                   file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try model.importGraph(hparamsText: hparamsText), file: file, line: line) { error in
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

    /// A checkpoint never names its reconstruction: one readout output per neuron is Poisson (said so in the IR);
    /// two or three are refused by name, never simulated as rates (a Gamma model used to come out as 2N "rates").
    func testReconstructionIsInferredFromTheReadout() throws {
        var poisson = LFADSTorchTinyModel(controller: false)
        poisson.hparams["reconstruction"] = "\"unknown\""
        let g = try poisson.importGraph()
        XCTAssertTrue(g.metadata["reconstruction"]?.contains("inferred") ?? false, "\(g.metadata)")
        var gamma = LFADSTorchTinyModel(controller: false)
        gamma.hparams["reconstruction"] = "\"unknown\""
        gamma.tensors["readout.0.weight"] = ([10, 3], [Float](repeating: 0.1, count: 30))
        gamma.tensors["readout.0.bias"] = ([10], [Float](repeating: 0.1, count: 10))
        assertImportFails(gamma, mentions: ["Gamma or Gaussian", "not read as Poisson"])
        var zig = gamma
        zig.tensors["readout.0.weight"] = ([15, 3], [Float](repeating: 0.1, count: 45))
        zig.tensors["readout.0.bias"] = ([15], [Float](repeating: 0.1, count: 15))
        zig.tensors["recon.0.scale"] = ([2, 5], [Float](repeating: 1, count: 10))
        assertImportFails(zig, mentions: ["ZeroInflatedGamma"])
        var odd = gamma
        odd.tensors["readout.0.weight"] = ([7, 3], [Float](repeating: 0.1, count: 21))
        odd.tensors["readout.0.bias"] = ([7], [Float](repeating: 0.1, count: 7))
        assertImportFails(odd, mentions: ["readout.0.weight"])
        // A named reconstruction must agree with the readout.
        var named = gamma
        named.hparams["reconstruction"] = "\"lfads_torch.modules.recons.Poisson\""
        assertImportFails(named, mentions: ["Poisson", "readout has 2"])
    }

    func testUnsupportedConfigurationsAreNamed() {
        var m = LFADSTorchTinyModel(controller: false)
        m.hparams["ic_enc_seq_len"] = "2"
        assertImportFails(m, mentions: ["ic_enc_seq_len"])
        var r = LFADSTorchTinyModel(controller: false)
        r.hparams["reconstruction"] = "\"lfads_torch.modules.recons.Gaussian\""
        assertImportFails(r, mentions: ["Gaussian"])
    }
}
