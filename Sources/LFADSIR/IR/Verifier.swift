/// Checks a graph between stages: topological order, unique names, types re-inferred from ops,
/// outputs present, weights finite, and per-op precision/implementation consistency.
public enum Verifier {
    /// `weights: false` skips the finiteness scan of every weight (shapes, types and wiring are still checked):
    /// for callers that only price a graph's structure, many times over.
    public static func verify(_ graph: Graph, weights: Bool = true) throws {
        var types = [String: ValueType]()
        var names = Set<String>()
        for node in graph.nodes {
            guard isValidName(node.name) else { throw IRError.invalid("bad layer name '\(node.name)'") }
            guard names.insert(node.name).inserted else { throw IRError.invalid("duplicate layer name '\(node.name)'") }
            let operandTypes = try node.operands.map { o -> ValueType in
                guard let t = types[o] else { throw IRError.invalid("layer '\(node.name)' uses '\(o)' before it is defined") }
                return t
            }
            let inferred: [ValueType]
            do { inferred = try node.op.resultTypes(operandTypes) } catch let e as IRError {
                if case .invalid(let m) = e { throw IRError.invalid("layer '\(node.name)': \(m)") }
                throw e
            }
            guard inferred == node.results.map(\.type) else {
                throw IRError.invalid("layer '\(node.name)' declares \(node.results.map(\.type.description)) but its op gives \(inferred.map(\.description))")
            }
            let expectedNames = node.op.resultSuffixes.map { $0.isEmpty ? node.name : "\(node.name).\($0)" }
            guard expectedNames == node.results.map(\.name) else {
                throw IRError.invalid("layer '\(node.name)' results must be named \(expectedNames.joined(separator: ", "))")
            }
            for r in node.results {
                guard types[r.name] == nil else { throw IRError.invalid("duplicate value name '\(r.name)'") }
                types[r.name] = r.type
            }
            if weights { try checkWeights(node) }
        }
        guard !graph.outputs.isEmpty else { throw IRError.invalid("graph '\(graph.name)' has no outputs") }
        for o in graph.outputs where types[o] == nil { throw IRError.invalid("output '\(o)' is not a value of the graph") }
        guard Set(graph.outputs).count == graph.outputs.count else { throw IRError.invalid("an output is listed twice") }
        try verifyPosteriorSamples(graph)
    }

    /// Averaging N > 1 posterior samples needs something that samples.
    public static func verifyPosteriorSamples(_ graph: Graph) throws {
        guard (1...Graph.maxPosteriorSamples).contains(graph.posteriorSamples) else {
            throw IRError.invalid("posterior samples \(graph.posteriorSamples) outside 1...\(Graph.maxPosteriorSamples)")
        }
        if graph.posteriorSamples > 1, graph.sampledValues.isEmpty {
            throw IRError.invalid("graph '\(graph.name)' averages \(graph.posteriorSamples) posterior samples but nothing samples")
        }
    }

    private static func checkWeights(_ node: Node) throws {
        func finite(_ what: String, _ values: [Double]?) throws {
            guard let v = values else { return }
            if let i = v.firstIndex(where: { !$0.isFinite }) {
                throw IRError.invalid("layer '\(node.name)': \(what)[\(i)] is \(v[i])")
            }
        }
        func cell(_ prefix: String, _ c: GRUCell) throws {
            try c.validate()
            try finite("\(prefix)kernel", c.kernel.values)
            try finite("\(prefix)recurrent_kernel", c.recurrentKernel.values)
            try finite("\(prefix)bias", c.bias)
            try finite("\(prefix)recurrent_bias", c.recurrentBias)
        }
        func dense(_ prefix: String, _ d: DenseLayer) throws {
            try d.validate()
            try finite("\(prefix)weight", d.weight.values)
            try finite("\(prefix)bias", d.bias)
        }
        func initial(_ prefix: String, _ s: InitialState, _ h: Int) throws {
            if case .learned(let v) = s {
                guard v.count == h else { throw IRError.invalid("layer '\(node.name)': \(prefix)initial state has \(v.count) values, expected \(h)") }
                try finite("\(prefix)initial_state", v)
            }
        }
        switch node.op {
        case .gru(let g):
            try cell("", g.cell)
            try initial("", g.initialState, g.cell.hiddenSize)
        case .bidirectionalGRU(let b):
            try cell("forward.", b.forward.cell)
            try cell("backward.", b.backward.cell)
            try initial("forward.", b.forward.initialState, b.forward.cell.hiddenSize)
            try initial("backward.", b.backward.initialState, b.backward.cell.hiddenSize)
        case .lstm(let l):
            try finite("kernel", l.cell.kernel.values)
            try finite("recurrent_kernel", l.cell.recurrentKernel.values)
            try finite("bias", l.cell.bias)
        case .dense(let d):
            try dense("", d)
        case .decoder(let d):
            try d.validate()
            try cell("generator.", d.generator)
            try dense("factors.", d.factors)
            if let c = d.controller {
                try cell("controller.", c.cell)
                try finite("controller.initial_state", c.initialState)
                try dense("co_mean.", c.coMean)
                if let lv = c.coLogvar { try dense("co_logvar.", lv) }
            }
        case .posteriorStd(let p):
            guard p.varianceFloor >= 0, p.varianceFloor.isFinite else { throw IRError.invalid("layer '\(node.name)': variance floor \(p.varianceFloor)") }
        case .input, .activation, .concat, .slice, .timeShift, .sample:
            break
        }
    }
}
