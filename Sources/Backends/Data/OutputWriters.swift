// Writers of simulation outputs:
// - HDF5 in lfads-torch's output layout: one dataset `<split>_<name>` per tensor, shaped
//   [trials, bins, width] or [trials, width] (just `<name>` when the split is unknown), and root
//   attributes recording the trial slice;
// - .dat text: one trial per line, the chosen tensors concatenated, values separated by single
//   spaces, '\n' after every line, in DatFormat .float or .exact.
// Both go through AtomicFile (temporary file + rename; no overwrite without `overwrite`).
import HDF5

public enum OutputPrecision: String, Sendable {
    case float32, float64
}

public enum OutputWriter {
    public static let formatVersion = 1

    public static func datasetName(_ split: String, _ tensor: String) -> String {
        split.isEmpty ? tensor : "\(split)_\(tensor)"
    }

    /// The HDF5 file's bytes (also used by `writeHDF5`).
    public static func hdf5Bytes(_ outputs: SimulationOutputs, precision: OutputPrecision = .float64,
                                 attributes: [String: String] = [:]) throws -> [UInt8] {
        try outputs.validate()
        do {
            var w = HDF5Writer()
            for t in outputs.tensors {
                let shape = [t.trials] + t.perTrialShape
                let name = datasetName(outputs.split, t.name)
                switch precision {
                case .float64: try w.addDataset(name, shape: shape, float64: t.values)
                case .float32: try w.addDataset(name, shape: shape, float32: t.values.map { Float($0) })
                }
            }
            try w.setAttribute("/", "lfadsc_output_version", .integers([Int64(formatVersion)]))
            try w.setAttribute("/", "first_trial", .integers([Int64(outputs.firstTrial)]))
            try w.setAttribute("/", "trials", .integers([Int64(outputs.trials)]))
            try w.setAttribute("/", "split", .strings([outputs.split]))
            for (k, v) in attributes.sorted(by: { $0.key < $1.key }) {
                try w.setAttribute("/", k, .strings([v]))
            }
            return try w.bytes()
        } catch let e as HDF5Error {
            throw DataIOError(file: "<outputs>", object: e.object, message: e.message)
        }
    }

    public static func writeHDF5(_ outputs: SimulationOutputs, to path: String, precision: OutputPrecision = .float64,
                                 attributes: [String: String] = [:], overwrite: Bool = false) throws {
        try OutputTarget.validate(path, overwrite: overwrite)
        let bytes = try withOutputFile(path) { try hdf5Bytes(outputs, precision: precision, attributes: attributes) }
        try AtomicFile.write(bytes, to: path, overwrite: overwrite)
    }

    /// The .dat text: `tensors` (default: the primary output) concatenated per trial.
    public static func datText(_ outputs: SimulationOutputs, tensors: [String]? = nil, format: DatFormat) throws -> String {
        String(decoding: try datBytes(outputs, tensors: tensors, format: format), as: UTF8.self)
    }

    /// The .dat text as bytes, written value by value (no String per value). With `threads` > 1, blocks of
    /// trials are formatted concurrently and joined in order: the bytes, and which error is reported (the
    /// first non-finite value in file order), do not depend on `threads`.
    public static func datBytes(_ outputs: SimulationOutputs, tensors: [String]? = nil, format: DatFormat,
                                threads: Int = 1) throws -> [UInt8] {
        try outputs.validate()
        let names = tensors ?? [outputs.primary]
        guard !names.isEmpty else { throw DataIOError(file: "<outputs>", message: "no tensors chosen for the .dat file") }
        let chosen = try names.map { name -> OutputTensor in
            guard let t = outputs.tensor(name) else {
                throw DataIOError(file: "<outputs>", object: name, message: "no such output (have: \(outputs.names.joined(separator: ", ")))")
            }
            return t
        }
        let ranges = Parallel.blocks(of: 0..<outputs.trials, threads: threads)
        let parts = Parallel.map(count: ranges.count, threads: threads) { b in
            try datLines(chosen, trials: ranges[b], firstTrial: outputs.firstTrial, format: format)
        }
        if parts.count == 1 { return try parts[0].get() }
        var text = [UInt8]()
        text.reserveCapacity(try parts.reduce(0) { $0 + (try $1.get()).count })
        for part in parts { text += try part.get() }
        return text
    }

    /// Lines for `trials` of the chosen tensors.
    private static func datLines(_ chosen: [OutputTensor], trials: Range<Int>, firstTrial: Int, format: DatFormat) throws -> [UInt8] {
        var text = [UInt8]()
        // About 12 bytes per value (sign, digits, point, separator) saves most regrowth copies of a large file.
        text.reserveCapacity(trials.count * chosen.reduce(0) { $0 + $1.perTrialCount } * 12)
        for trial in trials {
            var first = true
            for t in chosen {
                let base = trial * t.perTrialCount
                for i in 0..<t.perTrialCount {
                    let v = t.values[base + i]
                    guard v.isFinite else {
                        throw DataIOError(file: "<outputs>", object: t.name,
                                          message: "non-finite value \(v) at trial \(firstTrial + trial), element \(i); .dat cannot hold it")
                    }
                    if !first { text.append(0x20) }
                    format.render(v, into: &text)
                    first = false
                }
            }
            text.append(0x0A)
        }
        return text
    }

    public static func writeDat(_ outputs: SimulationOutputs, to path: String, tensors: [String]? = nil,
                                format: DatFormat, overwrite: Bool = false, threads: Int = 1) throws {
        try OutputTarget.validate(path, overwrite: overwrite)
        let bytes = try withOutputFile(path) { try datBytes(outputs, tensors: tensors, format: format, threads: threads) }
        try AtomicFile.write(bytes, to: path, overwrite: overwrite)
    }

    /// Re-labels "<outputs>" errors with the output path.
    private static func withOutputFile<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as DataIOError where e.file == "<outputs>" {
            throw DataIOError(file: path, object: e.object, message: e.message)
        }
    }
}
