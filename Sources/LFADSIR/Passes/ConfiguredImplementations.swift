/// A layer part's implementation as the configuration gives it (a row of the precision table).
public struct ImplementationChoice: Hashable, Sendable {
    public var layer: String
    public var implementation: Implementation
    public var source: PrecisionSource
}

/// The strategy pass's first step: each layer part's implementation from the configuration, part by part in
/// graph order (decoder: controller, co_mean, co_logvar, factors, generator), recording what it chose.
struct ConfiguredImplementations {
    let overrides: PrecisionOverrides
    var choices: [ImplementationChoice] = []

    init(overrides: PrecisionOverrides) { self.overrides = overrides }

    mutating func assign(_ name: String, _ op: Op) -> Op {
        switch op {
        case .gru(var g):
            g.implementation = implementation(name, g.implementation)
            return .gru(g)
        case .bidirectionalGRU(var b):
            b.forward.implementation = implementation("\(name).forward", b.forward.implementation)
            b.backward.implementation = implementation("\(name).backward", b.backward.implementation)
            return .bidirectionalGRU(b)
        case .lstm(var l):
            l.implementation = implementation(name, l.implementation)
            return .lstm(l)
        case .dense(var d):
            d.implementation = implementation(name, d.implementation)
            return .dense(d)
        case .decoder(var d):
            var controllerImpl: Implementation?
            if var c = d.controller {
                controllerImpl = implementation("\(name).controller", d.implementation?.controller)
                c.coMean.implementation = implementation("\(name).co_mean", c.coMean.implementation)
                if var lv = c.coLogvar {
                    lv.implementation = implementation("\(name).co_logvar", lv.implementation)
                    c.coLogvar = lv
                }
                d.controller = c
            }
            d.factors.implementation = implementation("\(name).factors", d.factors.implementation)
            if let gi = implementation("\(name).generator", d.implementation?.generator) {
                d.implementation = DecoderImplementation(generator: gi, controller: controllerImpl)
            } else if let ci = controllerImpl {
                // The decoder's implementation holds a generator whenever it holds a controller.
                d.implementation = DecoderImplementation(generator: d.implementation?.generator ?? Implementation(strategy: ci.strategy), controller: ci)
            }
            return .decoder(d)
        case .input, .activation, .posteriorStd, .concat, .slice, .timeShift, .sample:
            return op
        }
    }

    /// Strategy and reuse when the configuration gives either (layer first, then model-wide); otherwise the
    /// existing implementation stays (nil is left for the reuse pass). A layer's recurrent reuse defaults
    /// to its reuse; the strategy defaults to the existing one, else hls4ml's Latency.
    mutating func implementation(_ part: String, _ existing: Implementation?) -> Implementation? {
        let layer = overrides.layer(part)
        let strategy = layer.strategy ?? overrides.strategy
        let reuse = layer.reuse ?? overrides.reuse
        guard strategy != nil || reuse != nil || layer.recurrentReuse != nil else { return existing }
        let isLayer = layer.strategy != nil || layer.reuse != nil || layer.recurrentReuse != nil
        let impl = Implementation(strategy: strategy ?? existing?.strategy ?? .latency,
                                  reuse: reuse ?? existing?.reuse ?? 1,
                                  recurrentReuse: layer.recurrentReuse ?? reuse ?? existing?.recurrentReuse ?? 1)
        choices.append(ImplementationChoice(layer: part, implementation: impl, source: isLayer ? .override : .config))
        return impl
    }
}
