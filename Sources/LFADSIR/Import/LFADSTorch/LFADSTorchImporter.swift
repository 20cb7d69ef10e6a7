import Foundation
import HDF5

/// Imports an lfads-torch model exported by tools/export_lfads_torch.py: one float32 dataset per state_dict
/// key at the root, and the constructor hyperparameters as JSON in the root attribute `hparams`.
///
/// The graph is lfads-torch's posterior-mean forward (`sample_posteriors=False`, dropout off):
///   encod_data → [readin] → ic_enc (bigru, learned h0) → ic_mean / ic_logvar → ic_std, sample(mean)
///   → gen_init (ic_to_g0) → decoder (controller fed [ci(t), f_{t−1}], ci from ci_enc with lag)
///   → readout (log-rates) → output_params = exp (rates per bin).
/// Outputs, primary first: output_params, decoder.factors, decoder.gen_states, gen_init, ic_mean, ic_std,
/// and with a controller decoder.co_means, decoder.con_states, decoder.co_stds.
public struct LFADSTorchImporter: ModelImporter {
    /// The reconstruction named by the user (`--reconstruction`, lfadsc.json), over what the file says.
    public var reconstruction: String?

    public init(reconstruction: String? = nil) { self.reconstruction = reconstruction }

    public var formatName: String { "lfads-torch" }

    public func recognizes(_ file: HDF5File) -> Bool {
        // Any of the export's marks is enough, so a damaged export (no hparams, a missing tensor) is still
        // routed here and gets an error naming what is wrong instead of "not a recognised format".
        let members = (try? file.root.memberNames()) ?? []
        if members.contains(where: { $0.hasPrefix("LFADS_") }) { return false }  // TF1 write_model_params naming
        let attributes = (try? file.root.attributeNames()) ?? []
        if attributes.contains("hparams") || attributes.contains("lfadsc_export_version") { return true }
        return members.contains { $0.hasPrefix("decoder.rnn.cell.") } && members.contains { $0.hasPrefix("encoder.") }
    }

    public func importGraph(from file: HDF5File, path: String) throws -> Graph {
        try build(TorchHyperparameters(file: file, path: path), WeightSource(file: file, path: path), path)
    }

    /// Imports a Lightning checkpoint (`.ckpt`) directly, with the tensors and hyperparameters that
    /// tools/export_lfads_torch.py would have written (see TorchCheckpoint and docs/checkpoints.md).
    public func importCheckpoint(path: String) throws -> Graph {
        try importCheckpoint(path: path) { try TorchCheckpoint(path: path) }
    }

    /// The same from bytes in memory (`path` names them in messages and the IR).
    func importCheckpoint(bytes: [UInt8], path: String, checksCRC: Bool = true) throws -> Graph {
        try importCheckpoint(path: path) { try TorchCheckpoint(bytes: bytes, checksCRC: checksCRC) }
    }

    private func importCheckpoint(path: String, _ open: () throws -> TorchCheckpoint) throws -> Graph {
        let checkpoint: TorchCheckpoint
        let values: [String: JSONScalar]
        do {
            checkpoint = try open()
            values = try checkpoint.exportedHyperparameters()
        } catch let e as CheckpointError {
            throw IRError.importFailed("\(path): \(e.message)")
        }
        let hp = try TorchHyperparameters(values, path: path, source: "hyper_parameters")
        return try build(hp, WeightSource(store: CheckpointTensorStore(checkpoint: checkpoint), path: path), path)
    }

    private func build(_ hp: TorchHyperparameters, _ w: WeightSource, _ path: String) throws -> Graph {
        do {
            var builder = TorchGraphBuilder(hp: hp, weights: w, path: path)
            builder.givenReconstruction = reconstruction
            return try builder.build()
        } catch let e as IRError {
            switch e {
            case .importFailed: throw e
            case .invalid(let m), .parse(let m), .unsupported(let m): throw IRError.importFailed("\(path): \(m)")
            }
        }
    }
}

/// Builds the IR graph of one lfads-torch model (one concern: the mapping of modules to ops).
struct TorchGraphBuilder {
    let hp: TorchHyperparameters
    let weights: any TorchTensorSource
    let path: String
    /// lfads-torch's ClippedGRUCell resets before the recurrent product; an architecture spec may ask for the
    /// Keras/cuDNN variant to compare the two.
    var reset: ResetPlacement = .before
    /// `--reconstruction` / lfadsc.json's "reconstruction", which wins over the file's.
    var givenReconstruction: String?

    private func unsupported(_ what: String) -> IRError { IRError.importFailed("\(path): \(what) is not supported") }

    func build() throws -> Graph {
        try checkSupported()
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        var b = GraphBuilder(name: isValidName(name) ? name : "lfads_torch", metadata: [
            "importer": "lfads-torch",
            "source": URL(fileURLWithPath: path).lastPathComponent,
            "reconstruction": hp.reconstruction,
        ])
        let steps = hp.encodSeqLen

        // Read-in: identity, or a Linear to encod_data_dim features.
        var x: String
        if weights.has("readin.0.weight") {
            let s = try weights.shape("readin.0.weight")
            guard s.count == 2, s[0] == hp.encodDataDim, s[1] > 0, s[1] <= TorchHyperparameters.dimensionLimit else {
                throw weights.fail("readin.0.weight", "shape \(s), expected [\(hp.encodDataDim), neurons]")
            }
            let input = try b.value("encod_data", .input(InputOp(type: .sequence(steps: steps, width: s[1]))))
            let readin = try DenseLayer(weight: weights.matrix("readin.0.weight", s[0], s[1]),
                                        bias: weights.has("readin.0.bias") ? weights.vector("readin.0.bias", s[0]) : nil)
            x = try b.value("readin", .dense(readin), [input])
        } else {
            x = try b.value("encod_data", .input(InputOp(type: .sequence(steps: steps, width: hp.encodDataDim))))
        }

        // IC encoder and posterior.
        let icEnc = try bidirectional("encoder.ic_enc", hidden: hp.icEncDim, input: hp.encodDataDim, sequences: false)
        let e = try b.value("ic_enc", .bidirectionalGRU(icEnc), [x])
        let icW = try weights.matrix("encoder.ic_linear.weight", 2 * hp.icDim, 2 * hp.icEncDim)
        let icB = try weights.vector("encoder.ic_linear.bias", 2 * hp.icDim)
        let mean = try b.value("ic_mean", .dense(DenseLayer(weight: icW.rows(0..<hp.icDim), bias: Array(icB[0..<hp.icDim]))), [e])
        let logvar = try b.value("ic_logvar", .dense(DenseLayer(weight: icW.rows(hp.icDim..<(2 * hp.icDim)),
                                                                bias: Array(icB[hp.icDim...]))), [e])
        _ = try b.value("ic_std", .posteriorStd(PosteriorStdOp(varianceFloor: hp.icPostVarMin)), [logvar])
        let sample = try b.value("ic_sample", .sample(.mean), [mean, logvar])
        let g0 = try b.value("gen_init", .dense(DenseLayer(weight: weights.matrix("decoder.ic_to_g0.weight", hp.genDim, hp.icDim),
                                                          bias: weights.vector("decoder.ic_to_g0.bias", hp.genDim))), [sample])

        // Controller inputs: ci(t) = [fwd(t − lag), bwd(t + lag)], zero outside the sequence.
        var decoderOperands = [g0]
        var controller: ControllerSpec?
        if hp.usesController {
            let ciEnc = try bidirectional("encoder.ci_enc", hidden: hp.ciEncDim, input: hp.encodDataDim, sequences: true)
            let ci = try b.value("ci_enc", .bidirectionalGRU(ciEnc), [x])
            var fwd = try b.value("ci_fwd", .slice(start: 0, count: hp.ciEncDim), [ci])
            var bwd = try b.value("ci_bwd", .slice(start: hp.ciEncDim, count: hp.ciEncDim), [ci])
            if hp.ciLag > 0 {
                fwd = try b.value("ci_fwd_lag", .timeShift(lag: hp.ciLag), [fwd])
                bwd = try b.value("ci_bwd_lag", .timeShift(lag: -hp.ciLag), [bwd])
            }
            decoderOperands.append(try b.value("ci", .concat, [fwd, bwd]))
            let con = try cell("decoder.rnn.cell.con_cell", hidden: hp.conDim, input: 2 * hp.ciEncDim + hp.facDim)
            let h0 = try weights.values("decoder.con_h0", shape: [1, hp.conDim])
            let coW = try weights.matrix("decoder.rnn.cell.co_linear.weight", 2 * hp.coDim, hp.conDim)
            let coB = try weights.vector("decoder.rnn.cell.co_linear.bias", 2 * hp.coDim)
            controller = ControllerSpec(cell: con, initialState: h0,
                                        coMean: try DenseLayer(weight: coW.rows(0..<hp.coDim), bias: Array(coB[0..<hp.coDim])),
                                        coLogvar: try DenseLayer(weight: coW.rows(hp.coDim..<(2 * hp.coDim)), bias: Array(coB[hp.coDim...])))
        }
        if hp.extInputDim > 0 {
            decoderOperands.append(try b.value("ext_input", .input(InputOp(type: .sequence(steps: hp.reconSeqLen, width: hp.extInputDim)))))
        }
        let generator = try cell("decoder.rnn.cell.gen_cell", hidden: hp.genDim, input: hp.coDim + hp.extInputDim)
        let factors = try DenseLayer(weight: weights.matrix("decoder.rnn.cell.fac_linear.weight", hp.facDim, hp.genDim),
                                     bias: nil, normalizeRows: true)
        let decoder = try LFADSDecoderLayer(steps: hp.reconSeqLen, generator: generator, factors: factors,
                                            controller: controller, externalInputs: hp.extInputDim)
        let d = try b.add("decoder", .decoder(decoder), decoderOperands)

        // Read-out and the reconstruction's means (TorchReadout.swift).
        let ro = try weights.shape("readout.0.weight")
        guard ro.count == 2, ro[1] == hp.facDim, ro[0] > 0, ro[0] <= TorchHyperparameters.dimensionLimit else {
            throw weights.fail("readout.0.weight", "shape \(ro), expected [neurons, \(hp.facDim)]")
        }
        let (recon, neurons, reconstruction) = try resolvedReconstruction()
        let raw = try readout(&b, factors: d[0], reconstruction: recon, neurons: neurons)

        var outputs = ["output_params", d[0], d[1], "gen_init", "ic_mean", "ic_std"]
        if controller != nil { outputs += [d[3], d[2], d[4]] }
        outputs += raw
        var graph = try b.finish(outputs: outputs)
        graph.metadata["reconstruction"] = reconstruction
        graph.metadata["output_params"] = recon.kind.meaning
        graph.metadata["reconstruction_kind"] = recon.kind.rawValue
        if let loc = recon.gammaLoc { graph.metadata["gamma_loc"] = "\(loc)" }
        return graph
    }

    /// The reconstruction the model was trained with, the number of neurons, and the IR's description of it.
    /// A checkpoint never stores it, so unless the user or the export names it, it is inferred from the readout:
    /// k output parameters per neuron (Poisson, PoissonBPS and MSE 1; Gaussian and Gamma 2; ZeroInflatedGamma 3
    /// with `recon.0.scale`). One is taken as Poisson, the LFADS default, and the IR says it was inferred; two are
    /// ambiguous and refused, never read as rates; a named one must match the readout.
    func resolvedReconstruction() throws -> (TorchReconstruction, neurons: Int, description: String) {
        let ro = try weights.shape("readout.0.weight")
        let neurons = weights.has("readin.0.weight") ? (try weights.shape("readin.0.weight").last ?? 0) : hp.encodDataDim
        guard ro.count == 2, neurons > 0, ro[0] % neurons == 0 else {
            throw IRError.importFailed("\(path): tensor 'readout.0.weight': \(ro.first ?? 0) outputs for \(neurons) neurons is no whole number of parameters per neuron")
        }
        let k = ro[0] / neurons
        let fix = "give --reconstruction NAME (or \"reconstruction\" in lfadsc.json)"
        let named = givenReconstruction ?? (hp.reconstruction.hasPrefix("unknown") ? nil : hp.reconstruction)
        let r: TorchReconstruction
        let description: String
        if let text = named {
            guard let parsed = TorchReconstruction(text) else {
                throw IRError.importFailed("\(path): reconstruction '\(text)' is not one of lfads-torch's (\(TorchReconstruction.names))")
            }
            guard parsed.kind.parameters == k else {
                throw IRError.importFailed("\(path): reconstruction '\(parsed.kind.rawValue)' has \(parsed.kind.parameters) parameter(s) per neuron, but the readout has \(k) (\(ro[0]) outputs for \(neurons) neurons)")
            }
            r = parsed
            description = givenReconstruction == nil ? text : "lfads_torch.modules.recons.\(r.description) (given by the user)"
        } else {
            switch k {
            case 1:
                r = TorchReconstruction(kind: .poisson)
                description = "lfads_torch.modules.recons.Poisson (inferred: one readout output per neuron; MSE has the same shape)"
            case 2:
                throw IRError.importFailed("\(path): the file does not name its reconstruction and the readout has 2 outputs per neuron: Gamma or Gaussian; \(fix), e.g. --reconstruction Gamma")
            case 3 where weights.has("recon.0.scale"):
                r = TorchReconstruction(kind: .zeroInflatedGamma)
                description = "lfads_torch.modules.recons.ZeroInflatedGamma (inferred: 3 readout outputs per neuron and 'recon.0.scale')"
            default:
                throw IRError.importFailed("\(path): the file does not name its reconstruction and the readout has \(k) outputs per neuron, which no lfads-torch reconstruction has")
            }
        }
        if r.kind == .zeroInflatedGamma {
            guard weights.has("recon.0.scale") else {
                throw IRError.importFailed("\(path): reconstruction ZeroInflatedGamma needs tensor 'recon.0.scale', which the file lacks")
            }
            guard r.gammaLoc != nil else {
                throw IRError.importFailed("\(path): ZeroInflatedGamma's gamma_loc is not stored in a checkpoint; give --reconstruction 'ZeroInflatedGamma(gamma_loc=VALUE)' (or \"reconstruction\" in lfadsc.json) with the value the model was trained with")
            }
        }
        return (r, neurons, description)
    }

    private func checkSupported() throws {
        guard hp.numSessions == 1, !weights.has("readout.1.weight"), !weights.has("readin.1.weight") else {
            throw unsupported("a multi-session model")
        }
        guard hp.icEncSeqLen == 0 else { throw unsupported("ic_enc_seq_len \(hp.icEncSeqLen) > 0 (IC encoder on a prefix)") }
        guard hp.reconSeqLen == hp.encodSeqLen else {
            throw unsupported("recon_seq_len \(hp.reconSeqLen) != encod_seq_len \(hp.encodSeqLen) (forward prediction)")
        }
        guard hp.usesController || hp.coDim == 0 else {
            throw unsupported("co_dim \(hp.coDim) without a controller (ci_enc_dim \(hp.ciEncDim), con_dim \(hp.conDim))")
        }
        guard hp.ciLag < hp.encodSeqLen else { throw unsupported("ci_lag \(hp.ciLag) >= encod_seq_len") }
    }

    /// lfads-torch's ClippedGRUCell: reset before the recurrent product, blocks z, r, n, bias_hh added.
    private func cell(_ prefix: String, hidden: Int, input: Int) throws -> GRUCell {
        try GRUCell(reset: reset, gateOrder: .zrh,
                    kernel: weights.matrix("\(prefix).weight_ih", 3 * hidden, input),
                    recurrentKernel: weights.matrix("\(prefix).weight_hh", 3 * hidden, hidden),
                    bias: weights.vector("\(prefix).bias_ih", 3 * hidden),
                    recurrentBias: weights.vector("\(prefix).bias_hh", 3 * hidden),
                    clip: hp.cellClip)
    }

    /// BidirectionalClippedGRU with learned initial states `<prefix>_h0` [2, 1, H].
    private func bidirectional(_ prefix: String, hidden: Int, input: Int, sequences: Bool) throws -> BidirectionalGRULayer {
        let h0 = try weights.values("\(prefix)_h0", shape: [2, 1, hidden])
        let f = GRULayer(cell: try cell("\(prefix).fwd_gru.cell", hidden: hidden, input: input), reverse: false,
                         returnSequences: sequences, initialState: .learned(Array(h0[0..<hidden])))
        let r = GRULayer(cell: try cell("\(prefix).bwd_gru.cell", hidden: hidden, input: input), reverse: true,
                         returnSequences: sequences, initialState: .learned(Array(h0[hidden...])))
        return BidirectionalGRULayer(forward: f, backward: r)
    }
}
