import Backends
import Foundation
import LFADSIR

/// `lfadsc report`: one self-contained HTML file with the estimates after every pass, float vs fixed-point
/// traces and per-tensor ranges and overflows.
enum ReportCommand {
    static let spec = CommandSpec(
        name: "report",
        summary: "Write a self-contained HTML report: estimates per pass, float vs fixed traces, tensor ranges.",
        discussion: "Inline SVG charts, no scripts and no external resources: the file can be mailed or archived as it is.",
        options: PipelineFlags.options + [
            .value("data", short: "d", "SPIKES", help: "Spike data for the accuracy section (.h5 or .dat)."),
            .value("dataset", "KEY", help: "Dataset or split inside the spike file."),
            .value("trials", "A:B", help: "Trials to simulate.", default: "0:20"),
            SharedOptions.output, SharedOptions.force, SharedOptions.threads],
        examples: ["lfadsc report --model keras_model.h5 --data tb_input_features.dat -o report.html"])

    static let command = Command(spec: spec) { args, console in
        let flags = try PipelineFlags(args, modelArgument: nil)
        guard let data = args.value("data") else { throw CLIError.usage("report needs --data SPIKES") }
        let output = args.value("output") ?? "report.html"
        try OutputTarget.validate(output, overwrite: args.flag("force"))
        let trials: TrialSelection
        do { trials = try TrialSelection.parse(args.value("trials") ?? "0:20") } catch { throw CLIError.usage("--trials: \(error)") }
        let threads = try args.int("threads", range: 1...1024) ?? ProcessInfo.processInfo.activeProcessorCount

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
        let fixed = Result { try simulate(pipeline.graph, .fixed) }
        let document = ModelReport.document(ModelReport.Inputs(pipeline: pipeline, float: float, fixed: fixed,
                                                               modelPath: try ProjectSettings.modelPath(flags.config), dataPath: data))
        try TextOutput.write(HTMLRenderer.render(document), to: output, overwrite: args.flag("force"))
        console.out("wrote \(output)\n")
    }
}
