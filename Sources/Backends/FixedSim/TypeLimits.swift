// Bounds that keep every exact intermediate of the simulator inside Int128 (products of two codes, the GRU
// state update's two products aligned to one fraction). The emitted C++ has no such limit (ap_fixed
// intermediates grow as needed), so these are checked once, when a graph is lowered.
import LFADSIR

enum TypeLimits {
    /// Data, weight, state and table types.
    static let maxDataWidth = 32
    /// Accumulators.
    static let maxAccumWidth = 48
    static let fractionRange = 0...40

    static func check(_ type: FixedType, accum: Bool = false, _ context: @autoclosure () -> String) throws {
        let limit = accum ? maxAccumWidth : maxDataWidth
        guard type.width <= limit, fractionRange.contains(type.fraction) else {
            throw HardwareError.unsupported("\(context()): type \(type) needs width ≤ \(limit) and \(fractionRange.lowerBound)...\(fractionRange.upperBound) fraction bits")
        }
    }
}
