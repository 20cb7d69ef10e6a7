import XCTest
@testable import LFADSIR

final class QuantizePassTests: XCTestCase {
    typealias G = QuantizeTestGraphs
    let d16_6 = try! FixedType(parsing: "ap_fixed<16,6>")

    func assertComplete(_ g: Graph, file: StaticString = #filePath, line: UInt = #line) {
        let inventory = TensorInventory(g)
        XCTAssertFalse(inventory.entries.isEmpty, file: file, line: line)
        for (key, entry) in inventory.entries.sorted(by: { $0.key < $1.key }) {
            XCTAssertNotNil(entry.type, "no type for \(key)", file: file, line: line)
        }
        for node in g.nodes {
            switch node.op {
            case .input(let i): XCTAssertNotNil(i.precision, node.name, file: file, line: line)
            case .gru(let l): XCTAssertNotNil(l.precision, node.name, file: file, line: line)
            case .lstm(let l): XCTAssertNotNil(l.precision, node.name, file: file, line: line)
            case .bidirectionalGRU(let b):
                XCTAssertNotNil(b.forward.precision, file: file, line: line)
                XCTAssertNotNil(b.backward.precision, file: file, line: line)
            case .dense(let d): XCTAssertNotNil(d.precision, node.name, file: file, line: line)
            case .activation(let a): XCTAssertNotNil(a.precision, node.name, file: file, line: line)
            case .posteriorStd(let p): XCTAssertNotNil(p.precision?.table, node.name, file: file, line: line)
            case .decoder(let d):
                XCTAssertNotNil(d.precision?.controller, file: file, line: line)
                XCTAssertNotNil(d.factors.precision, file: file, line: line)
                XCTAssertNotNil(d.controller?.coMean.precision, file: file, line: line)
                XCTAssertNotNil(d.controller?.coLogvar?.precision, file: file, line: line)
            default: break
            }
        }
    }

    func testEveryTensorGetsATypeAndTablesTheirShapes() throws {
        for graph in [try G.autoencoder(), try G.lfads()] {
            let before = TensorInventory(graph)
            XCTAssertTrue(before.entries.values.allSatisfy { $0.type == nil }, "test graphs start unquantised")
            let out = try QuantizePass().run(graph)
            try Verifier.verify(out)
            assertComplete(out)
        }
        let g = try QuantizePass().run(try G.lfads())
        guard case .gru(let enc)? = g.node(named: "enc")?.op, let p = enc.precision else { return XCTFail("enc") }
        XCTAssertEqual(p.sigmoidTable, TableSpec(size: 1024, lower: -8, upper: 8, entryType: QuantizeDefaults.tableEntry))
        XCTAssertEqual(p.tanhTable, TableSpec(size: 1024, lower: -4, upper: 4, entryType: QuantizeDefaults.tableEntry))
        XCTAssertEqual(p.accum.description, "ap_fixed<24,10>")
        XCTAssertEqual(p.weight.description, "ap_fixed<16,6>")
        guard case .dense(let rates)? = g.node(named: "rates")?.op else { return XCTFail("rates") }
        // exp with ap_fixed<18,8> entries: e^4 = 54.6 fits, e^5 = 148 does not → [−12, 4).
        XCTAssertEqual(rates.precision?.table, TableSpec(size: 1024, lower: -12, upper: 4, entryType: QuantizeDefaults.tableEntry))
        guard case .dense(let ci)? = g.node(named: "ci")?.op else { return XCTFail("ci") }
        XCTAssertEqual(ci.precision?.table?.lower, -8)
        guard case .decoder(let dec)? = g.node(named: "dec")?.op else { return XCTFail("dec") }
        XCTAssertNotNil(dec.precision?.generator.sigmoidTable)
        XCTAssertNil(dec.implementation, "no strategy/reuse configured: left for the reuse pass")
    }

    /// An LSTM gets every field, a cell-state type of its own (overridable as `cell_state`) and one entry type for
    /// its sigmoid and tanh tables; hard gates need no sigmoid table.
    func testLSTMGetsACellStateType() throws {
        for hard in [false, true] {
            var b = GraphBuilder(name: "lstm")
            let x = try b.value("x", .input(InputOp(type: .sequence(steps: 4, width: 3))))
            let cell = try LSTMCell(kernel: Matrix(zeros: 8, 3), recurrentKernel: Matrix(zeros: 8, 2), bias: [Double](repeating: 0.1, count: 8),
                                    recurrentActivation: Activation(hard ? .hardSigmoid : .sigmoid))
            let y = try b.value("l", .lstm(LSTMLayer(cell: cell, returnSequences: false)), [x])
            let graph = try b.finish(outputs: [y])
            XCTAssertEqual(Set(TensorInventory(graph).entries.keys.filter { $0.layer == "l" }.map(\.field)),
                           [.weight, .recurrentWeight, .bias, .accum, .recurrentActivation, .activation, .cellState, .state, .result, .table])
            let cellType = try FixedType(parsing: "ap_fixed<20,8,AP_RND,AP_SAT>")
            var o = PrecisionOverrides()
            o.layers["l"] = LayerOverride(precision: [.cellState: cellType])
            let plan = try QuantizePass(overrides: o).plan(graph)
            assertComplete(plan.graph)
            guard case .lstm(let l)? = plan.graph.node(named: "l")?.op, let p = l.precision else { return XCTFail("lstm") }
            XCTAssertEqual(p.cellState, cellType)
            XCTAssertEqual(plan.choice(TensorKey("l", .cellState))?.source, .override)
            XCTAssertEqual(p.state, d16_6)
            XCTAssertEqual(p.accum.description, "ap_fixed<24,10>")
            XCTAssertEqual(p.sigmoidTable == nil, hard)
            XCTAssertEqual(p.tanhTable, TableSpec(size: 1024, lower: -4, upper: 4, entryType: QuantizeDefaults.tableEntry))
            XCTAssertEqual(PrecisionField(name: "cell_state"), .cellState)
        }
    }

    func testHardActivationsNeedNoTable() throws {
        let g = try QuantizePass().run(try G.autoencoder())
        guard case .bidirectionalGRU(let b)? = g.node(named: "enc")?.op else { return XCTFail("enc") }
        XCTAssertNil(b.forward.precision?.sigmoidTable)
        XCTAssertNil(b.forward.precision?.tanhTable)
        XCTAssertNotNil(b.backward.precision?.sigmoidTable)
    }

    func testQKerasQuantizersBeatDefaults() throws {
        let plan = try QuantizePass().plan(try G.autoencoder())
        func check(_ layer: String, _ field: PrecisionField, _ type: String, _ source: PrecisionSource, line: UInt = #line) {
            let c = plan.choice(TensorKey(layer, field))
            XCTAssertEqual(c?.type.description, type, "\(layer).\(field)", line: line)
            XCTAssertEqual(c?.source, source, "\(layer).\(field)", line: line)
        }
        check("enc.forward", .weight, "ap_fixed<16,2>", .qkeras)
        check("enc.forward", .recurrentBias, "ap_fixed<16,2>", .qkeras)
        check("enc.forward", .state, "ap_fixed<16,7,AP_RND_CONV,AP_SAT>", .qkeras)
        check("enc.forward", .recurrentActivation, "ap_ufixed<16,0,AP_RND_CONV,AP_SAT>", .qkeras)
        check("enc.forward", .activation, "ap_fixed<16,1,AP_RND_CONV,AP_SAT>", .qkeras)
        check("enc.forward", .accum, "ap_fixed<24,10>", .builtin)
        check("enc.backward", .weight, "ap_fixed<16,6>", .builtin)
        check("g0", .weight, "ap_fixed<16,2>", .qkeras)
        check("g0", .result, "ap_fixed<16,7,AP_RND_CONV,AP_SAT>", .qkeras)
        check("spikes", .result, "ap_ufixed<8,8,AP_TRN,AP_SAT>", .spikeCounts)
    }

    func testOverridesBeatQKerasAndConfigDefaultsSitBelowQKeras() throws {
        let t12 = try FixedType(parsing: "ap_fixed<12,4>")
        let t20 = try FixedType(parsing: "ap_fixed<20,8>")
        let t10 = try FixedType(parsing: "ap_fixed<10,3>")
        var o = PrecisionOverrides(defaultPrecision: t20, fieldDefaults: [.accum: try FixedType(parsing: "ap_fixed<32,12>")])
        o.layers["enc"] = LayerOverride(precision: [.weight: t12])
        o.layers["enc.backward"] = LayerOverride(precision: [.weight: t10], defaultPrecision: t10)
        o.layers["g0"] = LayerOverride(defaultPrecision: t12)
        let plan = try QuantizePass(overrides: o).plan(try G.autoencoder())
        XCTAssertEqual(plan.choice(TensorKey("enc.forward", .weight))?.type, t12)
        XCTAssertEqual(plan.choice(TensorKey("enc.forward", .weight))?.source, .override)
        // The part's own entry beats the node's.
        XCTAssertEqual(plan.choice(TensorKey("enc.backward", .weight))?.type, t10)
        XCTAssertEqual(plan.choice(TensorKey("enc.backward", .state))?.type, t10)
        // QKeras beats the model-wide config default.
        XCTAssertEqual(plan.choice(TensorKey("enc.forward", .state))?.source, .qkeras)
        XCTAssertEqual(plan.choice(TensorKey("enc.forward", .result))?.type, t20)
        XCTAssertEqual(plan.choice(TensorKey("enc.forward", .result))?.source, .config)
        XCTAssertEqual(plan.choice(TensorKey("gen", .accum))?.type.description, "ap_fixed<32,12>")
        // A layer-wide default beats the layer's QKeras quantizers.
        XCTAssertEqual(plan.choice(TensorKey("g0", .result))?.type, t12)
        XCTAssertEqual(plan.choice(TensorKey("g0", .weight))?.source, .override)
        // Table entries are not data tensors: the generic defaults do not reach them.
        XCTAssertEqual(plan.choice(TensorKey("rates", .table))?.type, QuantizeDefaults.tableEntry)
    }

    func testExistingPrecisionIsKeptAndThePassIsIdempotent() throws {
        let t12 = try FixedType(parsing: "ap_fixed<12,4>")
        var o = PrecisionOverrides()
        o.layers["factors"] = LayerOverride(precision: [.weight: t12])
        let once = try QuantizePass(overrides: o).run(try G.autoencoder())
        let twice = try QuantizePass().run(once)
        XCTAssertEqual(once, twice)
        let plan = try QuantizePass().plan(once)
        XCTAssertTrue(plan.choices.allSatisfy { $0.source == .ir })
    }

    func testStrategyAndReuseAreLeftToTheStrategyPass() throws {
        let o = PrecisionOverrides(strategy: .resource, reuse: 2)
        let g = try QuantizePass(overrides: o).run(try G.lfads())
        guard case .gru(let enc)? = g.node(named: "enc")?.op, case .decoder(let dec)? = g.node(named: "dec")?.op else { return XCTFail() }
        XCTAssertNil(enc.implementation)
        XCTAssertNil(dec.implementation)
        XCTAssertNil(dec.factors.implementation)
    }

    func testUnknownLayerIsRejectedWithTheLayerList() throws {
        var o = PrecisionOverrides()
        o.layers["encoder"] = LayerOverride(reuse: 2)
        XCTAssertThrowsError(try QuantizePass(overrides: o).run(try G.autoencoder())) { e in
            let m = "\(e)"
            XCTAssertTrue(m.contains("'encoder'") && m.contains("enc.forward"), m)
        }
        let plan = try QuantizePass(overrides: o, rejectUnknownLayers: false).plan(try G.autoencoder())
        XCTAssertEqual(plan.unusedOverrides, ["encoder"])
    }

    func testTableSettings() throws {
        var o = PrecisionOverrides(tableSize: 256)
        o.layers["rates"] = LayerOverride(precision: [.table: try FixedType(parsing: "ap_ufixed<16,4>")], tableSize: 512, tableRange: -8...8)
        let g = try QuantizePass(overrides: o).run(try G.lfads())
        guard case .dense(let rates)? = g.node(named: "rates")?.op, case .gru(let enc)? = g.node(named: "enc")?.op else { return XCTFail() }
        XCTAssertEqual(rates.precision?.table, TableSpec(size: 512, lower: -8, upper: 8, entryType: try FixedType(parsing: "ap_ufixed<16,4>")))
        XCTAssertEqual(enc.precision?.sigmoidTable?.size, 256)
        // A range the table design cannot index (width not a power of two) names the layer.
        o.layers["rates"]?.tableRange = -8...4
        XCTAssertThrowsError(try QuantizePass(overrides: o).run(try G.lfads())) { e in
            XCTAssertTrue("\(e)".contains("layer 'rates'"), "\(e)")
        }
    }

    func testExpRangeFollowsTheEntryType() {
        XCTAssertTrue(QuantizeDefaults.expRange(entry: QuantizeDefaults.tableEntry, size: 1024) == (-12, 4))
        XCTAssertTrue(QuantizeDefaults.expRange(entry: try! FixedType(parsing: "ap_ufixed<16,8>"), size: 1024) == (-11, 5))
        let small = QuantizeDefaults.expRange(entry: QuantizeDefaults.tableEntry, size: 4)
        XCTAssertEqual(small.lower * 4 / 16, (small.lower * 4 / 16).rounded())
        XCTAssertNoThrow(try LookupTable(function: .exp, size: 4, lower: small.lower, upper: small.upper, entryType: QuantizeDefaults.tableEntry))
    }

    func testPrecisionTableListsEveryChoice() throws {
        var o = PrecisionOverrides(reuse: 2)
        o.layers["factors"] = LayerOverride(precision: [.weight: try FixedType(parsing: "ap_fixed<8,1>")])
        o.layers["nonexistent"] = LayerOverride(reuse: 3)
        let text = QuantizePass(overrides: o).precisionTable(try G.autoencoder())
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("layer"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("factors") && $0.contains("weight") && $0.contains("ap_fixed<8,1>") && $0.contains("override") }, text)
        XCTAssertTrue(lines.contains { $0.hasPrefix("enc.forward") && $0.contains("state") && $0.contains("qkeras") }, text)
        XCTAssertTrue(lines.contains { $0.hasPrefix("enc.backward") && $0.contains("table") && $0.contains("sigmoid 1024 [-8, 8)") }, text)
        XCTAssertTrue(lines.contains { $0.hasPrefix("gen") && $0.contains("implementation") && $0.contains("rf=2/2") && $0.contains("config") }, text)
        XCTAssertEqual(lines.last, "unused overrides (no such layer): nonexistent")
        let plan = try QuantizePass(overrides: o, rejectUnknownLayers: false).plan(try G.autoencoder())
        let implementations = StrategyPass(overrides: o).configuredImplementations(try G.autoencoder())
        XCTAssertEqual(lines.count, 1 + plan.choices.count + implementations.count + 1)
    }
}
