import Foundation

/// exp, the logistic sigmoid and tanh over buffers, four values at a time. The C library's scalar calls were a
/// third of the float simulation; these stay within 3 ulp of them. Each element's result depends on its
/// own value only (never on its neighbours in the buffer), so batching does not change any bit.
enum VectorMath {
    /// exp in place.
    static func exp(_ p: UnsafeMutablePointer<Double>, count: Int) {
        powers.withUnsafeBufferPointer { table in
            guard let t = table.baseAddress else { return }
            map(p, count, limit: 700, scalar: Foundation.exp) { x in tableExp(x, t) }
        }
    }

    /// 1 / (1 + e^−x) in place (the formula the scalar path uses).
    static func sigmoid(_ p: UnsafeMutablePointer<Double>, count: Int) {
        powers.withUnsafeBufferPointer { table in
            guard let t = table.baseAddress else { return }
            map(p, count, limit: 700, scalar: { 1 / (1 + Foundation.exp(-$0)) }) { x in 1 / (1 + tableExp(-x, t)) }
        }
    }

    /// tanh in place: with m = e^(−2|x|) − 1 (accurate near 0, so no cancellation), tanh|x| = −m / (2 + m).
    /// Beyond |x| = 20 the scalar call (which returns ±1 there) takes over.
    static func tanh(_ p: UnsafeMutablePointer<Double>, count: Int) {
        map(p, count, limit: 20, scalar: Foundation.tanh) { x in
            let bits = unsafeBitCast(x, to: SIMD4<UInt64>.self)
            let sign = bits & 0x8000_0000_0000_0000
            let a = unsafeBitCast(bits & 0x7FFF_FFFF_FFFF_FFFF, to: Double4.self)
            let (s, q) = reducedExp(-2 * a)
            let m = (s - 1) + s * q
            let t = -m / (2 + m)
            // t ≥ 0 (−m of m = 0 is −0, so clear the sign first); then take x's sign.
            return unsafeBitCast((unsafeBitCast(t, to: SIMD4<UInt64>.self) & 0x7FFF_FFFF_FFFF_FFFF) | sign, to: Double4.self)
        }
    }

    // ln 2 = ln2Hi + ln2Lo with the low 21 bits of ln2Hi zero, so k·ln2Hi is exact for the k used here.
    private static let ln2Hi = 0x1.62e42fee00000p-1
    private static let ln2Lo = 0x1.a39ef35793c76p-33
    private static let log2e = 0x1.71547652b82fep0
    /// 1.5·2^52: adding it rounds to an integer held in the low mantissa bits.
    private static let shifter = 0x1.8p52
    private static let shifterBits = Int64(bitPattern: 0x1.8p52.bitPattern)

    /// 2^(j/32), j = 0..<32.
    private static let powers: [Double] = (0..<32).map { Foundation.exp2(Double($0) / 32) }

    /// e^x for |x| ≤ 700 as 2^e · 2^(j/32) · e^r with x = (32e + j)·ln 2/32 + r, |r| ≤ ln 2/64: the short range
    /// needs e^r − 1 only to r^6 (truncation below 4e-18), half the work of `reducedExp`. Not for tanh: the
    /// table values are rounded, so e^x − 1 near 0 would lose its relative accuracy.
    @inline(__always)
    private static func tableExp(_ x: Double4, _ table: UnsafePointer<Double>) -> Double4 {
        let t = x * (32 * log2e) + shifter
        let kd = t - shifter
        let r = (x - kd * (ln2Hi / 32)) - kd * (ln2Lo / 32)
        let k = unsafeBitCast(t, to: SIMD4<Int64>.self) &- shifterBits
        let j = k & 31
        let tj = Double4(table[Int(j[0])], table[Int(j[1])], table[Int(j[2])], table[Int(j[3])])
        // Adding e to the exponent field of 2^(j/32) ∈ [1, 2) multiplies it by 2^e (normal results only).
        let s = unsafeBitCast(unsafeBitCast(tj, to: SIMD4<Int64>.self) &+ ((k &>> 5) &<< 52), to: Double4.self)
        let r2 = r * r
        let low: Double4 = 0.5 + r * (1.0 / 6)
        let high: Double4 = (1.0 / 24 + r * (1.0 / 120)) + r2 * (1.0 / 720)
        let q: Double4 = low + r2 * high
        return s + s * (r + r2 * q)
    }

    /// e^x = s·(1 + q) with s = 2^k and q = e^r − 1, x = k·ln 2 + r, |r| ≤ ln 2 / 2; for |x| ≤ 700.
    /// q is the Taylor series to r^13 (truncation below 1e-17 relative), written r + r²·Q(r) so the leading
    /// term carries no rounding. Q is evaluated by Estrin's scheme: Horner's chain of 24 dependent operations
    /// made these functions latency-bound.
    @inline(__always)
    private static func reducedExp(_ x: Double4) -> (Double4, Double4) {
        let t = x * log2e + shifter
        let kd = t - shifter
        let r = (x - kd * ln2Hi) - kd * ln2Lo
        let r2 = r * r, r4 = r2 * r2, r8 = r4 * r4
        // Coefficients 1/n! of r^(n−2) in Q, n = 2...13, paired.
        let b0 = 1.0 / 2 + r * (1.0 / 6), b1 = 1.0 / 24 + r * (1.0 / 120)
        let b2 = 1.0 / 720 + r * (1.0 / 5_040), b3 = 1.0 / 40_320 + r * (1.0 / 362_880)
        let b4 = 1.0 / 3_628_800 + r * (1.0 / 39_916_800), b5 = 1.0 / 479_001_600 + r * (1.0 / 6_227_020_800)
        let q = (b0 + r2 * b1) + r4 * (b2 + r2 * b3) + r8 * (b4 + r2 * b5)
        let k = unsafeBitCast(t, to: SIMD4<Int64>.self) &- shifterBits
        let s = unsafeBitCast((k &+ 1023) &<< 52, to: Double4.self)
        return (s, r + r2 * q)
    }

    /// Applies `vector` to every element with |x| < limit and `scalar` to the others (large values, NaN).
    @inline(__always)
    private static func map(_ p: UnsafeMutablePointer<Double>, _ count: Int, limit: Double, scalar: (Double) -> Double,
                            _ vector: (Double4) -> Double4) {
        // One call site for `vector`, so that the optimiser inlines it; iterations are independent, so the
        // out-of-order core overlaps them (one waits on a division while the next computes its polynomial).
        var i = 0
        while i < count {
            let n = min(4, count - i)
            var x = Double4(repeating: 0)
            if n == 4 { x = load4(p + i) } else { for l in 0..<n { x[l] = p[i + l] } }
            let inside = (x .< limit) .& (x .> -limit)
            let ok = all(inside)
            var y = vector(ok ? x : x.replacing(with: 0, where: .!inside))
            if !ok { for l in 0..<4 where !inside[l] { y[l] = scalar(x[l]) } }
            if n == 4 { store4(y, p + i) } else { for l in 0..<n { p[i + l] = y[l] } }
            i += 4
        }
    }
}
