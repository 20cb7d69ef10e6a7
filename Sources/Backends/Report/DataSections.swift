import Foundation

/// The sections about the data: rates vs spikes, per-neuron accuracy, ground truth, factors, controller.
enum DataSections {
    static func timeAxis(_ inputs: ModelReport.Inputs) -> (label: String, step: Double) {
        inputs.binMilliseconds.map { ("time (ms)", $0) } ?? ("time bin", 1)
    }

    static func rates(_ a: DataAnalysis, _ inputs: ModelReport.Inputs) -> [ReportBlock] {
        let (xLabel, step) = timeAxis(inputs)
        let how = inputs.neurons == nil ? "the \(a.neurons.count) neurons with the highest mean spike count" : "the neurons asked for (--neurons)"
        var blocks: [ReportBlock] = [.paragraph(a.poisson
            ? "Trial-averaged firing (PSTH) of \(how), over the \(a.trials) simulated trial(s) of \(a.spikeSource): the mean spike count per bin "
              + "(grey), the rate the float model infers (blue) and the rate the bit-accurate fixed-point design infers (orange, dashed)"
              + (a.truth?.rates == nil ? ". " : "; green is the true rate the spikes were drawn from. ")
              + "Where the two rate curves lie on top of each other, quantisation changed nothing visible."
            : "This model was trained with lfads-torch's \(a.reconstruction ?? "") reconstruction: its outputs are "
              + (a.meaning ?? "the distribution's means") + ", not Poisson rates. Trial averages of \(how), over the \(a.trials) simulated trial(s) of "
              + "\(a.spikeSource): the data (grey), the mean the float model infers (blue) and the mean the bit-accurate fixed-point design infers "
              + "(orange, dashed)" + (a.truth?.rates == nil ? ". " : "; green is the data set's truth. ")
              + "Where the two model curves lie on top of each other, quantisation changed nothing visible.")]
        blocks += a.notes.map { .paragraph("Note: \($0).") }
        var charts: [ReportBlock] = []
        for n in a.neurons {
            var series = [ChartSeries(a.poisson ? "spikes" : "data", NeuronMetrics.trialMean(a.spikes, trials: a.trials, bins: a.bins, channels: a.channels, channel: n), colour: 8)]
            if let r = a.floatRates { series.append(ChartSeries("float", NeuronMetrics.trialMean(r, trials: a.trials, bins: a.bins, channels: a.channels, channel: n), colour: 0)) }
            if let t = a.truth?.rates, t.channels == a.channels, t.values.count == a.spikes.count {
                series.append(ChartSeries("truth", NeuronMetrics.trialMean(t.values, trials: a.trials, bins: a.bins, channels: a.channels, channel: n), colour: 2))
            }
            if let r = a.fixedRates { series.append(ChartSeries("fixed", NeuronMetrics.trialMean(r, trials: a.trials, bins: a.bins, channels: a.channels, channel: n), dashed: true, colour: 1)) }
            charts.append(.lines(LineChart(title: "neuron \(n)", xLabel: xLabel, yLabel: a.poisson ? "spikes per bin" : "value per bin", series: series, xStep: step, compact: true)))
        }
        blocks.append(.grid(charts))
        if a.trials > 0, a.bins > 0, a.channels > 0 {
            let rows = (0..<a.channels).map { c in (0..<a.bins).map { a.spikes[c + a.channels * $0] } }
            blocks.append(.paragraph(a.poisson ? "Spike raster of trial \(a.firstTrial) (the first simulated trial), all \(a.channels) neurons; darker marks are bins with more spikes."
                                               : "The data of trial \(a.firstTrial) (the first simulated trial), all \(a.channels) neurons; darker marks are larger values."))
            blocks.append(.raster(RasterChart(title: a.poisson ? "Spikes, trial \(a.firstTrial)" : "Data, trial \(a.firstTrial)", xLabel: xLabel, rows: rows,
                                              rowLabels: (0..<a.channels).map { "n\($0)" }, xStep: step)))
        }
        return blocks
    }

    static func accuracy(_ a: DataAnalysis, _ inputs: ModelReport.Inputs) -> [ReportBlock] {
        if !a.poisson { return loss(a) }
        var blocks: [ReportBlock] = [.paragraph(
            "Bits per spike (NLB definition): how much better the inferred rates predict the spikes than each neuron's mean rate, per spike, "
            + "in bits. Higher is better; the fixed-point design should lose as little as possible.")]
        func n(_ x: Double?, _ format: String = "%.4f") -> String { x.map { String(format: format, $0) } ?? "–" }
        var rows = [["", "float", "fixed point", "fixed − float"],
                    ["bits per spike (all \(a.channels) neurons)", n(a.bitsPerSpike.float), n(a.bitsPerSpike.fixed),
                     a.bitsPerSpike.float.flatMap { f in a.bitsPerSpike.fixed.map { String(format: "%+.4f", $0 - f) } } ?? "–"],
                    ["Poisson NLL per bin·neuron", n(a.nll.float, "%.5f"), n(a.nll.fixed, "%.5f"),
                     a.nll.float.flatMap { f in a.nll.fixed.map { String(format: "%+.3f%%", ($0 / f - 1) * 100) } } ?? "–"]]
        if let co = a.coBPS {
            rows.append(["co-bps (\(co.heldout) held-out neurons)", n(co.float), n(co.fixed),
                         co.float.flatMap { f in co.fixed.map { String(format: "%+.4f", $0 - f) } } ?? "–"])
        }
        blocks.append(.table(rows))
        if let co = a.coBPS {
            blocks.append(.paragraph("co-bps scores the rates of neurons the encoder never saw (\(co.source)) against their spikes, as the Neural Latents Benchmark does."))
        } else {
            blocks.append(.paragraph("co-bps: not computed. The data has no held-out neurons (no <split>_spikes_heldout, and the reconstruction data is no wider than the encoder data), so every neuron's spikes were also the model's input."))
        }
        switch inputs.fixed {
        case .failure(let error): blocks.append(.paragraph("The bit-accurate simulation did not run: \(error)"))
        case .success:
            if !a.neuronBPS.float.isEmpty, a.neuronBPS.fixed.count == a.neuronBPS.float.count {
                let worst = zip(a.neuronBPS.float, a.neuronBPS.fixed).enumerated().filter { $0.element.0.isFinite && $0.element.1.isFinite }
                    .max { ($0.element.0 - $0.element.1) < ($1.element.0 - $1.element.1) }
                blocks.append(.paragraph("Each dot is one neuron: its bits per spike with float rates (x) and fixed-point rates (y). Dots on the dashed diagonal lost nothing; "
                    + (worst.map { String(format: "the largest loss is neuron %d (%.4f → %.4f).", $0.offset, $0.element.0, $0.element.1) } ?? "")))
                blocks.append(.scatter(ScatterChart(title: "Bits per spike per neuron", xLabel: "float (bits/spike)", yLabel: "fixed point (bits/spike)",
                                                    x: a.neuronBPS.float, y: a.neuronBPS.fixed, labels: a.neuronBPS.float.indices.map { "neuron \($0)" })))
            }
        }
        return blocks
    }

    /// A non-Poisson model: its own reconstruction loss, float vs fixed, instead of Poisson measures.
    static func loss(_ a: DataAnalysis) -> [ReportBlock] {
        let kind = a.reconstruction ?? "this"
        var blocks: [ReportBlock] = [.paragraph(
            "Bits per spike and the Poisson NLL measure Poisson rates, so they are not computed for a \(kind) model. Its own measure is "
            + "lfads-torch's reconstruction loss: the \(kind) negative log-likelihood of the data per bin·neuron (lower is better), "
            + "from the distribution's parameters; the fixed-point design should raise it as little as possible.")]
        func n(_ x: Double?, _ format: String = "%.5f") -> String { x.map { String(format: format, $0) } ?? "–" }
        var rows = [["", "float", "fixed point", "fixed − float"],
                    ["\(kind) NLL per bin·neuron", n(a.loss.float), n(a.loss.fixed),
                     a.loss.float.flatMap { f in a.loss.fixed.map { String(format: "%+.5f", $0 - f) } } ?? "–"]]
        if let d = a.rateDelta {
            rows.append(["|fixed − float| of the means: max, mean", String(format: "%.3g", d.max), String(format: "%.3g", d.mean),
                         String(format: "mean of the means %.3g", d.meanRate)])
        }
        blocks.append(.table(rows))
        if !a.lossNotes.isEmpty { blocks.append(.paragraph("Loss not available: " + a.lossNotes.joined(separator: "; ") + ".")) }
        blocks.append(.paragraph("Per-neuron bits per spike and co-bps: not computed (Poisson measures)."))
        return blocks
    }

    static func truth(_ a: DataAnalysis, _ inputs: ModelReport.Inputs) -> [ReportBlock] {
        var blocks: [ReportBlock] = []
        var rows = [["comparison", "float", "fixed point", "source"]]
        func n(_ r: [Double]?) -> String { r.flatMap(DataAnalysis.meanR2).map { String(format: "%.4f", $0) } ?? "–" }
        if let t = a.truth?.rates {
            let f = a.rateR2(a.floatRates), x = a.rateR2(a.fixedRates)
            rows.append(["rates vs true rates, R² (mean over \(t.channels) neurons)", n(f), n(x), t.source])
        }
        if let l = a.truth?.latents {
            let f = a.latentR2(a.float), x = a.latentR2(a.fixed)
            let how = a.trials >= 2 ? "fit on even trials, scored on odd" : "fit and scored on the one trial"
            rows.append(["latents from factors (affine fit, \(how)), R² (mean over \(l.channels))", n(f), n(x), l.source])
            if x == nil, a.fixed != nil { blocks.append(.paragraph("The fixed-point run returned no factors, so the latent R² is float only.")) }
        }
        if rows.count > 1 {
            blocks.insert(.paragraph("R² = 1 − residual / variance per channel, averaged over channels (as lfads-torch reports it). 1 is a perfect match; "
                                     + "the fixed-point column shows what quantisation costs against the truth rather than against the float model."), at: 0)
            blocks.append(.table(rows))
        }
        let missing = a.truth?.notes ?? ["no data file to read ground truth from"]
        if a.truth?.rates == nil || a.truth?.latents == nil {
            blocks.append(.paragraph("Not available: " + missing.joined(separator: "; ") + ". Synthetic data sets carry <split>_truth (true rates) or <split>_latents; recorded data has no ground truth."))
        }
        return blocks
    }

    /// Every factor of the first trial, float solid and fixed dashed, one small chart per factor.
    static func factors(_ a: DataAnalysis) -> [ReportBlock] {
        guard let f = a.float.tensor("factors"), f.perTrialShape.count == 2, f.trials > 0 else {
            return [.paragraph("The model has no 'factors' output, so there is nothing to show here.")]
        }
        let t = f.perTrialShape[0], w = f.perTrialShape[1], v = f.trial(0)
        let fixed = a.fixed?.tensor("factors").flatMap { $0.perTrialShape == f.perTrialShape && $0.trials > 0 ? $0.trial(0) : nil }
        var text = "All \(w) factors of trial \(a.firstTrial): the low-dimensional dynamics the generator produces and the read-out turns into \(a.what). "
        text += fixed == nil ? "Fixed point: not available (the bit-accurate run did not return factors), so only float is shown."
                             : "Blue: float; orange dashed: the values the fixed-point design computes internally (bit-accurate simulation)."
        if let fixed {
            let d = zip(v, fixed).map { abs($0 - $1) }.max() ?? 0
            text += String(format: " Largest difference over all factors and bins: %.3g.", d)
        }
        var charts: [ReportBlock] = []
        for k in 0..<w {
            var series = [ChartSeries("float", (0..<t).map { v[$0 * w + k] }, colour: 0)]
            if let fixed { series.append(ChartSeries("fixed", (0..<t).map { fixed[$0 * w + k] }, dashed: true, colour: 1)) }
            charts.append(.lines(LineChart(title: "factor \(k)", xLabel: "time bin", yLabel: "factor value", series: series, compact: true)))
        }
        return [.paragraph(text), .grid(charts)]
    }

    static func controller(_ a: DataAnalysis) -> [ReportBlock] {
        var blocks: [ReportBlock] = []
        if let co = a.float.tensor("co_means") ?? a.float.tensor("gen_inputs"), co.perTrialShape.count == 2, co.trials > 0 {
            let t = co.perTrialShape[0], w = co.perTrialShape[1], v = co.trial(0)
            let fixed = a.fixed?.tensor(co.name).flatMap { $0.perTrialShape == co.perTrialShape && $0.trials > 0 ? $0.trial(0) : nil }
            blocks.append(.paragraph("Controller outputs (\(co.name), the inferred inputs to the generator) in trial \(a.firstTrial): "
                + "peaks mark moments the dynamics alone do not explain, e.g. unexpected external events. "
                + (fixed == nil ? "Fixed point: not available." : "Orange dashed: fixed point.")))
            blocks.append(.grid((0..<w).map { k in
                var series = [ChartSeries("float", (0..<t).map { v[$0 * w + k] }, colour: 0)]
                if let fixed { series.append(ChartSeries("fixed", (0..<t).map { fixed[$0 * w + k] }, dashed: true, colour: 1)) }
                return .lines(LineChart(title: "controller output \(k)", xLabel: "time bin", yLabel: "input", series: series, compact: true))
            }))
        } else {
            blocks.append(.paragraph("This model has no controller (no co_means output): the generator runs from its initial condition alone."))
        }
        if let ic = a.float.tensor("ic_mean"), ic.perTrialShape.count == 1, ic.trials > 0 {
            let fixed = a.fixed?.tensor("ic_mean").flatMap { $0.perTrialShape == ic.perTrialShape && $0.trials == ic.trials ? $0 : nil }
            if let fixed {
                let d = zip(ic.values, fixed.values).map { abs($0 - $1) }.max() ?? 0
                blocks.append(.paragraph(String(format: "Initial conditions (ic_mean, %d dimensions × %d trials): each dot is one value, float (x) against fixed point (y); the largest difference is %.3g.",
                                                ic.perTrialShape[0], ic.trials, d)))
                blocks.append(.scatter(ScatterChart(title: "Initial conditions: float vs fixed", xLabel: "float", yLabel: "fixed point",
                                                    x: ic.values, y: fixed.values,
                                                    labels: ic.values.indices.map { "trial \(a.firstTrial + $0 / ic.perTrialShape[0]), dim \($0 % ic.perTrialShape[0])" })))
            } else {
                blocks.append(.paragraph("Initial conditions (ic_mean) of trial \(a.firstTrial), float; fixed point: not available."))
                blocks.append(.table([["dimension", "ic_mean"]] + ic.trial(0).enumerated().map { ["\($0.offset)", String(format: "%.4f", $0.element)] }))
            }
        } else {
            blocks.append(.paragraph("The model has no ic_mean output."))
        }
        return blocks
    }
}
