// Checks on values read as model inputs. Policy (docs/data-formats.md):
// - non-finite values (NaN, ±inf) are errors in every input: the simulators cannot use them;
// - negative values are errors in spike inputs (counts cannot be negative) and allowed in
//   other inputs (external inputs are real-valued);
// - non-integer values in spike inputs are a warning (rates or smoothed data are sometimes
//   fed on purpose; the Poisson metrics still work through log Γ(n+1)); when no value at all is an
//   integer the warning says the data looks like rates, the usual mistake (a rates file given as spikes).

enum CountValidation {
    /// Returns warnings; throws on the first non-finite or (for spikes) negative value.
    static func check(_ d: SpikeDataset, spikes: Bool, file: String, object: String) throws -> [String] {
        var nonInteger = 0
        var firstNonInteger: (Int, Int, Int)?
        let perTrial = max(d.valuesPerTrial, 1)
        func position(_ i: Int) -> (Int, Int, Int) {
            let t = i / perTrial, r = i % perTrial
            return (d.firstTrial + t, r / max(d.channels, 1), r % max(d.channels, 1))
        }
        for (i, v) in d.values.enumerated() {
            if !v.isFinite {
                let (t, b, c) = position(i)
                throw DataIOError(file: file, object: object, message: "non-finite value \(v) at trial \(t), bin \(b), channel \(c)")
            }
            guard spikes else { continue }
            if v < 0 {
                let (t, b, c) = position(i)
                throw DataIOError(file: file, object: object, message: "negative spike count \(v) at trial \(t), bin \(b), channel \(c)")
            }
            if v.rounded(.towardZero) != v {
                nonInteger += 1
                if firstNonInteger == nil { firstNonInteger = position(i) }
            }
        }
        guard let (t, b, c) = firstNonInteger else { return [] }
        if nonInteger == d.values.count {
            return ["\(file): \(object): none of the \(nonInteger) spike counts is an integer: looks like rates, not counts "
                    + "(the Poisson metrics assume counts)"]
        }
        return ["\(file): \(object): \(nonInteger) non-integer spike counts (first at trial \(t), bin \(b), channel \(c))"]
    }
}
