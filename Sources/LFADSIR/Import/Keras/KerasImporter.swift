import HDF5

/// Imports a Keras 2 / QKeras model saved as HDF5 (`model.save("x.h5")`): the root `model_config` JSON
/// (Functional or Sequential) and the `model_weights` groups. QKeras quantizers become IR quantizers
/// (see QKerasSemantics.swift); Dropout-like layers are dropped; every Keras layer call becomes one IR node
/// named after the layer.
/// Layers: InputLayer, Dense/QDense, Activation/QActivation, Concatenate, GRU/QGRU (initial_state, return_state
/// without sequences), Bidirectional/QBidirectional (GRU, merge concat), LSTM, TimeDistributed(Dense), and the
/// inference-time identities (Dropout and friends). Anything else is refused with the layer's name.
public struct KerasImporter: ModelImporter {
    public init() {}

    public var formatName: String { "keras" }

    public func recognizes(_ file: HDF5File) -> Bool {
        guard let names = try? file.root.attributeNames() else { return false }
        return names.contains("model_config") || (names.contains("keras_version") && names.contains("layer_names"))
    }

    public func importGraph(from file: HDF5File, path: String) throws -> Graph {
        let site = KerasSite(file: path, path: "model_config")
        let text: String
        do {
            guard let attribute = try file.root.attribute("model_config") else {
                throw site.fail("missing (a weights-only file has no model to import)")
            }
            guard let s = attribute.value.stringValue else { throw site.fail("is not a string") }
            text = s
        } catch let e as HDF5Error {
            throw IRError.importFailed("\(path): \(e.object): \(e.message)")
        }
        let model = try KerasModelConfig.parse(try parseKerasJSON(text, site: site))
        var metadata = ["importer": formatName, "source": path, "model_name": model.name]
        if let v = try? file.root.attribute("keras_version")?.value.stringValue { metadata["keras_version"] = v }
        return try KerasGraphAssembler(model: model, weights: KerasWeights(file: file, fileName: path), site: site)
            .assemble(metadata: metadata)
    }
}

/// Walks the layer calls in dependency order (a call is emitted once all its input tensors exist) and builds the graph.
struct KerasGraphAssembler {
    let model: KerasModelConfig
    let weights: KerasWeights
    let site: KerasSite

    func assemble(metadata: [String: String]) throws -> Graph {
        var builder = GraphBuilder(name: sanitized(model.name), metadata: metadata)
        var values = [KerasTensorRef: String]()
        // Pending calls; an InputLayer has one call without inputs.
        var pending: [(layer: Int, call: Int)] = []
        for (i, layer) in model.layers.enumerated() {
            if layer.className == "InputLayer" { pending.append((i, -1)) } else {
                for n in layer.calls.indices { pending.append((i, n)) }
            }
        }
        while !pending.isEmpty {
            var progressed = false
            var waiting: [(layer: Int, call: Int)] = []
            for item in pending {
                let layer = model.layers[item.layer]
                let call = item.call >= 0 ? layer.calls[item.call] : KerasCall(inputs: [], initialState: [])
                let refs = call.inputs + call.initialState
                guard refs.allSatisfy({ values[$0] != nil }) else { waiting.append(item); continue }
                try emit(layer, callIndex: max(item.call, 0), call: call, values: &values, builder: &builder)
                progressed = true
            }
            if !progressed, let stuck = waiting.first {
                let layer = model.layers[stuck.layer]
                let call = stuck.call >= 0 ? layer.calls[stuck.call] : KerasCall(inputs: [], initialState: [])
                let missing = (call.inputs + call.initialState).first { values[$0] == nil }
                throw layer.config.site.fail("input \(missing.map(\.description) ?? "?") is not produced by any layer (or the graph has a cycle)")
            }
            pending = waiting
        }

        var outputs = [String]()
        for ref in model.outputs {
            guard let v = values[ref] else { throw site.fail("output \(ref) is not produced by any layer") }
            if !outputs.contains(v) { outputs.append(v) }
        }
        let (ordered, rule) = primaryFirst(outputs, builder: builder)
        var graph = builder.graph
        graph.outputs = ordered
        graph.metadata["primary_output"] = ordered.first
        graph.metadata["primary_output_rule"] = rule
        do { try Verifier.verify(graph) } catch let e as IRError {
            if case .invalid(let m) = e { throw site.fail("imported graph does not verify: \(m)") }
            throw e
        }
        return graph
    }

    /// The first output is what test vectors and the C-simulation harness carry. Keras models like the LFADS
    /// template list several outputs (factors, then log-rates); the rates are the output as wide as the spike
    /// input. Rule: the last model output whose width equals the first model input's width comes first, the
    /// rest keep model order; with no such output, model order is kept.
    private func primaryFirst(_ outputs: [String], builder: GraphBuilder) -> ([String], String) {
        guard let firstInput = model.inputs.first.flatMap({ _ in builder.graph.inputs.first }),
              let match = outputs.last(where: { builder.type(of: $0)?.width == firstInput.type.width }) else {
            return (outputs, "model order (no output as wide as the first input)")
        }
        return ([match] + outputs.filter { $0 != match }, "last output as wide as input '\(firstInput.name)' (\(firstInput.type.width))")
    }

    private func emit(_ layer: KerasLayerConfig, callIndex: Int, call: KerasCall, values: inout [KerasTensorRef: String],
                      builder: inout GraphBuilder) throws {
        let lookup = { (r: KerasTensorRef) -> String in values[r] ?? "" }
        var operands = call.inputs.map(lookup)
        var initialState = call.initialState.map(lookup)
        // Keras 2 serialises `layer(x, initial_state=s)` as the inputs [x, s].
        if ["GRU", "QGRU", "LSTM"].contains(layer.className), operands.count > 1, initialState.isEmpty {
            initialState = Array(operands.dropFirst())
            operands = [operands[0]]
        }
        let input = KerasLayerInput(layer: layer, operands: operands, operandTypes: operands.compactMap { builder.type(of: $0) },
                                    initialState: initialState, weights: weights)
        let conversion: KerasConversion
        switch layer.className {
        case "InputLayer": conversion = try KerasBasicLayers.input(input)
        case "Dense", "QDense": conversion = try KerasBasicLayers.dense(input)
        case "Activation", "QActivation": conversion = try KerasBasicLayers.activation(input)
        case "Concatenate": conversion = try KerasBasicLayers.concatenate(input)
        case "TimeDistributed": conversion = try KerasBasicLayers.timeDistributed(input)
        case "GRU", "QGRU": conversion = try KerasRecurrentLayers.gru(input)
        case "Bidirectional", "QBidirectional": conversion = try KerasRecurrentLayers.bidirectional(input)
        case "LSTM", "QLSTM": conversion = try KerasRecurrentLayers.lstm(input)
        case let c where kerasIdentityLayers.contains(c):
            try input.requireOperands(1...1)
            conversion = .identity
        default:
            throw layer.config.site.fail("unsupported layer class '\(layer.className)'")
        }
        switch conversion {
        case .identity:
            values[KerasTensorRef(layer: layer.name, node: callIndex, tensor: 0)] = operands[0]
        case .node(let op, let nodeOperands, let tensorCount):
            let name = builder.freshName(sanitized(layer.name))
            let result: String
            do { result = try builder.value(name, op, nodeOperands) } catch let e as IRError {
                if case .invalid(let m) = e { throw layer.config.site.fail(m) }
                throw e
            }
            for t in 0..<tensorCount { values[KerasTensorRef(layer: layer.name, node: callIndex, tensor: t)] = result }
        }
    }

    /// Keras names are free text; IR names exclude whitespace and the IR text's delimiters.
    private func sanitized(_ name: String) -> String {
        let bad = Set("%@\"{}[](),=:#")
        var s = String(name.unicodeScalars.map { c -> Character in
            c.value > 32 && c.value < 127 && !bad.contains(Character(c)) ? Character(c) : "_"
        })
        if s.isEmpty { s = "layer" }
        return String(s.prefix(200))
    }
}
