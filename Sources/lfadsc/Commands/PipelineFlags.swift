import Backends
import LFADSIR

/// The flags shared by compile and estimate, turned into a resolved configuration and a reuse choice.
struct PipelineFlags {
    var config: ProjectConfig
    var overrides: PrecisionOverrides
    var reuse: ReuseChoice
    var autoPrecision: Bool
    /// lfadsc.json's precision file, set aside because `--precision auto` chooses those types itself.
    var ignoredPrecisionFile: String?

    static let options: [OptionSpec] = [
        SharedOptions.model, SharedOptions.format, SharedOptions.reconstruction, SharedOptions.config, SharedOptions.target, SharedOptions.clock,
        SharedOptions.precision, SharedOptions.strategy, SharedOptions.reuse, SharedOptions.latencyTarget, SharedOptions.maxUtilization,
        .value("hls4ml-config", "FILE", help: "An hls4ml config (YAML) whose precisions, strategies and reuse factors apply under lfadsc.json and --set."),
        .value("precision-file", "FILE", help: "Per-tensor types from a precision file (written by 'compile --write-precision'); they apply over lfadsc.json and the hls4ml config, under --set.", default: "lfadsc.json's precision_file"),
        .value("posterior", "MODE", help: "'mean' (LFADS' inference default), 'sample': mean + exp(logvar/2)·ε for the initial condition and each step's controller output, with ε from the on-chip Gaussian source, or 'average:N': the mean of every output over N such samples (lfads-torch's posterior sample-and-average; the hardware runs the N samples one after another through everything after the encoders). Both need --seed.", default: "lfadsc.json's posterior, else mean"),
        .value("outputs", "NAMES", help: "Outputs the hardware produces, comma-separated, as the float path names them (rates,factors,co_means,gen_states,...); rates always come first. Simulate writes them (HDF5: one dataset each; .dat: one line per trial, rates then the others in this order); compile gives the HLS design one output port per name, its C simulation writes the same .dat line, and estimate prices the ports and copies (not --backend rtl).", default: "lfadsc.json's outputs, else rates"),
        .value("trials-in-flight", "C", help: "Trials one call of the design carries (1...64): each GRU recurrence interleaves them step by step, so its step's dependence latency is paid once per C trials; the latency is the call's, the interval per trial the call's over C. GRU encoders (reset after), dense layers and glue only (no decoder loop, sampling or LSTM yet), in both backends; simulate ignores it (a trial's numbers do not depend on it).", default: "lfadsc.json's trials_in_flight, else 1"),
        .value("seed", "S", help: "Seed of --posterior sample or average:N (0...2^64-1); trial i of a run draws the same noise alone or in a batch (sample s of average:N draws stream i·N + s)."),
        .value("set", "KEY=VALUE", help: "Per-layer override, e.g. 'enc.weight=ap_fixed<12,4>', '*.accum=ap_fixed<24,10>', 'dec.reuse=4'.", repeatable: true),
    ]

    /// --posterior / --seed over lfadsc.json's "posterior" / "seed".
    static func posterior(_ args: ParsedArguments, _ config: inout ProjectConfig) throws {
        let seed = try args.value("seed").map { text -> UInt64 in
            guard let s = UInt64(text) else { throw CLIError.usage("--seed: expected an integer 0...\(UInt64.max), got '\(text)'") }
            return s
        }
        switch args.value("posterior") {
        case nil:
            if let seed {
                guard config.posteriorSeed != nil else { throw CLIError.usage("--seed only applies to --posterior sample or average:N") }
                config.posteriorSeed = seed
            }
        case "mean":
            guard seed == nil else { throw CLIError.usage("--seed only applies to --posterior sample or average:N") }
            config.posteriorSeed = nil
            config.posteriorSamples = 1
        case "sample":
            guard let s = seed ?? config.posteriorSeed else { throw CLIError.usage("--posterior sample needs --seed S") }
            config.posteriorSeed = s
            config.posteriorSamples = 1
        case let m? where m.hasPrefix("average:"):
            guard let n = Int(m.dropFirst(8)), (2...Graph.maxPosteriorSamples).contains(n) else {
                throw CLIError.usage("--posterior average:N takes N in 2...\(Graph.maxPosteriorSamples), got '\(m)'")
            }
            guard let s = seed ?? config.posteriorSeed else { throw CLIError.usage("--posterior \(m) needs --seed S") }
            config.posteriorSeed = s
            config.posteriorSamples = n
        case let m?:
            throw CLIError.usage("--posterior takes 'mean', 'sample' or 'average:N', got '\(m)'")
        }
    }

    /// `base` replaces lfadsc.json (an architecture spec's settings); `autoReuse` hands the reuse factors to the
    /// reuse pass when neither the flags nor the spec give one (the spec said `"reuse": "auto"`).
    init(_ args: ParsedArguments, modelArgument: String?, base: ProjectConfig? = nil, autoReuse: Bool = false) throws {
        var flags = SettingsFlags(configPath: args.value("config"), model: modelArgument ?? args.value("model"), format: args.value("format"),
                                  target: args.value("target"), clockMHz: try args.double("clock"), precision: args.value("precision"),
                                  strategy: args.value("strategy"), reuse: try Self.reuse(args), maxUtilization: try Self.maxUtilization(args),
                                  latencyTargetMicroseconds: try Self.latencyTarget(args))
        flags.reconstruction = args.value("reconstruction")
        if var base {
            if autoReuse { base.reuseSearch.auto = true }
            try ProjectSettings.apply(flags, to: &base)
            config = base
        } else {
            config = try ProjectSettings.resolve(flags)
        }
        if let h = args.value("hls4ml-config") { config.hls4mlConfig = ProjectSettings.absolute(h) }
        autoPrecision = flags.wantsAutoPrecision
        if let p = args.value("precision-file") {
            guard !autoPrecision else {
                throw CLIError.usage("--precision auto chooses the types a precision file would fix: drop --precision-file (--write-precision FILE saves the choice)")
            }
            config.precisionFile = ProjectSettings.absolute(p)
        } else if autoPrecision, let p = config.precisionFile {
            ignoredPrecisionFile = config.resolve(p)
            config.precisionFile = nil
        }
        try Self.posterior(args, &config)
        if let c = try args.int("trials-in-flight", range: 1...Graph.maxTrialsInFlight) { config.trialsInFlight = c }
        if let o = args.value("outputs") {
            do { config.outputs = try HardwareOutputSelection.parse(o) } catch { throw CLIError.usage("\(error)") }
        }
        overrides = try config.effectiveOverrides()
        for assignment in args.all("set") { try overrides.apply(flag: assignment, source: "--set") }
        reuse = CompilePipeline.reuseChoice(config: config, overrides: overrides)
    }

    // The reuse-pass flags, checked here so a bad value is a usage error (exit 2); init stores the same flags.
    static func reuse(_ args: ParsedArguments) throws -> ReuseSetting? {
        guard let text = args.value("reuse") else { return nil }
        guard let r = ReuseSetting(text) else { throw CLIError.usage("--reuse expects a positive integer or 'auto', got '\(text)'") }
        return r
    }

    static func maxUtilization(_ args: ParsedArguments) throws -> Double? {
        guard let u = try args.double("max-utilization") else { return nil }
        guard u > 0, u <= 1 else { throw CLIError.usage("--max-utilization must be in (0, 1], got \(u)") }
        return u
    }

    static func latencyTarget(_ args: ParsedArguments) throws -> Double? {
        guard let t = try args.double("latency-target") else { return nil }
        guard t > 0 else { throw CLIError.usage("--latency-target must be positive") }
        return t
    }

    func loadModel() throws -> Graph {
        let graph = try ModelLoader.load(path: try ProjectSettings.modelPath(config), format: config.format,
                                          reconstruction: config.reconstruction)
        try checkPrecisionFile(graph)
        return graph
    }

    /// A precision file naming a layer or tensor the model lacks fails here, naming the file and the key.
    func checkPrecisionFile(_ graph: Graph) throws {
        guard let path = config.precisionFile.map(config.resolve) else { return }
        let hardware = try FoldQuantizersPass().run(try HardwareOutputsPass().run(graph))
        try PrecisionFile.load(path: path).check(against: hardware, file: path)
    }
}
