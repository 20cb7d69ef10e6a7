import LFADSIR

/// Widths of the tensors of one GRU step, from its precision or the model default.
struct GRUWidths {
    var weight, recurrentWeight, accum, recurrentActivation, activation, state: Int
    var sigmoidTable: TableSpec?
    var tanhTable: TableSpec?

    init(_ p: GRUPrecision?, defaultWidth: Int) {
        weight = p?.weight.width ?? defaultWidth
        recurrentWeight = p?.recurrentWeight.width ?? defaultWidth
        accum = p?.accum.width ?? defaultWidth
        recurrentActivation = p?.recurrentActivation.width ?? defaultWidth
        activation = p?.activation.width ?? defaultWidth
        state = p?.state.width ?? defaultWidth
        sigmoidTable = p?.sigmoidTable
        tanhTable = p?.tanhTable
    }
}

/// One direction of a GRU layer: its step time, optional hoisted input stage and resources.
struct GRUDirectionCost {
    var step: Int
    var inputStage: InputStage?
    var resources: Resources
}

enum GRUCost {
    /// hls4ml's default activation table: 1024 entries of ap_fixed<18,8> (hls-numerics).
    static let defaultTableSize = 1024
    static let defaultTableBits = 18

    /// `inputBits` is the width the input products see (already narrowed for spike counts under lfads).
    static func direction(cell: GRUCell, steps: Int, widths w: GRUWidths, implementation impl: Implementation,
                          inputBits: Int, device: Device, buffer: Bool = true) -> GRUDirectionCost {
        let h = cell.hiddenSize
        let mvIn = MatVecCost(nIn: cell.inputSize, nOut: 3 * h, reuse: impl.reuse, strategy: impl.strategy, inputBits: inputBits,
                          weightBits: w.weight, accumBits: w.accum, nonZero: nonZeroCount(cell.kernel))
        let mvRec = MatVecCost(nIn: h, nOut: 3 * h, reuse: impl.recurrentReuse, strategy: impl.strategy, inputBits: w.state,
                           weightBits: w.recurrentWeight, accumBits: w.accum, nonZero: nonZeroCount(cell.recurrentKernel))
        let tables = usesTables(cell)
        var r = mvIn.resources(on: device) + mvRec.resources(on: device) + elementwise(cell: cell, widths: w, device: device)
        r.lut += CostConstants.controlLutPerLayer
        r.ff += CostConstants.controlFfPerLayer
        switch impl.strategy {
        case .latency, .resource:
            // hls4ml's static cell: both products per step (they run side by side), then the gate logic.
            let gate = tables ? CostConstants.gateCyclesTable : CostConstants.gateCyclesHard
            let step = max(mvIn.cycles, mvRec.cycles) + gate + CostConstants.stepOverhead
            return GRUDirectionCost(step: step, inputStage: nil, resources: r)
        case .lfads:
            // Input products for every step run ahead as a pipelined stage; their sums wait in a buffer
            // (the whole sequence for a reversed direction, which consumes them last-first).
            let gate = tables ? CostConstants.fusedGateCyclesTable : CostConstants.fusedGateCyclesHard
            let step = mvRec.cycles + gate + CostConstants.fusedStepOverhead
            if buffer { r += MatVecCost.buffer(width: 3 * h * w.accum, depth: steps) }
            return GRUDirectionCost(step: step, inputStage: InputStage(perStep: mvIn.rf, depth: mvIn.cycles), resources: r)
        }
    }

    static func usesTables(_ cell: GRUCell) -> Bool {
        cell.recurrentActivation.function == .sigmoid || cell.activation.function == .tanh
    }

    /// Gate products, sums, activations and state update of all units (unrolled: one lane per unit).
    static func elementwise(cell: GRUCell, widths w: GRUWidths, device: Device) -> Resources {
        let h = cell.hiddenSize
        let resetOperand = cell.reset == .after ? w.accum : w.state
        let products = [MultiplierCost.product(resetOperand, w.recurrentActivation, device: device),
                        MultiplierCost.product(w.recurrentActivation, w.state, device: device),
                        MultiplierCost.product(w.recurrentActivation + 1, w.activation, device: device)]
        var r = Resources()
        for p in products { r.dsp += h * p.dsp; r.lut += h * p.lut }
        r.lut += Int(Double(h * w.accum) * CostConstants.gruUnitLutPerAccumBit)
        r.ff += h * (w.state + 3 * w.accum)
        r += activation(cell.recurrentActivation.function, lanes: 2 * h, bits: w.recurrentActivation, table: w.sigmoidTable)
        r += activation(cell.activation.function, lanes: h, bits: w.activation, table: w.tanhTable)
        return r
    }

    /// One activation over `lanes` parallel values: a table ROM for sigmoid/tanh/exp, logic otherwise.
    static func activation(_ f: ActivationFunction, lanes: Int, bits: Int, table: TableSpec?) -> Resources {
        switch f {
        case .sigmoid, .tanh, .exp, .softmax, .logSigmoidFloor:
            let size = table?.size ?? defaultTableSize
            let entry = table?.entryType.width ?? defaultTableBits
            return tableROM(lanes: lanes, size: size, entryBits: entry)
        case .hardSigmoid, .hardTanh, .kerasHardSigmoid, .relu:
            return Resources(lut: Int(Double(lanes * bits) * CostConstants.hardActivationLutPerBit))
        case .linear:
            return .zero
        }
    }

    static func tableROM(lanes: Int, size: Int, entryBits: Int) -> Resources {
        let bits = size * entryBits
        if bits <= CostConstants.tableLutMaxBits {
            return Resources(lut: lanes * entryBits * ceilDiv(size, CostConstants.lutRamDepth))
        }
        return Resources(bram18: ceilDiv(lanes, CostConstants.tableLanesPerBram) * ceilDiv(bits, CostConstants.bram18Bits))
    }
}
