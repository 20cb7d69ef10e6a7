/// Errors of the bit-accurate simulator and the HLS emitter (they share one lowering). One line each,
/// naming the layer and the problem.
public enum HardwareError: Error, Equatable, CustomStringConvertible {
    /// A node lacks the precision the hardware needs (the quantisation pass has not run on it).
    case missingPrecision(String)
    /// An op, function or type the hardware path does not implement.
    case unsupported(String)
    /// Inputs given to `run` do not match the graph.
    case invalidInput(String)
    /// The emitted design breaks a scheduling rule (ScheduleLint): a bug in lfadsc, never a slow design.
    case lint(String)

    public var description: String {
        switch self {
        case .missingPrecision(let m): return "missing precision: \(m)"
        case .unsupported(let m): return "unsupported: \(m)"
        case .invalidInput(let m): return "invalid input: \(m)"
        case .lint(let m): return "internal error (emitted design breaks a scheduling rule): \(m)"
        }
    }
}
