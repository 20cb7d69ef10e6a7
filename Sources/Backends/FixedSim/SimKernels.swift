// The simulator's arithmetic kernels. Each mirrors one C++ template in firmware/layers (see
// docs/hardware-numerics.md): products cast to the accumulator, sums from the bias in input order.
import LFADSIR

/// A product of two codes cast to `q.target` (exact in Int128 when it leaves Int64).
@inlinable
@inline(__always)
func castProduct(_ a: Int64, _ b: Int64, _ q: Quantizer, _ overflows: inout Int) -> Int64 {
    let (p, o) = a.multipliedReportingOverflow(by: b)
    return o ? q.apply(wide: Int128(a) * Int128(b), overflows: &overflows) : q.apply(p, overflows: &overflows)
}

/// Casts for one matrix-vector product: product, bias and running sum into the accumulator.
struct MatVec {
    let matrix: QuantizedMatrix
    let product: Quantizer
    let sum: Quantizer
    /// Right shift of a truncating product cast (AP_TRN with a 64-bit-path overflow mode), or nil: then every
    /// product goes through `castProduct`. In range, AP_TRN is exactly the arithmetic right shift.
    let truncShift: Int?
    /// Accumulator codes on which every cast into the accumulator is the identity whatever its overflow mode
    /// (minRaw is left out for AP_SAT_SYM's sake).
    let low: Int64
    let high: Int64
    /// The bias of each row already cast to the accumulator, and how many of those casts overflowed: the
    /// casts depend on nothing else, so every run adds `biasOverflows` instead of redoing them.
    let biasCodes: [Int64]
    let biasOverflows: Int
    /// W transposed [columns × rows] for the proven path: one input times a contiguous column.
    let transposed: [Int64]
    /// `transposed` as Int16 when every weight fits 16 bits, the accumulator ≤ 32 bits and the shift ≤ 31,
    /// else empty: the proven path then runs in Int32 lanes the compiler vectorises (see `runNarrow`).
    let narrowTransposed: [Int16]
    /// The same 16-bit weights row-major, for dense inputs (row dot products over contiguous 16-bit operands).
    let narrowRows: [Int16]
    /// Largest max|x| for which no cast of a run can act (see `init`), or −1 when none is proven.
    let safeInput: Int64
    /// Largest max|x| with |x·w| ≤ Int64.max / columns for every weight (the checked path of `run`), or −1
    /// when that path does not apply (no truncShift, or an accumulator without low == −high).
    let checkedInput: Int64

    init(_ m: QuantizedMatrix, inputFraction: Int, accum: FixedType) {
        matrix = m
        product = Quantizer(fromFraction: inputFraction + m.weightType.fraction, to: accum)
        let bias = Quantizer(fromFraction: m.biasType.fraction, to: accum)
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
        var biasOverflows = 0
        biasCodes = m.bias.map { bias.apply($0, overflows: &biasOverflows) }
        self.biasOverflows = biasOverflows
        let (rows, n) = (m.rows, m.columns)
        var t = [Int64](repeating: 0, count: rows * n)
        for o in 0..<rows { for i in 0..<n { t[i * rows + o] = m.weights[o * n + i] } }
        transposed = t
        let fitsInt16 = m.weights.allSatisfy { $0 >= Int64(Int16.min) && $0 <= Int64(Int16.max) }
        narrowTransposed = fitsInt16 && accum.width <= 32 && (truncShift ?? 32) <= 31
            ? t.map { Int16(truncatingIfNeeded: $0) } : []
        narrowRows = narrowTransposed.isEmpty ? [] : m.weights.map { Int16(truncatingIfNeeded: $0) }
        // Proof of the shortcut. With X = max|x_i| and p_i = floor(x_i·w_i / 2^s) (the in-range AP_TRN cast),
        // |p_i| ≤ (|x_i·w_i| >> s) + c with c = (s > 0 ? 1 : 0), so every product and every partial sum
        // b + p_1 + … + p_k of row o is bounded by |b| + c·n + (X·Σ_i|w_i| >> s) (sum of floors ≤ floor of
        // sum). When that bound is ≤ high = −low (signed accumulator), every product and sum cast is the
        // identity and counts nothing, so the run is b + Σ p_i exactly, in any order. X·|w_i| must also fit
        // Int64 so that the plain product is the exact one.
        var safe: Int64 = -1
        let maxW = m.weights.reduce(UInt64(0)) { Swift.max($0, $1.magnitude) }
        let perProduct = maxW > 0 ? Int64(UInt64(Int64.max) / maxW) : Int64.max
        let symmetric = truncShift != nil && accum.signed && low == -high
        checkedInput = symmetric ? perProduct / Int64(Swift.max(n, 1)) : -1
        if let s = truncShift, symmetric {
            safe = perProduct
            let c = Int128(s > 0 ? 1 : 0)
            for o in 0..<rows where safe >= 0 {
                var rowSum = Int128(0)
                for i in 0..<n { rowSum += Int128(m.weights[o * n + i].magnitude) }
                let room = Int128(high) - Int128(biasCodes[o].magnitude) - c * Int128(n)
                if room < 0 { safe = -1; break }
                guard rowSum > 0 else { continue }
                // (X·S) >> s ≤ room  ⟺  X·S < (room + 1)·2^s  ⟺  X ≤ ((room + 1)·2^s − 1) / S.
                let limit = (((room + 1) << s) - 1) / rowSum
                if limit < Int128(safe) { safe = Int64(limit) }
            }
        }
        safeInput = safe
    }

    /// Row o of a truncating run with every cast checked (the path of `run` when no bound is proven).
    private func slowRow(_ o: Int, _ xs: UnsafeBufferPointer<Int64>, _ shift: Int, _ overflows: inout Int) -> Int64 {
        let n = matrix.columns
        let row = o * n
        var a = biasCodes[o]
        for i in 0..<n {
            let xi = xs[i]
            if xi == 0 { continue }
            let w = matrix.weights[row + i]
            let (raw, wide) = xi.multipliedReportingOverflow(by: w)
            var p = raw &>> shift
            if wide || p < low || p > high { p = castProduct(xi, w, product, &overflows) }
            let s = a + p  // two accum codes (≤ 48 bits): no Int64 overflow
            a = s >= low && s <= high ? s : sum.apply(s, overflows: &overflows)
        }
        return a
    }

    /// The proven path (max|x| ≤ safeInput) in 32-bit lanes, for max|x| < 2^15 and `narrowTransposed`: every
    /// product of two 16-bit codes fits Int32 exactly, and every partial sum is bounded by high < 2^31 (the
    /// proof in `init`), so the Int32 results are the Int64 ones.
    private func runNarrow(_ xs: UnsafeBufferPointer<Int64>, shift: Int, into acc: inout [Int64]) {
        let (n, rows) = (matrix.columns, matrix.rows)
        let s32 = Int32(truncatingIfNeeded: shift)
        var nonzero = 0
        for x in xs where x != 0 { nonzero &+= 1 }
        if nonzero * 2 > n {
            // Mostly non-zero input (GRU states): one dot product per row, both operands contiguous Int16.
            withUnsafeTemporaryAllocation(of: Int16.self, capacity: n) { x16 in
                for i in 0..<n { x16[i] = Int16(truncatingIfNeeded: xs[i]) }
                narrowRows.withUnsafeBufferPointer { w in
                    biasCodes.withUnsafeBufferPointer { b in
                        acc.withUnsafeMutableBufferPointer { a in
                            for o in 0..<rows {
                                let row = UnsafeBufferPointer(rebasing: w[(o &* n)..<(o &* n &+ n)])
                                var sum: Int32 = 0
                                for i in 0..<n { sum &+= (Int32(x16[i]) &* Int32(row[i])) &>> s32 }
                                a[o] = b[o] &+ Int64(sum)
                            }
                        }
                    }
                }
            }
            return
        }
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: rows) { a32 in
            narrowTransposed.withUnsafeBufferPointer { wt in
                biasCodes.withUnsafeBufferPointer { b in
                    for o in 0..<rows { a32[o] = Int32(truncatingIfNeeded: b[o]) }
                }
                for i in 0..<n {
                    let x16 = Int16(truncatingIfNeeded: xs[i])
                    if x16 == 0 { continue }
                    let x = Int32(x16)
                    let column = UnsafeBufferPointer(rebasing: wt[(i &* rows)..<(i &* rows &+ rows)])
                    for o in 0..<rows { a32[o] &+= (x &* Int32(column[o])) &>> s32 }
                }
            }
            acc.withUnsafeMutableBufferPointer { a in
                for o in 0..<rows { a[o] = Int64(a32[o]) }
            }
        }
    }

    /// acc[o] = bias[o]; acc[o] = acc[o] + (accum)(x[i]·W[o,i]) for i in order. `x` starts at `offset`.
    ///
    /// Exact shortcuts: the bias casts are done once; a zero input adds (accum)(0) = 0 to an accumulator code,
    /// which the sum cast leaves as it is, so it is skipped; in-range truncated products and sums need no cast;
    /// and when max|x| ≤ safeInput no cast can act at all (proof in `init`).
    func run(_ x: [Int64], offset: Int, into acc: inout [Int64], _ overflows: inout Int) {
        let n = matrix.columns
        let rows = matrix.rows
        precondition(offset >= 0 && offset <= x.count - n && acc.count >= rows, "MatVec: operand sizes")
        overflows &+= biasOverflows
        x.withUnsafeBufferPointer { xAll in
            let xs = UnsafeBufferPointer(rebasing: xAll[offset..<(offset + n)])
            if let shift = truncShift, checkedInput >= 0 {
                var big: UInt64 = 0
                for v in xs { big = Swift.max(big, v.magnitude) }
                if safeInput >= 0, big <= UInt64(safeInput) {
                    if !narrowTransposed.isEmpty, big <= UInt64(Int16.max) {
                        runNarrow(xs, shift: shift, into: &acc)
                        return
                    }
                    transposed.withUnsafeBufferPointer { wt in
                        biasCodes.withUnsafeBufferPointer { b in
                            acc.withUnsafeMutableBufferPointer { a in
                                for o in 0..<rows { a[o] = b[o] }
                                for i in 0..<n {
                                    let xi = xs[i]
                                    if xi == 0 { continue }
                                    let col = i &* rows  // < transposed.count: no overflow
                                    for o in 0..<rows { a[o] &+= (xi &* wt[col &+ o]) &>> shift }
                                }
                            }
                        }
                    }
                    return
                }
                if big <= UInt64(checkedInput) {
                    // The same sums with Σ|p_i| per row alongside: a row whose |b| + Σ|p_i| ≤ high had every
                    // product and partial sum in [low, high] (the bound of `init` with the actual products), so
                    // its casts were all the identity; any other row is redone one cast at a time below.
                    // |x_i·w| ≤ Int64.max / n (checkedInput), so neither the products nor Σ|p_i| overflow.
                    var clean = true
                    withUnsafeTemporaryAllocation(of: Int64.self, capacity: rows) { mag in
                        transposed.withUnsafeBufferPointer { wt in
                            biasCodes.withUnsafeBufferPointer { b in
                                acc.withUnsafeMutableBufferPointer { a in
                                    for o in 0..<rows {
                                        a[o] = b[o]
                                        mag[o] = 0
                                    }
                                    for i in 0..<n {
                                        let xi = xs[i]
                                        if xi == 0 { continue }
                                        let col = i &* rows  // < transposed.count: no overflow
                                        for o in 0..<rows {
                                            let p = (xi &* wt[col &+ o]) &>> shift
                                            a[o] &+= p
                                            let sign = p &>> 63
                                            mag[o] &+= (p ^ sign) &- sign
                                        }
                                    }
                                    // high − |b| cannot overflow: b is an accumulator code (|b| ≤ high + 1).
                                    for o in 0..<rows where mag[o] > high &- Int64(bitPattern: b[o].magnitude) { clean = false; break }
                                }
                            }
                        }
                        if !clean {
                            for o in 0..<rows where mag[o] > high &- Int64(bitPattern: biasCodes[o].magnitude) {
                                acc[o] = slowRow(o, xs, shift, &overflows)
                            }
                        }
                    }
                    return
                }
            }
            matrix.weights.withUnsafeBufferPointer { w in
                for o in 0..<rows {
                    var a = biasCodes[o]
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
    /// Codes on which `accumSum` is the identity in every overflow mode (minRaw left out for AP_SAT_SYM).
    let accumLow: Int64
    let accumHigh: Int64
    /// Whether the state update's exact terms always fit Int64 (then it skips Int128).
    let updateFits64: Bool
    /// r · (U_h h + b'_h) into the accumulator (reset after).
    let resetProduct: Quantizer
    /// r ⊙ h into the state type (reset before).
    let resetState: Quantizer
    /// h̃·(1 − z) + h·z (fraction max(fa, fs) + fz) into the state type: the same cast as
    /// `state.cast(raw:fraction:)` whenever the exact sum fits Int64.
    let update: Quantizer

    init(_ s: GRUStage, inputFraction: Int) {
        stage = s
        x = MatVec(s.kernel, inputFraction: inputFraction, accum: s.accum)
        zr = MatVec(s.recurrentZR, inputFraction: s.state.fraction, accum: s.accum)
        hh = MatVec(s.recurrentH, inputFraction: s.state.fraction, accum: s.accum)
        accumSum = Quantizer(fromFraction: s.accum.fraction, to: s.accum)
        (accumLow, accumHigh) = (s.accum.minRaw &+ 1, s.accum.maxRaw)
        // Bit lengths of the update's two terms: |h̃| < 2^Wa, 0 < 1 − z ≤ 2^fz + 2^Wz (z of either sign),
        // |h| < 2^Ws, |z| < 2^Wz, each shifted left to the common fraction.
        let (fz, fa, fs) = (s.gate.output.fraction, s.candidate.output.fraction, s.state.fraction)
        let f = max(fa, fs) + fz
        let oneMinusZBits = max(fz, s.gate.output.width) + 1
        updateFits64 = s.candidate.output.width + oneMinusZBits + (f - fa - fz) <= 61
            && s.state.width + s.gate.output.width + (f - fs - fz) <= 61
        resetProduct = Quantizer(fromFraction: s.gate.output.fraction + s.accum.fraction, to: s.accum)
        resetState = Quantizer(fromFraction: s.gate.output.fraction + s.state.fraction, to: s.state)
        update = Quantizer(fromFraction: max(s.candidate.output.fraction, s.state.fraction) + s.gate.output.fraction, to: s.state)
    }

    /// (accum)(a + b) of two accumulator codes: the identity when the sum is in range, as it nearly always is.
    @inline(__always)
    func addAccum(_ a: Int64, _ b: Int64, _ overflows: inout Int) -> Int64 {
        let s = a &+ b  // two codes of ≤ 48 bits (TypeLimits)
        return s >= accumLow && s <= accumHigh ? s : accumSum.apply(s, overflows: &overflows)
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
        let gate = stage.gate
        w.ax.withUnsafeBufferPointer { ax in
            w.azr.withUnsafeBufferPointer { azr in
                w.z.withUnsafeMutableBufferPointer { z in
                    w.r.withUnsafeMutableBufferPointer { r in
                        for j in 0..<h {
                            z[j] = gate.apply(addAccum(ax[j], azr[j], &overflows), overflows: &overflows)
                            r[j] = gate.apply(addAccum(ax[h &+ j], azr[h &+ j], &overflows), overflows: &overflows)
                        }
                    }
                }
            }
        }
        if stage.resetAfter {
            hh.run(state, offset: 0, into: &w.ahh, &overflows)
            for j in 0..<h { w.ahh[j] = castProduct(w.r[j], w.ahh[j], resetProduct, &overflows) }
        } else {
            for k in 0..<h { w.rh[k] = castProduct(w.r[k], state[k], resetState, &overflows) }
            hh.run(w.rh, offset: 0, into: &w.ahh, &overflows)
        }
        let candidate = stage.candidate
        for j in 0..<h {
            let hc = candidate.apply(addAccum(w.ax[2 * h + j], w.ahh[j], &overflows), overflows: &overflows)
            // h' = (state)(h̃·(1 − z) + h·z), exact inside (|terms| < 2^112 under TypeLimits).
            var v: Int64
            if updateFits64 {
                // The same exact sum in Int64: `init` proved |t1|, |t2| < 2^61 for every code of these types.
                let t1 = (hc &* ((Int64(1) &<< fz) &- w.z[j])) &<< (f &- fa &- fz)
                let t2 = (state[j] &* w.z[j]) &<< (f &- fs &- fz)
                v = update.apply(t1 &+ t2, overflows: &overflows)
            } else {
                let t = Int128(hc) * ((Int128(1) << fz) - Int128(w.z[j])) << (f - fa - fz)
                    + Int128(state[j]) * Int128(w.z[j]) << (f - fs - fz)
                if let narrow = Int64(exactly: t) {
                    v = update.apply(narrow, overflows: &overflows)
                } else {
                    let cast = stage.state.cast(raw: t, fraction: f)
                    if cast.overflowed { overflows &+= 1 }
                    v = cast.raw
                }
            }
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
