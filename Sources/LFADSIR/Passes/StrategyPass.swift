/// Sets the implementation (strategy, reuse and recurrent reuse factors) of every layer with matrix products.
/// First what the configuration gives per layer part or model-wide (`overrides`, see ConfiguredImplementations);
/// then `perLayer` replaces the strategy of a whole layer, and `defaultStrategy` that of every part whose
/// configuration names no strategy of its own, keeping the reuse factors. Layers the configuration says
/// nothing about get reuse 1 (the reuse pass chooses them later).
public struct StrategyPass: Pass {
    public var name: String { "strategy" }
    public var summary: String { "set each layer's strategy (latency, resource, lfads) and reuse from the configuration" }

    public var defaultStrategy: Strategy?
    public var perLayer: [String: Strategy]
    /// The configuration's strategies and reuse factors (lfadsc.json, hls4ml file, flags).
    public var overrides: PrecisionOverrides

    /// `defaultStrategy` nil leaves the strategy of layers without an override as configured or existing.
    public init(default defaultStrategy: Strategy? = nil, perLayer: [String: Strategy] = [:],
                overrides: PrecisionOverrides = PrecisionOverrides()) {
        self.defaultStrategy = defaultStrategy
        self.perLayer = perLayer
        self.overrides = overrides
    }

    public func run(_ graph: Graph) throws -> Graph {
        var g = graph
        for name in perLayer.keys.sorted() {
            guard let node = graph.node(named: name) else { throw IRError.invalid("strategy: no layer named '\(name)'") }
            guard Self.hasProducts(node.op) else { throw IRError.invalid("strategy: layer '\(name)' (\(node.op.mnemonic)) has no matrix products") }
        }
        var configured = ConfiguredImplementations(overrides: overrides)
        for i in g.nodes.indices {
            let name = g.nodes[i].name
            g.nodes[i].op = configured.assign(name, g.nodes[i].op)
            if let s = perLayer[name] {
                g.nodes[i].op = Self.setting(s, on: g.nodes[i].op, name: name) { _ in true }
            } else if let s = defaultStrategy {
                g.nodes[i].op = Self.setting(s, on: g.nodes[i].op, name: name) { overrides.layer($0).strategy == nil }
            }
        }
        return g
    }

    /// The implementations the configuration gives, one per layer part it names (for the precision table).
    public func configuredImplementations(_ graph: Graph) -> [ImplementationChoice] {
        var configured = ConfiguredImplementations(overrides: overrides)
        for node in graph.nodes { _ = configured.assign(node.name, node.op) }
        return configured.choices
    }

    static func hasProducts(_ op: Op) -> Bool {
        switch op {
        case .gru, .bidirectionalGRU, .lstm, .dense, .decoder: return true
        default: return false
        }
    }

    /// `s` on the parts of layer `name` that `applies` to (by part name: `dec.controller`, `enc.forward`).
    static func setting(_ s: Strategy, on op: Op, name: String, applies: (String) -> Bool) -> Op {
        func with(_ i: Implementation?, _ part: String? = nil) -> Implementation? {
            guard applies(part.map { "\(name).\($0)" } ?? name) else { return i }
            return Implementation(strategy: s, reuse: i?.reuse ?? 1, recurrentReuse: i?.recurrentReuse ?? 1)
        }
        switch op {
        case .gru(var l):
            l.implementation = with(l.implementation)
            return .gru(l)
        case .bidirectionalGRU(var b):
            b.forward.implementation = with(b.forward.implementation, "forward")
            b.backward.implementation = with(b.backward.implementation, "backward")
            return .bidirectionalGRU(b)
        case .lstm(var l):
            l.implementation = with(l.implementation)
            return .lstm(l)
        case .dense(var d):
            d.implementation = with(d.implementation)
            return .dense(d)
        case .decoder(var d):
            // A part keeping its configured strategy has an implementation already (ConfiguredImplementations).
            let gen = with(d.implementation?.generator, "generator") ?? Implementation(strategy: s)
            let con = d.controller.map { _ in with(d.implementation?.controller, "controller") ?? Implementation(strategy: s) }
            d.implementation = DecoderImplementation(generator: gen, controller: con)
            d.factors.implementation = with(d.factors.implementation, "factors")
            if var c = d.controller {
                c.coMean.implementation = with(c.coMean.implementation, "co_mean")
                if var lv = c.coLogvar {
                    lv.implementation = with(lv.implementation, "co_logvar")
                    c.coLogvar = lv
                }
                d.controller = c
            }
            return .decoder(d)
        default:
            return op
        }
    }
}
