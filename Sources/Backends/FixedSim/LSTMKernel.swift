// One LSTM layer on raw codes: the statements of lstm_step in firmware/layers/lfads_lstm.h, one for one
// (docs/hardware-numerics.md, "LSTM step").
import LFADSIR

struct LSTMKernel {
    let stage: LSTMStage
    let x: MatVec
    let h: MatVec
    let accumSum: Quantizer
    let accumLow: Int64
    let accumHigh: Int64
    /// c' = f·c + i·c̃, exact at fraction fg + max(fc, fa), into the cell-state type.
    let cellUpdate: Quantizer
    let cellShift: Int
    let candShift: Int
    /// h' = o·act(c) (fraction fg + fa) into the state type.
    let stateUpdate: Quantizer

    init(_ s: LSTMStage, inputFraction: Int) {
        stage = s
        x = MatVec(s.kernel, inputFraction: inputFraction, accum: s.accum)
        h = MatVec(s.recurrent, inputFraction: s.state.fraction, accum: s.accum)
        accumSum = Quantizer(fromFraction: s.accum.fraction, to: s.accum)
        (accumLow, accumHigh) = (s.accum.minRaw &+ 1, s.accum.maxRaw)
        let (fg, fa, fc) = (s.gate.output.fraction, s.candidate.output.fraction, s.cell.fraction)
        let f = fg + max(fc, fa)
        cellUpdate = Quantizer(fromFraction: f, to: s.cell)
        cellShift = f - fg - fc
        candShift = f - fg - fa
        stateUpdate = Quantizer(fromFraction: fg + fa, to: s.state)
    }

    @inline(__always)
    func addAccum(_ a: Int64, _ b: Int64, _ overflows: inout Int) -> Int64 {
        let s = a &+ b  // two codes of ≤ 48 bits (TypeLimits)
        return s >= accumLow && s <= accumHigh ? s : accumSum.apply(s, overflows: &overflows)
    }

    /// Runs the layer; returns the output codes (result type).
    func run(input: [Int64], steps: Int, inputWidth: Int, _ overflows: inout Int) -> [Int64] {
        let n = stage.hidden
        var hState = [Int64](repeating: 0, count: n)
        var cState = [Int64](repeating: 0, count: n)
        var ax = [Int64](repeating: 0, count: 4 * n)
        var ah = [Int64](repeating: 0, count: 4 * n)
        var out = [Int64](repeating: 0, count: stage.returnSequences ? steps * n : n)
        let resultQ = Quantizer(fromFraction: stage.state.fraction, to: stage.result)
        let (gate, cand, cellAct) = (stage.gate, stage.candidate, stage.cellActivation)
        var ig = [Int64](repeating: 0, count: n), fg = ig, cc = ig, og = ig
        for s in 0..<steps {
            let t = stage.reverse ? steps - 1 - s : s
            x.run(input, offset: t * inputWidth, into: &ax, &overflows)
            h.run(hState, offset: 0, into: &ah, &overflows)
            for j in 0..<n {
                ig[j] = gate.apply(addAccum(ax[j], ah[j], &overflows), overflows: &overflows)
                fg[j] = gate.apply(addAccum(ax[n + j], ah[n + j], &overflows), overflows: &overflows)
                cc[j] = cand.apply(addAccum(ax[2 * n + j], ah[2 * n + j], &overflows), overflows: &overflows)
                og[j] = gate.apply(addAccum(ax[3 * n + j], ah[3 * n + j], &overflows), overflows: &overflows)
            }
            for j in 0..<n {
                // Exact in Int128: codes ≤ 32 bits and shifts ≤ 40 (TypeLimits).
                let exact = (Int128(fg[j]) * Int128(cState[j])) << cellShift + (Int128(ig[j]) * Int128(cc[j])) << candShift
                cState[j] = cellUpdate.apply(wide: exact, overflows: &overflows)
                let a = cellAct.apply(cState[j], overflows: &overflows)
                hState[j] = castProduct(og[j], a, stateUpdate, &overflows)
            }
            if stage.returnSequences {
                for j in 0..<n { out[t * n + j] = resultQ.apply(hState[j], overflows: &overflows) }
            }
        }
        if !stage.returnSequences {
            for j in 0..<n { out[j] = resultQ.apply(hState[j], overflows: &overflows) }
        }
        return out
    }
}
