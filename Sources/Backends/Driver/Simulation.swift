import Foundation
import LFADSIR

/// Which simulator runs the model.
public enum SimulationMode: String, Sendable {
    /// The Double reference path (QKeras quantizers applied where the model has them).
    case float
    /// The bit-accurate fixed-point simulation of the emitted hardware.
    case fixed
}

/// Everything `lfadsc simulate` needs, already resolved from flags and lfadsc.json.
public struct SimulationRequest: Sendable {
    public var graph: Graph
    public var spikesPath: String
    public var dataset: String?
    public var trials: TrialSelection
    public var mode: SimulationMode
    public var threads: Int
    /// Whether to compute the Poisson NLL and bits per spike (skipped when nobody will read them: they cost
    /// a log and an lgamma per rate).
    public var metrics: Bool

    public init(graph: Graph, spikesPath: String, dataset: String? = nil, trials: TrialSelection = .all,
                mode: SimulationMode, threads: Int = ProcessInfo.processInfo.activeProcessorCount, metrics: Bool = true) {
        self.graph = graph
        self.spikesPath = spikesPath
        self.dataset = dataset
        self.trials = trials
        self.mode = mode
        self.threads = max(1, threads)
        self.metrics = metrics
    }
}

/// The outputs of a run and what we can say about their quality.
public struct SimulationReport: Sendable {
    public var outputs: SimulationOutputs
    public var loaded: LoadedInputs
    /// Poisson NLL of the rates against the spikes, when the model outputs rates and the targets are known.
    public var nll: PoissonNLL?
    public var bitsPerSpike: Double?
    public var seconds: Double
    /// Fixed-point path only: overflow/saturation counts and the range seen, per tensor, over all trials.
    public var tensorStats: [String: TensorStats]?

    /// The summary as one JSON object: trials, bins, mode, seconds, NLL and bits per spike (null when unknown),
    /// output tensors, and the output file.
    public func json(mode: SimulationMode, output: String?) -> String {
        func number(_ x: Double?) -> String { x.map { $0.isFinite ? "\($0)" : "null" } ?? "null" }
        func string(_ s: String) -> String {
            let data = (try? JSONSerialization.data(withJSONObject: [s], options: [])) ?? Data("[\"\"]".utf8)
            return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
        }
        var fields = [
            "\"mode\": \(string(mode.rawValue))", "\"split\": \(string(loaded.split))", "\"layout\": \(string(loaded.layout.rawValue))",
            "\"first_trial\": \(loaded.trials.lowerBound)", "\"trials\": \(outputs.trials)", "\"bins\": \(loaded.inputs.first?.bins ?? 0)",
            "\"seconds\": \(seconds)", "\"poisson_nll\": \(number(nll?.mean))",
            "\"poisson_nll_without_log_factorial\": \(number(nll?.meanWithoutLogFactorial))", "\"bits_per_spike\": \(number(bitsPerSpike))",
            "\"outputs\": [\(outputs.names.map(string).joined(separator: ", "))]", "\"primary\": \(string(outputs.primary))",
            "\"warnings\": [\(loaded.warnings.map(string).joined(separator: ", "))]",
        ]
        fields.append("\"output_file\": \(output.map(string) ?? "null")")
        if let stats = tensorStats { fields.append("\"overflows\": \(stats.values.reduce(0) { $0 + $1.overflows })") }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    /// The loaded model inputs as .dat text: per trial, every input concatenated (time-major) on one line.
    public func inputsDatText() -> String {
        var text = ""
        for t in 0..<(loaded.inputs.first?.trials ?? 0) {
            text += loaded.inputs.flatMap { $0.trial(t) }.map { DatFormat.float.render($0) }.joined(separator: " ") + "\n"
        }
        return text
    }

    /// The `--report overflow` table, worst tensors first.
    public func overflowTable() -> String {
        guard let stats = tensorStats else { return "no overflow statistics (float path)\n" }
        let rows = stats.sorted { ($0.value.overflows, $1.key) > ($1.value.overflows, $0.key) }
        let width = max(6, rows.map(\.key.count).max() ?? 6)
        var out = "tensor".padding(toLength: width, withPad: " ", startingAt: 0) + "  overflows           min           max\n"
        for (name, s) in rows {
            out += name.padding(toLength: width, withPad: " ", startingAt: 0)
                + String(format: "  %9d  %12.6g  %12.6g\n", s.overflows, s.minimum, s.maximum)
        }
        return out
    }

    /// The one-paragraph summary `simulate` prints.
    public func summary(mode: SimulationMode) -> String {
        var lines = ["simulated \(outputs.trials) trial(s) of '\(loaded.split)' (\(loaded.layout.rawValue)), \(loaded.inputs.first?.bins ?? 0) bins, \(mode.rawValue) path, \(String(format: "%.3f", seconds)) s"]
        if let nll { lines.append(String(format: "Poisson NLL per bin·neuron: %.6f (without log k!: %.6f)", nll.mean, nll.meanWithoutLogFactorial)) }
        if let bitsPerSpike { lines.append(String(format: "bits per spike vs mean-rate null: %.4f", bitsPerSpike)) }
        lines += loaded.warnings.map { "warning: \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }
}

public enum Simulation {
    /// The model inputs as the data reader expects them, in graph order.
    public static func inputSpecs(_ graph: Graph) -> [InputSpec] {
        graph.inputs.map { InputSpec(name: $0.name, steps: $0.type.steps ?? 1, width: $0.type.width) }
    }

    /// The lfads-torch output name for a graph value: `decoder.factors` → `factors`; other names are
    /// lower-cased with everything outside [a-z0-9_] replaced, so Keras layer names become dataset names.
    public static func outputName(_ value: String) -> String {
        let last = value.split(separator: ".").last.map(String.init) ?? value
        if SimulationOutputs.knownNames.contains(last) { return last }
        let cleaned = String(value.lowercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) ? $0 : "_" })
        return cleaned.isEmpty ? "output" : cleaned
    }

    /// `progress(done, total)` is called after each chunk of trials (results do not depend on chunking:
    /// every trial is simulated independently and deterministically).
    public static func run(_ request: SimulationRequest, progress: ((Int, Int) -> Void)? = nil) throws -> SimulationReport {
        let started = Date()
        let graph = request.graph
        let loaded = try SpikeDataReader.read(path: request.spikesPath, dataset: request.dataset, selection: request.trials,
                                              expectedInputs: inputSpecs(graph))
        let names = graph.inputs.map(\.name)
        let trialCount = loaded.inputs.first?.trials ?? 0
        var stats: [String: TensorStats]? = nil
        let chunk = progress == nil ? max(1, trialCount) : max(16, 4 * request.threads)
        // Every graph output for all trials, trial-major.
        var values = [String: [Double]]()
        if request.mode == .float {
            // The float simulator takes the trials as the reader stores them (trial-major arrays) and lowers
            // the graph once for all chunks.
            let sim = try FloatSimulator(graph: graph)
            var start = 0
            while start < trialCount {
                let part = start..<min(trialCount, start + chunk)
                var inputs = [String: [Double]]()
                for (name, data) in zip(names, loaded.inputs) {
                    let per = data.valuesPerTrial
                    inputs[name] = part.count == trialCount ? data.values : Array(data.values[(part.lowerBound * per)..<(part.upperBound * per)])
                }
                for (name, v) in try sim.runBatch(inputs: inputs, count: part.count, threads: request.threads) {
                    values[name, default: []] += v
                }
                start = part.upperBound
                progress?(start, trialCount)
            }
        } else {
            let trialInputs: [[String: [Double]]] = (0..<trialCount).map { t in
                var inputs = [String: [Double]]()
                for (name, data) in zip(names, loaded.inputs) { inputs[name] = data.trial(t) }
                return inputs
            }
            var results: [[String: [Double]]] = []
            let fixedSim = try FixedSimulator(graph: graph)  // lowered once; the chunks only share it
            var start = 0
            while start < trialInputs.count {
                let part = Array(trialInputs[start..<min(trialInputs.count, start + chunk)])
                let (partValues, partStats) = try FixedPath.run(fixedSim, trials: part, threads: request.threads)
                results += partValues
                var merged = stats ?? [:]
                for (name, s) in partStats { merged[name, default: TensorStats()].merge(s) }
                stats = merged
                start += part.count
                progress?(start, trialInputs.count)
            }
            for value in graph.outputs {
                values[value] = try results.enumerated().flatMap { t, result -> [Double] in
                    guard let v = result[value] else { throw IRError.invalid("simulator produced no '\(value)' for trial \(t)") }
                    return v
                }
            }
        }

        let types = graph.valueTypes
        var outputs = SimulationOutputs(split: loaded.split, firstTrial: loaded.trials.lowerBound,
                                        primary: outputName(graph.primaryOutput ?? "output_params"))
        var used = Set<String>()
        for value in graph.outputs {
            guard let type = types[value] else { continue }
            var name = outputName(value)
            while used.contains(name) { name += "_" }
            used.insert(name)
            if value == graph.primaryOutput { outputs.primary = name }
            let shape = type.steps.map { [$0, type.width] } ?? [type.width]
            try outputs.add(name, perTrialShape: shape, values: values[value] ?? [])
        }

        var report = SimulationReport(outputs: outputs, loaded: loaded, nll: nil, bitsPerSpike: nil,
                                      seconds: Date().timeIntervalSince(started), tensorStats: stats)
        if request.metrics, let rates = outputs.tensor("output_params"), rates.perTrialCount == loaded.targets.valuesPerTrial {
            report.nll = try? SpikeMetrics.poissonNLL(rates: rates.values, spikes: loaded.targets.values)
            report.bitsPerSpike = try? SpikeMetrics.bitsPerSpike(rates: rates, spikes: loaded.targets)
        }
        return report
    }
}
