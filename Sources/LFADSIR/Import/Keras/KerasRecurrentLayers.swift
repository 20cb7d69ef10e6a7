/// GRU/QGRU, Bidirectional/QBidirectional and LSTM layers.
///
/// Keras stores GRU kernels as [in, 3H] and [H, 3H] with gate column blocks z, r, h; the IR keeps that order
/// (GateOrder.zrh) and transposes to [3H, in]. With reset_after the bias is [2, 3H]: row 0 is added to the
/// input product, row 1 to the recurrent product (inside r ⊙ (U·h + b')). Without it the bias is [3H].
/// QGRU (QKeras): kernel/recurrent/bias quantizers act on the weights; state_quantizer on h_{t−1} at the start of
/// every step (the returned h = z⊙h_{t−1} + (1−z)⊙h̃ is not re-quantized) — RecurrentQuantizers carries both.
enum KerasRecurrentLayers {
    struct Flags {
        var returnSequences: Bool
        var returnState: Bool
        var goBackwards: Bool
    }

    static func flags(_ config: KerasObject) throws -> Flags {
        guard !(try config.bool("time_major", default: false)) else { throw config.site.fail("time_major RNNs are not supported") }
        return Flags(returnSequences: try config.bool("return_sequences", default: false),
                     returnState: try config.bool("return_state", default: false),
                     goBackwards: try config.bool("go_backwards", default: false))
    }

    static func gru(_ c: KerasLayerInput) throws -> KerasConversion {
        guard c.operands.count == 1 else { throw c.site.fail("GRU takes 1 input, got \(c.operands.count)") }
        guard c.initialState.count <= 1 else { throw c.site.fail("GRU takes one initial state, got \(c.initialState.count)") }
        let f = try flags(c.config)
        guard !(f.goBackwards && f.returnSequences) else {
            // Keras then returns the outputs in processing (reversed) order; the IR keeps sequences time-aligned.
            throw c.site.fail("go_backwards with return_sequences (time-reversed output) is not supported")
        }
        let cell = try gruCell(c.config, className: c.layer.className, inputWidth: c.operandTypes[0].width,
                               paths: try c.weights.paths(layer: c.layer.name), layerName: c.layer.name, weights: c.weights)
        var tensorCount = 1
        if f.returnState {
            guard !f.returnSequences else { throw c.site.fail("return_state with return_sequences (last state of a sequence) is not supported") }
            tensorCount = 2
        }
        let layer = GRULayer(cell: cell, reverse: f.goBackwards, returnSequences: f.returnSequences,
                             initialState: c.initialState.isEmpty ? .zeros : .operand)
        return .node(.gru(layer), operands: c.operands + c.initialState, tensorCount: tensorCount)
    }

    static func bidirectional(_ c: KerasLayerInput) throws -> KerasConversion {
        try c.requireOperands(1...1)
        let mode = try c.config.optionalString("merge_mode") ?? "concat"
        guard mode == "concat" else { throw c.site.fail("merge_mode '\(mode)' is not supported (only concat)") }
        let forward = try c.config.object("layer")
        let forwardClass = try forward.string("class_name")
        let forwardConfig = try forward.object("config")
        let backwardClass: String
        let backwardConfig: KerasObject
        if c.config.raw("backward_layer") != nil {
            let backward = try c.config.object("backward_layer")
            backwardClass = try backward.string("class_name")
            backwardConfig = try backward.object("config")
        } else {
            // Keras clones the forward layer with go_backwards flipped.
            var values = forwardConfig.values
            values["go_backwards"] = !(try forwardConfig.bool("go_backwards", default: false))
            (backwardClass, backwardConfig) = (forwardClass, KerasObject(values, site: c.site.child("backward_layer")))
        }
        for cls in [forwardClass, backwardClass] where cls != "GRU" && cls != "QGRU" {
            throw c.site.fail("Bidirectional around \(cls) is not supported (only GRU and QGRU)")
        }
        let ff = try flags(forwardConfig), bf = try flags(backwardConfig)
        guard !ff.goBackwards, bf.goBackwards else { throw c.site.fail("expected a forward layer and a go_backwards backward layer") }
        guard !ff.returnState, !bf.returnState else { throw c.site.fail("return_state inside Bidirectional is not supported") }
        guard ff.returnSequences == bf.returnSequences else { throw c.site.fail("directions disagree on return_sequences") }

        // Keras prefixes the wrapped layers' weight paths with forward_<name> / backward_<name>.
        let paths = try c.weights.paths(layer: c.layer.name)
        func scoped(_ prefix: String) -> [String] {
            paths.filter { $0.split(separator: "/").contains { $0.hasPrefix(prefix) } }
        }
        let width = c.operandTypes[0].width
        let fCell = try gruCell(forwardConfig, className: forwardClass, inputWidth: width, paths: scoped("forward_"),
                                layerName: c.layer.name, weights: c.weights)
        let bCell = try gruCell(backwardConfig, className: backwardClass, inputWidth: width, paths: scoped("backward_"),
                                layerName: c.layer.name, weights: c.weights)
        let layer = BidirectionalGRULayer(forward: GRULayer(cell: fCell, reverse: false, returnSequences: ff.returnSequences),
                                          backward: GRULayer(cell: bCell, reverse: true, returnSequences: bf.returnSequences))
        return .node(.bidirectionalGRU(layer), operands: c.operands, tensorCount: 1)
    }

    static func gruCell(_ config: KerasObject, className: String, inputWidth: Int, paths: [String], layerName: String,
                        weights: KerasWeights) throws -> GRUCell {
        let site = config.site
        let qkeras = className == "QGRU"
        let units = try config.int("units")
        guard units > 0, units <= 1 << 20 else { throw site.fail("units must be a positive integer, got \(units)") }
        let resetAfter = try config.bool("reset_after", default: !qkeras)
        let useBias = try config.bool("use_bias", default: true)
        let info = KerasLayerInput(layer: KerasLayerConfig(name: layerName, className: className, config: config, calls: []),
                                   operands: [], operandTypes: [], initialState: [], weights: weights)
        let activation = try info.activation("activation", fallback: qkeras ? "quantized_tanh" : "tanh")
        let recurrentActivation = try info.activation("recurrent_activation", fallback: qkeras ? "hard_sigmoid" : "sigmoid")

        var quantizers = RecurrentQuantizers()
        if qkeras {
            quantizers.kernel = try info.quantizer("kernel_quantizer", role: .kernel)
            quantizers.recurrentKernel = try info.quantizer("recurrent_quantizer", role: .kernel)
            if quantizers.recurrentKernel == nil {
                // QGRUCell.call then multiplies h by the *input* kernel (quantized_recurrent = self.kernel).
                throw site.fail("QGRU without recurrent_quantizer uses its input kernel as recurrent matrix in QKeras; not supported")
            }
            quantizers.bias = useBias ? try info.quantizer("bias_quantizer", role: .other) : nil
            quantizers.state = try info.quantizer("state_quantizer", role: .other)
        }

        let (threeH, o1) = units.multipliedReportingOverflow(by: 3)
        guard !o1 else { throw site.fail("units too large") }
        let owner = try config.optionalString("name").flatMap { $0 == layerName ? nil : $0 }
        let kernel = try weights.kernel(try weights.pick("kernel", from: paths, layer: layerName, owner: owner), inputs: inputWidth, outputs: threeH)
        let recurrent = try weights.kernel(try weights.pick("recurrent_kernel", from: paths, layer: layerName, owner: owner),
                                           inputs: units, outputs: threeH)
        var bias: [Double]?
        var recurrentBias: [Double]?
        if useBias {
            let path = try weights.pick("bias", from: paths, layer: layerName, owner: owner)
            if resetAfter {
                let both = try weights.read(path, shape: [2, threeH])
                bias = Array(both[0..<threeH])
                recurrentBias = Array(both[threeH...])
            } else {
                bias = try weights.read(path, shape: [threeH])
            }
        }
        do {
            return try GRUCell(reset: resetAfter ? .after : .before, gateOrder: .zrh, kernel: kernel, recurrentKernel: recurrent,
                               bias: bias, recurrentBias: recurrentBias, recurrentActivation: recurrentActivation,
                               activation: activation, quantizers: quantizers)
        } catch let e as IRError {
            if case .invalid(let m) = e { throw site.fail(m) }
            throw e
        }
    }

    /// Plain Keras LSTM (gates i, f, c, o as the IR's LSTMCell); QLSTM is refused because the IR's LSTM has no quantizers.
    static func lstm(_ c: KerasLayerInput) throws -> KerasConversion {
        guard c.layer.className == "LSTM" else { throw c.site.fail("\(c.layer.className) is not supported (the IR's LSTM carries no quantizers)") }
        try c.requireOperands(1...1)
        let f = try flags(c.config)
        guard !f.returnState else { throw c.site.fail("LSTM return_state is not supported") }
        guard !(f.goBackwards && f.returnSequences) else { throw c.site.fail("go_backwards with return_sequences is not supported") }
        let units = try c.config.int("units")
        guard units > 0, units <= 1 << 20 else { throw c.site.fail("units must be a positive integer, got \(units)") }
        let paths = try c.weights.paths(layer: c.layer.name)
        let fourH = 4 * units
        let kernel = try c.weights.kernel(try c.weights.pick("kernel", from: paths, layer: c.layer.name), inputs: c.operandTypes[0].width, outputs: fourH)
        let recurrent = try c.weights.kernel(try c.weights.pick("recurrent_kernel", from: paths, layer: c.layer.name), inputs: units, outputs: fourH)
        let bias = try c.config.bool("use_bias", default: true)
            ? try c.weights.read(try c.weights.pick("bias", from: paths, layer: c.layer.name), shape: [fourH]) : nil
        let cell = try KerasBasicLayers.wrap(c) {
            try LSTMCell(kernel: kernel, recurrentKernel: recurrent, bias: bias,
                         recurrentActivation: try c.activation("recurrent_activation", fallback: "sigmoid"),
                         activation: try c.activation("activation", fallback: "tanh"))
        }
        return .node(.lstm(LSTMLayer(cell: cell, reverse: f.goBackwards, returnSequences: f.returnSequences)), operands: c.operands, tensorCount: 1)
    }
}
