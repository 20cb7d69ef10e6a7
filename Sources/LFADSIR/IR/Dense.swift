/// QKeras quantizers on a dense layer's parameters.
public struct DenseQuantizers: Hashable, Sendable {
    public var kernel: FixedType?
    public var bias: FixedType?
    public init(kernel: FixedType? = nil, bias: FixedType? = nil) {
        self.kernel = kernel
        self.bias = bias
    }
    public var isEmpty: Bool { kernel == nil && bias == nil }
}

/// y = act(Ŵ·x + b), applied to every step when the operand is a sequence (Keras' Dense on 3-D input,
/// LFADS' factor and readout layers). `normalizeRows` gives Ŵ unit L2 norm per output row, as LFADS
/// does for its factor weights at every forward pass; the fold pass bakes it into the weights.
public struct DenseLayer: Hashable, Sendable {
    /// [out, in]
    public var weight: Matrix
    public var bias: [Double]?
    public var activation: Activation
    public var normalizeRows: Bool
    public var quantizers: DenseQuantizers
    public var precision: DensePrecision?
    public var implementation: Implementation?

    public var inputSize: Int { weight.columns }
    public var outputSize: Int { weight.rows }

    public init(weight: Matrix, bias: [Double]?, activation: Activation = .linear, normalizeRows: Bool = false,
                quantizers: DenseQuantizers = DenseQuantizers(), precision: DensePrecision? = nil,
                implementation: Implementation? = nil) throws {
        self.weight = weight
        self.bias = bias
        self.activation = activation
        self.normalizeRows = normalizeRows
        self.quantizers = quantizers
        self.precision = precision
        self.implementation = implementation
        try validate()
    }

    public func validate() throws {
        guard weight.rows > 0, weight.columns > 0 else { throw IRError.invalid("dense layer with empty weight \(weight.rows)x\(weight.columns)") }
        if let b = bias, b.count != weight.rows { throw IRError.invalid("dense bias has \(b.count) values, expected \(weight.rows)") }
        if activation.function == .softmax, normalizeRows { throw IRError.invalid("dense layer cannot both normalise rows and use softmax") }
    }

    /// The weight actually multiplied: rows scaled to unit L2 norm when `normalizeRows` is set.
    public var effectiveWeight: Matrix {
        guard normalizeRows else { return weight }
        var w = weight
        for r in 0..<w.rows {
            var sum = 0.0
            for c in 0..<w.columns { sum += w[r, c] * w[r, c] }
            // torch.nn.functional.normalize divides by max(‖w‖, 1e-12); TF1 uses tf.nn.l2_normalize (eps 1e-12 on the square).
            let norm = max(sum.squareRoot(), 1e-12)
            for c in 0..<w.columns { w[r, c] /= norm }
        }
        return w
    }
}
