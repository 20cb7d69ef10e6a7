/// Op → attribute tree. Every field is written; optionals are omitted when absent. Key order is fixed,
/// so printing is deterministic. `OpDecoding.swift` reads exactly these keys back.
struct OpEncoding {
    var encoder = AttrEncoder()

    /// The attributes of a node's op; weights become tensors named `node.path`.
    mutating func encode(_ node: Node) -> [AttrEntry] {
        let p = node.name
        switch node.op {
        case .input(let i):
            return i.precision.map { [AttrEntry(key: "precision", value: .fixed($0))] } ?? []
        case .gru(let g):
            return gruLayer(g, p)
        case .bidirectionalGRU(let b):
            return [AttrEntry(key: "forward", value: .dict(gruLayer(b.forward, "\(p).forward"))),
                    AttrEntry(key: "backward", value: .dict(gruLayer(b.backward, "\(p).backward")))]
        case .lstm(let l):
            var e = [AttrEntry(key: "reverse", value: AttrEncoder.bool(l.reverse)),
                     AttrEntry(key: "return_sequences", value: AttrEncoder.bool(l.returnSequences)),
                     AttrEntry(key: "kernel", value: encoder.tensor("\(p).kernel", l.cell.kernel)),
                     AttrEntry(key: "recurrent_kernel", value: encoder.tensor("\(p).recurrent_kernel", l.cell.recurrentKernel))]
            if let b = l.cell.bias { e.append(AttrEntry(key: "bias", value: encoder.tensor("\(p).bias", b))) }
            e.append(AttrEntry(key: "recurrent_activation", value: Self.activation(l.cell.recurrentActivation)))
            e.append(AttrEntry(key: "activation", value: Self.activation(l.cell.activation)))
            if let pr = l.precision { e.append(AttrEntry(key: "precision", value: Self.lstmPrecision(pr))) }
            if let i = l.implementation { e.append(AttrEntry(key: "implementation", value: Self.implementation(i))) }
            return e
        case .dense(let d):
            return dense(d, p)
        case .activation(let a):
            var e = [AttrEntry(key: "function", value: .word(a.activation.function.rawValue))]
            if let q = a.activation.quantizer { e.append(AttrEntry(key: "quantizer", value: .fixed(q))) }
            if let pr = a.precision { e.append(AttrEntry(key: "precision", value: Self.element(pr))) }
            return e
        case .concat:
            return []
        case .slice(let start, let count):
            return [AttrEntry(key: "start", value: AttrEncoder.int(start)), AttrEntry(key: "count", value: AttrEncoder.int(count))]
        case .timeShift(let lag):
            return [AttrEntry(key: "lag", value: AttrEncoder.int(lag))]
        case .sample(.mean):
            return [AttrEntry(key: "mode", value: .word("mean"))]
        case .sample(.gaussian(let seed, let floor, let precision)):
            var e = [AttrEntry(key: "mode", value: .word("gaussian")), AttrEntry(key: "seed", value: .word(String(seed)))]
            if floor != 0 { e.append(AttrEntry(key: "variance_floor", value: AttrEncoder.double(floor))) }
            if let pr = precision { e.append(AttrEntry(key: "precision", value: Self.samplePrecision(pr))) }
            return e
        case .posteriorStd(let s):
            var e = [AttrEntry(key: "variance_floor", value: AttrEncoder.double(s.varianceFloor))]
            if let pr = s.precision { e.append(AttrEntry(key: "precision", value: Self.element(pr))) }
            return e
        case .decoder(let d):
            return decoder(d, p)
        }
    }

    static func samplePrecision(_ pr: SamplePrecision) -> Attr {
        .dict([AttrEntry(key: "std", value: element(pr.std)), AttrEntry(key: "epsilon", value: .fixed(pr.epsilon)),
               AttrEntry(key: "result", value: .fixed(pr.result))])
    }

    private mutating func decoder(_ d: LFADSDecoderLayer, _ p: String) -> [AttrEntry] {
        var e = [AttrEntry(key: "steps", value: AttrEncoder.int(d.steps)),
                 AttrEntry(key: "external_inputs", value: AttrEncoder.int(d.externalInputs)),
                 AttrEntry(key: "generator", value: .dict(gruCell(d.generator, "\(p).generator"))),
                 AttrEntry(key: "factors", value: .dict(dense(d.factors, "\(p).factors")))]
        if let c = d.controller {
            let cp = "\(p).controller"
            var ce = gruCell(c.cell, cp)
            ce.append(AttrEntry(key: "initial_state", value: encoder.tensor("\(cp).initial_state", c.initialState)))
            ce.append(AttrEntry(key: "co_mean", value: .dict(dense(c.coMean, "\(cp).co_mean"))))
            if let lv = c.coLogvar { ce.append(AttrEntry(key: "co_logvar", value: .dict(dense(lv, "\(cp).co_logvar")))) }
            if let seed = c.sampleSeed { ce.append(AttrEntry(key: "sample_seed", value: .word(String(seed)))) }
            e.append(AttrEntry(key: "controller", value: .dict(ce)))
        }
        if let pr = d.precision {
            var pe = [AttrEntry(key: "generator", value: Self.gruPrecision(pr.generator))]
            if let c = pr.controller { pe.append(AttrEntry(key: "controller", value: Self.gruPrecision(c))) }
            if let s = pr.coSample { pe.append(AttrEntry(key: "co_sample", value: Self.samplePrecision(s))) }
            e.append(AttrEntry(key: "precision", value: .dict(pe)))
        }
        if let im = d.implementation {
            var ie = [AttrEntry(key: "generator", value: Self.implementation(im.generator))]
            if let c = im.controller { ie.append(AttrEntry(key: "controller", value: Self.implementation(c))) }
            e.append(AttrEntry(key: "implementation", value: .dict(ie)))
        }
        return e
    }

    private mutating func gruLayer(_ g: GRULayer, _ p: String) -> [AttrEntry] {
        let initial: Attr
        switch g.initialState {
        case .zeros: initial = .word("zeros")
        case .operand: initial = .word("operand")
        case .learned(let v): initial = encoder.tensor("\(p).initial_state", v)
        }
        var e = [AttrEntry(key: "reverse", value: AttrEncoder.bool(g.reverse)),
                 AttrEntry(key: "return_sequences", value: AttrEncoder.bool(g.returnSequences)),
                 AttrEntry(key: "initial_state", value: initial)]
        e += gruCell(g.cell, p)
        if let pr = g.precision { e.append(AttrEntry(key: "precision", value: Self.gruPrecision(pr))) }
        if let i = g.implementation { e.append(AttrEntry(key: "implementation", value: Self.implementation(i))) }
        return e
    }

    private mutating func gruCell(_ c: GRUCell, _ p: String) -> [AttrEntry] {
        var e = [AttrEntry(key: "reset", value: .word(c.reset.rawValue)),
                 AttrEntry(key: "gate_order", value: .word(c.gateOrder.description)),
                 AttrEntry(key: "kernel", value: encoder.tensor("\(p).kernel", c.kernel)),
                 AttrEntry(key: "recurrent_kernel", value: encoder.tensor("\(p).recurrent_kernel", c.recurrentKernel))]
        if let b = c.bias { e.append(AttrEntry(key: "bias", value: encoder.tensor("\(p).bias", b))) }
        if let b = c.recurrentBias { e.append(AttrEntry(key: "recurrent_bias", value: encoder.tensor("\(p).recurrent_bias", b))) }
        e.append(AttrEntry(key: "update_bias", value: AttrEncoder.double(c.updateBias)))
        if let clip = c.clip { e.append(AttrEntry(key: "clip", value: AttrEncoder.double(clip))) }
        e.append(AttrEntry(key: "fused", value: AttrEncoder.bool(c.fused)))
        e.append(AttrEntry(key: "recurrent_activation", value: Self.activation(c.recurrentActivation)))
        e.append(AttrEntry(key: "activation", value: Self.activation(c.activation)))
        let q = c.quantizers
        if !q.isEmpty {
            var qe = [AttrEntry]()
            if let t = q.kernel { qe.append(AttrEntry(key: "kernel", value: .fixed(t))) }
            if let t = q.recurrentKernel { qe.append(AttrEntry(key: "recurrent_kernel", value: .fixed(t))) }
            if let t = q.bias { qe.append(AttrEntry(key: "bias", value: .fixed(t))) }
            if let t = q.state { qe.append(AttrEntry(key: "state", value: .fixed(t))) }
            e.append(AttrEntry(key: "quantizers", value: .dict(qe)))
        }
        return e
    }

    private mutating func dense(_ d: DenseLayer, _ p: String) -> [AttrEntry] {
        var e = [AttrEntry(key: "weight", value: encoder.tensor("\(p).weight", d.weight))]
        if let b = d.bias { e.append(AttrEntry(key: "bias", value: encoder.tensor("\(p).bias", b))) }
        e.append(AttrEntry(key: "activation", value: Self.activation(d.activation)))
        e.append(AttrEntry(key: "normalize_rows", value: AttrEncoder.bool(d.normalizeRows)))
        if !d.quantizers.isEmpty {
            var qe = [AttrEntry]()
            if let t = d.quantizers.kernel { qe.append(AttrEntry(key: "kernel", value: .fixed(t))) }
            if let t = d.quantizers.bias { qe.append(AttrEntry(key: "bias", value: .fixed(t))) }
            e.append(AttrEntry(key: "quantizers", value: .dict(qe)))
        }
        if let pr = d.precision {
            var pe = [AttrEntry(key: "weight", value: .fixed(pr.weight)), AttrEntry(key: "bias", value: .fixed(pr.bias)),
                      AttrEntry(key: "accum", value: .fixed(pr.accum)), AttrEntry(key: "result", value: .fixed(pr.result))]
            if let t = pr.table { pe.append(AttrEntry(key: "table", value: Self.table(t))) }
            e.append(AttrEntry(key: "precision", value: .dict(pe)))
        }
        if let i = d.implementation { e.append(AttrEntry(key: "implementation", value: Self.implementation(i))) }
        return e
    }

    /// A bare function name, or `{ function = f, quantizer = T }` when QKeras quantises the output.
    static func activation(_ a: Activation) -> Attr {
        guard let q = a.quantizer else { return .word(a.function.rawValue) }
        return .dict([AttrEntry(key: "function", value: .word(a.function.rawValue)), AttrEntry(key: "quantizer", value: .fixed(q))])
    }

    static func implementation(_ i: Implementation) -> Attr {
        .dict([AttrEntry(key: "strategy", value: .word(i.strategy.rawValue)),
               AttrEntry(key: "reuse", value: AttrEncoder.int(i.reuse)),
               AttrEntry(key: "recurrent_reuse", value: AttrEncoder.int(i.recurrentReuse))])
    }

    static func table(_ t: TableSpec) -> Attr {
        .dict([AttrEntry(key: "size", value: AttrEncoder.int(t.size)), AttrEntry(key: "lower", value: AttrEncoder.double(t.lower)),
               AttrEntry(key: "upper", value: AttrEncoder.double(t.upper)), AttrEntry(key: "entry", value: .fixed(t.entryType))])
    }

    static func element(_ p: ElementPrecision) -> Attr {
        var e = [AttrEntry(key: "result", value: .fixed(p.result))]
        if let t = p.table { e.append(AttrEntry(key: "table", value: table(t))) }
        return .dict(e)
    }

    static func lstmPrecision(_ p: LSTMPrecision) -> Attr {
        var e = [AttrEntry(key: "weight", value: .fixed(p.weight)),
                 AttrEntry(key: "recurrent_weight", value: .fixed(p.recurrentWeight)),
                 AttrEntry(key: "bias", value: .fixed(p.bias)),
                 AttrEntry(key: "accum", value: .fixed(p.accum)),
                 AttrEntry(key: "recurrent_activation", value: .fixed(p.recurrentActivation)),
                 AttrEntry(key: "activation", value: .fixed(p.activation)),
                 AttrEntry(key: "cell_state", value: .fixed(p.cellState)),
                 AttrEntry(key: "state", value: .fixed(p.state)),
                 AttrEntry(key: "result", value: .fixed(p.result))]
        if let t = p.sigmoidTable { e.append(AttrEntry(key: "sigmoid_table", value: table(t))) }
        if let t = p.tanhTable { e.append(AttrEntry(key: "tanh_table", value: table(t))) }
        return .dict(e)
    }

    static func gruPrecision(_ p: GRUPrecision) -> Attr {
        var e = [AttrEntry(key: "weight", value: .fixed(p.weight)),
                 AttrEntry(key: "recurrent_weight", value: .fixed(p.recurrentWeight)),
                 AttrEntry(key: "bias", value: .fixed(p.bias)),
                 AttrEntry(key: "recurrent_bias", value: .fixed(p.recurrentBias)),
                 AttrEntry(key: "accum", value: .fixed(p.accum)),
                 AttrEntry(key: "recurrent_activation", value: .fixed(p.recurrentActivation)),
                 AttrEntry(key: "activation", value: .fixed(p.activation)),
                 AttrEntry(key: "state", value: .fixed(p.state)),
                 AttrEntry(key: "result", value: .fixed(p.result))]
        if let t = p.sigmoidTable { e.append(AttrEntry(key: "sigmoid_table", value: table(t))) }
        if let t = p.tanhTable { e.append(AttrEntry(key: "tanh_table", value: table(t))) }
        return .dict(e)
    }
}
