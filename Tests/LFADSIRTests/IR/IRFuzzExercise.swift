// What the Keras-config and IR-text libFuzzer harnesses in fuzz/ do with one input. Shared, file for file, by
// the harness binaries (fuzz/build.sh compiles this file into them) and by IRFuzzRegressionTests, so a committed
// crash input replays under `swift test` exactly as the fuzzer ran it. No XCTest here.
import HDF5
@testable import LFADSIR

enum KerasConfigFuzzExercise {
    /// Weights the fuzzed configs can refer to, built once in memory (deterministic). Layer names and shapes match
    /// the seed configs in fuzz/seeds/keras (input width 3, GRU/LSTM units 2); any other name or width only
    /// reaches the "missing weight" / "shape does not match" errors, which are part of what is fuzzed.
    static let weights: KerasWeights? = {
        func ramp(_ n: Int, _ offset: Float) -> [Float] { (0..<n).map { Float($0) * 0.01 + offset } }
        let layers: [(layer: String, tensors: [(name: String, shape: [Int])])] = [
            ("g", [("gru_cell/kernel:0", [3, 6]), ("gru_cell/recurrent_kernel:0", [2, 6]), ("gru_cell/bias:0", [6])]),
            ("gr", [("cell/kernel:0", [3, 6]), ("cell/recurrent_kernel:0", [2, 6]), ("cell/bias:0", [2, 6])]),
            ("d", [("kernel:0", [2, 3]), ("bias:0", [3])]),
            ("d3", [("kernel:0", [3, 3]), ("bias:0", [3])]),
            ("q", [("kernel:0", [5, 2])]),
            ("l", [("lstm_cell/kernel:0", [3, 8]), ("lstm_cell/recurrent_kernel:0", [2, 8]), ("lstm_cell/bias:0", [8])]),
            ("bi", [("forward_g/kernel:0", [3, 6]), ("forward_g/recurrent_kernel:0", [2, 6]), ("forward_g/bias:0", [2, 6]),
                    ("backward_g/kernel:0", [3, 6]), ("backward_g/recurrent_kernel:0", [2, 6]), ("backward_g/bias:0", [2, 6])]),
            ("last", [("cell/kernel:0", [4, 9]), ("cell/recurrent_kernel:0", [3, 9])]),
        ]
        do {
            var w = HDF5Writer()
            try w.createGroup("/model_weights")
            for (i, layer) in layers.enumerated() {
                try w.createGroup("/model_weights/\(layer.layer)")
                var names = [String]()
                for t in layer.tensors {
                    let relative = "\(layer.layer)/\(t.name)"
                    let parent = relative.split(separator: "/").dropLast().joined(separator: "/")
                    try w.createGroup("/model_weights/\(layer.layer)/\(parent)")
                    try w.addDataset("/model_weights/\(layer.layer)/\(relative)", shape: t.shape,
                                     float32: ramp(t.shape.reduce(1, *), Float(i) * 0.1 - 0.3))
                    names.append(relative)
                }
                try w.setAttribute("/model_weights/\(layer.layer)", "weight_names", .strings(names), asArray: true, fixedLengthStrings: true)
            }
            let file = try HDF5File(bytes: try w.bytes(), name: "fuzz-weights.h5")
            return KerasWeights(file: file, fileName: "fuzz-weights.h5")
        } catch {
            return nil
        }
    }()

    /// The input is model_config JSON text. A config that imports must print as IR text that parses back;
    /// that text is returned (the seed builder keeps it as an IR-text seed).
    @discardableResult
    static func run(_ bytes: [UInt8]) -> String? {
        guard let weights else { fatalError("fuzz: cannot build the in-memory weights file") }
        let site = KerasSite(file: "fuzz.h5", path: "model_config")
        guard let json = try? parseKerasJSON(String(decoding: bytes, as: UTF8.self), site: site),
              let model = try? KerasModelConfig.parse(json),
              let graph = try? KerasGraphAssembler(model: model, weights: weights, site: site).assemble(metadata: ["importer": "keras"])
        else { return nil }
        let text = IRPrinter.print(graph)
        do { _ = try IRParser.parse(text) } catch {
            fatalError("imported graph does not survive IR text: \(error)")
        }
        return text
    }
}

enum IRTextFuzzExercise {
    /// The input is IR text. Text that parses must print and parse back to the same text.
    static func run(_ bytes: [UInt8]) {
        guard let graph = try? IRParser.parse(String(decoding: bytes, as: UTF8.self), source: "fuzz.lir") else { return }
        _ = IRPrinter.print(graph, weights: .summary)
        let text = IRPrinter.print(graph)
        let again: Graph
        do { again = try IRParser.parse(text, source: "printed.lir") } catch {
            fatalError("printed IR text does not parse: \(error)")
        }
        guard IRPrinter.print(again) == text else { fatalError("IR text round trip is not stable") }
    }
}
