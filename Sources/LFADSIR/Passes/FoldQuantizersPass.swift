/// Applies the QKeras weight quantizers recorded at import to the weights themselves, so every later stage
/// (precision overrides, the emitted C arrays, the bit-accurate simulator) starts from the values the trained
/// model actually used. hls4ml does the same when it converts a QKeras model: a kernel above the quantizer's
/// range is saturated by the quantizer first and only then cast to the (possibly wrapping) hardware type.
/// Quantizers stay on the layers; applying them again is a no-op, so the float path is unchanged.
public struct FoldQuantizersPass: Pass {
    public var name: String { "fold-quantizers" }
    public var summary: String { "apply QKeras weight quantizers to the stored weights (as hls4ml does)" }

    public init() {}

    public func run(_ graph: Graph) throws -> Graph {
        var g = graph
        for i in g.nodes.indices {
            switch g.nodes[i].op {
            case .gru(var l):
                l.cell = Self.fold(l.cell)
                g.nodes[i].op = .gru(l)
            case .bidirectionalGRU(var b):
                b.forward.cell = Self.fold(b.forward.cell)
                b.backward.cell = Self.fold(b.backward.cell)
                g.nodes[i].op = .bidirectionalGRU(b)
            case .dense(var d):
                if let q = d.quantizers.kernel { d.weight.values = Self.apply(q, d.weight.values) }
                if let q = d.quantizers.bias, let b = d.bias { d.bias = Self.apply(q, b) }
                g.nodes[i].op = .dense(d)
            default:
                continue
            }
        }
        return g
    }

    static func fold(_ cell: GRUCell) -> GRUCell {
        var c = cell
        let q = cell.quantizers
        if let k = q.kernel { c.kernel.values = apply(k, c.kernel.values) }
        if let r = q.recurrentKernel { c.recurrentKernel.values = apply(r, c.recurrentKernel.values) }
        // QGRUCell quantizes its whole bias tensor (input and recurrent rows) with the one bias quantizer.
        if let b = q.bias {
            if let v = c.bias { c.bias = apply(b, v) }
            if let v = c.recurrentBias { c.recurrentBias = apply(b, v) }
        }
        return c
    }

    static func apply(_ type: FixedType, _ values: [Double]) -> [Double] {
        values.map { type.double(raw: type.cast($0).raw) }
    }
}
