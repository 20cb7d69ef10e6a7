import Foundation
import HDF5

/// Writes a Keras 2 Sequential model (.h5) of GRU, Bidirectional(GRU), LSTM and Dense layers with random,
/// non-zero weights in Keras' storage layout, so `estimate MODEL` can be compared with `estimate --arch`.
struct KerasStackFile {
    enum Layer {
        case gru(name: String, units: Int, sequences: Bool, resetAfter: Bool)
        case bidirectionalGRU(name: String, units: Int, sequences: Bool)
        case lstm(name: String, units: Int, sequences: Bool)
        case dense(name: String, units: Int, activation: String)
    }

    var steps: Int
    var features: Int
    var layers: [Layer]

    func write(to path: String) throws {
        var w = HDF5Writer()
        var seed: UInt64 = 0x5eed
        func values(_ n: Int) -> [Float] {
            (0..<n).map { _ in
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                return (Float(seed >> 41) / Float(1 << 23) + 0.1) * (seed & 1 == 0 ? 1 : -1) * 0.3
            }
        }
        var configs: [[String: Any]] = []
        var width = features
        try w.createGroup("/model_weights")
        var names: [String] = []
        for (i, layer) in layers.enumerated() {
            var tensors: [(String, [Int])] = []
            var entry: [String: Any]
            switch layer {
            case .gru(let name, let u, let seq, let ra):
                entry = ["class_name": "GRU", "config": ["name": name, "units": u, "return_sequences": seq, "reset_after": ra] as [String: Any]]
                tensors = [("\(name)/gru_cell/kernel:0", [width, 3 * u]), ("\(name)/gru_cell/recurrent_kernel:0", [u, 3 * u]),
                           ("\(name)/gru_cell/bias:0", ra ? [2, 3 * u] : [3 * u])]
                width = u
            case .bidirectionalGRU(let name, let u, let seq):
                let inner: [String: Any] = ["class_name": "GRU", "config": ["name": "g", "units": u, "return_sequences": seq, "reset_after": true] as [String: Any]]
                entry = ["class_name": "Bidirectional", "config": ["name": name, "merge_mode": "concat", "layer": inner] as [String: Any]]
                for d in ["forward_g", "backward_g"] {
                    tensors += [("\(name)/\(d)/gru_cell/kernel:0", [width, 3 * u]), ("\(name)/\(d)/gru_cell/recurrent_kernel:0", [u, 3 * u]),
                                ("\(name)/\(d)/gru_cell/bias:0", [2, 3 * u])]
                }
                width = 2 * u
            case .lstm(let name, let u, let seq):
                entry = ["class_name": "LSTM", "config": ["name": name, "units": u, "return_sequences": seq] as [String: Any]]
                tensors = [("\(name)/lstm_cell/kernel:0", [width, 4 * u]), ("\(name)/lstm_cell/recurrent_kernel:0", [u, 4 * u]),
                           ("\(name)/lstm_cell/bias:0", [4 * u])]
                width = u
            case .dense(let name, let u, let activation):
                entry = ["class_name": "Dense", "config": ["name": name, "units": u, "activation": activation] as [String: Any]]
                tensors = [("\(name)/kernel:0", [width, u]), ("\(name)/bias:0", [u])]
                width = u
            }
            var config = entry["config"] as? [String: Any] ?? [:]
            if i == 0 { config["batch_input_shape"] = [NSNull(), steps, features] }
            entry["config"] = config
            configs.append(entry)
            let name = config["name"] as? String ?? "layer"
            names.append(name)
            for (relative, shape) in tensors {
                try w.createGroup("/model_weights/\(name)/" + relative.split(separator: "/").dropLast().joined(separator: "/"))
                try w.addDataset("/model_weights/\(name)/\(relative)", shape: shape, float32: values(shape.reduce(1, *)))
            }
            try w.setAttribute("/model_weights/\(name)", "weight_names", .strings(tensors.map(\.0)), asArray: true, fixedLengthStrings: true)
        }
        let model: [String: Any] = ["class_name": "Sequential", "config": ["name": "stack", "layers": configs] as [String: Any]]
        let text = String(decoding: try JSONSerialization.data(withJSONObject: model, options: [.sortedKeys]), as: UTF8.self)
        try w.setAttribute("/", "model_config", .strings([text]))
        try w.setAttribute("/", "keras_version", .strings(["2.6.0"]))
        try w.write(to: path)
    }
}
