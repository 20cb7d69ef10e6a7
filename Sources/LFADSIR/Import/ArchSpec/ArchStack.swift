/// The layer-stack form: `"input": {"steps", "features"}` and `"layers": [...]`, each layer reading the one
/// before it. The nodes are what the Keras importer makes of the same Keras layers (Dense, GRU, LSTM,
/// Bidirectional(GRU), Activation/QActivation): same ops, weight shapes, bias layout and defaults.
///
/// A GRU after a layer that gives a vector reads a second model input (`"input"` on the layer) and starts
/// from that vector: Keras' `GRU(...)(decoder_input, initial_state=g0)`, as in the published LFADS template.
struct ArchStack {
    static let types = ["dense", "gru", "bidirectional_gru", "lstm", "activation"]
    static let settingKeys = ["name", "reuse", "strategy", "precision"]
    static let recurrentKeys = ["units", "activation", "recurrent_activation", "return_sequences", "use_bias", "recurrent_reuse"]
    static func keys(_ type: String) -> [String] {
        switch type {
        case "dense": return ["type", "units", "activation", "use_bias"] + settingKeys
        case "gru": return ["type", "reset_after", "input"] + recurrentKeys + settingKeys
        case "bidirectional_gru": return ["type", "reset_after"] + recurrentKeys + settingKeys
        case "lstm": return ["type"] + recurrentKeys + settingKeys
        default: return ["type", "name", "activation", "quantizer", "precision"]
        }
    }

    let root: SpecObject
    let input: ValueType
    let layers: [SpecObject]
    /// Per-layer settings by node name, filled by `build`.
    private(set) var settings: [String: ArchLayerSettings] = [:]

    init(_ root: SpecObject) throws {
        self.root = root
        guard let i = try root.object("input") else { _ = try root.required("input"); throw root.fail("input", "expected an object") }
        input = try Self.sequenceType(i)
        guard let list = try root.array("layers") else { _ = try root.required("layers"); throw root.fail("layers", "expected a list") }
        guard !list.isEmpty else { throw root.fail("layers", "must list at least one layer") }
        guard list.count <= ArchSpec.maxLayers else { throw root.fail("layers", "more than \(ArchSpec.maxLayers) layers") }
        layers = try list.enumerated().map { try SpecObject($1, file: root.file, path: "layers[\($0)]") }
    }

    /// `{"steps": T, "features": F}` → seq<T×F>; without steps, a vector of F.
    static func sequenceType(_ o: SpecObject) throws -> ValueType {
        try o.checkKeys(["steps", "features"])
        _ = try o.required("features")
        let features = try o.int("features", in: 1...ArchSpec.maxWidth) ?? 1
        guard let steps = try o.int("steps", in: 1...ArchSpec.maxSteps) else { return .vector(width: features) }
        return .sequence(steps: steps, width: features)
    }

    mutating func build(name: String) throws -> Graph {
        var b = GraphBuilder(name: name, metadata: ["importer": "arch-spec (Keras layout, synthetic weights)", "source": root.file])
        var current = try b.value("input_1", .input(InputOp(type: input)))
        var counts: [String: Int] = [:]
        var weights = 0
        for layer in layers {
            _ = try layer.required("type")
            let type = try layer.string("type") ?? ""
            guard Self.types.contains(type) else { throw layer.fail("type", "unknown layer type '\(type)' (valid: \(Self.types.joined(separator: ", ")))") }
            try layer.checkKeys(Self.keys(type))
            let name = try layerName(layer, type: type, counts: &counts, builder: b)
            let operandType = b.type(of: current) ?? input
            let l = ArchLayer(spec: layer, name: name, type: type, operand: operandType)
            weights += try l.weightCount()
            guard weights <= ArchSpec.maxWeights else {
                throw ConfigError(file: root.file, key: layer.path, "the model has more than the \(ArchSpec.maxWeights) weights an estimate materialises")
            }
            var operands = [current]
            if let second = try l.secondInput() {
                operands = [try b.value(b.freshName("\(name)_input"), .input(InputOp(type: second))), current]
            }
            guard let op = try l.op() else { continue }  // a linear Activation without quantizer: Keras' identity
            do { current = try b.value(name, op, operands) } catch let e as IRError {
                if case .invalid(let m) = e { throw ConfigError(file: root.file, key: layer.path, m) }
                throw e
            }
            settings[name] = try l.settings()
        }
        do { return try b.finish(outputs: [current]) } catch let e as IRError {
            if case .invalid(let m) = e { throw ConfigError(file: root.file, key: "layers", "the stack does not verify: \(m)") }
            throw e
        }
    }

    /// The layer's `name`, or Keras' default (`gru`, `gru_1`, …).
    private func layerName(_ layer: SpecObject, type: String, counts: inout [String: Int], builder: GraphBuilder) throws -> String {
        if let n = try layer.string("name") {
            guard isValidName(n), !n.contains("."), n != "input_1" else {
                throw layer.fail("name", "'\(n)' is not a usable layer name (printable, no spaces, dots or %@\"{}[](),=:#)")
            }
            guard builder.type(of: n) == nil, builder.graph.node(named: n) == nil else { throw layer.fail("name", "'\(n)' is used twice") }
            return n
        }
        let base = type == "bidirectional_gru" ? "bidirectional" : type
        var n = counts[base, default: 0]
        var candidate = n == 0 ? base : "\(base)_\(n)"
        while builder.type(of: candidate) != nil || layers.contains(where: { ($0.values["name"] as? String) == candidate }) {
            n += 1
            candidate = "\(base)_\(n)"
        }
        counts[base] = n + 1
        return candidate
    }
}
