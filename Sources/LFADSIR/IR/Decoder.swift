/// The LFADS controller: a GRU fed [ci_t, f_{t−1}] inside the generator's time loop, whose state is read
/// out into the inferred input u_t: the posterior mean co_mean(c), or with `sampleSeed` a sample
/// co_mean(c) + exp(co_logvar(c)/2)·ε (lfads-torch's con_output with sample_posteriors). The logvar half is
/// needed only for sampling and for the `co_stds` output.
public struct ControllerSpec: Hashable, Sendable {
    public var cell: GRUCell
    public var initialState: [Double]
    public var coMean: DenseLayer
    public var coLogvar: DenseLayer?
    /// Seed of the controller-output sample (nil: u_t is the posterior mean). Needs `coLogvar`.
    public var sampleSeed: UInt64?

    public init(cell: GRUCell, initialState: [Double], coMean: DenseLayer, coLogvar: DenseLayer? = nil, sampleSeed: UInt64? = nil) {
        self.cell = cell
        self.initialState = initialState
        self.coMean = coMean
        self.coLogvar = coLogvar
        self.sampleSeed = sampleSeed
    }
}

/// The LFADS decoder loop: for t in 0..<steps
///   c_t = controller([ci_t, f_{t−1}], c_{t−1}); u_t = coMean(c_t)        (when there is a controller)
///   g_t = generator([u_t, ext_t], g_{t−1}); f_t = factors(g_t)
/// with g_{−1} = g0 (an operand) and f_{−1} = factors(g0). A single op because the feedback f → controller
/// cannot be expressed as a feed-forward chain of sequence ops.
/// Operands: g0 (vec), then ci (seq) when there is a controller, then ext (seq) when `externalInputs` > 0.
/// Results: factors, gen_states, and with a controller con_states, co_means (and co_stds when coLogvar is set).
public struct LFADSDecoderLayer: Hashable, Sendable {
    public var steps: Int
    public var generator: GRUCell
    public var factors: DenseLayer
    public var controller: ControllerSpec?
    public var externalInputs: Int
    public var precision: DecoderPrecision?
    public var implementation: DecoderImplementation?

    public init(steps: Int, generator: GRUCell, factors: DenseLayer, controller: ControllerSpec?, externalInputs: Int = 0,
                precision: DecoderPrecision? = nil, implementation: DecoderImplementation? = nil) throws {
        self.steps = steps
        self.generator = generator
        self.factors = factors
        self.controller = controller
        self.externalInputs = externalInputs
        self.precision = precision
        self.implementation = implementation
        try validate()
    }

    public var controllerInputWidth: Int { controller.map { $0.cell.inputSize - factors.outputSize } ?? 0 }
    public var coDim: Int { controller?.coMean.outputSize ?? 0 }

    public func validate() throws {
        guard steps > 0 else { throw IRError.invalid("decoder with \(steps) steps") }
        guard factors.inputSize == generator.hiddenSize else {
            throw IRError.invalid("factor layer takes \(factors.inputSize) inputs but the generator has \(generator.hiddenSize) units")
        }
        guard generator.inputSize == coDim + externalInputs else {
            throw IRError.invalid("generator takes \(generator.inputSize) inputs, expected co_dim \(coDim) + external \(externalInputs)")
        }
        if let c = controller {
            guard c.cell.inputSize > factors.outputSize else {
                throw IRError.invalid("controller takes \(c.cell.inputSize) inputs, fewer than the \(factors.outputSize) factors it is fed")
            }
            guard c.initialState.count == c.cell.hiddenSize else { throw IRError.invalid("controller initial state has \(c.initialState.count) values, expected \(c.cell.hiddenSize)") }
            guard c.coMean.inputSize == c.cell.hiddenSize else { throw IRError.invalid("co_mean takes \(c.coMean.inputSize) inputs, controller has \(c.cell.hiddenSize) units") }
            if let lv = c.coLogvar, lv.inputSize != c.cell.hiddenSize || lv.outputSize != c.coMean.outputSize {
                throw IRError.invalid("co_logvar shape \(lv.outputSize)x\(lv.inputSize) does not match co_mean")
            }
            if c.sampleSeed != nil, c.coLogvar == nil { throw IRError.invalid("a sampled controller output needs co_logvar") }
        }
    }
}
