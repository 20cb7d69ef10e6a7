// LSTMLayer → LSTMStage: checks the precision, quantises both kernels, resolves the three element functions.
import LFADSIR

extension HardwarePlan {
    static func lstm(_ l: LSTMLayer, name: String, input: Int, context: String, output: (FixedType) -> Int) throws -> LSTMStage {
        guard let p = l.precision else { throw HardwareError.missingPrecision("\(context): LSTM has no precision") }
        for (t, what) in [(p.weight, "weight"), (p.recurrentWeight, "recurrent weight"), (p.bias, "bias"),
                          (p.recurrentActivation, "gate"), (p.activation, "activation"), (p.cellState, "cell state"),
                          (p.state, "state"), (p.result, "result")] {
            try TypeLimits.check(t, "\(context) \(what)")
        }
        try TypeLimits.check(p.accum, accum: true, "\(context) accum")
        let c = l.cell
        let h = c.hiddenSize
        let impl = l.implementation ?? Implementation(strategy: .latency)
        // The lfads schedule is GRU-specific; an LSTM asked for it gets the resource schedule (same arithmetic).
        let fallback = impl.strategy == .lfads
        let strategy: Strategy = fallback ? .resource : impl.strategy
        let kx = QuantizedMatrix(weight: c.kernel, rows: 0..<(4 * h), bias: c.bias, weightType: p.weight, biasType: p.bias,
                                 strategy: strategy, reuse: impl.reuse)
        let kh = QuantizedMatrix(weight: c.recurrentKernel, rows: 0..<(4 * h), bias: nil, weightType: p.recurrentWeight,
                                 biasType: p.bias, strategy: strategy, reuse: impl.recurrentReuse)
        let gate = try ElementFunction.make(c.recurrentActivation, table: p.sigmoidTable, input: p.accum, output: p.recurrentActivation,
                                       context: "\(context) gates")
        let cand = try ElementFunction.make(c.activation, table: p.tanhTable, input: p.accum, output: p.activation, context: "\(context) candidate")
        let cellAct = try ElementFunction.make(c.activation, table: p.tanhTable, input: p.cellState, output: p.activation,
                                          context: "\(context) cell activation")
        return LSTMStage(name: name, input: input, output: output(p.result), hidden: h, reverse: l.reverse,
                         returnSequences: l.returnSequences, kernel: kx, recurrent: kh, accum: p.accum, gate: gate,
                         candidate: cand, cellActivation: cellAct, cell: p.cellState, state: p.state, result: p.result,
                         strategyFallback: fallback)
    }
}
