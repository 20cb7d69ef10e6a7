@testable import LFADSIR

/// Small graphs covering every op with a precision, built with GraphBuilder.
enum QuantizeTestGraphs {
    static func matrix(_ rows: Int, _ columns: Int, scale: Double = 0.1) throws -> Matrix {
        try Matrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { Double($0 % 7 - 3) * scale })
    }

    static func cell(_ input: Int, _ hidden: Int, quantizers: RecurrentQuantizers = RecurrentQuantizers(),
                     recurrent: Activation = Activation(.sigmoid), candidate: Activation = Activation(.tanh)) throws -> GRUCell {
        try GRUCell(reset: .after, kernel: matrix(3 * hidden, input), recurrentKernel: matrix(3 * hidden, hidden),
                    bias: Array(repeating: 0.01, count: 3 * hidden), recurrentBias: Array(repeating: -0.02, count: 3 * hidden),
                    recurrentActivation: recurrent, activation: candidate, quantizers: quantizers)
    }

    static let q16_2 = try! FixedType(parsing: "fixed<16,2>")
    static let q16_7 = try! FixedType(parsing: "fixed<16,7,RND_CONV,SAT>")
    static let q16_1 = try! FixedType(parsing: "fixed<16,1,RND_CONV,SAT>")
    static let u16_0 = try! FixedType(parsing: "ufixed<16,0,RND_CONV,SAT>")

    /// spikes → bigru (QKeras quantizers on the forward direction) → dense (g0) → gru from g0 → dense → exp.
    static func autoencoder() throws -> Graph {
        var b = GraphBuilder(name: "ae")
        let spikes = try b.value("spikes", .input(InputOp(type: .sequence(steps: 5, width: 3))))
        let zeros = try b.value("dec_in", .input(InputOp(type: .sequence(steps: 5, width: 1))))
        let fq = RecurrentQuantizers(kernel: q16_2, recurrentKernel: q16_2, bias: q16_2, state: q16_7)
        let fwd = GRULayer(cell: try cell(3, 4, quantizers: fq, recurrent: Activation(.hardSigmoid, quantizer: u16_0),
                                          candidate: Activation(.hardTanh, quantizer: q16_1)), returnSequences: false)
        let bwd = GRULayer(cell: try cell(3, 4), reverse: true, returnSequences: false)
        let enc = try b.value("enc", .bidirectionalGRU(BidirectionalGRULayer(forward: fwd, backward: bwd)), [spikes])
        let g0 = try b.value("g0", .dense(DenseLayer(weight: matrix(4, 8), bias: Array(repeating: 0, count: 4),
                                                     activation: Activation(.linear, quantizer: q16_7),
                                                     quantizers: DenseQuantizers(kernel: q16_2, bias: q16_2))), [enc])
        let gen = try b.value("gen", .gru(GRULayer(cell: try cell(1, 4), returnSequences: true, initialState: .operand)), [zeros, g0])
        let factors = try b.value("factors", .dense(DenseLayer(weight: matrix(2, 4), bias: nil)), [gen])
        let logrates = try b.value("logrates", .dense(DenseLayer(weight: matrix(3, 2), bias: [0, 0, 0])), [factors])
        let rates = try b.value("rates", .activation(ActivationOp(Activation(.exp))), [logrates])
        return try b.finish(outputs: [rates, logrates])
    }

    /// An LFADS decoder with a controller, a posterior std and a sigmoid dense layer.
    static func lfads() throws -> Graph {
        var b = GraphBuilder(name: "lfads")
        let spikes = try b.value("spikes", .input(InputOp(type: .sequence(steps: 4, width: 3))))
        let enc = try b.value("enc", .gru(GRULayer(cell: try cell(3, 4), returnSequences: false)), [spikes])
        let mean = try b.value("ic_mean", .dense(DenseLayer(weight: matrix(4, 4), bias: [0, 0, 0, 0])), [enc])
        let logvar = try b.value("ic_logvar", .dense(DenseLayer(weight: matrix(4, 4), bias: [0, 0, 0, 0])), [enc])
        _ = try b.value("ic_std", .posteriorStd(PosteriorStdOp(varianceFloor: 1e-4)), [logvar])
        let ci = try b.value("ci", .dense(DenseLayer(weight: matrix(2, 3), bias: [0, 0], activation: Activation(.sigmoid))), [spikes])
        let controller = ControllerSpec(cell: try cell(2 + 2, 3), initialState: [0, 0, 0],
                                        coMean: try DenseLayer(weight: matrix(1, 3), bias: [0]),
                                        coLogvar: try DenseLayer(weight: matrix(1, 3), bias: [0]))
        let dec = try LFADSDecoderLayer(steps: 4, generator: try cell(1, 4), factors: try DenseLayer(weight: matrix(2, 4), bias: nil),
                                        controller: controller)
        let results = try b.add("dec", .decoder(dec), [mean, ci])
        let rates = try b.value("rates", .dense(DenseLayer(weight: matrix(3, 2), bias: [0, 0, 0], activation: Activation(.exp))), [results[0]])
        return try b.finish(outputs: [rates])
    }
}
