// The sample stage on raw codes: y = (result)(mean + std·ε), one cast of the exact expression, where
// std = exp table at logvar/2 and ε = the lane's next draw of the on-chip source cast to the epsilon type.
import LFADSIR

extension FixedSimulator {
    func runSample(_ s: SampleStage, mean: [Int64], logvar: [Int64], trial: UInt64, _ overflows: inout Int) -> [Int64] {
        let t = plan.tensors[s.output]
        let fm = plan.tensors[s.mean].type.fraction
        var lanes = (0..<t.width).map { HardwareGaussian(seed: s.seed, trial: trial, lane: UInt64($0)) }
        var y = [Int64](repeating: 0, count: t.count)
        for step in 0..<t.steps {
            for j in 0..<t.width {
                let i = step * t.width + j
                let std = s.std.apply(logvar[i], overflows: &overflows)
                let eps = lanes[j].next(in: s.epsilon, overflows: &overflows)
                y[i] = Self.sampled(mean: mean[i], meanFraction: fm, std: std, stdFraction: s.std.output.fraction, epsilon: eps,
                                    epsilonFraction: s.epsilon.fraction, result: s.result, &overflows)
            }
        }
        return y
    }

    /// (result)(mean + std·ε): one cast of the exact expression (the initial condition's and the controller's samples).
    static func sampled(mean: Int64, meanFraction fm: Int, std: Int64, stdFraction: Int, epsilon: Int64, epsilonFraction: Int,
                        result: FixedType, _ overflows: inout Int) -> Int64 {
        let fp = stdFraction + epsilonFraction, f = max(fm, fp)
        let exact = (Int128(mean) << (f - fm)) + ((Int128(std) * Int128(epsilon)) << (f - fp))
        let c = result.cast(raw: exact, fraction: f)
        if c.overflowed { overflows += 1 }
        return c.raw
    }
}
