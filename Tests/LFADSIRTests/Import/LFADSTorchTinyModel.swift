import Foundation
import HDF5
@testable import LFADSIR

/// A small synthetic model in the lfads-torch export layout (tools/export_lfads_torch.py), written with
/// HDF5Writer so tests can remove, reshape or poison single tensors.
struct LFADSTorchTinyModel {
    var tensors: [String: (shape: [Int], values: [Float])] = [:]
    var hparams: [String: String] = [:]
    let fileName = "tiny_torch.h5"

    init(controller: Bool, readin: Bool = false, ciLag: Int = 1) {
        let neurons = 5, dataDim = readin ? 4 : 5, icEnc = 3, ic = 2, gen = 6, fac = 3
        let ciEnc = controller ? 2 : 0, con = controller ? 4 : 0, co = controller ? 1 : 0
        var seed: UInt64 = 12345
        func values(_ shape: [Int]) -> [Float] {
            (0..<shape.reduce(1, *)).map { _ in
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                return Float(Int(seed >> 40) % 1000) / 1000 - 0.5
            }
        }
        func add(_ name: String, _ shape: [Int]) { tensors[name] = (shape, values(shape)) }
        func gru(_ prefix: String, _ h: Int, _ i: Int) {
            add("\(prefix).weight_ih", [3 * h, i]); add("\(prefix).weight_hh", [3 * h, h])
            add("\(prefix).bias_ih", [3 * h]); tensors["\(prefix).bias_hh"] = ([3 * h], [Float](repeating: 0, count: 3 * h))
        }
        if readin { add("readin.0.weight", [dataDim, neurons]); add("readin.0.bias", [dataDim]) }
        gru("encoder.ic_enc.fwd_gru.cell", icEnc, dataDim)
        gru("encoder.ic_enc.bwd_gru.cell", icEnc, dataDim)
        add("encoder.ic_enc_h0", [2, 1, icEnc])
        add("encoder.ic_linear.weight", [2 * ic, 2 * icEnc]); add("encoder.ic_linear.bias", [2 * ic])
        add("decoder.ic_to_g0.weight", [gen, ic]); add("decoder.ic_to_g0.bias", [gen])
        gru("decoder.rnn.cell.gen_cell", gen, co)
        add("decoder.rnn.cell.fac_linear.weight", [fac, gen])
        add("decoder.con_h0", [1, con])
        if controller {
            gru("encoder.ci_enc.fwd_gru.cell", ciEnc, dataDim)
            gru("encoder.ci_enc.bwd_gru.cell", ciEnc, dataDim)
            add("encoder.ci_enc_h0", [2, 1, ciEnc])
            gru("decoder.rnn.cell.con_cell", con, 2 * ciEnc + fac)
            add("decoder.rnn.cell.co_linear.weight", [2 * co, con]); add("decoder.rnn.cell.co_linear.bias", [2 * co])
        }
        add("ic_prior.mean", [ic]); add("ic_prior.logvar", [ic])
        add("readout.0.weight", [neurons, fac]); add("readout.0.bias", [neurons])
        hparams = [
            "encod_data_dim": "\(dataDim)", "encod_seq_len": "7", "recon_seq_len": "7", "ext_input_dim": "0",
            "ic_enc_seq_len": "0", "ic_enc_dim": "\(icEnc)", "ci_enc_dim": "\(ciEnc)", "ci_lag": "\(ciLag)",
            "con_dim": "\(con)", "co_dim": "\(co)", "ic_dim": "\(ic)", "gen_dim": "\(gen)", "fac_dim": "\(fac)",
            "cell_clip": "5.0", "ic_post_var_min": "0.0001", "num_sessions": "1",
            "reconstruction": "\"lfads_torch.modules.recons.Poisson\"", "variational": "true",
        ]
    }

    var hparamsJSON: String {
        "{" + hparams.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
    }

    func file(hparamsText: String? = nil) throws -> HDF5File {
        var w = HDF5Writer()
        for (name, t) in tensors.sorted(by: { $0.key < $1.key }) {
            try w.addDataset("/" + name, shape: t.shape, float32: t.values)
        }
        try w.setAttribute("/", "hparams", .strings([hparamsText ?? hparamsJSON]))
        return try HDF5File(bytes: w.bytes(), name: fileName)
    }

    func importGraph(hparamsText: String? = nil, reconstruction: String? = nil) throws -> Graph {
        try LFADSTorchImporter(reconstruction: reconstruction).importGraph(from: file(hparamsText: hparamsText), path: fileName)
    }
}
