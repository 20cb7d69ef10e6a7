// What one simulated trial gives back: every output's raw codes with its type, and per-tensor statistics
// (overflow counts, value range) for `--report overflow`.
import LFADSIR

/// Raw codes of one tensor and their type.
public struct FixedTensor: Hashable, Sendable {
    public let type: FixedType
    public let raw: [Int64]
    public let steps: Int
    public let width: Int

    public var doubles: [Double] { raw.map { type.double(raw: $0) } }

    /// The values as one line of exact decimals (the .dat / C-simulation text format).
    public var text: String { ExactDecimal.line(raws: raw, fraction: type.fraction) }
}

/// Overflow and range of one tensor during a trial. `overflows` counts every cast producing this tensor
/// (including the layer's internal accumulators, products and gates) whose overflow mode had to act.
public struct TensorStats: Hashable, Sendable {
    public var overflows: Int = 0
    public var minimum: Double = .infinity
    public var maximum: Double = -.infinity

    mutating func merge(_ other: TensorStats) {
        overflows += other.overflows
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
    }
}

public struct FixedSimResult: Hashable, Sendable {
    /// Graph outputs by value name.
    public let outputs: [String: FixedTensor]
    /// Statistics of every tensor by value name.
    public let stats: [String: TensorStats]
    /// The primary output's name.
    public let primary: String

    public var doubles: [String: [Double]] { outputs.mapValues(\.doubles) }

    public var primaryOutput: FixedTensor? { outputs[primary] }

    /// Statistics summed over trials (min/max over all of them).
    public static func mergedStats(_ results: [FixedSimResult]) -> [String: TensorStats] {
        var merged = [String: TensorStats]()
        for r in results { for (k, v) in r.stats { merged[k, default: TensorStats()].merge(v) } }
        return merged
    }
}
