// The LFADS decoder loop (LFADSDecoderLayer) on raw codes, built from the bit-accurate simulator's own
// kernels (MatVec, GRUKernel, ElementFunction) so every product, sum and cast follows
// docs/hardware-numerics.md. The HLS backend has no decoder template yet, so the casts *between* kernels
// are this file's choice, documented in docs/quantisation.md ("Automatic precision"):
//   • the GRU state is carried at the state type; the factors and co_mean layers read the state cast to
//     the GRU's result type;
//   • the controller input [ci_t, f_{t−1}] is one vector of ci's type (f is cast to it);
//   • the generator input [u_t, ext_t] is one vector of co_mean's result type (ext is cast to it), or
//     ext's type without a controller.
import LFADSIR

struct FixedDecoder: Sendable {
    struct Layer: Sendable {
        let stage: GRUStage
        let kernelFraction: Int
        let result: FixedType
    }

    let steps: Int
    let generator: Layer
    let factors: DenseStage
    let controller: Layer?
    let controllerInitial: [Int64]
    let coMean: DenseStage?
    let ciType: FixedType?
    let extType: FixedType?
    let ciWidth: Int
    let extWidth: Int
    /// Types of the results in the op's order: factors, gen_states [, con_states, co_means].
    let resultTypes: [FixedType]

    /// `operandTypes`: g0, then ci (with a controller), then ext (with external inputs), as the op takes them.
    init(_ d: LFADSDecoderLayer, name: String, operandTypes: [FixedType]) throws {
        let context = "layer '\(name)'"
        guard let p = d.precision else { throw HardwareError.missingPrecision("\(context): decoder has no precision") }
        guard d.controller == nil || p.controller != nil else { throw HardwareError.missingPrecision("\(context): controller has no precision") }
        let expected = 1 + (d.controller != nil ? 1 : 0) + (d.externalInputs > 0 ? 1 : 0)
        guard operandTypes.count == expected else {
            throw HardwareError.unsupported("\(context): \(operandTypes.count) operands, expected \(expected)")
        }
        steps = d.steps
        ciWidth = d.controllerInputWidth
        extWidth = d.externalInputs
        ciType = d.controller != nil ? operandTypes[1] : nil
        extType = d.externalInputs > 0 ? operandTypes[expected - 1] : nil
        let implementation = d.implementation

        func layer(_ cell: GRUCell, _ precision: GRUPrecision, _ inputType: FixedType, _ impl: Implementation?, _ part: String) throws -> Layer {
            let g = GRULayer(cell: cell, returnSequences: false, initialState: .zeros, precision: precision, implementation: impl)
            let s = try HardwarePlan.gru(g, name: part, input: 0, inputType: inputType, initialOperand: nil, steps: 1,
                                         context: "\(context) (\(part))") { _ in 0 }
            // result = state: the kernel then hands back the state codes the next step needs.
            let carried = GRUStage(name: s.name, input: 0, output: 0, hidden: s.hidden, resetAfter: s.resetAfter, reverse: false,
                                   returnSequences: false, kernel: s.kernel, recurrentZR: s.recurrentZR, recurrentH: s.recurrentH,
                                   accum: s.accum, gate: s.gate, candidate: s.candidate, state: s.state, result: s.state,
                                   clip: s.clip, initial: .zeros)
            return Layer(stage: carried, kernelFraction: inputType.fraction, result: precision.result)
        }

        var generatorInput = extType ?? p.generator.state
        if let c = d.controller, let cp = p.controller, let ci = ciType {
            let con = try layer(c.cell, cp, ci, implementation?.controller, "controller")
            guard let mp = c.coMean.precision else { throw HardwareError.missingPrecision("\(context): co_mean has no precision") }
            let mean = try HardwarePlan.dense(c.coMean, mp, name: "\(name).co_mean", input: 0, inputType: cp.result,
                                              context: "\(context) (co_mean)") { 0 }
            controller = con
            coMean = mean
            controllerInitial = c.initialState.map { cp.state.cast($0).raw }
            generatorInput = mp.result
        } else {
            controller = nil
            coMean = nil
            controllerInitial = []
        }
        generator = try layer(d.generator, p.generator, generatorInput, implementation?.generator, "generator")
        guard let fp = d.factors.precision else { throw HardwareError.missingPrecision("\(context): factors have no precision") }
        factors = try HardwarePlan.dense(d.factors, fp, name: "\(name).factors", input: 0, inputType: p.generator.result,
                                         context: "\(context) (factors)") { 0 }
        var types = [fp.result, p.generator.result]
        if let cp = p.controller, let mp = d.controller?.coMean.precision { types += [cp.result, mp.result] }
        resultTypes = types
    }

    /// Operands as raw codes of `operandTypes`; results as raw codes of `resultTypes`, time-major.
    func run(_ operands: [[Int64]], g0Type: FixedType, overflows: inout Int) -> [[Int64]] {
        let g0 = operands[0]
        let ci = controller != nil ? operands[1] : []
        let ext = extWidth > 0 ? operands[operands.count - 1] : []
        let gs = generator.stage
        let toState = Quantizer(fromFraction: g0Type.fraction, to: gs.state)
        var g = g0.map { toState.apply($0, overflows: &overflows) }
        let gResult = Quantizer(fromFraction: gs.state.fraction, to: generator.result)
        let gKernel = GRUKernel(gs, inputFraction: generator.kernelFraction)
        let fMatVec = MatVec(factors.matrix, inputFraction: generator.result.fraction, accum: factors.accum)
        var acc = [Int64](repeating: 0, count: max(factors.matrix.rows, coMean?.matrix.rows ?? 0))

        func dense(_ stage: DenseStage, _ mv: MatVec, _ x: [Int64]) -> [Int64] {
            mv.run(x, offset: 0, into: &acc, &overflows)
            return (0..<stage.matrix.rows).map { stage.function.apply(acc[$0], overflows: &overflows) }
        }
        func readFactors() -> [Int64] { dense(factors, fMatVec, g.map { gResult.apply($0, overflows: &overflows) }) }

        var f = readFactors()
        var outF = [Int64](), outG = [Int64](), outC = [Int64](), outU = [Int64]()
        var c = controllerInitial
        var conParts: (kernel: GRUKernel, fToInput: Quantizer, toResult: Quantizer, stage: DenseStage, mv: MatVec)?
        if let con = controller, let mean = coMean {
            let inputType = ciType ?? factors.function.output
            conParts = (GRUKernel(con.stage, inputFraction: con.kernelFraction),
                        Quantizer(fromFraction: factors.function.output.fraction, to: inputType),
                        Quantizer(fromFraction: con.stage.state.fraction, to: con.result),
                        mean, MatVec(mean.matrix, inputFraction: con.result.fraction, accum: mean.accum))
        }
        let extToInput = extType.map { et in Quantizer(fromFraction: et.fraction, to: coMean?.function.output ?? et) }
        for t in 0..<steps {
            var gIn = [Int64]()
            if let p = conParts {
                var x = Array(ci[(t * ciWidth)..<((t + 1) * ciWidth)])
                x += f.map { p.fToInput.apply($0, overflows: &overflows) }
                c = p.kernel.run(input: x, steps: 1, inputWidth: x.count, initial: c, &overflows)
                let cr = c.map { p.toResult.apply($0, overflows: &overflows) }
                let u = dense(p.stage, p.mv, cr)
                outC += cr
                outU += u
                gIn = u
            }
            if let q = extToInput {
                gIn += ext[(t * extWidth)..<((t + 1) * extWidth)].map { q.apply($0, overflows: &overflows) }
            }
            g = gKernel.run(input: gIn, steps: 1, inputWidth: gIn.count, initial: g, &overflows)
            f = readFactors()
            outG += g.map { gResult.apply($0, overflows: &overflows) }
            outF += f
        }
        return controller != nil ? [outF, outG, outC, outU] : [outF, outG]
    }
}
