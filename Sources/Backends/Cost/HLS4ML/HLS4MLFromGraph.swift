import LFADSIR

/// The design stock hls4ml would generate for an IR graph, with the layers' reuse factors: a Dense layer set to the
/// Latency strategy is `dense_latency` (priced from its quantised weights), every other product the Resource
/// strategy (hls4ml has no lfads strategy, and no Latency-strategy GRU or per-step product is in the corpus).
public enum HLS4MLFromGraph {
    public struct Unsupported: Error, CustomStringConvertible {
        public let description: String
    }

    static let defaultWidth = 16

    /// `inputBits`: the width of the model-wide default precision (the hls4ml config's Model precision or
    /// `--precision`), which stock hls4ml gives its input; nil: hls4ml's own default, ap_fixed<16,6>.
    public static func design(_ g: Graph, io: HLS4MLIOType, backend: HLS4MLBackend = .vivado, inputBits: Int? = nil) throws -> HLS4MLDesign {
        let types = g.valueTypes
        var resultBits: [String: Int] = [:]
        var layers: [HLS4MLLayer] = []
        func steps(_ n: Node) -> Int { n.operands.first.flatMap { types[$0]?.steps } ?? 1 }
        func dataBits(_ n: Node, fallback: Int) -> Int { n.operands.first.flatMap { resultBits[$0] } ?? fallback }
        for n in g.nodes {
            let before = layers.count
            defer {
                // Under io_stream each layer writes its node's output: a vector once, a sequence once a step.
                if let t = n.results.first?.type {
                    for i in before..<layers.count { layers[i].output = HLS4MLStreamShape(width: t.width, depth: t.steps ?? 1) }
                }
            }
            switch n.op {
            case .input(let i):
                // lfadsc types a spike-count input as an 8-bit unsigned integer, its own convention; stock hls4ml
                // types its input with the model's default precision unless the config names the input layer.
                let counts = n.name == g.countInput && i.precision == QuantizeDefaults.spikeCount
                let bits = counts ? (inputBits ?? defaultWidth) : (i.precision?.width ?? defaultWidth)
                for r in n.results { resultBits[r.name] = bits }
            case .gru(let l):
                let w = gruWidths(l, data: dataBits(n, fallback: l.precision?.weight.width ?? defaultWidth))
                layers.append(gru(n.name, l, steps: steps(n), bidirectional: false, widths: w))
                for r in n.results { resultBits[r.name] = l.precision?.result.width ?? w.weight }
            case .bidirectionalGRU(let b):
                let w = gruWidths(b.forward, data: dataBits(n, fallback: b.forward.precision?.weight.width ?? defaultWidth))
                layers.append(gru(n.name, b.forward, steps: steps(n), bidirectional: true, widths: w))
                for r in n.results { resultBits[r.name] = b.forward.precision?.result.width ?? w.weight }
            case .dense(let d):
                let weight = d.precision?.weight.width ?? defaultWidth
                let w = HLS4MLWidths(weight: weight, data: dataBits(n, fallback: weight), accum: d.precision?.accum.width ?? weight)
                let reuse = d.implementation?.reuse ?? 1
                if d.implementation?.strategy == .latency, steps(n) <= 1 {
                    // The Latency strategy multiplies by constants: what they cost depends on the quantised weights.
                    let stats = d.precision.map { p in HLS4MLWeightStats(codes: d.weight.values.map { p.weight.cast($0).raw }) }
                    layers.append(HLS4MLLayer(name: n.name, kind: .denseLatency(nIn: d.weight.columns, nOut: d.weight.rows, reuse: reuse,
                                                                               weights: stats), widths: w))
                } else {
                    layers.append(HLS4MLLayer(name: n.name, kind: .dense(nIn: d.weight.columns, nOut: d.weight.rows, reuse: reuse,
                                                                        steps: steps(n)), widths: w))
                }
                if let a = activationLayer(n.name + "_" + d.activation.function.rawValue, d.activation, n: d.weight.rows * steps(n), bits: w.accum) {
                    layers.append(a)
                }
                for r in n.results { resultBits[r.name] = d.precision?.result.width ?? weight }
            case .activation(let a):
                let bits = dataBits(n, fallback: defaultWidth)
                let width = n.results.first.map { $0.type.elementCount } ?? 1
                if let l = activationLayer(n.name, a.activation, n: width, bits: bits) { layers.append(l) }
                for r in n.results { resultBits[r.name] = bits }
            case .concat, .slice, .timeShift:
                for r in n.results { resultBits[r.name] = dataBits(n, fallback: defaultWidth) }
            case .lstm, .sample, .posteriorStd, .decoder:
                throw Unsupported(description: "\(n.name) (\(n.op.mnemonic)): no stock-hls4ml template is modelled for this layer")
            }
        }
        return HLS4MLDesign(name: g.name, layers: layers, io: io, backend: backend)
    }

    static func gruWidths(_ l: GRULayer, data: Int) -> HLS4MLWidths {
        let weight = l.precision?.weight.width ?? defaultWidth
        return HLS4MLWidths(weight: weight, data: data, accum: l.precision?.accum.width ?? weight)
    }

    static func gru(_ name: String, _ l: GRULayer, steps: Int, bidirectional: Bool, widths: HLS4MLWidths) -> HLS4MLLayer {
        // QKeras' quantized_tanh/quantized_sigmoid (hard unless use_real_*: .hardTanh/.hardSigmoid here) were built
        // as hls4ml's tanh/sigmoid tables: the published LFADS builds of a QGRU model list tanh and sigmoid in
        // parameters.h and hold their tables (hls4ml 1.1 and later refuse a QGRU with hard activations). Only
        // Keras' own hard_sigmoid is hls4ml's plain-logic hard activation.
        let tables = [l.cell.activation.function, l.cell.recurrentActivation.function].contains {
            [.sigmoid, .tanh, .hardSigmoid, .hardTanh].contains($0)
        }
        return HLS4MLLayer(name: name, kind: .gru(nIn: l.cell.inputSize, nState: l.cell.hiddenSize, reuseInput: l.implementation?.reuse ?? 1,
                                                  reuseRecurrent: l.implementation?.recurrentReuse ?? 1, steps: steps,
                                                  bidirectional: bidirectional, tables: tables), widths: widths)
    }

    /// A separate activation layer as hls4ml emits it (nil for linear).
    static func activationLayer(_ name: String, _ a: Activation, n: Int, bits: Int) -> HLS4MLLayer? {
        let table: Bool
        switch a.function {
        case .linear: return nil
        case .softmax:
            return HLS4MLLayer(name: name, kind: .softmax(n: n), widths: HLS4MLWidths(weight: bits, data: bits, accum: bits))
        case .sigmoid, .tanh, .exp, .logSigmoidFloor: table = true
        case .relu, .hardSigmoid, .hardTanh, .kerasHardSigmoid: table = false
        }
        return HLS4MLLayer(name: name, kind: .activation(n: n, table: table), widths: HLS4MLWidths(weight: bits, data: bits, accum: bits))
    }
}
