/// Gives meaning to parsed statements: decodes ops, builds the graph with `GraphBuilder` (shape checks per
/// node, reported at that node's line), checks declared result types, outputs and tensor use, then verifies.
struct GraphAssembler {
    private let file: IRFile

    init(_ file: IRFile) { self.file = file }

    func graph() throws -> Graph {
        var builder = GraphBuilder(name: file.name, metadata: file.metadata)
        var nodeLocs = [String: SourceLoc]()
        for s in file.nodes {
            guard nodeLocs[s.name] == nil else { throw TextError("duplicate node name '%\(s.name)'", s.loc) }
            nodeLocs[s.name] = s.loc
            for o in s.operands where builder.type(of: o.name) == nil {
                throw TextError("%\(s.name) uses %\(o.name), which is not defined above", o.loc)
            }
            var reader = try AttrReader(s.attrs, path: "", loc: s.attrsLoc, tensors: file.tensors)
            let op: Op
            if Self.mnemonics.contains(s.mnemonic) {
                op = try OpDecoding.decode(s.mnemonic, &reader, declared: s.types, loc: s.loc)
            } else {
                throw TextError("unknown op '\(s.mnemonic)' (known: \(Self.mnemonics.joined(separator: ", ")))", s.mnemonicLoc)
            }
            let results = try OpDecoding.checked(s.loc) { try builder.add(s.name, op, s.operands.map(\.name)) }
            let actual = results.map { builder.type(of: $0) }
            guard actual.count == s.types.count else {
                throw TextError("%\(s.name) = \(s.mnemonic) has \(actual.count) result(s), \(s.types.count) type(s) declared", s.typesLoc)
            }
            for (t, declared) in zip(actual, s.types) where t != declared {
                throw TextError("%\(s.name) declares \(declared) but \(s.mnemonic) gives \(t.map(\.description) ?? "nothing")", s.typesLoc)
            }
        }
        guard let firstOutput = file.outputs.first else { throw TextError("the graph has no 'output %value' statement", file.end) }
        var seen = Set<String>()
        for o in file.outputs {
            guard builder.type(of: o.name) != nil else { throw TextError("output %\(o.name) is not a value of the graph", o.loc) }
            guard seen.insert(o.name).inserted else { throw TextError("output %\(o.name) is listed twice", o.loc) }
        }
        if let t = file.tensors.firstUnused { throw TextError("tensor @\(t.name) is not used by any node", t.loc) }
        do {
            var g = try builder.finish(outputs: file.outputs.map(\.name))
            g.trialsInFlight = file.trialsInFlight ?? 1
            g.posteriorSamples = file.posteriorSamples ?? 1
            try Verifier.verifyPosteriorSamples(g)
            return g
        } catch {
            // The verifier names the layer; report at its line when it does.
            let message = OpDecoding.message(of: error)
            let loc = file.nodes.first { message.contains("layer '\($0.name)'") }?.loc ?? firstOutput.loc
            throw TextError(message, loc)
        }
    }

    static let mnemonics = ["input", "gru", "bigru", "lstm", "dense", "activation", "concat", "slice", "time_shift",
                            "sample", "posterior_std", "lfads_decoder"]
}
