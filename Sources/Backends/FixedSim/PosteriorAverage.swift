// `--posterior average:N` on raw codes: y = (T)(Σ_s x_s · R), the sum exact in a type ⌈log2 N⌉ bits wider than T,
// R = round(2^F / N) / 2^F with F = max(24, sum width + 2) fraction bits, and one cast of the exact product to T.
// For N a power of two R = 2^-k exactly, so y is T's cast of the exact mean; otherwise |sum · R − sum / N| is below
// 2^-3 of T's LSB, so y is within one LSB of that cast (it can land one LSB apart where the exact mean sits on or
// next to a rounding boundary, e.g. identical samples under AP_TRN). The emitted average process
// (HLS/DataflowEmitter) prints the same sum type, R and assignment.
import LFADSIR

public struct PosteriorAverage: Hashable, Sendable {
    public let samples: Int

    public init(samples: Int) { self.samples = samples }

    /// Bits the sum of N values needs above one value's.
    public var growthBits: Int {
        var b = 0
        while (1 << b) < samples { b += 1 }
        return b
    }

    /// The exact sum's type: T widened by `growthBits` integer bits (it never overflows, so its modes do not act).
    public func sumType(_ t: FixedType) throws -> FixedType {
        try FixedType(width: t.width + growthBits, integer: t.integer + growthBits, signed: t.signed)
    }

    /// Fraction bits of R for outputs of type `t`: two more than the sum's width (at most 32 + 10 + 2).
    public func reciprocalFraction(_ t: FixedType) -> Int { max(24, t.width + growthBits + 2) }

    /// round(2^F / N), half up.
    public func reciprocalRaw(_ t: FixedType) -> Int64 {
        let n = Int64(samples)
        return ((Int64(1) << reciprocalFraction(t)) + n / 2) / n
    }

    /// R's C++ type: ap_ufixed<F + 1, 1> (one integer bit holds R = 1 for N = 1).
    public func reciprocalType(_ t: FixedType) -> String { "ap_ufixed<\(reciprocalFraction(t) + 1), 1>" }

    /// The average of N samples' codes of one tensor of type `t`, element by element.
    public func average(_ samples: [[Int64]], type t: FixedType, overflows: inout Int) -> [Int64] {
        guard let first = samples.first else { return [] }
        var out = [Int64](repeating: 0, count: first.count)
        let r = Int128(reciprocalRaw(t)), f = t.fraction + reciprocalFraction(t)
        for i in out.indices {
            var sum: Int64 = 0
            for s in samples { sum &+= s[i] }
            let c = t.cast(raw: Int128(sum) * r, fraction: f)
            if c.overflowed { overflows += 1 }
            out[i] = c.raw
        }
        return out
    }

    /// One trial's result from its N samples' results: outputs in `sampled` (value names) averaged, the others
    /// taken from the first sample (they do not depend on the noise); statistics summed over the samples.
    public func combine(_ runs: [FixedSimResult], sampled: Set<String>) -> FixedSimResult {
        guard let first = runs.first else { preconditionFailure("PosteriorAverage: no samples") }
        var stats = FixedSimResult.mergedStats(runs)
        var outputs = first.outputs
        for (name, t) in first.outputs where sampled.contains(name) {
            var overflows = 0
            let raw = average(runs.map { $0.outputs[name]?.raw ?? [] }, type: t.type, overflows: &overflows)
            outputs[name] = FixedTensor(type: t.type, raw: raw, steps: t.steps, width: t.width)
            stats[name, default: TensorStats()].overflows += overflows
        }
        return FixedSimResult(outputs: outputs, stats: stats, primary: first.primary)
    }
}
