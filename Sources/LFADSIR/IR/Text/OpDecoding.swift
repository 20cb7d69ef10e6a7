/// Attribute tree → op, the inverse of `OpEncoding`. Every number is range-checked before it reaches
/// the IR's initialisers, so later arithmetic on sizes cannot overflow.
enum OpDecoding {
    static let sizeRange = 0...TextLimits.maxElements

    /// `declared` are the result types written after `:` (the input op takes its type from there).
    static func decode(_ mnemonic: String, _ r: inout AttrReader, declared: [ValueType], loc: SourceLoc) throws -> Op {
        let op: Op
        switch mnemonic {
        case "input":
            guard declared.count == 1 else { throw TextError("input has one result type, \(declared.count) given", loc) }
            op = .input(InputOp(type: declared[0], precision: try r.optionalFixed("precision")))
        case "gru":
            op = .gru(try gruLayer(&r))
        case "bigru":
            var f = try r.dict("forward")
            var b = try r.dict("backward")
            op = .bidirectionalGRU(BidirectionalGRULayer(forward: try gruLayer(&f), backward: try gruLayer(&b)))
            try f.finish()
            try b.finish()
        case "lstm":
            let reverse = try r.bool("reverse", default: false)
            let returnSequences = try r.bool("return_sequences")
            let kernel = try r.matrix("kernel")
            let recurrent = try r.matrix("recurrent_kernel")
            let bias = try r.optionalVector("bias")
            let ra = try activation(&r, "recurrent_activation", default: .sigmoid)
            let a = try activation(&r, "activation", default: .tanh)
            let cell = try checked(r.loc) { try LSTMCell(kernel: kernel, recurrentKernel: recurrent, bias: bias, recurrentActivation: ra, activation: a) }
            var precision: LSTMPrecision?
            if var p = try r.optionalDict("precision") { precision = try lstmPrecision(&p) }
            op = .lstm(LSTMLayer(cell: cell, reverse: reverse, returnSequences: returnSequences, precision: precision,
                                 implementation: try optionalImplementation(&r, "implementation")))
        case "dense":
            op = .dense(try dense(&r))
        case "activation":
            let f = try r.enumValue("function", ActivationFunction.self)
            let q = try r.optionalFixed("quantizer")
            op = .activation(ActivationOp(Activation(f, quantizer: q), precision: try element(&r, "precision")))
        case "concat":
            op = .concat
        case "slice":
            op = .slice(start: try r.int("start", in: sizeRange), count: try r.int("count", in: sizeRange))
        case "time_shift":
            op = .timeShift(lag: try r.int("lag", in: -TextLimits.maxElements...TextLimits.maxElements))
        case "sample":
            switch try r.word("mode") {
            case "mean": op = .sample(.mean)
            case "gaussian":
                let seed = try r.uint64("seed")
                let floor = try r.optionalDouble("variance_floor") ?? 0
                guard floor >= 0, floor.isFinite else { throw r.fail("variance_floor", "must be finite and ≥ 0") }
                var precision: SamplePrecision?
                if var d = try r.optionalDict("precision") { precision = try samplePrecision(&d) }
                op = .sample(.gaussian(seed: seed, varianceFloor: floor, precision: precision))
            case let m: throw r.fail("mode", "has unknown value '\(m)' (expected mean, gaussian)")
            }
        case "posterior_std":
            let floor = try r.double("variance_floor")
            guard floor >= 0 else { throw r.fail("variance_floor", "must be ≥ 0") }
            op = .posteriorStd(PosteriorStdOp(varianceFloor: floor, precision: try element(&r, "precision")))
        case "lfads_decoder":
            op = .decoder(try decoder(&r))
        default:
            throw TextError("unknown op '\(mnemonic)'", loc)
        }
        try r.finish()
        return op
    }

    /// Runs an IR initialiser, reporting its validation failure at `loc`.
    static func checked<T>(_ loc: SourceLoc, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as TextError { throw e } catch { throw TextError(message(of: error), loc) }
    }

    /// An error's message without the "invalid IR:" prefix (the parser adds its own context).
    static func message(of error: Error) -> String {
        switch error {
        case IRError.invalid(let m), IRError.parse(let m), IRError.importFailed(let m), IRError.unsupported(let m): return m
        default: return "\(error)"
        }
    }

    private static func samplePrecision(_ d: inout AttrReader) throws -> SamplePrecision {
        guard let std = try element(&d, "std") else { throw d.fail("std", "is missing") }
        let p = SamplePrecision(std: std, epsilon: try d.fixed("epsilon"), result: try d.fixed("result"))
        try d.finish()
        return p
    }

    private static func decoder(_ r: inout AttrReader) throws -> LFADSDecoderLayer {
        let steps = try r.int("steps", in: 1...TextLimits.maxElements)
        let external = try r.int("external_inputs", in: sizeRange, default: 0)
        var g = try r.dict("generator")
        let generator = try gruCell(&g)
        try g.finish()
        var f = try r.dict("factors")
        let factors = try dense(&f)
        try f.finish()
        var controller: ControllerSpec?
        if var c = try r.optionalDict("controller") {
            let cell = try gruCell(&c)
            let initial = try c.vector("initial_state")
            guard initial.count == cell.hiddenSize else {
                throw c.fail("initial_state", "has \(initial.count) values, expected \(cell.hiddenSize)")
            }
            var m = try c.dict("co_mean")
            let coMean = try dense(&m)
            try m.finish()
            var coLogvar: DenseLayer?
            if var lv = try c.optionalDict("co_logvar") {
                coLogvar = try dense(&lv)
                try lv.finish()
            }
            let seed: UInt64? = c.has("sample_seed") ? try c.uint64("sample_seed") : nil
            try c.finish()
            controller = ControllerSpec(cell: cell, initialState: initial, coMean: coMean, coLogvar: coLogvar, sampleSeed: seed)
        }
        var precision: DecoderPrecision?
        if var p = try r.optionalDict("precision") {
            var gp = try p.dict("generator")
            let gen = try gruPrecision(&gp)
            var con: GRUPrecision?
            if var cp = try p.optionalDict("controller") { con = try gruPrecision(&cp) }
            var coSample: SamplePrecision?
            if var sp = try p.optionalDict("co_sample") { coSample = try samplePrecision(&sp) }
            try p.finish()
            precision = DecoderPrecision(generator: gen, controller: con, coSample: coSample)
        }
        var implementation: DecoderImplementation?
        if var p = try r.optionalDict("implementation") {
            let gen = try self.implementation(&p, "generator")
            let con = try optionalImplementation(&p, "controller")
            try p.finish()
            implementation = DecoderImplementation(generator: gen, controller: con)
        }
        let loc = r.loc
        return try checked(loc) {
            try LFADSDecoderLayer(steps: steps, generator: generator, factors: factors, controller: controller,
                                  externalInputs: external, precision: precision, implementation: implementation)
        }
    }

    private static func gruLayer(_ r: inout AttrReader) throws -> GRULayer {
        let reverse = try r.bool("reverse", default: false)
        let returnSequences = try r.bool("return_sequences")
        let initialKey = "initial_state"
        var initial = InitialState.zeros
        switch r.has(initialKey) ? try r.raw(initialKey) : .word("zeros") {
        case .word("zeros"): initial = .zeros
        case .word("operand"): initial = .operand
        case .tensor: initial = .learned(try r.vector(initialKey))
        default: throw r.fail(initialKey, "must be zeros, operand or a tensor @name")
        }
        let cell = try gruCell(&r)
        if case .learned(let v) = initial, v.count != cell.hiddenSize {
            throw r.fail(initialKey, "has \(v.count) values, expected \(cell.hiddenSize)")
        }
        var precision: GRUPrecision?
        if var p = try r.optionalDict("precision") { precision = try gruPrecision(&p) }
        return GRULayer(cell: cell, reverse: reverse, returnSequences: returnSequences, initialState: initial,
                        precision: precision, implementation: try optionalImplementation(&r, "implementation"))
    }

    private static func gruCell(_ r: inout AttrReader) throws -> GRUCell {
        let reset = try r.enumValue("reset", ResetPlacement.self)
        let orderText = r.has("gate_order") ? try r.word("gate_order") : "zrh"
        let order = try checked(r.loc(of: "gate_order")) { try GateOrder(orderText) }
        let kernel = try r.matrix("kernel")
        let recurrent = try r.matrix("recurrent_kernel")
        let bias = try r.optionalVector("bias")
        let recurrentBias = try r.optionalVector("recurrent_bias")
        let updateBias = try r.double("update_bias", default: 0)
        let clip = try r.optionalDouble("clip")
        let fused = try r.bool("fused", default: false)
        let ra = try activation(&r, "recurrent_activation", default: .sigmoid)
        let a = try activation(&r, "activation", default: .tanh)
        var quantizers = RecurrentQuantizers()
        if var q = try r.optionalDict("quantizers") {
            quantizers = RecurrentQuantizers(kernel: try q.optionalFixed("kernel"), recurrentKernel: try q.optionalFixed("recurrent_kernel"),
                                             bias: try q.optionalFixed("bias"), state: try q.optionalFixed("state"))
            try q.finish()
        }
        return try checked(r.loc) {
            try GRUCell(reset: reset, gateOrder: order, kernel: kernel, recurrentKernel: recurrent, bias: bias,
                        recurrentBias: recurrentBias, updateBias: updateBias, clip: clip, fused: fused,
                        recurrentActivation: ra, activation: a, quantizers: quantizers)
        }
    }

    private static func dense(_ r: inout AttrReader) throws -> DenseLayer {
        let weight = try r.matrix("weight")
        let bias = try r.optionalVector("bias")
        let a = try activation(&r, "activation", default: .linear)
        let normalize = try r.bool("normalize_rows", default: false)
        var quantizers = DenseQuantizers()
        if var q = try r.optionalDict("quantizers") {
            quantizers = DenseQuantizers(kernel: try q.optionalFixed("kernel"), bias: try q.optionalFixed("bias"))
            try q.finish()
        }
        var precision: DensePrecision?
        if var p = try r.optionalDict("precision") {
            precision = DensePrecision(weight: try p.fixed("weight"), bias: try p.fixed("bias"), accum: try p.fixed("accum"),
                                       result: try p.fixed("result"), table: try table(&p, "table"))
            try p.finish()
        }
        let implementation = try optionalImplementation(&r, "implementation")
        return try checked(r.loc) {
            try DenseLayer(weight: weight, bias: bias, activation: a, normalizeRows: normalize, quantizers: quantizers,
                           precision: precision, implementation: implementation)
        }
    }

    private static func activation(_ r: inout AttrReader, _ key: String, default function: ActivationFunction) throws -> Activation {
        guard r.has(key) else { return Activation(function) }
        if case .word = try r.raw(key) { return Activation(try r.enumValue(key, ActivationFunction.self)) }
        var d = try r.dict(key)
        let a = Activation(try d.enumValue("function", ActivationFunction.self), quantizer: try d.optionalFixed("quantizer"))
        try d.finish()
        return a
    }

    private static func implementation(_ r: inout AttrReader, _ key: String) throws -> Implementation {
        var d = try r.dict(key)
        let i = Implementation(strategy: try d.enumValue("strategy", Strategy.self), reuse: try d.int("reuse", in: 1...TextLimits.maxElements, default: 1),
                               recurrentReuse: try d.int("recurrent_reuse", in: 1...TextLimits.maxElements, default: 1))
        try d.finish()
        return i
    }

    private static func optionalImplementation(_ r: inout AttrReader, _ key: String) throws -> Implementation? {
        r.has(key) ? try implementation(&r, key) : nil
    }

    private static func table(_ r: inout AttrReader, _ key: String) throws -> TableSpec? {
        guard var d = try r.optionalDict(key) else { return nil }
        let t = TableSpec(size: try d.int("size", in: 1...TextLimits.maxTableSize), lower: try d.double("lower"),
                          upper: try d.double("upper"), entryType: try d.fixed("entry"))
        guard t.lower < t.upper else { throw d.fail("upper", "must exceed lower (\(formatDouble(t.lower)))") }
        try d.finish()
        return t
    }

    private static func element(_ r: inout AttrReader, _ key: String) throws -> ElementPrecision? {
        guard var d = try r.optionalDict(key) else { return nil }
        let p = ElementPrecision(result: try d.fixed("result"), table: try table(&d, "table"))
        try d.finish()
        return p
    }

    private static func lstmPrecision(_ r: inout AttrReader) throws -> LSTMPrecision {
        let p = LSTMPrecision(weight: try r.fixed("weight"), recurrentWeight: try r.fixed("recurrent_weight"), bias: try r.fixed("bias"),
                              accum: try r.fixed("accum"), recurrentActivation: try r.fixed("recurrent_activation"),
                              activation: try r.fixed("activation"), cellState: try r.fixed("cell_state"), state: try r.fixed("state"),
                              result: try r.fixed("result"), sigmoidTable: try table(&r, "sigmoid_table"), tanhTable: try table(&r, "tanh_table"))
        try r.finish()
        return p
    }

    private static func gruPrecision(_ r: inout AttrReader) throws -> GRUPrecision {
        let p = GRUPrecision(weight: try r.fixed("weight"), recurrentWeight: try r.fixed("recurrent_weight"), bias: try r.fixed("bias"),
                             recurrentBias: try r.fixed("recurrent_bias"), accum: try r.fixed("accum"),
                             recurrentActivation: try r.fixed("recurrent_activation"), activation: try r.fixed("activation"),
                             state: try r.fixed("state"), result: try r.fixed("result"),
                             sigmoidTable: try table(&r, "sigmoid_table"), tanhTable: try table(&r, "tanh_table"))
        try r.finish()
        return p
    }
}
