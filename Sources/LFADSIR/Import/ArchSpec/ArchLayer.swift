/// One layer of a stack spec turned into the op the Keras importer makes of that Keras layer.
struct ArchLayer {
    let spec: SpecObject
    let name: String
    let type: String
    /// Type of the value the layer reads (the previous layer's output).
    let operand: ValueType

    var isRecurrent: Bool { type == "gru" || type == "bidirectional_gru" || type == "lstm" }

    func units() throws -> Int {
        _ = try spec.required("units")
        return try spec.int("units", in: 1...ArchSpec.maxWidth) ?? 1
    }

    /// The input sequence a recurrent layer reads: the previous output, or its own second model input when
    /// the previous output is a vector (which then becomes the initial state).
    func secondInput() throws -> ValueType? {
        guard let o = try spec.object("input") else {
            if isRecurrent, !operand.isSequence {
                throw ConfigError(file: spec.file, key: spec.path, "a \(type) reads a sequence but the layer before gives a vector of \(operand.width); give this layer an \"input\": {\"steps\", \"features\"} to read a second model input with that vector as its initial state")
            }
            return nil
        }
        guard !operand.isSequence else {
            throw spec.fail("input", "a second input is only for a GRU after a layer that gives a vector (its initial state); the layer before gives a sequence")
        }
        let t = try ArchStack.sequenceType(o)
        guard t.isSequence else { throw ConfigError(file: spec.file, key: o.path, "missing required key 'steps' (a GRU reads a sequence)") }
        let u = try units()
        guard operand.width == u else {
            throw spec.fail("input", "the initial state comes from the layer before, which gives \(operand.width) values, but the GRU has \(u) units")
        }
        return t
    }

    /// Weights this layer holds (sizes are at most 2^16, so nothing here overflows).
    func weightCount() throws -> Int {
        if type == "activation" { return 0 }
        let u = try units(), n = (try secondInput()).map(\.width) ?? operand.width
        switch type {
        case "dense": return u * (n + 1)
        case "gru": return 3 * u * (n + u + 2)
        case "bidirectional_gru": return 6 * u * (n + u + 2)
        default: return 4 * u * (n + u + 1)
        }
    }

    func activation(_ key: String, default fallback: ActivationFunction) throws -> ActivationFunction {
        guard let text = try spec.string(key) else { return fallback }
        if text == "exponential" { return .exp }
        guard let f = ActivationFunction(rawValue: text) else {
            throw spec.fail(key, "unknown activation '\(text)' (valid: \(ActivationFunction.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return f
    }

    /// The op, or nil for Keras' identity (a linear Activation without quantizer).
    func op() throws -> Op? {
        let weights = name  // synthetic tensors are seeded by "<layer>/<tensor>"
        switch type {
        case "dense":
            let u = try units(), n = operand.width
            let bias = try spec.bool("use_bias") ?? true
            return .dense(try DenseLayer(weight: try SyntheticWeights.matrix("\(weights)/kernel", rows: u, columns: n),
                                         bias: bias ? SyntheticWeights.vector("\(weights)/bias", u) : nil,
                                         activation: Activation(try activation("activation", default: .linear))))
        case "gru":
            let second = try secondInput()
            return .gru(GRULayer(cell: try gruCell(weights, inputs: second?.width ?? operand.width), reverse: false,
                                 returnSequences: try spec.bool("return_sequences") ?? false, initialState: second != nil ? .operand : .zeros))
        case "bidirectional_gru":
            let sequences = try spec.bool("return_sequences") ?? false
            return .bidirectionalGRU(BidirectionalGRULayer(
                forward: GRULayer(cell: try gruCell("\(weights)/forward", inputs: operand.width), reverse: false, returnSequences: sequences),
                backward: GRULayer(cell: try gruCell("\(weights)/backward", inputs: operand.width), reverse: true, returnSequences: sequences)))
        case "lstm":
            let u = try units()
            let cell = try LSTMCell(kernel: try SyntheticWeights.matrix("\(weights)/kernel", rows: 4 * u, columns: operand.width),
                                    recurrentKernel: try SyntheticWeights.matrix("\(weights)/recurrent_kernel", rows: 4 * u, columns: u),
                                    bias: (try spec.bool("use_bias") ?? true) ? SyntheticWeights.vector("\(weights)/bias", 4 * u) : nil,
                                    recurrentActivation: Activation(try activation("recurrent_activation", default: .sigmoid)),
                                    activation: Activation(try activation("activation", default: .tanh)))
            return .lstm(LSTMLayer(cell: cell, reverse: false, returnSequences: try spec.bool("return_sequences") ?? false))
        default:
            _ = try spec.required("activation")
            let f = try activation("activation", default: .linear)
            let quantizer = try spec.string("quantizer").map { try ConfigValues.fixedType($0, file: spec.file, key: spec.key("quantizer")) }
            if f == .linear, quantizer == nil { return nil }
            return .activation(ActivationOp(Activation(f, quantizer: quantizer)))
        }
    }

    /// Keras GRU: gate blocks z, r, h; with reset_after (Keras 2's default) the bias is two rows [input, recurrent].
    private func gruCell(_ prefix: String, inputs: Int) throws -> GRUCell {
        let u = try units()
        let resetAfter = try spec.bool("reset_after") ?? true
        let bias = try spec.bool("use_bias") ?? true
        return try GRUCell(reset: resetAfter ? .after : .before, gateOrder: .zrh,
                           kernel: try SyntheticWeights.matrix("\(prefix)/kernel", rows: 3 * u, columns: inputs),
                           recurrentKernel: try SyntheticWeights.matrix("\(prefix)/recurrent_kernel", rows: 3 * u, columns: u),
                           bias: bias ? SyntheticWeights.vector("\(prefix)/bias", 3 * u) : nil,
                           recurrentBias: bias && resetAfter ? SyntheticWeights.vector("\(prefix)/recurrent_bias", 3 * u) : nil,
                           recurrentActivation: Activation(try activation("recurrent_activation", default: .sigmoid)),
                           activation: Activation(try activation("activation", default: .tanh)))
    }

    func settings() throws -> ArchLayerSettings {
        var s = ArchLayerSettings()
        if let p = spec.values["precision"] { (s.defaultPrecision, s.precision) = try ArchSpec.precision(p, spec, "precision") }
        if let t = try spec.string("strategy") { s.strategy = try Strategy(config: t, file: spec.file, key: spec.key("strategy")) }
        s.reuse = try ArchSpec.reuse(spec, "reuse", allowAuto: false)
        // hls4ml's recurrent_reuse_factor: the recurrent product's own reuse (otherwise `reuse` for both).
        s.recurrentReuse = try spec.int("recurrent_reuse", in: 1...ConfigValues.maxReuse)
        return s
    }
}
