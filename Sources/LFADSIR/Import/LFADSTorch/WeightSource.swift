import HDF5

/// Named weight tensors as the lfads-torch graph builder reads them: from an export file or a checkpoint
/// (`WeightSource`) or made up for an architecture-only estimate (`SyntheticTensors`).
protocol TorchTensorSource {
    func fail(_ tensor: String, _ problem: String) -> IRError
    func has(_ name: String) -> Bool
    func shape(_ name: String) throws -> [Int]
    /// All values of a tensor whose shape must equal `shape` (row-major).
    func values(_ name: String, shape expected: [Int]) throws -> [Double]
}

extension TorchTensorSource {
    func vector(_ name: String, _ count: Int) throws -> [Double] {
        try values(name, shape: [count])
    }

    func matrix(_ name: String, _ rows: Int, _ columns: Int) throws -> Matrix {
        let v = try values(name, shape: [rows, columns])
        do { return try Matrix(rows: rows, columns: columns, values: v) } catch { throw fail(name, "\(error)") }
    }
}

/// Where an importer's named tensors come from: an exported-weights HDF5 file or a torch checkpoint.
/// Errors thrown here carry the problem only; `WeightSource` adds the file and tensor names.
protocol TensorStore {
    func has(_ name: String) -> Bool
    func shape(_ name: String) throws -> [Int]
    /// Throws when the tensor does not hold numbers (checked before a zero-size tensor is accepted).
    func checkNumeric(_ name: String) throws
    /// Row-major values; only called for tensors with at least one element.
    func values(_ name: String) throws -> [Double]
}

/// One dataset per variable at the root of an HDF5 file (the lfads-torch export, TF1 model_params).
struct HDF5TensorStore: TensorStore {
    let file: HDF5File

    struct Problem: Error, CustomStringConvertible { let description: String }

    func has(_ name: String) -> Bool { file.exists("/" + name) }
    func shape(_ name: String) throws -> [Int] { try file.dataset("/" + name).shape }
    func checkNumeric(_ name: String) throws {
        let d = try file.dataset("/" + name)
        guard d.datatype.isNumeric else { throw Problem(description: "holds \(d.datatype.name), expected floating-point numbers") }
    }
    func values(_ name: String) throws -> [Double] { try file.dataset("/" + name).readDoubles() }
}

/// Reads named weight tensors, checking presence, shape and finiteness. Every failure is an
/// `IRError.importFailed` naming the file and the tensor. Shared by the lfads-torch and TF1 importers.
struct WeightSource: TorchTensorSource {
    let store: any TensorStore
    let path: String

    init(file: HDF5File, path: String) {
        store = HDF5TensorStore(file: file)
        self.path = path
    }

    init(store: any TensorStore, path: String) {
        self.store = store
        self.path = path
    }

    func fail(_ tensor: String, _ problem: String) -> IRError {
        IRError.importFailed("\(path): tensor '\(tensor)': \(problem)")
    }

    func has(_ name: String) -> Bool { store.has(name) }

    func shape(_ name: String) throws -> [Int] {
        guard has(name) else { throw fail(name, "missing") }
        do { return try store.shape(name) } catch { throw fail(name, "\(error)") }
    }

    /// All values of a tensor whose shape must equal `shape` (row-major, as stored).
    func values(_ name: String, shape expected: [Int]) throws -> [Double] {
        let s = try shape(name)
        guard s == expected else {
            throw fail(name, "shape \(s), expected \(expected)")
        }
        do { try store.checkNumeric(name) } catch { throw fail(name, "\(error)") }
        var count = 1
        for n in expected {
            let (p, o) = count.multipliedReportingOverflow(by: n)
            guard !o else { throw fail(name, "shape \(expected) is too large") }
            count = p
        }
        // Zero-size tensors (a generator without inputs) may have no storage at all.
        if count == 0 { return [] }
        let v: [Double]
        do { v = try store.values(name) } catch { throw fail(name, "\(error)") }
        guard v.count == count else { throw fail(name, "read \(v.count) values, expected \(count)") }
        if let i = v.firstIndex(where: { !$0.isFinite }) {
            throw fail(name, "element \(i) is \(v[i])")
        }
        return v
    }
}
