// `--posterior average:N` on raw codes: y = (T)(Σ_s x_s · R), R = round(2^24 / N) / 2^24, the sum exact in a type
// ⌈log2 N⌉ bits wider than T and one cast of the exact product to T. For N a power of two R = 2^-k exactly, so y
// is T's cast of the exact mean; otherwise R is within 2^-25 of 1/N. The emitted average process (HLS/
// DataflowEmitter) prints the same sum type, R and assignment.
import LFADSIR

public struct PosteriorAverage: Hashable, Sendable {
    /// Fraction bits of the reciprocal R.
    public static let reciprocalFraction = 24
    public let samples: Int

    public init(samples: Int) { self.samples = samples }

    /// round(2^24 / N), half up.
    public var reciprocalRaw: Int64 {
        let n = Int64(samples)
        return ((Int64(1) << Self.reciprocalFraction) + n / 2) / n
    }

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

    /// The average of N samples' codes of one tensor of type `t`, element by element.
    public func average(_ samples: [[Int64]], type t: FixedType, overflows: inout Int) -> [Int64] {
        guard let first = samples.first else { return [] }
        var out = [Int64](repeating: 0, count: first.count)
        let r = Int128(reciprocalRaw)
        for i in out.indices {
            var sum: Int64 = 0
            for s in samples { sum &+= s[i] }
            let c = t.cast(raw: Int128(sum) * r, fraction: t.fraction + Self.reciprocalFraction)
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
