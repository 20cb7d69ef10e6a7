import LFADSIR

/// An LSTM layer priced like a GRU direction (GRUCost): two products of 4H rows, 3H gates, 2H tanh lanes
/// (candidate and act(c)), three element-wise products per unit and the cell-state register.
enum LSTMCost {
    static func layer(_ l: LSTMLayer, steps: Int, inputBits: Int, context c: OpContext) -> LayerCost {
        let requested = l.implementation ?? OpCost.defaultImplementation
        // Lowering builds an lfads-strategy LSTM with the resource schedule (there is no LSTM lfads schedule).
        var impl = requested
        var notes = [String]()
        if impl.strategy == .lfads {
            impl.strategy = .resource
            notes.append("the lfads strategy has no LSTM schedule: built and priced as resource")
        }
        let p = l.precision
        let d = c.defaultWidth
        let (w, rw, acc) = (p?.weight.width ?? d, p?.recurrentWeight.width ?? d, p?.accum.width ?? d)
        let (gate, act, cell, state) = (p?.recurrentActivation.width ?? d, p?.activation.width ?? d, p?.cellState.width ?? d, p?.state.width ?? d)
        let h = l.cell.hiddenSize
        let mvIn = MatVecCost(nIn: l.cell.inputSize, nOut: 4 * h, reuse: impl.reuse, strategy: impl.strategy, inputBits: inputBits,
                              weightBits: w, accumBits: acc, nonZero: nonZeroCount(l.cell.kernel))
        let mvRec = MatVecCost(nIn: h, nOut: 4 * h, reuse: impl.recurrentReuse, strategy: impl.strategy, inputBits: state,
                               weightBits: rw, accumBits: acc, nonZero: nonZeroCount(l.cell.recurrentKernel))
        var r = mvIn.resources(on: c.device) + mvRec.resources(on: c.device)
        // f·c, i·c̃ and o·act(c) per unit, then the cell sum.
        for product in [MultiplierCost.product(gate, cell, device: c.device), MultiplierCost.product(gate, act, device: c.device),
                        MultiplierCost.product(gate, act, device: c.device)] {
            r.dsp += h * product.dsp
            r.lut += h * product.lut
        }
        r.lut += Int(Double(h * acc) * CostConstants.gruUnitLutPerAccumBit) + h * (cell + 1)
        r.ff += h * (state + cell + 4 * acc)
        r += GRUCost.activation(l.cell.recurrentActivation.function, lanes: 3 * h, bits: gate, table: p?.sigmoidTable)
        r += GRUCost.activation(l.cell.activation.function, lanes: 2 * h, bits: act, table: p?.tanhTable)
        r.lut += CostConstants.controlLutPerLayer
        r.ff += CostConstants.controlFfPerLayer
        // hls4ml-style static cell: both products side by side, the gates, then the cell and output update.
        let tables = l.cell.recurrentActivation.function == .sigmoid || l.cell.activation.function == .tanh
        let gateCycles = tables ? CostConstants.gateCyclesTable : CostConstants.gateCyclesHard
        let cellCycles = l.cell.activation.function == .tanh ? CostConstants.lstmCellCyclesTable : CostConstants.lstmCellCyclesHard
        let step = max(mvIn.cycles, mvRec.cycles) + gateCycles + cellCycles + CostConstants.stepOverhead
        if l.reverse { r += MatVecCost.buffer(width: l.cell.inputSize * (c.operandBits.first ?? d), depth: steps) }
        let timing = RecurrentTiming(steps: steps, step: step, inputStage: nil, needsWholeInput: l.reverse, initialStateOperand: nil,
                                     streamsOutput: l.returnSequences && !l.reverse)
        return LayerCost(timing: .recurrent(timing), resources: r, strategy: requested.description, notes: notes)
    }
}
