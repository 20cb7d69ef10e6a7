import Foundation

/// exp, the logistic sigmoid and tanh over buffers, four values at a time. The C library's scalar calls were a
/// third of the float simulation; these stay within 3 ulp of them. Each element's result depends on its
/// own value only (never on its neighbours in the buffer), so batching does not change any bit.
///
/// All three reduce y = (32e + j)·ln 2/32 + r with |r| ≤ ln 2/64, so that e^y = 2^e · 2^(j/32) · e^r and e^r − 1
/// needs its Taylor series only to r^6 (truncation below 4e-18). 2^(j/32) is kept as a double-double (hi + lo),
/// which keeps e^y − 1 accurate near 0 as tanh needs.
enum VectorMath {
    /// exp in place.
    static func exp(_ p: UnsafeMutablePointer<Double>, count: Int) {
        map(p, count, limit: 700, scalar: Foundation.exp) { x in
            let (hi, lo, q) = reduced(x)
            return hi + (lo + hi * q)
        }
    }

    /// 1 / (1 + e^−x) in place (the formula the scalar path uses).
    static func sigmoid(_ p: UnsafeMutablePointer<Double>, count: Int) {
        map(p, count, limit: 700, scalar: { 1 / (1 + Foundation.exp(-$0)) }) { x in
            let (hi, lo, q) = reduced(-x)
            return 1 / (1 + (hi + (lo + hi * q)))
        }
    }

    /// tanh in place: with m = e^(−2|x|) − 1, tanh|x| = −m / (2 + m). Beyond |x| = 20 the scalar call (which
    /// returns ±1 there) takes over.
    static func tanh(_ p: UnsafeMutablePointer<Double>, count: Int) {
        map(p, count, limit: 20, scalar: Foundation.tanh) { x in
            let bits = unsafeBitCast(x, to: SIMD4<UInt64>.self)
            let sign = bits & 0x8000_0000_0000_0000
            let a = unsafeBitCast(bits & 0x7FFF_FFFF_FFFF_FFFF, to: Double4.self)
            let (hi, lo, q) = reduced(-2 * a)
            // hi − 1 is exact for hi ≥ 1/2 (and m ≤ −1/2 otherwise), so m keeps its relative accuracy near 0.
            let m = (hi - 1) + (lo + hi * q)
            let t = -m / (2 + m)
            // t ≥ 0 (−m of m = 0 is −0, so clear the sign first); then take x's sign.
            return unsafeBitCast((unsafeBitCast(t, to: SIMD4<UInt64>.self) & 0x7FFF_FFFF_FFFF_FFFF) | sign, to: Double4.self)
        }
    }

    // ln 2 = ln2Hi + ln2Lo with the low 21 bits of ln2Hi zero, so k·ln2Hi/32 is exact for the k used here.
    private static let ln2Hi = 0x1.62e42fee00000p-1
    private static let ln2Lo = 0x1.a39ef35793c76p-33
    private static let log2e = 0x1.71547652b82fep0
    /// 1.5·2^52: adding it rounds to an integer held in the low mantissa bits.
    private static let shifter = 0x1.8p52
    private static let shifterBits = Int64(bitPattern: 0x1.8p52.bitPattern)

    /// 2^(j/32) rounded to Double, and the rounding error (computed with Python's decimal module at 60 digits).
    private static let powersHi: [Double] = [
        0x1.0000000000000p+0, 0x1.059b0d3158574p+0, 0x1.0b5586cf9890fp+0, 0x1.11301d0125b51p+0,
        0x1.172b83c7d517bp+0, 0x1.1d4873168b9aap+0, 0x1.2387a6e756238p+0, 0x1.29e9df51fdee1p+0,
        0x1.306fe0a31b715p+0, 0x1.371a7373aa9cbp+0, 0x1.3dea64c123422p+0, 0x1.44e086061892dp+0,
        0x1.4bfdad5362a27p+0, 0x1.5342b569d4f82p+0, 0x1.5ab07dd485429p+0, 0x1.6247eb03a5585p+0,
        0x1.6a09e667f3bcdp+0, 0x1.71f75e8ec5f74p+0, 0x1.7a11473eb0187p+0, 0x1.82589994cce13p+0,
        0x1.8ace5422aa0dbp+0, 0x1.93737b0cdc5e5p+0, 0x1.9c49182a3f090p+0, 0x1.a5503b23e255dp+0,
        0x1.ae89f995ad3adp+0, 0x1.b7f76f2fb5e47p+0, 0x1.c199bdd85529cp+0, 0x1.cb720dcef9069p+0,
        0x1.d5818dcfba487p+0, 0x1.dfc97337b9b5fp+0, 0x1.ea4afa2a490dap+0, 0x1.f50765b6e4540p+0,
    ]
    private static let powersLo: [Double] = [
        0x0.0p+0, 0x1.d73e2a475b465p-55, 0x1.8a62e4adc610bp-54, -0x1.6c51039449b3ap-54,
        -0x1.19041b9d78a76p-55, 0x1.e016e00a2643cp-54, 0x1.9b07eb6c70573p-54, 0x1.612e8afad1255p-55,
        0x1.6f46ad23182e4p-55, -0x1.63aeabf42eae2p-54, 0x1.ada0911f09ebcp-55, 0x1.89b7a04ef80d0p-59,
        0x1.d4397afec42e2p-56, -0x1.07abe1db13cadp-55, 0x1.6324c054647adp-54, -0x1.383c17e40b497p-54,
        -0x1.bdd3413b26456p-54, -0x1.16e4786887a99p-55, -0x1.41577ee04992fp-55, -0x1.d4c1dd41532d8p-54,
        0x1.6e9f156864b27p-54, -0x1.75fc781b57ebcp-57, 0x1.c7c46b071f2bep-56, -0x1.d2f6edb8d41e1p-54,
        0x1.7a1cd345dcc81p-54, -0x1.5584f7e54ac3bp-56, 0x1.11065895048ddp-55, 0x1.503cbd1e949dbp-56,
        0x1.2ed02d75b3707p-55, -0x1.1a5cd4f184b5cp-54, -0x1.e9c23179c2893p-54, 0x1.9d3e12dd8a18bp-54,
    ]

    /// e^y = (hi + lo)·(1 + q) for |y| ≤ 700: hi + lo = 2^e·2^(j/32), q = e^r − 1 (r + r²·Q(r), the leading
    /// term without rounding).
    @inline(__always)
    private static func reduced(_ y: Double4) -> (Double4, Double4, Double4) {
        let t = y * (32 * log2e) + shifter
        let kd = t - shifter
        let r = (y - kd * (ln2Hi / 32)) - kd * (ln2Lo / 32)
        let k = unsafeBitCast(t, to: SIMD4<Int64>.self) &- shifterBits
        let j = k & 31, e = k &>> 5
        let (tHi, tLo) = powersHi.withUnsafeBufferPointer { h in
            powersLo.withUnsafeBufferPointer { l in
                (Double4(h[Int(j[0])], h[Int(j[1])], h[Int(j[2])], h[Int(j[3])]),
                 Double4(l[Int(j[0])], l[Int(j[1])], l[Int(j[2])], l[Int(j[3])]))
            }
        }
        // Adding e to the exponent field of 2^(j/32) ∈ [1, 2) multiplies it by 2^e (normal results only).
        let hi = unsafeBitCast(unsafeBitCast(tHi, to: SIMD4<Int64>.self) &+ (e &<< 52), to: Double4.self)
        let lo = tLo * unsafeBitCast((e &+ 1023) &<< 52, to: Double4.self)
        let r2 = r * r
        let low: Double4 = 0.5 + r * (1.0 / 6)
        let high: Double4 = (1.0 / 24 + r * (1.0 / 120)) + r2 * (1.0 / 720)
        let q: Double4 = r + r2 * (low + r2 * high)
        return (hi, lo, q)
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
