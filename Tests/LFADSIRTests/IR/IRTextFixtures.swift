import XCTest
@testable import LFADSIR

/// Small IR building blocks for the text tests. Weights come from random bit patterns (every finite
/// Double is possible, subnormals included), so round trips test exactness, not just closeness.
struct IRTextFixtures {
    var rng: SeededRandom

    init(seed: UInt64 = 1) { rng = SeededRandom(seed: seed) }

    mutating func values(_ n: Int) -> [Double] {
        (0..<n).map { _ in
            switch rng.int(0...3) {
            case 0:
                var v = Double(bitPattern: rng.next())
                while !v.isFinite { v = Double(bitPattern: rng.next()) }
                return v
            case 1: return rng.pick([0.0, -0.0, 0.1, -0.5, 1e-300, .leastNonzeroMagnitude, -Double.greatestFiniteMagnitude, 1.0 / 3.0])
            default: return Double.random(in: -1...1, using: &rng)
            }
        }
    }

    mutating func matrix(_ rows: Int, _ columns: Int) throws -> Matrix {
        try Matrix(rows: rows, columns: columns, values: values(rows * columns))
    }

    static func fixed(_ s: String) throws -> FixedType { try FixedType(parsing: s) }

    mutating func cell(input: Int, hidden: Int, reset: ResetPlacement = .after, order: GateOrder = .zrh, bias: Bool = true,
                       recurrentBias: Bool = true, updateBias: Double = 0, clip: Double? = nil, fused: Bool = false,
                       recurrentActivation: Activation = Activation(.sigmoid), activation: Activation = Activation(.tanh),
                       quantizers: RecurrentQuantizers = RecurrentQuantizers()) throws -> GRUCell {
        try GRUCell(reset: reset, gateOrder: order, kernel: matrix(3 * hidden, input), recurrentKernel: matrix(3 * hidden, hidden),
                    bias: bias ? values(3 * hidden) : nil, recurrentBias: recurrentBias ? values(3 * hidden) : nil,
                    updateBias: updateBias, clip: clip, fused: fused, recurrentActivation: recurrentActivation,
                    activation: activation, quantizers: quantizers)
    }

    mutating func dense(input: Int, output: Int, bias: Bool = true, activation: Activation = .linear, normalizeRows: Bool = false,
                        quantizers: DenseQuantizers = DenseQuantizers(), precision: DensePrecision? = nil,
                        implementation: Implementation? = nil) throws -> DenseLayer {
        try DenseLayer(weight: matrix(output, input), bias: bias ? values(output) : nil, activation: activation,
                       normalizeRows: normalizeRows, quantizers: quantizers, precision: precision, implementation: implementation)
    }

    static func table(_ size: Int = 1024) throws -> TableSpec {
        TableSpec(size: size, lower: -8, upper: 8, entryType: try fixed("ap_fixed<18,8,AP_RND,AP_SAT>"))
    }

    static func gruPrecision(tables: Bool) throws -> GRUPrecision {
        GRUPrecision(weight: try fixed("ap_fixed<16,6,AP_RND_CONV,AP_SAT>"), recurrentWeight: try fixed("ap_fixed<16,6>"),
                     bias: try fixed("ap_fixed<16,6,AP_RND>"), recurrentBias: try fixed("ap_fixed<16,6,AP_TRN,AP_WRAP,2>"),
                     accum: try fixed("ap_fixed<32,12>"), recurrentActivation: try fixed("ap_ufixed<8,0,AP_RND,AP_SAT>"),
                     activation: try fixed("ap_fixed<16,2>"), state: try fixed("ap_fixed<16,4,AP_RND_CONV,AP_SAT_SYM>"),
                     result: try fixed("ap_int<12>"),
                     sigmoidTable: tables ? try table(1024) : nil, tanhTable: tables ? try table(2048) : nil)
    }

    static func densePrecision(table: Bool) throws -> DensePrecision {
        DensePrecision(weight: try fixed("ap_fixed<16,6>"), bias: try fixed("ap_fixed<16,6>"), accum: try fixed("ap_fixed<24,10>"),
                       result: try fixed("ap_fixed<16,8,AP_RND,AP_SAT>"), table: table ? try Self.table(512) : nil)
    }

    /// A graph with one GRU over a seq<5x3> input, in the given configuration.
    mutating func gruGraph(_ layer: GRULayer, name: String = "g") throws -> Graph {
        var b = GraphBuilder(name: name)
        let x = try b.value("x", .input(InputOp(type: .sequence(steps: 5, width: layer.cell.inputSize))))
        var operands = [x]
        if layer.initialState == .operand {
            operands.append(try b.value("h0", .input(InputOp(type: .vector(width: layer.cell.hiddenSize)))))
        }
        let y = try b.value("rnn", .gru(layer), operands)
        return try b.finish(outputs: [y])
    }

    /// The encoder → sampling → decoder chain of an LFADS model, small, with a controller and external inputs.
    mutating func lfadsGraph(controller: Bool = true, external: Int = 2, coLogvar: Bool = true, precision: Bool = true) throws -> Graph {
        var b = GraphBuilder(name: "lfads", metadata: ["importer": "test", "output_units": "log-rates"])
        let steps = 6, neurons = 4, encH = 3, genH = 4, factors = 2, coDim = 2, conH = 3, ciH = 2
        let x = try b.value("spikes", .input(InputOp(type: .sequence(steps: steps, width: neurons), precision: try Self.fixed("ap_uint<4>"))))
        let enc = try b.value("enc", .bidirectionalGRU(BidirectionalGRULayer(
            forward: GRULayer(cell: try cell(input: neurons, hidden: encH, reset: .before, order: .rzh, bias: true, recurrentBias: false, updateBias: 1, clip: 5, fused: true),
                              returnSequences: false, initialState: .learned(values(encH))),
            backward: GRULayer(cell: try cell(input: neurons, hidden: encH, reset: .before, order: .rzh, bias: true, recurrentBias: false, updateBias: 1, clip: 5, fused: true),
                               reverse: true, returnSequences: false, initialState: .zeros,
                               precision: precision ? try Self.gruPrecision(tables: true) : nil,
                               implementation: precision ? Implementation(strategy: .lfads, reuse: 2, recurrentReuse: 3) : nil))), [x])
        let mean = try b.value("g0_mean", .dense(try dense(input: 2 * encH, output: genH)), [enc])
        let logvar = try b.value("g0_logvar", .dense(try dense(input: 2 * encH, output: genH)), [enc])
        let g0 = try b.value("g0", .sample(.mean), [mean, logvar])
        var operands = [g0]
        var spec: ControllerSpec?
        if controller {
            let ci = try b.value("ci_enc", .gru(GRULayer(cell: try cell(input: neurons, hidden: ciH), returnSequences: true)), [x])
            let lagged = try b.value("ci", .timeShift(lag: 1), [ci])
            operands.append(lagged)
            spec = ControllerSpec(cell: try cell(input: ciH + factors, hidden: conH, reset: .before, clip: 5), initialState: values(conH),
                                  coMean: try dense(input: conH, output: coDim),
                                  coLogvar: coLogvar ? try dense(input: conH, output: coDim, bias: false) : nil)
        }
        if external > 0 { operands.append(try b.value("ext", .input(InputOp(type: .sequence(steps: steps, width: external))))) }
        let decoder = try LFADSDecoderLayer(
            steps: steps, generator: try cell(input: (controller ? coDim : 0) + external, hidden: genH, reset: .before, updateBias: 1, clip: 5),
            factors: try dense(input: genH, output: factors, bias: false, normalizeRows: true), controller: spec, externalInputs: external,
            precision: precision ? DecoderPrecision(generator: try Self.gruPrecision(tables: false),
                                                    controller: controller ? try Self.gruPrecision(tables: true) : nil) : nil,
            implementation: precision ? DecoderImplementation(generator: Implementation(strategy: .resource, reuse: 4),
                                                              controller: controller ? Implementation(strategy: .latency) : nil) : nil)
        let results = try b.add("dec", .decoder(decoder), operands)
        let rates = try b.value("rates", .dense(try dense(input: factors, output: neurons, activation: Activation(.exp))), [results[0]])
        return try b.finish(outputs: [rates] + results)
    }
}

/// print → parse gives the same graph, and printing the parsed graph gives the same bytes.
func assertRoundTrip(_ g: Graph, file: StaticString = #filePath, line: UInt = #line) {
    let text = IRPrinter.print(g)
    do {
        let parsed = try IRParser.parse(text)
        XCTAssertEqual(parsed, g, "parsed graph differs", file: file, line: line)
        XCTAssertEqual(IRPrinter.print(parsed), text, "second print differs", file: file, line: line)
    } catch {
        XCTFail("parse failed: \(error)\n\(text.prefix(3000))", file: file, line: line)
    }
}
