import Backends
import Foundation
import LFADSIR

/// `lfadsc init MODEL`: writes lfadsc.json so compile, estimate and simulate need no other argument.
enum InitCommand {
    static let spec = CommandSpec(
        name: "init",
        summary: "Write an lfadsc.json project file for a model.",
        discussion: "The model is imported once to check it. Flags given here are stored; later flags on any command override the file. Without --hls4ml-config the file also records the defaults, the lfads strategy with reuse 'auto', so compile gives a design that fits the device; with one, the hls4ml file's strategies and reuse factors apply unless flags say otherwise.",
        arguments: [ArgumentSpec(name: "MODEL", help: "Model file.")],
        options: [SharedOptions.format, SharedOptions.reconstruction, SharedOptions.target, SharedOptions.precision, SharedOptions.strategy, SharedOptions.reuse,
                  SharedOptions.latencyTarget, SharedOptions.maxUtilization, SharedOptions.clock, .value("project-output", "DIR", help: "Where compile writes the HLS project.", default: "MODELNAME_prj"),
                  .value("hls4ml-config", "FILE", help: "An hls4ml config (YAML) whose precisions and reuse factors apply."),
                  SharedOptions.config, SharedOptions.force],
        examples: ["lfadsc init keras_model.h5 --target u55c --hls4ml-config hls4ml_config.yml"])

    static let command = Command(spec: spec) { args, console in
        let model = args.positionals[0]
        let destination = args.value("config") ?? ProjectSettings.defaultFileName
        try OutputTarget.validate(destination, overwrite: args.flag("force"))
        let graph = try ModelLoader.load(path: model, format: args.value("format"), reconstruction: args.value("reconstruction"))
        if args.value("precision") == "auto" { throw CLIError.usage("--precision auto is chosen at compile time (compile --precision auto --calibrate DATA)") }

        var config = ProjectConfig(model: model, format: args.value("format"))
        config.reconstruction = args.value("reconstruction")
        let hls4ml = args.value("hls4ml-config")
        // Without an hls4ml file the defaults are written out, so the file says what compile will do.
        try ProjectSettings.apply(SettingsFlags(target: args.value("target"), clockMHz: try args.double("clock"),
                                                precision: args.value("precision"),
                                                strategy: args.value("strategy") ?? (hls4ml == nil ? CompilePipeline.defaultStrategy.rawValue : nil),
                                                reuse: try PipelineFlags.reuse(args) ?? (hls4ml == nil ? .auto : nil),
                                                maxUtilization: try PipelineFlags.maxUtilization(args),
                                                latencyTargetMicroseconds: try PipelineFlags.latencyTarget(args)), to: &config)
        config.model = model
        config.outputDir = args.value("project-output") ?? "\(graph.name)_prj"
        if let h = hls4ml {
            _ = try HLS4MLConfig.load(path: h)
            config.hls4mlConfig = h
        }
        try config.save(to: destination, overwrite: args.flag("force"))
        console.out("wrote \(destination): model \(model) (\(graph.metadata["importer"] ?? "?"), \(graph.nodes.count) nodes), target \(config.target) at \(Int(config.clockMHz)) MHz\n")
    }
}
