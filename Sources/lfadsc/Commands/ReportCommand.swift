import Backends
import Foundation
import LFADSIR

/// `lfadsc report`: one self-contained HTML file answering whether the design fits, how fast it is and what
/// fixed point costs, with rates vs spikes, per-neuron accuracy, factors, controller outputs and the timeline.
enum ReportCommand {
    static let spec = CommandSpec(
        name: "report",
        summary: "Write a self-contained HTML report: verdict, rates vs spikes, float vs fixed accuracy, timeline, resources.",
        discussion: "Inline SVG charts, no scripts and no external resources: the file can be mailed or archived as it is. "
            + "The fixed-point run also returns the factors, controller outputs and initial conditions the design computes internally.",
        options: PipelineFlags.options + [
            .value("data", short: "d", "SPIKES", help: "Spike data for the accuracy sections (.h5 or .dat)."),
            .value("dataset", "KEY", help: "Dataset or split inside the spike file."),
            .value("trials", "A:B", help: "Trials to simulate.", default: "0:20"),
            .value("neurons", "LIST", help: "Neurons to plot, e.g. '3,17,22' (default: the 4 with the highest mean count)."),
            .value("bin-ms", "MS", help: "Bin width in milliseconds, to compare the latency with a trial's duration (data files do not state it)."),
            SharedOptions.output, SharedOptions.force, SharedOptions.threads],
        examples: ["lfadsc report -m examples/lorenz/models/lorenz_con.h5 --data examples/lorenz/data/lorenz.h5 --bin-ms 10 -o report.html"])

    static func neurons(_ text: String?) throws -> [Int]? {
        guard let text else { return nil }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let values = parts.compactMap { Int($0) }
        guard !parts.isEmpty, values.count == parts.count, values.allSatisfy({ $0 >= 0 }) else {
            throw CLIError.usage("--neurons expects comma-separated neuron indices (0-based), got '\(text)'")
        }
        return values
    }

    static let command = Command(spec: spec) { args, console in
        let flags = try PipelineFlags(args, modelArgument: nil)
        guard let data = args.value("data") else { throw CLIError.usage("report needs --data SPIKES") }
        let output = args.value("output") ?? "report.html"
        try OutputTarget.validate(output, overwrite: args.flag("force"))
        let trials: TrialSelection
        do { trials = try TrialSelection.parse(args.value("trials") ?? "0:20") } catch { throw CLIError.usage("--trials: \(error)") }
        let threads = try args.int("threads", range: 1...1024) ?? ProcessInfo.processInfo.activeProcessorCount
        let neurons = try Self.neurons(args.value("neurons"))
        let binMs = try args.double("bin-ms")
        if let binMs, binMs <= 0 { throw CLIError.usage("--bin-ms expects a positive number of milliseconds, got \(binMs)") }

        let graph = try flags.loadModel()
        let pipeline = try CompilePipeline.run(graph, config: flags.config, overrides: flags.overrides, reuse: flags.reuse)
        // A file with fewer trials than the default window is simulated whole.
        func simulate(_ g: Graph, _ mode: SimulationMode) throws -> SimulationReport {
            let request = SimulationRequest(graph: g, spikesPath: data, dataset: args.value("dataset"), trials: trials, mode: mode, threads: threads)
            do { return try Simulation.run(request) } catch where args.value("trials") == nil {
                var all = request
                all.trials = .all
                return try Simulation.run(all)
            }
        }
        let float = try simulate(graph, .float)
        var fixed = Result { try simulate(ModelReport.withDiagnosticOutputs(pipeline.graph), .fixed) }
        // A non-Poisson design outputs means only; its loss needs the distribution's parameters from the hardware.
        if case .success(let report) = fixed, report.reconstructionNLL == nil, let config = ModelReport.lossConfig(graph, flags.config) {
            let extra = Result {
                try simulate(try CompilePipeline.run(graph, config: config, overrides: flags.overrides, reuse: flags.reuse, estimate: false).graph, .fixed)
            }
            fixed = .success(ModelReport.withLoss(report, from: extra))
        }
        let loaded = float.loaded
        let truth = GroundTruth.read(path: data, split: loaded.split, trials: loaded.trials, totalTrials: loaded.totalTrials,
                                     bins: loaded.targets.bins)
        let inputs = ModelReport.Inputs(pipeline: pipeline, float: float, fixed: fixed, modelPath: try ProjectSettings.modelPath(flags.config),
                                        dataPath: data, neurons: neurons, binMilliseconds: binMs, truth: truth,
                                        utilizationBudget: flags.config.reuseSearch.maxUtilization ?? ReuseSearch.defaultMaxUtilization)
        try TextOutput.write(HTMLRenderer.render(ModelReport.document(inputs)), to: output, overwrite: args.flag("force"))
        console.out("wrote \(output)\n")
    }
}
