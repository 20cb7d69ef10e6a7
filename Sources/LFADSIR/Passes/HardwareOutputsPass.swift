/// Keeps the outputs the FPGA design produces — the primary output (rates or log-rates) plus any listed
/// by name — and removes every node nothing needs any more. LFADS exports carry diagnostic outputs
/// (posterior standard deviations, controller outputs) that closed-loop hardware does not stream out.
/// A posterior-mean design reads no log-variance: the mean sample loses its logvar operand and the controller
/// its co_logvar layer, so ic_logvar/co_logvar are neither estimated, simulated nor emitted unless a kept
/// output (e.g. `ic_std`) needs them.
public struct HardwareOutputsPass: Pass {
    public var name: String { "hardware-outputs" }
    public var summary: String { "keep the primary output (and chosen extras), drop nodes nothing needs" }

    /// Extra outputs to keep, by value name or by the lfads-torch name's suffix (`factors`).
    public var keep: [String]

    public init(keep: [String] = []) { self.keep = keep }

    public func run(_ graph: Graph) throws -> Graph {
        guard let primary = graph.primaryOutput else { throw IRError.invalid("graph '\(graph.name)' has no outputs") }
        var outputs = [primary]
        for wanted in keep {
            guard let match = graph.outputs.first(where: { $0 == wanted || $0.hasSuffix("." + wanted) }) else {
                throw IRError.invalid("hardware-outputs: no output named '\(wanted)' (outputs: \(graph.outputs.joined(separator: ", ")))")
            }
            if !outputs.contains(match) { outputs.append(match) }
        }
        // Walk producers backwards from the kept outputs; inputs always stay (they define the data layout).
        var needed = Set(outputs)
        var kept: [Node] = []
        for var node in graph.nodes.reversed() {
            let isInput: Bool
            if case .input = node.op { isInput = true } else { isInput = false }
            guard isInput || node.results.contains(where: { needed.contains($0.name) }) else { continue }
            if case .sample(.mean) = node.op, node.operands.count > 1 { node.operands = [node.operands[0]] }
            needed.formUnion(node.operands)
            kept.append(node)
        }
        var g = graph
        g.nodes = kept.reversed().map { Self.dropUnusedControllerStd($0, needed: needed) }
        g.outputs = outputs
        return g
    }

    /// The controller's output standard deviation only matters for sampling; at inference with the posterior
    /// mean nothing downstream reads it unless it is a kept output.
    static func dropUnusedControllerStd(_ node: Node, needed: Set<String>) -> Node {
        guard case .decoder(var d) = node.op, d.controller?.coLogvar != nil, d.controller?.sampleSeed == nil,
              let std = node.results.first(where: { $0.name.hasSuffix(".co_stds") }), !needed.contains(std.name) else { return node }
        d.controller?.coLogvar = nil
        var n = node
        n.op = .decoder(d)
        n.results.removeAll { $0.name == std.name }
        return n
    }
}
