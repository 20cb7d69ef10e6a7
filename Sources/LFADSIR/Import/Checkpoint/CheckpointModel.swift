/// The lfads-torch view of a checkpoint: the same tensors and hyperparameters that tools/export_lfads_torch.py
/// writes to its HDF5 export, so that importing the .ckpt and importing its export give the same IR.

/// state_dict tensors by key, for `WeightSource`.
struct CheckpointTensorStore: TensorStore {
    let checkpoint: TorchCheckpoint

    func has(_ name: String) -> Bool { checkpoint.stateDict[name] != nil }
    func shape(_ name: String) throws -> [Int] { try checkpoint.tensor(name).shape }
    func checkNumeric(_ name: String) throws {
        let s = try checkpoint.tensor(name).storage
        guard s.dtype != nil else { throw CheckpointError("storage type \(s.typeName) is not supported") }
    }
    func values(_ name: String) throws -> [Double] { try checkpoint.floats(try checkpoint.tensor(name)).map(Double.init) }
}

extension TorchCheckpoint {
    /// What the exporter's `hparams` JSON holds: `hyper_parameters`, overridden by the module descriptions
    /// (read-in/out, reconstruction, priors, num_sessions) inferred from state_dict names, overridden in turn by
    /// `lfadsc_modules` when the training script stored it. Values keep the JSON kinds the exporter gives them:
    /// ints and finite floats are numbers, non-finite floats the strings Python prints, anything else opaque.
    func exportedHyperparameters() throws -> [String: JSONScalar] {
        guard let raw = root["hyper_parameters"] else { throw CheckpointError("no 'hyper_parameters' in the checkpoint") }
        guard let hyper = heap.dict(raw) else {
            throw CheckpointError("'hyper_parameters' is \(heap.describe(raw)), expected a dict\(Self.refusal(raw, heap))")
        }
        var out: [String: JSONScalar] = [:]
        func merge(_ d: PickleDict) {
            for (k, v) in zip(d.keys, d.values) {
                guard let key = Self.pythonStr(k) else { continue }
                out[key] = Self.json(v)
            }
        }
        merge(hyper)
        let sessions = max(sessionCount("readin"), sessionCount("readout"))
        out["reconstruction"] = .string("unknown: not stored in the checkpoint (give --reconstruction)")
        out["num_sessions"] = .number(Double(sessions))
        for key in ["readin", "readout", "ic_prior", "co_prior"] { out[key] = .other }
        if let stored = root["lfadsc_modules"], let modules = heap.dict(stored) { merge(modules) }
        return out
    }

    /// Number of per-session modules `<prefix>.<i>.*` (at least 1: a module without weights is an Identity).
    private func sessionCount(_ prefix: String) -> Int {
        var sessions = Set<String>()
        for name in tensorNames where name.hasPrefix(prefix + ".") {
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count > 1, !parts[1].isEmpty, parts[1].allSatisfy({ $0 >= "0" && $0 <= "9" }) else { continue }
            let digits = parts[1].drop { $0 == "0" }
            sessions.insert(digits.isEmpty ? "0" : String(digits))
        }
        return max(sessions.count, 1)
    }

    private static func pythonStr(_ v: PickleValue) -> String? {
        switch v {
        case .string(let s): return s
        case .int(let i): return String(i)
        default: return nil
        }
    }

    private static func json(_ v: PickleValue) -> JSONScalar {
        switch v {
        case .int(let i): return .number(Double(i))
        case .float(let d): return d.isFinite ? .number(d) : .string(d.isNaN ? "nan" : d < 0 ? "-inf" : "inf")
        case .bool(let b): return .bool(b)
        case .string(let s): return .string(s)
        default: return .other
        }
    }
}
