/// A model input: spike counts, external inputs, or (Keras) a decoder input the model is fed.
public struct InputOp: Hashable, Sendable {
    public var type: ValueType
    public var precision: FixedType?

    public init(type: ValueType, precision: FixedType? = nil) {
        self.type = type
        self.precision = precision
    }
}

/// An element-wise function (Keras Activation/QActivation, exp of log-rates, a pure quantizer).
public struct ActivationOp: Hashable, Sendable {
    public var activation: Activation
    public var precision: ElementPrecision?

    public init(_ activation: Activation, precision: ElementPrecision? = nil) {
        self.activation = activation
        self.precision = precision
    }
}

/// How the sampling op draws from the posterior N(mean, exp(logvar)).
public enum SampleMode: Hashable, Sendable {
    /// The posterior mean, what LFADS uses at inference (TF1 posterior_push_mean, torch sample_posteriors=False).
    case mean
    /// mean + sqrt(exp(logvar) + varianceFloor)·ε with ε from a seeded generator (lfads-torch's ic_post_var_min
    /// is the floor; 0 gives exp(logvar/2)); `precision` (set by the quantize pass) gives the fixed-point types of
    /// the hardware sample.
    case gaussian(seed: UInt64, varianceFloor: Double = 0, precision: SamplePrecision? = nil)

    /// The seed of a gaussian sample, nil for the mean.
    public var seed: UInt64? {
        if case .gaussian(let s, _, _) = self { return s }
        return nil
    }
}

/// Hardware types of `mean + exp(logvar/2)·ε`: the std is an exp table read at logvar/2 (the logvar code with one
/// more fraction bit, so no shift is computed) into `std.result`; ε comes from the on-chip source cast to
/// `epsilon`; the sum is one cast of the exact expression to `result`.
public struct SamplePrecision: Hashable, Sendable {
    public var std: ElementPrecision
    public var epsilon: FixedType
    public var result: FixedType

    public init(std: ElementPrecision, epsilon: FixedType, result: FixedType) {
        self.std = std
        self.epsilon = epsilon
        self.result = result
    }
}

/// Element-wise op producing a posterior's standard deviation: sqrt(exp(logvar) + varianceFloor).
public struct PosteriorStdOp: Hashable, Sendable {
    public var varianceFloor: Double
    public var precision: ElementPrecision?
    public init(varianceFloor: Double, precision: ElementPrecision? = nil) {
        self.varianceFloor = varianceFloor
        self.precision = precision
    }
}

/// The operations of the IR. Every op states its operands' and results' types through `resultTypes`,
/// so shapes are checked when a graph is built and again by the verifier.
public enum Op: Hashable, Sendable {
    case input(InputOp)
    case gru(GRULayer)
    case bidirectionalGRU(BidirectionalGRULayer)
    case lstm(LSTMLayer)
    case dense(DenseLayer)
    case activation(ActivationOp)
    /// Concatenates operands along the feature axis (all sequences of equal length, or all vectors).
    case concat
    /// Features `start ..< start + count` of the operand.
    case slice(start: Int, count: Int)
    /// out[t] = in[t − lag], zero where t − lag is outside the sequence (LFADS' controller-input lag).
    case timeShift(lag: Int)
    /// Operands mean, logvar. The posterior mean may take the mean alone (the hardware-outputs pass drops the
    /// logvar operand so nothing computes it unless another output needs it).
    case sample(SampleMode)
    case posteriorStd(PosteriorStdOp)
    case decoder(LFADSDecoderLayer)

    /// The op's name in IR text.
    public var mnemonic: String {
        switch self {
        case .input: return "input"
        case .gru: return "gru"
        case .bidirectionalGRU: return "bigru"
        case .lstm: return "lstm"
        case .dense: return "dense"
        case .activation: return "activation"
        case .concat: return "concat"
        case .slice: return "slice"
        case .timeShift: return "time_shift"
        case .sample: return "sample"
        case .posteriorStd: return "posterior_std"
        case .decoder: return "lfads_decoder"
        }
    }

    /// Names of the results, appended to the node name (`%dec.factors`); a single result uses the node name.
    public var resultSuffixes: [String] {
        guard case .decoder(let d) = self else { return [""] }
        var names = ["factors", "gen_states"]
        if let c = d.controller {
            names += ["con_states", "co_means"]
            if c.coLogvar != nil { names.append("co_stds") }
        }
        return names
    }

    /// Checks the operand types and returns the result types.
    public func resultTypes(_ operands: [ValueType]) throws -> [ValueType] {
        func expectCount(_ n: ClosedRange<Int>) throws {
            guard n.contains(operands.count) else { throw IRError.invalid("\(mnemonic) takes \(n.lowerBound == n.upperBound ? "\(n.lowerBound)" : "\(n.lowerBound)–\(n.upperBound)") operand(s), got \(operands.count)") }
        }
        switch self {
        case .input(let i):
            try expectCount(0...0)
            guard i.type.width > 0, (i.type.steps ?? 1) > 0 else { throw IRError.invalid("input of empty type \(i.type)") }
            return [i.type]

        case .gru(let g):
            return [try Self.recurrentResult(g.cell.inputSize, g.cell.hiddenSize, g.returnSequences,
                                             hasInitialOperand: g.initialState == .operand, operands, mnemonic)]

        case .bidirectionalGRU(let b):
            guard b.forward.returnSequences == b.backward.returnSequences else { throw IRError.invalid("bigru directions disagree on return_sequences") }
            guard b.forward.cell.inputSize == b.backward.cell.inputSize else { throw IRError.invalid("bigru directions take different input widths") }
            guard !b.forward.reverse, b.backward.reverse else { throw IRError.invalid("bigru needs a forward and a reversed direction") }
            guard b.forward.initialState != .operand, b.backward.initialState != .operand else { throw IRError.invalid("bigru initial states must be zeros or learned") }
            let f = try Self.recurrentResult(b.forward.cell.inputSize, b.forward.cell.hiddenSize, b.forward.returnSequences, hasInitialOperand: false, operands, mnemonic)
            return [f.withWidth(b.forward.cell.hiddenSize + b.backward.cell.hiddenSize)]

        case .lstm(let l):
            return [try Self.recurrentResult(l.cell.inputSize, l.cell.hiddenSize, l.returnSequences, hasInitialOperand: false, operands, mnemonic)]

        case .dense(let d):
            try expectCount(1...1)
            guard operands[0].width == d.inputSize else { throw IRError.invalid("dense takes width \(d.inputSize), operand is \(operands[0])") }
            return [operands[0].withWidth(d.outputSize)]

        case .activation, .posteriorStd:
            try expectCount(1...1)
            return [operands[0]]

        case .concat:
            guard operands.count >= 2 else { throw IRError.invalid("concat needs at least 2 operands") }
            let steps = operands[0].steps
            guard operands.allSatisfy({ $0.steps == steps }) else { throw IRError.invalid("concat of \(operands.map(\.description).joined(separator: ", ")): lengths differ") }
            return [operands[0].withWidth(operands.reduce(0) { $0 + $1.width })]

        case .slice(let start, let count):
            try expectCount(1...1)
            guard start >= 0, count > 0, start <= operands[0].width - count else { throw IRError.invalid("slice \(start)..<\(start + count) outside \(operands[0])") }
            return [operands[0].withWidth(count)]

        case .timeShift:
            try expectCount(1...1)
            guard operands[0].isSequence else { throw IRError.invalid("time_shift needs a sequence, got \(operands[0])") }
            return [operands[0]]

        case .sample(let mode):
            try expectCount(mode == .mean ? 1...2 : 2...2)
            guard operands.count == 1 || operands[0] == operands[1] else { throw IRError.invalid("sample: mean \(operands[0]) and logvar \(operands[1]) differ") }
            return [operands[0]]

        case .decoder(let d):
            let expected = 1 + (d.controller == nil ? 0 : 1) + (d.externalInputs > 0 ? 1 : 0)
            try expectCount(expected...expected)
            guard operands[0] == .vector(width: d.generator.hiddenSize) else { throw IRError.invalid("decoder g0 must be vec<\(d.generator.hiddenSize)>, got \(operands[0])") }
            var i = 1
            if d.controller != nil {
                guard operands[i] == .sequence(steps: d.steps, width: d.controllerInputWidth) else {
                    throw IRError.invalid("decoder controller input must be seq<\(d.steps)x\(d.controllerInputWidth)>, got \(operands[i])")
                }
                i += 1
            }
            if d.externalInputs > 0, operands[i] != .sequence(steps: d.steps, width: d.externalInputs) {
                throw IRError.invalid("decoder external input must be seq<\(d.steps)x\(d.externalInputs)>, got \(operands[i])")
            }
            var types: [ValueType] = [.sequence(steps: d.steps, width: d.factors.outputSize), .sequence(steps: d.steps, width: d.generator.hiddenSize)]
            if let c = d.controller {
                types += [.sequence(steps: d.steps, width: c.cell.hiddenSize), .sequence(steps: d.steps, width: c.coMean.outputSize)]
                if c.coLogvar != nil { types.append(.sequence(steps: d.steps, width: c.coMean.outputSize)) }
            }
            return types
        }
    }

    private static func recurrentResult(_ inputSize: Int, _ hidden: Int, _ returnSequences: Bool, hasInitialOperand: Bool,
                                        _ operands: [ValueType], _ name: String) throws -> ValueType {
        let want = hasInitialOperand ? 2 : 1
        guard operands.count == want else { throw IRError.invalid("\(name) takes \(want) operand(s), got \(operands.count)") }
        guard let steps = operands[0].steps, operands[0].width == inputSize else {
            throw IRError.invalid("\(name) takes seq<Tx\(inputSize)>, operand is \(operands[0])")
        }
        if hasInitialOperand, operands[1] != .vector(width: hidden) {
            throw IRError.invalid("\(name) initial state must be vec<\(hidden)>, got \(operands[1])")
        }
        return returnSequences ? .sequence(steps: steps, width: hidden) : .vector(width: hidden)
    }
}
