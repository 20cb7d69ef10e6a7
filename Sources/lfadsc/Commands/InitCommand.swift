import Backends
import Foundation
import LFADSIR

/// `lfadsc init MODEL`: writes lfadsc.json so compile, estimate and simulate need no other argument.
enum InitCommand {
    static let spec = CommandSpec(
        name: "init",
        summary: "Write an lfadsc.json project file for a model.",
        discussion: "The model is imported once to check it. Flags given here are stored; later flags on any command override the file.",
        arguments: [ArgumentSpec(name: "MODEL", help: "Model file.")],
        options: [SharedOptions.format, SharedOptions.target, SharedOptions.precision, SharedOptions.strategy, SharedOptions.reuse,
                  SharedOptions.clock, .value("project-output", "DIR", help: "Where compile writes the HLS project.", default: "MODELNAME_prj"),
                  .value("hls4ml-config", "FILE", help: "An hls4ml config (YAML) whose precisions and reuse factors apply."),
                  SharedOptions.config, SharedOptions.force],
        examples: ["lfadsc init keras_model.h5 --target u55c --hls4ml-config hls4ml_config.yml"])

    static let command = Command(spec: spec) { args, console in
        let model = args.positionals[0]
        let destination = args.value("config") ?? ProjectSettings.defaultFileName
        try OutputTarget.validate(destination, overwrite: args.flag("force"))
        let graph = try ModelLoader.load(path: model, format: args.value("format"))
        if args.value("precision") == "auto" { throw CLIError.usage("--precision auto is chosen at compile time (compile --precision auto --calibrate DATA)") }

        var config = ProjectConfig(model: model, format: args.value("format"))
        try ProjectSettings.apply(SettingsFlags(target: args.value("target"), clockMHz: try args.double("clock"),
                                                precision: args.value("precision"), strategy: args.value("strategy"),
                                                reuse: try args.int("reuse")), to: &config)
        config.model = model
        config.outputDir = args.value("project-output") ?? "\(graph.name)_prj"
        if let h = args.value("hls4ml-config") {
            _ = try HLS4MLConfig.load(path: h)
            config.hls4mlConfig = h
        }
        try config.save(to: destination, overwrite: args.flag("force"))
        console.out("wrote \(destination): model \(model) (\(graph.metadata["importer"] ?? "?"), \(graph.nodes.count) nodes), target \(config.target) at \(Int(config.clockMHz)) MHz\n")
    }
}
