// Lowering of a gaussian posterior sample (mean + exp(logvar/2)·ε) to a SampleStage.
import LFADSIR

extension HardwarePlan {
    static func sample(name: String, seed: UInt64, varianceFloor: Double = 0, _ p: SamplePrecision, mean: (Int, FixedType), logvar: (Int, FixedType),
                       context: String, output: () -> Int) throws -> SampleStage {
        for (t, what) in [(mean.1, "mean"), (logvar.1, "logvar"), (p.std.result, "std"), (p.epsilon, "epsilon"), (p.result, "result")] {
            try TypeLimits.check(t, "\(context) \(what)")
        }
        guard p.std.table != nil else { throw HardwareError.missingPrecision("\(context): sample has no exp table for its std") }
        // logvar/2 is logvar's code read with one more fraction bit.
        let l = logvar.1
        let half = try FixedType(width: l.width, integer: l.integer - 1, signed: l.signed, quantization: l.quantization,
                                 overflow: l.overflow, saturationBits: l.saturationBits)
        // std = exp(logvar/2) without a floor; sqrt(exp(logvar) + floor) read at logvar/2 with one.
        let std = varianceFloor == 0
            ? try ElementFunction.make(Activation(.exp), table: p.std.table, input: half, output: p.std.result, context: "\(context) std")
            : try ElementFunction.posteriorStd(floor: varianceFloor, table: p.std.table, input: half, output: p.std.result, context: "\(context) std")
        return SampleStage(name: name, mean: mean.0, logvar: logvar.0, output: output(), seed: seed, std: std, epsilon: p.epsilon,
                           result: p.result)
    }
}
