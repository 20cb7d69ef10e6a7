import Foundation

/// The numbers the data sections and the verdict share, computed once from the float and fixed runs.
struct DataAnalysis {
    struct CoBPS {
        var float: Double?
        var fixed: Double?
        var heldout: Int
        var source: String
    }

    /// lfads-torch's reconstruction (`reconstruction_kind`), nil for Poisson-era exports and Keras models.
    let reconstruction: String?
    /// What `output_params` holds (the importer's `output_params` metadata), when it says.
    let meaning: String?
    /// The reconstruction's own loss per bin·neuron (ReconstructionNLL), for a non-Poisson model, and why a side is missing.
    let loss: (float: Double?, fixed: Double?)
    let lossNotes: [String]
    let float: SimulationOutputs
    let fixed: SimulationOutputs?
    let trials: Int, bins: Int, channels: Int, firstTrial: Int
    let spikes: [Double]
    let spikeSource: String
    /// Rates in counts per bin (output_params, or exp of logrates), nil when the model outputs neither in the spikes' shape.
    /// For a non-Poisson reconstruction these are the distribution's means (Gaussian and MSE means may be negative).
    let floatRates: [Double]?
    let fixedRates: [Double]?
    let neurons: [Int]
    let bitsPerSpike: (float: Double?, fixed: Double?)
    let nll: (float: Double?, fixed: Double?)
    let neuronBPS: (float: [Double], fixed: [Double])
    let overflows: Int?
    let coBPS: CoBPS?
    let truth: GroundTruth?
    var notes: [String] = []

    /// Bits per spike and the Poisson NLL are measures of Poisson rates: computed only for a Poisson model.
    var poisson: Bool { ReconstructionNLL.isPoisson(kind: reconstruction) }
    /// "rates" for a Poisson model, "means" otherwise (for the text).
    var what: String { poisson ? "rates" : "means" }

    init(_ floatReport: SimulationReport, fixed fixedReport: SimulationReport?, neurons wanted: [Int]?, truth: GroundTruth?,
         reconstruction: String? = nil, meaning: String? = nil) {
        self.reconstruction = reconstruction
        self.meaning = meaning
        float = floatReport.outputs
        fixed = fixedReport?.outputs
        let targets = floatReport.loaded.targets
        trials = targets.trials; bins = targets.bins; channels = targets.channels; firstTrial = targets.firstTrial
        spikes = targets.values
        spikeSource = targets.source
        self.truth = truth
        let shape = [targets.bins, targets.channels]
        func rates(_ o: SimulationOutputs?) -> [Double]? {
            if let r = o?.tensor("output_params"), r.perTrialShape == shape, r.trials == targets.trials { return r.values }
            if let r = o?.tensor("logrates"), r.perTrialShape == shape, r.trials == targets.trials { return r.values.map { Foundation.exp($0) } }
            return nil
        }
        floatRates = rates(floatReport.outputs)
        fixedRates = rates(fixedReport?.outputs)
        let poisson = ReconstructionNLL.isPoisson(kind: reconstruction)
        if floatRates == nil { notes.append("the model outputs no \(poisson ? "rates" : "means") of the spikes' shape [\(bins), \(channels)] per trial; their plots and accuracy are skipped") }

        var chosen: [Int] = []
        if let wanted {
            chosen = wanted.filter { $0 >= 0 && $0 < targets.channels }
            let dropped = wanted.filter { !chosen.contains($0) }
            if !dropped.isEmpty { notes.append("neurons \(dropped.map(String.init).joined(separator: ", ")) are not in the data (channels 0–\(targets.channels - 1)); skipped") }
        }
        if chosen.isEmpty { chosen = NeuronMetrics.busiest(targets.values, channels: targets.channels, count: 4) }
        neurons = chosen

        func bps(_ r: [Double]?) -> Double? { r.flatMap { try? SpikeMetrics.bitsPerSpike(rates: $0, spikes: targets.values, neurons: targets.channels) } }
        func nll(_ r: [Double]?) -> Double? { r.flatMap { try? SpikeMetrics.poissonNLL(rates: $0, spikes: targets.values).mean } }
        func perNeuron(_ r: [Double]?) -> [Double] { r.map { NeuronMetrics.bitsPerSpike(rates: $0, spikes: targets.values, channels: targets.channels) } ?? [] }
        // Poisson measures of Poisson rates only.
        let scored = poisson ? (float: floatRates, fixed: fixedRates) : (float: nil, fixed: nil)
        bitsPerSpike = (bps(scored.float), bps(scored.fixed))
        self.nll = (nll(scored.float), nll(scored.fixed))
        neuronBPS = (perNeuron(scored.float), perNeuron(scored.fixed))
        overflows = fixedReport?.tensorStats.map { $0.values.reduce(0) { $0 + $1.overflows } }
        coBPS = poisson ? Self.coBPS(floatReport.loaded, scored.float, scored.fixed) : nil
        loss = poisson ? (nil, nil) : (floatReport.reconstructionNLL?.value, fixedReport?.reconstructionNLL?.value)
        lossNotes = poisson ? [] : [("float", floatReport), ("fixed point", fixedReport)].compactMap { side, r in
            guard let r, r.reconstructionNLL == nil else { return nil }
            return "\(side): " + (r.reconstructionNote ?? "not computed (the run did not return the distribution's parameters)")
        }
    }

    /// Held-out neurons by the NLB convention (`<split>_spikes_heldout`, the rates' extra channels after the
    /// held-in ones) or lfads-torch's (recon data wider than the encoder data).
    static func coBPS(_ loaded: LoadedInputs, _ floatRates: [Double]?, _ fixedRates: [Double]?) -> CoBPS? {
        guard let heldin = loaded.inputs.first?.channels else { return nil }
        let width = loaded.targets.channels
        let heldout: (spikes: [Double], range: Range<Int>, source: String)
        if let h = loaded.heldout, h.trials == loaded.targets.trials, h.bins == loaded.targets.bins, width == heldin + h.channels, h.channels > 0 {
            heldout = (h.values, heldin..<width, h.source)
        } else if let recon = loaded.recon, recon.channels > heldin {
            var values = [Double]()
            for row in 0..<(recon.trials * recon.bins) { values += recon.values[(row * recon.channels + heldin)..<((row + 1) * recon.channels)] }
            heldout = (values, heldin..<recon.channels, recon.source + " channels \(heldin)–\(recon.channels - 1)")
        } else {
            return nil
        }
        func score(_ r: [Double]?) -> Double? {
            r.flatMap { try? NeuronMetrics.bitsPerSpike(rates: $0, rateChannels: width, range: heldout.range, spikes: heldout.spikes) }
        }
        return CoBPS(float: score(floatRates), fixed: score(fixedRates), heldout: heldout.range.count, source: heldout.source)
    }

    /// Max and mean |fixed − float| of the rates, and the mean float rate (for scale).
    var rateDelta: (max: Double, mean: Double, meanRate: Double)? {
        guard let a = floatRates, let b = fixedRates, a.count == b.count, !a.isEmpty else { return nil }
        let d = zip(a, b).map { abs($0 - $1) }
        return (d.max() ?? 0, d.reduce(0, +) / Double(d.count), a.reduce(0, +) / Double(a.count))
    }

    /// Mean over channels of the per-channel R² (lfads-torch's uniform average), NaN channels left out.
    static func meanR2(_ r: [Double]) -> Double? {
        let finite = r.filter(\.isFinite)
        return finite.isEmpty ? nil : finite.reduce(0, +) / Double(finite.count)
    }

    func rateR2(_ rates: [Double]?) -> [Double]? {
        guard let rates, let t = truth?.rates, t.channels == channels, t.values.count == rates.count else { return nil }
        return NeuronMetrics.r2(prediction: rates, truth: t.values, channels: channels)
    }

    /// R² of latents predicted by an affine map from the factors, fitted on even trials, scored on odd ones.
    func latentR2(_ outputs: SimulationOutputs?) -> [Double]? {
        guard let f = outputs?.tensor("factors"), f.perTrialShape.count == 2, f.perTrialShape[0] == bins, f.trials == trials,
              let l = truth?.latents, l.bins == bins, l.values.count == trials * bins * l.channels else { return nil }
        let fit = (0..<(trials * bins)).map { trials < 2 || ($0 / bins) % 2 == 0 }
        return NeuronMetrics.linearFitR2(features: f.values, p: f.perTrialShape[1], targets: l.values, q: l.channels, fit: fit)
    }
}
