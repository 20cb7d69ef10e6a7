/// The shape of an activation lookup table. Entries are the function at bin centres, cast to `entryType`;
/// the index is floor((x − lower)·size/(upper − lower)) clamped to the table (see FixedPoint/LookupTable).
public struct TableSpec: Hashable, Sendable {
    public var size: Int
    public var lower: Double
    public var upper: Double
    public var entryType: FixedType

    public init(size: Int, lower: Double, upper: Double, entryType: FixedType) {
        self.size = size
        self.lower = lower
        self.upper = upper
        self.entryType = entryType
    }
}

/// Hardware types of every tensor inside a GRU step. Each product is rounded to `accum`, the sums run in
/// `accum` (bias first, then inputs in index order), gate outputs are `recurrentActivation`, the candidate is
/// `activation`, the new state is one cast to `state`, and what leaves the layer is cast to `result`.
public struct GRUPrecision: Hashable, Sendable {
    public var weight: FixedType
    public var recurrentWeight: FixedType
    public var bias: FixedType
    public var recurrentBias: FixedType
    public var accum: FixedType
    public var recurrentActivation: FixedType
    public var activation: FixedType
    public var state: FixedType
    public var result: FixedType
    /// Used when the gate function is the true sigmoid (hard variants are computed with a shift and a clamp).
    public var sigmoidTable: TableSpec?
    /// Used when the candidate function is the true tanh.
    public var tanhTable: TableSpec?

    public init(weight: FixedType, recurrentWeight: FixedType, bias: FixedType, recurrentBias: FixedType, accum: FixedType,
                recurrentActivation: FixedType, activation: FixedType, state: FixedType, result: FixedType,
                sigmoidTable: TableSpec? = nil, tanhTable: TableSpec? = nil) {
        self.weight = weight
        self.recurrentWeight = recurrentWeight
        self.bias = bias
        self.recurrentBias = recurrentBias
        self.accum = accum
        self.recurrentActivation = recurrentActivation
        self.activation = activation
        self.state = state
        self.result = result
        self.sigmoidTable = sigmoidTable
        self.tanhTable = tanhTable
    }
}

/// Hardware types of every tensor inside an LSTM step (docs/hardware-numerics.md). The input product (4H rows
/// i, f, c, o, with the bias) and the recurrent product (no bias) accumulate in `accum`; the gates i, f, o are
/// `recurrentActivation`, the candidate c̃ and act(c) are `activation`; the cell state c is one cast to
/// `cellState`, the hidden state h one cast to `state`; what leaves the layer is cast to `result`.
public struct LSTMPrecision: Hashable, Sendable {
    public var weight: FixedType
    public var recurrentWeight: FixedType
    public var bias: FixedType
    public var accum: FixedType
    public var recurrentActivation: FixedType
    public var activation: FixedType
    public var cellState: FixedType
    public var state: FixedType
    public var result: FixedType
    /// Used when the gate function is the true sigmoid.
    public var sigmoidTable: TableSpec?
    /// Used when `activation` is the true tanh (for the candidate and for act(c)).
    public var tanhTable: TableSpec?

    public init(weight: FixedType, recurrentWeight: FixedType, bias: FixedType, accum: FixedType, recurrentActivation: FixedType,
                activation: FixedType, cellState: FixedType, state: FixedType, result: FixedType,
                sigmoidTable: TableSpec? = nil, tanhTable: TableSpec? = nil) {
        self.weight = weight
        self.recurrentWeight = recurrentWeight
        self.bias = bias
        self.accum = accum
        self.recurrentActivation = recurrentActivation
        self.activation = activation
        self.cellState = cellState
        self.state = state
        self.result = result
        self.sigmoidTable = sigmoidTable
        self.tanhTable = tanhTable
    }
}

/// Hardware types of a dense layer: products rounded to `accum`, summed from the bias in input order,
/// the activation (by `table` when it is sigmoid, tanh or exp) and the final cast to `result`.
public struct DensePrecision: Hashable, Sendable {
    public var weight: FixedType
    public var bias: FixedType
    public var accum: FixedType
    public var result: FixedType
    public var table: TableSpec?

    public init(weight: FixedType, bias: FixedType, accum: FixedType, result: FixedType, table: TableSpec? = nil) {
        self.weight = weight
        self.bias = bias
        self.accum = accum
        self.result = result
        self.table = table
    }
}

/// Hardware type of an element-wise op's output (and its table when the function needs one).
public struct ElementPrecision: Hashable, Sendable {
    public var result: FixedType
    public var table: TableSpec?

    public init(result: FixedType, table: TableSpec? = nil) {
        self.result = result
        self.table = table
    }
}

/// Types of the two recurrent cells inside the LFADS decoder loop (its dense layers carry their own), and of the
/// controller output's std exp(co_logvar/2) and sample when the controller has a co_logvar: `coSample.std` gives
/// co_stds; ε and the sampled u_t use `epsilon` and `result` only when the controller samples.
public struct DecoderPrecision: Hashable, Sendable {
    public var generator: GRUPrecision
    public var controller: GRUPrecision?
    public var coSample: SamplePrecision?

    public init(generator: GRUPrecision, controller: GRUPrecision? = nil, coSample: SamplePrecision? = nil) {
        self.generator = generator
        self.controller = controller
        self.coSample = coSample
    }
}
