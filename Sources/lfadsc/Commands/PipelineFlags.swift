import Backends
import LFADSIR

/// The flags shared by compile and estimate, turned into a resolved configuration and a reuse choice.
struct PipelineFlags {
    var config: ProjectConfig
    var overrides: PrecisionOverrides
    var reuse: ReuseChoice
    var autoPrecision: Bool

    static let options: [OptionSpec] = [
        SharedOptions.model, SharedOptions.format, SharedOptions.config, SharedOptions.target, SharedOptions.clock,
        SharedOptions.precision, SharedOptions.strategy,
        .value("reuse", short: "r", "N|auto", help: "Reuse factor for every layer, or 'auto' to let the reuse pass choose within --max-utilization."),
        .value("latency-target", "US", help: "Let the reuse pass meet this latency (µs) with the least hardware."),
        .value("max-utilization", "F", help: "Largest fraction of any device resource the reuse pass may use.", default: "0.8"),
        .value("hls4ml-config", "FILE", help: "An hls4ml config (YAML) whose precisions, strategies and reuse factors apply under lfadsc.json and --set."),
        .value("set", "KEY=VALUE", help: "Per-layer override, e.g. 'enc.weight=ap_fixed<12,4>', '*.accum=ap_fixed<24,10>', 'dec.reuse=4'.", repeatable: true),
    ]

    /// `base` replaces lfadsc.json (an architecture spec's settings); `autoReuse` makes the reuse pass the
    /// default when no reuse flag is given (the spec said `"reuse": "auto"`).
    init(_ args: ParsedArguments, modelArgument: String?, base: ProjectConfig? = nil, autoReuse: Bool = false) throws {
        let reuseText = args.value("reuse")
        var reuseNumber: Int? = nil
        if let r = reuseText, r != "auto" {
            guard let n = Int(r), n >= 1, n <= 1 << 20 else { throw CLIError.usage("--reuse expects a positive integer or 'auto', got '\(r)'") }
            reuseNumber = n
        }
        let flags = SettingsFlags(configPath: args.value("config"), model: modelArgument ?? args.value("model"), format: args.value("format"),
                                  target: args.value("target"), clockMHz: try args.double("clock"), precision: args.value("precision"),
                                  strategy: args.value("strategy"), reuse: reuseNumber)
        if var base {
            try ProjectSettings.apply(flags, to: &base)
            config = base
        } else {
            config = try ProjectSettings.resolve(flags)
        }
        if let h = args.value("hls4ml-config") { config.hls4mlConfig = ProjectSettings.absolute(h) }
        overrides = try config.effectiveOverrides()
        for assignment in args.all("set") { try overrides.apply(flag: assignment, source: "--set") }
        autoPrecision = flags.wantsAutoPrecision
        let maxUtilization = try args.double("max-utilization") ?? 0.8
        guard maxUtilization > 0, maxUtilization <= 1 else { throw CLIError.usage("--max-utilization must be in (0, 1], got \(maxUtilization)") }
        if let target = try args.double("latency-target") {
            guard target > 0 else { throw CLIError.usage("--latency-target must be positive") }
            reuse = .latency(microseconds: target, maxUtilization: maxUtilization)
        } else if reuseText == "auto" || (reuseText == nil && autoReuse) {
            reuse = .auto(maxUtilization: maxUtilization)
        } else {
            reuse = .configured
        }
    }

    func loadModel() throws -> Graph {
        try ModelLoader.load(path: try ProjectSettings.modelPath(config), format: config.format)
    }
}
