import HDF5

/// Reads layer weights from a Keras 2 HDF5 file: `/model_weights/<layer>/` (full model) or `/<layer>/`
/// (save_weights), each layer group listing its datasets in its `weight_names` attribute.
struct KerasWeights {
    let file: HDF5File
    let fileName: String
    let root: String

    init(file: HDF5File, fileName: String) {
        self.file = file
        self.fileName = fileName
        root = file.exists("/model_weights") ? "/model_weights" : ""
    }

    /// A layer's weight dataset paths (absolute), in the order Keras saved them.
    func paths(layer: String) throws -> [String] {
        let groupPath = "\(root)/\(layer)"
        guard file.exists(groupPath) else { return [] }
        return try hdf5(groupPath) {
            let group = try file.group(groupPath)
            if let names = try group.attribute("weight_names") {
                // An empty list is stored as an empty float array by h5py.
                if names.value.count == 0 { return [] }
                guard let strings = names.value.stringValues else {
                    throw site(groupPath).fail("weight_names is not a list of strings")
                }
                return strings.map { "\(groupPath)/\($0)" }
            }
            return try datasets(under: group, depth: 0)
        }
    }

    private func datasets(under group: HDF5Group, depth: Int) throws -> [String] {
        guard depth < 8 else { return [] }
        var out = [String]()
        for name in try group.memberNames() {
            let path = group.path == "/" ? "/\(name)" : "\(group.path)/\(name)"
            switch try group.kind(of: name) {
            case .dataset: out.append(path)
            case .group: out += try datasets(under: try group.group(name), depth: depth + 1)
            case .other: break
            }
        }
        return out
    }

    /// The one path among `paths` whose last component is `role` (`kernel:0` → kernel). `owner` names a wrapped
    /// layer (a Bidirectional direction) in messages.
    func pick(_ role: String, from paths: [String], layer: String, owner: String? = nil) throws -> String {
        let matches = paths.filter { Self.role(of: $0) == role }
        let what = owner.map { "'\(role)' of \($0)" } ?? "'\(role)'"
        guard let first = matches.first else {
            throw KerasSite(file: fileName, path: relative("\(root)/\(layer)")).fail("missing weight \(what)")
        }
        guard matches.count == 1 else {
            throw KerasSite(file: fileName, path: relative("\(root)/\(layer)")).fail("\(matches.count) weights named \(what)")
        }
        return first
    }

    static func role(of path: String) -> String {
        let last = path.split(separator: "/").last.map(String.init) ?? path
        guard let colon = last.lastIndex(of: ":") else { return last }
        return String(last[..<colon])
    }

    /// Reads a dataset of exactly `shape`, rejecting non-finite values.
    func read(_ path: String, shape: [Int]) throws -> [Double] {
        let values: [Double] = try hdf5(path) {
            let dataset = try file.dataset(path)
            guard dataset.shape == shape else {
                throw site(path).fail("shape \(dataset.shape) does not match the expected \(shape)")
            }
            return try dataset.readDoubles()
        }
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw site(path).fail("value \(i) is \(values[i])")
        }
        return values
    }

    /// Reads a Keras [in, out] kernel into the IR's [out, in] matrix.
    func kernel(_ path: String, inputs: Int, outputs: Int) throws -> Matrix {
        let values = try read(path, shape: [inputs, outputs])
        do { return try Matrix(rows: inputs, columns: outputs, values: values).transposed } catch {
            throw site(path).fail("\(error)")
        }
    }

    func site(_ path: String) -> KerasSite { KerasSite(file: fileName, path: relative(path)) }

    private func relative(_ path: String) -> String { path.hasPrefix("/") ? String(path.dropFirst()) : path }

    /// Runs an HDF5 read, turning the library's errors into import errors (its message already names file and object).
    private func hdf5<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as HDF5Error {
            throw IRError.importFailed("\(fileName): \(relative(e.object)): \(e.message)")
        }
    }
}
