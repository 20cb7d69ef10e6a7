import Foundation
import XCTest
@testable import LFADSIR

/// The spec parser and graph builders. Estimate agreement with real files is tested end to end in
/// lfadscTests/Commands/EstimateArchTests.swift.
final class ArchSpecTests: XCTestCase {
    func parse(_ text: String) throws -> ArchSpec { try ArchSpec(json: Data(text.utf8), file: "spec.json", targets: ["u55c", "u250"]) }

    func testSyntheticWeightsAreDenseDeterministicAndPerTensor() throws {
        let a = SyntheticWeights.values("enc/kernel", count: 10_000, fanIn: 100)
        XCTAssertFalse(a.contains(0))
        XCTAssertEqual(a, SyntheticWeights.values("enc/kernel", count: 10_000, fanIn: 100))
        XCTAssertNotEqual(a, SyntheticWeights.values("dec/kernel", count: 10_000, fanIn: 100))
        XCTAssertTrue(a.allSatisfy { abs($0) >= 0.025 && abs($0) < 0.1 })
        XCTAssertTrue(a.contains { $0 < 0 } && a.contains { $0 > 0 })
    }

    /// The lfads form goes through the lfads-torch importer's builder: same nodes, types and outputs as an
    /// imported export of the same sizes (the tiny test model), and no zero weight.
    func testLFADSFormBuildsTheTorchImportersGraph() throws {
        for controller in [true, false] {
            let tiny = LFADSTorchTinyModel(controller: controller)
            let imported = try tiny.importGraph()
            let h = tiny.hparams
            let spec = try parse(#"{"lfads": {"neurons": 5, "bins": 7, "ic_enc_dim": \#(h["ic_enc_dim"]!), "ci_enc_dim": \#(h["ci_enc_dim"]!), "con_dim": \#(h["con_dim"]!), "co_dim": \#(h["co_dim"]!), "ic_dim": \#(h["ic_dim"]!), "gen_dim": \#(h["gen_dim"]!), "fac_dim": \#(h["fac_dim"]!)}}"#)
            let g = spec.graph
            XCTAssertEqual(g.nodes.map(\.name), imported.nodes.map(\.name))
            XCTAssertEqual(g.valueTypes, imported.valueTypes)
            XCTAssertEqual(g.outputs, imported.outputs)
            XCTAssertEqual(g.name, "spec")
            guard case .decoder(let d)? = g.node(named: "decoder")?.op, case .decoder(let di)? = imported.node(named: "decoder")?.op else {
                return XCTFail("decoder")
            }
            XCTAssertEqual(d.generator.reset, .before)
            XCTAssertEqual(d.controller != nil, di.controller != nil)
            XCTAssertFalse(d.generator.recurrentKernel.values.contains(0))
        }
        // A reconstruction widens the read-out and builds its means, as the importer does for such a model.
        for (name, k) in [("Gamma", 2), ("ZeroInflatedGamma", 3), ("MSE", 1)] {
            let spec = try parse(#"{"lfads": {"neurons": 5, "bins": 7, "ic_enc_dim": 3, "ic_dim": 2, "gen_dim": 6, "fac_dim": 3, "reconstruction": "\#(name)"}}"#)
            guard case .dense(let r)? = spec.graph.node(named: "readout")?.op ?? spec.graph.node(named: "output_params")?.op else { return XCTFail(name) }
            XCTAssertEqual(r.weight.rows, 5 * k, name)
            XCTAssertEqual(spec.graph.valueTypes["output_params"], .sequence(steps: 7, width: 5), name)
            XCTAssertEqual(spec.graph.metadata["reconstruction_kind"], name)
        }
        XCTAssertNotNil(try parse(#"{"lfads": {"neurons": 5, "bins": 7, "ic_enc_dim": 3, "ic_dim": 2, "gen_dim": 6, "fac_dim": 3, "reconstruction": "ZeroInflatedGamma"}}"#).graph.node(named: "zig_parts"))
        let after = try parse(#"{"lfads": {"neurons": 5, "bins": 7, "ic_enc_dim": 3, "ic_dim": 2, "gen_dim": 6, "fac_dim": 3, "gru": "reset_after"}}"#)
        guard case .bidirectionalGRU(let b)? = after.graph.node(named: "ic_enc")?.op else { return XCTFail("ic_enc") }
        XCTAssertEqual(b.forward.cell.reset, .after)
    }

    func testStackBuildsKerasLayers() throws {
        let spec = try parse(#"""
        {"input": {"steps": 10, "features": 4}, "layers": [
          {"type": "bidirectional_gru", "units": 5, "activation": "hard_tanh"},
          {"type": "dense", "units": 6, "use_bias": false},
          {"type": "activation", "activation": "linear"},
          {"type": "gru", "units": 6, "return_sequences": true, "input": {"steps": 10, "features": 2}, "reset_after": false},
          {"type": "dense", "units": 3, "activation": "exponential"},
          {"type": "activation", "activation": "linear", "quantizer": "ap_fixed<16,7,AP_RND_CONV,AP_SAT>"},
          {"type": "dense", "units": 3, "name": "out"}]}
        """#)
        let g = spec.graph
        // A linear Activation without quantizer is Keras' identity: no node.
        XCTAssertEqual(g.nodes.map(\.name), ["input_1", "bidirectional", "dense", "gru_input", "gru", "dense_1", "activation_1", "out"])
        XCTAssertEqual(g.node(named: "gru")?.operands, ["gru_input", "dense"])
        XCTAssertEqual(g.valueTypes["out"], .sequence(steps: 10, width: 3))
        XCTAssertEqual(g.outputs, ["out"])
        guard case .gru(let gru)? = g.node(named: "gru")?.op, case .bidirectionalGRU(let bi)? = g.node(named: "bidirectional")?.op,
              case .dense(let dense)? = g.node(named: "dense")?.op, case .dense(let exp)? = g.node(named: "dense_1")?.op else { return XCTFail("ops") }
        XCTAssertEqual(gru.initialState, .operand)
        XCTAssertEqual(gru.cell.reset, .before)
        XCTAssertNil(gru.cell.recurrentBias)
        XCTAssertEqual(bi.forward.cell.reset, .after)
        XCTAssertEqual(bi.forward.cell.recurrentBias?.count, 15)
        XCTAssertEqual(bi.backward.reverse, true)
        XCTAssertEqual(bi.forward.cell.activation, Activation(.hardTanh))
        XCTAssertNil(dense.bias)
        XCTAssertEqual(exp.activation, Activation(.exp))
        XCTAssertEqual(g.valueTypes["bidirectional"], .vector(width: 10))
    }

    func testSettingsBecomeOverrides() throws {
        let spec = try parse(#"""
        {"part": "u250", "clock_mhz": 250, "precision": {"default": "ap_fixed<14,5>", "accum": "ap_fixed<20,8>"},
         "strategy": "Resource", "reuse": "n_in", "input": {"steps": 10, "features": 4}, "layers": [
          {"type": "bidirectional_gru", "name": "enc", "units": 5, "return_sequences": true},
          {"type": "lstm", "units": 7, "reuse": 2, "strategy": "latency", "precision": "ap_fixed<10,3>"},
          {"type": "dense", "units": 3}]}
        """#)
        XCTAssertEqual(spec.target, "u250")
        XCTAssertEqual(spec.clockMHz, 250)
        XCTAssertEqual(spec.reuse, .inputWidth)
        XCTAssertEqual(spec.overrides.strategy, .resource)
        XCTAssertEqual(spec.overrides.fieldDefaults[.accum], try FixedType(parsing: "ap_fixed<20,8>"))
        XCTAssertEqual(spec.overrides.layers["lstm"], LayerOverride(defaultPrecision: try FixedType(parsing: "ap_fixed<10,3>"), strategy: .latency, reuse: 2))
        // n_in for every part without its own reuse: each direction's input 4 and state 5, the dense's input 7.
        XCTAssertEqual(spec.inputWidthReuse["enc.forward"], LayerOverride(reuse: 4, recurrentReuse: 5))
        XCTAssertEqual(spec.inputWidthReuse["enc.backward"], LayerOverride(reuse: 4, recurrentReuse: 5))
        XCTAssertEqual(spec.inputWidthReuse["dense"], LayerOverride(reuse: 7))
        XCTAssertNil(spec.inputWidthReuse["lstm"])
        let config = spec.projectConfig()
        XCTAssertEqual(config.target, "u250")
        XCTAssertEqual(config.overrides.layer("enc.forward").reuse, 4)
        XCTAssertEqual(config.overrides.layer("lstm").reuse, 2)
        // Without the model-wide reuse (a --reuse flag decides), per-layer reuse stays.
        let flagged = spec.projectConfig(modelWideReuse: false)
        XCTAssertNil(flagged.overrides.layer("enc.forward").reuse)
        XCTAssertEqual(flagged.overrides.layer("lstm").reuse, 2)

        let lfads = try parse(#"{"reuse": "auto", "lfads": {"neurons": 5, "bins": 7, "ic_enc_dim": 3, "ci_enc_dim": 2, "con_dim": 4, "co_dim": 1, "ic_dim": 2, "gen_dim": 6, "fac_dim": 3}}"#)
        XCTAssertEqual(lfads.reuse, .auto)
        let widths = ArchInputWidths.parts(of: lfads.graph)
        XCTAssertEqual(widths["decoder.controller"], .init(reuse: 2 * 2 + 3, recurrentReuse: 4))
        XCTAssertEqual(widths["decoder.generator"], .init(reuse: 1, recurrentReuse: 6))
        XCTAssertEqual(widths["readout"], .init(reuse: 3))
    }

    func testErrorsNameFileAndPath() {
        func fails(_ text: String, _ expected: String, line: UInt = #line) {
            do {
                _ = try parse(text)
                XCTFail("accepted \(text)", line: line)
            } catch let e as ConfigError {
                XCTAssertEqual(e.file, "spec.json", line: line)
                XCTAssertTrue(e.description.contains(expected), "'\(e)' lacks '\(expected)'", line: line)
                XCTAssertFalse(e.description.contains("\n"), line: line)
            } catch {
                XCTFail("\(error)", line: line)
            }
        }
        let s = #""input": {"steps": 4, "features": 3}"#
        fails(#"{"lfads": {"neurons": 5, "bins": 100001, "ic_enc_dim": 3, "ic_dim": 2, "gen_dim": 6, "fac_dim": 3}}"#, "key 'lfads.bins': expected an integer in 1...100000")
        fails(#"{"lfads": {"neurons": 5, "bins": 7, "ic_enc_dim": 3, "ic_dim": 2, "gen_dim": 6, "fac_dim": 3, "gru": "lstm"}}"#, "key 'lfads.gru': unknown GRU variant")
        fails(#"{"lfads": {"neurons": 5, "bins": 7, "ic_enc_dim": 3, "ic_dim": 2, "gen_dim": 6, "fac_dim": 3, "reconstruction": "Binomial"}}"#, "key 'lfads.reconstruction': 'Binomial' is not one of lfads-torch's")
        fails(#"{"lfads": {"neurons": 5, "bins": 7, "ic_enc_dim": 3, "ci_enc_dim": 2, "con_dim": 4, "co_dim": 1, "ic_dim": 2, "gen_dim": 6, "fac_dim": 3, "ci_lag": 7}}"#, "key 'lfads.ci_lag': must be less than bins")
        fails(#"{"lfads": [], "layers": []}"#, "key 'layers': unknown key")
        fails("{\"input\": {\"features\": 3}, \"layers\": [{\"type\": \"dense\", \"units\": 4}, {\"type\": \"gru\", \"units\": 5, \"input\": {\"steps\": 2, \"features\": 1}}]}",
              "key 'layers[1].input': the initial state comes from the layer before, which gives 4 values, but the GRU has 5 units")
        fails("{\(s), \"layers\": [{\"type\": \"gru\", \"units\": 4, \"input\": {\"steps\": 2, \"features\": 1}}]}", "key 'layers[0].input': a second input is only for a GRU")
        fails("{\"input\": {\"features\": 3}, \"layers\": [{\"type\": \"dense\", \"units\": 4}, {\"type\": \"gru\", \"units\": 4, \"input\": {\"features\": 1}}]}", "key 'layers[1].input': missing required key 'steps'")
        fails("{\(s), \"layers\": [{\"type\": \"dense\", \"units\": 4, \"name\": \"a.b\"}]}", "key 'layers[0].name'")
        fails("{\(s), \"layers\": [{\"type\": \"dense\", \"units\": 4, \"precision\": {\"wieght\": \"ap_fixed<8,2>\"}}]}", "key 'layers[0].precision.wieght': unknown precision field")
        fails("{\(s), \"layers\": [{\"type\": \"activation\", \"activation\": \"linear\", \"quantizer\": \"fixed\"}]}", "key 'layers[0].quantizer'")
        fails("{\(s), \"layers\": [{\"type\": \"activation\"}]}", "key 'layers[0]': missing required key 'activation'")
        fails("{\"input\": {\"steps\": 4, \"features\": 65537}, \"layers\": [{\"type\": \"dense\", \"units\": 4}]}", "key 'input.features': expected an integer in 1...65536, got 65537")
        fails("{\(s), \"layers\": [" + Array(repeating: "{\"type\": \"dense\", \"units\": 60000}", count: 8).joined(separator: ",") + "]}", "key 'layers[1]': the model has more than the 20000000 weights")
    }
}
