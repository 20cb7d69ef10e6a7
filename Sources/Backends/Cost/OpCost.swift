import LFADSIR

/// What the op coster needs to know about the graph around a node.
struct OpContext {
    var device: Device
    /// Width of each operand's hardware type (the model default when its producer has no precision).
    var operandBits: [Int]
    /// Operand 0 is the model's spike-count input (its first input), used unconverted.
    var operandIsSpikeInput: Bool
    /// Integer bits of operand 0's type (for spike-count narrowing).
    var operandIntegerBits: Int
    /// Steps of operand 0 (1 for a vector or no operand).
    var operandSteps: Int
    var defaultWidth: Int
    /// The design is one dataflow region (DesignSchedule): buffers between processes are its channels, priced
    /// from the schedule, not per layer.
    var dataflow = false
}

/// Costs one node in isolation.
enum OpCost {
    static let defaultImplementation = Implementation(strategy: .resource)

    static func cost(_ node: Node, resultType: ValueType, context c: OpContext) -> LayerCost {
        switch node.op {
        case .input, .concat, .slice, .timeShift:
            return LayerCost(timing: .passThrough, resources: .zero, strategy: "-")
        case .sample(let mode):
            if case .mean = mode { return LayerCost(timing: .passThrough, resources: .zero, strategy: "-") }
            return LayerCost(timing: .streaming(perStep: 1, depth: 12), resources: gaussianLanes(resultType.width), strategy: "-")
        case .posteriorStd:
            let w = resultType.width
            return LayerCost(timing: .streaming(perStep: 1, depth: 3),
                             resources: GRUCost.tableROM(lanes: w, size: 1024, entryBits: 18) + Resources(lut: w * 20, ff: w * 32),
                             strategy: "-")
        case .activation(let a):
            let bits = a.precision?.result.width ?? c.defaultWidth
            let r = GRUCost.activation(a.activation.function, lanes: resultType.width, bits: bits, table: a.precision?.table)
                + Resources(lut: resultType.width * bits, ff: resultType.width * bits)
            let depth = a.activation.function == .linear ? 1 : 2
            return LayerCost(timing: .streaming(perStep: 1, depth: depth), resources: r, strategy: "-")
        case .dense(let d):
            return dense(d, sequence: resultType.isSequence, inputBits: narrowed(c, d.implementation ?? defaultImplementation), context: c)
        case .gru(let g):
            let impl = g.implementation ?? defaultImplementation
            let dir = GRUCost.direction(cell: g.cell, steps: c.operandSteps, widths: GRUWidths(g.precision, defaultWidth: c.defaultWidth),
                                        implementation: impl, inputBits: narrowed(c, impl), device: c.device, buffer: !c.dataflow)
            var r = dir.resources
            let steps = c.operandSteps
            if impl.strategy != .lfads, !c.dataflow, g.reverse { r += MatVecCost.buffer(width: g.cell.inputSize * c.operandBits[0], depth: steps) }
            let timing = RecurrentTiming(steps: steps, step: dir.step, inputStage: dir.inputStage, needsWholeInput: g.reverse,
                                         initialStateOperand: g.initialState == .operand ? 1 : nil,
                                         streamsOutput: g.returnSequences && !g.reverse)
            return LayerCost(timing: .recurrent(timing), resources: r, strategy: label(impl, g.cell.inputSize, g.cell.hiddenSize))
        case .bidirectionalGRU(let b):
            let steps = c.operandSteps
            func dir(_ l: GRULayer) -> (GRUDirectionCost, Implementation) {
                let impl = l.implementation ?? defaultImplementation
                return (GRUCost.direction(cell: l.cell, steps: steps, widths: GRUWidths(l.precision, defaultWidth: c.defaultWidth),
                                          implementation: impl, inputBits: narrowed(c, impl), device: c.device, buffer: !c.dataflow), impl)
            }
            let (f, fi) = dir(b.forward), (bw, _) = dir(b.backward)
            var r = f.resources + bw.resources
            // hls4ml buffers the input sequence in both orders before running the two directions side by side.
            if fi.strategy != .lfads, !c.dataflow { r += MatVecCost.buffer(width: b.forward.cell.inputSize * c.operandBits[0], depth: steps) * 2 }
            let stage = f.inputStage.map { fs in
                InputStage(perStep: max(fs.perStep, bw.inputStage?.perStep ?? 0), depth: max(fs.depth, bw.inputStage?.depth ?? 0))
            }
            let timing = RecurrentTiming(steps: steps, step: max(f.step, bw.step), inputStage: stage, needsWholeInput: true,
                                         initialStateOperand: nil, streamsOutput: false)
            return LayerCost(timing: .recurrent(timing), resources: r, strategy: label(fi, b.forward.cell.inputSize, b.forward.cell.hiddenSize))
        case .lstm(let l):
            return LSTMCost.layer(l, steps: c.operandSteps, inputBits: c.operandBits.first ?? c.defaultWidth, context: c)
        case .decoder(let d):
            return decoder(d, context: c)
        }
    }

    /// Input width the input products see: spike counts need only their integer bits under the lfads strategy.
    static func narrowed(_ c: OpContext, _ impl: Implementation) -> Int {
        guard impl.strategy == .lfads, c.operandIsSpikeInput else { return c.operandBits.first ?? c.defaultWidth }
        return max(1, min(c.operandBits.first ?? c.defaultWidth, c.operandIntegerBits))
    }

    static func dense(_ d: DenseLayer, sequence: Bool, inputBits: Int, context c: OpContext) -> LayerCost {
        let impl = d.implementation ?? defaultImplementation
        let wBits = d.precision?.weight.width ?? c.defaultWidth
        let accum = d.precision?.accum.width ?? c.defaultWidth
        let mv = MatVecCost(nIn: d.inputSize, nOut: d.outputSize, reuse: impl.reuse, strategy: impl.strategy, inputBits: inputBits,
                        weightBits: wBits, accumBits: accum, nonZero: nonZeroCount(d.effectiveWeight))
        let resultBits = d.precision?.result.width ?? c.defaultWidth
        var r = mv.resources(on: c.device) + GRUCost.activation(d.activation.function, lanes: d.outputSize, bits: resultBits, table: d.precision?.table)
        r.lut += CostConstants.controlLutPerLayer
        r.ff += CostConstants.controlFfPerLayer + d.outputSize * resultBits
        let extra = d.activation.function == .linear ? 0 : 1
        let timing: LayerTiming = sequence ? .streaming(perStep: mv.rf, depth: mv.cycles + extra) : .whole(cycles: mv.cycles + extra)
        return LayerCost(timing: timing, resources: r, strategy: label(impl, d.inputSize, nil))
    }

    /// The LFADS decoder loop: controller step, co_mean, generator step and factors run one after another per step
    /// (the factor feedback into the controller forbids overlapping steps).
    static func decoder(_ d: LFADSDecoderLayer, context c: OpContext) -> LayerCost {
        let genImpl = d.implementation?.generator ?? defaultImplementation
        let gen = GRUCost.direction(cell: d.generator, steps: d.steps, widths: GRUWidths(d.precision?.generator, defaultWidth: c.defaultWidth),
                                    implementation: genImpl, inputBits: c.defaultWidth, device: c.device)
        let factors = dense(d.factors, sequence: false, inputBits: d.precision?.generator.state.width ?? c.defaultWidth, context: c)
        var r = gen.resources + factors.resources
        var step = gen.step + cycles(factors.timing)
        if let ctl = d.controller {
            let impl = d.implementation?.controller ?? genImpl
            let con = GRUCost.direction(cell: ctl.cell, steps: d.steps, widths: GRUWidths(d.precision?.controller, defaultWidth: c.defaultWidth),
                                        implementation: impl, inputBits: c.defaultWidth, device: c.device)
            let co = dense(ctl.coMean, sequence: false, inputBits: c.defaultWidth, context: c)
            r += con.resources + co.resources
            step += con.step + cycles(co.timing)
            if let lv = ctl.coLogvar {
                let l = dense(lv, sequence: false, inputBits: c.defaultWidth, context: c)
                r += l.resources
                step += cycles(l.timing)
                // The std's exp table, and with sampling the lanes' sources and std·ε products.
                let table = d.precision?.coSample?.std.table
                r += GRUCost.tableROM(lanes: lv.outputSize, size: table?.size ?? 1024, entryBits: table?.entryType.width ?? 18)
                if ctl.sampleSeed != nil { r += gaussianSources(lv.outputSize) }
            }
        }
        let hasSequence = d.controller != nil || d.externalInputs > 0
        let timing = RecurrentTiming(steps: d.steps, step: step, sequenceOperand: hasSequence ? 1 : nil, inputStage: nil,
                                     needsWholeInput: false, initialStateOperand: 0, streamsOutput: true)
        return LayerCost(timing: .recurrent(timing), resources: r, strategy: label(genImpl, d.generator.inputSize, d.generator.hiddenSize))
    }

    /// `lanes` lanes of posterior sampling (docs/hardware-numerics.md, "Gaussian source"): per lane xoshiro128**
    /// (128 FF, ~200 LUT), the inverse-CDF transform (~300 LUT, one DSP for its 17 × 12 product, its 496 × 36-bit ROM
    /// one BRAM18 per two lanes), the std·ε product (one DSP); plus the std's exp table, one copy per two lanes.
    static func gaussianLanes(_ lanes: Int) -> Resources {
        gaussianSources(lanes) + GRUCost.tableROM(lanes: lanes, size: 1024, entryBits: 18)
    }

    /// The same without the std table (the controller's is priced from its own table spec).
    static func gaussianSources(_ lanes: Int) -> Resources {
        Resources(dsp: 2 * lanes, lut: lanes * 520, ff: lanes * 192, bram18: (lanes + 1) / 2)
    }

    /// "resource rf=14/16" with the reuse factors the emitted products run: lowering legalises each to at most
    /// its matrix's input count (a configured 8,192 on a 128-input dense is printed, and priced, as 128).
    static func label(_ impl: Implementation, _ inputs: Int, _ recurrentInputs: Int?) -> String {
        let r = min(max(impl.reuse, 1), max(inputs, 1))
        let rr = recurrentInputs.map { min(max(impl.recurrentReuse, 1), max($0, 1)) } ?? impl.recurrentReuse
        return Implementation(strategy: impl.strategy, reuse: r, recurrentReuse: rr).description
    }

    static func cycles(_ t: LayerTiming) -> Int {
        switch t {
        case .passThrough: return 0
        case .whole(let c): return c
        case .streaming(let p, let d): return max(p, d)
        case .recurrent(let r): return r.steps * r.step
        }
    }
}
