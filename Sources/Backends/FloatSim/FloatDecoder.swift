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
    /// Seed of the controller-output sample (nil: u_t is co_mean).
    let sampleSeed: UInt64?

    /// The controller's noise stream of a trial: GaussianSource(seed ^ coStreamSalt, trial), so that it is not the
    /// initial condition's stream (GaussianSource(seed, trial)); draws run step by step, co_dim per step.
    static let coStreamSalt: UInt64 = 0xC0_C0_C0_C0_C0_C0_C0_C0

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
        sampleSeed = d.controller?.sampleSeed
        // `d.validate()` checked that the parts fit together.
    }

    /// Operands of `trials` trials as the op takes them (each trial-major): g0, then ci (with a controller),
    /// then ext (with external inputs); their sizes were checked by the simulator against the verified types.
    /// Results in the op's order: factors, gen_states [, con_states, co_means [, co_stds]].
    /// All trials advance together; the input sides that do not depend on the recurrence (ci and, without a
    /// controller, ext) are computed for every step at once before the loop.
    /// Trial r of the block is trial `firstTrial + r` of the run (its noise stream when the controller samples).
    func run(trials rows: Int, firstTrial: Int = 0, _ operands: [[Double]], pool: ArrayPool) -> [[Double]] {
        var next = 0
        func operand() -> [Double] { defer { next += 1 }; return next < operands.count ? operands[next] : [] }
        let g0 = operand()
        let ci = controller != nil ? operand() : []
        let ext = externalInputs > 0 ? operand() : []
        let T = steps, nf = factors.outputSize, ng = generator.hidden, coDim = coMean?.outputSize ?? 0
        let nc = controller?.hidden ?? 0, genIn = coDim + externalInputs
        precondition(g0.count == rows * ng && ci.count == (controller == nil ? 0 : rows * T * ciWidth)
                     && ext.count == rows * T * externalInputs, "decoder: operands do not hold \(rows) trials")
        // Every step of every trial is stored, so the outputs need no zeroing; nor does the workspace.
        var outFactors = pool.take(rows * T * nf)
        var outGen = pool.take(rows * T * ng)
        var outCon = pool.take(rows * T * nc)
        var outCo = pool.take(rows * T * coDim)
        var outStd = pool.take(coLogvar == nil ? 0 : rows * T * coDim)
        // Input sides of every step: controller b + W_ci·ci_t, or generator b + W·ext_t without a controller.
        var hoisted = pool.take(rows * T * 3 * (controller == nil ? ng : nc))
        hoisted.withUnsafeMutableBufferPointer { hb in
            guard let hx = hb.baseAddress else { return }
            if let con = controller {
                con.inputPart(rows: rows * T, nil, xStride: 0, into: hx, outStride: 3 * nc)
                ci.withUnsafeBufferPointer { cb in
                    if let cp = cb.baseAddress {
                        con.kernel.accumulate(rows: rows * T, cp, lda: ciWidth, into: hx, ldc: 3 * nc, inputs: 0..<ciWidth)
                    }
                }
            } else {
                ext.withUnsafeBufferPointer { eb in
                    generator.inputPart(rows: rows * T, eb.baseAddress, xStride: externalInputs, into: hx, outStride: 3 * ng)
                }
            }
        }

        // One workspace, `rows` of each: g | f | c | controller input part | generator input | generator input
        // part | logvar | step scratch.
        let sizes = [ng, nf, nc, 3 * nc, genIn, 3 * ng, coDim, max(generator.scratchPerRow, controller?.scratchPerRow ?? 0)]
        var workspace = pool.take(rows * sizes.reduce(0, +) + 1)
        var offsets = [Int](), acc = 0
        for s in sizes { offsets.append(acc); acc += rows * s }
        workspace.withUnsafeMutableBufferPointer { wb in
            hoisted.withUnsafeBufferPointer { hb in
                guard let work = wb.baseAddress, let hx = hb.baseAddress else { return }
                let g = work + offsets[0], f = work + offsets[1], c = work + offsets[2], cX = work + offsets[3]
                let gIn = work + offsets[4], gX = work + offsets[5], lv = work + offsets[6], scratch = work + offsets[7]
                /// The first `width` values of each of the `rows` rows of a step buffer (row stride `stride`) into
                /// step t of a trials × T × width output.
                func store(_ from: UnsafePointer<Double>, _ width: Int, stride: Int? = nil, into out: inout [Double], at t: Int) {
                    out.withUnsafeMutableBufferPointer { ob in
                        guard let o = ob.baseAddress else { return }
                        for r in 0..<rows { (o + (r * T + t) * width).update(from: from + r * (stride ?? width), count: width) }
                    }
                }

                var sources = sampleSeed.map { seed in
                    (0..<rows).map { GaussianSource(seed: seed ^ Self.coStreamSalt, trial: firstTrial + $0) }
                } ?? []
                g.update(from: g0, count: rows * ng)
                for r in 0..<rows { (c + r * nc).update(from: controllerInitial, count: nc) }
                factors.apply(rows: rows, g, xStride: ng, into: f, outStride: nf)
                for t in 0..<T {
                    if let con = controller, let coMean {
                        for r in 0..<rows { (cX + r * 3 * nc).update(from: hx + (r * T + t) * 3 * nc, count: 3 * nc) }
                        // Summed after the ci terms: the same order as one product over [ci_t, f].
                        con.kernel.accumulate(rows: rows, f, lda: nf, into: cX, ldc: 3 * nc, inputs: ciWidth..<(ciWidth + nf))
                        con.step(rows: rows, xp: cX, xpStride: 3 * nc, h: c, scratch: scratch)
                        coMean.apply(rows: rows, c, xStride: nc, into: gIn, outStride: genIn)
                        store(c, nc, into: &outCon, at: t)
                        store(gIn, coDim, stride: genIn, into: &outCo, at: t)
                        for r in 0..<rows {
                            for i in 0..<externalInputs { gIn[r * genIn + coDim + i] = ext[(r * T + t) * externalInputs + i] }
                        }
                        if let coLogvar {
                            coLogvar.apply(rows: rows, c, xStride: nc, into: lv, outStride: coDim)
                            VectorMath.exp(lv, count: rows * coDim)
                            for i in 0..<(rows * coDim) { lv[i] = lv[i].squareRoot() }
                            store(lv, coDim, into: &outStd, at: t)
                            if !sources.isEmpty {
                                // u_t = co_mean + co_std·ε (co_means keeps the mean, as lfads-torch reports it).
                                for r in 0..<rows {
                                    for k in 0..<coDim { gIn[r * genIn + k] += lv[r * coDim + k] * sources[r].next() }
                                }
                            }
                        }
                        generator.inputPart(rows: rows, gIn, xStride: genIn, into: gX, outStride: 3 * ng)
                        generator.step(rows: rows, xp: gX, xpStride: 3 * ng, h: g, scratch: scratch)
                    } else {
                        generator.step(rows: rows, xp: hx + t * 3 * ng, xpStride: T * 3 * ng, h: g, scratch: scratch)
                    }
                    factors.apply(rows: rows, g, xStride: ng, into: f, outStride: nf)
                    store(g, ng, into: &outGen, at: t)
                    store(f, nf, into: &outFactors, at: t)
                }
            }
        }
        pool.recycle(hoisted, workspace)
        var results = [outFactors, outGen]
        if controller != nil { results += [outCon, outCo] } else { pool.recycle(outCon, outCo) }
        if controller != nil && coLogvar != nil { results.append(outStd) } else { pool.recycle(outStd) }
        return results
    }
}
