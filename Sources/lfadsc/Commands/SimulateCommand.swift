import Backends
import Foundation
import LFADSIR

/// `lfadsc simulate SPIKES`: runs a model on spike data and writes lfads-torch-style outputs.
enum SimulateCommand {
    static let spec = CommandSpec(
        name: "simulate",
        summary: "Run the bit-accurate (default) or float simulation of a model on spike data.",
        discussion: "The bit-accurate path quantises the model exactly as compile does (same flags, lfadsc.json, hls4ml config and precision file) and computes what the emitted HLS C++ computes, bit for bit. Writes an lfads-torch-style .h5 (<split>_output_params, _factors, ...) or, when -o ends in .dat, one trial per line of the model's primary output followed by the --outputs extras in the order given (fixed-point values as exact decimals). Prints trials, bins and, when the model outputs rates, the Poisson NLL and bits per spike.",
        arguments: [ArgumentSpec(name: "SPIKES", help: "Spike data: .h5 (LFADS, lfads-torch or NLB layout) or .dat (one trial per line).")],
        options: PipelineFlags.options + [
                  SharedOptions.output, SharedOptions.force, SharedOptions.threads,
                  .flag("float", help: "Use the float (Double) reference path instead of the bit-accurate simulator."),
                  .value("dataset", "KEY", help: "Dataset or split inside the spike file (default: auto-detected)."),
                  .value("trials", "A:B", help: "Only trials A..<B (also A:, :B, N)."),
                  .value("export-inputs", "FILE.dat", help: "Also write the simulated trials' model inputs as .dat (one trial per line), the input the emitted C-simulation reads."),
                  .value("report", "WHAT", help: "'overflow': per-tensor overflow/saturation counts and min/max (bit-accurate path)."),
                  .value("repeat", "N", help: "Simulate the loaded trials N times in this process and report each run's time (--json: simulate_seconds), for throughput measurements; outputs are the last run's. (default: 1)"),
                  .flag("quiet", short: "q", help: "Print nothing but errors (no summary, no progress line)."),
                  .flag("json", help: "Print the summary as one JSON object (for scripts); no progress line.")],
        examples: ["lfadsc simulate tb_input_features.dat --model keras_model.h5 --float -o out.dat",
                   "lfadsc simulate examples/lorenz/data/lorenz.h5 -m examples/lorenz/models/lorenz_con.h5 --trials 0:20 -o rates.h5 --report overflow"])

    static let command = Command(spec: spec) { args, console in
        let flags = try PipelineFlags(args, modelArgument: nil)
        guard flags.config.model != nil else { throw CLIError.usage("simulate needs --model FILE (or an lfadsc.json from 'lfadsc init')") }
        if flags.autoPrecision { throw CLIError.usage("--precision auto is chosen by 'lfadsc compile --precision auto --calibrate DATA'") }
        let trials = try args.value("trials").map { text in
            do { return try TrialSelection.parse(text) } catch { throw CLIError.usage("--trials: \(error)") }
        } ?? .all
        let threads = try args.int("threads", range: 1...1024) ?? ProcessInfo.processInfo.activeProcessorCount
        let repeats = try args.int("repeat", range: 1...100_000) ?? 1
        if let r = args.value("report"), r != "overflow" { throw CLIError.usage("--report takes 'overflow', got '\(r)'") }
        let mode: SimulationMode = args.flag("float") ? .float : .fixed
        let output = args.value("output")
        if let output { try OutputTarget.validate(output, overwrite: args.flag("force")) }
        if let inputs = args.value("export-inputs") { try OutputTarget.validate(inputs, overwrite: args.flag("force")) }

        var graph = try flags.loadModel()
        let extras: [String]
        do { extras = try HardwareOutputSelection.values(for: flags.config.outputs, in: graph) } catch { throw CLIError.usage("\(error)") }
        if mode == .float, let seed = flags.config.posteriorSeed {
            // The float source (GaussianSource), not the chip's.
            graph = try PosteriorSamplePass(seed: seed, samples: flags.config.posteriorSamples).run(graph)
        }
        if mode == .fixed {
            graph = try CompilePipeline.run(graph, config: flags.config, overrides: flags.overrides, estimate: false).graph
        }
        // A progress line only when a person is watching: stderr is a terminal and no machine output was asked for.
        let showProgress = !args.flag("quiet") && !args.flag("json") && console.errIsTerminal
        // The NLL is only printed (summary or JSON), so a quiet run skips it.
        let metrics = !args.flag("quiet") || args.flag("json")
        let report = try Simulation.run(SimulationRequest(graph: graph, spikesPath: args.positionals[0], dataset: args.value("dataset"),
                                                          trials: trials, mode: mode, threads: threads, metrics: metrics,
                                                          repeats: repeats),
                                        progress: showProgress ? { done, total in console.err("\rsimulating: \(done)/\(total) trials") } : nil)
        if showProgress { console.err("\r\u{1B}[K") }
        if let output {
            if output.hasSuffix(".dat") {
                // Per trial one line: the primary output, then the --outputs extras in the order asked.
                let names = Simulation.outputNames(graph)
                let tensors = [report.outputs.primary] + extras.compactMap { names[$0] }
                try OutputWriter.writeDat(report.outputs, to: output, tensors: tensors, format: mode == .float ? .float : .exact,
                                         overwrite: args.flag("force"), threads: threads)
            } else {
                try OutputWriter.writeHDF5(report.outputs, to: output,
                                           attributes: ["lfadsc_mode": mode.rawValue, "model": try ProjectSettings.modelPath(flags.config)],
                                           overwrite: args.flag("force"))
            }
        }
        if let inputs = args.value("export-inputs") {
            try TextOutput.write(report.inputsDatText(), to: inputs, overwrite: args.flag("force"))
        }
        if args.flag("json") {
            console.out(report.json(mode: mode, output: output) + "\n")
        } else if !args.flag("quiet") {
            console.out(report.summary(mode: mode))
            if args.value("report") == "overflow" { console.out(report.overflowTable()) }
            if let output { console.out("wrote \(output)\n") }
        }
    }
}
