import Foundation

/// What one Keras layer call becomes in the IR.
enum KerasConversion {
    /// The layer is the identity at inference (Dropout, a linear Activation): its output is its first input.
    case identity
    /// One IR node; Keras output tensors 0 ..< tensorCount all name its (single) result.
    /// (A GRU with return_state and no return_sequences returns [h, h].)
    case node(Op, operands: [String], tensorCount: Int)
}

/// Everything a layer converter needs: the layer's config, its resolved operands and the weight reader.
struct KerasLayerInput {
    let layer: KerasLayerConfig
    let operands: [String]
    let operandTypes: [ValueType]
    /// Initial-state operands (Keras `initial_state`), already resolved.
    let initialState: [String]
    let weights: KerasWeights

    var config: KerasObject { layer.config }
    var site: KerasSite { layer.config.site }
    var isQKeras: Bool { layer.className.hasPrefix("Q") }

    func requireOperands(_ n: ClosedRange<Int>) throws {
        guard n.contains(operands.count) else { throw site.fail("\(layer.className) takes \(n.lowerBound == n.upperBound ? "\(n.lowerBound)" : "at least \(n.lowerBound)") input(s), got \(operands.count)") }
        guard initialState.isEmpty else { throw site.fail("\(layer.className) does not take an initial_state") }
    }

    /// An activation entry: absent → `fallback`, JSON null → linear.
    func activation(_ key: String, fallback: String) throws -> Activation {
        let raw: Any? = config.values[key] == nil ? fallback : config.raw(key)
        return try QKerasSemantics.activation(try QKerasSpec.from(raw, site: site.child(key)), qkeras: isQKeras, site: site.child(key))
    }

    func quantizer(_ key: String, role: QuantizerRole) throws -> FixedType? {
        guard isQKeras, let spec = try QKerasSpec.from(config.raw(key), site: site.child(key)) else { return nil }
        return try QKerasSemantics.fixedType(spec, role: role, site: site.child(key))
    }
}

/// Layers that are the identity at inference time.
let kerasIdentityLayers: Set<String> = [
    "Dropout", "SpatialDropout1D", "GaussianNoise", "GaussianDropout", "AlphaDropout", "ActivityRegularization",
]

enum KerasBasicLayers {
    static func input(_ c: KerasLayerInput) throws -> KerasConversion {
        guard let shape = (c.config.raw("batch_input_shape") ?? c.config.raw("batch_shape")) as? [Any] else {
            throw c.site.fail("InputLayer has no batch_input_shape")
        }
        let dims = try shape.dropFirst().map { d -> Int in
            guard let n = KerasObject.integer(d), n > 0, n <= 1 << 24 else {
                let spelled = shape.dropFirst().map { isJSONNull($0) ? "None" : "\($0)" }.joined(separator: ", ")
                throw c.site.fail("input dimensions must be fixed positive integers, got [\(spelled)]")
            }
            return n
        }
        let type: ValueType
        switch dims.count {
        case 1: type = .vector(width: dims[0])
        case 2: type = .sequence(steps: dims[0], width: dims[1])
        default: throw c.site.fail("input rank \(dims.count) is not supported (expected [features] or [steps, features])")
        }
        return .node(.input(InputOp(type: type)), operands: [], tensorCount: 1)
    }

    static func dense(_ c: KerasLayerInput) throws -> KerasConversion {
        try c.requireOperands(1...1)
        let units = try c.config.int("units")
        guard units > 0 else { throw c.site.fail("units must be positive") }
        let useBias = try c.config.bool("use_bias", default: true)
        let inputs = c.operandTypes[0].width
        let paths = try c.weights.paths(layer: c.layer.name)
        let kernel = try c.weights.kernel(try c.weights.pick("kernel", from: paths, layer: c.layer.name), inputs: inputs, outputs: units)
        let bias = useBias ? try c.weights.read(try c.weights.pick("bias", from: paths, layer: c.layer.name), shape: [units]) : nil
        let quantizers = DenseQuantizers(kernel: try c.quantizer("kernel_quantizer", role: .kernel),
                                         bias: useBias ? try c.quantizer("bias_quantizer", role: .other) : nil)
        let layer = try wrap(c) {
            try DenseLayer(weight: kernel, bias: bias, activation: try c.activation("activation", fallback: "linear"), quantizers: quantizers)
        }
        return .node(.dense(layer), operands: c.operands, tensorCount: 1)
    }

    static func activation(_ c: KerasLayerInput) throws -> KerasConversion {
        try c.requireOperands(1...1)
        let activation = try c.activation("activation", fallback: "linear")
        if activation == .linear { return .identity }
        return .node(.activation(ActivationOp(activation)), operands: c.operands, tensorCount: 1)
    }

    static func concatenate(_ c: KerasLayerInput) throws -> KerasConversion {
        try c.requireOperands(2...Int.max)
        let axis = try c.config.optionalInt("axis") ?? -1
        let rank = c.operandTypes[0].isSequence ? 3 : 2
        guard axis == -1 || axis == rank - 1 else { throw c.site.fail("only concatenation on the feature axis is supported, got axis \(axis)") }
        return .node(.concat, operands: c.operands, tensorCount: 1)
    }

    /// TimeDistributed(Dense): the IR's dense already applies per step; weights sit under the wrapper's name.
    static func timeDistributed(_ c: KerasLayerInput) throws -> KerasConversion {
        try c.requireOperands(1...1)
        guard c.operandTypes[0].isSequence else { throw c.site.fail("TimeDistributed needs a sequence input, got \(c.operandTypes[0])") }
        let inner = try c.config.object("layer")
        let cls = try inner.string("class_name")
        guard cls == "Dense" || cls == "QDense" else { throw c.site.fail("TimeDistributed around \(cls) is not supported (only Dense and QDense)") }
        let layer = KerasLayerConfig(name: c.layer.name, className: cls, config: try inner.object("config"), calls: [])
        return try dense(KerasLayerInput(layer: layer, operands: c.operands, operandTypes: c.operandTypes, initialState: [], weights: c.weights))
    }

    /// Converts IR construction errors (shape checks in initialisers) into import errors at the layer.
    static func wrap<T>(_ c: KerasLayerInput, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as IRError {
            if case .invalid(let m) = e { throw c.site.fail(m) }
            throw e
        }
    }
}
