import Backends
import Foundation
import LFADSIR

/// `lfadsc compile`: import, quantise, choose reuse factors, and write a Vitis HLS project (or the IR).
enum CompileCommand {
    static let spec = CommandSpec(
        name: "compile",
        summary: "Import a model, run the quantisation and reuse passes, and write a Vitis HLS project.",
        discussion: "The project holds the firmware, a g++-only C-simulation (make csim AP_TYPES=DIR), build_prj.tcl for Vitis HLS, a Vitis kernel with host program and a README. With --emit ir the IR text after a pass is printed (or written with -o) instead; --emit precision prints the chosen precision table. --precision auto shows its progress with an ETA on stderr when that is a terminal (otherwise one closing line; nothing with -q); --write-precision saves the chosen types for --precision-file on simulate, estimate, report and compile.",
        arguments: [ArgumentSpec(name: "MODEL", help: "Model file (overrides --model and lfadsc.json).", optional: true)],
        options: PipelineFlags.options + [
            SharedOptions.output, SharedOptions.force,
            .flag("allow-overfull", help: "Write the project even when the estimate (with --backend rtl also the RTL resource model) puts a resource over 100 % of the device (otherwise an error)."),
            .value("emit", "KIND", help: "What to produce: project, ir, precision or schedule (the dataflow schedule the HLS printer emits and the estimate prices).", default: "project"),
            .value("after", "PASS", help: "With --emit ir: the IR after this pass (import, fold-quantizers, quantize, strategy, reuse).", default: "the last"),
            .flag("weights-summary", help: "With --emit ir: one summary line per tensor instead of every value (not parseable)."),
            .value("top", "NAME", help: "Name of the top-level C++ function.", default: "lfads_top"),
            .value("backend", "KIND", help: "hls: a Vitis HLS project; rtl: Verilog of the same dataflow schedule with a Verilator testbench (make sim; cycles measured) and a Yosys flow (make synth). rtl needs a design without an LSTM.", default: "hls"),
            .value("calibrate", "SPIKES", help: "With --precision auto: spike data whose trials give tensor ranges and the held-out Poisson NLL."),
            .value("calibration-trials", "A:B", help: "With --precision auto: trials for ranges.", default: "0:40, or all when fewer"),
            .value("held-out-trials", "A:B", help: "With --precision auto: trials for the NLL check.", default: "40:80, or all when fewer"),
            .value("max-nll-increase", "F", help: "With --precision auto: largest relative Poisson NLL increase over float.", default: "0.005"),
            .value("write-precision", "FILE.json", help: "Also write every tensor's type of the quantised design (with --precision auto: the chosen ones) as a precision file for --precision-file; refuses to replace a file without --force."),
            SharedOptions.threads,
            .flag("quiet", short: "q", help: "Print nothing but errors and the requested text (no progress line, no summary)."),
            .value("report", "FILE.html", help: "Also write the design part of the HTML report (estimates per pass and layer, precisions); 'lfadsc report --data' adds accuracy."),
        ],
        examples: ["lfadsc compile keras_model.h5 --target u55c -o prj", "lfadsc compile model.h5 --emit ir --after quantize",
                   "lfadsc compile model.h5 --strategy lfads --reuse auto -o prj",
                   "lfadsc compile model.h5 --precision auto --calibrate data.h5 --write-precision chosen.json -o prj",
                   "lfadsc simulate data.h5 -m model.h5 --precision-file chosen.json"])

    static let command = Command(spec: spec) { args, console in
        let flags = try PipelineFlags(args, modelArgument: args.positional(0))
        let emit = args.value("emit") ?? "project"
        let backend = args.value("backend") ?? "hls"
        guard ["hls", "rtl"].contains(backend) else { throw CLIError.usage("--backend takes hls or rtl, got '\(backend)'") }
        guard ["project", "ir", "precision", "schedule"].contains(emit) else { throw CLIError.usage("--emit takes project, ir, precision or schedule, got '\(emit)'") }
        if let reportPath = args.value("report") { try OutputTarget.validate(reportPath, overwrite: args.flag("force")) }
        // Checked before a search of minutes, not after it.
        if let path = args.value("write-precision") { try OutputTarget.validate(path, overwrite: args.flag("force")) }
        let quiet = args.flag("quiet")
        let started = Date()
        let graph = try flags.loadModel()
        // Every --outputs extra is one more port of the HLS design (after `out`); the RTL backend has one output
        // port. Checked before a search of minutes.
        let extras: [String]
        do { extras = try HardwareOutputSelection.values(for: flags.config.outputs, in: graph) } catch { throw CLIError.usage("\(error)") }
        if backend == "rtl", emit == "project", !extras.isEmpty {
            throw CLIError.usage("--outputs (or \"outputs\" in lfadsc.json) \(flags.config.outputs.joined(separator: ",")): the RTL backend writes the rates only; use --backend hls for extra outputs, or drop them")
        }
        var overrides = flags.overrides
        var note = "types of the quantised design of \(try ProjectSettings.modelPath(flags.config))"
        if flags.autoPrecision {
            if let ignored = flags.ignoredPrecisionFile, !quiet {
                console.err("note: --precision auto ignores the precision file \(ignored) named in lfadsc.json (the search chooses those types)\n")
            }
            let auto = try autoPrecision(graph, flags: flags, args: args, console: console)
            if !quiet { console.out(auto.summary() + auto.table() + "\n") }
            overrides = auto.overrides
            note = "chosen by lfadsc compile --precision auto for \(try ProjectSettings.modelPath(flags.config)) "
                + String(format: "(Poisson NLL float %.6f, auto %.6f, %+.3f %%)", auto.floatNLL, auto.fixedNLL, 100 * auto.relativeIncrease)
        }
        let result = try CompilePipeline.run(graph, config: flags.config, overrides: overrides, reuse: flags.reuse, rtl: backend == "rtl")
        if let path = args.value("write-precision") {
            let quantized = result.stages.last { $0.pass == "quantize" }?.graph ?? result.graph
            try TextOutput.write(try PrecisionFile(graph: quantized, note: note).jsonText(), to: path, overwrite: args.flag("force"))
            if !quiet { console.out("wrote \(path) (use it with --precision-file)\n") }
        }

        if let reportPath = args.value("report") {
            let document = ModelReport.document(ModelReport.Inputs(pipeline: result, float: nil, fixed: .failure(IRError.unsupported("no data")),
                                                                   modelPath: try ProjectSettings.modelPath(flags.config), dataPath: ""))
            try TextOutput.write(HTMLRenderer.render(document), to: reportPath, overwrite: args.flag("force"))
        }
        switch emit {
        case "ir":
            let after = args.value("after")
            guard let stage = after.map({ name in result.stages.first { $0.pass == name } }) ?? result.stages.last else {
                throw CLIError.usage("--after: no pass named '\(after ?? "")' (passes: \(result.stages.map(\.pass).joined(separator: ", ")))")
            }
            let text = IRPrinter.print(stage.graph, weights: args.flag("weights-summary") ? .summary : .full)
            try emitText(text, args: args, console: console)
        case "precision":
            try emitText(result.precisionTable, args: args, console: console)
        case "schedule":
            guard let schedule = try HLSProject.schedule(graph: result.graph, clockMHz: result.clockMHz, outputs: extras) else {
                throw CLIError.usage("--emit schedule: this design is not one dataflow schedule (every layer must use --strategy lfads)")
            }
            try emitText(schedule.text, args: args, console: console)
        default:
            if let e = result.finalEstimate, !e.fits, !args.flag("allow-overfull") { throw OverfullDesign.error(e, device: result.device) }
            let directory = args.value("output") ?? flags.config.outputDir.map { flags.config.resolve($0) } ?? "\(result.graph.name)_prj"
            let options = HLSOptions(part: result.device.part, clockMHz: result.clockMHz,
                                     projectName: cIdentifier(result.graph.name), topName: args.value("top") ?? "lfads_top",
                                     outputs: extras)
            let files: [String: String]
            var rtl: RTLDesignEstimate?
            if backend == "rtl" {
                (files, rtl) = try RTLBackend.project(graph: result.graph, clockMHz: result.clockMHz, device: result.device)
                // The Verilog builds some things differently from the HLS design (tables as logic, two banks per
                // channel): the RTL resource model decides whether it fits.
                if let over = rtl?.overfull(result.device), !over.isEmpty, !args.flag("allow-overfull") {
                    throw CLIError.failure("\(result.graph.name): the RTL does not fit the \(result.device.name): \(over.joined(separator: ", ")) "
                                           + "(RTL resource model; see lfadsc estimate --backend rtl); --allow-overfull writes it anyway")
                }
            } else {
                files = try HLSProject.emit(graph: result.graph, options: options)
            }
            try ProjectWriter.write(files, to: directory, overwrite: args.flag("force"))
            if let e = result.finalEstimate, !quiet {
                if let r = rtl?.total {
                    console.out(String(format: "estimate: %.2f µs per %@ (%d cycles at %.0f MHz), interval %.2f µs per trial; RTL resource model: DSP %d, CLB LUT %d, FF %d, BRAM18 %d (max %.1f %% of %@)\n",
                                       e.latencyMicroseconds, e.trialsPerCall > 1 ? "call of \(e.trialsPerCall) trials" : "trial", e.latencyCycles, result.clockMHz, e.intervalMicroseconds, r.dsp, r.clbLUTs, r.ff, r.bram18,
                                       (rtl?.utilization(result.device).map(\.fraction).max() ?? 0) * 100, result.device.name))
                } else {
                    console.out(String(format: "estimate: %.2f µs per %@ (%d cycles at %.0f MHz), interval %.2f µs per trial, DSP %d, LUT %d, FF %d, BRAM18 %d (max %.1f %% of %@)\n",
                                       e.latencyMicroseconds, e.trialsPerCall > 1 ? "call of \(e.trialsPerCall) trials" : "trial", e.latencyCycles, result.clockMHz, e.intervalMicroseconds, e.resources.dsp,
                                       e.resources.lut, e.resources.ff, e.resources.bram18, e.maxUtilization * 100, result.device.name))
                }
            }
            let next = backend == "rtl" ? "Verilator: make -C \(directory) sim AP_TYPES=<ap_types dir>, then \(directory)/sim IN.dat OUT.dat --cycles cycles.json; Yosys: make -C \(directory) synth"
                : "C-simulation: make -C \(directory) csim AP_TYPES=<ap_types dir>"
            if !quiet { console.out("wrote \(directory) (\(files.count) files) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s; \(next)\n") }
        }
    }

    /// `--precision auto`: ranges from the float simulator, NLL from the bit-accurate one (see docs/quantisation.md).
    static func autoPrecision(_ graph: Graph, flags: PipelineFlags, args: ParsedArguments, console: Console) throws -> AutoQuantize.Report {
        guard let data = args.value("calibrate") else { throw CLIError.usage("--precision auto needs --calibrate SPIKES") }
        let maxIncrease = try args.double("max-nll-increase") ?? 0.005
        guard maxIncrease > 0, maxIncrease < 1 else { throw CLIError.usage("--max-nll-increase must be in (0, 1)") }
        let threads = try args.int("threads", range: 1...1024) ?? ProcessInfo.processInfo.activeProcessorCount
        func trials(_ flag: String, _ fallback: String) throws -> AutoQuantize.Trials {
            let given = args.value(flag)
            let selection: TrialSelection
            do { selection = try TrialSelection.parse(given ?? fallback) } catch { throw CLIError.usage("--\(flag): \(error)") }
            do {
                return try AutoQuantize.Trials.read(path: data, selection: selection, graph: graph)
            } catch where given == nil {
                return try AutoQuantize.Trials.read(path: data, selection: .all, graph: graph)
            }
        }
        let calibration = try trials("calibration-trials", "0:40"), heldOut = try trials("held-out-trials", "40:80")
        let line = ProgressLine(console: console, quiet: args.flag("quiet"))
        let started = Date()
        let options = AutoQuantize.Options(maxIncrease: maxIncrease, threads: threads, progress: { phase in
            line.update(AutoProgressText.line(phase, elapsed: Date().timeIntervalSince(started)), force: phase.isMilestone)
        })
        do {
            let report = try AutoQuantize.run(graph: graph, config: flags.config, overrides: flags.overrides, calibration: calibration,
                                              heldOut: heldOut, options: options)
            line.finish(AutoProgressText.final(report))
            return report
        } catch {
            line.abandon()
            throw error
        }
    }

    static func emitText(_ text: String, args: ParsedArguments, console: Console) throws {
        if let path = args.value("output") {
            try OutputTarget.validate(path, overwrite: args.flag("force"))
            try TextOutput.write(text, to: path, overwrite: args.flag("force"))
        } else {
            console.out(text)
        }
    }

    /// Model names become C identifiers for the project name.
    static func cIdentifier(_ name: String) -> String {
        var s = String(name.map { ($0.isASCII && ($0.isLetter || $0.isNumber)) ? $0 : "_" })
        if s.isEmpty || s.first!.isNumber { s = "m_" + s }
        return s
    }
}
