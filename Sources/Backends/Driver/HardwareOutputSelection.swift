import Foundation
import LFADSIR

/// `--outputs` / lfadsc.json `"outputs"`: the graph outputs the hardware keeps besides the primary one, named as
/// the float path writes them (`Simulation.outputName`: `factors`, `co_means`, `gen_states`, ...). `rates` (or the
/// primary's own name, `output_params` / `logrates`) names the primary output, which is always kept and first.
public enum HardwareOutputSelection {
    /// The graph values for `names`, in the order given, the primary left out (the pass keeps it first).
    /// An unknown name fails with the list of names this model offers.
    public static func values(for names: [String], in graph: Graph) throws -> [String] {
        guard !names.isEmpty else { return [] }
        guard let primary = graph.primaryOutput else { throw IRError.invalid("graph '\(graph.name)' has no outputs") }
        var values: [String] = []
        for name in names {
            if name == "rates" || name == Simulation.outputName(primary) || name == primary { continue }
            guard let value = graph.outputs.first(where: { $0 == name || Simulation.outputName($0) == name }) else {
                throw OutputSelectionError(message: "--outputs: the model has no output '\(name)' (available: \(available(graph).joined(separator: ", ")))")
            }
            if !values.contains(value) { values.append(value) }
        }
        return values
    }

    /// The names `values(for:in:)` accepts for this model: `rates`, then every output's float-path name.
    public static func available(_ graph: Graph) -> [String] {
        ["rates"] + graph.outputs.filter { $0 != graph.primaryOutput }.map(Simulation.outputName)
    }

    /// A comma-separated flag value as names (empty pieces are an error).
    public static func parse(_ text: String) throws -> [String] {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) }
        guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty }) else {
            throw OutputSelectionError(message: "--outputs: expected comma-separated output names, e.g. 'rates,factors,co_means', got '\(text)'")
        }
        return names
    }
}

/// A bad `--outputs` / `"outputs"` value: the message names the flag and what is available.
public struct OutputSelectionError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
