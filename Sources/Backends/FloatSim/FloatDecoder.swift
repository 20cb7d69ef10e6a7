import Foundation
import LFADSIR

/// The LFADS decoder loop (see LFADSDecoderLayer): controller fed [ci_t, f_{t−1}] with f_{−1} = factors(g0),
/// generator fed [u_t, ext_t].
struct FloatDecoder: Sendable {
    let steps: Int
    let generator: FloatGRUCell
    let factors: FloatDense
    let controller: FloatGRUCell?
    let controllerInitial: [Double]
    let coMean: FloatDense?
    let coLogvar: FloatDense?
    let ciWidth: Int
    let externalInputs: Int

    init(_ d: LFADSDecoderLayer) throws {
        try d.validate()
        steps = d.steps
        generator = try FloatGRUCell(d.generator)
        factors = try FloatDense(d.factors)
        controller = try d.controller.map { try FloatGRUCell($0.cell) }
        controllerInitial = d.controller?.initialState ?? []
        coMean = try d.controller.map { try FloatDense($0.coMean) }
        coLogvar = try d.controller?.coLogvar.map { try FloatDense($0) }
        ciWidth = d.controllerInputWidth
        externalInputs = d.externalInputs
    }

    /// Operands as the op takes them: g0, then ci (with a controller), then ext (with external inputs); their
    /// sizes were checked by the simulator against the verified types.
    /// Results in the op's order: factors, gen_states [, con_states, co_means [, co_stds]].
    func run(_ operands: [[Double]]) -> [[Double]] {
        var next = 0
        func operand() -> [Double] { defer { next += 1 }; return next < operands.count ? operands[next] : [] }
        let g0 = operand()
        let ci = controller != nil ? operand() : []
        let ext = externalInputs > 0 ? operand() : []
        let nf = factors.outputSize, ng = generator.hidden, coDim = coMean?.outputSize ?? 0
        let nc = controller?.hidden ?? 0, conIn = ciWidth + nf, genIn = coDim + externalInputs
        var outFactors = [Double](repeating: 0, count: steps * nf)
        var outGen = [Double](repeating: 0, count: steps * ng)
        var outCon = [Double](repeating: 0, count: steps * nc)
        var outCo = [Double](repeating: 0, count: steps * coDim)
        var outStd = [Double](repeating: 0, count: coLogvar == nil ? 0 : steps * coDim)

        // One workspace: g | f | c | controller input | controller input part | generator input | generator
        // input part | logvar | step scratch.
        let sizes = [ng, nf, nc, conIn, 3 * nc, genIn, 3 * ng, coDim, max(generator.scratchSize, controller?.scratchSize ?? 0)]
        let work = UnsafeMutablePointer<Double>.allocate(capacity: sizes.reduce(1, +))
        defer { work.deallocate() }
        work.initialize(repeating: 0, count: sizes.reduce(1, +))
        var offsets = [Int](), acc = 0
        for s in sizes { offsets.append(acc); acc += s }
        let g = work + offsets[0], f = work + offsets[1], c = work + offsets[2], cIn = work + offsets[3]
        let cX = work + offsets[4], gIn = work + offsets[5], gX = work + offsets[6], lv = work + offsets[7]
        let scratch = work + offsets[8]

        for i in 0..<ng { g[i] = g0[i] }
        for i in 0..<nc { c[i] = controllerInitial[i] }
        factors.apply(g, into: f)
        for t in 0..<steps {
            if let con = controller, let coMean {
                for i in 0..<ciWidth { cIn[i] = ci[t * ciWidth + i] }
                for i in 0..<nf { cIn[ciWidth + i] = f[i] }
                con.inputPart(cIn, into: cX)
                con.step(cX, c, scratch: scratch)
                coMean.apply(c, into: gIn)
                for i in 0..<nc { outCon[t * nc + i] = c[i] }
                for i in 0..<coDim { outCo[t * coDim + i] = gIn[i] }
                if let coLogvar {
                    coLogvar.apply(c, into: lv)
                    for i in 0..<coDim { outStd[t * coDim + i] = exp(lv[i]).squareRoot() }
                }
            }
            for i in 0..<externalInputs { gIn[coDim + i] = ext[t * externalInputs + i] }
            generator.inputPart(gIn, into: gX)
            generator.step(gX, g, scratch: scratch)
            factors.apply(g, into: f)
            for i in 0..<ng { outGen[t * ng + i] = g[i] }
            for i in 0..<nf { outFactors[t * nf + i] = f[i] }
        }
        var results = [outFactors, outGen]
        if controller != nil {
            results += [outCon, outCo]
            if coLogvar != nil { results.append(outStd) }
        }
        return results
    }
}
