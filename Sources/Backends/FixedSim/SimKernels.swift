// The simulator's arithmetic kernels. Each mirrors one C++ template in firmware/layers (see
// docs/hardware-numerics.md): products cast to the accumulator, sums from the bias in input order.
import LFADSIR

/// A product of two codes cast to `q.target` (exact in Int128 when it leaves Int64).
@inlinable
func castProduct(_ a: Int64, _ b: Int64, _ q: Quantizer, _ overflows: inout Int) -> Int64 {
    let (p, o) = a.multipliedReportingOverflow(by: b)
    return o ? q.apply(wide: Int128(a) * Int128(b), overflows: &overflows) : q.apply(p, overflows: &overflows)
}

/// Casts for one matrix-vector product: product, bias and running sum into the accumulator.
struct MatVec {
    let matrix: QuantizedMatrix
    let product: Quantizer
    let bias: Quantizer
    let sum: Quantizer
    /// Right shift of a truncating product cast (AP_TRN with a 64-bit-path overflow mode), or nil: then every
    /// product goes through `castProduct`. In range, AP_TRN is exactly the arithmetic right shift.
    let truncShift: Int?
    /// Accumulator codes on which every cast into the accumulator is the identity whatever its overflow mode
    /// (minRaw is left out for AP_SAT_SYM's sake).
    let low: Int64
    let high: Int64

    init(_ m: QuantizedMatrix, inputFraction: Int, accum: FixedType) {
        matrix = m
        product = Quantizer(fromFraction: inputFraction + m.weightType.fraction, to: accum)
        bias = Quantizer(fromFraction: m.biasType.fraction, to: accum)
        sum = Quantizer(fromFraction: accum.fraction, to: accum)
        let shift = product.sourceFraction - accum.fraction
        let plainOverflow: Bool
        switch accum.overflow {
        case .wrap: plainOverflow = accum.saturationBits == 0
        case .sat, .satZero, .satSym: plainOverflow = true
        case .wrapSM: plainOverflow = false
        }
        truncShift = accum.quantization == .trn && plainOverflow && (0...62).contains(shift) ? shift : nil
        low = accum.minRaw &+ 1
        high = accum.maxRaw
    }

    /// acc[o] = bias[o]; acc[o] = acc[o] + (accum)(x[i]·W[o,i]) for i in order. `x` starts at `offset`.
    ///
    /// Two exact shortcuts: a zero input adds (accum)(0) = 0 to an accumulator code, which the sum cast leaves
    /// as it is, so it is skipped; and in-range truncated products and sums need no cast.
    func run(_ x: [Int64], offset: Int, into acc: inout [Int64], _ overflows: inout Int) {
        let n = matrix.columns
        precondition(offset >= 0 && offset <= x.count - n && acc.count >= matrix.rows, "MatVec: operand sizes")
        x.withUnsafeBufferPointer { xAll in
            let xs = UnsafeBufferPointer(rebasing: xAll[offset..<(offset + n)])
            matrix.weights.withUnsafeBufferPointer { w in
                for o in 0..<matrix.rows {
                    var a = bias.apply(matrix.bias[o], overflows: &overflows)
                    let row = o * n
                    if let shift = truncShift {
                        for i in 0..<n {
                            let xi = xs[i]
                            if xi == 0 { continue }
                            let (raw, wide) = xi.multipliedReportingOverflow(by: w[row + i])
                            var p = raw &>> shift
                            if wide || p < low || p > high { p = castProduct(xi, w[row + i], product, &overflows) }
                            let s = a + p  // two accum codes (≤ 48 bits): no Int64 overflow
                            a = s >= low && s <= high ? s : sum.apply(s, overflows: &overflows)
                        }
                    } else {
                        for i in 0..<n where xs[i] != 0 {
                            let p = castProduct(xs[i], w[row + i], product, &overflows)
                            a = sum.apply(a + p, overflows: &overflows)
                        }
                    }
                    acc[o] = a
                }
            }
        }
    }
}

/// One GRU layer over a sequence.
struct GRUKernel {
    let stage: GRUStage
    let x: MatVec
    let zr: MatVec
    let hh: MatVec
    let accumSum: Quantizer
    /// r · (U_h h + b'_h) into the accumulator (reset after).
    let resetProduct: Quantizer
    /// r ⊙ h into the state type (reset before).
    let resetState: Quantizer

    init(_ s: GRUStage, inputFraction: Int) {
        stage = s
        x = MatVec(s.kernel, inputFraction: inputFraction, accum: s.accum)
        zr = MatVec(s.recurrentZR, inputFraction: s.state.fraction, accum: s.accum)
        hh = MatVec(s.recurrentH, inputFraction: s.state.fraction, accum: s.accum)
        accumSum = Quantizer(fromFraction: s.accum.fraction, to: s.accum)
        resetProduct = Quantizer(fromFraction: s.gate.output.fraction + s.accum.fraction, to: s.accum)
        resetState = Quantizer(fromFraction: s.gate.output.fraction + s.state.fraction, to: s.state)
    }

    /// Work arrays of one cell, reused across steps.
    struct Scratch {
        var ax, azr, ahh, z, r, rh, next: [Int64]
        init(hidden h: Int) {
            ax = Array(repeating: 0, count: 3 * h)
            azr = Array(repeating: 0, count: 2 * h)
            (ahh, z, r, rh, next) = (Array(repeating: 0, count: h), Array(repeating: 0, count: h), Array(repeating: 0, count: h),
                                     Array(repeating: 0, count: h), Array(repeating: 0, count: h))
        }
    }

    /// One step: state ← GRU(input[offset ..< offset + n_in], state).
    func step(_ input: [Int64], offset: Int, state: inout [Int64], _ w: inout Scratch, _ overflows: inout Int) {
        let h = stage.hidden
        let fz = stage.gate.output.fraction
        let fa = stage.candidate.output.fraction
        let fs = stage.state.fraction
        let f = max(fa, fs) + fz
        x.run(input, offset: offset, into: &w.ax, &overflows)
        zr.run(state, offset: 0, into: &w.azr, &overflows)
        for j in 0..<h {
            let pz = accumSum.apply(w.ax[j] + w.azr[j], overflows: &overflows)
            w.z[j] = stage.gate.apply(pz, overflows: &overflows)
            let pr = accumSum.apply(w.ax[h + j] + w.azr[h + j], overflows: &overflows)
            w.r[j] = stage.gate.apply(pr, overflows: &overflows)
        }
        if stage.resetAfter {
            hh.run(state, offset: 0, into: &w.ahh, &overflows)
            for j in 0..<h { w.ahh[j] = castProduct(w.r[j], w.ahh[j], resetProduct, &overflows) }
        } else {
            for k in 0..<h { w.rh[k] = castProduct(w.r[k], state[k], resetState, &overflows) }
            hh.run(w.rh, offset: 0, into: &w.ahh, &overflows)
        }
        for j in 0..<h {
            let c = accumSum.apply(w.ax[2 * h + j] + w.ahh[j], overflows: &overflows)
            let hc = stage.candidate.apply(c, overflows: &overflows)
            // h' = (state)(h̃·(1 − z) + h·z), exact inside (|terms| < 2^112 under TypeLimits).
            let oneMinusZ = (Int128(1) << fz) - Int128(w.z[j])
            let t1 = Int128(hc) * oneMinusZ << (f - fa - fz)
            let t2 = Int128(state[j]) * Int128(w.z[j]) << (f - fs - fz)
            let cast = stage.state.cast(raw: t1 + t2, fraction: f)
            if cast.overflowed { overflows &+= 1 }
            var v = cast.raw
            if let clip = stage.clip {
                if v > clip {
                    v = clip
                } else if Int128(v) < -Int128(clip) {
                    let neg = stage.state.cast(raw: -Int128(clip), fraction: fs)
                    if neg.overflowed { overflows &+= 1 }
                    v = neg.raw
                }
            }
            w.next[j] = v
        }
        swap(&state, &w.next)
    }

    /// Runs the layer; returns the output codes (result type).
    func run(input: [Int64], steps: Int, inputWidth: Int, initial: [Int64], _ overflows: inout Int) -> [Int64] {
        let h = stage.hidden
        var state = initial
        var scratch = Scratch(hidden: h)
        var out = [Int64](repeating: 0, count: stage.returnSequences ? steps * h : h)
        let resultQ = Quantizer(fromFraction: stage.state.fraction, to: stage.result)
        for s in 0..<steps {
            let t = stage.reverse ? steps - 1 - s : s
            step(input, offset: t * inputWidth, state: &state, &scratch, &overflows)
            if stage.returnSequences {
                for j in 0..<h { out[t * h + j] = resultQ.apply(state[j], overflows: &overflows) }
            }
        }
        if !stage.returnSequences {
            for j in 0..<h { out[j] = resultQ.apply(state[j], overflows: &overflows) }
        }
        return out
    }
}
