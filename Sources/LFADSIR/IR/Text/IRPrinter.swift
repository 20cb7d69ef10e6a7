import Foundation

/// How `IRPrinter` writes weight tensors.
public enum IRWeightsMode: Sendable {
    /// Every value, in the shortest form that reads back to the same Double: the text parses.
    case full
    /// One line per tensor with its shape, min, max and mean, for reading; `IRParser` rejects it.
    case summary
}

/// Writes a graph as IR text:
///
///     lfadsir 1
///     graph "name"
///     meta key = "value"
///     trials_in_flight 3          (only when not 1)
///     %node = op(%operand, ...) { key = value, ... } : type, ...
///     output %value
///     tensor @node.kernel : 192x70 = [ ... ]
///
/// Attribute dictionaries stay on one line when short and break one entry per line otherwise;
/// weights follow the graph as named tensors so the node lines stay readable.
public enum IRPrinter {
    static let valuesPerLine = 8
    static let inlineWidth = 100

    public static func print(_ graph: Graph, weights: IRWeightsMode = .full) -> String {
        var out = "lfadsir 1\ngraph \(quoteString(graph.name))\n"
        for key in graph.metadata.keys.sorted() {
            out += "meta \(metaKey(key)) = \(quoteString(graph.metadata[key] ?? ""))\n"
        }
        if graph.trialsInFlight != 1 { out += "trials_in_flight \(graph.trialsInFlight)\n" }
        if graph.posteriorSamples != 1 { out += "posterior_samples \(graph.posteriorSamples)\n" }
        var encoding = OpEncoding()
        for node in graph.nodes {
            let attrs = encoding.encode(node)
            let head = "%\(node.name) = \(node.op.mnemonic)(\(node.operands.map { "%\($0)" }.joined(separator: ", ")))"
            out += head
            if !attrs.isEmpty { out += " " + render(.dict(attrs), indent: 0, lead: head.count + 1) }
            out += " : \(node.results.map(\.type.description).joined(separator: ", "))\n"
        }
        for o in graph.outputs { out += "output %\(o)\n" }
        for t in encoding.encoder.tensors {
            out += "tensor @\(t.name) : \(t.shape.map(String.init).joined(separator: "x"))"
            switch weights {
            case .full: out += " = " + values(t.values)
            case .summary: out += " " + summary(t.values)
            }
            out += "\n"
        }
        return out
    }

    /// Metadata keys print bare when they are plain words, quoted otherwise.
    private static func metaKey(_ k: String) -> String {
        let plain = !k.isEmpty && k.unicodeScalars.allSatisfy { $0.value > 32 && $0.value < 127 && !"%@\"{}[](),=:#<>".unicodeScalars.contains($0) }
        return plain ? k : quoteString(k)
    }

    /// `lead` is how far into its line the value starts after the indentation; it counts toward the inline width.
    static func render(_ a: Attr, indent: Int, lead: Int = 0) -> String {
        switch a {
        case .word(let w): return w
        case .string(let s): return quoteString(s)
        case .fixed(let t): return t.description
        case .tensor(let n): return "@\(n)"
        case .dict(let entries):
            if entries.isEmpty { return "{}" }
            let inline = "{ " + entries.map { "\($0.key) = \(render($0.value, indent: Int.max / 2))" }.joined(separator: ", ") + " }"
            if indent >= Int.max / 2 || indent + lead + inline.count <= inlineWidth { return inline }
            let pad = String(repeating: " ", count: indent + 2)
            let body = entries.map { "\(pad)\($0.key) = \(render($0.value, indent: indent + 2, lead: $0.key.count + 3))" }.joined(separator: ",\n")
            return "{\n\(body)\n\(String(repeating: " ", count: indent))}"
        }
    }

    private static func values(_ v: [Double]) -> String {
        if v.isEmpty { return "[]" }
        var out = "[\n"
        var i = 0
        while i < v.count {
            let end = min(i + valuesPerLine, v.count)
            out += "  " + v[i..<end].map(formatDouble).joined(separator: " ") + "\n"
            i = end
        }
        return out + "]"
    }

    private static func summary(_ v: [Double]) -> String {
        guard let lo = v.min(), let hi = v.max() else { return "summary empty" }
        let mean = v.reduce(0, +) / Double(v.count)
        func g(_ x: Double) -> String { String(format: "%.6g", x) }
        return "summary min=\(g(lo)) max=\(g(hi)) mean=\(g(mean))"
    }
}
