/// The `"lfads": {...}` form: an lfads-torch model by its sizes, built by the lfads-torch importer's own graph
/// builder from synthetic tensors (the layout tools/make_sized_lfads.py writes: no read-in, a read-out with
/// bias, learned encoder initial states, ci_lag 1, cell_clip 5).
struct ArchLFADS {
    static let keys = ["neurons", "bins", "ic_enc_dim", "ci_enc_dim", "con_dim", "co_dim", "ic_dim", "gen_dim", "fac_dim", "gru", "ci_lag", "reconstruction"]

    var hp = TorchHyperparameters()
    var reset = ResetPlacement.before
    /// Readout outputs per neuron (the reconstruction's parameters).
    var parameters = 1

    init(_ o: SpecObject) throws {
        try o.checkKeys(Self.keys)
        func dim(_ k: String, optional: Bool = false) throws -> Int {
            if !optional { _ = try o.required(k) }
            return try o.int(k, in: (optional ? 0 : 1)...ArchSpec.maxWidth) ?? 0
        }
        hp.encodDataDim = try dim("neurons")
        _ = try o.required("bins")
        hp.encodSeqLen = try o.int("bins", in: 1...ArchSpec.maxSteps) ?? 0
        hp.reconSeqLen = hp.encodSeqLen
        hp.icEncDim = try dim("ic_enc_dim")
        hp.ciEncDim = try dim("ci_enc_dim", optional: true)
        hp.conDim = try dim("con_dim", optional: true)
        hp.coDim = try dim("co_dim", optional: true)
        hp.icDim = try dim("ic_dim")
        hp.genDim = try dim("gen_dim")
        hp.facDim = try dim("fac_dim")
        hp.ciLag = try o.int("ci_lag", in: 0...ArchSpec.maxSteps) ?? 1
        hp.cellClip = 5
        hp.icPostVarMin = 1e-4
        hp.reconstruction = "lfads_torch.modules.recons.Poisson"
        if let r = try o.string("reconstruction") {
            guard let parsed = TorchReconstruction(r) else {
                throw o.fail("reconstruction", "'\(r)' is not one of lfads-torch's (\(TorchReconstruction.names))")
            }
            // A sizing needs no gamma_loc: 0.1 stands in (a non-zero one prices the larger ZIG readout).
            hp.reconstruction = parsed.kind == .zeroInflatedGamma && parsed.gammaLoc == nil ? "ZeroInflatedGamma(gamma_loc=0.1)" : r
            parameters = parsed.kind.parameters
        }
        switch try o.string("gru") ?? "reset_before" {
        case "reset_before": reset = .before
        case "reset_after": reset = .after
        case let g: throw o.fail("gru", "unknown GRU variant '\(g)' (valid: reset_before (lfads-torch), reset_after (Keras/cuDNN))")
        }
        // A controller needs all three sizes; a partial one would be silently ignored by the importer.
        if (hp.conDim > 0) != (hp.coDim > 0) || (hp.conDim > 0) != (hp.ciEncDim > 0) {
            throw ConfigError(file: o.file, key: o.path, "a controller needs ci_enc_dim, con_dim and co_dim all > 0 (or all 0 for none), got \(hp.ciEncDim), \(hp.conDim), \(hp.coDim)")
        }
        if hp.usesController, hp.ciLag >= hp.encodSeqLen {
            throw o.fail("ci_lag", "must be less than bins (\(hp.encodSeqLen)), got \(hp.ciLag)")
        }
        let weights = weightCount
        guard weights <= ArchSpec.maxWeights else {
            throw ConfigError(file: o.file, key: o.path, "the model has \(weights) weights, more than the \(ArchSpec.maxWeights) an estimate materialises")
        }
    }

    /// Weights of the model (dimensions are at most 2^16, so no product overflows).
    var weightCount: Int {
        let d = hp.encodDataDim, ie = hp.icEncDim, ce = hp.ciEncDim, cd = hp.conDim, co = hp.coDim
        let ic = hp.icDim, g = hp.genDim, f = hp.facDim
        func gru(_ h: Int, _ i: Int) -> Int { 3 * h * (i + h + 2) }
        var n = 2 * gru(ie, d) + 2 * ic * 2 * ie + g * ic + gru(g, co) + f * g + parameters * d * f
        if cd > 0 { n += 2 * gru(ce, d) + gru(cd, 2 * ce + f) + 2 * co * cd }
        return n
    }

    func build(name: String, file: String) throws -> Graph {
        let outputs = parameters * hp.encodDataDim
        var shapes = ["readout.0.weight": [outputs, hp.facDim], "readout.0.bias": [outputs]]
        if parameters == 3 { shapes["recon.0.scale"] = [2, hp.encodDataDim] }
        let tensors = SyntheticTensors(path: file, shapes: shapes)
        var builder = TorchGraphBuilder(hp: hp, weights: tensors, path: file)
        builder.reset = reset
        var g = try builder.build()
        g.name = name
        g.metadata["importer"] = "arch-spec (lfads-torch layout, synthetic weights)"
        return g
    }
}

/// Tensors made up on request: every tensor the builder asks for exists with the shape it asks for, except
/// the optional ones (`has`), which exist only when listed in `shapes`.
struct SyntheticTensors: TorchTensorSource {
    let path: String
    let shapes: [String: [Int]]

    func fail(_ tensor: String, _ problem: String) -> IRError { IRError.importFailed("\(path): tensor '\(tensor)': \(problem)") }
    func has(_ name: String) -> Bool { shapes[name] != nil }

    func shape(_ name: String) throws -> [Int] {
        guard let s = shapes[name] else { throw fail(name, "missing") }
        return s
    }

    func values(_ name: String, shape: [Int]) throws -> [Double] {
        let v = SyntheticWeights.values(name, count: shape.reduce(1, *), fanIn: shape.count > 1 ? shape[shape.count - 1] : 1)
        // ZeroInflatedGamma's scales must be positive (lfads-torch initialises them to scale_init, 1).
        return name == "recon.0.scale" ? v.map { 1 + abs($0) } : v
    }
}
