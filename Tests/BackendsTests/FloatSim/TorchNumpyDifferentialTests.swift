import Foundation
import HDF5
import LFADSIR
import XCTest
import Backends

/// Env-gated differential test against tools/lfads_numpy_reference.py on extra models (read-in, ci_lag 0/2,
/// external inputs, non-zero bias_hh, binding clamp). LFADSC_TORCH_NUMPY_DIR holds, per case NAME,
/// NAME.h5 (lfads-torch export layout), NAME_data.h5 (valid_encod_data [, valid_ext_input]) and NAME_out.h5
/// (`lfads_numpy_reference.py NAME.h5 NAME_data.h5 --out NAME_out.h5`).
final class TorchNumpyDifferentialTests: XCTestCase {
    func testAgainstNumpyReference() throws {
        guard let dir = ProcessInfo.processInfo.environment["LFADSC_TORCH_NUMPY_DIR"] else {
            throw XCTSkip("set LFADSC_TORCH_NUMPY_DIR")
        }
        let outs = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix("_out.h5") }.sorted()
        XCTAssertFalse(outs.isEmpty)
        for out in outs {
            let name = String(out.dropLast("_out.h5".count))
            let modelPath = "\(dir)/\(name).h5"
            let graph = try LFADSTorchImporter().importGraph(from: HDF5File(path: modelPath), path: modelPath)
            let data = try HDF5File(path: "\(dir)/\(name)_data.h5")
            let spikes = try data.dataset("valid_encod_data")
            let (n, per) = (spikes.shape[0], spikes.shape[1] * spikes.shape[2])
            let x = try spikes.readDoubles()
            var ext: [Double]?, extPer = 0
            if data.exists("/valid_ext_input") {
                let e = try data.dataset("valid_ext_input")
                extPer = e.shape[1] * e.shape[2]
                ext = try e.readDoubles()
            }
            let trials = (0..<n).map { i -> [String: [Double]] in
                var t = ["encod_data": Array(x[(i * per)..<((i + 1) * per)])]
                if let ext { t["ext_input"] = Array(ext[(i * extPer)..<((i + 1) * extPer)]) }
                return t
            }
            let results = try FloatSimulator(graph: graph).runBatch(trials: trials, threads: 2)
            let ref = try HDF5File(path: "\(dir)/\(out)")
            for output in graph.outputs {
                let refName = try XCTUnwrap(LorenzFloatSimTests.referenceNames[output])
                let dev = Deviation(results.flatMap { $0[output] ?? [] }, try ref.dataset("valid_\(refName)").readDoubles())
                print("numpy \(name) \(output): \(dev)")
                XCTAssertLessThan(dev.normwise, 1e-12, "\(name) \(output)")
            }
        }
    }
}
