import Foundation
import HDF5

/// What a synthetic data file knows that a model can be scored against: lfads-torch's `<split>_truth`
/// (true rates; divided by `conversion_factor` to counts per bin, as lfads-torch's data module does) and
/// `<split>_latents` (the latent trajectory the spikes were generated from). Only the simulated trials are read.
public struct GroundTruth: Sendable {
    /// [trials, bins, channels] values with their source ("lorenz.h5:/valid_truth[0:20]").
    public struct Array3: Sendable {
        public var values: [Double]
        public var bins: Int
        public var channels: Int
        public var source: String
    }

    public var rates: Array3?
    public var latents: Array3?
    /// Datasets looked for and not found or not usable, one line each (the report says so).
    public var notes: [String] = []

    public init(rates: Array3? = nil, latents: Array3? = nil, notes: [String] = []) {
        self.rates = rates
        self.latents = latents
        self.notes = notes
    }

    /// Reads what the file has for `split` and `trials` (of `totalTrials`, the split's size). Never throws: a
    /// missing or malformed dataset becomes a note, since the report is still useful without it.
    public static func read(path: String, split: String, trials: Range<Int>, totalTrials: Int, bins: Int) -> GroundTruth {
        var truth = GroundTruth()
        guard !split.isEmpty, let file = try? HDF5File(path: path) else {
            truth.notes.append("\(path) is not an HDF5 file with splits: no ground truth to compare against")
            return truth
        }
        let name = (path.split(separator: "/").last).map(String.init) ?? path
        func load(_ key: String) -> Array3? {
            guard (try? file.kind(key)) == .dataset else {
                truth.notes.append("\(name) has no \(key)")
                return nil
            }
            do {
                let d = try file.dataset(key)
                let s = d.shape
                guard d.datatype.isNumeric, s.count == 3, s[0] == totalTrials, s[1] == bins, s[2] > 0,
                      trials.lowerBound >= 0, trials.upperBound <= s[0] else {
                    truth.notes.append("\(name): \(key) has shape \(s), expected [\(totalTrials), \(bins), channels]; not used")
                    return nil
                }
                let values = try d.readDoubles(rows: trials)
                guard values.count == trials.count * s[1] * s[2], values.allSatisfy(\.isFinite) else {
                    truth.notes.append("\(name): \(key) holds non-finite values; not used")
                    return nil
                }
                return Array3(values: values, bins: s[1], channels: s[2], source: "\(name):/\(key)[\(trials.lowerBound):\(trials.upperBound)]")
            } catch {
                truth.notes.append("\(name): \(key) could not be read (\(error)); not used")
                return nil
            }
        }
        truth.rates = load("\(split)_truth")
        truth.latents = load("\(split)_latents")
        if var rates = truth.rates, (try? file.kind("conversion_factor")) == .dataset,
           let cf = try? file.dataset("conversion_factor").readDoubles(), cf.count == 1 {
            if let factor = cf.first, factor.isFinite, factor > 0 {
                rates.values = rates.values.map { $0 / factor }
                rates.source += " / conversion_factor \(SVGChart.format(factor))"
                truth.rates = rates
            } else {
                truth.notes.append("\(name): conversion_factor \(cf[0]) is not a positive number; truth not used")
                truth.rates = nil
            }
        }
        return truth
    }
}
