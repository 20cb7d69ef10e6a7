import Foundation
import HDF5

/// Builds the IR graph of one TF1 LFADS parameter file.
struct TF1GraphBuilder {
    let settings: TF1Settings
    let weights: WeightSource
    let path: String
    let file: HDF5File

    /// TF1 GRU and GenGRU add this to the update gate's pre-activation.
    static let forgetBias = 1.0

    /// A 2-D tensor's shape, checked to be 2-D with sizes in range.
    private func shape2(_ name: String) throws -> (rows: Int, columns: Int) {
        let s = try weights.shape(name)
        guard s.count == 2, s.allSatisfy({ $0 > 0 && $0 <= TorchHyperparameters.dimensionLimit }) else {
            throw weights.fail(name, "shape \(s), expected a non-empty 2-D matrix")
        }
        return (s[0], s[1])
    }

    /// A TF1 matrix [in, out] as the IR's [out, in].
    private func matrix(_ name: String, inputs: Int, outputs: Int) throws -> Matrix {
        try weights.matrix(name, inputs, outputs).transposed
    }

    /// A TF1 bias [1, n].
    private func bias(_ name: String, _ n: Int) throws -> [Double] {
        try weights.values(name, shape: [1, n])
    }

    private func dense(_ prefix: String, inputs: Int, outputs: Int, normalize: Bool = false, hasBias: Bool = true) throws -> DenseLayer {
        try DenseLayer(weight: matrix("\(prefix)_W:0", inputs: inputs, outputs: outputs),
                       bias: hasBias ? bias("\(prefix)_b:0", outputs) : nil, normalizeRows: normalize)
    }

    /// The session name from the single `LFADS_glm_fac_2_logrates_<name>_W:0`.
    private func sessionName() throws -> String {
        let names: [String]
        do { names = try file.root.memberNames() } catch { throw IRError.importFailed("\(path): \(error)") }
        let prefix = "LFADS_glm_fac_2_logrates_", suffix = "_W:0"
        let sessions = names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(suffix) && $0.count > prefix.count + suffix.count }
            .map { String($0.dropFirst(prefix.count).dropLast(suffix.count)) }
        guard sessions.count == 1, let name = sessions.first else {
            throw weights.fail("\(prefix)<dataset>\(suffix)", sessions.isEmpty ? "missing" : "\(sessions.count) datasets (multi-session models are not supported)")
        }
        return name
    }

    /// TF1's encoder GRU: [r, u] = [x, h]·W_ru + b_ru, c = tanh([x, r⊙h]·W_c + b_c), one fused matrix each.
    private func encoderCell(_ scope: String, inputs: Int) throws -> GRUCell {
        let c = try shape2("\(scope)_GRU_Candidate_xrh_2_c_W:0")
        let h = c.columns
        guard c.rows == inputs + h else { throw weights.fail("\(scope)_GRU_Candidate_xrh_2_c_W:0", "shape [\(c.rows), \(h)], expected [\(inputs + h), \(h)]") }
        let ru = try weights.matrix("\(scope)_GRU_Gates_xh_2_ru_W:0", inputs + h, 2 * h).transposed  // [2H, I+H], rows r then u
        let cand = try weights.matrix("\(scope)_GRU_Candidate_xrh_2_c_W:0", inputs + h, h).transposed
        let b = try bias("\(scope)_GRU_Gates_xh_2_ru_b:0", 2 * h) + bias("\(scope)_GRU_Candidate_xrh_2_c_b:0", h)
        return try GRUCell(reset: .before, gateOrder: .rzh,
                           kernel: Matrix.stacking([ru.columns(0..<inputs), cand.columns(0..<inputs)]),
                           recurrentKernel: Matrix.stacking([ru.columns(inputs..<(inputs + h)), cand.columns(inputs..<(inputs + h))]),
                           bias: b, updateBias: Self.forgetBias, clip: settings.cellClip, fused: true)
    }

    /// TF1's GenGRU: input matrices x_2_ru, x_2_c without bias (absent without inputs), h_2_ru and rh_2_c with bias.
    private func genCell(_ scope: String, hidden h: Int, inputs: Int) throws -> GRUCell {
        let p = "\(scope)_GenGRU_"
        let kernel: Matrix
        if inputs > 0 {
            kernel = try Matrix.stacking([matrix("\(p)Gates_x_2_ru_W:0", inputs: inputs, outputs: 2 * h),
                                          matrix("\(p)Candidate_x_2_c_W:0", inputs: inputs, outputs: h)])
        } else {
            for n in ["\(p)Gates_x_2_ru_W:0", "\(p)Candidate_x_2_c_W:0"] where weights.has(n) {
                throw weights.fail(n, "present, but the cell has no inputs")
            }
            kernel = Matrix(zeros: 3 * h, 0)
        }
        let recurrent = try Matrix.stacking([matrix("\(p)Gates_h_2_ru_W:0", inputs: h, outputs: 2 * h),
                                             matrix("\(p)Candidate_rh_2_c_W:0", inputs: h, outputs: h)])
        let b = try bias("\(p)Gates_h_2_ru_b:0", 2 * h) + bias("\(p)Candidate_rh_2_c_b:0", h)
        return try GRUCell(reset: .before, gateOrder: .rzh, kernel: kernel, recurrentKernel: recurrent,
                           recurrentBias: b, updateBias: Self.forgetBias, clip: settings.cellClip)
    }

    /// Forward and reverse encoders `LFADS_<e>_enc_{fwd,rev}` with learned initial states.
    private func bidirectional(_ e: String, inputs: Int, sequences: Bool) throws -> (BidirectionalGRULayer, hidden: Int) {
        var layers = [GRULayer]()
        for dir in ["fwd", "rev"] {
            let scope = "LFADS_\(e)_enc_\(dir)"
            let cell = try encoderCell(scope, inputs: inputs)
            let t0 = try weights.values("\(scope)_\(e)_enc_t0_\(dir):0", shape: [1, cell.hiddenSize])
            layers.append(GRULayer(cell: cell, reverse: dir == "rev", returnSequences: sequences, initialState: .learned(t0)))
        }
        guard layers[0].cell.hiddenSize == layers[1].cell.hiddenSize else {
            throw weights.fail("LFADS_\(e)_enc_rev_GRU_Candidate_xrh_2_c_W:0", "size differs from the forward encoder's")
        }
        return (BidirectionalGRULayer(forward: layers[0], backward: layers[1]), layers[0].cell.hiddenSize)
    }

    func build() throws -> Graph {
        let steps = settings.numSteps ?? 0
        let session = try sessionName()
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        var b = GraphBuilder(name: isValidName(name) ? name : "lfads_tf1", metadata: [
            "importer": "lfads-tf1", "source": URL(fileURLWithPath: path).lastPathComponent, "dataset": session,
            "output_params": "rates in counts per bin (exp of the readout's log-rates)",
        ])
        let readoutName = "LFADS_glm_fac_2_logrates_\(session)"
        let (fac, neurons) = try shape2("\(readoutName)_W:0")
        let (gen, gen2) = try shape2("LFADS_gen_GenGRU_Gates_h_2_ru_W:0")
        guard gen2 == 2 * gen else { throw weights.fail("LFADS_gen_GenGRU_Gates_h_2_ru_W:0", "shape [\(gen), \(gen2)], expected [\(gen), \(2 * gen)]") }

        // Read-in (x_2_infac) or identity.
        var x: String
        var encoderInputs = neurons
        let readin = "LFADS_x_2_infac_\(session)"
        if weights.has("\(readin)_W:0") {
            let (d, f) = try shape2("\(readin)_W:0")
            let input = try b.value("encod_data", .input(InputOp(type: .sequence(steps: steps, width: d))))
            x = try b.value("readin", .dense(dense(readin, inputs: d, outputs: f)), [input])
            encoderInputs = f
        } else {
            x = try b.value("encod_data", .input(InputOp(type: .sequence(steps: steps, width: neurons))))
        }

        // IC encoder and g0 posterior.
        let (icEnc, icEncDim) = try bidirectional("ic", inputs: encoderInputs, sequences: false)
        let e = try b.value("ic_enc", .bidirectionalGRU(icEnc), [x])
        let (_, ic) = try shape2("LFADS_z_ic_enc_2_post_g0_mean_W:0")
        let mean = try b.value("ic_mean", .dense(dense("LFADS_z_ic_enc_2_post_g0_mean", inputs: 2 * icEncDim, outputs: ic)), [e])
        let logvar = try b.value("ic_logvar", .dense(dense("LFADS_z_ic_enc_2_post_g0_logvar", inputs: 2 * icEncDim, outputs: ic)), [e])
        _ = try b.value("ic_std", .posteriorStd(PosteriorStdOp(varianceFloor: settings.icPostVarMin)), [logvar])
        let sample = try b.value("ic_sample", .sample(.mean), [mean, logvar])
        let g0: String
        if weights.has("LFADS_gen_g0_2_gen_ic_W:0") {
            g0 = try b.value("gen_init", .dense(dense("LFADS_gen_g0_2_gen_ic", inputs: ic, outputs: gen)), [sample])
        } else {
            // TF1 uses an identity when ic_dim == gen_dim (identity_if_possible) and creates no variables.
            guard ic == gen else { throw weights.fail("LFADS_gen_g0_2_gen_ic_W:0", "missing (ic_dim \(ic) != gen_dim \(gen))") }
            g0 = try b.value("gen_init", .activation(ActivationOp(.linear)), [sample])
        }

        // Controller.
        var operands = [g0]
        var controller: ControllerSpec?
        if weights.has("LFADS_con_GenGRU_Gates_h_2_ru_W:0") {
            let (ciEnc, ciEncDim) = try bidirectional("ci", inputs: encoderInputs, sequences: true)
            let ci = try b.value("ci_enc", .bidirectionalGRU(ciEnc), [x])
            var fwd = try b.value("ci_fwd", .slice(start: 0, count: ciEncDim), [ci])
            var bwd = try b.value("ci_bwd", .slice(start: ciEncDim, count: ciEncDim), [ci])
            let lag = settings.controllerInputLag
            if lag > 0 {
                fwd = try b.value("ci_fwd_lag", .timeShift(lag: lag), [fwd])
                bwd = try b.value("ci_bwd_lag", .timeShift(lag: -lag), [bwd])
            }
            operands.append(try b.value("ci", .concat, [fwd, bwd]))
            let (con, _) = try shape2("LFADS_con_GenGRU_Gates_h_2_ru_W:0")
            let (_, co) = try shape2("LFADS_con_con_to_post_co_mean_W:0")
            controller = ControllerSpec(
                cell: try genCell("LFADS_con", hidden: con, inputs: 2 * ciEncDim + fac),
                initialState: try weights.values("LFADS_con_c0:0", shape: [1, con]),
                coMean: try dense("LFADS_con_con_to_post_co_mean", inputs: con, outputs: co),
                coLogvar: try dense("LFADS_con_con_to_post_co_logvar", inputs: con, outputs: co))
        }
        let coDim = controller?.coMean.outputSize ?? 0
        let decoder = try LFADSDecoderLayer(
            steps: steps, generator: genCell("LFADS_gen", hidden: gen, inputs: coDim),
            factors: dense("LFADS_gen_gen_2_fac", inputs: gen, outputs: fac, normalize: true, hasBias: false),
            controller: controller)
        let d = try b.add("decoder", .decoder(decoder), operands)
        let logRates = try b.value("readout", .dense(dense(readoutName, inputs: fac, outputs: neurons)), [d[0]])
        _ = try b.value("output_params", .activation(ActivationOp(Activation(.exp))), [logRates])

        var outputs = ["output_params", d[0], d[1], "gen_init", "ic_mean", "ic_std"]
        if controller != nil { outputs += [d[3], d[2], d[4]] }
        return try b.finish(outputs: outputs)
    }
}
