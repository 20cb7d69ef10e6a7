// The on-chip Gaussian source: integer arithmetic only, mirrored statement for statement by the C++ of
// HardwareGaussianCpp (firmware/layers/lfads_gauss.h), so the simulator and the C simulation draw the same bits.
//
// Uniform words: xoshiro128** (Blackman and Vigna 2018), 128 bits of state per lane, one 32-bit word per cycle;
// its ×5 and ×9 are a shift and an add, so a lane needs no multiplier. Seeding (once per lane per trial) runs the
// SplitMix64 finaliser over (seed, trial, lane), so trial i of a run is reproducible on its own.
//
// Normal transform: a piecewise-linear inverse CDF with octave segmentation. The word's top bit is the sign; the
// other 31 bits v give the tail probability p = v / 2^32 of |z|. The leading-zero count k of v (0…30) picks an
// octave p ∈ [2^-(k+2), 2^-(k+1)), the next 4 bits one of 16 segments, the following 12 bits the position in the
// segment. Each of the 31 · 16 = 496 segments stores Q⁻¹ at its two ends (Q the upper-tail probability) as
// c0 (19-bit unsigned, 16 fraction bits) and the drop d = c0 − Q⁻¹(end) (17 bits): |z| = c0 − (d · frac) >> 12,
// one 17 × 12 product and one 36-bit-wide, 496-deep ROM (one BRAM18). Octaves keep the relative resolution
// constant, so the tail out to Q⁻¹(2^-32) ≈ 6.23σ is interpolated as finely as the centre.
import Foundation
import LFADSIR

public struct HardwareGaussian: Sendable, Equatable {
    /// Fraction bits of the transform's internal result (before the cast to the sample's type).
    public static let fraction = 16
    /// Segments per octave (log2) and interpolation bits.
    public static let segmentBits = 4
    public static let interpolationBits = 12
    public static let octaves = 31
    /// Width of the internal signed result: |z| < 8 with 16 fraction bits, plus the sign.
    public static let resultWidth = 20

    private var s0: UInt32, s1: UInt32, s2: UInt32, s3: UInt32

    /// Lane `lane` of trial `trial` for run seed `seed`.
    public init(seed: UInt64, trial: UInt64, lane: UInt64) {
        var x = HardwareGaussian.mix(seed &+ 0x9E37_79B9_7F4A_7C15 &* (trial &+ 1))
        x = HardwareGaussian.mix(x &+ 0xD1B5_4A32_D192_ED03 &* (lane &+ 1))
        let a = HardwareGaussian.mix(x &+ 0x9E37_79B9_7F4A_7C15)
        let b = HardwareGaussian.mix(x &+ 0x3C6E_F372_FE94_F82A)
        s0 = UInt32(truncatingIfNeeded: a); s1 = UInt32(truncatingIfNeeded: a >> 32)
        s2 = UInt32(truncatingIfNeeded: b); s3 = UInt32(truncatingIfNeeded: b >> 32)
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }  // the one state xoshiro never leaves
    }

    /// The SplitMix64 finaliser (Steele, Lea, Flood 2014).
    static func mix(_ v: UInt64) -> UInt64 {
        var z = v
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always) static func rotl(_ x: UInt32, _ k: UInt32) -> UInt32 { (x << k) | (x >> (32 - k)) }

    /// Next uniform 32-bit word (xoshiro128**: rotl(s1 · 5, 7) · 9, the products as shift-adds).
    public mutating func nextWord() -> UInt32 {
        let m5 = (s1 << 2) &+ s1
        let r = HardwareGaussian.rotl(m5, 7)
        let result = (r << 3) &+ r
        let t = s1 << 9
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t
        s3 = HardwareGaussian.rotl(s3, 11)
        return result
    }

    /// Next standard normal deviate as a signed raw code with `fraction` (16) fraction bits.
    public mutating func nextRaw16() -> Int64 { HardwareGaussian.transform(nextWord()) }

    /// Next deviate assigned to `type` (the sample's quantisation knob).
    public mutating func next(in type: FixedType, overflows: inout Int) -> Int64 {
        let c = type.cast(raw: nextRaw16(), fraction: HardwareGaussian.fraction)
        if c.overflowed { overflows += 1 }
        return c.raw
    }

    /// The word-to-deviate transform (integer only).
    public static func transform(_ u: UInt32) -> Int64 {
        var v = u & 0x7FFF_FFFF
        if v == 0 { v = 1 }
        var k: UInt32 = 0
        while k < 30 && (v << k) & 0x4000_0000 == 0 { k += 1 }
        let w = (v << k) & 0x7FFF_FFFF
        let seg = (w >> UInt32(26)) & 15
        let frac = Int64((w >> UInt32(26 - interpolationBits)) & 0xFFF)
        let entry = table[Int(k) * 16 + Int(seg)]
        let magnitude = entry.c0 - ((entry.drop * frac) >> interpolationBits)
        return u >> 31 == 1 ? -magnitude : magnitude
    }

    public struct Entry: Sendable, Equatable { public let c0: Int64; public let drop: Int64 }

    /// The 496 segments, p from (16 + seg) · 2^(26−k) / 2^32 to the next segment's start: the line through Q⁻¹ at
    /// the Chebyshev nodes (1 ∓ 1/√2)/2 of the segment (it halves the chord's error on this convex function),
    /// evaluated at both ends and rounded to 16 fraction bits (round half up).
    public static let table: [Entry] = {
        var entries = [Entry]()
        for k in 0..<octaves {
            for seg in 0..<16 {
                let scale = pow(2.0, Double(26 - k) - 32)
                let (t1, t2) = ((1 - 0.5.squareRoot()) / 2, (1 + 0.5.squareRoot()) / 2)
                let z1 = upperQuantile((Double(16 + seg) + t1) * scale)
                let z2 = upperQuantile((Double(16 + seg) + t2) * scale)
                let slope = (z2 - z1) / (t2 - t1)
                let c0 = Int64(((z1 - slope * t1) * 65536 + 0.5).rounded(.down))
                let c1 = Int64(((z1 + slope * (1 - t1)) * 65536 + 0.5).rounded(.down))
                entries.append(Entry(c0: c0, drop: c0 - c1))
            }
        }
        return entries
    }()

    /// Q⁻¹(p) = z with P(Z > z) = p, for 0 < p ≤ ½: Acklam's rational approximation refined by Newton steps on
    /// erfc (relative error far below the table's 2^-16 resolution).
    static func upperQuantile(_ p: Double) -> Double {
        if p >= 0.5 { return 0 }
        var z: Double
        if p < 0.02425 {
            let q = (-2 * log(p)).squareRoot()
            let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
                     4.374664141464968e+00, 2.938163982698783e+00]
            let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
            z = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else {
            let q = p - 0.5, r = q * q
            let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
                     -3.066479806614716e+01, 2.506628277459239e+00]
            let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                     -1.328068155288572e+01]
            z = -(((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        }
        for _ in 0..<3 {  // Newton on Q(z) − p: Q'(z) = −φ(z)
            let e = 0.5 * erfc(z / 2.0.squareRoot()) - p
            z += e / (exp(-z * z / 2) / (2 * Double.pi).squareRoot())
        }
        return z
    }
}
