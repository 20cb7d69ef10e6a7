import Backends
import Foundation
import LFADSIR

/// `lfadsc simulate SPIKES`: runs a model on spike data and writes lfads-torch-style outputs.
enum SimulateCommand {
    static let spec = CommandSpec(
        name: "simulate",
        summary: "Run the bit-accurate (default) or float simulation of a model on spike data.",
        discussion: "Writes an lfads-torch-style .h5 (<split>_output_params, _factors, ...) or, when -o ends in .dat, one trial per line of the model's primary output. Prints trials, bins and, when the model outputs rates, the Poisson NLL and bits per spike.",
        arguments: [ArgumentSpec(name: "SPIKES", help: "Spike data: .h5 (LFADS, lfads-torch or NLB layout) or .dat (one trial per line).")],
        options: [SharedOptions.model, SharedOptions.format, SharedOptions.config, SharedOptions.output, SharedOptions.force, SharedOptions.threads,
                  .flag("float", help: "Use the float (Double) reference path instead of the bit-accurate simulator."),
                  .value("dataset", "KEY", help: "Dataset or split inside the spike file (default: auto-detected)."),
                  .value("trials", "A:B", help: "Only trials A..<B (also A:, :B, N)."),
                  .flag("quiet", short: "q", help: "Print nothing but errors.")],
        examples: ["lfadsc simulate tb_input_features.dat --model keras_model.h5 --float -o out.dat",
                   "lfadsc simulate examples/lorenz/data/lorenz.h5 -m examples/lorenz/models/lorenz_con.h5 --float --trials 0:20 -o rates.h5"])

    static let command = Command(spec: spec) { args, console in
        let config = try ProjectSettings.resolve(SettingsFlags(configPath: args.value("config"), model: args.value("model"),
                                                               format: args.value("format")))
        guard config.model != nil else { throw CLIError.usage("simulate needs --model FILE (or an lfadsc.json from 'lfadsc init')") }
        let modelPath = try ProjectSettings.modelPath(config)
        let trials = try args.value("trials").map { text in
            do { return try TrialSelection.parse(text) } catch { throw CLIError.usage("--trials: \(error)") }
        } ?? .all
        let threads = try args.int("threads", range: 1...1024) ?? ProcessInfo.processInfo.activeProcessorCount
        let mode: SimulationMode = args.flag("float") ? .float : .fixed
        let output = args.value("output")
        if let output { try OutputTarget.validate(output, overwrite: args.flag("force")) }

        let graph = try ModelLoader.load(path: modelPath, format: config.format)
        let report = try Simulation.run(SimulationRequest(graph: graph, spikesPath: args.positionals[0], dataset: args.value("dataset"),
                                                          trials: trials, mode: mode, threads: threads))
        if let output {
            if output.hasSuffix(".dat") {
                try OutputWriter.writeDat(report.outputs, to: output, format: mode == .float ? .float : .exact, overwrite: args.flag("force"))
            } else {
                try OutputWriter.writeHDF5(report.outputs, to: output, attributes: ["lfadsc_mode": mode.rawValue, "model": modelPath],
                                           overwrite: args.flag("force"))
            }
        }
        if !args.flag("quiet") {
            console.out(report.summary(mode: mode))
            if let output { console.out("wrote \(output)\n") }
        }
    }
}
