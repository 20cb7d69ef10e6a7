import HDF5

/// Named weight tensors as the lfads-torch graph builder reads them: from an export file (`WeightSource`) or
/// made up for an architecture-only estimate (`SyntheticTensors`).
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

/// Reads named weight tensors from an exported-weights HDF5 file, checking presence, shape and finiteness.
/// Every failure is an `IRError.importFailed` naming the file and the tensor. Shared by the lfads-torch and
/// TF1 importers (both store one dataset per variable at the file's root).
struct WeightSource: TorchTensorSource {
    let file: HDF5File
    let path: String

    func fail(_ tensor: String, _ problem: String) -> IRError {
        IRError.importFailed("\(path): tensor '\(tensor)': \(problem)")
    }

    func has(_ name: String) -> Bool {
        file.exists("/" + name)
    }

    func shape(_ name: String) throws -> [Int] {
        try dataset(name).shape
    }

    private func dataset(_ name: String) throws -> HDF5Dataset {
        guard has(name) else { throw fail(name, "missing") }
        do { return try file.dataset("/" + name) } catch { throw fail(name, "\(error)") }
    }

    /// All values of a tensor whose shape must equal `shape` (row-major, as stored).
    func values(_ name: String, shape expected: [Int]) throws -> [Double] {
        let d = try dataset(name)
        guard d.shape == expected else {
            throw fail(name, "shape \(d.shape), expected \(expected)")
        }
        guard d.datatype.isNumeric else { throw fail(name, "holds \(d.datatype.name), expected floating-point numbers") }
        var count = 1
        for s in expected {
            let (p, o) = count.multipliedReportingOverflow(by: s)
            guard !o else { throw fail(name, "shape \(expected) is too large") }
            count = p
        }
        // Zero-size tensors (a generator without inputs) may have no storage at all.
        if count == 0 { return [] }
        let v: [Double]
        do { v = try d.readDoubles() } catch { throw fail(name, "\(error)") }
        guard v.count == count else { throw fail(name, "read \(v.count) values, expected \(count)") }
        if let i = v.firstIndex(where: { !$0.isFinite }) {
            throw fail(name, "element \(i) is \(v[i])")
        }
        return v
    }
}
