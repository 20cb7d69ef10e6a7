import XCTest
@testable import LFADSIR

/// Every op and variant: print → parse is the identity, and printing is a fixed point.
final class IRTextRoundTripTests: XCTestCase {
    func testInputWithAndWithoutPrecision() throws {
        for precision in [nil, try IRTextFixtures.fixed("ap_uint<3>"), try IRTextFixtures.fixed("ap_ufixed<8,4,AP_RND,AP_SAT>")] {
            var b = GraphBuilder(name: "inputs")
            let s = try b.value("spikes", .input(InputOp(type: .sequence(steps: 73, width: 70), precision: precision)))
            let v = try b.value("vector_in", .input(InputOp(type: .vector(width: 1))))
            assertRoundTrip(try b.finish(outputs: [s, v]))
        }
    }

    func testGRUResetPlacementsAndAllGateOrders() throws {
        var f = IRTextFixtures(seed: 2)
        for reset in ResetPlacement.allCases {
            for order in ["zrh", "zhr", "rzh", "rhz", "hzr", "hrz"] {
                let layer = GRULayer(cell: try f.cell(input: 3, hidden: 2, reset: reset, order: try GateOrder(order)), returnSequences: true)
                let g = try f.gruGraph(layer)
                assertRoundTrip(g)
                let text = IRPrinter.print(g)
                XCTAssertTrue(text.contains("reset = \(reset.rawValue),\n  gate_order = \(order),\n"), text)
            }
        }
    }

    func testGRUCellOptions() throws {
        var f = IRTextFixtures(seed: 3)
        let q = try IRTextFixtures.fixed("ap_fixed<8,2,AP_RND,AP_SAT>")
        let variants: [GRUCell] = [
            try f.cell(input: 3, hidden: 2, clip: 5, fused: true),
            try f.cell(input: 3, hidden: 2, updateBias: 1, clip: 0.125),
            try f.cell(input: 3, hidden: 2, bias: false, recurrentBias: false),
            try f.cell(input: 3, hidden: 2, bias: true, recurrentBias: false),
            try f.cell(input: 3, hidden: 2, bias: false, recurrentBias: true),
            try f.cell(input: 3, hidden: 2, recurrentActivation: Activation(.hardSigmoid, quantizer: q), activation: Activation(.hardTanh)),
            try f.cell(input: 3, hidden: 2, recurrentActivation: Activation(.kerasHardSigmoid), activation: Activation(.relu, quantizer: q)),
            try f.cell(input: 3, hidden: 2, quantizers: RecurrentQuantizers(kernel: q, recurrentKernel: q, bias: q, state: q)),
            try f.cell(input: 3, hidden: 2, quantizers: RecurrentQuantizers(state: q)),
        ]
        for (i, cell) in variants.enumerated() {
            for reverse in [false, true] {
                for sequences in [false, true] {
                    let g = try f.gruGraph(GRULayer(cell: cell, reverse: reverse, returnSequences: sequences), name: "variant\(i)")
                    assertRoundTrip(g)
                }
            }
        }
    }

    func testGRUInitialStates() throws {
        var f = IRTextFixtures(seed: 4)
        let states: [InitialState] = [.zeros, .operand, .learned(f.values(4))]
        for state in states {
            let g = try f.gruGraph(GRULayer(cell: try f.cell(input: 3, hidden: 4), returnSequences: false, initialState: state))
            assertRoundTrip(g)
        }
        let text = IRPrinter.print(try f.gruGraph(GRULayer(cell: try f.cell(input: 3, hidden: 4), returnSequences: false, initialState: .operand)))
        XCTAssertTrue(text.contains("%rnn = gru(%x, %h0)"), text)
    }

    func testGRUPrecisionAndImplementation() throws {
        var f = IRTextFixtures(seed: 5)
        for tables in [false, true] {
            for strategy in Strategy.allCases {
                let layer = GRULayer(cell: try f.cell(input: 3, hidden: 2), returnSequences: true,
                                     precision: try IRTextFixtures.gruPrecision(tables: tables),
                                     implementation: Implementation(strategy: strategy, reuse: 3, recurrentReuse: 7))
                assertRoundTrip(try f.gruGraph(layer))
            }
        }
        let onlyImplementation = GRULayer(cell: try f.cell(input: 3, hidden: 2), returnSequences: true, implementation: Implementation(strategy: .latency))
        assertRoundTrip(try f.gruGraph(onlyImplementation))
    }

    func testBidirectionalGRU() throws {
        var f = IRTextFixtures(seed: 6)
        for sequences in [false, true] {
            var b = GraphBuilder(name: "bi")
            let x = try b.value("encoder_input", .input(InputOp(type: .sequence(steps: 7, width: 3))))
            let layer = BidirectionalGRULayer(
                forward: GRULayer(cell: try f.cell(input: 3, hidden: 2), returnSequences: sequences, initialState: .learned(f.values(2)),
                                  precision: try IRTextFixtures.gruPrecision(tables: true)),
                backward: GRULayer(cell: try f.cell(input: 3, hidden: 3, reset: .before, order: .rzh), reverse: true, returnSequences: sequences))
            let y = try b.value("enc", .bidirectionalGRU(layer), [x])
            let g = try b.finish(outputs: [y])
            assertRoundTrip(g)
            let text = IRPrinter.print(g)
            XCTAssertTrue(text.contains("tensor @enc.forward.kernel : 6x3 = ["), text)
            XCTAssertTrue(text.contains("tensor @enc.backward.initial_state") == false)
            XCTAssertTrue(text.contains("tensor @enc.forward.initial_state : 2 = ["))
        }
    }

    func testLSTM() throws {
        var f = IRTextFixtures(seed: 7)
        let q = try IRTextFixtures.fixed("ap_fixed<10,3>")
        for bias in [false, true] {
            for reverse in [false, true] {
                let cell = try LSTMCell(kernel: try f.matrix(8, 3), recurrentKernel: try f.matrix(8, 2), bias: bias ? f.values(8) : nil,
                                        recurrentActivation: Activation(.hardSigmoid, quantizer: q), activation: Activation(.tanh))
                var b = GraphBuilder(name: "lstm")
                let x = try b.value("x", .input(InputOp(type: .sequence(steps: 4, width: 3))))
                let t = try IRTextFixtures.fixed("ap_fixed<16,6,AP_RND,AP_SAT>")
                let precision = bias ? nil : LSTMPrecision(weight: q, recurrentWeight: t, bias: q, accum: t, recurrentActivation: q, activation: t,
                                                           cellState: try IRTextFixtures.fixed("ap_fixed<20,8>"), state: t, result: q,
                                                           tanhTable: TableSpec(size: 512, lower: -4, upper: 4, entryType: t))
                let y = try b.value("l", .lstm(LSTMLayer(cell: cell, reverse: reverse, returnSequences: reverse, precision: precision,
                                                         implementation: bias ? Implementation(strategy: .resource, reuse: 2) : nil)), [x])
                assertRoundTrip(try b.finish(outputs: [y]))
            }
        }
    }

    func testDenseVariants() throws {
        var f = IRTextFixtures(seed: 8)
        let q = try IRTextFixtures.fixed("ap_fixed<8,1,AP_RND_CONV,AP_SAT>")
        let layers: [DenseLayer] = [
            try f.dense(input: 3, output: 2),
            try f.dense(input: 3, output: 2, bias: false, normalizeRows: true),
            try f.dense(input: 3, output: 2, activation: Activation(.softmax)),
            try f.dense(input: 3, output: 2, activation: Activation(.sigmoid, quantizer: q), quantizers: DenseQuantizers(kernel: q, bias: q)),
            try f.dense(input: 3, output: 2, activation: Activation(.exp), quantizers: DenseQuantizers(bias: q),
                        precision: try IRTextFixtures.densePrecision(table: true), implementation: Implementation(strategy: .resource, reuse: 6)),
            try f.dense(input: 3, output: 2, precision: try IRTextFixtures.densePrecision(table: false)),
        ]
        for (i, layer) in layers.enumerated() {
            for sequence in [false, true] {
                var b = GraphBuilder(name: "dense\(i)")
                let x = try b.value("x", .input(InputOp(type: sequence ? .sequence(steps: 2, width: 3) : .vector(width: 3))))
                let y = try b.value("d", .dense(layer), [x])
                assertRoundTrip(try b.finish(outputs: [y]))
            }
        }
    }

    func testActivationOps() throws {
        let q = try IRTextFixtures.fixed("ap_fixed<16,8>")
        for function in ActivationFunction.allCases {
            for precision in [nil, ElementPrecision(result: q), ElementPrecision(result: q, table: try IRTextFixtures.table(64))] {
                var b = GraphBuilder(name: "act")
                let x = try b.value("x", .input(InputOp(type: .vector(width: 3))))
                let y = try b.value("a", .activation(ActivationOp(Activation(function, quantizer: precision == nil ? nil : q), precision: precision)), [x])
                assertRoundTrip(try b.finish(outputs: [y]))
            }
        }
    }

    func testConcatSliceTimeShift() throws {
        var b = GraphBuilder(name: "shapes")
        let x = try b.value("x", .input(InputOp(type: .sequence(steps: 5, width: 4))))
        let y = try b.value("y", .input(InputOp(type: .sequence(steps: 5, width: 2))))
        let c = try b.value("c", .concat, [x, y, x])
        let s = try b.value("s", .slice(start: 3, count: 5), [c])
        let t = try b.value("t", .timeShift(lag: 1), [s])
        let u = try b.value("u", .timeShift(lag: -2), [t])
        let g = try b.finish(outputs: [u, c])
        assertRoundTrip(g)
        let text = IRPrinter.print(g)
        XCTAssertTrue(text.contains("%c = concat(%x, %y, %x) : seq<5x10>\n"), text)
        XCTAssertTrue(text.contains("%s = slice(%c) { start = 3, count = 5 } : seq<5x5>\n"), text)
        XCTAssertTrue(text.contains("%t = time_shift(%s) { lag = 1 } : seq<5x5>\n"), text)
    }

    func testSampleAndPosteriorStd() throws {
        let typed = SamplePrecision(std: ElementPrecision(result: try IRTextFixtures.fixed("ap_fixed<16,6>"), table: try IRTextFixtures.table(256)),
                                    epsilon: try IRTextFixtures.fixed("ap_fixed<12,4,AP_RND,AP_SAT>"), result: try IRTextFixtures.fixed("ap_fixed<18,6>"))
        for mode in [SampleMode.mean, .gaussian(seed: 0), .gaussian(seed: 42), .gaussian(seed: .max), .gaussian(seed: 7, precision: typed),
                     .gaussian(seed: 3, varianceFloor: 1e-4), .gaussian(seed: 3, varianceFloor: 0.125, precision: typed)] {
            for precision in [nil, ElementPrecision(result: try IRTextFixtures.fixed("ap_ufixed<16,4>"), table: try IRTextFixtures.table(256))] {
                var b = GraphBuilder(name: "posterior")
                let m = try b.value("mean", .input(InputOp(type: .vector(width: 3))))
                let lv = try b.value("logvar", .input(InputOp(type: .vector(width: 3))))
                let z = try b.value("z", .sample(mode), [m, lv])
                let sd = try b.value("sd", .posteriorStd(PosteriorStdOp(varianceFloor: 1e-4, precision: precision)), [lv])
                assertRoundTrip(try b.finish(outputs: [z, sd]))
            }
        }
    }

    func testDecoderWithoutController() throws {
        var f = IRTextFixtures(seed: 9)
        for external in [0, 2] {
            for precision in [false, true] {
                let g = try f.lfadsGraph(controller: false, external: external, precision: precision)
                assertRoundTrip(g)
                if external == 0 {
                    // The generator has no input at all: its kernel is 12x0.
                    XCTAssertTrue(IRPrinter.print(g).contains("tensor @dec.generator.kernel : 12x0 = []\n"))
                }
            }
        }
    }

    func testDecoderWithController() throws {
        var f = IRTextFixtures(seed: 10)
        for external in [0, 3] {
            for coLogvar in [false, true] {
                for precision in [false, true] {
                    let g = try f.lfadsGraph(controller: true, external: external, coLogvar: coLogvar, precision: precision)
                    assertRoundTrip(g)
                    let text = IRPrinter.print(g)
                    XCTAssertTrue(text.contains("tensor @dec.controller.co_mean.weight : 2x3 = ["), text)
                    XCTAssertEqual(text.contains("@dec.controller.co_logvar.weight"), coLogvar)
                }
            }
        }
    }

    func testNamesMetadataAndTensorNameClash() throws {
        var f = IRTextFixtures(seed: 11)
        var b = GraphBuilder(name: "quote \" back \\ newline \n tab \t unicode λ", metadata: [
            "importer": "keras", "source file": "/tmp/model weights.h5", "empty": "", "weird": "a=b, {c} # d\u{1}",
        ])
        let x = try b.value("in-put_1", .input(InputOp(type: .sequence(steps: 3, width: 3))))
        let bi = try b.value("a", .bidirectionalGRU(BidirectionalGRULayer(
            forward: GRULayer(cell: try f.cell(input: 3, hidden: 2), returnSequences: true),
            backward: GRULayer(cell: try f.cell(input: 3, hidden: 2), reverse: true, returnSequences: true))), [x])
        // A GRU node named "a.forward" would also own @a.forward.kernel: the printer must disambiguate.
        let y = try b.value("a.forward", .gru(GRULayer(cell: try f.cell(input: 4, hidden: 2), returnSequences: true)), [bi])
        let z = try b.value("weird<>name.0", .dense(try f.dense(input: 2, output: 1)), [y])
        let g = try b.finish(outputs: [z, bi])
        assertRoundTrip(g)
        let text = IRPrinter.print(g)
        XCTAssertTrue(text.contains("tensor @a.forward.kernel$2 : 6x4 = ["), text)
        XCTAssertTrue(text.contains("meta \"source file\" = \"/tmp/model weights.h5\"\n"), text)
        XCTAssertTrue(text.hasPrefix("lfadsir 1\ngraph \"quote \\\" back \\\\ newline \\n tab \\t unicode λ\"\nmeta empty = \"\"\n"), text)
    }

    func testDoublesRoundTripBitForBit() throws {
        var f = IRTextFixtures(seed: 12)
        let special: [Double] = [0, -0.0, .leastNonzeroMagnitude, -.leastNormalMagnitude, .greatestFiniteMagnitude, .ulpOfOne, 0.1, 1e23, 123456789012345680]
        let values = special + f.values(4000)
        var b = GraphBuilder(name: "doubles")
        let x = try b.value("x", .input(InputOp(type: .vector(width: values.count))))
        let y = try b.value("d", .dense(try DenseLayer(weight: try Matrix(rows: 1, columns: values.count, values: values), bias: [-0.0])), [x])
        let g = try b.finish(outputs: [y])
        let parsed = try IRParser.parse(IRPrinter.print(g))
        guard case .dense(let d) = parsed.nodes[1].op else { return XCTFail("not dense") }
        XCTAssertEqual(d.weight.values.map(\.bitPattern), values.map(\.bitPattern))
        XCTAssertEqual(d.bias?.first?.sign, .minus)
    }

    func testLayoutOfPrintedText() throws {
        var f = IRTextFixtures(seed: 13)
        let g = try f.lfadsGraph()
        let text = IRPrinter.print(g)
        XCTAssertTrue(text.hasPrefix("lfadsir 1\ngraph \"lfads\"\nmeta importer = \"test\"\nmeta output_units = \"log-rates\"\n%spikes = input() { precision = ap_ufixed<4,4> } : seq<6x4>\n"), text)
        XCTAssertTrue(text.contains("%dec = lfads_decoder(%g0, %ci, %ext) {\n  steps = 6,\n  external_inputs = 2,\n"), text)
        XCTAssertTrue(text.contains(" : seq<6x2>, seq<6x4>, seq<6x3>, seq<6x2>, seq<6x2>\n"), text)
        XCTAssertTrue(text.contains("output %rates\noutput %dec.factors\n"), text)
        XCTAssertTrue(text.contains("%g0 = sample(%g0_mean, %g0_logvar) { mode = mean } : vec<4>\n"), text)
        // Eight values per tensor line.
        let kernelBlock = text.components(separatedBy: "tensor @enc.forward.kernel : 9x4 = [\n")[1].components(separatedBy: "\n]")[0]
        XCTAssertEqual(kernelBlock.split(separator: "\n").map { $0.split(separator: " ").count }, [8, 8, 8, 8, 4])
    }

    func testSummaryModeIsReadableButNotParseable() throws {
        var f = IRTextFixtures(seed: 14)
        let g = try f.lfadsGraph()
        let text = IRPrinter.print(g, weights: .summary)
        XCTAssertFalse(text.contains("= [\n"))
        XCTAssertTrue(text.contains("tensor @dec.generator.kernel : 12x4 summary min="), text)
        XCTAssertEqual(IRPrinter.print(g).components(separatedBy: "\ntensor @").count, text.components(separatedBy: "\ntensor @").count)
        XCTAssertThrowsError(try IRParser.parse(text, source: "s.ir")) { error in
            guard case IRError.parse(let m) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(m.hasPrefix("s.ir:"), m)
            XCTAssertTrue(m.contains("summary"), m)
        }
        // Statistics are of the real values.
        var b = GraphBuilder(name: "stats")
        let x = try b.value("x", .input(InputOp(type: .vector(width: 4))))
        let y = try b.value("d", .dense(try DenseLayer(weight: try Matrix(rows: 1, columns: 4, values: [-2, 0, 1, 5]), bias: nil)), [x])
        let s = IRPrinter.print(try b.finish(outputs: [y]), weights: .summary)
        XCTAssertTrue(s.contains("tensor @d.weight : 1x4 summary min=-2 max=5 mean=1\n"), s)
    }
}

/// A model of realistic size (about 200k weights) through the text form, timed for the report.
final class IRTextScaleTests: XCTestCase {
    func testRealisticSizeRoundTrip() throws {
        var f = IRTextFixtures(seed: 30)
        var b = GraphBuilder(name: "scale")
        let x = try b.value("spikes", .input(InputOp(type: .sequence(steps: 73, width: 70))))
        let enc = try b.value("enc", .bidirectionalGRU(BidirectionalGRULayer(
            forward: GRULayer(cell: try f.cell(input: 70, hidden: 128), returnSequences: false),
            backward: GRULayer(cell: try f.cell(input: 70, hidden: 128), reverse: true, returnSequences: false))), [x])
        let g0 = try b.value("g0", .dense(try f.dense(input: 256, output: 128)), [enc])
        let dec = try b.add("dec", .decoder(try LFADSDecoderLayer(steps: 73, generator: try f.cell(input: 0, hidden: 128),
                                                                   factors: try f.dense(input: 128, output: 16), controller: nil)), [g0])
        let rates = try b.value("rates", .dense(try f.dense(input: 16, output: 70, activation: Activation(.exp))), [dec[0]])
        let g = try b.finish(outputs: [rates])

        let t0 = Date()
        let text = IRPrinter.print(g)
        let t1 = Date()
        let parsed = try IRParser.parse(text)
        let t2 = Date()
        XCTAssertEqual(parsed, g)
        let weights = text.components(separatedBy: "\n").filter { $0.hasPrefix("  ") && !$0.contains("=") }.reduce(0) { $0 + $1.split(separator: " ").count }
        print(String(format: "IR text scale: %d weights, %d bytes, print %.3f s, parse %.3f s", weights, text.utf8.count,
                     t1.timeIntervalSince(t0), t2.timeIntervalSince(t1)))
    }
}
