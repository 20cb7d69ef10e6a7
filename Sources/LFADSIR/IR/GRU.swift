/// Where the reset gate acts in the candidate: before the recurrent product (r⊙h)·U (TF1 LFADS,
/// lfads-torch, Keras reset_after=false) or after it, r⊙(U·h + b) (Keras reset_after=true, cuDNN).
/// The two are not convertible into each other, so the IR carries the variant.
public enum ResetPlacement: String, Sendable, CaseIterable { case before, after }

/// One of the three GRU gates. `update` is z (TF1's u), `reset` is r, `candidate` is h̃ (torch's n, TF1's c).
public enum Gate: String, Sendable, CaseIterable { case update = "z", reset = "r", candidate = "h" }

/// The order in which a framework stacks the three gates' rows in its matrices.
/// Kept in the IR so weights are emitted exactly as stored; `rows(of:)` hides it from consumers.
public struct GateOrder: Hashable, Sendable, CustomStringConvertible {
    public let gates: [Gate]

    public init(_ text: String) throws {
        let gates = try text.map { ch -> Gate in
            guard let g = Gate(rawValue: String(ch)) else { throw IRError.invalid("gate order '\(text)' must be a permutation of z, r, h") }
            return g
        }
        guard gates.count == 3, Set(gates).count == 3 else { throw IRError.invalid("gate order '\(text)' must be a permutation of z, r, h") }
        self.gates = gates
    }

    /// Keras and lfads-torch: z, r, h.
    public static let zrh = GateOrder(unchecked: [.update, .reset, .candidate])
    /// TF1 LFADS stores r before u in its fused gate matrix.
    public static let rzh = GateOrder(unchecked: [.reset, .update, .candidate])

    /// Index (0, 1 or 2) of a gate's block of rows.
    public func position(of gate: Gate) -> Int { gates.firstIndex(of: gate) ?? 0 }

    public var description: String { gates.map(\.rawValue).joined() }

    private init(unchecked gates: [Gate]) { self.gates = gates }
}

/// QKeras quantizers on a recurrent cell: applied to the weights, and to the state at the start of every step.
public struct RecurrentQuantizers: Hashable, Sendable {
    public var kernel: FixedType?
    public var recurrentKernel: FixedType?
    public var bias: FixedType?
    public var state: FixedType?

    public init(kernel: FixedType? = nil, recurrentKernel: FixedType? = nil, bias: FixedType? = nil, state: FixedType? = nil) {
        self.kernel = kernel
        self.recurrentKernel = recurrentKernel
        self.bias = bias
        self.state = state
    }

    public var isEmpty: Bool { kernel == nil && recurrentKernel == nil && bias == nil && state == nil }
}

/// A GRU cell: one step h' = GRU(x, h), in any of the variants LFADS implementations use.
///
/// z = σ(Wz·x + bz + Uz·h + b'z + updateBias), r = σ(Wr·x + br + Ur·h + b'r)
/// reset after:  h̃ = φ(Wh·x + bh + r ⊙ (Uh·h + b'h))
/// reset before: h̃ = φ(Wh·x + bh + Uh·(r ⊙ h) + b'h)
/// h' = clip(z ⊙ h + (1 − z) ⊙ h̃, ±clip)
public struct GRUCell: Hashable, Sendable {
    public var inputSize: Int { kernel.columns }
    public var hiddenSize: Int { recurrentKernel.columns }
    public var reset: ResetPlacement
    public var gateOrder: GateOrder
    /// [3H, in], gate blocks in `gateOrder`.
    public var kernel: Matrix
    /// [3H, H], gate blocks in `gateOrder`.
    public var recurrentKernel: Matrix
    /// Input-side bias [3H] (Keras bias row 0, torch bias_ih, TF1's only bias).
    public var bias: [Double]?
    /// Recurrent-side bias [3H] (Keras bias row 1, torch bias_hh). Part of the recurrent product's accumulator.
    public var recurrentBias: [Double]?
    /// Constant added to the update gate's pre-activation (TF1 LFADS' forget bias of 1.0).
    public var updateBias: Double
    /// State clip value (TF1 ±5, lfads-torch cell_clip), nil for none.
    public var clip: Double?
    /// Input and recurrent matrices stored as one [x, h] matrix in the source (TF1 encoder GRU): one accumulation.
    public var fused: Bool
    public var recurrentActivation: Activation
    public var activation: Activation
    public var quantizers: RecurrentQuantizers

    public init(reset: ResetPlacement, gateOrder: GateOrder = .zrh, kernel: Matrix, recurrentKernel: Matrix,
                bias: [Double]? = nil, recurrentBias: [Double]? = nil, updateBias: Double = 0, clip: Double? = nil,
                fused: Bool = false, recurrentActivation: Activation = Activation(.sigmoid),
                activation: Activation = Activation(.tanh), quantizers: RecurrentQuantizers = RecurrentQuantizers()) throws {
        self.reset = reset
        self.gateOrder = gateOrder
        self.kernel = kernel
        self.recurrentKernel = recurrentKernel
        self.bias = bias
        self.recurrentBias = recurrentBias
        self.updateBias = updateBias
        self.clip = clip
        self.fused = fused
        self.recurrentActivation = recurrentActivation
        self.activation = activation
        self.quantizers = quantizers
        try validate()
    }

    public func validate() throws {
        let h = recurrentKernel.columns
        guard h > 0 else { throw IRError.invalid("GRU with zero units") }
        guard kernel.rows == 3 * h else { throw IRError.invalid("GRU kernel has \(kernel.rows) rows, expected 3×\(h)") }
        guard recurrentKernel.rows == 3 * h else { throw IRError.invalid("GRU recurrent kernel has \(recurrentKernel.rows) rows, expected 3×\(h)") }
        if let b = bias, b.count != 3 * h { throw IRError.invalid("GRU bias has \(b.count) values, expected \(3 * h)") }
        if let b = recurrentBias, b.count != 3 * h { throw IRError.invalid("GRU recurrent bias has \(b.count) values, expected \(3 * h)") }
        if let c = clip, !(c > 0) { throw IRError.invalid("GRU clip must be positive, got \(c)") }
    }

    /// Row range of a gate's block in the kernels and biases.
    public func rows(of gate: Gate) -> Range<Int> {
        let h = hiddenSize
        let p = gateOrder.position(of: gate)
        return (p * h)..<((p + 1) * h)
    }
}

/// Where a recurrent layer's initial state comes from.
public enum InitialState: Hashable, Sendable {
    case zeros
    /// A trained initial state (lfads-torch `*_h0`, TF1 learned states).
    case learned([Double])
    /// The layer's last operand (Keras `initial_state`, the LFADS generator's g0).
    case operand
}

/// A GRU run over a sequence.
public struct GRULayer: Hashable, Sendable {
    public var cell: GRUCell
    /// Consumes x from the last step to the first; the output sequence stays aligned with the input's time index.
    public var reverse: Bool
    /// Emit every step's state (a sequence) or only the final state (a vector).
    public var returnSequences: Bool
    public var initialState: InitialState
    public var precision: GRUPrecision?
    public var implementation: Implementation?

    public init(cell: GRUCell, reverse: Bool = false, returnSequences: Bool, initialState: InitialState = .zeros,
                precision: GRUPrecision? = nil, implementation: Implementation? = nil) {
        self.cell = cell
        self.reverse = reverse
        self.returnSequences = returnSequences
        self.initialState = initialState
        self.precision = precision
        self.implementation = implementation
    }
}

/// Two GRUs over the same sequence in opposite directions, outputs concatenated [forward, backward].
/// A separate op (not two GRU nodes) because hardware runs both directions side by side.
public struct BidirectionalGRULayer: Hashable, Sendable {
    public var forward: GRULayer
    public var backward: GRULayer

    public init(forward: GRULayer, backward: GRULayer) {
        self.forward = forward
        self.backward = backward
    }
}
