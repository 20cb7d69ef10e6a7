// Value ranges per TensorKey for the automatic precision search: parameters from the graph itself,
// data tensors from float-simulator runs on calibration trials, gates and GRU states from their bounds.
import LFADSIR

public enum TensorRanges {
    /// Ranges of the tensors the search may narrow. `observed` holds each IR value's min/max over the
    /// calibration trials (FloatSimulator.evaluate). Keys left out keep what the quantisation pass gives
    /// them: GRU accumulators (their sums are not observable in the float simulator), accumulators of dense
    /// layers with a non-linear activation, exp tables, posterior_std.
    public static func collect(graph: Graph, observed: [String: ClosedRange<Double>]) -> [TensorKey: ClosedRange<Double>] {
        var out = [TensorKey: ClosedRange<Double>]()
        let unit: ClosedRange<Double> = -1...1
        func put(_ key: TensorKey, _ r: ClosedRange<Double>?) {
            guard let r else { return }
            out[key] = out[key].map { union($0, r) } ?? r
        }
        func values(_ v: [Double]?) -> ClosedRange<Double>? {
            guard let v, let lo = v.min(), let hi = v.max() else { return nil }
            return lo...hi
        }
        func gru(_ part: String, _ cell: GRUCell, result: ClosedRange<Double>?, initial: ClosedRange<Double>?) {
            put(TensorKey(part, .weight), values(cell.kernel.values))
            put(TensorKey(part, .recurrentWeight), values(cell.recurrentKernel.values))
            // The update bias is folded into the input bias by the hardware plan.
            let bias = cell.bias ?? [0]
            put(TensorKey(part, .bias), values(bias + bias.map { $0 + cell.updateBias }))
            put(TensorKey(part, .recurrentBias), values(cell.recurrentBias ?? [0]))
            // h' = z·h + (1 − z)·h̃ with |h̃| ≤ 1: |h'| ≤ max(1, |h0|) whatever the data.
            var state = unit
            if let initial { state = union(state, initial) }
            if let result { state = union(state, result) }
            put(TensorKey(part, .state), state)
            put(TensorKey(part, .result), state)
            if cell.recurrentActivation.function != .linear { put(TensorKey(part, .recurrentActivation), 0...1) }
            if cell.activation.function != .linear { put(TensorKey(part, .activation), unit) }
            if cell.recurrentActivation.function == .sigmoid || cell.activation.function == .tanh { put(TensorKey(part, .table), unit) }
        }
        func dense(_ part: String, _ d: DenseLayer, result: ClosedRange<Double>?) {
            put(TensorKey(part, .weight), values(d.effectiveWeight.values))
            put(TensorKey(part, .bias), values(d.bias ?? [0]))
            put(TensorKey(part, .result), result)
            switch d.activation.function {
            case .linear: put(TensorKey(part, .accum), result)
            case .sigmoid, .tanh: put(TensorKey(part, .table), unit)
            default: break
            }
        }

        for node in graph.nodes {
            let results = node.results.map { observed[$0.name] }
            let first = results.first ?? nil
            switch node.op {
            case .input:
                put(TensorKey(node.name, .result), first)
            case .dense(let d):
                dense(node.name, d, result: first)
            case .activation(let a):
                put(TensorKey(node.name, .result), first)
                if a.activation.function == .sigmoid || a.activation.function == .tanh { put(TensorKey(node.name, .table), unit) }
            case .gru(let g):
                let initial: ClosedRange<Double>?
                switch g.initialState {
                case .learned(let v): initial = values(v)
                case .operand: initial = node.operands.last.flatMap { observed[$0] }
                case .zeros: initial = nil
                }
                gru(node.name, g.cell, result: first, initial: initial)
            case .bidirectionalGRU(let b):
                for (part, layer) in [("forward", b.forward), ("backward", b.backward)] {
                    var initial: ClosedRange<Double>?
                    if case .learned(let v) = layer.initialState { initial = values(v) }
                    gru("\(node.name).\(part)", layer.cell, result: first, initial: initial)
                }
            case .decoder(let d):
                let g0 = node.operands.first.flatMap { observed[$0] }
                gru("\(node.name).generator", d.generator, result: results.count > 1 ? results[1] : nil, initial: g0)
                dense("\(node.name).factors", d.factors, result: first)
                if let c = d.controller {
                    gru("\(node.name).controller", c.cell, result: results.count > 2 ? results[2] : nil, initial: values(c.initialState))
                    dense("\(node.name).co_mean", c.coMean, result: results.count > 3 ? results[3] : nil)
                }
            case .lstm(let l):
                // h = o·act(c) with |o| ≤ 1, |act| ≤ 1. The cell state (|c_t| ≤ t) and the accumulators are not
                // observable in the float simulator: they keep the quantisation pass's types.
                let part = node.name
                put(TensorKey(part, .weight), values(l.cell.kernel.values))
                put(TensorKey(part, .recurrentWeight), values(l.cell.recurrentKernel.values))
                put(TensorKey(part, .bias), values(l.cell.bias ?? [0]))
                let state = first.map { union(unit, $0) } ?? unit
                put(TensorKey(part, .state), state)
                put(TensorKey(part, .result), state)
                if l.cell.recurrentActivation.function != .linear { put(TensorKey(part, .recurrentActivation), 0...1) }
                if l.cell.activation.function != .linear { put(TensorKey(part, .activation), unit) }
                if l.cell.recurrentActivation.function == .sigmoid || l.cell.activation.function == .tanh { put(TensorKey(part, .table), unit) }
            case .concat, .slice, .timeShift, .sample, .posteriorStd:
                break
            }
        }
        return out
    }

    /// Tensors that must share one type for the hardware plan (Lowering), follower → its class's leader (the
    /// tensor met first): the two directions of a bidirectional GRU (their results are concatenated), the
    /// producers of a concat's operands, a decoder's controller input and its factors' result (the controller
    /// reads [ci_t, f_{t−1}] as one vector), and its external input and co_mean's result (the generator reads
    /// [u_t, ext_t]). Slices, time shifts and samples pass their operand's type on.
    public static func ties(graph: Graph) -> [TensorKey: TensorKey] {
        var leader = [TensorKey: TensorKey]()
        func root(_ k: TensorKey) -> TensorKey {
            var k = k
            while let l = leader[k] { k = l }
            return k
        }
        func tie(_ a: TensorKey, _ b: TensorKey) {
            let (ra, rb) = (root(a), root(b))
            if ra != rb { leader[rb] = ra }
        }
        var producerKey = [String: TensorKey]()
        for node in graph.nodes {
            guard let r = node.results.first?.name else { continue }
            switch node.op {
            case .bidirectionalGRU:
                let forward = TensorKey("\(node.name).forward", .result)
                tie(forward, TensorKey("\(node.name).backward", .result))
                producerKey[r] = forward
            case .input, .dense, .activation, .gru, .lstm:
                producerKey[r] = TensorKey(node.name, .result)
            case .decoder(let d):
                // Results by name (co_stds has no hardware type).
                for (suffix, part) in [("factors", "factors"), ("gen_states", "generator"), ("con_states", "controller"), ("co_means", "co_mean")] {
                    if let v = node.results.first(where: { $0.name == "\(node.name).\(suffix)" }) {
                        producerKey[v.name] = TensorKey("\(node.name).\(part)", .result)
                    }
                }
                var next = 1
                if d.controller != nil {
                    if next < node.operands.count, let ci = producerKey[node.operands[next]] { tie(ci, TensorKey("\(node.name).factors", .result)) }
                    next += 1
                }
                if d.controller != nil, d.externalInputs > 0, next < node.operands.count, let ext = producerKey[node.operands[next]] {
                    tie(ext, TensorKey("\(node.name).co_mean", .result))
                }
            case .slice, .timeShift, .sample:
                if let o = node.operands.first, let k = producerKey[o] { producerKey[r] = k }
            case .concat:
                let keys = node.operands.compactMap { producerKey[$0] }
                for k in keys.dropFirst() { tie(keys[0], k) }
                if let first = keys.first { producerKey[r] = first }
            case .posteriorStd:
                break
            }
        }
        return Dictionary(uniqueKeysWithValues: leader.keys.map { ($0, root($0)) })
    }

    static func union(_ a: ClosedRange<Double>, _ b: ClosedRange<Double>) -> ClosedRange<Double> {
        Swift.min(a.lowerBound, b.lowerBound)...Swift.max(a.upperBound, b.upperBound)
    }
}
