import XCTest
import HDF5
@testable import LFADSIR

/// Every malformed input gives one IRError.importFailed line naming the file, the layer or tensor, and the problem.
final class KerasImportErrorTests: XCTestCase {
    /// x [4,3] → Dense d (2 units) with correct weights; tests mutate one piece.
    private func denseModel(_ dense: [String: Any] = ["units": 2], cls: String = "Dense", input: String = "x") -> [String: Any] {
        KerasJSON.functional([KerasJSON.input("x", [4, 3]), KerasJSON.layer(cls, "d", dense, inputs: [input])], inputs: ["x"], outputs: ["d"])
    }

    private func run(_ config: [String: Any]?, raw: String? = nil,
                     weights: [(name: String, shape: [Int], values: [Float])] = [("kernel:0", [3, 2], ramp(6)), ("bias:0", [2], [0, 0])],
                     layer: String = "d") throws {
        var fixture = try KerasFixture(config: config, rawConfig: raw)
        try fixture.weights(layer, weights)
        let (file, path) = try fixture.open()
        _ = try KerasImporter().importGraph(from: file, path: path)
    }

    func testValidBaseModelImports() throws {
        XCTAssertNoThrow(try run(denseModel()))
    }

    func testUnknownLayerClass() {
        assertImportFails(["model.h5: model_config/d: unsupported layer class 'Conv1D'"]) { try run(denseModel(cls: "Conv1D")) }
    }

    func testMissingWeight() {
        assertImportFails(["model.h5: model_weights/d: missing weight 'bias'"]) {
            try run(denseModel(), weights: [("kernel:0", [3, 2], ramp(6))])
        }
    }

    func testShapeMismatch() {
        assertImportFails(["model_weights/d/d/kernel:0: shape [2, 3] does not match the expected [3, 2]"]) {
            try run(denseModel(), weights: [("kernel:0", [2, 3], ramp(6)), ("bias:0", [2], [0, 0])])
        }
    }

    func testNaNAndInfWeights() {
        assertImportFails(["model_weights/d/d/kernel:0: value 4 is nan"]) {
            try run(denseModel(), weights: [("kernel:0", [3, 2], [0, 0, 0, 0, .nan, 0]), ("bias:0", [2], [0, 0])])
        }
        assertImportFails(["model_weights/d/d/bias:0: value 1 is -inf"]) {
            try run(denseModel(), weights: [("kernel:0", [3, 2], ramp(6)), ("bias:0", [2], [0, -.infinity])])
        }
    }

    func testBadJSON() {
        assertImportFails(["model.h5: model_config: not valid JSON"]) { try run(nil, raw: "{\"class_name\": ") }
        assertImportFails(["model_config: expected a JSON object"]) { try run(nil, raw: "[1, 2]") }
        assertImportFails(["model_config: unsupported model class 'Foo'"]) { try run(["class_name": "Foo", "config": [String: Any]()]) }
    }

    func testMissingModelConfig() {
        assertImportFails(["model.h5: model_config: missing"]) { try run(nil) }
    }

    func testUnknownInputTensor() {
        assertImportFails(["model_config/d: input nope[0][0] is not produced by any layer"]) { try run(denseModel(input: "nope")) }
    }

    func testVariableLengthInput() {
        let config = KerasJSON.functional([KerasJSON.input("x", [NSNull(), 3]), KerasJSON.layer("Dense", "d", ["units": 2], inputs: ["x"])],
                                          inputs: ["x"], outputs: ["d"])
        assertImportFails(["model_config/x: input dimensions must be fixed positive integers"]) { try run(config) }
    }

    func testWeightNamesPointingNowhere() throws {
        var fixture = try KerasFixture(config: denseModel())
        try fixture.weights("d", [("kernel:0", [3, 2], ramp(6))])
        // A listed weight that is not in the file: the HDF5 layer's error, reworded as an import error.
        try fixture.writer.setAttribute("/model_weights/d", "weight_names", .strings(["d/kernel:0", "d/bias:0"]), asArray: true, fixedLengthStrings: true)
        let (file, path) = try fixture.open()
        assertImportFails(["model.h5: model_weights/d/d/bias:0"]) { _ = try KerasImporter().importGraph(from: file, path: path) }
    }

    func testKernelQuantizerWithoutAlphaIsAutoPo2() {
        let dense: [String: Any] = ["units": 2, "kernel_quantizer": KerasJSON.quantizedBits(8, 0, alpha: NSNull())]
        assertImportFails(["model_config/d/kernel_quantizer: quantized_bits", "auto_po2"]) { try run(denseModel(dense, cls: "QDense")) }
    }

    func testQGRUWithoutRecurrentQuantizer() {
        let gru: [String: Any] = ["units": 2, "reset_after": true, "kernel_quantizer": KerasJSON.quantizedBits(8, 0)]
        let config = KerasJSON.functional([KerasJSON.input("x", [4, 3]), KerasJSON.layer("QGRU", "g", gru, inputs: ["x"])], inputs: ["x"], outputs: ["g"])
        assertImportFails(["model_config/g: QGRU without recurrent_quantizer"]) {
            try run(config, weights: [("kernel:0", [3, 6], ramp(18)), ("recurrent_kernel:0", [2, 6], ramp(12)), ("bias:0", [2, 6], ramp(12))], layer: "g")
        }
    }

    func testGoBackwardsSequenceOutput() {
        let gru: [String: Any] = ["units": 2, "go_backwards": true, "return_sequences": true]
        let config = KerasJSON.functional([KerasJSON.input("x", [4, 3]), KerasJSON.layer("GRU", "g", gru, inputs: ["x"])], inputs: ["x"], outputs: ["g"])
        assertImportFails(["model_config/g: go_backwards with return_sequences"]) {
            try run(config, weights: [("kernel:0", [3, 6], ramp(18)), ("recurrent_kernel:0", [2, 6], ramp(12)), ("bias:0", [2, 6], ramp(12))], layer: "g")
        }
    }

    func testUnsupportedActivationAndDenseOnWrongWidth() {
        assertImportFails(["model_config/d/activation: unsupported activation 'swish'"]) { try run(denseModel(["units": 2, "activation": "swish"])) }
        // A GRU fed a vector: the IR's shape check, reported at the layer.
        let config = KerasJSON.functional([KerasJSON.input("x", [3]), KerasJSON.layer("GRU", "g", ["units": 2], inputs: ["x"])], inputs: ["x"], outputs: ["g"])
        assertImportFails(["model_config/g:", "gru takes seq<Tx3>"]) {
            try run(config, weights: [("kernel:0", [3, 6], ramp(18)), ("recurrent_kernel:0", [2, 6], ramp(12)), ("bias:0", [2, 6], ramp(12))], layer: "g")
        }
    }

    func testMissingBackwardWeightNamesTheDirection() throws {
        var layers = KerasConfigMutationTests.layers()
        layers = Array(layers.prefix(3))
        var f = try KerasFixture(config: KerasJSON.functional(layers, inputs: ["enc"], outputs: ["qa"]))
        try f.weights("bi", [("forward_f/c/kernel:0", [3, 6], ramp(18)), ("forward_f/c/recurrent_kernel:0", [2, 6], ramp(12)),
                             ("forward_f/c/bias:0", [2, 6], ramp(12)), ("backward_b/c/kernel:0", [3, 6], ramp(18))])
        assertImportFails(["model_weights/bi: missing weight 'recurrent_kernel' of b"]) { _ = try f.importInMemory() }
    }
}
