// Per-trial named outputs of a simulation run (rates, factors, states, ...), kept as doubles.

/// One named output over all trials: `values` holds trials × perTrialShape elements, trial-major.
public struct OutputTensor: Equatable, Sendable {
    public let name: String
    /// Shape of one trial's value: [bins, width] for sequences, [width] for per-trial vectors.
    public let perTrialShape: [Int]
    public private(set) var values: [Double]

    public var perTrialCount: Int { perTrialShape.reduce(1, *) }
    public var trials: Int { perTrialCount == 0 ? 0 : values.count / perTrialCount }

    /// A copy, indexed from 0.
    public func trial(_ t: Int) -> [Double] {
        Array(values[(t * perTrialCount)..<((t + 1) * perTrialCount)])
    }

    mutating func append(_ more: [Double]) { values.append(contentsOf: more) }
}

/// The outputs of one run. Names follow lfads-torch's output files: output_params (rates per
/// bin), factors, gen_states, gen_init, ic_mean, ic_std, co_means, co_stds, gen_inputs,
/// con_states; plus logrates for models that output log-rates (the FPGA template).
public struct SimulationOutputs: Equatable, Sendable {
    public static let knownNames = ["output_params", "logrates", "factors", "gen_states", "gen_init", "ic_mean", "ic_std",
                                    "co_means", "co_stds", "gen_inputs", "con_states"]

    /// Split the trials came from ("valid", ...); prefixes the HDF5 dataset names.
    public let split: String
    /// Index of the first trial in its split.
    public let firstTrial: Int
    /// Tensor written to .dat files by default.
    public var primary: String
    public private(set) var tensors: [OutputTensor] = []

    public init(split: String, firstTrial: Int = 0, primary: String = "output_params") {
        self.split = split
        self.firstTrial = firstTrial
        self.primary = primary
    }

    /// Number of trials (of the first tensor; `validate` checks all agree).
    public var trials: Int { tensors.first?.trials ?? 0 }
    public var names: [String] { tensors.map(\.name) }

    public func tensor(_ name: String) -> OutputTensor? { tensors.first { $0.name == name } }

    /// Adds a tensor for all trials at once.
    public mutating func add(_ name: String, perTrialShape: [Int], values: [Double]) throws {
        try checkName(name)
        guard tensor(name) == nil else { throw problem(name, "already added") }
        let n = try count(perTrialShape, name)
        guard n > 0, values.count % n == 0 else {
            throw problem(name, "\(values.count) values do not fill whole trials of shape \(perTrialShape)")
        }
        if let t = tensors.first, t.trials != values.count / n {
            throw problem(name, "has \(values.count / n) trials but '\(t.name)' has \(t.trials)")
        }
        tensors.append(OutputTensor(name: name, perTrialShape: perTrialShape, values: values))
    }

    /// Appends one trial's values, creating the tensor on first use (trial-by-trial simulators).
    public mutating func appendTrial(_ name: String, perTrialShape: [Int], values: [Double]) throws {
        let n = try count(perTrialShape, name)
        guard values.count == n else { throw problem(name, "\(values.count) values for one trial of shape \(perTrialShape)") }
        if let i = tensors.firstIndex(where: { $0.name == name }) {
            guard tensors[i].perTrialShape == perTrialShape else {
                throw problem(name, "trial shape \(perTrialShape) differs from earlier \(tensors[i].perTrialShape)")
            }
            tensors[i].append(values)
        } else {
            try checkName(name)
            tensors.append(OutputTensor(name: name, perTrialShape: perTrialShape, values: values))
        }
    }

    /// Throws unless there is at least one tensor and all tensors hold the same number of trials.
    public func validate() throws {
        guard let first = tensors.first else { throw DataIOError(file: "<outputs>", message: "no outputs to write") }
        for t in tensors where t.trials != first.trials {
            throw problem(t.name, "has \(t.trials) trials but '\(first.name)' has \(first.trials)")
        }
    }

    private func checkName(_ name: String) throws {
        guard !name.isEmpty, name.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }) else {
            throw problem(name, "output names use a-z, 0-9 and '_'")
        }
    }

    private func count(_ shape: [Int], _ name: String) throws -> Int {
        var n = 1
        for d in shape {
            let (r, o) = n.multipliedReportingOverflow(by: d)
            guard d > 0, !o else { throw problem(name, "invalid trial shape \(shape)") }
            n = r
        }
        return n
    }

    private func problem(_ name: String, _ message: String) -> DataIOError {
        DataIOError(file: "<outputs>", object: name, message: message)
    }
}
