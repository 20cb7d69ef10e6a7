import Foundation
import HDF5
import LFADSIR
import Backends

/// Paths of the Lorenz example files, relative to this source file.
enum LorenzFiles {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/lorenz")
    static func model(_ name: String) -> String { root.appendingPathComponent("models/\(name).h5").path }
    static func reference(_ name: String) -> String { root.appendingPathComponent("reference/\(name)_valid_ref.h5").path }
}

/// Deviation of simulated values from a reference array.
struct Deviation: CustomStringConvertible {
    var maxAbs = 0.0
    /// max |a − b| / max |b|
    var normwise = 0.0
    /// max |a − b| / |b| over elements with |b| ≥ 1e-6·max|b| (as tools/lfads_numpy_reference.py reports).
    var elementwise = 0.0

    init(_ a: [Double], _ b: [Double]) {
        let scale = b.reduce(0) { max($0, abs($1)) }
        for (x, y) in zip(a, b) {
            let d = abs(x - y)
            maxAbs = max(maxAbs, d)
            if abs(y) >= 1e-6 * scale { elementwise = max(elementwise, d / abs(y)) }
        }
        normwise = scale > 0 ? maxAbs / scale : maxAbs
    }

    var description: String {
        "max abs \(String(format: "%.2e", maxAbs)), abs/max|ref| \(String(format: "%.2e", normwise)), elementwise rel \(String(format: "%.2e", elementwise))"
    }
}

/// The reference file's inputs per trial and outputs (trial-major, as stored).
struct LorenzReference {
    let trials: Int
    let inputs: [[String: [Double]]]
    let file: HDF5File

    init(_ name: String) throws {
        file = try HDF5File(path: LorenzFiles.reference(name))
        let data = try file.dataset("valid_encod_data")
        let shape = data.shape
        let values = try data.readDoubles()
        trials = shape[0]
        let per = shape[1] * shape[2]
        inputs = (0..<trials).map { ["encod_data": Array(values[($0 * per)..<(($0 + 1) * per)])] }
    }

    /// `valid_<name>` as one trial-major array.
    func output(_ name: String) throws -> [Double] { try file.dataset("valid_\(name)").readDoubles() }
}
