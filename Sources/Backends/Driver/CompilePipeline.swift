import Foundation
import LFADSIR

/// How reuse factors are chosen.
public enum ReuseChoice: Sendable, Equatable {
    /// As configured (lfadsc.json, hls4ml config, --reuse); 1 where nothing is said.
    case configured
    /// The reuse pass picks the fastest design within this fraction of every device resource.
    case auto(maxUtilization: Double)
    /// The reuse pass meets a latency budget with the least hardware.
    case latency(microseconds: Double, maxUtilization: Double)
}

/// One stage of the pipeline as the estimator saw it.
public struct PipelineStage: Sendable {
    public var pass: String
    public var summary: String
    public var graph: Graph
    public var estimate: DesignEstimate?
}

public struct PipelineResult: Sendable {
    public var stages: [PipelineStage]
    public var device: Device
    public var clockMHz: Double
    /// The precision table the quantize pass chose (layer, tensor, type, source).
    public var precisionTable: String
    public var graph: Graph { stages.last?.graph ?? Graph(name: "") }
    public var finalEstimate: DesignEstimate? { stages.last?.estimate }
}

/// import → quantize → strategy → reuse: the passes every command shares, with a cost estimate after each.
public enum CompilePipeline {
    /// Strategy used where neither the configuration nor a flag chooses one. The lfads schedule (docs/lfads-strategy.md)
    /// with the reuse pass is what makes an LFADS model fit: hls4ml's fully parallel latency default does not.
    public static let defaultStrategy = Strategy.lfads

    /// How reuse factors are chosen for a resolved configuration (flags applied, `--set` overrides included):
    /// a latency target, then an explicit `auto`, then factors the configuration gives (hls4ml file, lfadsc.json,
    /// --reuse N, --set X.reuse=N) are kept; with none of these the reuse pass fits the design to the device.
    public static func reuseChoice(config: ProjectConfig, overrides: PrecisionOverrides) -> ReuseChoice {
        let search = config.reuseSearch
        let ceiling = search.maxUtilization ?? ReuseSearch.defaultMaxUtilization
        if let us = search.latencyTargetMicroseconds { return .latency(microseconds: us, maxUtilization: ceiling) }
        if search.auto || !overrides.hasExplicitReuse { return .auto(maxUtilization: ceiling) }
        return .configured
    }

    public static func device(_ config: ProjectConfig) throws -> Device {
        guard let device = Device.named(config.target) else {
            throw ConfigError(file: "target", "unknown device '\(config.target)' (known: \(Device.all.map(\.name).joined(separator: ", ")))")
        }
        return device
    }

    /// `keep`: graph values the hardware outputs besides the primary one (`HardwareOutputSelection.values`).
    /// With `rtl`, a chosen reuse is then raised until the Verilog also fits (ReuseFitPass on the RTL resource model).
    public static func passes(config: ProjectConfig, overrides: PrecisionOverrides, reuse: ReuseChoice, device: Device,
                              keep: [String] = [], rtl: Bool = false) -> [any Pass] {
        var passes: [any Pass] = config.posteriorSeed.map { [PosteriorSamplePass(seed: $0, samples: config.posteriorSamples)] } ?? []
        passes += [HardwareOutputsPass(keep: keep), FoldQuantizersPass(), QuantizePass(overrides: overrides),
                                  StrategyPass(default: overrides.strategy ?? defaultStrategy, overrides: overrides)]
        // Before the reuse pass, which prices the design with its trials in flight.
        if config.trialsInFlight != 1 { passes.append(InterleavePass(trials: config.trialsInFlight)) }
        let model = CostModel(device: device, clockMHz: config.clockMHz, outputs: keep)
        let cost: ReuseFactorPass.CostFunction = { graph in
            let e = try model.estimate(graph)
            // A design that breaks a scheduling rule (a weight word over the reshape limit) cannot be emitted:
            // reported as ten times the device so that the pass never takes it.
            return (e.latencyMicroseconds, e.violations.isEmpty ? e.maxUtilization : max(e.maxUtilization, 10))
        }
        var ceiling: Double?
        switch reuse {
        case .configured: break
        case .auto(let u):
            passes.append(ReuseFactorPass(target: .utilization(u), cost: cost))
            ceiling = u
        case .latency(let us, let u):
            passes.append(ReuseFactorPass(target: .latency(microseconds: us, maxUtilization: u), cost: cost))
            ceiling = u
        }
        if rtl, let ceiling {
            let clock = config.clockMHz
            passes.append(ReuseFitPass(backend: "rtl", ceiling: ceiling) { graph in
                let e = try model.estimate(graph)
                let r = try RTLBackend.estimate(graph: graph, clockMHz: clock, device: device)
                let u = r.fitShare(device)
                return (e.latencyMicroseconds, max(u, e.violations.isEmpty ? e.maxUtilization : 10))
            })
        }
        return passes
    }

    /// Runs the pipeline; with `estimate` the cost model prices the design after every pass
    /// (after import it assumes the defaults the estimate notes say).
    ///
    /// When the reuse pass chooses (`.auto`), the configured clock is the highest HLS target. Each clock tier of
    /// AchievableClock is tried with the utilisation budget under which a design closes it (300 MHz within one SLR,
    /// 250 MHz within 70 %, 200 MHz within the user's budget), and the design fastest in µs is kept: a design that
    /// needs more of the device is scheduled for the clock it will close, with the shorter pipelines that clock
    /// allows. `PipelineResult.clockMHz` says which target was chosen.
    public static func run(_ graph: Graph, config: ProjectConfig, overrides: PrecisionOverrides? = nil,
                           reuse: ReuseChoice = .configured, estimate: Bool = true, rtl: Bool = false) throws -> PipelineResult {
        guard case .auto(let ceiling) = reuse, let device = Device.named(config.target) else {
            return try runAt(graph, config: config, overrides: overrides, reuse: reuse, estimate: estimate, rtl: rtl)
        }
        var best: (result: PipelineResult, microseconds: Double)?
        var firstError: Error?
        for (mhz, budget) in clockTiers(config.clockMHz, ceiling: ceiling, device: device) {
            var c = config
            c.clockMHz = mhz
            do {
                let r = try runAt(graph, config: c, overrides: overrides, reuse: .auto(maxUtilization: budget), estimate: estimate, rtl: rtl)
                let model = CostModel(device: r.device, clockMHz: mhz, outputs: try HardwareOutputSelection.values(for: config.outputs, in: graph))
                let e = try r.finalEstimate ?? model.estimate(r.graph)
                if best.map({ e.latencyMicroseconds < $0.microseconds }) ?? true { best = (r, e.latencyMicroseconds) }
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        if let best { return best.result }
        if let firstError { throw firstError }
        return try runAt(graph, config: config, overrides: overrides, reuse: reuse, estimate: estimate, rtl: rtl)
    }

    /// Target clocks from the configured one down the tiers, each with the budget under which it closes (capped by
    /// the user's); a tier whose budget adds nothing over a faster one is left out.
    static func clockTiers(_ mhz: Double, ceiling: Double, device: Device) -> [(mhz: Double, budget: Double)] {
        var out = [(mhz: Double, budget: Double)]()
        for t in [mhz] + [AchievableClock.multiSLRMHz, AchievableClock.congestedMHz].filter({ $0 < mhz }) {
            var b = ceiling
            if t > AchievableClock.congestedMHz { b = min(b, AchievableClock.congestedUtilization) }
            if t > AchievableClock.multiSLRMHz, device.slrs > 1 { b = min(b, 1 / Double(device.slrs)) }
            if let last = out.last, b <= last.budget { continue }
            out.append((t, b))
        }
        return out
    }

    static func runAt(_ graph: Graph, config: ProjectConfig, overrides: PrecisionOverrides?, reuse: ReuseChoice,
                      estimate: Bool, rtl: Bool = false) throws -> PipelineResult {
        let device = try device(config)
        let overrides = try overrides ?? config.effectiveOverrides()
        let keep = try HardwareOutputSelection.values(for: config.outputs, in: graph)
        let passes = passes(config: config, overrides: overrides, reuse: reuse, device: device, keep: keep, rtl: rtl)
        let model = CostModel(device: device, clockMHz: config.clockMHz, outputs: keep)
        var stages: [PipelineStage] = []
        _ = try PassPipeline(passes).run(graph) { name, g in
            let summary = passes.first { $0.name == name }?.summary ?? "the model as imported"
            stages.append(PipelineStage(pass: name, summary: summary, graph: g, estimate: estimate ? try model.estimate(g) : nil))
        }
        // The table explains where each type came from, so it is computed on the graph the quantize pass saw.
        let beforeQuantize = stages.firstIndex { $0.pass == "quantize" }.map { stages[max(0, $0 - 1)].graph } ?? graph
        let table = QuantizePass(overrides: overrides).precisionTable(beforeQuantize)
        return PipelineResult(stages: stages, device: device, clockMHz: config.clockMHz, precisionTable: table)
    }
}
