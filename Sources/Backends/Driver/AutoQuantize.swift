import Foundation
import LFADSIR

/// `--precision auto`: the automatic precision search (AutoPrecision) driven by the simulators.
///   • ranges: FloatSimulator.evaluate on the calibration trials (every IR value), plus the parameters
///     themselves and the bounds of gates and GRU states (TensorRanges);
///   • score: Poisson NLL per bin·neuron of the rates on the held-out trials, from the bit-accurate
///     simulation of the whole hardware graph (FixedSimulator, i.e. the emitted HLS arithmetic);
///   • the limit: float NLL · (1 + maxIncrease).
/// Deterministic: fixed trial sets, fixed search order, results independent of `threads`.
public enum AutoQuantize {
    public struct Options: Sendable {
        /// Allowed relative NLL increase over the float model (0.005 = 0.5 %).
        public var maxIncrease: Double
        public var threads: Int
        /// nil: `output_params` when present, else the primary output as log-rates with 10 ms bins.
        public var rateOutput: RateOutput?
        /// Greedy passes over the tensors (each pass visits every searched tensor once).
        public var maxPasses: Int
        public var startFraction: Int
        public var marginBits: Int
        /// Search only tensors of these fields (nil: all); e.g. the parameters alone.
        public var fields: Set<PrecisionField>?
        /// Told what the run is doing (on the caller's thread), e.g. for a progress line.
        public var progress: (@Sendable (Phase) -> Void)?

        public init(maxIncrease: Double = 0.005, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                    rateOutput: RateOutput? = nil, maxPasses: Int = 2, startFraction: Int = 16, marginBits: Int = 1,
                    fields: Set<PrecisionField>? = nil, progress: (@Sendable (Phase) -> Void)? = nil) {
            self.fields = fields
            self.progress = progress
            self.maxIncrease = maxIncrease
            self.threads = max(1, threads)
            self.rateOutput = rateOutput
            self.maxPasses = maxPasses
            self.startFraction = startFraction
            self.marginBits = marginBits
        }
    }

    /// The stages of a run, in order: the float reference, the search (after every evaluation), the baseline's
    /// NLL, and the compile pipeline on the chosen configuration.
    public enum Phase: Sendable, Equatable {
        case reference(trials: Int)
        case search(AutoPrecision.Progress)
        case baseline
        case pipeline
    }

    /// Trials read for the search: graph inputs per trial and the spike targets, flattened.
    public struct Trials: Sendable {
        public var inputs: [[String: [Double]]]
        public var targets: [Double]
        public var count: Int { inputs.count }

        public init(_ loaded: LoadedInputs, graph: Graph) throws {
            let names = graph.inputs.map(\.name)
            guard names.count == loaded.inputs.count else {
                throw IRError.invalid("auto precision: \(loaded.inputs.count) data inputs for \(names.count) model inputs")
            }
            let n = loaded.inputs.first?.trials ?? 0
            guard n > 0 else { throw IRError.invalid("auto precision: no trials") }
            inputs = (0..<n).map { t in
                var d = [String: [Double]]()
                for (name, data) in zip(names, loaded.inputs) { d[name] = data.trial(t) }
                return d
            }
            targets = loaded.targets.values
        }

        /// Reads `selection` of `path` (HDF5 split `dataset` or .dat) as the graph's inputs.
        public static func read(path: String, dataset: String? = nil, selection: TrialSelection, graph: Graph) throws -> Trials {
            try Trials(SpikeDataReader.read(path: path, dataset: dataset, selection: selection,
                                            expectedInputs: Simulation.inputSpecs(graph)), graph: graph)
        }
    }

    /// One searched tensor of the report.
    public struct Row: Sendable {
        public var key: TensorKey
        public var type: FixedType
        public var range: ClosedRange<Double>?
    }

    public struct Report: Sendable {
        /// The configuration's overrides plus one entry per searched tensor: pass these to CompilePipeline.
        public var overrides: PrecisionOverrides
        /// The model after the whole pipeline (hardware-outputs, fold-quantizers, quantize, strategy) with `overrides`.
        public var graph: Graph
        public var rows: [Row]
        public var rateOutput: RateOutput
        public var calibrationTrials: Int
        public var heldOutTrials: Int
        public var floatNLL: Double
        public var fixedNLL: Double
        public var limit: Double
        /// NLL of the configuration without the search (lfadsc's defaults: ap_fixed<16,6>, accum <24,10>);
        /// NaN when that configuration does not lower to hardware (e.g. it pins only one of two tied tensors).
        public var baselineNLL: Double
        /// Σ element count × width over weights and biases (TensorInventory), chosen and baseline.
        public var weightBits: Int
        public var baselineWeightBits: Int
        public var evaluations: Int
        public var seconds: Double

        public var relativeIncrease: Double { (fixedNLL - floatNLL) / abs(floatNLL) }
        public var baselineRelativeIncrease: Double { (baselineNLL - floatNLL) / abs(floatNLL) }

        /// The table the CLI prints: tensor, chosen type, calibration range.
        public func table() -> String {
            let width = max(6, rows.map(\.key.description.count).max() ?? 6)
            var out = "tensor".padding(toLength: width, withPad: " ", startingAt: 0) + "  type                                    range\n"
            for r in rows {
                let range = r.range.map { String(format: "[%.4g, %.4g]", $0.lowerBound, $0.upperBound) } ?? "-"
                out += r.key.description.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                    + r.type.description.padding(toLength: 38, withPad: " ", startingAt: 0) + "  " + range + "\n"
            }
            return out
        }

        public func summary() -> String {
            var lines = [String]()
            lines.append("rates: \(rateOutput); \(calibrationTrials) calibration trial(s), \(heldOutTrials) held-out trial(s)")
            lines.append(String(format: "Poisson NLL per bin·neuron: float %.6f, auto %.6f (%+.3f %%, limit %.6f), baseline 16-bit %.6f (%+.3f %%)",
                                floatNLL, fixedNLL, 100 * relativeIncrease, limit, baselineNLL, 100 * baselineRelativeIncrease))
            lines.append(String(format: "weight bits: auto %d, baseline 16-bit %d (%.1f %%)", weightBits, baselineWeightBits,
                                100 * Double(weightBits) / Double(max(baselineWeightBits, 1))))
            lines.append(String(format: "%d evaluations, %.1f s", evaluations, seconds))
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// Runs the search. `graph` is the imported model; `overrides` the configuration's (its per-layer entries
    /// are kept and not searched); `calibration` gives ranges, `heldOut` the NLL (they may be the same trials).
    public static func run(graph: Graph, config: ProjectConfig, overrides: PrecisionOverrides,
                           calibration: Trials, heldOut: Trials, options: Options = Options()) throws -> Report {
        let started = Date()
        // The graph the design is built from (CompilePipeline's first passes): diagnostic outputs such as co_stds
        // are dropped, so the hardware plan lowers all of it. A rate output that is not the primary one is kept.
        let kept = try HardwareOutputsPass(keep: options.rateOutput.map { [$0.value] } ?? []).run(graph)
        let folded = try FoldQuantizersPass().run(kept)
        let rateOutput = try options.rateOutput ?? RateOutput.detect(folded)
        guard folded.outputs.contains(rateOutput.value) else {
            throw IRError.invalid("auto precision: graph '\(graph.name)' has no output '\(rateOutput.value)'")
        }

        // Float reference: ranges on the calibration trials, NLL on the held-out ones.
        options.progress?(.reference(trials: calibration.count + heldOut.count))
        let float = try FloatSimulator(graph: folded)
        var observed = [String: ClosedRange<Double>]()
        for (t, inputs) in calibration.inputs.enumerated() {
            for (name, v) in try float.evaluate(inputs: inputs, trial: t) {
                guard let lo = v.min(), let hi = v.max(), lo.isFinite, hi.isFinite else { continue }
                observed[name] = observed[name].map { TensorRanges.union($0, lo...hi) } ?? lo...hi
            }
        }
        let floatOut = try float.runBatch(trials: heldOut.inputs, threads: options.threads)
        let floatNLL = try nll(floatOut.map { $0[rateOutput.value] ?? [] }, heldOut, rateOutput)

        let ties = TensorRanges.ties(graph: folded)
        var ranges = TensorRanges.collect(graph: folded, observed: observed)
        if let fields = options.fields { ranges = ranges.filter { fields.contains($0.key.field) } }
        for (follower, leader) in ties {
            guard let r = ranges.removeValue(forKey: follower) else { continue }
            ranges[leader] = ranges[leader].map { TensorRanges.union($0, r) } ?? r
        }

        let fixedNLL: (Graph) throws -> Double = { q in
            let out = try FixedSimulator(graph: q).runBatch(trials: heldOut.inputs, threads: options.threads)
            return try nll(out.map { $0.outputs[rateOutput.value]?.doubles ?? [] }, heldOut, rateOutput)
        }
        var search = AutoPrecision(rangeProvider: { _ in ranges }, nll: fixedNLL, floatNLL: floatNLL,
                                   maxIncrease: options.maxIncrease, base: overrides)
        search.ties = ties
        search.maxPasses = options.maxPasses
        search.startFraction = options.startFraction
        search.marginBits = options.marginBits
        if let report = options.progress { search.progress = { report(.search($0)) } }
        let result = try search.run(folded)

        options.progress?(.baseline)
        let baseline = try QuantizePass(overrides: overrides).run(folded)
        let baselineNLL = (try? fixedNLL(baseline)) ?? .nan
        options.progress?(.pipeline)
        let final = try CompilePipeline.run(graph, config: config, overrides: result.overrides, estimate: false).graph
        let rows = result.chosen.keys.sorted().compactMap { k in result.chosen[k].map { Row(key: k, type: $0, range: ranges[k] ?? ties[k].flatMap { ranges[$0] }) } }
        return Report(overrides: result.overrides, graph: final, rows: rows, rateOutput: rateOutput,
                      calibrationTrials: calibration.count, heldOutTrials: heldOut.count, floatNLL: floatNLL,
                      fixedNLL: result.nll, limit: result.limit, baselineNLL: baselineNLL,
                      weightBits: weightBits(result.graph), baselineWeightBits: weightBits(baseline),
                      evaluations: result.evaluations, seconds: Date().timeIntervalSince(started))
    }

    /// The common case: defaults but for the tolerance and the thread count.
    public static func run(graph: Graph, config: ProjectConfig, overrides: PrecisionOverrides, calibration: Trials, heldOut: Trials,
                           maxIncrease: Double = 0.005, threads: Int) throws -> Report {
        try run(graph: graph, config: config, overrides: overrides, calibration: calibration, heldOut: heldOut,
                options: Options(maxIncrease: maxIncrease, threads: threads))
    }

    /// Σ element count × width over the parameter tensors of a quantised graph.
    public static func weightBits(_ graph: Graph) -> Int {
        TensorInventory(graph).entries.reduce(0) { sum, e in
            guard e.key.field.isParameter, let t = e.value.type else { return sum }
            return sum &+ e.value.cost &* t.width
        }
    }

    /// Mean Poisson NLL per bin·neuron of the outputs' rates against the held-out targets.
    static func nll(_ outputs: [[Double]], _ trials: Trials, _ rate: RateOutput) throws -> Double {
        let rates = outputs.flatMap { rate.rates($0) }
        guard rates.count == trials.targets.count else {
            throw IRError.invalid("auto precision: \(rates.count) rates for \(trials.targets.count) spike counts (output '\(rate.value)' does not match the targets)")
        }
        // A rate of inf (exp overflow) scores as the worst possible value rather than an error.
        if rates.contains(where: { !$0.isFinite }) { return .infinity }
        return try SpikeMetrics.poissonNLL(rates: rates, spikes: trials.targets).mean
    }
}
