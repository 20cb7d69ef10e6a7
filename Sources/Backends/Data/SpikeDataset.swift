// In-memory trial data: the model inputs read for `lfadsc simulate`.

/// One input array of a split: `values` holds trials × bins × channels doubles, trial-major
/// then time-major (the element [trial, bin, channel] is at (trial·bins + bin)·channels + channel).
public struct SpikeDataset: Equatable, Sendable {
    public let trials: Int
    public let bins: Int
    public let channels: Int
    public let values: [Double]
    /// The split the trials come from ("train", "valid", "eval", "test"; "" when unknown).
    public let name: String
    /// Where the values came from: "file.h5:/valid_encod_data[0:20]" or "file.dat:lines 1-73".
    public let source: String
    /// Index of the first trial in the split (the `a` of `--trials a:b`).
    public let firstTrial: Int

    /// Throws when the shape is negative, overflows or does not match `values.count`.
    public init(trials: Int, bins: Int, channels: Int, values: [Double], name: String, source: String, firstTrial: Int = 0) throws {
        let (tb, o1) = trials.multipliedReportingOverflow(by: bins)
        let (n, o2) = tb.multipliedReportingOverflow(by: channels)
        guard trials >= 0, bins >= 0, channels >= 0, !o1, !o2, n == values.count else {
            throw DataIOError(file: source, message: "shape [\(trials), \(bins), \(channels)] does not match \(values.count) values")
        }
        self.trials = trials
        self.bins = bins
        self.channels = channels
        self.values = values
        self.name = name
        self.source = source
        self.firstTrial = firstTrial
    }

    public var valuesPerTrial: Int { bins * channels }

    /// The bins × channels values of trial `t` (0-based within this dataset).
    /// A copy, indexed from 0.
    public func trial(_ t: Int) -> [Double] {
        Array(values[(t * valuesPerTrial)..<((t + 1) * valuesPerTrial)])
    }

    public subscript(trial: Int, bin: Int, channel: Int) -> Double {
        values[(trial * bins + bin) * channels + channel]
    }
}

/// What the values of an input are, for validation: spike counts must be finite and
/// non-negative (non-integers warn), real values only finite.
public enum InputKind: String, Sendable, Equatable {
    case spikes, real
}

/// One model input as the model expects it: `steps` time bins of `width` values.
public struct InputSpec: Equatable, Sendable {
    public let name: String
    public let steps: Int
    public let width: Int
    /// nil: the first input of a model is spikes, the others are real-valued.
    public let kind: InputKind?

    public init(name: String, steps: Int, width: Int, kind: InputKind? = nil) {
        self.name = name
        self.steps = steps
        self.width = width
        self.kind = kind
    }

    func isSpikes(at index: Int) -> Bool { (kind ?? (index == 0 ? .spikes : .real)) == .spikes }
}

/// How the data file was recognised.
public enum DataLayout: String, Sendable, Equatable {
    case lfadsTF = "LFADS (TF)"
    case lfadsTorch = "lfads-torch"
    case nlb = "NLB"
    case explicitDataset = "explicit dataset"
    case text = ".dat text"
}

/// Everything `SpikeDataReader.read` found for the requested split and trial slice.
public struct LoadedInputs: Equatable, Sendable {
    /// One dataset per expected model input, in the order the inputs were given.
    public let inputs: [SpikeDataset]
    public let layout: DataLayout
    /// The split read ("valid", ...; "" for text files).
    public let split: String
    /// The trials read, as indices into the split.
    public let trials: Range<Int>
    /// Number of trials the split holds.
    public let totalTrials: Int
    /// Reconstruction targets when the file has them separately (lfads-torch `<split>_recon_data`).
    public let recon: SpikeDataset?
    /// NLB held-out spikes (`<split>_spikes_heldout`) when present.
    public let heldout: SpikeDataset?
    /// Names of the inputs that the file does not hold and that were filled with zeros.
    public let zeroFilled: [String]
    /// Non-fatal findings (non-integer counts, zero-filled inputs), one line each.
    public let warnings: [String]

    /// Spikes to score rates against: the recon data when the file has it, else the first input.
    public var targets: SpikeDataset { recon ?? inputs[0] }
}
