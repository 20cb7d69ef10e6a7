import XCTest
import HDF5
@testable import LFADSIR

/// A small QKeras model shaped like the LFADS template, then every config entry of every layer replaced by
/// values of the wrong type or range: each import must succeed or throw IRError.importFailed — never trap.
final class KerasConfigMutationTests: XCTestCase {
    static func qgru(_ units: Int, sequences: Bool, backwards: Bool = false) -> [String: Any] {
        ["units": units, "return_sequences": sequences, "return_state": false, "go_backwards": backwards, "reset_after": true,
         "use_bias": true, "activation": ["class_name": "quantized_tanh", "config": ["bits": 16, "use_real_tanh": false] as [String: Any]] as [String: Any],
         "recurrent_activation": ["class_name": "quantized_sigmoid", "config": ["bits": 16, "use_real_sigmoid": false] as [String: Any]] as [String: Any],
         "kernel_quantizer": KerasJSON.quantizedBits(16, 1), "recurrent_quantizer": KerasJSON.quantizedBits(16, 1),
         "bias_quantizer": KerasJSON.quantizedBits(16, 1), "state_quantizer": KerasJSON.quantizedBits(16, 6)]
    }

    static func layers() -> [[String: Any]] {
        let bi: [String: Any] = ["merge_mode": "concat",
                                 "layer": ["class_name": "QGRU", "config": qgru(2, sequences: false).merging(["name": "f"]) { $1 }] as [String: Any],
                                 "backward_layer": ["class_name": "QGRU", "config": qgru(2, sequences: false, backwards: true).merging(["name": "b"]) { $1 }] as [String: Any]]
        return [
            KerasJSON.input("enc", [4, 3]),
            KerasJSON.layer("QBidirectional", "bi", bi, inputs: ["enc"]),
            KerasJSON.layer("QActivation", "qa", ["activation": "quantized_bits(16,6,alpha=1)"], inputs: ["bi"]),
            KerasJSON.layer("QDense", "mean", ["units": 2, "activation": "linear", "use_bias": true,
                                              "kernel_quantizer": KerasJSON.quantizedBits(16, 1), "bias_quantizer": KerasJSON.quantizedBits(16, 1)], inputs: ["qa"]),
            KerasJSON.input("dec", [4, 2]),
            KerasJSON.layer("QGRU", "gen", qgru(2, sequences: true), inputs: ["dec", "mean"]),
            KerasJSON.layer("Dropout", "drop", ["rate": 0.1], inputs: ["gen"]),
            KerasJSON.layer("QDense", "out", ["units": 3, "use_bias": false, "kernel_quantizer": KerasJSON.quantizedBits(16, 1)], inputs: ["drop"]),
        ]
    }

    static func fixture(_ layers: [[String: Any]]) throws -> KerasFixture {
        var f = try KerasFixture(config: KerasJSON.functional(layers, inputs: ["enc", "dec"], outputs: ["out"]))
        let gru = { (p: String, n: Int) -> [(name: String, shape: [Int], values: [Float])] in
            [("\(p)kernel:0", [n, 6], ramp(n * 6)), ("\(p)recurrent_kernel:0", [2, 6], ramp(12)), ("\(p)bias:0", [2, 6], ramp(12))]
        }
        try f.weights("bi", gru("forward_f/c/", 3) + gru("backward_b/c/", 3))
        try f.weights("mean", [("kernel:0", [4, 2], ramp(8)), ("bias:0", [2], [0, 0])])
        try f.weights("gen", gru("c/", 2))
        try f.weights("out", [("kernel:0", [2, 3], ramp(6))])
        return f
    }

    func testBaseModelImports() throws {
        let g = try Self.fixture(Self.layers()).importGraph()
        XCTAssertEqual(g.nodes.map(\.name), ["enc", "bi", "qa", "mean", "dec", "gen", "out"])
        XCTAssertEqual(g.outputs, ["out"])
        XCTAssertEqual(g.metadata["primary_output"], "out")   // 3 wide, like "enc"
    }

    func testMutatedConfigsNeverTrap() throws {
        // JSON null for every key, plus one more replacement per key in rotation (keeps the test to a few seconds).
        let others: [Any] = ["x", -1, 1e300, 2.5, [String: Any](), true, [Any]()]
        let base = Self.layers()
        var fixture = try Self.fixture(base)
        var imported = 0, refused = 0, n = 0
        for (i, layer) in base.enumerated() {
            guard let config = layer["config"] as? [String: Any] else { continue }
            for key in config.keys.sorted() {
                n += 1
                for value in [NSNull(), others[n % others.count]] {
                    var layers = base
                    var c = config
                    c[key] = value
                    layers[i]["config"] = c
                    let json = try JSONSerialization.data(withJSONObject: KerasJSON.functional(layers, inputs: ["enc", "dec"], outputs: ["out"]))
                    try fixture.writer.setAttribute("/", "model_config", .strings([String(decoding: json, as: UTF8.self)]))
                    do {
                        _ = try fixture.importInMemory()
                        imported += 1
                    } catch IRError.importFailed {
                        refused += 1
                    } catch {
                        XCTFail("layer \(i) key \(key) = \(value): \(error)")
                    }
                }
            }
        }
        XCTAssertGreaterThan(refused, 25)
        XCTAssertGreaterThan(imported, 10)
    }
}
