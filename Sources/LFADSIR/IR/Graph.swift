/// A named, typed value produced by a node.
public struct Value: Hashable, Sendable {
    public var name: String
    public var type: ValueType
    public init(name: String, type: ValueType) {
        self.name = name
        self.type = type
    }
}

/// One operation applied to named operands. `name` is the layer name from the source model;
/// results are `name` (single result) or `name.suffix` (the decoder's several results).
public struct Node: Hashable, Sendable {
    public var name: String
    public var op: Op
    public var operands: [String]
    public var results: [Value]

    public init(name: String, op: Op, operands: [String], results: [Value]) {
        self.name = name
        self.op = op
        self.operands = operands
        self.results = results
    }
}

/// An LFADS model: nodes in topological order, named outputs, and provenance metadata.
/// The primary output is what `.dat` files and the C-simulation harness carry (rates or log-rates), followed by any `--outputs`.
public struct Graph: Hashable, Sendable {
    public var name: String
    public var nodes: [Node]
    public var outputs: [String]
    /// Free-form provenance (importer, source file, output units); printed, never interpreted by passes.
    public var metadata: [String: String]
    /// Trials one call of the hardware carries (InterleavePass): the recurrences interleave them step by step, every
    /// other process walks them as one longer sequence. 1 for one trial per call.
    public var trialsInFlight = 1

    /// The largest `trialsInFlight` the IR accepts.
    public static let maxTrialsInFlight = 64
    /// Posterior samples averaged per trial (`--posterior average:N`, PosteriorSamplePass): every output that
    /// depends on a sample is the mean of N samples, sample s of trial i drawing streams i·N + s. 1: one sample.
    public var posteriorSamples = 1

    /// The largest `posteriorSamples` the IR accepts.
    public static let maxPosteriorSamples = 1024

    public init(name: String, nodes: [Node] = [], outputs: [String] = [], metadata: [String: String] = [:]) {
        self.name = name
        self.nodes = nodes
        self.outputs = outputs
        self.metadata = metadata
    }

    public var primaryOutput: String? { outputs.first }

    /// Values that depend on a posterior sample (a gaussian sample op, or a decoder whose controller samples):
    /// the ones `posteriorSamples` averages.
    public var sampledValues: Set<String> {
        var sampled = Set<String>()
        for node in nodes {
            var draws = node.operands.contains { sampled.contains($0) }
            if case .sample(.gaussian) = node.op { draws = true }
            if case .decoder(let d) = node.op, d.controller?.sampleSeed != nil { draws = true }
            if draws { for r in node.results { sampled.insert(r.name) } }
        }
        return sampled
    }

    public var inputs: [Value] {
        nodes.compactMap { n in
            if case .input = n.op { return n.results.first }
            return nil
        }
    }

    /// Type of every value by name.
    public var valueTypes: [String: ValueType] {
        var types = [String: ValueType]()
        for n in nodes { for r in n.results { types[r.name] = r.type } }
        return types
    }

    public func node(named name: String) -> Node? { nodes.first { $0.name == name } }

    /// The node producing a value, and the result index.
    public func producer(of value: String) -> (node: Node, index: Int)? {
        for n in nodes { if let i = n.results.firstIndex(where: { $0.name == value }) { return (n, i) } }
        return nil
    }
}

/// Builds a graph node by node, checking operand existence and shapes as it goes.
public struct GraphBuilder {
    public private(set) var graph: Graph
    private var types: [String: ValueType] = [:]

    public init(name: String, metadata: [String: String] = [:]) {
        graph = Graph(name: name, metadata: metadata)
    }

    /// Appends a node and returns its results' names.
    @discardableResult
    public mutating func add(_ name: String, _ op: Op, _ operands: [String] = []) throws -> [String] {
        guard isValidName(name) else { throw IRError.invalid("bad layer name '\(name)'") }
        let operandTypes = try operands.map { o -> ValueType in
            guard let t = types[o] else { throw IRError.invalid("layer '\(name)' uses unknown value '\(o)'") }
            return t
        }
        let resultTypes: [ValueType]
        do { resultTypes = try op.resultTypes(operandTypes) } catch let e as IRError {
            if case .invalid(let m) = e { throw IRError.invalid("layer '\(name)': \(m)") }
            throw e
        }
        let results = zip(op.resultSuffixes, resultTypes).map { suffix, type in
            Value(name: suffix.isEmpty ? name : "\(name).\(suffix)", type: type)
        }
        for r in results where types[r.name] != nil { throw IRError.invalid("duplicate value name '\(r.name)'") }
        for r in results { types[r.name] = r.type }
        graph.nodes.append(Node(name: name, op: op, operands: operands, results: results))
        return results.map(\.name)
    }

    /// Single-result convenience.
    public mutating func value(_ name: String, _ op: Op, _ operands: [String] = []) throws -> String {
        let r = try add(name, op, operands)
        return r[0]
    }

    public func type(of value: String) -> ValueType? { types[value] }

    /// Declares the outputs (the first is the primary one) and returns the verified graph.
    public func finish(outputs: [String]) throws -> Graph {
        var g = graph
        g.outputs = outputs
        try Verifier.verify(g)
        return g
    }

    /// A name unused so far, derived from `base` (importers use it for nodes they introduce).
    public func freshName(_ base: String) -> String {
        if types[base] == nil && graph.node(named: base) == nil { return base }
        var i = 1
        while types["\(base)_\(i)"] != nil || graph.node(named: "\(base)_\(i)") != nil { i += 1 }
        return "\(base)_\(i)"
    }
}

/// Layer names: printable, no whitespace, no '%', '@', quotes or braces (they delimit IR text).
func isValidName(_ s: String) -> Bool {
    !s.isEmpty && s.count <= 200 && s.unicodeScalars.allSatisfy { c in
        c.value > 32 && c.value < 127 && !"%@\"{}[](),=:#".unicodeScalars.contains(c)
    }
}
