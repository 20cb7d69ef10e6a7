import Foundation
import XCTest
import HDF5
@testable import LFADSIR

/// The published LFADS-on-FPGA model (read-only peer data, outside the repository; tests skip without it).
enum KerasTemplate {
    static let path = ProcessInfo.processInfo.environment["LFADS_TEMPLATE_H5"]
        ?? "/work/shared/peers/lfads-fpga-template/keras_model.h5"

    static func open() throws -> HDF5File {
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("template model not present at \(path)") }
        return try HDF5File(path: path)
    }
}

/// Builds small Keras-layout HDF5 files: a model_config JSON attribute and model_weights groups.
struct KerasFixture {
    var writer = HDF5Writer()

    /// `config` is serialised with JSONSerialization; pass `rawConfig` to store text as is (bad JSON tests).
    init(config: [String: Any]? = nil, rawConfig: String? = nil) throws {
        if let config {
            let data = try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys])
            try writer.setAttribute("/", "model_config", .strings([String(decoding: data, as: UTF8.self)]))
        } else if let rawConfig {
            try writer.setAttribute("/", "model_config", .strings([rawConfig]))
        }
        try writer.setAttribute("/", "keras_version", .strings(["2.6.0"]))
        try writer.createGroup("/model_weights")
    }

    /// Adds a layer's weights under /model_weights/<layer>/<layer>/<name> with the weight_names attribute.
    mutating func weights(_ layer: String, _ tensors: [(name: String, shape: [Int], values: [Float])]) throws {
        try writer.createGroup("/model_weights/\(layer)")
        var names = [String]()
        for t in tensors {
            let relative = "\(layer)/\(t.name)"
            let parent = relative.split(separator: "/").dropLast().joined(separator: "/")
            try writer.createGroup("/model_weights/\(layer)/\(parent)")
            try writer.addDataset("/model_weights/\(layer)/\(relative)", shape: t.shape, float32: t.values)
            names.append(relative)
        }
        try writer.setAttribute("/model_weights/\(layer)", "weight_names", .strings(names), asArray: true, fixedLengthStrings: true)
    }

    /// Writes into a fresh temporary directory and opens the file.
    func open(_ name: String = "model.h5") throws -> (HDF5File, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("keras-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try writer.write(to: path)
        return (try HDF5File(path: path), path)
    }

    /// Imports without touching the disk (for tests that build many variants).
    func importInMemory() throws -> Graph {
        let file = try HDF5File(bytes: try writer.bytes(), name: "memory.h5")
        return try KerasImporter().importGraph(from: file, path: "memory.h5")
    }

    func importGraph() throws -> Graph {
        let (file, path) = try open()
        return try KerasImporter().importGraph(from: file, path: path)
    }
}

/// JSON builders for hand-written configs (no TensorFlow on the machine).
enum KerasJSON {
    static func input(_ name: String, _ shape: [Any]) -> [String: Any] {
        ["class_name": "InputLayer", "name": name, "inbound_nodes": [Any](),
         "config": ["name": name, "batch_input_shape": [NSNull()] + shape, "dtype": "float32"] as [String: Any]]
    }

    static func layer(_ cls: String, _ name: String, _ config: [String: Any], inputs: [String]) -> [String: Any] {
        var c = config
        c["name"] = name
        var entries = [Any]()
        for input in inputs {
            let entry: [Any] = [input, 0, 0, [String: Any]()]
            entries.append(entry)
        }
        let nodes: [Any] = inputs.isEmpty ? [] : [entries]
        var result = [String: Any]()
        result["class_name"] = cls
        result["name"] = name
        result["config"] = c
        result["inbound_nodes"] = nodes
        return result
    }

    static func functional(_ layers: [[String: Any]], inputs: [String], outputs: [String]) -> [String: Any] {
        ["class_name": "Functional",
         "config": ["name": "m", "layers": layers,
                    "input_layers": inputs.map { [$0, 0, 0] as [Any] },
                    "output_layers": outputs.map { [$0, 0, 0] as [Any] }] as [String: Any]]
    }

    static func quantizedBits(_ bits: Int, _ integer: Int, alpha: Any = 1, keepNegative: Bool = true) -> [String: Any] {
        ["class_name": "quantized_bits",
         "config": ["bits": bits, "integer": integer, "symmetric": 0, "alpha": alpha, "keep_negative": keepNegative,
                    "use_stochastic_rounding": false, "qnoise_factor": 1.0] as [String: Any]]
    }
}

/// Asserts that `body` throws IRError.importFailed whose message contains every fragment.
func assertImportFails(_ fragments: [String], file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) {
    do {
        try body()
        XCTFail("expected an import error containing \(fragments)", file: file, line: line)
    } catch let IRError.importFailed(message) {
        for f in fragments where !message.contains(f) {
            XCTFail("message '\(message)' does not contain '\(f)'", file: file, line: line)
        }
        XCTAssertFalse(message.contains("\n"), "message must be one line", file: file, line: line)
    } catch {
        XCTFail("expected IRError.importFailed, got \(error)", file: file, line: line)
    }
}

/// Deterministic small weights (no RNG state shared between tests).
func ramp(_ n: Int, scale: Float = 0.01, offset: Float = -0.1) -> [Float] {
    (0..<n).map { Float($0) * scale + offset }
}
