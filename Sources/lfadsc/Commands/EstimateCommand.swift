import Backends
import Foundation
import LFADSIR

/// `lfadsc estimate`: latency and resources per layer after every pass, from the cost model alone.
enum EstimateCommand {
    static let spec = CommandSpec(
        name: "estimate",
        summary: "Estimate latency and resources per layer after every pass, without running FPGA tools.",
        discussion: "Prints one line per pass (import, quantize, strategy, reuse) and the per-layer table of the final design; --per-pass prints the per-layer table after every pass. The model and its calibration are described in docs/cost-model.md.",
        arguments: [ArgumentSpec(name: "MODEL", help: "Model file (overrides --model and lfadsc.json).", optional: true)],
        options: PipelineFlags.options + [.value("arch", "SPEC", help: "Size a model from its architecture alone: a JSON spec of a layer stack or of LFADS sizes (docs/estimates.md), instead of MODEL."),
                                          .flag("per-pass", help: "Print the per-layer table after every pass."),
                                          .flag("json", help: "Print JSON (every pass, every layer).")],
        examples: ["lfadsc estimate keras_model.h5 --strategy resource --reuse 70",
                   "lfadsc estimate keras_model.h5 --strategy lfads --reuse auto",
                   "lfadsc estimate --arch examples/arch/mc_maze.json"])

    static let command = Command(spec: spec) { args, console in
        let started = Date()
        let (flags, model) = try load(args)
        if flags.autoPrecision { throw CLIError.usage("--precision auto needs calibration data: use 'lfadsc compile --precision auto --calibrate DATA'") }
        let result = try CompilePipeline.run(model, config: flags.config, overrides: flags.overrides, reuse: flags.reuse)
        let elapsed = Date().timeIntervalSince(started)
        if args.flag("json") {
            let stages = result.stages.map { "{\"pass\": \"\($0.pass)\", \"estimate\": \($0.estimate?.json() ?? "null")}" }
            console.out("{\"seconds\": \(elapsed), \"stages\": [\n" + stages.joined(separator: ",\n") + "\n]}\n")
            return
        }
        console.out(EstimateText.passSummary(result))
        console.out("\n")
        if args.flag("per-pass") {
            for stage in result.stages { console.out("after \(stage.pass):\n\(stage.estimate?.table() ?? "")\n") }
        } else if let final = result.finalEstimate {
            console.out(final.table())
        }
        console.out(String(format: "estimated in %.1f ms\n", elapsed * 1000))
    }
}

extension EstimateCommand {
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
        let spec = try ArchSpec.load(path: arch, targets: Device.all.map(\.name))
        let flags = try PipelineFlags(args, modelArgument: nil, base: spec.projectConfig(modelWideReuse: args.value("reuse") == nil),
                                      autoReuse: spec.reuse == .auto)
        return (flags, spec.graph)
    }
}

/// The one-line-per-pass overview.
enum EstimateText {
    static func passSummary(_ result: PipelineResult) -> String {
        let header = ["pass", "latency µs", "cycles", "II", "DSP", "LUT", "FF", "BRAM18", "URAM", "max %"]
        var rows = [header]
        for stage in result.stages {
            guard let e = stage.estimate else { continue }
            rows.append([stage.pass, String(format: "%.2f", e.latencyMicroseconds), "\(e.latencyCycles)", "\(e.intervalCycles)",
                         "\(e.resources.dsp)", "\(e.resources.lut)", "\(e.resources.ff)", "\(e.resources.bram18)", "\(e.resources.uram)",
                         String(format: "%.1f", e.maxUtilization * 100)])
        }
        var widths = header.map { $0.count }
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        var out = "\(result.graph.name) on \(result.device.name) at \(Int(result.clockMHz)) MHz, after each pass:\n"
        for (n, r) in rows.enumerated() {
            out += r.enumerated().map { i, c in
                let pad = String(repeating: " ", count: widths[i] - c.count)
                return i == 0 ? c + pad : pad + c
            }.joined(separator: "  ") + "\n"
            if n == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        return out
    }
}
