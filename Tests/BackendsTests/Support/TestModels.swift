// Small seeded LFADS-like graphs with every precision field filled, for the simulator and C-simulation tests.
import Foundation
import LFADSIR


func fx(_ text: String) -> FixedType {
    // Test literals are valid by construction.
    (try? FixedType(parsing: text)) ?? (try! FixedType(width: 16, integer: 6))
}

/// One point of the precision grid.
struct HWConfig: CustomStringConvertible {
    var name: String
    var input = fx("ap_fixed<16,6>")
    var data = fx("ap_fixed<16,6>")
    var weight = fx("ap_fixed<16,6>")
    var bias = fx("ap_fixed<16,6>")
    var accum = fx("ap_fixed<16,6>")
    var gate = fx("ap_fixed<16,6>")
    var cand = fx("ap_fixed<16,6>")
    var state = fx("ap_fixed<16,6>")
    var tableSize = 1024
    var tableEntry = fx("ap_fixed<18,8>")
    var strategy = Strategy.latency
    /// Per-layer strategies of lfadsLike (layer name → strategy) over `strategy`: a mixed design.
    var layerStrategy = [String: Strategy]()
    var reuse = 1
    var recurrentReuse = 1
    var reset = ResetPlacement.after
    var gateOrder = GateOrder.zrh
    var clip: Double? = nil
    var hard = false
    var outputFunction = ActivationFunction.linear
    var outputTable: TableSpec? = nil
    var quantizer: FixedType? = nil
    var updateBias = 0.0
    var normalizeRows = false
    var learnedInitial = false
    var seed: UInt64 = 1
    var steps = 6
    var inputs = 5
    var hidden = 4
    var generator = 5
    var factors = 3
    var neurons = 7
    var externalInputs = 2
    /// Adds a second bidirectional GRU returning sequences, two of its features joined into the primary output.
    var sequenceEncoder = false
    /// nil: the encoder/decoder chain of `lfadsLike`; otherwise an LFADS decoder loop (see `decoderModel`).
    var decoder: (controller: Bool, external: Bool)? = nil
    /// An LSTM model instead (see `lstmModel`): the first LSTM returns sequences or its last state.
    var lstm: (returnSequences: Bool, reverse: Bool)? = nil
    var cell = fx("ap_fixed<16,6>")
    /// The LSTM's activation (candidate and act(c)); its gates are hard sigmoid when `hard`, else the sigmoid table.
    var lstmActivation = ActivationFunction.tanh
    /// Graph outputs (value names) the emitted design writes after the primary one (`--outputs`).
    var outputs: [String] = []

    var description: String { name }
}

enum TestModels {
    static func matrix(_ rows: Int, _ columns: Int, _ scale: Double, _ rng: inout SplitMix64) -> Matrix {
        (try? Matrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in Double.random(in: -scale...scale, using: &rng) }))
            ?? Matrix(zeros: rows, columns)
    }

    static func vector(_ n: Int, _ scale: Double, _ rng: inout SplitMix64) -> [Double] {
        (0..<n).map { _ in Double.random(in: -scale...scale, using: &rng) }
    }

    static func gruPrecision(_ c: HWConfig) -> GRUPrecision {
        GRUPrecision(weight: c.weight, recurrentWeight: c.weight, bias: c.bias, recurrentBias: c.bias, accum: c.accum,
                     recurrentActivation: c.gate, activation: c.cand, state: c.state, result: c.data,
                     sigmoidTable: TableSpec(size: c.tableSize, lower: -8, upper: 8, entryType: c.tableEntry),
                     tanhTable: TableSpec(size: c.tableSize, lower: -4, upper: 4, entryType: c.tableEntry))
    }

    static func cell(_ c: HWConfig, inputs: Int, hidden: Int, _ rng: inout SplitMix64) throws -> GRUCell {
        try GRUCell(reset: c.reset, gateOrder: c.gateOrder, kernel: matrix(3 * hidden, inputs, 0.6, &rng),
                    recurrentKernel: matrix(3 * hidden, hidden, 0.6, &rng), bias: vector(3 * hidden, 0.3, &rng),
                    recurrentBias: vector(3 * hidden, 0.3, &rng), updateBias: c.updateBias, clip: c.clip,
                    recurrentActivation: Activation(c.hard ? .hardSigmoid : .sigmoid),
                    activation: Activation(c.hard ? .hardTanh : .tanh))
    }

    /// spikes → bigru → dense mean → sample(mean) → generator GRU (input `ext`, initial state g0) →
    /// factors (no bias) → readout → output activation → concat with the factors → slice.
    static func lfadsLike(_ c: HWConfig) throws -> Graph {
        var rng = SplitMix64(seed: c.seed)
        func impl(_ layer: String) -> Implementation {
            Implementation(strategy: c.layerStrategy[layer] ?? c.strategy, reuse: c.reuse, recurrentReuse: c.recurrentReuse)
        }
        var b = GraphBuilder(name: "hw_\(c.name)")
        let x = try b.value("spikes", .input(InputOp(type: .sequence(steps: c.steps, width: c.inputs), precision: c.input)))
        let ext = try b.value("ext", .input(InputOp(type: .sequence(steps: c.steps, width: c.externalInputs), precision: c.input)))
        var fwd = GRULayer(cell: try cell(c, inputs: c.inputs, hidden: c.hidden, &rng), returnSequences: false,
                           precision: gruPrecision(c), implementation: impl("encoder"))
        var bwd = GRULayer(cell: try cell(c, inputs: c.inputs, hidden: c.hidden, &rng), reverse: true, returnSequences: false,
                           precision: gruPrecision(c), implementation: impl("encoder"))
        if c.learnedInitial {
            fwd.initialState = .learned(vector(c.hidden, 0.5, &rng))
            bwd.initialState = .learned(vector(c.hidden, 0.5, &rng))
        }
        let enc = try b.value("encoder", .bidirectionalGRU(BidirectionalGRULayer(forward: fwd, backward: bwd)), [x])
        let densePrecision = DensePrecision(weight: c.weight, bias: c.bias, accum: c.accum, result: c.data)
        let mean = try b.value("ic_mean", .dense(try DenseLayer(weight: matrix(c.generator, 2 * c.hidden, 0.7, &rng),
                                                                bias: vector(c.generator, 0.2, &rng), precision: densePrecision,
                                                                implementation: impl("ic_mean"))), [enc])
        let logvar = try b.value("ic_logvar", .dense(try DenseLayer(weight: matrix(c.generator, 2 * c.hidden, 0.7, &rng),
                                                                    bias: nil, precision: densePrecision)), [enc])
        let g0 = try b.value("g0", .sample(.mean), [mean, logvar])
        let gen = GRULayer(cell: try cell(c, inputs: c.externalInputs, hidden: c.generator, &rng), returnSequences: true, initialState: .operand,
                           precision: gruPrecision(c), implementation: impl("generator"))
        let states = try b.value("generator", .gru(gen), [ext, g0])
        let factors = try b.value("factors", .dense(try DenseLayer(weight: matrix(c.factors, c.generator, 0.8, &rng), bias: nil,
                                                                   normalizeRows: c.normalizeRows, precision: densePrecision,
                                                                   implementation: impl("factors"))), [states])
        let readout = try b.value("readout", .dense(try DenseLayer(weight: matrix(c.neurons, c.factors, 0.9, &rng),
                                                                   bias: vector(c.neurons, 0.5, &rng), precision: densePrecision,
                                                                   implementation: impl("readout"))), [factors])
        let act = try b.value("rates", .activation(ActivationOp(Activation(c.outputFunction, quantizer: c.quantizer),
                                                                precision: ElementPrecision(result: c.data, table: c.outputTable))), [readout])
        let shifted = try b.value("lagged", .timeShift(lag: 1), [factors])
        var parts = [act, shifted]
        if c.sequenceEncoder {
            let f2 = GRULayer(cell: try cell(c, inputs: c.inputs, hidden: 3, &rng), returnSequences: true, precision: gruPrecision(c), implementation: impl("encoder_seq"))
            let b2 = GRULayer(cell: try cell(c, inputs: c.inputs, hidden: 2, &rng), reverse: true, returnSequences: true,
                              precision: gruPrecision(c), implementation: impl("encoder_seq"))
            let seq = try b.value("encoder_seq", .bidirectionalGRU(BidirectionalGRULayer(forward: f2, backward: b2)), [x])
            parts.append(try b.value("encoder_seq_part", .slice(start: 2, count: 2), [seq]))
        }
        let joined = try b.value("joined", .concat, parts)
        let out = try b.value("out", .slice(start: 1, count: c.neurons + c.factors - 2 + (c.sequenceEncoder ? 2 : 0)), [joined])
        return try b.finish(outputs: [out, act, g0])
    }

    /// The graph a configuration describes.
    static func graph(_ c: HWConfig) throws -> Graph {
        if let l = c.lstm { return try lstmModel(c, returnSequences: l.returnSequences, reverse: l.reverse) }
        if let d = c.decoder { return try decoderModel(c, controller: d.controller, external: d.external) }
        return try lfadsLike(c)
    }

    /// g0 (an input) → LFADS decoder loop (optional controller fed a controller-input sequence, optional external
    /// input) → concat of all its results as the primary output.
    static func decoderModel(_ c: HWConfig, controller: Bool, external: Bool) throws -> Graph {
        var rng = SplitMix64(seed: c.seed)
        let impl = Implementation(strategy: c.strategy, reuse: c.reuse, recurrentReuse: c.recurrentReuse)
        let dp = DensePrecision(weight: c.weight, bias: c.bias, accum: c.accum, result: c.data)
        let co = 2, ciWidth = 3, conHidden = 4
        var b = GraphBuilder(name: "dec_\(c.name)")
        let g0 = try b.value("g0", .input(InputOp(type: .vector(width: c.generator), precision: c.data)))
        var operands = [g0]
        var spec: ControllerSpec?
        if controller {
            operands.append(try b.value("ci", .input(InputOp(type: .sequence(steps: c.steps, width: ciWidth), precision: c.data))))
            spec = ControllerSpec(cell: try cell(c, inputs: ciWidth + c.factors, hidden: conHidden, &rng),
                                  initialState: vector(conHidden, 0.4, &rng),
                                  coMean: try DenseLayer(weight: matrix(co, conHidden, 0.8, &rng), bias: vector(co, 0.2, &rng), precision: dp, implementation: impl))
        }
        let ext = external ? c.externalInputs : 0
        if external {
            operands.append(try b.value("ext", .input(InputOp(type: .sequence(steps: c.steps, width: ext), precision: c.data))))
        }
        let generator = try cell(c, inputs: (controller ? co : 0) + ext, hidden: c.generator, &rng)
        let factors = try DenseLayer(weight: matrix(c.factors, c.generator, 0.8, &rng), bias: nil, normalizeRows: c.normalizeRows,
                                     precision: dp, implementation: impl)
        let layer = try LFADSDecoderLayer(steps: c.steps, generator: generator, factors: factors, controller: spec, externalInputs: ext,
                                          precision: DecoderPrecision(generator: gruPrecision(c), controller: controller ? gruPrecision(c) : nil),
                                          implementation: DecoderImplementation(generator: impl, controller: controller ? impl : nil))
        let results = try b.add("dec", .decoder(layer), operands)
        let joined = try b.value("joined", .concat, results)
        return try b.finish(outputs: [joined] + results)
    }

    static func lstmPrecision(_ c: HWConfig) -> LSTMPrecision {
        LSTMPrecision(weight: c.weight, recurrentWeight: c.weight, bias: c.bias, accum: c.accum, recurrentActivation: c.gate,
                      activation: c.cand, cellState: c.cell, state: c.state, result: c.data,
                      sigmoidTable: TableSpec(size: c.tableSize, lower: -8, upper: 8, entryType: c.tableEntry),
                      tanhTable: TableSpec(size: c.tableSize, lower: -4, upper: 4, entryType: c.tableEntry))
    }

    static func lstmCell(_ c: HWConfig, inputs: Int, hidden: Int, _ rng: inout SplitMix64) throws -> LSTMCell {
        try LSTMCell(kernel: matrix(4 * hidden, inputs, 0.6, &rng), recurrentKernel: matrix(4 * hidden, hidden, 0.6, &rng),
                     bias: vector(4 * hidden, 0.4, &rng), recurrentActivation: Activation(c.hard ? .hardSigmoid : .sigmoid),
                     activation: Activation(c.lstmActivation))
    }

    /// x (inputs per step) → LSTM (hidden) → with sequences a second LSTM (3 units) on them, returning its last
    /// state → dense (neurons) → output activation; outputs [activation, first LSTM].
    static func lstmModel(_ c: HWConfig, returnSequences: Bool, reverse: Bool) throws -> Graph {
        var rng = SplitMix64(seed: c.seed)
        let impl = Implementation(strategy: c.strategy, reuse: c.reuse, recurrentReuse: c.recurrentReuse)
        var b = GraphBuilder(name: "lstm_\(c.name)")
        let x = try b.value("x", .input(InputOp(type: .sequence(steps: c.steps, width: c.inputs), precision: c.input)))
        let first = try b.value("lstm", .lstm(LSTMLayer(cell: try lstmCell(c, inputs: c.inputs, hidden: c.hidden, &rng), reverse: reverse,
                                                        returnSequences: returnSequences, precision: lstmPrecision(c), implementation: impl)), [x])
        var last = first
        var width = c.hidden
        if returnSequences {
            last = try b.value("lstm2", .lstm(LSTMLayer(cell: try lstmCell(c, inputs: c.hidden, hidden: 3, &rng), returnSequences: false,
                                                        precision: lstmPrecision(c), implementation: impl)), [first])
            width = 3
        }
        let dp = DensePrecision(weight: c.weight, bias: c.bias, accum: c.accum, result: c.data)
        let dense = try b.value("readout", .dense(try DenseLayer(weight: matrix(c.neurons, width, 0.9, &rng), bias: vector(c.neurons, 0.5, &rng),
                                                                 precision: dp, implementation: impl)), [last])
        let act = try b.value("rates", .activation(ActivationOp(Activation(c.outputFunction, quantizer: c.quantizer),
                                                                precision: ElementPrecision(result: c.data, table: c.outputTable))), [dense])
        return try b.finish(outputs: [act, first])
    }

    /// The published AE-LFADS shape: 73 bins × 70 neurons, bidirectional GRU 64 + 64, g0 64, generator 64 fed a
    /// 64-wide input, 4 factors, 70 log-rates; 16-bit types, resource strategy with reuse = n_in.
    static func paperSized() -> HWConfig {
        var c = HWConfig(name: "paper_sized")
        c.steps = 73
        c.inputs = 70
        c.hidden = 64
        c.generator = 64
        c.factors = 4
        c.neurons = 70
        c.externalInputs = 64
        c.weight = fx("ap_fixed<16,2>")
        c.bias = fx("ap_fixed<16,2>")
        c.strategy = .resource
        c.reuse = 70
        c.recurrentReuse = 64
        c.seed = 2402
        return c
    }

    /// `count` trials: spike counts 0...4 and external inputs in [-1.5, 1.5] (a few values far out of range).
    static func trials(_ graph: Graph, count: Int, seed: UInt64) -> [[String: [Double]]] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            var t = [String: [Double]]()
            for v in graph.inputs {
                t[v.name] = (0..<v.type.elementCount).map { _ in
                    if v.name == "spikes" { return Double(Int.random(in: 0...4, using: &rng)) }
                    if v.name == "g0" { return Double.random(in: -1...1, using: &rng) }
                    let r = Double.random(in: 0...1, using: &rng)
                    return r < 0.05 ? Double.random(in: -100...100, using: &rng) : Double.random(in: -1.5...1.5, using: &rng)
                }
            }
            return t
        }
    }

    /// The .dat text of trials: all inputs in graph order, time-major, one trial per line.
    static func datText(_ graph: Graph, _ trials: [[String: [Double]]]) -> String {
        trials.map { t in graph.inputs.flatMap { t[$0.name] ?? [] }.map { "\($0)" }.joined(separator: " ") + "\n" }.joined()
    }

    /// The model with its initial condition sampled (`--posterior sample --seed S`): the logvar layer, which the
    /// posterior mean never computes, takes the lfads schedule at reuse 1, and the sample the default types.
    static func sampling(_ graph: Graph, seed: UInt64) throws -> Graph {
        let sampled = try PosteriorSamplePass(seed: seed).run(graph)
        let lfads = try StrategyPass(perLayer: ["ic_logvar": .lfads]).run(sampled)
        return try QuantizePass(overrides: PrecisionOverrides()).run(lfads)
    }
}

extension Array where Element == HWConfig {
    /// The configurations named in environment variable `variable` (comma-separated, for debugging one failure),
    /// or nil when it is unset or empty.
    func selected(by variable: String) -> [HWConfig]? {
        guard let only = ProcessInfo.processInfo.environment[variable], !only.isEmpty else { return nil }
        let names = Set(only.split(separator: ",").map(String.init))
        return filter { names.contains($0.name) }
    }
}
