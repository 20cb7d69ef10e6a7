import Foundation

/// The answer box: does the design fit, how fast is it per trial, and what did fixed point cost.
enum ReportVerdict {
    static func blocks(_ inputs: ModelReport.Inputs, _ a: DataAnalysis?) -> [ReportBlock] {
        guard let e = inputs.pipeline.finalEstimate else {
            return [.verdict([VerdictLine(.bad, "No estimate of the final design: the cost model could not price it.")])]
        }
        var lines: [VerdictLine] = []
        lines.append(fit(e, budget: inputs.utilizationBudget))
        lines += latency(e, bins: a?.bins ?? inputs.pipeline.graph.inputs.first?.type.steps, binMs: inputs.binMilliseconds)
        if let a { lines += accuracy(a, inputs) } else { lines.append(VerdictLine(.info, "No data given: accuracy was not measured (lfadsc report --data SPIKES adds it).")) }
        return [.verdict(lines), .paragraph("Every figure is an estimate before synthesis (docs/cost-model.md) or a simulation of the emitted design; the sections below show where each number comes from.")]
    }

    static func fit(_ e: DesignEstimate, budget: Double?) -> VerdictLine {
        let u = e.utilization, used = e.resources.counts
        let totals = ["dsp": e.device.dsp, "lut": e.device.lut, "ff": e.device.ff, "bram18": e.device.bram18, "uram": e.device.uram]
        guard let top = Resources.kinds.max(by: { (u[$0.key] ?? 0) < (u[$1.key] ?? 0) }) else { return VerdictLine(.bad, "No resources estimated.") }
        let share = "\(top.name) at \(String(format: "%.1f", (u[top.key] ?? 0) * 100)) % (\(used[top.key] ?? 0) of \(totals[top.key] ?? 0))"
        if !e.fits { return VerdictLine(.bad, "Does not fit the \(e.device.name.uppercased()): \(e.overfullSummary). lfadsc compile refuses this design; raise the reuse factors or narrow the precisions.") }
        if let budget, e.maxUtilization > budget {
            return VerdictLine(.warning, "Fits the \(e.device.name.uppercased()), but the largest resource is \(share), above the \(Int(budget * 100)) % the reuse pass aims for: placement and routing may fail or miss the clock.")
        }
        return VerdictLine(.good, "Fits the \(e.device.name.uppercased()): the largest resource is \(share).")
    }

    static func latency(_ e: DesignEstimate, bins: Int?, binMs: Double?) -> [VerdictLine] {
        let clock = e.effectiveClockMHz
        let clockText = e.achievableClockMHz > 0 && e.achievableClockMHz < e.clockMHz
            ? String(format: "%.0f MHz, the clock it is expected to close at; %.0f MHz was requested", clock, e.clockMHz)
            : String(format: "%.0f MHz", clock)
        let per = e.trialsPerCall > 1 ? "per call of \(e.trialsPerCall) trials" : "per trial"
        var lines = [VerdictLine(.info, String(format: "Latency %.2f µs %@: %d cycles at %@. A new trial can start every %.2f µs (%d cycles).",
                                               e.latencyMicroseconds, per, e.latencyCycles, clockText, e.intervalMicroseconds, e.intervalCycles))]
        if e.trialsPerCall > 1 {
            // The latency runs from the moment all of a call's trials are there.
            lines.append(VerdictLine(.warning, "The design carries \(e.trialsPerCall) trials per call (--trials-in-flight): a trial's result also waits "
                                     + "for its call to fill, up to \(e.trialsPerCall - 1) more trials. That is throughput for batches of trials; "
                                     + "for a closed loop with one trial at a time use --trials-in-flight 1."))
        }
        lines.append(e.fromEmittedSchedule
            ? VerdictLine(.good, "The cycle counts are those of the schedule the emitted HLS code implements (one dataflow region), checked against the emitted C++.")
            : VerdictLine(.warning, "The cycle counts price the intended layer-by-layer schedule; the emitted code is not checked against them. Treat the latency as a plan, not a measurement."))
        guard let bins, bins > 0 else { return lines }
        if let binMs, binMs > 0 {
            let trialUs = Double(bins) * binMs * 1000
            let level: VerdictLine.Level = e.intervalMicroseconds <= trialUs ? .good : .bad
            lines.append(VerdictLine(level, String(format: "A trial of %d bins × %g ms lasts %.1f ms; the design needs %.2f µs per trial (%.3g %% of it) and %.2f µs after the last bin, i.e. %.3g bin(s) of delay.",
                                                   bins, binMs, trialUs / 1000, e.intervalMicroseconds, e.intervalMicroseconds / trialUs * 100,
                                                   e.latencyMicroseconds, e.latencyMicroseconds / (binMs * 1000))))
        } else {
            lines.append(VerdictLine(.info, String(format: "The bin width is not known (data files do not state it; pass --bin-ms to lfadsc report). With %d bins per trial the design keeps up with recording in real time for any bin width of at least %.3f µs (interval / bins).",
                                                   bins, e.intervalMicroseconds / Double(bins))))
        }
        return lines
    }

    static func accuracy(_ a: DataAnalysis, _ inputs: ModelReport.Inputs) -> [VerdictLine] {
        var lines: [VerdictLine] = []
        if case .failure(let error) = inputs.fixed {
            return [VerdictLine(.bad, "The bit-accurate fixed-point simulation did not run, so the accuracy of the hardware is unknown: \(error)")]
        }
        if !a.poisson { return [loss(a)] + overflows(a) }
        guard let f = a.bitsPerSpike.float, let x = a.bitsPerSpike.fixed else {
            return [VerdictLine(.warning, "Bits per spike could not be computed (\(a.notes.first ?? "no rates or no spikes")).")]
        }
        let loss = f - x
        let level: VerdictLine.Level = loss <= 0.005 ? .good : loss <= 0.02 ? .warning : .bad
        var text = String(format: "Bits per spike over %d trials × %d neurons: %.4f float, %.4f fixed point (%@%.4f).", a.trials, a.channels, f, x, loss >= 0 ? "−" : "+", abs(loss))
        if let d = a.rateDelta {
            text += String(format: " Rates differ by at most %.3g spikes/bin (mean %.3g, mean rate %.3g).", d.max, d.mean, d.meanRate)
        }
        lines.append(VerdictLine(level, text))
        lines += overflows(a)
        if let co = a.coBPS, let cf = co.float, let cx = co.fixed {
            lines.append(VerdictLine(.info, String(format: "co-bps on %d held-out neurons: %.4f float, %.4f fixed point.", co.heldout, cf, cx)))
        }
        if let r = a.rateR2(a.floatRates).flatMap(DataAnalysis.meanR2) {
            let x = a.rateR2(a.fixedRates).flatMap(DataAnalysis.meanR2)
            lines.append(VerdictLine(.info, String(format: "Rates vs the true rates: R² %.3f float", r) + (x.map { String(format: ", %.3f fixed point.", $0) } ?? ".")))
        }
        return lines
    }

    static func overflows(_ a: DataAnalysis) -> [VerdictLine] {
        guard let o = a.overflows else { return [] }
        return [o == 0 ? VerdictLine(.good, "No fixed-point value overflowed or saturated in these trials.")
                       : VerdictLine(.warning, "\(o) overflow or saturation events in the fixed-point run (appendix: per tensor).")]
    }

    /// A non-Poisson model is judged by its own loss (relative rise of the NLL), or by the means alone without it.
    static func loss(_ a: DataAnalysis) -> VerdictLine {
        let kind = a.reconstruction ?? "this"
        let delta = a.rateDelta.map { String(format: " Means differ by at most %.3g (mean %.3g, mean of the means %.3g).", $0.max, $0.mean, $0.meanRate) } ?? ""
        guard let f = a.loss.float, let x = a.loss.fixed else {
            return VerdictLine(.info, "\(kind) model: outputs are \(kind) means, so bits per spike (a Poisson measure) is not computed; "
                               + "its own loss is not available (\(a.lossNotes.joined(separator: "; "))).\(delta)")
        }
        let rise = (x - f) / max(abs(f), 1e-12)
        let level: VerdictLine.Level = rise <= 0.005 ? .good : rise <= 0.02 ? .warning : .bad
        return VerdictLine(level, String(format: "%@ NLL per bin·neuron over %d trials × %d neurons: %.5f float, %.5f fixed point (%+.2f %%); bits per spike is a Poisson measure and not computed.",
                                         kind, a.trials, a.channels, f, x, rise * 100) + delta)
    }
}
