/// Sets the implementation strategy of every layer with matrix products from configuration: a model-wide
/// default and per-layer overrides (hls4ml's Model / LayerName Strategy keys). Reuse factors already on a
/// layer are kept; layers without an implementation get reuse 1 (the reuse pass chooses them later).
public struct StrategyPass: Pass {
    public var name: String { "strategy" }
    public var summary: String { "set each layer's strategy (latency, resource, lfads) from the configuration" }

    public var defaultStrategy: Strategy?
    public var perLayer: [String: Strategy]

    /// `defaultStrategy` nil leaves layers without an override untouched.
    public init(default defaultStrategy: Strategy? = nil, perLayer: [String: Strategy] = [:]) {
        self.defaultStrategy = defaultStrategy
        self.perLayer = perLayer
    }

    public func run(_ graph: Graph) throws -> Graph {
        var g = graph
        for name in perLayer.keys.sorted() {
            guard let node = graph.node(named: name) else { throw IRError.invalid("strategy: no layer named '\(name)'") }
            guard Self.hasProducts(node.op) else { throw IRError.invalid("strategy: layer '\(name)' (\(node.op.mnemonic)) has no matrix products") }
        }
        for i in g.nodes.indices {
            guard let s = perLayer[g.nodes[i].name] ?? defaultStrategy else { continue }
            g.nodes[i].op = Self.setting(s, on: g.nodes[i].op)
        }
        return g
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
