/// A Keras-style LSTM cell: gates i, f, c, o stacked in that order.
/// c' = f⊙c + i⊙φ(Wc·x + Uc·h + bc), h' = o⊙φ(c'), with i, f, o = σ(W·x + U·h + b).
public struct LSTMCell: Hashable, Sendable {
    /// [4H, in]
    public var kernel: Matrix
    /// [4H, H]
    public var recurrentKernel: Matrix
    public var bias: [Double]?
    public var recurrentActivation: Activation
    public var activation: Activation

    public var inputSize: Int { kernel.columns }
    public var hiddenSize: Int { recurrentKernel.columns }

    public init(kernel: Matrix, recurrentKernel: Matrix, bias: [Double]?, recurrentActivation: Activation = Activation(.sigmoid),
                activation: Activation = Activation(.tanh)) throws {
        self.kernel = kernel
        self.recurrentKernel = recurrentKernel
        self.bias = bias
        self.recurrentActivation = recurrentActivation
        self.activation = activation
        let h = recurrentKernel.columns
        guard h > 0, kernel.rows == 4 * h, recurrentKernel.rows == 4 * h else {
            throw IRError.invalid("LSTM kernels \(kernel.rows)x\(kernel.columns) and \(recurrentKernel.rows)x\(recurrentKernel.columns) do not fit \(h) units")
        }
        if let b = bias, b.count != 4 * h { throw IRError.invalid("LSTM bias has \(b.count) values, expected \(4 * h)") }
    }
}

/// An LSTM run over a sequence (zero initial state and cell, as Keras does without initial_state).
public struct LSTMLayer: Hashable, Sendable {
    public var cell: LSTMCell
    public var reverse: Bool
    public var returnSequences: Bool
    public var precision: LSTMPrecision?
    public var implementation: Implementation?

    public init(cell: LSTMCell, reverse: Bool = false, returnSequences: Bool, precision: LSTMPrecision? = nil,
                implementation: Implementation? = nil) {
        self.cell = cell
        self.reverse = reverse
        self.returnSequences = returnSequences
        self.precision = precision
        self.implementation = implementation
    }
}
