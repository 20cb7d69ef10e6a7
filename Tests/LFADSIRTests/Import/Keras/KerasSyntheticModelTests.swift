import XCTest
import HDF5
@testable import LFADSIR

/// Hand-written Keras configs (no TensorFlow here) covering the layer forms the template does not use.
final class KerasSyntheticModelTests: XCTestCase {
    func testSequentialGRUResetBeforeDropoutDense() throws {
        let gru: [String: Any] = ["name": "g", "units": 2, "reset_after": false, "return_sequences": true, "use_bias": true,
                                  "activation": "tanh", "recurrent_activation": "hard_sigmoid", "batch_input_shape": [NSNull(), 4, 3]]
        let config: [String: Any] = ["class_name": "Sequential", "config": ["name": "s", "layers": [
            ["class_name": "GRU", "config": gru],
            ["class_name": "Dropout", "config": ["name": "drop", "rate": 0.5]],
            ["class_name": "Dense", "config": ["name": "d", "units": 3, "activation": "relu", "use_bias": true]],
        ]] as [String: Any]]
        var fixture = try KerasFixture(config: config)
        let k = ramp(18), r = ramp(12, offset: 0.2), b = ramp(6, offset: 0.5)
        try fixture.weights("g", [("gru_cell/kernel:0", [3, 6], k), ("gru_cell/recurrent_kernel:0", [2, 6], r), ("gru_cell/bias:0", [6], b)])
        try fixture.weights("d", [("kernel:0", [2, 3], ramp(6)), ("bias:0", [3], [1, 2, 3])])
        let g = try fixture.importGraph()

        XCTAssertEqual(g.nodes.map(\.name), ["g_input", "g", "d"])
        XCTAssertEqual(g.node(named: "d")?.operands, ["g"])
        XCTAssertEqual(g.valueTypes["d"], .sequence(steps: 4, width: 3))
        guard case .gru(let layer)? = g.node(named: "g")?.op, case .dense(let dense)? = g.node(named: "d")?.op else { return XCTFail("ops") }
        XCTAssertEqual(layer.cell.reset, .before)
        XCTAssertNil(layer.cell.recurrentBias)
        XCTAssertEqual(layer.cell.bias, b.map(Double.init))
        // Keras' own hard_sigmoid (0.2x + 0.5), not QKeras'.
        XCTAssertEqual(layer.cell.recurrentActivation, Activation(.kerasHardSigmoid))
        XCTAssertTrue(layer.cell.quantizers.isEmpty)
        for i in 0..<3 { for o in 0..<6 { XCTAssertEqual(layer.cell.kernel[o, i], Double(k[i * 6 + o])) } }
        for i in 0..<2 { for o in 0..<6 { XCTAssertEqual(layer.cell.recurrentKernel[o, i], Double(r[i * 6 + o])) } }
        XCTAssertEqual(dense.activation, Activation(.relu))
        XCTAssertEqual(dense.bias, [1, 2, 3])
        // The only output is as wide as the input (3): it is primary by the width rule.
        XCTAssertEqual(g.outputs, ["d"])
        XCTAssertEqual(g.metadata["primary_output"], "d")
    }

    func testKeras3InboundNodesInitialStateKwargAndConcatenate() throws {
        func tensor(_ layer: String) -> [String: Any] {
            ["class_name": "__keras_tensor__", "config": ["shape": [NSNull()], "dtype": "float32", "keras_history": [layer, 0, 0]] as [String: Any]]
        }
        let layers: [[String: Any]] = [
            ["class_name": "InputLayer", "name": "x", "inbound_nodes": [Any](), "config": ["name": "x", "batch_shape": [NSNull(), 5, 3]] as [String: Any]],
            ["class_name": "InputLayer", "name": "h", "inbound_nodes": [Any](), "config": ["name": "h", "batch_shape": [NSNull(), 2]] as [String: Any]],
            ["class_name": "GRU", "name": "g",
             "config": ["name": "g", "units": 2, "return_sequences": true, "reset_after": true] as [String: Any],
             "inbound_nodes": [["args": [tensor("x")], "kwargs": ["initial_state": [tensor("h")]]] as [String: Any]]],
            ["class_name": "Concatenate", "name": "cat", "config": ["name": "cat", "axis": -1] as [String: Any],
             "inbound_nodes": [["args": [[tensor("g"), tensor("x")]], "kwargs": [String: Any]()] as [String: Any]]],
            ["class_name": "QDense", "name": "q",
             "config": ["name": "q", "units": 2, "use_bias": false, "activation": "quantized_tanh(8)",
                        "kernel_quantizer": KerasJSON.quantizedBits(8, 0)] as [String: Any],
             "inbound_nodes": [["args": [tensor("cat")], "kwargs": [String: Any]()] as [String: Any]]],
        ]
        let config: [String: Any] = ["class_name": "Functional", "config": [
            "name": "k3", "layers": layers, "input_layers": [["x", 0, 0], ["h", 0, 0]], "output_layers": [["q", 0, 0]]] as [String: Any]]
        var fixture = try KerasFixture(config: config)
        try fixture.weights("g", [("cell/kernel:0", [3, 6], ramp(18)), ("cell/recurrent_kernel:0", [2, 6], ramp(12)), ("cell/bias:0", [2, 6], ramp(12))])
        try fixture.weights("q", [("kernel:0", [5, 2], ramp(10))])
        let g = try fixture.importGraph()

        XCTAssertEqual(g.node(named: "g")?.operands, ["x", "h"])
        XCTAssertEqual(g.node(named: "cat")?.operands, ["g", "x"])
        XCTAssertEqual(g.valueTypes["cat"], .sequence(steps: 5, width: 5))
        guard case .gru(let layer)? = g.node(named: "g")?.op, case .dense(let q)? = g.node(named: "q")?.op else { return XCTFail("ops") }
        XCTAssertEqual(layer.initialState, .operand)
        XCTAssertEqual(layer.cell.reset, .after)
        XCTAssertEqual(layer.cell.recurrentBias, ramp(12).suffix(6).map(Double.init))
        XCTAssertEqual(q.quantizers.kernel, try FixedType(parsing: "ap_fixed<8,1,AP_RND_CONV,AP_SAT>"))
        XCTAssertEqual(q.activation, Activation(.hardTanh, quantizer: try FixedType(parsing: "ap_fixed<8,1,AP_RND_CONV,AP_SAT>")))
        XCTAssertEqual(g.outputs, ["q"])
        XCTAssertEqual(g.metadata["primary_output_rule"], "model order (no output as wide as the first input)")
    }

    func testReturnStateAndClonedBackwardLayer() throws {
        let inner: [String: Any] = ["class_name": "GRU", "config": ["name": "gg", "units": 2, "return_sequences": true, "reset_after": true] as [String: Any]]
        let layers: [[String: Any]] = [
            KerasJSON.input("x", [6, 3]),
            KerasJSON.layer("Bidirectional", "bi", ["layer": inner, "merge_mode": "concat"], inputs: ["x"]),
            KerasJSON.layer("GRU", "last", ["units": 3, "return_state": true, "reset_after": false, "use_bias": false], inputs: ["bi"]),
            ["class_name": "Dense", "name": "d", "config": ["name": "d", "units": 3] as [String: Any],
             "inbound_nodes": [[["last", 0, 1, [String: Any]()] as [Any]]]],
        ]
        var fixture = try KerasFixture(config: KerasJSON.functional(layers, inputs: ["x"], outputs: ["d", "last"]))
        try fixture.weights("bi", [
            ("forward_gg/cell/kernel:0", [3, 6], ramp(18)), ("forward_gg/cell/recurrent_kernel:0", [2, 6], ramp(12)),
            ("forward_gg/cell/bias:0", [2, 6], ramp(12)),
            ("backward_gg/cell/kernel:0", [3, 6], ramp(18, offset: 1)), ("backward_gg/cell/recurrent_kernel:0", [2, 6], ramp(12, offset: 1)),
            ("backward_gg/cell/bias:0", [2, 6], ramp(12, offset: 1)),
        ])
        try fixture.weights("last", [("cell/kernel:0", [4, 9], ramp(36)), ("cell/recurrent_kernel:0", [3, 9], ramp(27))])
        try fixture.weights("d", [("kernel:0", [3, 3], ramp(9)), ("bias:0", [3], [0, 0, 0])])
        let g = try fixture.importGraph()

        guard case .bidirectionalGRU(let bi)? = g.node(named: "bi")?.op, case .gru(let last)? = g.node(named: "last")?.op else { return XCTFail("ops") }
        XCTAssertEqual(g.valueTypes["bi"], .sequence(steps: 6, width: 4))
        XCTAssertEqual(bi.backward.cell.kernel[0, 0], Double(Float(1)))
        XCTAssertEqual(bi.forward.cell.kernel[0, 0], Double(Float(-0.1)))
        XCTAssertEqual(bi.backward.cell.recurrentBias?[0], Double(Float(6) * 0.01 + 1))
        XCTAssertNil(last.cell.bias)
        XCTAssertEqual(g.node(named: "d")?.operands, ["last"])
        // Both outputs are 3 wide like the input: the last one listed ("last") is primary, then "d".
        XCTAssertEqual(g.outputs, ["last", "d"])
    }
}

/// LSTM (plain Keras only), shared-layer calls and format recognition.
final class KerasSyntheticExtraTests: XCTestCase {
    func testLSTMWeightsAndGates() throws {
        let config = KerasJSON.functional([
            KerasJSON.input("x", [5, 3]),
            KerasJSON.layer("LSTM", "l", ["units": 2, "return_sequences": false, "recurrent_activation": "sigmoid"], inputs: ["x"]),
        ], inputs: ["x"], outputs: ["l"])
        var fixture = try KerasFixture(config: config)
        let k = ramp(24)
        try fixture.weights("l", [("cell/kernel:0", [3, 8], k), ("cell/recurrent_kernel:0", [2, 8], ramp(16)), ("cell/bias:0", [8], ramp(8))])
        let g = try fixture.importGraph()
        guard case .lstm(let l)? = g.node(named: "l")?.op else { return XCTFail("not an lstm") }
        XCTAssertEqual(g.valueTypes["l"], .vector(width: 2))
        XCTAssertEqual(l.cell.kernel[7, 2], Double(k[2 * 8 + 7]))
        XCTAssertEqual(l.cell.bias?.count, 8)
        XCTAssertEqual(l.cell.activation, Activation(.tanh))
    }

    func testSharedLayerCalledTwice() throws {
        // One Dense applied to two inputs: two IR nodes with the same weights, the second named d_1.
        let dense: [String: Any] = ["class_name": "Dense", "name": "d", "config": ["name": "d", "units": 2] as [String: Any],
                                    "inbound_nodes": [[["a", 0, 0, [String: Any]()] as [Any]], [["b", 0, 0, [String: Any]()] as [Any]]]]
        let layers: [[String: Any]] = [KerasJSON.input("a", [3]), KerasJSON.input("b", [3]), dense,
                                       KerasJSON.layer("Concatenate", "c", [:], inputs: [])]
        var cat = layers[3]
        cat["inbound_nodes"] = [[["d", 0, 0, [String: Any]()] as [Any], ["d", 1, 0, [String: Any]()] as [Any]]]
        let config = KerasJSON.functional([layers[0], layers[1], layers[2], cat], inputs: ["a", "b"], outputs: ["c"])
        var fixture = try KerasFixture(config: config)
        try fixture.weights("d", [("kernel:0", [3, 2], ramp(6)), ("bias:0", [2], [0, 1])])
        let g = try fixture.importGraph()
        XCTAssertEqual(g.nodes.map(\.name), ["a", "b", "d", "d_1", "c"])
        XCTAssertEqual(g.node(named: "d_1")?.operands, ["b"])
        XCTAssertEqual(g.node(named: "c")?.operands, ["d", "d_1"])
        XCTAssertEqual(g.node(named: "d")?.op, g.node(named: "d_1")?.op)
    }

    func testRecognizesOnlyKerasFiles() throws {
        let (keras, _) = try KerasFixture(config: KerasJSON.functional([KerasJSON.input("x", [3])], inputs: ["x"], outputs: ["x"])).open()
        XCTAssertTrue(KerasImporter().recognizes(keras))
        var other = HDF5Writer()
        try other.addDataset("/w", shape: [2], float32: [1, 2])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("keras-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try other.write(to: dir.appendingPathComponent("w.h5").path)
        XCTAssertFalse(KerasImporter().recognizes(try HDF5File(path: dir.appendingPathComponent("w.h5").path)))
    }

    func testTimeDistributedDense() throws {
        let inner: [String: Any] = ["class_name": "Dense", "config": ["name": "inner", "units": 2, "activation": "exponential"] as [String: Any]]
        let config = KerasJSON.functional([KerasJSON.input("x", [5, 3]), KerasJSON.layer("TimeDistributed", "td", ["layer": inner], inputs: ["x"])],
                                          inputs: ["x"], outputs: ["td"])
        var fixture = try KerasFixture(config: config)
        try fixture.weights("td", [("kernel:0", [3, 2], ramp(6)), ("bias:0", [2], [0.5, 1])])
        let g = try fixture.importGraph()
        guard case .dense(let d)? = g.node(named: "td")?.op else { return XCTFail("not a dense") }
        XCTAssertEqual(g.valueTypes["td"], .sequence(steps: 5, width: 2))
        XCTAssertEqual(d.activation, Activation(.exp))
        XCTAssertEqual(d.bias, [0.5, 1])
    }
}
