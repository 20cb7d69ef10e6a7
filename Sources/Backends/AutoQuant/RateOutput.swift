import Foundation
import LFADSIR

/// Which model output the search scores, and how its values become Poisson rates per bin.
public enum RateOutput: Hashable, Sendable, CustomStringConvertible {
    /// The value is already a rate in counts per bin (lfads-torch `output_params`).
    case rates(value: String)
    /// The value is a log-rate in 1/s; rate per bin = exp(value)·binSeconds (the QKeras template:
    /// log-rate per bin = log(0.01) + logf, i.e. 10 ms bins).
    case logRates(value: String, binSeconds: Double)

    /// The template's bin width.
    public static let defaultBinSeconds = 0.01

    /// `output_params` when the graph has it, else the primary output read as log-rates in 1/s.
    public static func detect(_ graph: Graph, binSeconds: Double = defaultBinSeconds) throws -> RateOutput {
        if let v = graph.outputs.first(where: { Simulation.outputName($0) == "output_params" }) { return .rates(value: v) }
        guard let primary = graph.primaryOutput else { throw IRError.invalid("auto precision: graph '\(graph.name)' has no outputs") }
        return .logRates(value: primary, binSeconds: binSeconds)
    }

    public var value: String {
        switch self {
        case .rates(let v), .logRates(let v, _): return v
        }
    }

    public var description: String {
        switch self {
        case .rates(let v): return "\(v) (counts per bin)"
        case .logRates(let v, let b): return "exp(\(v))·\(b) s (log-rates in 1/s)"
        }
    }

    /// Rates per bin from the output's values.
    public func rates(_ values: [Double]) -> [Double] {
        switch self {
        case .rates: return values
        case .logRates(_, let b): return values.map { Foundation.exp($0) * b }
        }
    }
}
