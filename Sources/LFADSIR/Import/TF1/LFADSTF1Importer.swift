import Foundation
import HDF5

/// Imports TF1 LFADS weights written by `run_lfads.py --kind=write_model_params`: one dataset per variable,
/// named by the variable with '/' replaced by '_' (`LFADS_gen_GenGRU_Gates_h_2_ru_W:0`), matrices [in, out],
/// biases [1, n]. Dimensions are read from the tensors; see TF1Settings for the rest.
///
/// The graph has the same node and output names as LFADSTorchImporter's, so the two can be compared:
/// the same posterior-mean dataflow with TF1's cells — encoder `GRU` (one matrix on [x, h], columns r then u,
/// +1.0 on u, clip) and `GenGRU` (separate x and h matrices, x without bias), both resetting before the
/// recurrent product — and factor weights normalised per output.
public struct LFADSTF1Importer: ModelImporter {
    public var settings: TF1Settings

    public init(settings: TF1Settings = TF1Settings()) { self.settings = settings }

    public var formatName: String { "lfads-tf1" }

    public func recognizes(_ file: HDF5File) -> Bool {
        file.exists("/LFADS_gen_gen_2_fac_W:0")
    }

    public func importGraph(from file: HDF5File, path: String) throws -> Graph {
        let s = try settings.merged(with: file, path: path)
        let w = WeightSource(file: file, path: path)
        do {
            return try TF1GraphBuilder(settings: s, weights: w, path: path, file: file).build()
        } catch let e as IRError {
            switch e {
            case .importFailed: throw e
            case .invalid(let m), .parse(let m), .unsupported(let m): throw IRError.importFailed("\(path): \(m)")
            }
        }
    }
}
