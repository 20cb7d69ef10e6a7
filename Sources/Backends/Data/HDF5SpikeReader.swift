// Reads the model inputs of one split from an HDF5 data file, only the requested trial rows.
// The first expected input is the spike input; further inputs are looked up as
// <split>_<input name>, then <split>_ext_input (lfads-torch / TF layouts), else zero-filled.
import HDF5

enum HDF5SpikeReader {
    static func read(path: String, key: String?, selection: TrialSelection, expected: [InputSpec]) throws -> LoadedInputs {
        try withDataFile(path) {
            guard let first = expected.first else { throw DataIOError(file: path, message: "the model has no inputs to read") }
            let file = try HDF5File(path: path)
            let names = try file.root.memberNames()
            let isDataset: (String) -> Bool = { (try? file.kind($0)) == .dataset }
            let chosen = try HDF5LayoutDetection.choose(names: names, key: key, isDataset: isDataset, file: path)

            let spikes = try file.dataset(chosen.spikes)
            let (total, _, _) = try shape3(spikes, path: path, expected: first)
            let rows = try selection.resolve(total: total, file: path, object: spikes.path)
            var warnings: [String] = []
            let spikeData = try load(spikes, rows: rows, split: chosen.split, path: path)
            warnings += try CountValidation.check(spikeData, spikes: first.isSpikes(at: 0), file: path, object: spikes.path)

            var inputs = [spikeData]
            var zeroFilled: [String] = []
            var used: Set<String> = [chosen.spikes]
            for (index, spec) in expected.enumerated().dropFirst() {
                let keys = ["\(chosen.split)_\(spec.name)"] + (chosen.extInput.map { [$0] } ?? [])
                if let k = keys.first(where: { !used.contains($0) && isDataset($0) }) {
                    let d = try file.dataset(k)
                    let (n, _, _) = try shape3(d, path: path, expected: spec)
                    guard n == total else {
                        throw DataIOError(file: path, object: d.path, message: "has \(n) trials but \(spikes.path) has \(total)")
                    }
                    let data = try load(d, rows: rows, split: chosen.split, path: path)
                    warnings += try CountValidation.check(data, spikes: spec.isSpikes(at: index), file: path, object: d.path)
                    inputs.append(data)
                    used.insert(k)
                } else {
                    let (perTrial, o1) = spec.steps.multipliedReportingOverflow(by: spec.width)
                    let (count, o2) = rows.count.multipliedReportingOverflow(by: perTrial)
                    guard !o1, !o2, count <= 1 << 31 else {
                        throw DataIOError(file: path, message: "model input '\(spec.name)' is too large to zero-fill")
                    }
                    inputs.append(try SpikeDataset(trials: rows.count, bins: spec.steps, channels: spec.width,
                                                   values: [Double](repeating: 0, count: count), name: chosen.split,
                                                   source: "zeros (no \(keys.joined(separator: " or ")) in \(path))",
                                                   firstTrial: rows.lowerBound))
                    zeroFilled.append(spec.name)
                    warnings.append("\(path): model input '\(spec.name)' [\(spec.steps)×\(spec.width)] is not in the file; filled with zeros")
                }
            }

            let counts = first.isSpikes(at: 0)
            let recon = try optionalTargets(file, chosen.recon, rows: rows, total: total, split: chosen.split, path: path, counts: counts, warnings: &warnings)
            let heldout = try optionalTargets(file, chosen.heldout, rows: rows, total: total, split: chosen.split, path: path, counts: counts, warnings: &warnings)
            return LoadedInputs(inputs: inputs, layout: chosen.layout, split: chosen.split, trials: rows, totalTrials: total,
                                recon: recon, heldout: heldout, zeroFilled: zeroFilled, warnings: warnings)
        }
    }

    /// [trials, bins, channels] of a dataset, checked against the model input.
    static func shape3(_ d: HDF5Dataset, path: String, expected: InputSpec?) throws -> (Int, Int, Int) {
        guard d.datatype.isNumeric else {
            throw DataIOError(file: path, object: d.path, message: "holds \(d.datatype.name) values, not numbers")
        }
        let s = d.shape
        guard s.count == 3 else {
            throw DataIOError(file: path, object: d.path, message: "has rank \(s.count) (shape \(s)); expected [trials, bins, channels]")
        }
        if let e = expected {
            guard s[2] == e.width else {
                throw DataIOError(file: path, object: d.path, message: "has \(s[2]) channels but the model input '\(e.name)' has width \(e.width)")
            }
            guard s[1] == e.steps else {
                throw DataIOError(file: path, object: d.path, message: "has \(s[1]) time bins but the model input '\(e.name)' has \(e.steps) steps")
            }
        }
        return (s[0], s[1], s[2])
    }

    static func load(_ d: HDF5Dataset, rows: Range<Int>, split: String, path: String) throws -> SpikeDataset {
        let s = d.shape
        let values = try d.readDoubles(rows: rows)
        let name = (path.split(separator: "/").last).map(String.init) ?? path
        return try SpikeDataset(trials: rows.count, bins: s[1], channels: s[2], values: values, name: split,
                                source: "\(name):\(d.path)[\(rows.lowerBound):\(rows.upperBound)]", firstTrial: rows.lowerBound)
    }

    /// Recon or held-out spikes: read when present, shaped like the split and valid counts (finite values only when
    /// the model's data are not counts); skipped with a warning otherwise (they only serve the metrics).
    static func optionalTargets(_ file: HDF5File, _ key: String?, rows: Range<Int>, total: Int, split: String,
                                path: String, counts: Bool, warnings: inout [String]) throws -> SpikeDataset? {
        guard let key, (try? file.kind(key)) == .dataset else { return nil }
        let d = try file.dataset(key)
        let s = d.shape
        guard d.datatype.isNumeric, s.count == 3, s[0] == total else {
            warnings.append("\(path): \(d.path): shape \(s) does not fit \(total) trials; not used as targets")
            return nil
        }
        let data = try load(d, rows: rows, split: split, path: path)
        do {
            warnings += try CountValidation.check(data, spikes: counts, file: path, object: d.path)
        } catch let e as DataIOError {
            // e.g. NaN-marked bins in NLB held-out data: the inputs are still usable
            warnings.append("\(e.description); not used as targets")
            return nil
        }
        return data
    }
}
