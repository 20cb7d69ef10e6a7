import Backends
import Foundation
import LFADSIR

/// `lfadsc estimate`: latency and resources per layer after every pass, from the cost model alone.
enum EstimateCommand {
    static let spec = CommandSpec(
        name: "estimate",
        summary: "Estimate latency and resources per layer after every pass, without running FPGA tools.",
        discussion: "Prints one line per pass (import, quantize, strategy, reuse) and the per-layer table of the final design; --per-pass prints the per-layer table after every pass. A resource over 100 % of the device is printed in red on a terminal (unless NO_COLOR is set), named on a 'does not fit' line, and listed in the JSON ('fits', 'overfull'); compile refuses such a design. The model and its calibration are described in docs/cost-model.md.",
        arguments: [ArgumentSpec(name: "MODEL", help: "Model file (overrides --model and lfadsc.json).", optional: true)],
        options: PipelineFlags.options + [.value("arch", "SPEC", help: "Size a model from its architecture alone: a JSON spec of a layer stack or of LFADS sizes (docs/estimates.md), instead of MODEL."),
                                          .value("flavor", "NAME", help: "Whose design to price: 'lfadsc' (default, the design lfadsc emits) or 'hls4ml' (the design stock hls4ml 1.x would generate: Latency-strategy Dense layers from their weights, the Resource strategy elsewhere; docs/estimates.md)."),
                                          .value("io-type", "TYPE", help: "With --flavor hls4ml: io_parallel or io_stream (default: the hls4ml config's IOType, else io_parallel)."),
                                          .value("hls4ml-backend", "NAME", help: "With --flavor hls4ml: the hls4ml backend the design is built with, vivado (Vivado HLS 2019.2/2020.1: a mux core per multiplier when reuse < n_in) or vitis (Vitis HLS: shared selects); default: the hls4ml config's Backend, else vivado, hls4ml's default."),
                                          .value("backend", "KIND", help: "hls (default) or rtl: the RTL backend emits the same dataflow schedule as Verilog, so its cycles are these, measured equal in Verilator (docs/rtl.md); rtl adds the Verilog's resources as make synth (Yosys) will report them, from the RTL resource model (docs/rtl-synthesis.md), and needs a design without an LSTM."),
                                          .flag("per-pass", help: "Print the per-layer table after every pass."),
                                          .flag("json", help: "Print JSON (every pass, every layer).")],
        examples: ["lfadsc estimate keras_model.h5 --strategy resource --reuse 70",
                   "lfadsc estimate keras_model.h5 --strategy lfads --reuse auto",
                   "lfadsc estimate --arch examples/arch/mc_maze.json",
                   "lfadsc estimate keras_model.h5 --flavor hls4ml --strategy resource --reuse 70 --io-type io_stream"])

    static let command = Command(spec: spec) { args, console in
        let started = Date()
        let (flags, model) = try load(args)
        if flags.autoPrecision { throw CLIError.usage("--precision auto needs calibration data: use 'lfadsc compile --precision auto --calibrate DATA'") }
        // The RTL backend has one output port: the HLS design's --outputs ports are not its schedule.
        let extras: [String]
        do { extras = try HardwareOutputSelection.values(for: flags.config.outputs, in: model) } catch { throw CLIError.usage("\(error)") }
        if args.value("backend") == "rtl", !extras.isEmpty {
            throw CLIError.usage("--outputs (or \"outputs\" in lfadsc.json) \(flags.config.outputs.joined(separator: ",")): the RTL backend writes the rates only; use --backend hls for extra outputs, or drop them")
        }
        let result = try CompilePipeline.run(model, config: flags.config, overrides: flags.overrides, reuse: flags.reuse,
                                             rtl: args.value("backend") == "rtl")
        var rtl: RTLDesignEstimate?
        switch args.value("backend") ?? "hls" {
        case "hls": break
        case "rtl":
            // The RTL backend implements the emitted schedule cycle for cycle: its latency and interval are the estimate's.
            guard result.finalEstimate?.fromEmittedSchedule == true else {
                throw CLIError.usage("--backend rtl: this design is not one dataflow schedule (an LSTM design has no RTL form)")
            }
            rtl = try RTLBackend.estimate(graph: result.graph, clockMHz: result.clockMHz, device: result.device)
        case let other: throw CLIError.usage("--backend must be hls or rtl, got '\(other)'")
        }
        let elapsed = Date().timeIntervalSince(started)
        switch args.value("flavor") ?? "lfadsc" {
        case "lfadsc": break
        case "hls4ml":
            let report = try hls4mlReport(result, args: args, flags: flags)
            console.out(args.flag("json") ? report.json() : report.table())
            return
        case let other: throw CLIError.usage("--flavor must be lfadsc or hls4ml, got '\(other)'")
        }
        if args.flag("json") {
            let stages = result.stages.map { "{\"pass\": \"\($0.pass)\", \"estimate\": \($0.estimate?.json() ?? "null")}" }
            let final = result.finalEstimate
            let overfull = (final?.overfull ?? []).map { "\"\($0)\"" }.joined(separator: ", ")
            let rtlJSON = rtl.map { r in
                ", \"rtl_resources\": {\"model\": \"RTLCostModel (the Verilog as make synth reports it)\", \"totals\": \(r.totalsJSON), "
                    + "\"count_dsp_products\": \(r.countDSPProducts), "
                    + "\"overfull\": [\(r.overfull(result.device).map { "\"\($0)\"" }.joined(separator: ", "))]}"
            } ?? ""
            console.out("{\"seconds\": \(elapsed), \"fits\": \(final?.fits ?? true), \"overfull\": [\(overfull)]\(rtlJSON), \"stages\": [\n"
                        + stages.joined(separator: ",\n") + "\n]}\n")
            return
        }
        if let rtl {
            // The cycles are the Verilog's; its resources are the RTL model's, not the HLS design's of the table below.
            console.out("backend rtl: the Verilog (compile --backend rtl) implements this schedule cycle for cycle; make sim measures its latency and interval (docs/rtl.md)\n")
            console.out("backend rtl: resources of the Verilog as make synth (Yosys synth_xilinx -family xcup) will report them, from the RTL resource model (docs/rtl-synthesis.md):\n")
            console.out(rtl.table(device: result.device))
            if let note = rtl.bindingNote { console.out(note + "\n") }
            let over = rtl.overfull(result.device)
            if !over.isEmpty {
                let line = "the RTL does not fit the \(result.device.name): \(over.joined(separator: ", ")) (compile --backend rtl refuses it unless --allow-overfull)"
                console.out((console.color ? DesignEstimate.red(line) : line) + "\n")
            }
            console.out("the pass lines and the per-layer table below price the HLS design of the same schedule:\n\n")
        }
        console.out(EstimateText.passSummary(result, color: console.color))
        console.out("\n")
        if args.flag("per-pass") {
            for (n, stage) in result.stages.enumerated() {
                let table = stage.estimate?.table(color: console.color && n == result.stages.count - 1) ?? ""
                console.out("after \(stage.pass):\n\(table)\n")
            }
        } else if let final = result.finalEstimate {
            console.out(final.table(color: console.color))
        }
        if let final = result.finalEstimate, !final.fits {
            let line = "does not fit the \(result.device.name): \(final.overfullSummary); \(OverfullDesign.wayOut) "
                + "(compile refuses it unless --allow-overfull)"
            console.out((console.color ? DesignEstimate.red(line) : line) + "\n")
        }
        console.out(String(format: "estimated in %.1f ms\n", elapsed * 1000))
    }
}

extension EstimateCommand {
    /// The final graph priced as stock hls4ml would build it; the IO type and backend from the flags, else the hls4ml
    /// config.
    static func hls4mlReport(_ result: PipelineResult, args: ParsedArguments, flags: PipelineFlags) throws -> HLS4MLReport {
        let hls4mlConfig = flags.config.hls4mlConfig
        // A flag wins; else the hls4ml config's key (the file read once, only when a flag is missing).
        let ioFlag = args.value("io-type"), backendFlag = args.value("hls4ml-backend")
        let config = try (ioFlag == nil || backendFlag == nil ? hls4mlConfig : nil).map { try HLS4MLConfig.load(path: $0) }
        let file = hls4mlConfig ?? "hls4ml config"
        let io: HLS4MLIOType
        switch (ioFlag ?? config?.ioType ?? "io_parallel").lowercased() {
        case "io_parallel", "parallel": io = .parallel
        case "io_stream", "stream": io = .stream
        case let other:
            if ioFlag != nil { throw CLIError.usage("--io-type must be io_parallel or io_stream, got '\(other)'") }
            // The value came from the hls4ml config (e.g. a fork's io_array_stream): name the file, not a flag.
            throw CLIError.failure("\(file): IOType '\(other)' is not a stock hls4ml IO type (io_parallel, io_stream); pass --io-type to price one")
        }
        let backendText = backendFlag ?? config?.backend ?? "vivado"
        // hls4ml's VivadoAccelerator backend builds with Vivado HLS too.
        let backendName = backendText.lowercased()
        guard let backend = backendName == "vivadoaccelerator" ? .vivado : HLS4MLBackend(rawValue: backendName) else {
            if backendFlag != nil { throw CLIError.usage("--hls4ml-backend must be vivado or vitis, got '\(backendText)'") }
            throw CLIError.failure("\(file): Backend '\(backendText)' is not modelled (Vivado, VivadoAccelerator, Vitis); pass --hls4ml-backend to price one")
        }
        do {
            // Stock hls4ml types its input with the model-wide default precision.
            return try HLS4MLReport(graph: result.graph, io: io, backend: backend, inputBits: flags.overrides.defaultPrecision?.width,
                                    clockMHz: result.clockMHz)
        } catch let e as HLS4MLFromGraph.Unsupported {
            throw CLIError.failure("--flavor hls4ml: \(e.description)")
        }
    }

    /// The flags and the graph: from a model file (with lfadsc.json), or from an architecture spec (whose
    /// settings take lfadsc.json's place; flags still apply on top).
    static func load(_ args: ParsedArguments) throws -> (PipelineFlags, Graph) {
        guard let arch = args.value("arch") else {
            let flags = try PipelineFlags(args, modelArgument: args.positional(0))
            return (flags, try flags.loadModel())
        }
        for (given, what) in [(args.positional(0) != nil, "MODEL"), (args.value("model") != nil, "--model"),
                              (args.value("format") != nil, "--format"), (args.value("config") != nil, "--config")] where given {
            throw CLIError.usage("--arch describes the model and its settings; it cannot be combined with \(what)")
        }
        let spec = try ArchSpec.load(path: arch, targets: Device.all.flatMap { [$0.name, $0.part] })
        let flags = try PipelineFlags(args, modelArgument: nil, base: spec.projectConfig(modelWideReuse: args.value("reuse") == nil),
                                      autoReuse: spec.reuse == .auto)
        try flags.checkPrecisionFile(spec.graph)
        return (flags, spec.graph)
    }
}

/// The one-line-per-pass overview.
enum EstimateText {
    /// With `color`, the max % of the final design is red when it is over the device (the passes before the
    /// reuse pass are over it by design, so only the last row is marked).
    static func passSummary(_ result: PipelineResult, color: Bool = false) -> String {
        let header = ["pass", "latency µs", "cycles", "II", "DSP", "LUT", "FF", "BRAM18", "URAM", "max %", "MHz", "cycles from"]
        var rows = [header]
        for stage in result.stages {
            guard let e = stage.estimate else { continue }
            rows.append([stage.pass, String(format: "%.2f", e.latencyMicroseconds), "\(e.latencyCycles)", "\(e.intervalCycles)",
                         "\(e.resources.dsp)", "\(e.resources.lut)", "\(e.resources.ff)", "\(e.resources.bram18)", "\(e.resources.uram)",
                         String(format: "%.1f", e.maxUtilization * 100), String(format: "%.0f", e.effectiveClockMHz),
                         e.fromEmittedSchedule ? "emitted schedule" : "intent"])
        }
        var widths = header.map { $0.count }
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        var out = "\(result.graph.name) on \(result.device.name) at \(Int(result.clockMHz)) MHz target, after each pass "
            + "(µs at the clock the design is expected to close; 'intent' rows price a layer-by-layer schedule the code does not emit):\n"
        let overfullRow = result.finalEstimate.map { $0.fits ? -1 : rows.count - 1 } ?? -1
        for (n, r) in rows.enumerated() {
            out += r.enumerated().map { i, c in
                let pad = String(repeating: " ", count: widths[i] - c.count)
                let cell = i == 0 || i == r.count - 1 ? c + pad : pad + c
                return color && n == overfullRow && i == r.count - 3 ? DesignEstimate.red(cell) : cell
            }.joined(separator: "  ") + "\n"
            if n == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        return out
    }
}

/// The way out of an over-full design, shared by estimate's warning, compile's error and the docs.
enum OverfullDesign {
    static let wayOut = "to make it fit, let the reuse pass choose (--strategy lfads --reuse auto) or give a larger --reuse"

    /// compile's one-line error for a design over the device.
    static func error(_ e: DesignEstimate, device: Device) -> CLIError {
        .failure("\(e.graphName) does not fit the \(device.name): \(e.overfullSummary); \(wayOut); --allow-overfull writes it anyway")
    }
}
