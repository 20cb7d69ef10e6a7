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
    /// How many times to simulate the loaded trials (≥ 1; more for throughput measurements, where the first
    /// run warms caches and allocator up).
    public var repeats: Int

    public init(graph: Graph, spikesPath: String, dataset: String? = nil, trials: TrialSelection = .all,
                mode: SimulationMode, threads: Int = ProcessInfo.processInfo.activeProcessorCount, metrics: Bool = true,
                repeats: Int = 1) {
        self.graph = graph
        self.spikesPath = spikesPath
        self.dataset = dataset
        self.trials = trials
        self.mode = mode
        self.threads = max(1, threads)
        self.metrics = metrics
        self.repeats = max(1, repeats)
    }
}

/// The outputs of a run and what we can say about their quality.
public struct SimulationReport: Sendable {
    public var outputs: SimulationOutputs
    public var loaded: LoadedInputs
    /// Poisson NLL of the rates against the spikes, when the model outputs rates and the targets are known.
    public var nll: PoissonNLL?
    public var bitsPerSpike: Double?
    /// A non-Poisson lfads-torch model's own reconstruction loss per bin·neuron (ReconstructionNLL): the
    /// distribution's name and the value; nil when the parameters are not an output (the fixed path keeps the
    /// rates alone unless asked) or the loss is undefined for the data (Gamma of a zero count).
    public var reconstructionNLL: (name: String, value: Double)?
    /// Why the reconstruction loss is missing although its parameters were simulated.
    public var reconstructionNote: String?
    /// Wall time of reading the spikes and simulating them.
    public var seconds: Double
    /// Wall time of the simulation alone (the model already lowered, inputs in memory, outputs not yet
    /// written): the figure comparable with an in-process forward pass of another framework.
    /// One entry per run (`SimulationRequest.repeats`; the outputs are the last run's).
    public var simulateSeconds: [Double] = []
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
            "\"seconds\": \(seconds)", 
            "\"simulate_seconds\": [\(simulateSeconds.map { "\($0)" }.joined(separator: ", "))]", "\"poisson_nll\": \(number(nll?.mean))",
            "\"poisson_nll_without_log_factorial\": \(number(nll?.meanWithoutLogFactorial))", "\"bits_per_spike\": \(number(bitsPerSpike))",
            "\"reconstruction_nll\": \(number(reconstructionNLL?.value))",
            "\"outputs\": [\(outputs.names.map(string).joined(separator: ", "))]", "\"primary\": \(string(outputs.primary))",
            "\"warnings\": [\(loaded.warnings.map(string).joined(separator: ", "))]",
        ]
        fields.append("\"output_file\": \(output.map(string) ?? "null")")
        if let stats = tensorStats { fields.append("\"overflows\": \(stats.values.reduce(0) { $0 + $1.overflows })") }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    /// The loaded model inputs as .dat text: per trial, every input concatenated (time-major) on one line.
    public func inputsDatText() -> String {
        var text = [UInt8]()
        for t in 0..<(loaded.inputs.first?.trials ?? 0) {
            for (i, v) in loaded.inputs.flatMap({ $0.trial(t) }).enumerated() {
                if i > 0 { text.append(0x20) }
                DatFormat.float.render(v, into: &text)
            }
            text.append(0x0A)
        }
        return String(decoding: text, as: UTF8.self)
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
        // Warnings come before the metrics they may invalidate (rates given as counts).
        lines += loaded.warnings.map { "warning: \($0)" }
        if let nll { lines.append(String(format: "Poisson NLL per bin·neuron: %.6f (without log k!: %.6f)", nll.mean, nll.meanWithoutLogFactorial)) }
        if let bitsPerSpike { lines.append(String(format: "bits per spike vs mean-rate null: %.4f", bitsPerSpike)) }
        if let r = reconstructionNLL { lines.append(String(format: "%@ NLL per bin·neuron (lfads-torch's reconstruction loss): %.6f", r.name, r.value)) }
        if let reconstructionNote { lines.append(reconstructionNote) }
        if simulateSeconds.count > 1 {
            let sorted = simulateSeconds.sorted()
            let median = sorted[sorted.count / 2]
            lines.append(String(format: "%d runs of the simulation: median %.4f s, fastest %.4f s (%.0f trials/s at the median)",
                                sorted.count, median, sorted[0], median > 0 ? Double(outputs.trials) / median : 0))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

public enum Simulation {
    /// The model inputs as the data reader expects them, in graph order. The first input is spike counts unless
    /// the model reconstructs another distribution (an lfads-torch Gaussian, MSE, Gamma or ZIG model is trained on
    /// real-valued data, e.g. calcium traces, which may be negative or fractional).
    public static func inputSpecs(_ graph: Graph) -> [InputSpec] {
        graph.inputs.enumerated().map { i, v in
            InputSpec(name: v.name, steps: v.type.steps ?? 1, width: v.type.width, kind: i == 0 && graph.countInput == nil ? .real : nil)
        }
    }

    /// The lfads-torch output name for a graph value: `decoder.factors` → `factors`; other names are
    /// lower-cased with everything outside [a-z0-9_] replaced, so Keras layer names become dataset names.
    public static func outputName(_ value: String) -> String {
        let last = value.split(separator: ".").last.map(String.init) ?? value
        if SimulationOutputs.knownNames.contains(last) { return last }
        let cleaned = String(value.lowercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) ? $0 : "_" })
        return cleaned.isEmpty ? "output" : cleaned
    }

    /// The dataset name of every graph output: `outputName`, with '_' appended until it is unique (in graph order).
    public static func outputNames(_ graph: Graph) -> [String: String] {
        var names = [String: String](), used = Set<String>()
        for value in graph.outputs where names[value] == nil {
            var name = outputName(value)
            while used.contains(name) { name += "_" }
            used.insert(name)
            names[value] = name
        }
        return names
    }

    /// All loaded trials through `simulator`, in chunks when someone watches the progress; outputs trial-major.
    private static func simulateAll(_ simulator: any BatchSimulator, _ loaded: LoadedInputs, names: [String], threads: Int,
                                    progress: ((Int, Int) -> Void)?) throws -> (values: [String: [Double]], stats: [String: TensorStats]?) {
        let trialCount = loaded.inputs.first?.trials ?? 0
        let chunk = progress == nil ? max(1, trialCount) : max(16, 4 * threads)
        var values = [String: [Double]]()
        var stats: [String: TensorStats]? = nil
        var start = 0
        while start < trialCount {
            let part = start..<min(trialCount, start + chunk)
            var inputs = [String: [Double]]()
            for (name, data) in zip(names, loaded.inputs) {
                let per = data.valuesPerTrial
                inputs[name] = part.count == trialCount ? data.values : Array(data.values[(part.lowerBound * per)..<(part.upperBound * per)])
            }
            let (partValues, partStats) = try simulator.runBatch(inputs: inputs, count: part.count, firstTrial: loaded.trials.lowerBound + part.lowerBound, threads: threads)
            for (name, v) in partValues {
                if values[name] == nil { values[name] = v } else { values[name]?.append(contentsOf: v) }
            }
            if let partStats {
                var merged = stats ?? [:]
                for (name, s) in partStats { merged[name, default: TensorStats()].merge(s) }
                stats = merged
            }
            start = part.upperBound
            progress?(start, trialCount)
        }
        return (values, stats)
    }

    /// `progress(done, total)` is called after each chunk of trials (results do not depend on chunking:
    /// every trial is simulated independently and deterministically).
    public static func run(_ request: SimulationRequest, progress: ((Int, Int) -> Void)? = nil) throws -> SimulationReport {
        let started = Date()
        let graph = request.graph
        let loaded = try SpikeDataReader.read(path: request.spikesPath, dataset: request.dataset, selection: request.trials,
                                              expectedInputs: inputSpecs(graph), threads: request.threads)
        // Lowered once; every chunk and repetition shares it.
        let simulator: any BatchSimulator = request.mode == .float ? try FloatBatch(graph) : try FixedBatch(graph)
        var runs: [Double] = []
        var result: (values: [String: [Double]], stats: [String: TensorStats]?) = ([:], nil)
        for _ in 0..<request.repeats {
            let simulateStarted = Date()
            result = try simulateAll(simulator, loaded, names: graph.inputs.map(\.name), threads: request.threads, progress: progress)
            runs.append(Date().timeIntervalSince(simulateStarted))
        }
        let (values, stats) = result

        let types = graph.valueTypes
        var outputs = SimulationOutputs(split: loaded.split, firstTrial: loaded.trials.lowerBound,
                                        primary: outputName(graph.primaryOutput ?? "output_params"))
        let names = outputNames(graph)
        for value in graph.outputs {
            guard let type = types[value], let name = names[value] else { continue }
            if value == graph.primaryOutput { outputs.primary = name }
            let shape = type.steps.map { [$0, type.width] } ?? [type.width]
            try outputs.add(name, perTrialShape: shape, values: values[value] ?? [])
        }

        var report = SimulationReport(outputs: outputs, loaded: loaded, nll: nil, bitsPerSpike: nil,
                                      seconds: Date().timeIntervalSince(started), tensorStats: stats)
        report.simulateSeconds = runs
        let kind = graph.metadata["reconstruction_kind"]
        if request.metrics, ReconstructionNLL.meansAreRates(kind: kind), let rates = outputs.tensor("output_params"),
           rates.perTrialCount == loaded.targets.valuesPerTrial {
            report.nll = try? SpikeMetrics.poissonNLL(rates: rates.values, spikes: loaded.targets.values)
            report.bitsPerSpike = try? SpikeMetrics.bitsPerSpike(rates: rates, spikes: loaded.targets)
        }
        if request.metrics, let kind, let name = ReconstructionNLL.parameterOutput(kind: kind), let params = values[name] {
            if let value = ReconstructionNLL.mean(kind: kind, gammaLoc: graph.metadata["gamma_loc"].flatMap(Double.init) ?? 0,
                                                  params: params, targets: loaded.targets.values, neurons: loaded.targets.channels) {
                report.reconstructionNLL = (kind, value)
            } else {
                report.reconstructionNote = "\(kind) NLL: undefined for this data (a term is infinite, e.g. Gamma of a zero count)"
            }
        }
        return report
    }
}
