/// Commands whose declarations are final but whose pipelines are still being connected.
/// They fail loudly (exit 1) rather than pretend; see the open issues.
enum CompileCommand {
    static let spec = CommandSpec(
        name: "compile",
        summary: "Import a model, run the quantisation and reuse passes, and write a Vitis HLS project.",
        discussion: "With --emit ir the IR text after the chosen pass is printed (or written with -o) instead of a project.",
        arguments: [ArgumentSpec(name: "MODEL", help: "Model file (overrides --model and lfadsc.json).", optional: true)],
        options: [SharedOptions.model, SharedOptions.format, SharedOptions.config, SharedOptions.target, SharedOptions.output,
                  SharedOptions.force, SharedOptions.precision, SharedOptions.strategy, SharedOptions.reuse, SharedOptions.clock,
                  .value("emit", "KIND", help: "What to produce: project or ir.", default: "project"),
                  .value("after", "PASS", help: "With --emit ir: print the IR after this pass (import, quantize, reuse, ...).")],
        examples: ["lfadsc compile keras_model.h5 --target u55c -o prj", "lfadsc compile model.h5 --emit ir"])
    static let command = Command(spec: spec) { _, _ in throw CLIError.failure("compile is not available in this build yet") }
}

