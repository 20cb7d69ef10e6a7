import Foundation

/// The documented noise source of `sample(gaussian(seed))`: SplitMix64 (Steele, Lea, Flood 2014) for uniform
/// 64-bit words, Box–Muller for normals (both outputs of a pair used, cosine first).
/// A trial's stream is seeded with `seed &+ trial &* 0x9E3779B97F4A7C15`, so batch results do not depend on
/// the order or thread in which trials run.
public struct GaussianSource: Sendable {
    private var state: UInt64
    private var spare: Double?

    public init(seed: UInt64, trial: Int = 0) {
        state = seed &+ UInt64(truncatingIfNeeded: trial) &* 0x9E37_79B9_7F4A_7C15
    }

    public mutating func nextWord() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Standard normal deviate.
    public mutating func next() -> Double {
        if let s = spare { spare = nil; return s }
        // u1 in (0, 1] keeps the logarithm finite; u2 in [0, 1).
        let u1 = (Double(nextWord() >> 11) + 1) * 0x1p-53
        let u2 = Double(nextWord() >> 11) * 0x1p-53
        let radius = (-2 * log(u1)).squareRoot()
        spare = radius * sin(2 * Double.pi * u2)
        return radius * cos(2 * Double.pi * u2)
    }
}
