/// Sets the implementation (strategy, reuse and recurrent reuse factors) of every layer with matrix products.
/// First what the configuration gives per layer part or model-wide (`overrides`, see ConfiguredImplementations);
/// then `perLayer` or `defaultStrategy` replaces the strategy, keeping the reuse factors. Layers the
/// configuration says nothing about get reuse 1 (the reuse pass chooses them later).
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
            g.nodes[i].op = configured.assign(g.nodes[i].name, g.nodes[i].op)
            guard let s = perLayer[g.nodes[i].name] ?? defaultStrategy else { continue }
            g.nodes[i].op = Self.setting(s, on: g.nodes[i].op)
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

    static func with(_ s: Strategy, _ i: Implementation?) -> Implementation {
        Implementation(strategy: s, reuse: i?.reuse ?? 1, recurrentReuse: i?.recurrentReuse ?? 1)
    }

    static func setting(_ s: Strategy, on op: Op) -> Op {
        switch op {
        case .gru(var l):
            l.implementation = with(s, l.implementation)
            return .gru(l)
        case .bidirectionalGRU(var b):
            b.forward.implementation = with(s, b.forward.implementation)
            b.backward.implementation = with(s, b.backward.implementation)
            return .bidirectionalGRU(b)
        case .lstm(var l):
            l.implementation = with(s, l.implementation)
            return .lstm(l)
        case .dense(var d):
            d.implementation = with(s, d.implementation)
            return .dense(d)
        case .decoder(var d):
            let gen = with(s, d.implementation?.generator)
            let con = d.controller.map { _ in with(s, d.implementation?.controller) }
            d.implementation = DecoderImplementation(generator: gen, controller: con)
            d.factors.implementation = with(s, d.factors.implementation)
            if var c = d.controller {
                c.coMean.implementation = with(s, c.coMean.implementation)
                if var lv = c.coLogvar {
                    lv.implementation = with(s, lv.implementation)
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
