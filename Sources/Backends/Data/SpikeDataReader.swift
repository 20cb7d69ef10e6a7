// Entry point for reading model inputs: HDF5 files (detected by their signature, also behind
// a user block) go to HDF5SpikeReader, everything else is read as .dat text.
import Foundation

public enum SpikeDataReader {
    /// Reads the trials `trials` (nil: all) of the split or dataset `dataset` (nil: auto-detect).
    public static func read(path: String, dataset: String? = nil, trials: Range<Int>? = nil,
                            expectedInputs: [InputSpec]) throws -> LoadedInputs {
        try read(path: path, dataset: dataset, selection: trials.map(TrialSelection.init) ?? .all, expectedInputs: expectedInputs)
    }

    /// Same, with the tuple form of the model inputs.
    public static func read(path: String, dataset: String? = nil, trials: Range<Int>? = nil,
                            expectedInputs: [(name: String, steps: Int, width: Int)]) throws -> LoadedInputs {
        try read(path: path, dataset: dataset, trials: trials,
                 expectedInputs: expectedInputs.map { InputSpec(name: $0.name, steps: $0.steps, width: $0.width) })
    }

    /// Same, with an unresolved `--trials` selection (checked against the file's trial count).
    /// `threads` > 1 parses a text file's lines concurrently (the result does not depend on it).
    public static func read(path: String, dataset: String? = nil, selection: TrialSelection,
                            expectedInputs: [InputSpec], threads: Int = 1) throws -> LoadedInputs {
        for spec in expectedInputs where spec.steps <= 0 || spec.width <= 0 {
            throw DataIOError(file: path, message: "model input '\(spec.name)' has an invalid shape [\(spec.steps)×\(spec.width)]")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataIOError(file: path, message: "no such file")
        }
        guard !isDirectory.boolValue else { throw DataIOError(file: path, message: "is a directory") }
        if try isHDF5(path) {
            return try HDF5SpikeReader.read(path: path, key: dataset, selection: selection, expected: expectedInputs)
        }
        if let dataset {
            throw DataIOError(file: path, message: "--dataset \(dataset) given, but this is a text file (not HDF5)")
        }
        return try DatTextReader.read(path: path, selection: selection, expected: expectedInputs, threads: threads)
    }

    static let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    /// True when the HDF5 signature is at offset 0, 512, 1024, ... (user blocks), or the name says .h5.
    static func isHDF5(_ path: String) throws -> Bool {
        let lower = path.lowercased()
        if lower.hasSuffix(".h5") || lower.hasSuffix(".hdf5") || lower.hasSuffix(".hdf") { return true }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DataIOError(file: path, message: "cannot open for reading")
        }
        defer { try? handle.close() }
        if let head = try? handle.read(upToCount: 4), [UInt8](head) == [0x50, 0x4B, 3, 4] {
            throw DataIOError(file: path, message: "is a zip archive (a PyTorch/Lightning .ckpt checkpoint?), not spike data (HDF5 or .dat text)")
        }
        var offset: UInt64 = 0
        while offset <= 1 << 16 {
            try? handle.seek(toOffset: offset)
            guard let head = try? handle.read(upToCount: 8), head.count == 8 else { return false }
            if [UInt8](head) == signature { return true }
            offset = offset == 0 ? 512 : offset * 2
        }
        return false
    }
}
